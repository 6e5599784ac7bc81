// SPDX-License-Identifier: MIT
// IEEE 802.1Q / 802.1ad VLAN tags, stacked: each tag is decoded as its own layer.
#include "pcapframe/decode.hpp"
#include "step.hpp"

namespace pcapframe::detail {

// IEEE 802.1Q §9.6: TCI (PCP 3 bits, DEI 1 bit, VID 12 bits), then the inner EtherType.
constexpr std::size_t kVlanTagLen = 4;
constexpr std::uint16_t kVlanIdMask = 0x0fff;
// IEEE 802.1Q §9.5: the field after the TCI is a Length/Type field as in an untagged frame
// (IEEE 802.3 clause 3.2.6), so a tagged frame may carry 802.2 LLC.
constexpr std::uint16_t kVlanMinEtherType = 0x0600;
constexpr std::uint16_t kVlanMax8023Length = 1500;

Step decode_vlan(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kVlanTagLen>(in);
  if (!h) return stop(Anomaly::TruncatedVlan);
  if (out.vlan_count == kMaxVlanTags) return stop(Anomaly::TooManyVlanTags);

  if (out.vlan_count == 0) out.vlan_id = load_be16(h->first<2>()) & kVlanIdMask;
  ++out.vlan_count;
  const std::uint16_t inner_type = load_be16(h->subspan<2, 2>());
  const Bytes payload = in.subspan(kVlanTagLen);
  if (inner_type >= kVlanMinEtherType) {
    out.ether_type = inner_type;
    return step_for_ethertype(inner_type, payload);
  }
  out.ether_type = 0;
  if (inner_type <= kVlanMax8023Length) return {Proto::Llc, clamp_to(payload, inner_type)};
  return stop(Anomaly::BadEtherType);
}

}  // namespace pcapframe::detail
