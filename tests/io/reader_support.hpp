// SPDX-License-Identifier: MIT
// Helpers shared by the reader tests: records copied out of the reader, deterministic frame
// contents, option shorthands and self-removing temporary files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <future>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pcapframe/capture.hpp"
#include "support/pcap_writer.hpp"

namespace pcapframe::test {

/// A record copied out of the reader (its bytes are only borrowed until the next call).
struct Copy {
  std::int64_t ts_ns;
  std::uint32_t caplen;
  std::uint32_t origlen;
  LinkType link;
  std::uint32_t iface;
  std::uint64_t offset;
  std::vector<std::byte> bytes;
  friend bool operator==(const Copy&, const Copy&) = default;
};

/// Read every remaining record.
inline std::vector<Copy> read_all(CaptureReader& reader) {
  std::vector<Copy> out;
  Record r;
  while (reader.next(r)) {
    EXPECT_EQ(r.caplen, r.bytes.size());
    out.push_back({r.ts_ns, r.caplen, r.origlen, r.link, r.iface, r.offset,
                   std::vector<std::byte>(r.bytes.begin(), r.bytes.end())});
  }
  return out;
}

/// Deterministic frame contents: record `record`, `size` bytes.
inline std::vector<std::byte> pattern(std::size_t record, std::size_t size) {
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<std::byte>((record * 131 + i * 7 + (i >> 9)) & 0xffu);
  return out;
}

/// A real pipe fed by a thread. The writer sends `bytes` in `piece`-sized writes (odd sizes,
/// so the reader sees short reads at odd places), then hangs up, or with
/// `Then::GoQuiet` keeps its end open without writing more, like tcpdump on an idle interface,
/// until hang_up(). path() names the read end ("/dev/fd/N") for CaptureReader::open.
class TestPipe {
 public:
  enum class Then { HangUp, GoQuiet };

  explicit TestPipe(std::vector<std::byte> bytes, Then then = Then::HangUp,
                    std::size_t piece = 65'537) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    read_fd_ = fds[0];
    write_fd_ = then == Then::GoQuiet ? fds[1] : -1;  // HangUp: the writer closes it
    old_sigpipe_ = std::signal(SIGPIPE, SIG_IGN);  // the reader may stop before the end
    writer_ = std::thread([fd = fds[1], data = std::move(bytes), then, piece] {
      std::size_t done = 0;
      while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, std::min(data.size() - done, piece));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      if (then == Then::HangUp) ::close(fd);
    });
  }
  TestPipe(const TestPipe&) = delete;
  TestPipe& operator=(const TestPipe&) = delete;
  ~TestPipe() {
    close_read_end();  // a writer still blocked fails now
    writer_.join();
    hang_up();
    std::signal(SIGPIPE, old_sigpipe_);
  }
  int read_fd() const { return read_fd_; }
  std::string path() const { return "/dev/fd/" + std::to_string(read_fd_); }
  /// Once a reader has its own descriptor (open(path()), dup2), ours can go, so that a
  /// reader that stops early does not leave the writer blocked.
  void close_read_end() {
    if (read_fd_ >= 0) ::close(read_fd_);
    read_fd_ = -1;
  }
  /// A quiet producer closes its end: a reader waiting on the pipe sees the end of the input.
  void hang_up() {
    if (write_fd_ >= 0) ::close(write_fd_);
    write_fd_ = -1;
  }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;  // kept open by a quiet producer only
  void (*old_sigpipe_)(int) = SIG_DFL;
  std::thread writer_;
};

/// Close `reader` (on another thread) and say whether that took less than `limit`. If it did
/// not, the pipe hangs up so that the close can finish and the test fail instead of hang.
inline bool closes_within(std::optional<CaptureReader>& reader, TestPipe& pipe,
                          std::chrono::milliseconds limit) {
  auto closing = std::async(std::launch::async, [&reader] { reader.reset(); });
  const bool in_time = closing.wait_for(limit) == std::future_status::ready;
  if (!in_time) pipe.hang_up();
  closing.wait();
  return in_time;
}

inline CaptureOptions mode(bool strict) {
  CaptureOptions options;
  options.strict = strict;
  return options;
}
inline CaptureOptions strict_mode() { return mode(true); }

/// A file under the test temp directory, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(std::span<const std::byte> data, const std::string& suffix = ".pcap") {
    static std::atomic<int> counter{0};
    path_ = ::testing::TempDir() + "pcapframe_reader_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter++) + suffix;
    write_file(path_, data);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct BigCapture {
  std::vector<std::byte> bytes;
  std::vector<std::size_t> sizes;
};

/// A capture of about 7 MiB: records of every size up to kMaxCaplen (nanosecond times), so
/// that reads cut headers and frames at every kind of place.
inline const BigCapture& big_capture() {
  static const BigCapture capture = [] {
    BigCapture c;
    std::mt19937 rng(20240607);
    std::uniform_int_distribution<int> kind(0, 99);
    std::uniform_int_distribution<std::size_t> small(0, 1514), medium(1515, 65535),
        large(65536, kMaxCaplen - 1);
    PcapWriter w;
    w.nanosecond();
    std::size_t total = 24;
    for (std::size_t i = 0; total < (std::size_t{7} << 20); ++i) {
      const int k = kind(rng);
      const std::size_t size = k < 70 ? small(rng) : k < 90 ? medium(rng) : k < 98 ? large(rng) : kMaxCaplen;
      c.sizes.push_back(size);
      w.add(static_cast<std::int64_t>(1'700'000'000'000'000'000 + i * 1'234'567), pattern(i, size));
      total += 16 + size;
    }
    c.bytes = w.bytes();
    return c;
  }();
  return capture;
}

/// Read `reader` to the end and check every record against big_capture().
inline void check_big(CaptureReader& reader, const BigCapture& c) {
  Record r;
  std::size_t i = 0;
  std::uint64_t offset = 24;
  while (reader.next(r)) {
    ASSERT_LT(i, c.sizes.size());
    ASSERT_EQ(r.caplen, c.sizes[i]) << i;
    ASSERT_EQ(r.offset, offset) << i;
    ASSERT_EQ(r.ts_ns, static_cast<std::int64_t>(1'700'000'000'000'000'000 + i * 1'234'567)) << i;
    const auto expected = pattern(i, c.sizes[i]);
    ASSERT_TRUE(std::equal(r.bytes.begin(), r.bytes.end(), expected.begin(), expected.end()))
        << "record " << i << " at offset " << offset;
    offset += 16 + c.sizes[i];
    ++i;
  }
  EXPECT_EQ(i, c.sizes.size());
  EXPECT_FALSE(reader.error());
  EXPECT_TRUE(reader.warnings().empty());
  EXPECT_EQ(reader.records_read(), c.sizes.size());
  EXPECT_EQ(reader.bytes_consumed(), c.bytes.size());
}

}  // namespace pcapframe::test
