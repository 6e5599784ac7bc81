// SPDX-License-Identifier: MIT
// The read-ahead thread: the kernel's copy (or the decompressor) runs on the second core
// while the first parses and decodes, so reading a capture costs about max(read, decode)
// instead of their sum (docs/BENCHMARKS.md).
#include "read_ahead.hpp"

namespace pcapframe::detail {

ReadAhead::ReadAhead(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {
  free_.resize(kBuffers);
  thread_ = std::thread([this] { run(); });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReadAhead::run() {
  for (;;) {
    std::vector<std::byte> buffer;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !free_.empty(); });
      if (stopping_) return;
      buffer = std::move(free_.back());
      free_.pop_back();
    }
    buffer.resize(kHeadroom + kChunk);  // allocated on first use only
    Chunk chunk;
    bool last = false;
    // Fill the chunk, but hand over what a short read brought (a pipe that has nothing
    // more for now) rather than wait for a full megabyte.
    while (chunk.size < kChunk) {
      const std::size_t asked = kChunk - chunk.size;
      auto n = source_->read(std::span(buffer).subspan(kHeadroom + chunk.size, asked));
      if (!n) {
        chunk.error = std::move(n).error();
        last = true;
        break;
      }
      if (*n == 0) {
        last = true;
        break;
      }
      chunk.size += *n;
      if (*n < asked / 2) break;
    }
    std::optional<Error> error = std::move(chunk.error);
    chunk.buffer = std::move(buffer);
    {
      std::lock_guard lock(mutex_);
      if (chunk.size > 0) ready_.push_back(std::move(chunk));  // data before the end/error
      if (last) {
        finished_ = true;
        final_error_ = std::move(error);
      }
    }
    changed_.notify_all();
    if (last) return;
  }
}

ReadAhead::Chunk ReadAhead::take() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
  if (!ready_.empty()) {
    Chunk chunk = std::move(ready_.front());
    ready_.pop_front();
    return chunk;
  }
  Chunk end;
  end.error = final_error_;
  return end;
}

void ReadAhead::give_back(std::vector<std::byte> buffer) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(buffer));
  }
  changed_.notify_all();
}

}  // namespace pcapframe::detail
