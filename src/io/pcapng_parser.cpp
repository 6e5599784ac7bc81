// SPDX-License-Identifier: MIT
// The pcapng format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html):
// blocks of type, length, body and the length again; sections with their own byte order.
#include "pcapng_parser.hpp"

#include <string>

#include "../decode/bytes.hpp"

namespace pcapframe::detail {
namespace {

// Block types (§4 and §11.1).
constexpr std::uint32_t kSectionHeader = 0x0a0d0d0a;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kObsoletePacket = 0x00000002;
constexpr std::uint32_t kSimplePacket = 0x00000003;
constexpr std::uint32_t kNameResolution = 0x00000004;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;

constexpr std::uint32_t kByteOrderMagic = 0x1a2b3c4d;
constexpr std::uint16_t kSupportedMajor = 1;
constexpr std::size_t kMinBlockLen = 12;       // type, length, trailing length
constexpr std::size_t kSectionFixedLen = 16;   // byte-order magic .. section length
constexpr std::size_t kInterfaceFixedLen = 8;  // link type, reserved, snaplen
constexpr std::size_t kEnhancedFixedLen = 20;  // interface .. original length
constexpr std::size_t kObsoleteFixedLen = kEnhancedFixedLen;
constexpr std::size_t kSimpleFixedLen = 4;     // original length

// Option codes (§4.2 for interfaces).
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptIfName = 2;
constexpr std::uint16_t kOptIfDescription = 3;
constexpr std::uint16_t kOptIfTsresol = 9;
constexpr std::uint16_t kOptIfTsoffset = 14;

// Name Resolution Block record types (§4.5).
constexpr std::uint16_t kNrbEnd = 0;
constexpr std::uint16_t kNrbIpv4 = 1;
constexpr std::uint16_t kNrbIpv6 = 2;

constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;

constexpr std::size_t padded4(std::size_t n) noexcept { return (n + 3) & ~std::size_t{3}; }

bool is_packet_block(std::uint32_t type) noexcept {
  return type == kEnhancedPacket || type == kSimplePacket || type == kObsoletePacket;
}

std::string text_of(Bytes value) {
  std::string out;
  for (const std::byte b : value) {
    if (b == std::byte{0}) break;  // strings may be zero-terminated inside their length
    out += static_cast<char>(std::to_integer<unsigned char>(b));
  }
  return out;
}

}  // namespace

bool PcapngParser::is_magic(Bytes head) noexcept {
  const auto h = header<4>(head);
  return h && load_le32(*h) == kSectionHeader;
}

std::uint16_t PcapngParser::load16(Bytes at) const noexcept {
  return big_endian_ ? load_be16(at.first<2>()) : load_le16(at.first<2>());
}
std::uint32_t PcapngParser::load32(Bytes at) const noexcept {
  return big_endian_ ? load_be32(at.first<4>()) : load_le32(at.first<4>());
}
std::uint64_t PcapngParser::load64(Bytes at) const noexcept {
  const std::uint64_t first = load32(at);
  const std::uint64_t second = load32(at.subspan(4));
  return big_endian_ ? first << 32 | second : second << 32 | first;
}

ParseStep PcapngParser::fail(ErrorCode code, std::string detail) {
  failure_ = {code, std::move(detail)};
  return {ParseStep::Kind::Fail, 0};
}

ParseStep PcapngParser::next(Bytes in, Record& record) {
  if (in.size() < kBlockHeaderLen) return {ParseStep::Kind::NeedMore, kBlockHeaderLen};

  // The section header's type reads the same in both byte orders; its byte-order magic
  // then says how to read its length and everything up to the next section.
  const bool section = load_le32(in.first<4>()) == kSectionHeader;
  if (section) {
    if (in.size() < kBlockHeaderLen + 4) return {ParseStep::Kind::NeedMore, kBlockHeaderLen + 4};
    const std::uint32_t magic_le = load_le32(in.subspan(8).first<4>());
    if (magic_le == kByteOrderMagic) {
      big_endian_ = false;
    } else if (load_be32(in.subspan(8).first<4>()) == kByteOrderMagic) {
      big_endian_ = true;
    } else {
      return fail(ErrorCode::CorruptRecord, "section header with an unknown byte-order magic");
    }
  } else if (section_count_ == 0) {
    return fail(ErrorCode::CorruptRecord, "pcapng data before any section header");
  }

  const std::uint32_t type = load32(in);
  const std::size_t length = load32(in.subspan(4));
  if (length < kMinBlockLen) {
    return fail(ErrorCode::CorruptRecord,
                "block length " + std::to_string(length) + " is below the minimum of 12");
  }
  if (length % 4 != 0) {
    return fail(ErrorCode::CorruptRecord,
                "block length " + std::to_string(length) + " is not a multiple of 4");
  }
  if (length > kMaxBufferedBlock) {
    if (section || type == kInterfaceDescription || is_packet_block(type)) {
      return fail(ErrorCode::CorruptRecord, "block length " + std::to_string(length) +
                                                " is above the maximum of " +
                                                std::to_string(kMaxBufferedBlock));
    }
    return {ParseStep::Kind::Skip, length};  // a block we do not read: stream past it
  }
  if (in.size() < length) return {ParseStep::Kind::NeedMore, length};

  const Bytes block = in.first(length);
  if (const std::uint32_t trailer = load32(block.last(4)); trailer != length) {
    return fail(ErrorCode::CorruptRecord, "block length " + std::to_string(length) +
                                              " differs from its trailing copy " +
                                              std::to_string(trailer));
  }
  const Bytes body = block.subspan(kBlockHeaderLen, length - kMinBlockLen);
  ParseStep step{ParseStep::Kind::Skip, length};
  switch (type) {
    case kSectionHeader: step = parse_section_header(body); break;
    case kInterfaceDescription: step = parse_interface(body); break;
    case kEnhancedPacket: step = parse_enhanced_packet(body, record); break;
    case kSimplePacket: step = parse_simple_packet(body, record); break;
    case kObsoletePacket: step = parse_obsolete_packet(body, record); break;
    case kNameResolution: parse_name_resolution(body); break;
    default: break;  // statistics, custom, decryption secrets, unknown: skipped by length
  }
  if (step.kind != ParseStep::Kind::Fail) step.size = length;
  return step;
}

ParseStep PcapngParser::parse_section_header(Bytes body) {
  if (body.size() < kSectionFixedLen) {
    return fail(ErrorCode::CorruptRecord, "section header block is too short");
  }
  const std::uint16_t major = load16(body.subspan(4));
  const std::uint16_t minor = load16(body.subspan(6));
  if (major != kSupportedMajor) {
    return fail(ErrorCode::UnsupportedVersion, "pcapng version " + std::to_string(major) + "." +
                                                   std::to_string(minor) +
                                                   " is not supported (only 1.x)");
  }
  if (section_count_ == 0) {
    version_major_ = major;
    version_minor_ = minor;
    first_big_endian_ = big_endian_;
  }
  ++section_count_;
  interfaces_.clear();  // interface ids restart in every section
  return {ParseStep::Kind::Skip, 0};
}

ParseStep PcapngParser::parse_interface(Bytes body) {
  if (body.size() < kInterfaceFixedLen) {
    return fail(ErrorCode::CorruptRecord, "interface description block is too short");
  }
  PcapngInterface iface;
  InterfaceInfo info;
  iface.global_index = static_cast<std::uint32_t>(all_interfaces_.size());
  iface.link = static_cast<LinkType>(load16(body));
  iface.snaplen = load32(body.subspan(4));

  for (Bytes options = body.subspan(kInterfaceFixedLen); options.size() >= 4;) {
    const std::uint16_t code = load16(options);
    const std::size_t value_len = load16(options.subspan(2));
    if (code == kOptEnd || options.size() - 4 < value_len) break;
    const Bytes value = options.subspan(4, value_len);
    if (code == kOptIfTsresol && value_len >= 1) {
      const unsigned resolution = std::to_integer<unsigned>(value[0]);
      const unsigned exponent = resolution & 0x7fu;
      if ((resolution & 0x80u) != 0) {  // a negative power of two
        if (exponent > 63) return fail(ErrorCode::CorruptRecord, "if_tsresol 2^-" + std::to_string(exponent) + " is out of range");
        iface.units_per_second = std::uint64_t{1} << exponent;
      } else {  // a negative power of ten
        if (exponent > 19) return fail(ErrorCode::CorruptRecord, "if_tsresol 10^-" + std::to_string(exponent) + " is out of range");
        iface.units_per_second = 1;
        for (unsigned i = 0; i < exponent; ++i) iface.units_per_second *= 10;
      }
    } else if (code == kOptIfTsoffset && value_len >= 8) {
      iface.offset_s = static_cast<std::int64_t>(load64(value));
    } else if (code == kOptIfName) {
      info.name = text_of(value);
    } else if (code == kOptIfDescription) {
      info.description = text_of(value);
    }
    options = options.subspan(std::min(options.size(), 4 + padded4(value_len)));
  }
  info.link = iface.link;
  info.snaplen = iface.snaplen;
  info.units_per_second = iface.units_per_second;
  info.offset_s = iface.offset_s;
  interfaces_.push_back(iface);
  all_interfaces_.push_back(std::move(info));
  return {ParseStep::Kind::Skip, 0};
}

const PcapngInterface* PcapngParser::interface(std::uint32_t id) const noexcept {
  return id < interfaces_.size() ? &interfaces_[id] : nullptr;
}

std::int64_t PcapngParser::to_ns(const PcapngInterface& iface, std::uint64_t ticks) const noexcept {
  // Unsigned arithmetic: a corrupt timestamp wraps instead of overflowing.
  const std::uint64_t ups = iface.units_per_second;
  std::uint64_t ns;
  if (ups == kNanosPerSecond) {
    ns = ticks;
  } else {
    const std::uint64_t seconds = ticks / ups;
    const std::uint64_t rest = ticks % ups;
    // rest * 1e9 fits 64 bits while ups <= 2^64 / 1e9; finer clocks take the long double path.
    const bool fits = ups <= UINT64_MAX / kNanosPerSecond;
    const std::uint64_t fraction_ns =
        fits ? rest * kNanosPerSecond / ups
             : static_cast<std::uint64_t>(static_cast<long double>(rest) * 1e9L /
                                          static_cast<long double>(ups));
    ns = seconds * kNanosPerSecond + fraction_ns;
  }
  ns += static_cast<std::uint64_t>(iface.offset_s) * kNanosPerSecond;
  return static_cast<std::int64_t>(ns);
}

// The enhanced and the obsolete packet block share their layout after the interface id
// (32 bits in an EPB; 16 bits and a drop count in a PB): timestamp high and low, captured
// and original length, data.
ParseStep PcapngParser::parse_timed_packet(Bytes body, Record& record, std::uint32_t id) {
  const PcapngInterface* iface = interface(id);
  if (iface == nullptr) {
    return fail(ErrorCode::CorruptRecord, "packet for interface " + std::to_string(id) +
                                              ", but the section defines " +
                                              std::to_string(interfaces_.size()));
  }
  const std::uint64_t ticks = std::uint64_t{load32(body.subspan(4))} << 32 | load32(body.subspan(8));
  const std::uint32_t caplen = load32(body.subspan(12));
  if (caplen > kMaxCaplen || caplen > body.size() - kEnhancedFixedLen) {
    return fail(ErrorCode::CorruptRecord, "captured length " + std::to_string(caplen) +
                                              " does not fit its block");
  }
  record.ts_ns = to_ns(*iface, ticks);
  record.caplen = caplen;
  record.origlen = load32(body.subspan(16));
  record.link = iface->link;
  record.iface = iface->global_index;
  record.bytes = body.subspan(kEnhancedFixedLen, caplen);
  return {ParseStep::Kind::Record, 0};
}

ParseStep PcapngParser::parse_enhanced_packet(Bytes body, Record& record) {
  if (body.size() < kEnhancedFixedLen) {
    return fail(ErrorCode::CorruptRecord, "enhanced packet block is too short");
  }
  return parse_timed_packet(body, record, load32(body));
}

ParseStep PcapngParser::parse_simple_packet(Bytes body, Record& record) {
  const PcapngInterface* iface = interface(0);
  if (iface == nullptr) {
    return fail(ErrorCode::CorruptRecord, "simple packet block before any interface");
  }
  if (body.size() < kSimpleFixedLen) {
    return fail(ErrorCode::CorruptRecord, "simple packet block is too short");
  }
  // §4.4: the captured length is the smaller of the original length and the snaplen;
  // the block's size bounds it too.
  const std::uint32_t origlen = load32(body);
  std::size_t caplen = std::min<std::size_t>(origlen, body.size() - kSimpleFixedLen);
  if (iface->snaplen != 0) caplen = std::min<std::size_t>(caplen, iface->snaplen);
  caplen = std::min<std::size_t>(caplen, kMaxCaplen);
  record.ts_ns = 0;  // a simple packet carries no timestamp
  record.caplen = static_cast<std::uint32_t>(caplen);
  record.origlen = origlen;
  record.link = iface->link;
  record.iface = iface->global_index;
  record.bytes = body.subspan(kSimpleFixedLen, caplen);
  return {ParseStep::Kind::Record, 0};
}

ParseStep PcapngParser::parse_obsolete_packet(Bytes body, Record& record) {
  if (body.size() < kObsoleteFixedLen) {
    return fail(ErrorCode::CorruptRecord, "packet block is too short");
  }
  return parse_timed_packet(body, record, load16(body));
}

void PcapngParser::parse_name_resolution(Bytes body) {
  while (body.size() >= 4) {
    const std::uint16_t type = load16(body);
    const std::size_t value_len = load16(body.subspan(2));
    if (type == kNrbEnd || body.size() - 4 < value_len) return;
    const Bytes value = body.subspan(4, value_len);
    const std::size_t address_len = type == kNrbIpv4 ? 4 : type == kNrbIpv6 ? 16 : 0;
    if (address_len != 0 && value.size() > address_len) {
      NameRecord entry;
      entry.ip_version = type == kNrbIpv4 ? 4 : 6;
      for (std::size_t i = 0; i < address_len; ++i)
        entry.address[i] = std::to_integer<std::uint8_t>(value[i]);
      // One address may carry several zero-terminated names.
      Bytes names = value.subspan(address_len);
      while (!names.empty() && names_.size() < kMaxNameRecords) {
        std::string name = text_of(names);
        const std::size_t used = std::min(names.size(), name.size() + 1);
        if (!name.empty()) {
          entry.name = std::move(name);
          names_.push_back(entry);
        }
        names = names.subspan(used);
      }
    }
    body = body.subspan(std::min(body.size(), 4 + padded4(value_len)));
  }
}

void PcapngParser::describe(CaptureInfo& info) const {
  info.format = CaptureFormat::Pcapng;
  info.big_endian = first_big_endian_;
  info.version_major = version_major_;
  info.version_minor = version_minor_;
  if (!all_interfaces_.empty()) {
    info.link = all_interfaces_.front().link;
    info.snaplen = all_interfaces_.front().snaplen;
    info.nanosecond = all_interfaces_.front().units_per_second > 1'000'000;
  }
}

bool PcapngParser::starts_with_packet_block(Bytes in) const noexcept {
  if (in.size() < 4 || section_count_ == 0) return false;
  return is_packet_block(load32(in));
}

}  // namespace pcapframe::detail
