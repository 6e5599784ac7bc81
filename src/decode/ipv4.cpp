// SPDX-License-Identifier: MIT
// IPv4 header (RFC 791 §3.1), with options and fragments.
#include <algorithm>

#include "step.hpp"

namespace pcapframe::detail {

constexpr std::size_t kIpv4MinHeaderLen = 20;
constexpr unsigned kIpv4MinIhl = 5;                    // in 32-bit words
constexpr std::uint16_t kMoreFragmentsFlag = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1fff;  // in 8-byte units

Step decode_ipv4(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kIpv4MinHeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedIpv4);

  const std::uint8_t version_ihl = load_u8(h->first<1>());
  const std::size_t header_len = std::size_t{version_ihl & 0x0fu} * 4;
  const std::uint16_t total_len = load_be16(h->subspan<2, 2>());
  if (version_ihl >> 4 != 4 || header_len < kIpv4MinIhl * 4) return stop(Anomaly::BadIpv4Header);
  // A total length of 0 is what Linux writes for TCP segmentation offload; Wireshark then
  // uses the captured bytes, and so do we.
  if (total_len != 0 && total_len < header_len) return stop(Anomaly::BadIpv4Header);

  out.ttl = load_u8(h->subspan<8, 1>());
  out.ip_proto = load_u8(h->subspan<9, 1>());
  out.ip_src.version = out.ip_dst.version = 4;
  std::ranges::transform(h->subspan<12, 4>(), out.ip_src.bytes.begin(),
                         [](std::byte b) { return std::to_integer<std::uint8_t>(b); });
  std::ranges::transform(h->subspan<16, 4>(), out.ip_dst.bytes.begin(),
                         [](std::byte b) { return std::to_integer<std::uint8_t>(b); });

  const std::uint16_t flags_offset = load_be16(h->subspan<6, 2>());
  out.is_later_fragment = (flags_offset & kFragmentOffsetMask) != 0;
  out.is_fragment = out.is_later_fragment || (flags_offset & kMoreFragmentsFlag) != 0;

  if (in.size() < header_len) return stop(Anomaly::TruncatedIpv4);  // options cut short
  if (out.is_later_fragment) return stop();  // no transport header in this fragment
  // Bytes past the total length are link-layer padding.
  const Bytes datagram = total_len == 0 ? in : clamp_to(in, total_len);
  return step_for_ip_protocol(out.ip_proto, datagram.subspan(header_len));
}

}  // namespace pcapframe::detail
