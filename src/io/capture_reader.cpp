// SPDX-License-Identifier: MIT
// CaptureReader: pulls bytes from a ByteSource into a buffer and lets the format's parser
// cut records out of it in place. Owns the policy for problems (lax warnings, strict errors).
#include <algorithm>
#include <cstring>
#include <utility>

#include "byte_source.hpp"
#include "first_bytes.hpp"
#include "pcap_parser.hpp"
#include "pcapframe/capture.hpp"

namespace pcapframe {

namespace {
// Reads of 1 MiB keep syscalls rare; the buffer also holds the largest record (kMaxCaplen
// plus a header), so a record never has to be assembled from pieces.
inline constexpr std::size_t kReadChunk = std::size_t{1} << 20;
inline constexpr std::size_t kInitialBuffer = 2 * kReadChunk;
}  // namespace

struct CaptureReader::Impl {
  CaptureOptions options;
  CaptureInfo info;
  std::unique_ptr<detail::ByteSource> source;
  detail::PcapParser parser;

  // Unconsumed bytes are data[begin, end). For in-memory input `data` is the input itself.
  std::vector<std::byte> buffer;
  const std::byte* data = nullptr;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool at_eof = false;

  std::uint64_t consumed = 0;  // capture offset of data[begin]
  std::uint64_t records = 0;
  bool warned_over_snaplen = false;
  bool stopped = false;
  std::optional<Error> error;
  std::vector<Error> warnings;

  Bytes available() const noexcept { return {data + begin, end - begin}; }

  // Make at least `need` bytes available (or all that is left). False on an I/O error.
  bool fill(std::size_t need);
  // Record a problem: a warning in lax mode, the stopping error in strict mode or for `fatal`.
  void report(ErrorCode code, std::uint64_t offset, std::string message, bool fatal = false);
  // "<name>: record N at byte offset X", N counting from 1 like Wireshark's frame numbers.
  std::string where(std::uint64_t number, std::uint64_t offset) const;
};

bool CaptureReader::Impl::fill(std::size_t need) {
  if (begin > 0) {  // slide the unconsumed tail to the front
    std::memmove(buffer.data(), buffer.data() + begin, end - begin);
    end -= begin;
    begin = 0;
  }
  if (buffer.size() < std::max(need, end) + kReadChunk)
    buffer.resize(std::max(kInitialBuffer, std::max(need, end) + kReadChunk));
  data = buffer.data();
  do {
    auto n = source->read(std::span(buffer).subspan(end, std::min(kReadChunk, buffer.size() - end)));
    if (!n) {
      Error e = std::move(n).error();
      report(e.code, consumed + (end - begin), std::move(e.message), true);
      return false;
    }
    if (*n == 0) {
      at_eof = true;
      break;
    }
    end += *n;
  } while (end < need);
  return true;
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

Result<CaptureReader::Impl*> start(CaptureReader::Impl& impl) {
  // Read the header: the parser says how many bytes it needs.
  if (Bytes whole = impl.source->whole(); !whole.empty() || impl.source->size() == 0) {
    impl.data = whole.data();
    impl.end = whole.size();
    impl.at_eof = true;
  } else if (!impl.fill(detail::PcapParser::kFileHeaderLen)) {
    return unexpected(*impl.error);
  }
  impl.info.size = impl.source->size();

  const Bytes head = impl.available();
  if (!detail::starts_with_pcap_magic(head)) {
    return unexpected({ErrorCode::NotACapture, 0, 0,
                       impl.info.name + ": not a capture file (" + detail::describe_first_bytes(head) + ")"});
  }
  const detail::ParseStep step = impl.parser.parse_header(head, impl.info);
  if (step.kind == detail::ParseStep::Kind::NeedMore) {
    return unexpected({ErrorCode::Truncated, 0, 0,
                       impl.info.name + ": the pcap file header is cut short (" +
                           std::to_string(head.size()) + " of 24 bytes)"});
  }
  if (step.kind == detail::ParseStep::Kind::Fail) {
    const detail::ParseFailure& f = impl.parser.failure();
    return unexpected({f.code, 0, 0, impl.info.name + ": " + f.detail});
  }
  impl.begin += step.size;
  impl.consumed += step.size;
  return &impl;
}

}  // namespace

Result<CaptureReader> CaptureReader::open(const std::string& path, CaptureOptions options) {
  auto source = detail::open_file_source(path);
  if (!source) return unexpected(std::move(source).error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->info.name = path == "-" ? "<stdin>" : path;
  impl->source = std::move(*source);
  if (auto started = start(*impl); !started) return unexpected(std::move(started).error());
  return CaptureReader(std::move(impl));
}

Result<CaptureReader> CaptureReader::open_memory(Bytes data, std::string name,
                                                 CaptureOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->info.name = std::move(name);
  impl->source = detail::make_memory_source(data);
  if (auto started = start(*impl); !started) return unexpected(std::move(started).error());
  return CaptureReader(std::move(impl));
}

bool CaptureReader::next(Record& record) {
  Impl& s = *impl_;
  if (s.stopped) return false;
  for (;;) {
    const detail::ParseStep step = s.parser.next(s.available(), record);
    switch (step.kind) {
      case detail::ParseStep::Kind::Record:
        record.offset = s.consumed;
        s.begin += step.size;
        s.consumed += step.size;
        ++s.records;
        if (record.caplen > s.info.snaplen && s.info.snaplen != 0 && !s.warned_over_snaplen) {
          s.warned_over_snaplen = true;
          s.report(ErrorCode::CorruptRecord, record.offset,
                   s.where(s.records, record.offset) + ": captured length " +
                       std::to_string(record.caplen) + " is above the file's snaplen " +
                       std::to_string(s.info.snaplen) + " (record kept)");
          if (s.stopped) return false;
        }
        return true;
      case detail::ParseStep::Kind::Skip:
        s.begin += step.size;
        s.consumed += step.size;
        continue;
      case detail::ParseStep::Kind::NeedMore: {
        const std::size_t have = s.end - s.begin;
        if (!s.at_eof) {
          if (!s.fill(step.size)) return false;
          continue;
        }
        // Past the end: what is left is an incomplete record.
        s.stopped = true;
        if (have == 0) return false;  // a clean end
        s.report(ErrorCode::Truncated, s.consumed,
                 s.where(s.records + 1, s.consumed) + ": the capture ends inside the record (" +
                     std::to_string(have) + " of " + std::to_string(step.size) +
                     " bytes present); the " + std::to_string(s.records) +
                     " complete records before it are kept");
        return false;
      }
      case detail::ParseStep::Kind::Fail:
        s.stopped = true;
        s.report(s.parser.failure().code, s.consumed,
                 s.where(s.records + 1, s.consumed) + ": " + s.parser.failure().detail + "; the " +
                     std::to_string(s.records) + " complete records before it are kept");
        return false;
    }
  }
}

const std::optional<Error>& CaptureReader::error() const noexcept { return impl_->error; }
const std::vector<Error>& CaptureReader::warnings() const noexcept { return impl_->warnings; }
const CaptureInfo& CaptureReader::info() const noexcept { return impl_->info; }
std::uint64_t CaptureReader::records_read() const noexcept { return impl_->records; }
std::uint64_t CaptureReader::bytes_consumed() const noexcept { return impl_->consumed; }

}  // namespace pcapframe
