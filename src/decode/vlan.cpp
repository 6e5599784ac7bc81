// SPDX-License-Identifier: MIT
// IEEE 802.1Q / 802.1ad VLAN tags, stacked: each tag is decoded as its own layer.
#include "pcapframe/decode.hpp"
#include "step.hpp"

namespace pcapframe::detail {

// IEEE 802.1Q §9.6: TCI (PCP 3 bits, DEI 1 bit, VID 12 bits), then the inner EtherType.
constexpr std::size_t kVlanTagLen = 4;
constexpr std::uint16_t kVlanIdMask = 0x0fff;

Step decode_vlan(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kVlanTagLen>(in);
  if (!h) return stop(Anomaly::TruncatedVlan);
  if (out.vlan_count == kMaxVlanTags) return stop(Anomaly::TooManyVlanTags);

  if (out.vlan_count == 0) out.vlan_id = load_be16(h->first<2>()) & kVlanIdMask;
  ++out.vlan_count;
  // IEEE 802.1Q §9.5: the field after the TCI is a Length/Type field as in an untagged
  // frame, so a tagged frame may carry 802.2 LLC.
  return step_for_type_or_length(load_be16(h->subspan<2, 2>()), in.subspan(kVlanTagLen), out);
}

}  // namespace pcapframe::detail
