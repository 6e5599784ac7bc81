// SPDX-License-Identifier: MIT
// ICMP (RFC 792) and ICMPv6 (RFC 4443): type and code. The walk ends here: an error's
// payload quotes another packet, whose addresses and ports are not this frame's.
#include "step.hpp"

namespace pcapframe::detail {

constexpr std::size_t kIcmpTypeCodeLen = 2;

namespace {
Step decode_type_code(Bytes in, PacketFields& out) noexcept {
  out.transport = Transport::Icmp;
  const auto h = header<kIcmpTypeCodeLen>(in);
  if (!h) return stop(Anomaly::TruncatedIcmp);
  out.icmp_type = load_u8(h->first<1>());
  out.icmp_code = load_u8(h->subspan<1, 1>());
  return stop();
}
}  // namespace

Step decode_icmp(Bytes in, PacketFields& out) noexcept { return decode_type_code(in, out); }
Step decode_icmpv6(Bytes in, PacketFields& out) noexcept { return decode_type_code(in, out); }

}  // namespace pcapframe::detail
