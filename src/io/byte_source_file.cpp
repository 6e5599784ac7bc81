// SPDX-License-Identifier: MIT
// A file or pipe read with read(2). DESIGN.md: large reads into our own buffer ran at `cat`
// speed where an mmap walk paid ~1.5x for page faults, so there is no mmap source.
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "byte_source.hpp"

namespace pcapframe::detail {
namespace {

class FileSource final : public ByteSource {
 public:
  // `may_wait`: a pipe, socket or terminal, where a read can wait for input indefinitely.
  // Such reads wait in poll() beside an eventfd that cancel() makes readable, so that closing
  // a reader never hangs on a producer that has gone quiet (tcpdump on an idle interface).
  FileSource(int fd, bool owned, std::string path, std::optional<std::uint64_t> size, bool may_wait)
      : fd_(fd), owned_(owned), path_(std::move(path)), size_(size),
        wake_fd_(may_wait ? ::eventfd(0, EFD_CLOEXEC) : -1) {}  // -1 on failure: reads just block
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override {
    if (owned_) ::close(fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  Result<std::size_t> read(std::span<std::byte> into) override {
    for (;;) {
      if (wake_fd_ >= 0 && !wait_for_input()) return 0;  // cancelled
      const ssize_t n = ::read(fd_, into.data(), into.size());
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      // A non-blocking descriptor (stdin left O_NONBLOCK by a parent): wait in poll() again.
      if (wake_fd_ >= 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
      return unexpected({ErrorCode::Io, 0, 0, path_ + ": read failed: " + std::strerror(errno)});
    }
  }

  std::optional<std::uint64_t> size() const noexcept override { return size_; }

  void cancel() noexcept override {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }

 private:
  // Wait until fd_ has input, its end, or an error for read() to report: true; cancelled: false.
  bool wait_for_input() const noexcept {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    for (;;) {
      const int ready = ::poll(fds, 2, -1);
      if (ready < 0 && errno == EINTR) continue;
      return ready < 0 || fds[1].revents == 0;  // a poll() failure: let read() say what is wrong
    }
  }

  int fd_;
  bool owned_;
  std::string path_;
  std::optional<std::uint64_t> size_;
  int wake_fd_;
};

// Regular files and block devices always have their bytes at hand; anything else may wait
// (a zeroed `st`, when fstat failed, counts as one that may).
bool may_wait(const struct stat& st) noexcept { return !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode); }

}  // namespace

Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path) {
  if (path == "-") {
    struct stat st {};
    (void)::fstat(STDIN_FILENO, &st);
    return std::unique_ptr<ByteSource>(
        std::make_unique<FileSource>(STDIN_FILENO, false, "<stdin>", std::nullopt, may_wait(st)));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return unexpected({ErrorCode::Io, 0, 0, path + ": cannot open: " + std::strerror(errno)});
  }
  struct stat st {};
  std::optional<std::uint64_t> size;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return unexpected({ErrorCode::Io, 0, 0, path + ": is a directory"});
    }
    if (S_ISREG(st.st_mode)) size = static_cast<std::uint64_t>(st.st_size);
  }
  // Sequential hint: the kernel reads ahead more aggressively.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<ByteSource>(
      std::make_unique<FileSource>(fd, true, path, size, may_wait(st)));
}

}  // namespace pcapframe::detail
