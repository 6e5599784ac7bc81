// SPDX-License-Identifier: MIT
// PcapWriter: classic pcap files built in memory for tests (header-only).
//
//   const auto bytes = PcapWriter().nanosecond().big_endian()
//                          .add(1'600'000'000'123'456'789, frame)
//                          .add(ts, frame, {.origlen = 1514})
//                          .bytes();
//   auto reader = CaptureReader::open_memory(bytes);
//
// Every header field can be chosen, including impossible ones (a caplen that disagrees with
// the bytes that follow), so tests can build corrupt captures too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/bytes.hpp"

namespace pcapframe::test {

/// Write `data` to `path` (for the few tests where a file path is the point).
inline void write_file(const std::string& path, std::span<const std::byte> data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

/// Per-record overrides for building odd or corrupt records, set by chaining:
/// `RecordOptions().origlen(1514).caplen(0xffffffff)`.
struct RecordOptions {
  /// Wire length in the header; default: the frame's size.
  RecordOptions& origlen(std::uint32_t value) { origlen_value = value; return *this; }
  /// Captured length in the header (the bytes written stay the frame); default: its size.
  RecordOptions& caplen(std::uint32_t value) { caplen_value = value; return *this; }
  /// Modified pcap only: interface index, protocol and packet type.
  RecordOptions& modified_fields(std::uint32_t ifindex_, std::uint16_t protocol_,
                                 std::uint8_t pkt_type_) {
    ifindex = ifindex_;
    protocol = protocol_;
    pkt_type = pkt_type_;
    return *this;
  }

  std::optional<std::uint32_t> origlen_value;
  std::optional<std::uint32_t> caplen_value;
  std::uint32_t ifindex = 0;
  std::uint16_t protocol = 0;
  std::uint8_t pkt_type = 0;
};

class PcapWriter {
 public:
  static constexpr std::uint32_t kMagicMicro = 0xa1b2c3d4;
  static constexpr std::uint32_t kMagicNano = 0xa1b23c4d;
  static constexpr std::uint32_t kMagicModified = 0xa1b2cd34;  // Kuznetzov, microseconds

  /// Microsecond timestamps (magic a1b2c3d4), the default.
  PcapWriter& microsecond() { magic_ = kMagicMicro; return *this; }
  /// Nanosecond timestamps (magic a1b23c4d).
  PcapWriter& nanosecond() { magic_ = kMagicNano; return *this; }
  /// Kuznetzov's modified pcap: magic a1b2cd34, 24-byte record headers, microseconds.
  PcapWriter& modified() { magic_ = kMagicModified; return *this; }
  /// Any 32-bit magic value (written in the chosen byte order).
  PcapWriter& magic(std::uint32_t value) { magic_ = value; return *this; }
  PcapWriter& big_endian(bool on = true) { big_endian_ = on; return *this; }
  PcapWriter& version(std::uint16_t major, std::uint16_t minor) {
    major_ = major;
    minor_ = minor;
    return *this;
  }
  PcapWriter& snaplen(std::uint32_t value) { snaplen_ = value; return *this; }
  /// The whole 32-bit link-type field (upper bits may carry FCS information).
  PcapWriter& link(std::uint32_t value) { link_ = value; return *this; }

  /// Add a record captured at `ts_ns`. With microsecond magics the fraction is truncated to
  /// microseconds, as a writer would. A caplen override changes the header only: the bytes
  /// written are always `frame`.
  PcapWriter& add(std::int64_t ts_ns, std::span<const std::byte> frame, RecordOptions options = {}) {
    records_.push_back(Pending{ts_ns, std::vector<std::byte>(frame.begin(), frame.end()), options});
    return *this;
  }
  /// Add raw bytes after the records written so far (garbage, a partial header).
  PcapWriter& raw(std::span<const std::byte> bytes) {
    records_.push_back(Pending{0, std::vector<std::byte>(bytes.begin(), bytes.end()), {}, true});
    return *this;
  }

  bool is_modified() const noexcept { return magic_ == kMagicModified; }
  std::size_t record_header_len() const noexcept { return is_modified() ? 24 : 16; }
  static constexpr std::size_t kFileHeaderLen = 24;

  /// The capture as bytes.
  std::vector<std::byte> bytes() const {
    std::vector<std::byte> out;
    std::size_t total = kFileHeaderLen;
    for (const Pending& p : records_) total += (p.raw ? 0 : record_header_len()) + p.data.size();
    out.reserve(total);
    put32(out, magic_);
    put16(out, major_);
    put16(out, minor_);
    put32(out, 0);  // thiszone
    put32(out, 0);  // sigfigs
    put32(out, snaplen_);
    put32(out, link_);
    const bool nano = magic_ == kMagicNano;
    for (const Pending& p : records_) {
      if (!p.raw) {
        const std::int64_t seconds = floor_div(p.ts_ns, 1'000'000'000);
        const std::int64_t nanos = p.ts_ns - seconds * 1'000'000'000;
        const auto size = static_cast<std::uint32_t>(p.data.size());
        put32(out, static_cast<std::uint32_t>(seconds));
        put32(out, static_cast<std::uint32_t>(nano ? nanos : nanos / 1000));
        put32(out, p.options.caplen_value.value_or(size));
        put32(out, p.options.origlen_value.value_or(size));
        if (is_modified()) {
          put32(out, p.options.ifindex);
          put16(out, p.options.protocol);
          out.push_back(static_cast<std::byte>(p.options.pkt_type));
          out.push_back(std::byte{0});  // padding
        }
      }
      out.insert(out.end(), p.data.begin(), p.data.end());
    }
    return out;
  }

 private:
  struct Pending {
    std::int64_t ts_ns;
    std::vector<std::byte> data;
    RecordOptions options;
    bool raw = false;
  };

  static std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
  }
  void put16(std::vector<std::byte>& out, std::uint16_t v) const {
    for (int i = 0; i < 2; ++i) {
      const int shift = big_endian_ ? 8 * (1 - i) : 8 * i;
      out.push_back(static_cast<std::byte>((unsigned{v} >> shift) & 0xffu));
    }
  }
  void put32(std::vector<std::byte>& out, std::uint32_t v) const {
    for (int i = 0; i < 4; ++i) {
      const int shift = big_endian_ ? 8 * (3 - i) : 8 * i;
      out.push_back(static_cast<std::byte>((v >> shift) & 0xffu));
    }
  }

  std::uint32_t magic_ = kMagicMicro;
  bool big_endian_ = false;
  std::uint16_t major_ = 2;
  std::uint16_t minor_ = 4;
  std::uint32_t snaplen_ = 262144;
  std::uint32_t link_ = 1;
  std::vector<Pending> records_;
};

/// The six classic pcap headers: microsecond and nanosecond magics and Kuznetzov's modified
/// format, each in both byte orders. Tests take them with ::testing::ValuesIn(kPcapVariants).
struct PcapVariant {
  const char* name;
  bool big_endian;
  bool nanosecond;
  bool modified;
};
inline constexpr PcapVariant kPcapVariants[] = {
    {"micro_le", false, false, false}, {"micro_be", true, false, false},
    {"nano_le", false, true, false},   {"nano_be", true, true, false},
    {"modified_le", false, false, true}, {"modified_be", true, false, true},
};

/// A writer with the variant's header (snaplen, link type and records still to be chosen).
inline PcapWriter writer_for(const PcapVariant& v) {
  PcapWriter w;
  if (v.modified) w.modified();
  else if (v.nanosecond) w.nanosecond();
  w.big_endian(v.big_endian);
  return w;
}

}  // namespace pcapframe::test
