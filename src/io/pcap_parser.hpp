// SPDX-License-Identifier: MIT
// PcapParser: the classic libpcap file format, sans-IO (bytes in, records out).
#pragma once

#include <cstddef>
#include <cstdint>

#include "parse_step.hpp"
#include "pcapframe/capture.hpp"

namespace pcapframe::detail {

class PcapParser {
 public:
  static constexpr std::size_t kFileHeaderLen = 24;

  /// True if `magic` (the first 4 bytes) is one of the classic pcap magics.
  static bool is_magic(std::uint32_t magic_le) noexcept;

  /// Parse the 24-byte file header into `info`. NeedMore when `in` is shorter; Fail sets
  /// failure() (NotACapture, UnsupportedVersion).
  ParseStep parse_header(Bytes in, CaptureInfo& info);

  /// Parse one record at the start of `in`. Its bytes borrow `in`.
  ParseStep next(Bytes in, Record& record);

  const ParseFailure& failure() const noexcept { return failure_; }

 private:
  std::uint32_t load32(Bytes at) const noexcept;

  bool big_endian_ = false;
  bool nanosecond_ = false;
  std::size_t record_header_len_ = 16;
  LinkType link_ = LinkType::Ethernet;
  ParseFailure failure_;
};

}  // namespace pcapframe::detail
