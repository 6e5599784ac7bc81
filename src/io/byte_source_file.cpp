// SPDX-License-Identifier: MIT
// A file or pipe read with read(2). DESIGN.md: large reads into our own buffer ran at `cat`
// speed where an mmap walk paid ~1.5x for page faults, so there is no mmap source.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "byte_source.hpp"

namespace pcapframe::detail {
namespace {

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, bool owned, std::string path, std::optional<std::uint64_t> size)
      : fd_(fd), owned_(owned), path_(std::move(path)), size_(size) {}
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override {
    if (owned_) ::close(fd_);
  }

  Result<std::size_t> read(std::span<std::byte> into) override {
    for (;;) {
      const ssize_t n = ::read(fd_, into.data(), into.size());
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      return unexpected({ErrorCode::Io, 0, 0, path_ + ": read failed: " + std::strerror(errno)});
    }
  }

  std::optional<std::uint64_t> size() const noexcept override { return size_; }

 private:
  int fd_;
  bool owned_;
  std::string path_;
  std::optional<std::uint64_t> size_;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<ByteSource>(
        std::make_unique<FileSource>(STDIN_FILENO, false, "<stdin>", std::nullopt));
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
  return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(fd, true, path, size));
}

}  // namespace pcapframe::detail
