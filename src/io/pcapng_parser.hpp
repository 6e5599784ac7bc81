// SPDX-License-Identifier: MIT
// PcapngParser: the pcapng format, sans-IO. Its state (byte order, interfaces, resolutions)
// is explicit, because a record can only be read in the light of the blocks before it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "parse_step.hpp"
#include "pcapframe/capture.hpp"

namespace pcapframe::detail {

/// What the parser knows about one interface of the current section.
struct PcapngInterface {
  std::uint32_t global_index = 0;         // position among all IDBs of the file
  LinkType link = LinkType::Ethernet;
  std::uint32_t snaplen = 0;
  std::uint64_t units_per_second = 1'000'000;  // if_tsresol (default: microseconds)
  std::int64_t offset_s = 0;                   // if_tsoffset
};

class PcapngParser {
 public:
  /// Bytes needed to read a block's type and length.
  static constexpr std::size_t kBlockHeaderLen = 8;
  /// Largest block we hold in memory whole (libpcap's MAX_BLOCKSIZE); larger blocks that
  /// carry no packet are skipped without being read, larger packet blocks are corrupt.
  static constexpr std::size_t kMaxBufferedBlock = std::size_t{16} << 20;

  /// True if `head` starts with a Section Header Block's type.
  static bool is_magic(Bytes head) noexcept;

  /// Parse one block at the start of `in`: a packet block gives Record, any other block
  /// Skip (after taking what it says: sections, interfaces, names), too little input
  /// NeedMore, and corruption Fail.
  ParseStep next(Bytes in, Record& record);

  /// True if `in` starts with a packet block (so the reader can stop reading ahead there).
  bool starts_with_packet_block(Bytes in) const noexcept;

  /// Fill `info` from the first section and interface seen so far.
  void describe(CaptureInfo& info) const;

  const ParseFailure& failure() const noexcept { return failure_; }
  const std::vector<InterfaceInfo>& interfaces() const noexcept { return all_interfaces_; }
  const std::vector<NameRecord>& names() const noexcept { return names_; }
  bool seen_section() const noexcept { return section_count_ > 0; }

 private:
  std::uint16_t load16(Bytes at) const noexcept;
  std::uint32_t load32(Bytes at) const noexcept;
  std::uint64_t load64(Bytes at) const noexcept;

  ParseStep fail(ErrorCode code, std::string detail);
  ParseStep parse_section_header(Bytes block);
  ParseStep parse_interface(Bytes block);
  ParseStep parse_enhanced_packet(Bytes block, Record& record);
  ParseStep parse_simple_packet(Bytes block, Record& record);
  ParseStep parse_obsolete_packet(Bytes block, Record& record);
  ParseStep parse_timed_packet(Bytes body, Record& record, std::uint32_t interface_id);
  void parse_name_resolution(Bytes block);
  const PcapngInterface* interface(std::uint32_t id) const noexcept;
  std::int64_t to_ns(const PcapngInterface& iface, std::uint64_t ticks) const noexcept;

  bool big_endian_ = false;
  std::uint32_t section_count_ = 0;
  std::uint16_t version_major_ = 0;
  std::uint16_t version_minor_ = 0;
  bool first_big_endian_ = false;
  std::vector<PcapngInterface> interfaces_;  // the current section's
  std::vector<InterfaceInfo> all_interfaces_;
  std::vector<NameRecord> names_;
  ParseFailure failure_;
};

}  // namespace pcapframe::detail
