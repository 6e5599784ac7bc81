// SPDX-License-Identifier: MIT
// Differential: a capture read in place from memory and the same bytes pulled from a stream in
// small chunks of varying size must give the same records, warnings, error and counts. The
// first four input bytes seed the chunk sizes (and bit 0, strict mode); the rest is the file.
#include <algorithm>
#include <cstring>
#include <memory>

#include "fuzz_support.hpp"

namespace {

using namespace pcapframe;

// Serves `data` in chunks whose sizes come from a xorshift generator: mostly tiny, sometimes a
// few KiB, sometimes everything asked for.
class ChunkedStream final : public ByteStream {
 public:
  ChunkedStream(Bytes data, std::uint32_t seed) : data_(data), state_(seed | 1u) {}
  Result<std::size_t> read(std::span<std::byte> into) override {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    const std::uint32_t pick = state_ % 8;
    std::size_t chunk = pick < 5 ? 1 + state_ % 64 : pick < 7 ? 1 + state_ % 8192 : into.size();
    chunk = std::min({chunk, into.size(), data_.size() - pos_});
    if (chunk > 0) std::memcpy(into.data(), data_.data() + pos_, chunk);
    pos_ += chunk;
    return chunk;
  }
  std::optional<std::uint64_t> size() const noexcept override { return data_.size(); }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
  std::uint32_t state_;
};

bool same_info(const CaptureInfo& a, const CaptureInfo& b) {
  return a.name == b.name && a.format == b.format && a.big_endian == b.big_endian &&
         a.nanosecond == b.nanosecond && a.version_major == b.version_major &&
         a.version_minor == b.version_minor && a.snaplen == b.snaplen && a.link == b.link &&
         a.compression == b.compression && a.size == b.size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::uint32_t seed = std::uint32_t{data[0]} | std::uint32_t{data[1]} << 8 |
                             std::uint32_t{data[2]} << 16 | std::uint32_t{data[3]} << 24;
  const Bytes capture = fuzz::bytes_of(data + 4, size - 4);
  const CaptureOptions options = fuzz::mode((seed & 1u) != 0);

  const fuzz::ReadOutcome memory =
      fuzz::read_all(CaptureReader::open_memory(capture, "fuzz", options));
  const fuzz::ReadOutcome stream = fuzz::read_all(
      CaptureReader::open_stream(std::make_unique<ChunkedStream>(capture, seed), "fuzz", options));

  if (!fuzz::same_error(memory.open_error, stream.open_error) ||
      !fuzz::same_error(memory.error, stream.error) ||
      !fuzz::same_errors(memory.warnings, stream.warnings)) {
    fuzz::print_error("memory open", memory.open_error);
    fuzz::print_error("stream open", stream.open_error);
    fuzz::print_error("memory error", memory.error);
    fuzz::print_error("stream error", stream.error);
    for (const Error& w : memory.warnings) fuzz::print_error("memory warning", w);
    for (const Error& w : stream.warnings) fuzz::print_error("stream warning", w);
  }
  PCAPFRAME_FUZZ_CHECK(fuzz::same_error(memory.open_error, stream.open_error));
  if (memory.open_error) return 0;
  PCAPFRAME_FUZZ_CHECK(same_info(memory.info, stream.info));
  PCAPFRAME_FUZZ_CHECK(memory.records == stream.records);
  PCAPFRAME_FUZZ_CHECK(fuzz::same_errors(memory.warnings, stream.warnings));
  PCAPFRAME_FUZZ_CHECK(fuzz::same_error(memory.error, stream.error));
  PCAPFRAME_FUZZ_CHECK(memory.records_read == stream.records_read);
  PCAPFRAME_FUZZ_CHECK(memory.bytes_consumed == stream.bytes_consumed);
  PCAPFRAME_FUZZ_CHECK(memory.interfaces == stream.interfaces && memory.names == stream.names);
  return 0;
}
