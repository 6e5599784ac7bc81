// SPDX-License-Identifier: MIT
// Bytes already in memory: served whole, so the reader parses them in place.
#include <algorithm>
#include <cstring>

#include "byte_source.hpp"

namespace pcapframe::detail {
namespace {

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(Bytes data) : data_(data) {}

  Result<std::size_t> read(std::span<std::byte> into) override {
    const std::size_t n = std::min(into.size(), data_.size() - pos_);
    if (n > 0) std::memcpy(into.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  Bytes whole() const noexcept override { return data_; }
  std::optional<std::uint64_t> size() const noexcept override { return data_.size(); }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> make_memory_source(Bytes data) {
  return std::make_unique<MemorySource>(data);
}

}  // namespace pcapframe::detail
