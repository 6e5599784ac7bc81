// SPDX-License-Identifier: MIT
// TCP header (RFC 9293 §3.1): ports, flags, and the payload after the options.
#include "step.hpp"

namespace pcapframe::detail {

constexpr std::size_t kTcpMinHeaderLen = 20;
constexpr unsigned kTcpMinDataOffset = 5;  // in 32-bit words

Step decode_tcp(Bytes in, PacketFields& out) noexcept {
  out.transport = Transport::Tcp;
  const auto h = header<kTcpMinHeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedTcp);

  out.has_ports = true;
  out.port_src = load_be16(h->first<2>());
  out.port_dst = load_be16(h->subspan<2, 2>());
  out.tcp_flags = load_u8(h->subspan<13, 1>());
  const std::size_t header_len = std::size_t{load_u8(h->subspan<12, 1>())} >> 4 << 2;
  if (header_len < kTcpMinDataOffset * 4) return stop(Anomaly::BadTcpHeader);
  if (in.size() < header_len) return stop(Anomaly::TruncatedTcp);
  return step_for_tcp_ports(out.port_src, out.port_dst, in.subspan(header_len));
}

}  // namespace pcapframe::detail
