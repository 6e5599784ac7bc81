// SPDX-License-Identifier: MIT
// DNS name decoding (RFC 1035 §3.1, §4.1.4): labels, compression pointers, loop-proof.
#include "bytes.hpp"
#include "pcapframe/decode.hpp"

namespace pcapframe {

namespace {
constexpr unsigned kMaxLabelLen = 63;         // RFC 1035 §2.3.4
constexpr std::size_t kMaxNameWireLen = 255;  // RFC 1035 §2.3.4, octets on the wire
constexpr unsigned kLabelTypeMask = 0xc0;
constexpr unsigned kPointerType = 0xc0;
// Each pointer must lead to at least one new label before the name grows past 255 bytes,
// but a chain of pointers to pointers adds none; this bounds such chains.
constexpr int kMaxPointers = 64;
}  // namespace

Anomaly decode_dns_name(Bytes message, std::size_t offset, DnsName& out,
                        std::size_t& next_offset) noexcept {
  using detail::byte_at;
  out = DnsName{};
  std::size_t pos = offset;
  std::size_t wire_len = 1;  // the terminating zero octet
  std::size_t text_len = 0;
  bool jumped = false;
  int pointers = 0;

  for (;;) {
    if (pos >= message.size()) return Anomaly::TruncatedDns;
    const unsigned len = byte_at(message, pos);
    if ((len & kLabelTypeMask) == kPointerType) {
      if (pos + 1 >= message.size()) return Anomaly::TruncatedDns;
      if (!jumped) next_offset = pos + 2;
      jumped = true;
      if (++pointers > kMaxPointers) return Anomaly::BadDnsName;
      pos = (std::size_t{len} & 0x3fu) << 8 | byte_at(message, pos + 1);
      continue;
    }
    if ((len & kLabelTypeMask) != 0) return Anomaly::BadDnsName;  // 0x40/0x80: obsolete types
    if (len == 0) break;
    if (len > kMaxLabelLen) return Anomaly::BadDnsName;  // cannot happen in 6 bits; the rule's home
    wire_len += len + 1;
    if (wire_len > kMaxNameWireLen) return Anomaly::BadDnsName;
    if (pos + 1 + len > message.size()) return Anomaly::TruncatedDns;
    for (std::size_t i = 0; i < len; ++i)
      out.text[text_len++] = static_cast<char>(byte_at(message, pos + 1 + i));
    out.text[text_len++] = '.';
    pos += 1 + len;
  }
  if (!jumped) next_offset = pos + 1;
  if (text_len == 0) out.text[text_len++] = '.';  // the root name
  out.length = static_cast<std::uint8_t>(text_len);
  return Anomaly::None;
}

}  // namespace pcapframe
