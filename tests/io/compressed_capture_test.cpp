// SPDX-License-Identifier: MIT
// Compressed captures (gzip, zstd, lz4) through CaptureReader: the same records as the plain
// file, from memory and from files, and the lax/strict policy when the stream is cut or bad.
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "io/reader_support.hpp"
#include "pcapframe/capture.hpp"
#include "support/pcap_writer.hpp"

namespace pcapframe {
namespace {

using test::big_capture;
using test::check_big;
using test::mode;
using test::pattern;
using test::PcapWriter;
using test::TestPipe;
using test::read_all;
using test::strict_mode;
using test::TempFile;
using test::to_bytes;

enum class Codec { Gzip, Zstd, Lz4 };

const char* codec_name(Codec c) {
  switch (c) {
    case Codec::Gzip: return "gzip";
    case Codec::Zstd: return "zstd";
    case Codec::Lz4: return "lz4";
  }
  return "";
}

std::vector<std::byte> compress(Codec codec, std::span<const std::byte> in) {
  std::vector<std::byte> out;
  switch (codec) {
    case Codec::Gzip: {
      z_stream s{};
      if (deflateInit2(&s, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
      out.resize(deflateBound(&s, static_cast<uLong>(in.size())));
      s.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
      s.avail_in = static_cast<uInt>(in.size());
      s.next_out = reinterpret_cast<Bytef*>(out.data());
      s.avail_out = static_cast<uInt>(out.size());
      if (deflate(&s, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
      out.resize(s.total_out);
      deflateEnd(&s);
      return out;
    }
    case Codec::Zstd: {
      out.resize(ZSTD_compressBound(in.size()));
      const std::size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 1);
      if (ZSTD_isError(n)) throw std::runtime_error("ZSTD_compress");
      out.resize(n);
      return out;
    }
    case Codec::Lz4: {
      out.resize(LZ4F_compressFrameBound(in.size(), nullptr));
      const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), in.data(), in.size(), nullptr);
      if (LZ4F_isError(n)) throw std::runtime_error("LZ4F_compressFrame");
      out.resize(n);
      return out;
    }
  }
  return out;
}

// How many bytes each library can decompress from a (possibly cut) stream: the oracle for how
// much of the capture a reader can recover.
std::size_t decompressible_prefix(Codec codec, std::span<const std::byte> in, std::size_t limit) {
  std::vector<std::byte> out(limit);
  switch (codec) {
    case Codec::Gzip: {
      z_stream s{};
      if (inflateInit2(&s, 15 + 32) != Z_OK) throw std::runtime_error("inflateInit2");
      s.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in.data()));
      s.avail_in = static_cast<uInt>(in.size());
      s.next_out = reinterpret_cast<Bytef*>(out.data());
      s.avail_out = static_cast<uInt>(out.size());
      while (inflate(&s, Z_SYNC_FLUSH) == Z_OK) {
      }
      const std::size_t n = s.total_out;
      inflateEnd(&s);
      return n;
    }
    case Codec::Zstd: {
      ZSTD_DStream* d = ZSTD_createDStream();
      ZSTD_outBuffer o{out.data(), out.size(), 0};
      ZSTD_inBuffer i{in.data(), in.size(), 0};
      for (std::size_t before = SIZE_MAX; o.pos != before;) {
        before = o.pos;
        if (ZSTD_isError(ZSTD_decompressStream(d, &o, &i))) break;
      }
      ZSTD_freeDStream(d);
      return o.pos;
    }
    case Codec::Lz4: {
      LZ4F_dctx* d = nullptr;
      if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION)))
        throw std::runtime_error("lz4 context");
      std::size_t produced = 0, consumed = 0;
      for (;;) {
        std::size_t out_size = out.size() - produced, in_size = in.size() - consumed;
        const std::size_t rc =
            LZ4F_decompress(d, out.data() + produced, &out_size, in.data() + consumed, &in_size, nullptr);
        produced += out_size;
        consumed += in_size;
        if (LZ4F_isError(rc) || (out_size == 0 && in_size == 0)) break;
      }
      LZ4F_freeDecompressionContext(d);
      return produced;
    }
  }
  return 0;
}

// Records of a 16-byte-header capture (sizes given) that lie entirely within `prefix` bytes.
std::size_t complete_records(const std::vector<std::size_t>& sizes, std::size_t prefix) {
  std::size_t end = 24, n = 0;
  for (const std::size_t size : sizes) {
    end += 16 + size;
    if (end > prefix) break;
    ++n;
  }
  return n;
}

struct SmallCapture {
  std::vector<std::byte> bytes;
  std::vector<std::size_t> sizes;
};

SmallCapture small_capture() {
  SmallCapture c;
  PcapWriter w;
  for (std::size_t i = 0; i < 50; ++i) {
    c.sizes.push_back(i * 37 % 1500);
    w.add(static_cast<std::int64_t>(i) * 1'000'000, pattern(i, c.sizes.back()));
  }
  c.bytes = w.bytes();
  return c;
}

class Compressed : public ::testing::TestWithParam<Codec> {};

TEST_P(Compressed, SameRecordsAsThePlainCapture) {
  const SmallCapture plain = small_capture();
  const auto packed = compress(GetParam(), plain.bytes);
  auto expected_reader = CaptureReader::open_memory(plain.bytes);
  ASSERT_TRUE(expected_reader);
  const auto expected = read_all(*expected_reader);
  ASSERT_EQ(expected.size(), 50u);

  TempFile file(packed, std::string(".pcap.") + codec_name(GetParam()));
  auto from_memory = CaptureReader::open_memory(packed, "mem", strict_mode());
  auto from_file = CaptureReader::open(file.path(), strict_mode());
  for (auto* reader : {&from_memory, &from_file}) {
    ASSERT_TRUE(*reader) << reader->error().message;
    EXPECT_EQ((*reader)->info().compression, codec_name(GetParam()));
    EXPECT_FALSE((*reader)->info().size);  // unknown until decompressed
    EXPECT_EQ(read_all(**reader), expected);
    EXPECT_FALSE((*reader)->error());
    EXPECT_EQ((*reader)->bytes_consumed(), plain.bytes.size());
  }
}

TEST_P(Compressed, BigCaptureAcrossBuffers) {
  const auto& big = big_capture();
  const auto packed = compress(GetParam(), big.bytes);
  auto reader = CaptureReader::open_memory(packed, "big", strict_mode());
  ASSERT_TRUE(reader);
  check_big(*reader, big);
}

TEST_P(Compressed, CutStreamKeepsEveryRecoverableRecord) {
  const auto& big = big_capture();
  const auto packed = compress(GetParam(), big.bytes);
  for (const double fraction : {0.3, 0.77}) {
    const auto cut = std::span(packed).first(static_cast<std::size_t>(static_cast<double>(packed.size()) * fraction));
    const std::size_t recoverable = decompressible_prefix(GetParam(), cut, big.bytes.size());
    const std::size_t expected = complete_records(big.sizes, recoverable);
    ASSERT_GT(expected, 0u);
    ASSERT_LT(expected, big.sizes.size());
    for (const bool strict : {false, true}) {
      SCOPED_TRACE(std::to_string(fraction) + (strict ? " strict" : " lax"));
      auto reader = CaptureReader::open_memory(cut, "cut", mode(strict));
      ASSERT_TRUE(reader) << reader.error().message;
      Record r;
      std::size_t n = 0;
      while (reader->next(r)) {
        ASSERT_EQ(r.caplen, big.sizes[n]);
        const auto want = pattern(n, big.sizes[n]);
        ASSERT_TRUE(std::equal(r.bytes.begin(), r.bytes.end(), want.begin(), want.end()));
        ++n;
      }
      EXPECT_EQ(n, expected);
      EXPECT_FALSE(reader->next(r));  // stays stopped, and says so once
      const std::string message_start = std::string("cut: the ") + codec_name(GetParam()) +
                                        " stream ends early, at compressed byte offset ";
      if (strict) {
        ASSERT_TRUE(reader->error());
        EXPECT_TRUE(reader->warnings().empty());
        EXPECT_EQ(reader->error()->code, ErrorCode::Truncated);
        EXPECT_EQ(reader->error()->message.rfind(message_start, 0), 0u) << reader->error()->message;
      } else {
        EXPECT_FALSE(reader->error());
        ASSERT_EQ(reader->warnings().size(), 1u);
        EXPECT_EQ(reader->warnings()[0].code, ErrorCode::Truncated);
        EXPECT_EQ(reader->warnings()[0].message.rfind(message_start, 0), 0u)
            << reader->warnings()[0].message;
      }
    }
  }
}

// A compressed stream from a producer that has gone quiet: closing the reader does not wait
// for more input (the read-ahead thread's wait is cancelled through the decompressor).
TEST_P(Compressed, ClosingDoesNotWaitForAQuietPipe) {
  // A decompressing read fills its whole buffer (about 1 MiB) before it returns, so the
  // stream must be longer than that for the first records to arrive before the pipe goes
  // quiet; noise does not compress, so 2.6 MB of frames make a stream that long.
  std::mt19937 noise(7);
  PcapWriter w;
  for (std::int64_t i = 0; i < 2'600; ++i) {
    std::vector<std::byte> frame(1000);
    for (auto& b : frame) b = static_cast<std::byte>(noise());
    w.add(i * 1'000, frame);
  }
  TestPipe pipe(compress(GetParam(), w.bytes()), TestPipe::Then::GoQuiet);
  auto opened = CaptureReader::open(pipe.path(), strict_mode());
  ASSERT_TRUE(opened) << opened.error().message;
  std::optional<CaptureReader> reader(std::move(*opened));
  Record r;
  ASSERT_TRUE(reader->next(r));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the thread waits in read()
  EXPECT_TRUE(test::closes_within(reader, pipe, std::chrono::seconds(5)));
}

INSTANTIATE_TEST_SUITE_P(Codecs, Compressed,
                         ::testing::Values(Codec::Gzip, Codec::Zstd, Codec::Lz4),
                         [](const auto& p) { return std::string(codec_name(p.param)); });

TEST(CompressedCapture, GzipOfTextIsNotACapture) {
  // `printf 'hello world\n' | gzip -n`: the reader looks inside and says so.
  const auto bytes = to_bytes({0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb,
                               0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x28, 0xcf, 0x2f, 0xca, 0x49, 0xe1,
                               0x02, 0x00, 0x2d, 0x3b, 0x08, 0xaf, 0x0c, 0x00, 0x00, 0x00});
  for (const bool via_file : {false, true}) {
    std::optional<TempFile> file;
    std::string name = "notes.txt.gz";
    Result<CaptureReader> reader = unexpected({});
    if (via_file) {
      file.emplace(bytes, ".txt.gz");
      name = file->path();
      reader = CaptureReader::open(name);
    } else {
      reader = CaptureReader::open_memory(bytes, name);
    }
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::NotACapture);
    EXPECT_EQ(reader.error().message,
              name + ": not a capture file inside the gzip stream (first bytes: 68 65 6c 6c 6f 20 "
                     "77 6f \"hello wo\")");
  }
}

TEST(CompressedCapture, DamagedGzipHeaderFailsToOpen) {
  // A gzip magic followed by nonsense (method 0x63 is no deflate), and a bare 10-byte header:
  // nothing can be read, in lax mode as in strict mode, so opening fails.
  const auto bad_method = to_bytes("\x1f\x8b" "c'est pas un gzip");
  const auto header_only = to_bytes({0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03});
  for (const bool strict : {false, true}) {
    {
      auto reader = CaptureReader::open_memory(bad_method, "bad.gz", mode(strict));
      ASSERT_FALSE(reader);
      EXPECT_EQ(reader.error().code, ErrorCode::CorruptCompression);
      EXPECT_EQ(reader.error().message.rfind("bad.gz: corrupt gzip data at compressed byte offset ", 0), 0u)
          << reader.error().message;
    }
    {
      auto reader = CaptureReader::open_memory(header_only, "empty.gz", mode(strict));
      ASSERT_FALSE(reader);
      EXPECT_EQ(reader.error().code, ErrorCode::Truncated);
      EXPECT_EQ(reader.error().message,
                "empty.gz: the gzip stream ends early, at compressed byte offset 10");
    }
  }
}

}  // namespace
}  // namespace pcapframe
