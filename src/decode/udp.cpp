// SPDX-License-Identifier: MIT
// UDP header (RFC 768): ports and the payload its length field covers.
#include "step.hpp"

namespace pcapframe::detail {

constexpr std::size_t kUdpHeaderLen = 8;

Step decode_udp(Bytes in, PacketFields& out) noexcept {
  out.transport = Transport::Udp;
  const auto h = header<kUdpHeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedUdp);

  out.has_ports = true;
  out.port_src = load_be16(h->first<2>());
  out.port_dst = load_be16(h->subspan<2, 2>());
  const std::uint16_t length = load_be16(h->subspan<4, 2>());
  Bytes payload = in.subspan(kUdpHeaderLen);
  // A length below the header size is bogus (or 0 for jumbograms): keep what was captured.
  if (length >= kUdpHeaderLen) payload = clamp_to(payload, length - kUdpHeaderLen);
  return step_for_udp_ports(out.port_src, out.port_dst, payload);
}

}  // namespace pcapframe::detail
