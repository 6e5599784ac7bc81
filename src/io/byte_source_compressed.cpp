// SPDX-License-Identifier: MIT
// Streaming decompression. Each codec pulls compressed bytes from the inner source into a
// small buffer and decompresses straight into the reader's buffer (no extra copy).
#include "byte_source_compressed.hpp"

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "../decode/bytes.hpp"

namespace pcapframe::detail {
namespace {

constexpr std::size_t kCompressedChunk = std::size_t{256} << 10;

/// Compressed input, pulled from the inner source on demand, with its stream offset.
class CompressedInput {
 public:
  explicit CompressedInput(std::unique_ptr<ByteSource> inner)
      : inner_(std::move(inner)), buffer_(kCompressedChunk) {}

  // Make some input available; false once the inner source is exhausted. The buffer is filled
  // whole (or to the end of the input), so that the codec is handed the same pieces however
  // the source delivers its bytes: a pipe's short reads must not move where an error is
  // reported (a codec consumes nothing from a piece it finds corrupt).
  Result<bool> refill() {
    if (pos_ < end_) return true;
    if (failed_) return unexpected(*std::exchange(failed_, std::nullopt));
    offset_ += end_;
    pos_ = end_ = 0;
    while (end_ < buffer_.size()) {
      auto n = inner_->read(std::span(buffer_).subspan(end_));
      if (!n) {
        if (end_ == 0) return unexpected(std::move(n).error());
        failed_ = std::move(n).error();  // after the bytes read before it
        break;
      }
      if (*n == 0) break;
      end_ += *n;
    }
    return end_ > 0;
  }
  const std::byte* data() const noexcept { return buffer_.data() + pos_; }
  std::size_t size() const noexcept { return end_ - pos_; }
  void consume(std::size_t n) noexcept { pos_ += n; }
  std::uint64_t offset() const noexcept { return offset_ + pos_; }  // in the compressed stream
  bool exhausted() const noexcept { return pos_ == end_; }
  void cancel() noexcept { inner_->cancel(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::vector<std::byte> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t offset_ = 0;
  std::optional<Error> failed_;  // a read error met after some bytes, returned next time
};

// The loop every codec shares: pull compressed input, let the codec turn some of it into
// output, keep track of whether a frame/member is open (so that the end of the input inside
// one is a cut stream), and hand over decoded bytes before reporting a problem.
class DecompressingSource : public ByteSource {
 public:
  DecompressingSource(std::unique_ptr<ByteSource> inner, std::string name, std::string_view codec)
      : input_(std::move(inner)), name_(std::move(name)), codec_(codec) {}

  Result<std::size_t> read(std::span<std::byte> into) final {
    if (!ready()) return corrupt("cannot initialise the " + codec_ + " decoder");
    if (pending_) return unexpected(*pending_);
    std::size_t produced = 0;
    while (produced < into.size()) {
      auto more = input_.refill();
      if (!more) return fail(produced, unexpected(std::move(more).error()));
      if (!*more) {
        if (in_frame_) return fail(produced, cut_short());
        break;
      }
      const Step step = decompress(Bytes(input_.data(), input_.size()), into.subspan(produced));
      input_.consume(step.consumed);
      produced += step.produced;
      if (step.error != nullptr) return fail(produced, corrupt(step.error));
      // At a frame's end the next bytes may start another (gzip -c a b > ab.gz, zstd/lz4
      // frames written one after another).
      in_frame_ = !step.frame_done;
    }
    return produced;
  }
  void cancel() noexcept final { input_.cancel(); }

 protected:
  /// What one call into the codec did.
  struct Step {
    std::size_t consumed = 0;
    std::size_t produced = 0;
    bool frame_done = false;
    const char* error = nullptr;  // the codec's message for damaged data
  };
  virtual bool ready() const noexcept = 0;
  virtual Step decompress(Bytes in, std::span<std::byte> out) = 0;

 private:
  Unexpected corrupt(const std::string& why) const {
    return unexpected({ErrorCode::CorruptCompression, input_.offset(), 0,
                       name_ + ": corrupt " + codec_ + " data at compressed byte offset " +
                           std::to_string(input_.offset()) + ": " + why});
  }
  Unexpected cut_short() const {
    return unexpected({ErrorCode::Truncated, input_.offset(), 0,
                       name_ + ": the " + codec_ + " stream ends early, at compressed byte offset " +
                           std::to_string(input_.offset())});
  }
  // Fail, but first hand over the `produced` bytes decompressed before the problem: the
  // reader keeps every complete record before it. The failure comes with the next read.
  Result<std::size_t> fail(std::size_t produced, Unexpected failure) {
    if (produced == 0) return failure;
    pending_ = std::move(failure.error);
    return produced;
  }

  CompressedInput input_;
  std::string name_;
  std::string codec_;
  bool in_frame_ = false;
  std::optional<Error> pending_;  // a failure held back by fail(), returned from then on
};

class GzipSource final : public DecompressingSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> inner, std::string name)
      : DecompressingSource(std::move(inner), std::move(name), "gzip") {
    // 15 + 32: a 32 KiB window, gzip or zlib header detected automatically.
    ok_ = inflateInit2(&stream_, 15 + 32) == Z_OK;
  }
  ~GzipSource() override { inflateEnd(&stream_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

 private:
  bool ready() const noexcept override { return ok_; }
  Step decompress(Bytes in, std::span<std::byte> out) override {
    // zlib's API takes non-const pointers but does not write through next_in.
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
    stream_.avail_in = static_cast<uInt>(in.size());
    stream_.next_out = reinterpret_cast<Bytef*>(out.data());
    stream_.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&stream_, Z_NO_FLUSH);
    Step step{in.size() - stream_.avail_in, out.size() - stream_.avail_out, rc == Z_STREAM_END};
    if (rc == Z_STREAM_END) inflateReset(&stream_);
    if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
      step.error = stream_.msg != nullptr ? stream_.msg : "inflate failed";
    return step;
  }

  z_stream stream_{};
  bool ok_ = false;
};

class ZstdSource final : public DecompressingSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> inner, std::string name)
      : DecompressingSource(std::move(inner), std::move(name), "zstd"),
        stream_(ZSTD_createDStream()) {}
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

 private:
  bool ready() const noexcept override { return stream_ != nullptr; }
  Step decompress(Bytes in, std::span<std::byte> out) override {
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    const std::size_t rc = ZSTD_decompressStream(stream_, &output, &input);
    Step step{input.pos, output.pos, rc == 0};  // 0: a frame ended
    if (ZSTD_isError(rc)) step.error = ZSTD_getErrorName(rc);
    return step;
  }

  ZSTD_DStream* stream_;
};

class Lz4Source final : public DecompressingSource {
 public:
  Lz4Source(std::unique_ptr<ByteSource> inner, std::string name)
      : DecompressingSource(std::move(inner), std::move(name), "lz4") {
    ok_ = !LZ4F_isError(LZ4F_createDecompressionContext(&context_, LZ4F_VERSION));
  }
  ~Lz4Source() override { LZ4F_freeDecompressionContext(context_); }
  Lz4Source(const Lz4Source&) = delete;
  Lz4Source& operator=(const Lz4Source&) = delete;

 private:
  bool ready() const noexcept override { return ok_; }
  Step decompress(Bytes in, std::span<std::byte> out) override {
    std::size_t out_size = out.size();
    std::size_t in_size = in.size();
    const std::size_t rc = LZ4F_decompress(context_, out.data(), &out_size, in.data(), &in_size, nullptr);
    Step step{in_size, out_size, rc == 0};  // 0: the frame is complete; a new one may follow
    if (LZ4F_isError(rc)) step.error = LZ4F_getErrorName(rc);
    return step;
  }

  LZ4F_dctx* context_ = nullptr;
  bool ok_ = false;
};

class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::vector<std::byte> prefix, std::unique_ptr<ByteSource> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}

  Result<std::size_t> read(std::span<std::byte> into) override {
    if (pos_ < prefix_.size()) {
      const std::size_t n = std::min(into.size(), prefix_.size() - pos_);
      std::memcpy(into.data(), prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return rest_->read(into);
  }
  std::optional<std::uint64_t> size() const noexcept override { return rest_->size(); }
  void cancel() noexcept override { rest_->cancel(); }

 private:
  std::vector<std::byte> prefix_;
  std::size_t pos_ = 0;
  std::unique_ptr<ByteSource> rest_;
};

bool starts_with(Bytes head, std::initializer_list<unsigned> magic) noexcept {
  if (head.size() < magic.size()) return false;
  std::size_t i = 0;
  for (const unsigned b : magic)
    if (byte_at(head, i++) != b) return false;
  return true;
}

}  // namespace

Compression detect_compression(Bytes head) noexcept {
  if (starts_with(head, {0x1f, 0x8b})) return Compression::Gzip;              // RFC 1952
  if (starts_with(head, {0x28, 0xb5, 0x2f, 0xfd})) return Compression::Zstd;  // RFC 8878
  if (starts_with(head, {0x04, 0x22, 0x4d, 0x18})) return Compression::Lz4;   // lz4 frame
  return Compression::None;
}

std::string_view compression_name(Compression c) noexcept {
  switch (c) {
    case Compression::None: return "";
    case Compression::Gzip: return "gzip";
    case Compression::Zstd: return "zstd";
    case Compression::Lz4: return "lz4";
  }
  return "";
}

std::unique_ptr<ByteSource> make_decompressing_source(Compression kind,
                                                      std::unique_ptr<ByteSource> inner,
                                                      std::string name) {
  switch (kind) {
    case Compression::Gzip: return std::make_unique<GzipSource>(std::move(inner), std::move(name));
    case Compression::Zstd: return std::make_unique<ZstdSource>(std::move(inner), std::move(name));
    case Compression::Lz4: return std::make_unique<Lz4Source>(std::move(inner), std::move(name));
    case Compression::None: break;
  }
  return inner;
}

std::unique_ptr<ByteSource> make_prefixed_source(std::vector<std::byte> prefix,
                                                 std::unique_ptr<ByteSource> rest) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(rest));
}

}  // namespace pcapframe::detail
