// SPDX-License-Identifier: MIT
// ByteSource: where capture bytes come from (file, pipe, memory; later decompressors).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "pcapframe/record.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe::detail {

/// A sequential stream of bytes. Parsers never see it; the reader pulls from it.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Read up to `into.size()` bytes; return 0 at the end of the stream.
  virtual Result<std::size_t> read(std::span<std::byte> into) = 0;
  /// The whole input, when it already sits in memory (the reader then copies nothing).
  virtual Bytes whole() const noexcept { return {}; }
  /// Total bytes the stream will yield, when known in advance.
  virtual std::optional<std::uint64_t> size() const noexcept { return std::nullopt; }
  /// Called from another thread when the reader goes away: a read() waiting for input that
  /// may never come (a silent pipe) returns 0 now, and so does every read() after it.
  virtual void cancel() noexcept {}
};

/// Open `path` for reading ("-" is standard input). Fails with Io naming the path.
Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path);

/// Serve `data` from memory; it must outlive the source.
std::unique_ptr<ByteSource> make_memory_source(Bytes data);

}  // namespace pcapframe::detail
