// SPDX-License-Identifier: MIT
// CaptureEncoder (records → pcap / pcapng bytes) and CaptureWriter (a temporary file that is
// renamed into place once complete).
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "pcapframe/writer.hpp"

namespace pcapframe {

namespace {

// Classic pcap (libpcap savefile.c; draft-ietf-opsawg-pcap §4, §5).
constexpr std::uint32_t kPcapMagicMicro = 0xa1b2c3d4;
constexpr std::uint32_t kPcapMagicNano = 0xa1b23c4d;
constexpr std::uint16_t kPcapVersionMajor = 2;
constexpr std::uint16_t kPcapVersionMinor = 4;

// pcapng (draft-ietf-opsawg-pcapng §4): block types, options and their codes.
constexpr std::uint32_t kBlockShb = 0x0A0D0D0A;
constexpr std::uint32_t kBlockIdb = 0x00000001;
constexpr std::uint32_t kBlockIsb = 0x00000005;
constexpr std::uint32_t kBlockEpb = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEndOfOpt = 0;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint16_t kIfFilter = 11;
constexpr std::uint16_t kIsbStartTime = 2;
constexpr std::uint16_t kIsbEndTime = 3;
constexpr std::uint16_t kIsbIfRecv = 4;
constexpr std::uint16_t kIsbIfDrop = 5;
constexpr std::uint16_t kIsbOsDrop = 7;
constexpr std::uint16_t kMaxOptionLen = 0xffff;

constexpr std::size_t kFlushAt = 128 * 1024;  // the reader's buffer size, for the same reason

void put8(std::vector<std::byte>& out, std::uint8_t v) { out.push_back(static_cast<std::byte>(v)); }
void put16(std::vector<std::byte>& out, std::uint16_t v) {
  put8(out, static_cast<std::uint8_t>(v & 0xff));
  put8(out, static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::byte>& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8)
    put8(out, static_cast<std::uint8_t>((v >> shift) & 0xff));
}
void put64(std::vector<std::byte>& out, std::uint64_t v) {
  for (int shift = 0; shift < 64; shift += 8)
    put8(out, static_cast<std::uint8_t>((v >> shift) & 0xff));
}
void set32(std::vector<std::byte>& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out[at + static_cast<std::size_t>(i)] = static_cast<std::byte>((v >> (8 * i)) & 0xff);
}
void pad32(std::vector<std::byte>& out, std::size_t from) {
  while ((out.size() - from) % 4 != 0) put8(out, 0);
}

// A pcapng block under construction: type and a length patched in by close().
class Block {
 public:
  Block(std::vector<std::byte>& out, std::uint32_t type) : out_(out), start_(out.size()) {
    put32(out_, type);
    put32(out_, 0);  // total length, patched
  }
  void option(std::uint16_t code, const void* value, std::size_t length) {
    if (length > kMaxOptionLen) length = kMaxOptionLen;
    put16(out_, code);
    put16(out_, static_cast<std::uint16_t>(length));
    const std::size_t from = out_.size();
    const auto* bytes = static_cast<const std::byte*>(value);
    out_.insert(out_.end(), bytes, bytes + length);
    pad32(out_, from);
  }
  void option_u64(std::uint16_t code, std::uint64_t value) {
    std::vector<std::byte> v;
    put64(v, value);
    option(code, v.data(), v.size());
  }
  void option_ts(std::uint16_t code, std::uint64_t units) {
    std::vector<std::byte> v;
    put32(v, static_cast<std::uint32_t>(units >> 32));
    put32(v, static_cast<std::uint32_t>(units & 0xffffffffu));
    option(code, v.data(), v.size());
  }
  void end_options() {
    put16(out_, kOptEndOfOpt);
    put16(out_, 0);
  }
  void close() {
    const auto total = static_cast<std::uint32_t>(out_.size() - start_ + 4);
    put32(out_, total);
    set32(out_, start_ + 4, total);
  }

 private:
  std::vector<std::byte>& out_;
  std::size_t start_;
};

// Timestamp units since the epoch; times before 1970 cannot be written and become 0.
std::uint64_t to_units(std::int64_t ts_ns, bool nanosecond) {
  if (ts_ns < 0) return 0;
  return static_cast<std::uint64_t>(nanosecond ? ts_ns : ts_ns / 1000);
}

Error io_error(const std::string& message) { return Error{ErrorCode::Io, 0, 0, message}; }
std::string errno_text() { return std::strerror(errno); }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

WriteFormat write_format_for(std::string_view path) noexcept {
  return ends_with(path, ".pcapng") || ends_with(path, ".ntar") ? WriteFormat::Pcapng
                                                                : WriteFormat::Pcap;
}

// ---- CaptureEncoder ----

void CaptureEncoder::append_header(std::vector<std::byte>& out) const {
  const WriteOptions& o = options_;
  if (o.format == WriteFormat::Pcap) {
    put32(out, o.nanosecond ? kPcapMagicNano : kPcapMagicMicro);
    put16(out, kPcapVersionMajor);
    put16(out, kPcapVersionMinor);
    put32(out, 0);  // thiszone: timestamps are UTC
    put32(out, 0);  // sigfigs
    put32(out, o.snaplen);
    put32(out, static_cast<std::uint32_t>(o.link));
    return;
  }
  {
    Block shb(out, kBlockShb);
    put32(out, kByteOrderMagic);
    put16(out, 1);                  // major version
    put16(out, 0);                  // minor version
    put64(out, ~std::uint64_t{0});  // section length: not given (-1)
    if (!o.application.empty())
      shb.option(kShbUserAppl, o.application.data(), o.application.size());
    shb.end_options();
    shb.close();
  }
  Block idb(out, kBlockIdb);
  put16(out, static_cast<std::uint16_t>(o.link));
  put16(out, 0);  // reserved
  put32(out, o.snaplen);
  if (!o.interface_name.empty())
    idb.option(kIfName, o.interface_name.data(), o.interface_name.size());
  if (!o.filter.empty()) {
    std::string value(1, '\0');  // first byte 0: a libpcap filter string
    value += o.filter;
    idb.option(kIfFilter, value.data(), value.size());
  }
  const std::uint8_t tsresol = o.nanosecond ? 9 : 6;  // 10^-9 or 10^-6 seconds
  idb.option(kIfTsresol, &tsresol, 1);
  idb.end_options();
  idb.close();
}

void CaptureEncoder::append_record(const Record& record, std::vector<std::byte>& out) const {
  const WriteOptions& o = options_;
  const auto caplen = static_cast<std::uint32_t>(record.bytes.size());
  if (o.format == WriteFormat::Pcap) {
    const std::int64_t ts = record.ts_ns < 0 ? 0 : record.ts_ns;
    const std::int64_t seconds = ts / 1'000'000'000;
    const std::int64_t nanos = ts % 1'000'000'000;
    put32(out, static_cast<std::uint32_t>(seconds));
    put32(out, static_cast<std::uint32_t>(o.nanosecond ? nanos : nanos / 1000));
    put32(out, caplen);
    put32(out, record.origlen);
    out.insert(out.end(), record.bytes.begin(), record.bytes.end());
    return;
  }
  Block epb(out, kBlockEpb);
  const std::uint64_t units = to_units(record.ts_ns, o.nanosecond);
  put32(out, 0);  // interface id
  put32(out, static_cast<std::uint32_t>(units >> 32));
  put32(out, static_cast<std::uint32_t>(units & 0xffffffffu));
  put32(out, caplen);
  put32(out, record.origlen);
  const std::size_t from = out.size();
  out.insert(out.end(), record.bytes.begin(), record.bytes.end());
  pad32(out, from);
  epb.close();  // no options
}

void CaptureEncoder::append_statistics(const LiveStats& stats, std::int64_t start_ns,
                                       std::int64_t end_ns, std::vector<std::byte>& out) const {
  if (options_.format != WriteFormat::Pcapng) return;
  const bool nano = options_.nanosecond;
  Block isb(out, kBlockIsb);
  const std::uint64_t now = to_units(end_ns, nano);
  put32(out, 0);  // interface id
  put32(out, static_cast<std::uint32_t>(now >> 32));
  put32(out, static_cast<std::uint32_t>(now & 0xffffffffu));
  isb.option_ts(kIsbStartTime, to_units(start_ns, nano));
  isb.option_ts(kIsbEndTime, now);
  isb.option_u64(kIsbIfRecv, stats.received);
  isb.option_u64(kIsbIfDrop, stats.if_dropped);
  isb.option_u64(kIsbOsDrop, stats.dropped);
  isb.end_options();
  isb.close();
}

// ---- CaptureWriter ----

struct CaptureWriter::Impl {
  CaptureEncoder encoder;
  std::string path;     // the final name
  std::string current;  // the name written now
  int fd = -1;
  bool owns_fd = false;
  bool renames = false;  // a partial file to rename at finish()
  bool finished = false;
  std::optional<Error> failed;  // a write failed: later writes fail too
  std::vector<std::byte> buffer;
  std::uint64_t good_size = 0;  // bytes in the file, all at record boundaries
  std::uint64_t records_flushed = 0;
  std::uint64_t records_buffered = 0;
  std::optional<std::vector<std::byte>> statistics;  // a pcapng ISB for finish()

  explicit Impl(WriteOptions options) : encoder(std::move(options)) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (fd >= 0 && owns_fd) ::close(fd);
    if (renames && !finished) ::unlink(current.c_str());
  }

  Result<void> write_buffer() {
    if (failed) return unexpected(*failed);
    const std::byte* data = buffer.data();
    std::size_t left = buffer.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        failed = io_error("cannot write " + current + ": " +
                          (n < 0 ? errno_text() : std::string("no progress")));
        // Cut the file back to the last complete record, so that what is there stays readable.
        if (renames) (void)::ftruncate(fd, static_cast<off_t>(good_size));
        buffer.clear();
        records_buffered = 0;
        return unexpected(*failed);
      }
      data += n;
      left -= static_cast<std::size_t>(n);
    }
    good_size += buffer.size();
    records_flushed += records_buffered;
    records_buffered = 0;
    buffer.clear();
    return {};
  }
};

CaptureWriter::CaptureWriter(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
CaptureWriter::CaptureWriter(CaptureWriter&&) noexcept = default;
CaptureWriter& CaptureWriter::operator=(CaptureWriter&&) noexcept = default;
CaptureWriter::~CaptureWriter() = default;

Result<CaptureWriter> CaptureWriter::to_descriptor(int fd, std::string name, WriteOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  impl->path = name;
  impl->current = std::move(name);
  impl->fd = fd;
  impl->encoder.append_header(impl->buffer);
  return CaptureWriter(std::move(impl));
}

Result<CaptureWriter> CaptureWriter::create(const std::string& path, WriteOptions options) {
  if (path.empty())
    return unexpected(Error{ErrorCode::InvalidArgument, 0, 0, "no output file given"});
  if (path == "-") return to_descriptor(STDOUT_FILENO, "standard output", std::move(options));
  auto impl = std::make_unique<Impl>(std::move(options));
  impl->path = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      return unexpected(io_error("cannot write " + path + ": it is a directory"));
    // A FIFO or a device (/dev/stdout): write straight to it, there is nothing to rename.
    impl->fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (impl->fd < 0) return unexpected(io_error("cannot open " + path + ": " + errno_text()));
    impl->owns_fd = true;
    impl->current = path;
  } else {
    // <path>.partial-XXXXXX with O_EXCL and mode 0666: the umask applies, as for any file the
    // user creates, and an existing name (or a planted symlink) is never followed.
    static constexpr char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int attempt = 0; attempt < 100 && impl->fd < 0; ++attempt) {
      unsigned char random[6] = {};
      if (::getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
        const auto seed = static_cast<std::uint64_t>(
                              std::chrono::steady_clock::now().time_since_epoch().count()) ^
                          static_cast<std::uint64_t>(::getpid()) << 20 ^
                          static_cast<std::uint64_t>(attempt);
        for (std::size_t i = 0; i < sizeof random; ++i)
          random[i] = static_cast<unsigned char>(seed >> (8 * i));
      }
      std::string candidate = path + ".partial-";
      for (const unsigned char r : random) candidate += kAlphabet[r % (sizeof kAlphabet - 1)];
      impl->fd =
          ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
      if (impl->fd >= 0) {
        impl->current = std::move(candidate);
      } else if (errno != EEXIST) {
        return unexpected(io_error("cannot create " + candidate + ": " + errno_text()));
      }
    }
    if (impl->fd < 0) return unexpected(io_error("cannot create a temporary file beside " + path));
    impl->owns_fd = true;
    impl->renames = true;
  }
  impl->encoder.append_header(impl->buffer);
  return CaptureWriter(std::move(impl));
}

Result<void> CaptureWriter::write(const Record& record) {
  Impl& s = *impl_;
  if (s.failed) return unexpected(*s.failed);
  if (s.finished) return unexpected(io_error(s.path + ": already finished"));
  s.encoder.append_record(record, s.buffer);
  ++s.records_buffered;
  if (s.buffer.size() >= kFlushAt) return s.write_buffer();
  return {};
}

Result<void> CaptureWriter::flush() {
  Impl& s = *impl_;
  if (s.finished) return {};
  if (s.buffer.empty()) return s.failed ? Result<void>(unexpected(*s.failed)) : Result<void>();
  return s.write_buffer();
}

void CaptureWriter::set_statistics(const LiveStats& stats, std::int64_t start_ns,
                                   std::int64_t end_ns) {
  if (impl_->encoder.options().format != WriteFormat::Pcapng) return;
  std::vector<std::byte> block;
  impl_->encoder.append_statistics(stats, start_ns, end_ns, block);
  impl_->statistics = std::move(block);
}

Result<void> CaptureWriter::finish() {
  Impl& s = *impl_;
  if (s.finished) return unexpected(io_error(s.path + ": already finished"));
  std::optional<Error> problem = s.failed;
  if (!problem) {
    if (s.statistics) s.buffer.insert(s.buffer.end(), s.statistics->begin(), s.statistics->end());
    if (auto written = s.write_buffer(); !written) problem = written.error();
  }
  if (!s.renames) {  // a descriptor, a FIFO, a device
    if (s.owns_fd && ::close(s.fd) != 0 && !problem)
      problem = io_error("cannot close " + s.current + ": " + errno_text());
    if (s.owns_fd) s.fd = -1;
    s.finished = true;
    if (problem) return unexpected(*problem);
    return {};
  }
  // Durable before visible: the data reaches the disk, then the name changes.
  if (::fsync(s.fd) != 0 && !problem)
    problem = io_error("cannot write " + s.current + ": fsync: " + errno_text());
  if (::close(s.fd) != 0 && !problem)
    problem = io_error("cannot close " + s.current + ": " + errno_text());
  s.fd = -1;
  if (::rename(s.current.c_str(), s.path.c_str()) != 0) {
    const std::string why = errno_text();
    s.finished = true;  // keep the data: it is complete in the partial file
    return unexpected(io_error("cannot rename " + s.current + " to " + s.path + ": " + why +
                               " (the capture is in " + s.current + ")"));
  }
  s.current = s.path;
  s.finished = true;
  // The rename itself reaches the disk when the directory is synced (best effort).
  const std::size_t slash = s.path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : s.path.substr(0, slash);
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  // A write error after the header: the file holds every record written before it.
  if (problem) return unexpected(*problem);
  return {};
}

void CaptureWriter::abandon() noexcept {
  Impl& s = *impl_;
  if (s.finished) return;
  if (s.owns_fd && s.fd >= 0) ::close(s.fd);
  s.fd = -1;
  if (s.renames) ::unlink(s.current.c_str());
  s.finished = true;
  s.renames = false;
}

const std::string& CaptureWriter::path() const noexcept { return impl_->path; }
const std::string& CaptureWriter::current_path() const noexcept { return impl_->current; }
std::uint64_t CaptureWriter::records_written() const noexcept {
  return impl_->records_flushed + impl_->records_buffered;
}
std::uint64_t CaptureWriter::bytes_written() const noexcept { return impl_->good_size; }

}  // namespace pcapframe
