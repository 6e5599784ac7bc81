// SPDX-License-Identifier: MIT
// CaptureReader: open a capture (file, stdin or memory) and iterate its records.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pcapframe/record.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe {

/// Container formats the reader knows.
enum class CaptureFormat : std::uint8_t {
  Pcap,          // classic libpcap format
  PcapModified,  // Alexey Kuznetzov's modified pcap (24-byte record headers)
  Pcapng,
};

/// Return "pcap", "pcap (modified)" or "pcapng".
std::string_view capture_format_name(CaptureFormat format) noexcept;

/// Largest captured length accepted for one record (libpcap's MAXIMUM_SNAPLEN).
inline constexpr std::uint32_t kMaxCaplen = 262144;

struct CaptureOptions {
  /// Fail on problems that lax mode reports as warnings (truncated last record, corrupt
  /// record header, captured length above the snaplen).
  bool strict = false;
  /// A BPF expression (tcpdump syntax, compiled by libpcap per link type); records that do
  /// not match are skipped before anyone decodes them. Empty: every record.
  std::string filter;
};

/// One capture interface (pcapng Interface Description Block; classic pcap has one).
struct InterfaceInfo {
  LinkType link = LinkType::Ethernet;
  std::uint32_t snaplen = 0;
  std::uint64_t units_per_second = 1'000'000;  // timestamp resolution
  std::int64_t offset_s = 0;                   // seconds added to every timestamp
  std::string name;                            // if_name, as written (may be empty)
  std::string description;                     // if_description
};

/// An address-to-name entry from a pcapng Name Resolution Block.
struct NameRecord {
  std::uint8_t ip_version = 4;
  std::array<std::uint8_t, 16> address{};
  std::string name;
};

/// Most name records kept from a file's Name Resolution Blocks (the rest are counted).
inline constexpr std::size_t kMaxNameRecords = 1'000'000;

/// What the file header says.
struct CaptureInfo {
  std::string name;                 // the path as given ("-" for standard input)
  CaptureFormat format = CaptureFormat::Pcap;
  bool big_endian = false;          // byte order of the writer
  bool nanosecond = false;          // timestamps have nanosecond resolution
  std::uint16_t version_major = 0;
  std::uint16_t version_minor = 0;
  std::uint32_t snaplen = 0;
  LinkType link = LinkType::Ethernet;  // of the first interface
  std::string compression;            // "gzip", "zstd", "lz4", or empty
  std::optional<std::uint64_t> size;  // bytes in the input, when known in advance
};

/// A sequential stream of capture bytes supplied by the caller: a Python file object, a
/// socket, any producer that is neither a path nor one block of memory.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  /// Read up to `into.size()` bytes into `into`; return how many, 0 only at the end.
  /// A failure is returned as an Error (ErrorCode::Io ends reading).
  virtual Result<std::size_t> read(std::span<std::byte> into) = 0;
  /// Total bytes the stream will yield, when known in advance (progress, CaptureInfo::size).
  virtual std::optional<std::uint64_t> size() const noexcept { return std::nullopt; }
};

/// Read records from a capture, one at a time, in bounded memory.
///
/// The reader streams: memory use does not depend on the capture's size. Problems after the
/// header are reported in lax mode as warnings (reading stops, every complete record before
/// is kept) and in strict mode as the error that ends reading.
class CaptureReader {
 public:
  /// Open the capture at `path` ("-" reads standard input) and read its header.
  /// Fails with Io, NotACapture (naming the first bytes), UnsupportedVersion or Truncated.
  [[nodiscard]] static Result<CaptureReader> open(const std::string& path,
                                                  CaptureOptions options = {});
  /// Read a capture held in memory, without copying it. `data` must outlive the reader.
  [[nodiscard]] static Result<CaptureReader> open_memory(Bytes data, std::string name = "<memory>",
                                                         CaptureOptions options = {});
  /// Read a capture from `stream` (owned by the reader), in bounded memory, as open() reads
  /// a pipe: chunks of about 1 MiB are pulled as records are needed.
  [[nodiscard]] static Result<CaptureReader> open_stream(std::unique_ptr<ByteStream> stream,
                                                         std::string name = "<stream>",
                                                         CaptureOptions options = {});

  CaptureReader(CaptureReader&&) noexcept;
  CaptureReader& operator=(CaptureReader&&) noexcept;
  ~CaptureReader();

  /// Read the next record into `record`; its bytes stay valid until the next call.
  /// Return false at the end of the capture or when reading stopped; error() tells which.
  bool next(Record& record);

  /// The error that stopped reading, if any (always empty in lax mode except for I/O).
  [[nodiscard]] const std::optional<Error>& error() const noexcept;
  /// Problems tolerated in lax mode, in the order they were met.
  [[nodiscard]] const std::vector<Error>& warnings() const noexcept;
  /// The file header's description of the capture.
  [[nodiscard]] const CaptureInfo& info() const noexcept;
  /// Interfaces seen so far (pcapng adds them as their blocks are read).
  [[nodiscard]] const std::vector<InterfaceInfo>& interfaces() const noexcept;
  /// Name Resolution Block entries seen so far (pcapng only).
  [[nodiscard]] const std::vector<NameRecord>& name_records() const noexcept;
  /// Records read so far, including those a filter skipped.
  [[nodiscard]] std::uint64_t records_read() const noexcept;
  /// Bytes of the capture consumed so far (headers and records).
  [[nodiscard]] std::uint64_t bytes_consumed() const noexcept;

  struct Impl;

 private:
  explicit CaptureReader(std::unique_ptr<Impl> impl) noexcept;
  bool read_record(Record& record);  // next() before the filter
  std::unique_ptr<Impl> impl_;
};

/// Read several captures as one, in timestamp order: a k-way merge over their readers
/// (equal timestamps keep the order of the files). Each record borrows its reader's buffer
/// until the next call, as with CaptureReader::next().
class MergedReader {
 public:
  explicit MergedReader(std::vector<CaptureReader> readers);

  bool next(Record& record);
  /// The underlying readers, for their info, warnings and errors.
  [[nodiscard]] const std::vector<CaptureReader>& readers() const noexcept { return readers_; }
  [[nodiscard]] std::uint64_t bytes_consumed() const noexcept;
  [[nodiscard]] std::uint64_t records_read() const noexcept;

 private:
  std::vector<CaptureReader> readers_;
  std::vector<Record> heads_;
  std::vector<bool> has_head_;
  std::size_t returned_ = SIZE_MAX;  // reader whose head was handed out last
  bool started_ = false;
};

}  // namespace pcapframe
