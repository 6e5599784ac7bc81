// SPDX-License-Identifier: MIT
// The classic pcap format: 24-byte file header, then records of a 16-byte header and the
// captured bytes (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html).
#include "pcap_parser.hpp"

#include <string>

#include "../decode/bytes.hpp"

namespace pcapframe::detail {
namespace {

// Magic numbers as read little-endian from the first four bytes.
constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kMagicNano = 0xa1b23c4d;
constexpr std::uint32_t kMagicModified = 0xa1b2cd34;  // Kuznetzov's patched libpcap
constexpr std::uint32_t kMagicMicroSwapped = 0xd4c3b2a1;
constexpr std::uint32_t kMagicNanoSwapped = 0x4d3cb2a1;
constexpr std::uint32_t kMagicModifiedSwapped = 0x34cdb2a1;

constexpr std::uint16_t kSupportedMajor = 2;
constexpr std::size_t kRecordHeaderLen = 16;
// The modified format appends ifindex (4), protocol (2), pkt_type (1) and padding (1).
constexpr std::size_t kModifiedRecordHeaderLen = 24;
// Bits 0-15 of the header's link-type field; higher bits carry FCS information.
constexpr std::uint32_t kLinkTypeMask = 0xffff;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kNanosPerMicro = 1'000;

}  // namespace

bool PcapParser::is_magic(std::uint32_t magic_le) noexcept {
  switch (magic_le) {
    case kMagicMicro:
    case kMagicNano:
    case kMagicModified:
    case kMagicMicroSwapped:
    case kMagicNanoSwapped:
    case kMagicModifiedSwapped: return true;
    default: return false;
  }
}

std::uint32_t PcapParser::load32(Bytes at) const noexcept {
  const auto four = at.first<4>();
  return big_endian_ ? load_be32(four) : load_le32(four);
}

ParseStep PcapParser::parse_header(Bytes in, CaptureInfo& info) {
  const auto h = header<kFileHeaderLen>(in);
  if (!h) return {ParseStep::Kind::NeedMore, kFileHeaderLen};

  const std::uint32_t magic = load_le32(h->first<4>());
  big_endian_ = magic == kMagicMicroSwapped || magic == kMagicNanoSwapped ||
                magic == kMagicModifiedSwapped;
  nanosecond_ = magic == kMagicNano || magic == kMagicNanoSwapped;
  const bool modified = magic == kMagicModified || magic == kMagicModifiedSwapped;
  if (!is_magic(magic)) {
    failure_ = {ErrorCode::NotACapture, "not a pcap file"};
    return {ParseStep::Kind::Fail, 0};
  }
  record_header_len_ = modified ? kModifiedRecordHeaderLen : kRecordHeaderLen;

  const auto load16 = [&](std::span<const std::byte, 2> b) {
    return big_endian_ ? load_be16(b) : load_le16(b);
  };
  info.format = modified ? CaptureFormat::PcapModified : CaptureFormat::Pcap;
  info.big_endian = big_endian_;
  info.nanosecond = nanosecond_;
  info.version_major = load16(h->subspan<4, 2>());
  info.version_minor = load16(h->subspan<6, 2>());
  info.snaplen = load32(in.subspan(16));
  link_ = static_cast<LinkType>(load32(in.subspan(20)) & kLinkTypeMask);
  info.link = link_;
  if (info.version_major != kSupportedMajor) {
    failure_ = {ErrorCode::UnsupportedVersion,
                "pcap version " + std::to_string(info.version_major) + "." +
                    std::to_string(info.version_minor) + " is not supported (only 2.x)"};
    return {ParseStep::Kind::Fail, 0};
  }
  return {ParseStep::Kind::Skip, kFileHeaderLen};
}

ParseStep PcapParser::next(Bytes in, Record& record) {
  if (in.size() < record_header_len_) return {ParseStep::Kind::NeedMore, record_header_len_};

  // The record header's four fields, with the byte order decided once rather than per field
  // (this is the hottest loop of every read).
  const auto h = in.first<kRecordHeaderLen>();
  const auto field = [&](auto four) { return big_endian_ ? load_be32(four) : load_le32(four); };
  const std::uint32_t seconds = field(h.subspan<0, 4>());
  const std::uint32_t fraction = field(h.subspan<4, 4>());
  const std::uint32_t caplen = field(h.subspan<8, 4>());
  const std::uint32_t origlen = field(h.subspan<12, 4>());
  if (caplen > kMaxCaplen) {
    failure_ = {ErrorCode::CorruptRecord, "captured length " + std::to_string(caplen) +
                                              " is above the maximum of " +
                                              std::to_string(kMaxCaplen)};
    return {ParseStep::Kind::Fail, 0};
  }
  const std::size_t total = record_header_len_ + caplen;
  if (in.size() < total) return {ParseStep::Kind::NeedMore, total};

  record.ts_ns = std::int64_t{seconds} * kNanosPerSecond +
                 (nanosecond_ ? std::int64_t{fraction} : std::int64_t{fraction} * kNanosPerMicro);
  record.caplen = caplen;
  record.origlen = origlen;
  record.link = link_;
  record.iface = 0;
  record.bytes = in.subspan(record_header_len_, caplen);
  return {ParseStep::Kind::Record, total};
}

}  // namespace pcapframe::detail
