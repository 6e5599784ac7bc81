// SPDX-License-Identifier: MIT
// ReadAhead: a thread that reads (and decompresses) the next chunks of a source while the
// caller parses the current one. Chunks are handed over whole, never copied.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "byte_source.hpp"

namespace pcapframe::detail {

class ReadAhead {
 public:
  /// Bytes free in front of each chunk's data, where the caller can put the unread tail of
  /// the previous chunk so that a record spanning both is contiguous (a classic-pcap record
  /// always fits; larger pcapng blocks are assembled by the caller).
  static constexpr std::size_t kHeadroom = (std::size_t{256} << 10) + 64;
  static constexpr std::size_t kChunk = std::size_t{1} << 20;

  /// A filled chunk: data is buffer[kHeadroom, kHeadroom + size). size 0 means the end, or
  /// the error, if any.
  struct Chunk {
    std::vector<std::byte> buffer;
    std::size_t size = 0;
    std::optional<Error> error;
  };

  /// Start reading `source` on a new thread. If no thread can be started (a tight memory
  /// limit), return nullptr and leave `source` with the caller, who reads synchronously.
  static std::unique_ptr<ReadAhead> start(std::unique_ptr<ByteSource>& source);
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  /// Wait for the next chunk. After the end or an error, every call returns the same.
  Chunk take();
  /// Return a chunk's buffer for reuse once nothing points into it any more.
  void give_back(std::vector<std::byte> buffer);

 private:
  ReadAhead() = default;
  void run();
  bool fill_chunk(std::vector<std::byte>& buffer, Chunk& chunk);

  static constexpr std::size_t kBuffers = 4;  // one parsed, one ready, one being filled, spare

  std::unique_ptr<ByteSource> source_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk> ready_;
  std::vector<std::vector<std::byte>> free_;
  bool finished_ = false;  // the thread delivered the end or an error
  bool stopping_ = false;  // the owner is going away
  std::optional<Error> final_error_;
  std::thread thread_;
};

}  // namespace pcapframe::detail
