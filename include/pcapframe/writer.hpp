// SPDX-License-Identifier: MIT
// Writing captures: CaptureEncoder turns records into classic pcap or pcapng bytes (no I/O);
// CaptureWriter puts them in a file that appears complete or not at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pcapframe/live.hpp"
#include "pcapframe/record.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe {

/// File formats the writer makes.
enum class WriteFormat : std::uint8_t {
  Pcap,    // classic libpcap format, version 2.4
  Pcapng,  // one section: SHB, one IDB, EPBs, and an ISB with the statistics at the end
};

/// Return the format a file name asks for: Pcapng for "*.pcapng" / "*.ntar", else Pcap.
WriteFormat write_format_for(std::string_view path) noexcept;

struct WriteOptions {
  WriteFormat format = WriteFormat::Pcap;
  /// Nanosecond timestamps (pcap magic a1b23c4d; pcapng if_tsresol 9), else microseconds
  /// (magic a1b2c3d4, if_tsresol 6), for readers older than libpcap 1.5.
  bool nanosecond = true;
  LinkType link = LinkType::Ethernet;
  std::uint32_t snaplen = 262144;
  /// pcapng only: the interface's name (if_name), the capture filter (if_filter) and the
  /// writing application (shb_userappl). Empty values are left out.
  std::string interface_name{};
  std::string filter{};
  std::string application = "pcapframe";
};

/// Encode a capture to bytes, appending to a caller's buffer. Sans-IO: CaptureWriter and
/// tests share it. Records are written in little-endian byte order.
class CaptureEncoder {
 public:
  explicit CaptureEncoder(WriteOptions options) : options_(std::move(options)) {}

  /// Append the file header: the pcap header, or the pcapng SHB and IDB.
  void append_header(std::vector<std::byte>& out) const;
  /// Append one record (a pcap record, or a pcapng EPB for interface 0). A caplen above the
  /// snaplen is written as is (the readers keep such records); timestamps before 1970 are
  /// clamped to 0.
  void append_record(const Record& record, std::vector<std::byte>& out) const;
  /// pcapng only (nothing for pcap): append an Interface Statistics Block for interface 0
  /// at `ts_ns` with libpcap's counters: isb_ifrecv = received, isb_osdrop = dropped (by the
  /// kernel), isb_ifdrop = if_dropped, and the capture's start and end times.
  void append_statistics(const LiveStats& stats, std::int64_t start_ns, std::int64_t end_ns,
                         std::vector<std::byte>& out) const;

  [[nodiscard]] const WriteOptions& options() const noexcept { return options_; }

 private:
  WriteOptions options_;
};

/// Write a capture to a file so that the file is never seen half-written.
///
/// create() makes `<path>.partial-XXXXXX` beside `path` (open with O_CREAT|O_EXCL and mode
/// 0666, so the process umask decides the permissions; the writer never changes them) and
/// writes the header. finish() flushes, fsyncs and renames it to `path`. If finish() is not
/// reached, the destructor removes the partial file. When `path` is "-" or names something
/// that is not a regular file (a FIFO, /dev/stdout), records go straight to it instead.
class CaptureWriter {
 public:
  [[nodiscard]] static Result<CaptureWriter> create(const std::string& path, WriteOptions options);
  /// Write to an open descriptor that the writer does not own (it is not closed).
  [[nodiscard]] static Result<CaptureWriter> to_descriptor(int fd, std::string name,
                                                           WriteOptions options);

  CaptureWriter(CaptureWriter&&) noexcept;
  CaptureWriter& operator=(CaptureWriter&&) noexcept;
  ~CaptureWriter();

  /// Buffer one record; write the buffer out when it is full. Fails with Io (disk full).
  [[nodiscard]] Result<void> write(const Record& record);
  /// Write what is buffered to the file (no fsync).
  [[nodiscard]] Result<void> flush();
  /// pcapng: remember libpcap's counters to write as an ISB at finish(). No-op for pcap.
  void set_statistics(const LiveStats& stats, std::int64_t start_ns, std::int64_t end_ns);
  /// Flush, fsync, close and rename the file into place. After success the file at `path`
  /// is complete. Calling it twice is an error.
  [[nodiscard]] Result<void> finish();
  /// Remove the partial file without renaming it (nothing happens for a descriptor).
  void abandon() noexcept;

  /// The final name, as given.
  [[nodiscard]] const std::string& path() const noexcept;
  /// The name being written now (the partial name until finish(), then `path`).
  [[nodiscard]] const std::string& current_path() const noexcept;
  [[nodiscard]] std::uint64_t records_written() const noexcept;
  /// Bytes written to the file, headers included (buffered bytes count once written).
  [[nodiscard]] std::uint64_t bytes_written() const noexcept;

  struct Impl;

 private:
  explicit CaptureWriter(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pcapframe
