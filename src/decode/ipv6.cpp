// SPDX-License-Identifier: MIT
// IPv6 header (RFC 8200 §3) and its extension-header chain (§4), walked with a bound.
#include <algorithm>

#include "pcapframe/decode.hpp"
#include "step.hpp"

namespace pcapframe::detail {

// File-local (internal linkage): ipv4.cpp has its own kFragmentOffsetMask.
namespace {
constexpr std::size_t kIpv6HeaderLen = 40;

// Extension headers with the generic "next header, length in 8-byte units - 1" layout
// (RFC 8200 §4.3-4.6, RFC 6275 mobility, RFC 7401 HIP, RFC 5533 shim6).
constexpr bool is_generic_extension(std::uint8_t next) noexcept {
  return next == 0 || next == 43 || next == 60 || next == 135 || next == 139 || next == 140;
}
constexpr std::uint8_t kFragmentHeader = 44;  // RFC 8200 §4.5, fixed 8 bytes
constexpr std::uint8_t kAuthHeader = 51;      // RFC 4302: length in 4-byte units - 2
constexpr std::size_t kFragmentHeaderLen = 8;
constexpr std::uint16_t kFragmentOffsetMask = 0xfff8;
}  // namespace

Step decode_ipv6(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kIpv6HeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedIpv6);
  if (load_u8(h->first<1>()) >> 4 != 6) return stop(Anomaly::UnknownNetwork);

  const std::uint16_t payload_len = load_be16(h->subspan<4, 2>());
  std::uint8_t next = load_u8(h->subspan<6, 1>());
  out.ttl = load_u8(h->subspan<7, 1>());
  out.ip_src.version = out.ip_dst.version = 6;
  std::ranges::transform(h->subspan<8, 16>(), out.ip_src.bytes.begin(),
                         [](std::byte b) { return std::to_integer<std::uint8_t>(b); });
  std::ranges::transform(h->subspan<24, 16>(), out.ip_dst.bytes.begin(),
                         [](std::byte b) { return std::to_integer<std::uint8_t>(b); });

  // A payload length of 0 means a jumbogram (RFC 2675) or TSO: use what was captured.
  Bytes rest = in.subspan(kIpv6HeaderLen);
  if (payload_len != 0) rest = clamp_to(rest, payload_len);

  for (int count = 0;; ++count) {
    out.ip_proto = next;
    const bool generic = is_generic_extension(next);
    if (!generic && next != kFragmentHeader && next != kAuthHeader)
      return step_for_ip_protocol(next, rest);
    if (count == kMaxIpv6ExtensionHeaders) return stop(Anomaly::TooManyIpv6Headers);

    const auto ext = header<2>(rest);
    if (!ext) return stop(Anomaly::TruncatedIpv6);
    const std::uint8_t ext_next = load_u8(ext->first<1>());
    const std::size_t units = load_u8(ext->subspan<1, 1>());
    std::size_t ext_len = generic ? (units + 1) * 8 : kFragmentHeaderLen;
    if (next == kAuthHeader) ext_len = (units + 2) * 4;
    if (rest.size() < ext_len) return stop(Anomaly::TruncatedIpv6);

    if (next == kFragmentHeader) {
      const std::uint16_t offset_flags = load_be16(rest.subspan(2).first<2>());
      out.is_fragment = true;
      out.is_later_fragment = (offset_flags & kFragmentOffsetMask) != 0;
      if (out.is_later_fragment) {
        out.ip_proto = ext_next;
        return stop();
      }
    }
    next = ext_next;
    rest = rest.subspan(ext_len);
  }
}

}  // namespace pcapframe::detail
