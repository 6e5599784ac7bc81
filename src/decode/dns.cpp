// SPDX-License-Identifier: MIT
// DNS message (RFC 1035 §4.1): header, the first question's name, the first answer's owner.
#include "pcapframe/decode.hpp"
#include "step.hpp"

namespace pcapframe::detail {

constexpr std::size_t kDnsHeaderLen = 12;
constexpr std::size_t kQuestionFixedLen = 4;  // QTYPE, QCLASS
constexpr std::size_t kAnswerFixedLen = 10;   // TYPE, CLASS, TTL, RDLENGTH
constexpr std::uint16_t kQrFlag = 0x8000;
constexpr std::uint16_t kRcodeMask = 0x000f;

namespace {
// Skip one name without decompressing it: labels until a zero octet or a pointer.
bool skip_name(Bytes message, std::size_t& pos) noexcept {
  for (;;) {
    if (pos >= message.size()) return false;
    const unsigned len = byte_at(message, pos);
    if ((len & 0xc0u) == 0xc0u) {
      pos += 2;
      return pos <= message.size();
    }
    if ((len & 0xc0u) != 0) return false;
    pos += 1 + len;
    if (len == 0) return pos <= message.size();
  }
}
}  // namespace

Step decode_dns(Bytes in, PacketFields& out, std::size_t offset_in_frame) noexcept {
  const auto h = header<kDnsHeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedDns);

  const std::uint16_t flags = load_be16(h->subspan<2, 2>());
  out.dns_message = true;
  out.dns_offset = static_cast<std::uint32_t>(offset_in_frame);
  out.dns_length = static_cast<std::uint32_t>(in.size());
  out.dns_id = load_be16(h->first<2>());
  out.dns_is_response = (flags & kQrFlag) != 0;
  out.dns_rcode = static_cast<std::uint8_t>(flags & kRcodeMask);
  out.dns_question_count = load_be16(h->subspan<4, 2>());
  out.dns_answer_count = load_be16(h->subspan<6, 2>());

  std::size_t pos = kDnsHeaderLen;
  for (std::uint32_t index = 0; index < out.dns_question_count; ++index) {
    if (index == 0) {
      DnsName name;
      if (const Anomaly a = decode_dns_name(in, pos, name, pos); a != Anomaly::None)
        return stop(a);
      if (in.size() - pos < kQuestionFixedLen) return stop(Anomaly::TruncatedDns);
      out.dns_query = name;
      out.dns_query_type = load_be16(in.subspan(pos).first<2>());
    } else if (!skip_name(in, pos) || in.size() - pos < kQuestionFixedLen) {
      return stop(Anomaly::TruncatedDns);
    }
    pos += kQuestionFixedLen;
  }
  if (out.dns_answer_count > 0) {
    DnsName owner;
    if (const Anomaly a = decode_dns_name(in, pos, owner, pos); a != Anomaly::None)
      return stop(a);
    // Like a question, an answer counts once its fixed fields are there too; its RDATA may
    // be cut (a short snaplen) without hiding the owner name.
    if (in.size() - pos < kAnswerFixedLen) return stop(Anomaly::TruncatedDns);
    out.dns_answer = owner;
  }
  return stop();
}

}  // namespace pcapframe::detail
