// SPDX-License-Identifier: MIT
// DnsRecordCursor: the answer, authority and additional records of a DNS message
// (RFC 1035 §4.1.3), for the analyses that need more than the first answer's name.
#include "bytes.hpp"
#include "pcapframe/decode.hpp"

namespace pcapframe {

namespace {
constexpr std::size_t kDnsHeaderLen = 12;
constexpr std::size_t kQuestionFixedLen = 4;  // QTYPE, QCLASS
constexpr std::size_t kRecordFixedLen = 10;   // TYPE, CLASS, TTL, RDLENGTH
constexpr std::size_t kIpv4Len = 4;
constexpr std::size_t kIpv6Len = 16;
}  // namespace

DnsRecordCursor::DnsRecordCursor(Bytes message) noexcept : message_(message) {
  using detail::load_be16;
  const auto h = detail::header<kDnsHeaderLen>(message);
  if (!h) {
    anomaly_ = Anomaly::TruncatedDns;
    return;
  }
  const std::uint16_t questions = load_be16(h->subspan<4, 2>());
  remaining_[0] = load_be16(h->subspan<6, 2>());
  remaining_[1] = load_be16(h->subspan<8, 2>());
  remaining_[2] = load_be16(h->subspan<10, 2>());
  pos_ = kDnsHeaderLen;
  for (std::uint32_t index = 0; index < questions; ++index) {
    DnsName ignored;
    if (const Anomaly a = decode_dns_name(message_, pos_, ignored, pos_); a != Anomaly::None) {
      anomaly_ = a;
      return;
    }
    if (message_.size() - pos_ < kQuestionFixedLen) {
      anomaly_ = Anomaly::TruncatedDns;
      return;
    }
    pos_ += kQuestionFixedLen;
  }
}

bool DnsRecordCursor::next(DnsRecord& record) noexcept {
  using detail::load_be16;
  using detail::load_be32;
  if (anomaly_ != Anomaly::None) return false;
  while (section_ < 3 && remaining_[section_] == 0) ++section_;
  if (section_ == 3) return false;
  --remaining_[section_];

  record = DnsRecord{};
  record.section = static_cast<DnsRecord::Section>(section_);
  if (const Anomaly a = decode_dns_name(message_, pos_, record.owner, pos_); a != Anomaly::None) {
    anomaly_ = a;
    return false;
  }
  const auto fixed = detail::header<kRecordFixedLen>(message_.subspan(pos_));
  if (!fixed) {
    anomaly_ = Anomaly::TruncatedDns;
    return false;
  }
  record.type = load_be16(fixed->first<2>());
  record.rr_class = load_be16(fixed->subspan<2, 2>());
  record.ttl = load_be32(fixed->subspan<4, 4>());
  const std::size_t rdata_len = load_be16(fixed->subspan<8, 2>());
  const std::size_t rdata_at = pos_ + kRecordFixedLen;
  if (message_.size() - rdata_at < rdata_len) {
    anomaly_ = Anomaly::TruncatedDns;
    return false;
  }
  const Bytes rdata = message_.subspan(rdata_at, rdata_len);
  pos_ = rdata_at + rdata_len;

  const auto copy_address = [&](std::uint8_t version, std::size_t len) {
    record.address.version = version;
    for (std::size_t i = 0; i < len; ++i) record.address.bytes[i] = std::to_integer<std::uint8_t>(rdata[i]);
  };
  if (record.type == dns_type::kA && rdata_len == kIpv4Len) {
    copy_address(4, kIpv4Len);
  } else if (record.type == dns_type::kAaaa && rdata_len == kIpv6Len) {
    copy_address(6, kIpv6Len);
  } else if (record.type == dns_type::kCname || record.type == dns_type::kPtr ||
             record.type == dns_type::kNs) {
    // The target may use compression pointers into the whole message.
    std::size_t after = 0;
    if (decode_dns_name(message_, rdata_at, record.target, after) != Anomaly::None)
      record.target = DnsName{};
  }
  return true;
}

}  // namespace pcapframe
