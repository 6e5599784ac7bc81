// SPDX-License-Identifier: MIT
// Ethernet II and IEEE 802.3 frame headers.
#include <algorithm>

#include "step.hpp"

namespace pcapframe::detail {

// IEEE 802.3 clause 3.2.6: a type/length >= 0x0600 is an EtherType; <= 1500 is a
// payload length, and any bytes past it are padding.
constexpr std::size_t kEthernetHeaderLen = 14;
constexpr std::uint16_t kMinEtherType = 0x0600;
constexpr std::uint16_t kMax8023Length = 1500;

Step decode_ethernet(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kEthernetHeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedLink);

  out.has_mac_dst = out.has_mac_src = true;
  out.mac_dst = load_mac(h->first<6>());
  out.mac_src = load_mac(h->subspan<6, 6>());
  const std::uint16_t type_or_len = load_be16(h->subspan<12, 2>());
  const Bytes payload = in.subspan(kEthernetHeaderLen);

  if (type_or_len >= kMinEtherType) {
    out.ether_type = type_or_len;
    return step_for_ethertype(type_or_len, payload);
  }
  if (type_or_len <= kMax8023Length) return {Proto::Llc, clamp_to(payload, type_or_len)};
  return stop(Anomaly::BadEtherType);
}

}  // namespace pcapframe::detail
