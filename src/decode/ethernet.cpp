// SPDX-License-Identifier: MIT
// Ethernet II and IEEE 802.3 frame headers.
#include "step.hpp"

namespace pcapframe::detail {

constexpr std::size_t kEthernetHeaderLen = 14;

Step decode_ethernet(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kEthernetHeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedLink);

  out.has_mac_dst = out.has_mac_src = true;
  out.mac_dst = load_mac(h->first<6>());
  out.mac_src = load_mac(h->subspan<6, 6>());
  return step_for_type_or_length(load_be16(h->subspan<12, 2>()), in.subspan(kEthernetHeaderLen),
                                 out);
}

}  // namespace pcapframe::detail
