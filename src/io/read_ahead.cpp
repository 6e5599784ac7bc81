// SPDX-License-Identifier: MIT
// The read-ahead thread: the kernel's copy (or the decompressor) runs on the second core
// while the first parses and decodes, so reading a capture costs about max(read, decode)
// instead of their sum (docs/BENCHMARKS.md).
#include "read_ahead.hpp"

#include <new>
#include <system_error>

namespace pcapframe::detail {

std::unique_ptr<ReadAhead> ReadAhead::start(std::unique_ptr<ByteSource>& source) {
  std::unique_ptr<ReadAhead> ahead(new ReadAhead());
  ahead->free_.resize(kBuffers);
  ahead->source_ = std::move(source);
  try {
    ahead->thread_ = std::thread([raw = ahead.get()] { raw->run(); });
  } catch (const std::system_error&) {
    source = std::move(ahead->source_);
    return nullptr;
  }
  return ahead;
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (source_) source_->cancel();  // a read waiting on a quiet pipe would hold up the join
  if (thread_.joinable()) thread_.join();
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
    Chunk chunk;
    const bool last = fill_chunk(buffer, chunk);
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

// Fill one chunk; true when the source ended or failed. A short read (a pipe with nothing
// more for now) hands over what came rather than waiting for a full megabyte.
bool ReadAhead::fill_chunk(std::vector<std::byte>& buffer, Chunk& chunk) {
  try {
    buffer.resize(kHeadroom + kChunk);  // allocated on first use only
  } catch (const std::bad_alloc&) {
    chunk.error = Error{ErrorCode::Io, 0, 0, "out of memory for the read buffer"};
    return true;
  }
  while (chunk.size < kChunk) {
    const std::size_t asked = kChunk - chunk.size;
    auto n = source_->read(std::span(buffer).subspan(kHeadroom + chunk.size, asked));
    if (!n) {
      chunk.error = std::move(n).error();
      return true;
    }
    if (*n == 0) return true;
    chunk.size += *n;
    if (*n < asked / 2) break;
  }
  return false;
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
