// SPDX-License-Identifier: MIT
// CaptureReader: pulls bytes from a ByteSource into a buffer and lets the format's parser
// cut records out of it in place. Owns the policy for problems (lax warnings, strict errors).
#include <algorithm>
#include <cstring>
#include <utility>

#include "byte_source.hpp"
#include "byte_source_compressed.hpp"
#include "first_bytes.hpp"
#include "packet_filter.hpp"
#include "pcap_parser.hpp"
#include "pcapframe/capture.hpp"
#include "pcapng_parser.hpp"
#include "read_ahead.hpp"

namespace pcapframe {

namespace {
// Reads of 1 MiB keep syscalls rare; the buffer also holds the largest record (kMaxCaplen
// plus a header), so a record never has to be assembled from pieces.
constexpr std::size_t kReadChunk = std::size_t{1} << 20;
constexpr std::size_t kInitialBuffer = 2 * kReadChunk;
// Enough to recognise every magic number we know.
constexpr std::size_t kMagicLen = 8;
}  // namespace

struct CaptureReader::Impl {
  CaptureOptions options;
  CaptureInfo info;
  std::unique_ptr<detail::ByteSource> source;
  bool pcapng = false;
  detail::PcapParser pcap;
  detail::PcapngParser ng;
  std::vector<InterfaceInfo> pcap_interfaces;  // classic pcap: the one the header describes
  std::optional<detail::PacketFilter> filter;

  // Unconsumed bytes are data[begin, end). For in-memory input `data` is the input itself.
  // With a read-ahead thread, `buffer` is one of its chunks (or, for a block larger than a
  // chunk, our own assembly of several).
  std::unique_ptr<detail::ReadAhead> read_ahead;
  bool buffer_is_chunk = false;
  std::vector<std::byte> buffer;
  const std::byte* data = nullptr;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool at_eof = false;

  std::uint64_t consumed = 0;  // capture offset of data[begin]
  std::uint64_t records = 0;
  bool warned_over_snaplen = false;
  bool opening = true;  // before the first record: any problem means the open fails
  bool stopped = false;
  std::optional<Error> error;
  std::vector<Error> warnings;

  Bytes available() const noexcept { return {data + begin, end - begin}; }

  detail::ParseStep parse(Record& record) {
    return pcapng ? ng.next(available(), record) : pcap.next(available(), record);
  }
  const detail::ParseFailure& failure() const noexcept {
    return pcapng ? ng.failure() : pcap.failure();
  }

  // Make at least `need` bytes available (or all that is left). False on a read error.
  bool fill(std::size_t need);
  bool fill_from_read_ahead(std::size_t need);
  void read_failed(Error e);
  // Consume `size` bytes of which only part may be buffered, reading past the rest.
  bool discard(std::size_t size);
  // Record a problem: a warning in lax mode, the stopping error in strict mode or for `fatal`.
  void report(ErrorCode code, std::uint64_t offset, std::string message, bool fatal = false);
  // "<name>: record N at byte offset X", N counting from 1 like Wireshark's frame numbers.
  std::string where(std::uint64_t number, std::uint64_t offset) const;
};

void CaptureReader::Impl::read_failed(Error e) {
  at_eof = true;
  stopped = true;  // reported once, here; what is buffered is an incomplete record
  // Decompression trouble is a data problem (lax: keep what came before); I/O is fatal,
  // and so is anything while opening, where there is nothing before to keep.
  const bool fatal = e.code == ErrorCode::Io || opening;
  report(e.code, consumed + (end - begin), std::move(e.message), fatal);
}

// Take the next chunk and put the unread tail in front of its data, in the headroom left
// for it: only the bytes of a record that spans two chunks are copied. A tail too big for
// the headroom (a pcapng block of several megabytes) is assembled in a buffer of our own.
bool CaptureReader::Impl::fill_from_read_ahead(std::size_t need) {
  using detail::ReadAhead;
  while (!at_eof && end - begin < need) {
    ReadAhead::Chunk chunk = read_ahead->take();
    if (chunk.size == 0) {
      if (chunk.error) {
        read_failed(std::move(*chunk.error));
        return false;
      }
      at_eof = true;
      break;
    }
    const std::size_t tail = end - begin;
    std::vector<std::byte> next;
    if (tail <= ReadAhead::kHeadroom) {
      next = std::move(chunk.buffer);
      if (tail > 0) std::memcpy(next.data() + ReadAhead::kHeadroom - tail, data + begin, tail);
      begin = ReadAhead::kHeadroom - tail;
      end = ReadAhead::kHeadroom + chunk.size;
    } else {
      next.resize(tail + chunk.size);
      std::memcpy(next.data(), data + begin, tail);
      std::memcpy(next.data() + tail, chunk.buffer.data() + ReadAhead::kHeadroom, chunk.size);
      read_ahead->give_back(std::move(chunk.buffer));
      begin = 0;
      end = tail + chunk.size;
    }
    if (buffer_is_chunk) read_ahead->give_back(std::move(buffer));
    buffer_is_chunk = tail <= ReadAhead::kHeadroom;
    buffer = std::move(next);
    data = buffer.data();
  }
  return true;
}

bool CaptureReader::Impl::fill(std::size_t need) {
  if (read_ahead) return fill_from_read_ahead(need);
  if (begin > 0) {  // slide the unconsumed tail to the front
    std::memmove(buffer.data(), buffer.data() + begin, end - begin);
    end -= begin;
    begin = 0;
  }
  data = buffer.data();
  // Read only while bytes are missing: a read past what the caller needs can meet the error
  // after the data (a compressed stream cut short), and while opening that error is fatal.
  while (end < need) {
    // Grow as bytes arrive, not to `need` up front: `need` comes from a length field, and a
    // field claiming more than the input holds must cost no memory.
    if (buffer.size() - end < kReadChunk) {
      buffer.resize(std::max(kInitialBuffer, end + kReadChunk));
      data = buffer.data();
    }
    auto n = source->read(std::span(buffer).subspan(end, kReadChunk));
    if (!n) {
      read_failed(std::move(n).error());
      return false;
    }
    if (*n == 0) {
      at_eof = true;
      break;
    }
    end += *n;
  }
  return true;
}

bool CaptureReader::Impl::discard(std::size_t size) {
  std::size_t left = size;
  for (;;) {
    const std::size_t here = std::min(left, end - begin);
    begin += here;
    consumed += here;
    left -= here;
    if (left == 0) return true;
    if (at_eof) break;
    if (!fill(std::min(left, kReadChunk))) return false;  // fill() reported why
    if (end == begin) break;
  }
  stopped = true;
  if (!error) {
    report(ErrorCode::Truncated, consumed,
           info.name + ": the capture ends inside a block at byte offset " +
               std::to_string(consumed) + " (" + std::to_string(left) + " bytes missing)");
  }
  return false;
}

std::string CaptureReader::Impl::where(std::uint64_t number, std::uint64_t offset) const {
  return info.name + ": record " + std::to_string(number) + " at byte offset " +
         std::to_string(offset);
}

void CaptureReader::Impl::report(ErrorCode code, std::uint64_t offset, std::string message,
                                 bool fatal) {
  Error e{code, offset, records, std::move(message)};
  if (fatal || options.strict) {
    error = std::move(e);
    stopped = true;
  } else {
    warnings.push_back(std::move(e));
  }
}

CaptureReader::CaptureReader(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
CaptureReader::CaptureReader(CaptureReader&&) noexcept = default;
CaptureReader& CaptureReader::operator=(CaptureReader&&) noexcept = default;
CaptureReader::~CaptureReader() = default;

namespace {

Unexpected open_failure(ErrorCode code, const std::string& message) {
  return unexpected({code, 0, 0, message});
}

// Load the first bytes. An in-memory uncompressed capture is then parsed in place.
bool load_head(CaptureReader::Impl& impl) {
  if (Bytes whole = impl.source->whole();
      (!whole.empty() && detail::detect_compression(whole) == detail::Compression::None) ||
      impl.source->size() == 0) {
    impl.data = whole.data();
    impl.end = whole.size();
    impl.at_eof = true;
    return true;
  }
  return impl.fill(kMagicLen);
}

// Put a decompressor in front of the source when the first bytes say so.
bool unwrap_compression(CaptureReader::Impl& impl) {
  const detail::Compression kind = detail::detect_compression(impl.available());
  if (kind == detail::Compression::None) return true;
  // The bytes already read are gone from every source (a memory source does not rewind
  // either): hand them to the decompressor first.
  std::vector<std::byte> prefix(impl.available().begin(), impl.available().end());
  std::unique_ptr<detail::ByteSource> raw = std::move(impl.source);
  if (!prefix.empty()) raw = detail::make_prefixed_source(std::move(prefix), std::move(raw));
  impl.source = detail::make_decompressing_source(kind, std::move(raw), impl.info.name);
  impl.begin = impl.end = 0;
  impl.at_eof = false;
  impl.info.compression = std::string(detail::compression_name(kind));
  return impl.fill(kMagicLen);
}

// Read the classic pcap header.
Result<void> start_pcap(CaptureReader::Impl& impl) {
  if (!impl.at_eof && !impl.fill(detail::PcapParser::kFileHeaderLen)) return unexpected(*impl.error);
  const Bytes head = impl.available();
  const detail::ParseStep step = impl.pcap.parse_header(head, impl.info);
  if (step.kind == detail::ParseStep::Kind::NeedMore) {
    return open_failure(ErrorCode::Truncated, impl.info.name + ": the pcap file header is cut short (" +
                                                  std::to_string(head.size()) + " of 24 bytes)");
  }
  if (step.kind == detail::ParseStep::Kind::Fail) {
    return open_failure(impl.pcap.failure().code, impl.info.name + ": " + impl.pcap.failure().detail);
  }
  impl.begin += step.size;
  impl.consumed += step.size;
  InterfaceInfo iface;
  iface.link = impl.info.link;
  iface.snaplen = impl.info.snaplen;
  iface.units_per_second = impl.info.nanosecond ? 1'000'000'000 : 1'000'000;
  impl.pcap_interfaces.push_back(iface);
  return {};
}

// Read the leading pcapng blocks (the section header and the interfaces that follow it),
// stopping before the first packet, so that info() describes the capture from the start.
Result<void> start_pcapng(CaptureReader::Impl& impl) {
  Record unused;
  while (!impl.ng.seen_section() || !impl.ng.starts_with_packet_block(impl.available())) {
    // Once a section header is read the input is a capture, and a read failure in the blocks
    // after it (a compressed stream cut short) is reported like one after the first packet:
    // a warning in lax mode, the error next() returns in strict mode; the open succeeds, as it
    // does when plain bytes end there.
    if (impl.ng.seen_section()) impl.opening = false;
    const detail::ParseStep step = impl.parse(unused);
    if (step.kind == detail::ParseStep::Kind::NeedMore) {
      if (impl.at_eof) break;
      if (!impl.fill(step.size)) {
        if (impl.opening) return unexpected(*impl.error);
        break;
      }
      continue;
    }
    if (step.kind == detail::ParseStep::Kind::Fail) {
      // A block after the section header (an interface, a name block) names its offset.
      const std::string at = impl.consumed == 0 ? "" : "block at byte offset " + std::to_string(impl.consumed) + ": ";
      return unexpected({impl.ng.failure().code, impl.consumed, 0,
                         impl.info.name + ": " + at + impl.ng.failure().detail});
    }
    if (step.kind != detail::ParseStep::Kind::Skip || step.size > impl.end - impl.begin) break;
    impl.begin += step.size;
    impl.consumed += step.size;
  }
  if (!impl.ng.seen_section()) {
    return open_failure(ErrorCode::Truncated, impl.info.name + ": the pcapng section header is cut short");
  }
  impl.ng.describe(impl.info);
  return {};
}

Result<void> start_format(CaptureReader::Impl& impl) {
  if (!load_head(impl) || !unwrap_compression(impl)) return unexpected(*impl.error);
  impl.info.size = impl.info.compression.empty() ? impl.source->size() : std::nullopt;

  const Bytes head = impl.available();
  if (detail::starts_with_pcap_magic(head)) return start_pcap(impl);
  if (detail::PcapngParser::is_magic(head)) {
    impl.pcapng = true;
    return start_pcapng(impl);
  }
  const std::string inside = impl.info.compression.empty() ? "" : " inside the " + impl.info.compression + " stream";
  return open_failure(ErrorCode::NotACapture, impl.info.name + ": not a capture file" + inside +
                                                  " (" + detail::describe_first_bytes(head) + ")");
}

// From here on a thread reads (and decompresses) ahead while the caller parses.
void start_read_ahead(CaptureReader::Impl& impl) {
  if (impl.at_eof) return;  // in memory, or already whole in the buffer
  impl.read_ahead = detail::ReadAhead::start(impl.source);  // nullptr: stay synchronous
}

Result<void> start(CaptureReader::Impl& impl) {
  if (auto started = start_format(impl); !started) return started;
  impl.opening = false;
  if (impl.options.filter.empty()) return {};
  // Compile now for the first link type, so that a bad expression fails at open.
  auto filter = detail::PacketFilter::compile(impl.options.filter, impl.info.link);
  if (!filter) return unexpected(std::move(filter).error());
  impl.filter = std::move(*filter);
  return {};
}

}  // namespace

Result<CaptureReader> CaptureReader::open(const std::string& path, CaptureOptions options) {
  auto source = detail::open_file_source(path);
  if (!source) return unexpected(std::move(source).error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->info.name = path == "-" ? "<stdin>" : path;
  impl->source = std::move(*source);
  if (auto started = start(*impl); !started) return unexpected(started.error());
  start_read_ahead(*impl);
  return CaptureReader(std::move(impl));
}

namespace {
// A caller's ByteStream as one of our sources.
class StreamSource final : public detail::ByteSource {
 public:
  explicit StreamSource(std::unique_ptr<ByteStream> stream) : stream_(std::move(stream)) {}
  Result<std::size_t> read(std::span<std::byte> into) override { return stream_->read(into); }
  std::optional<std::uint64_t> size() const noexcept override { return stream_->size(); }

 private:
  std::unique_ptr<ByteStream> stream_;
};
}  // namespace

Result<CaptureReader> CaptureReader::open_stream(std::unique_ptr<ByteStream> stream,
                                                 std::string name, CaptureOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->info.name = std::move(name);
  impl->source = std::make_unique<StreamSource>(std::move(stream));
  if (auto started = start(*impl); !started) return unexpected(started.error());
  return CaptureReader(std::move(impl));
}

Result<CaptureReader> CaptureReader::open_memory(Bytes data, std::string name,
                                                 CaptureOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->info.name = std::move(name);
  impl->source = detail::make_memory_source(data);
  if (auto started = start(*impl); !started) return unexpected(started.error());
  start_read_ahead(*impl);  // compressed data: decompress on the other core
  return CaptureReader(std::move(impl));
}

bool CaptureReader::next(Record& record) {
  Impl& s = *impl_;
  while (read_record(record)) {
    if (!s.filter) return true;
    auto keep = s.filter->matches(record);
    if (!keep) {
      s.report(keep.error().code, record.offset, s.info.name + ": " + keep.error().message, true);
      return false;
    }
    if (*keep) return true;
  }
  return false;
}

bool CaptureReader::read_record(Record& record) {
  Impl& s = *impl_;
  if (s.stopped) return false;
  for (;;) {
    const detail::ParseStep step = s.parse(record);
    switch (step.kind) {
      case detail::ParseStep::Kind::Record:
        record.offset = s.consumed;
        // Checked before the record is counted: strict mode does not return it, so it is
        // neither counted nor consumed, like any other record that fails.
        if (!s.warned_over_snaplen && !s.pcapng && s.info.snaplen != 0 &&
            record.caplen > s.info.snaplen) {
          s.warned_over_snaplen = true;
          s.report(ErrorCode::CorruptRecord, record.offset,
                   s.where(s.records + 1, record.offset) + ": captured length " +
                       std::to_string(record.caplen) + " is above the file's snaplen " +
                       std::to_string(s.info.snaplen) +
                       (s.options.strict ? "" : " (record kept)"));
          if (s.stopped) return false;
        }
        s.begin += step.size;
        s.consumed += step.size;
        ++s.records;
        return true;
      case detail::ParseStep::Kind::Skip:
        if (!s.discard(step.size)) return false;
        continue;
      case detail::ParseStep::Kind::NeedMore: {
        if (!s.at_eof) {
          if (!s.fill(step.size)) return false;
          continue;
        }
        // Past the end: what is left is an incomplete record, or nothing.
        s.stopped = true;
        const std::size_t have = s.end - s.begin;
        if (have == 0) return false;
        s.report(ErrorCode::Truncated, s.consumed,
                 s.where(s.records + 1, s.consumed) + ": the capture ends inside the record (" +
                     std::to_string(have) + " of " + std::to_string(step.size) +
                     " bytes present); the " + std::to_string(s.records) +
                     " complete records before it are kept");
        return false;
      }
      case detail::ParseStep::Kind::Fail:
        s.stopped = true;
        s.report(s.failure().code, s.consumed,
                 s.where(s.records + 1, s.consumed) + ": " + s.failure().detail + "; the " +
                     std::to_string(s.records) + " complete records before it are kept");
        return false;
    }
  }
}

const std::optional<Error>& CaptureReader::error() const noexcept { return impl_->error; }
const std::vector<Error>& CaptureReader::warnings() const noexcept { return impl_->warnings; }
const CaptureInfo& CaptureReader::info() const noexcept {
  if (impl_->pcapng) impl_->ng.describe(impl_->info);  // interfaces may have come since
  return impl_->info;
}
const std::vector<InterfaceInfo>& CaptureReader::interfaces() const noexcept {
  return impl_->pcapng ? impl_->ng.interfaces() : impl_->pcap_interfaces;
}
const std::vector<NameRecord>& CaptureReader::name_records() const noexcept {
  return impl_->ng.names();
}
std::uint64_t CaptureReader::records_read() const noexcept { return impl_->records; }
std::uint64_t CaptureReader::bytes_consumed() const noexcept { return impl_->consumed; }

}  // namespace pcapframe
