// SPDX-License-Identifier: MIT
// CaptureReader: every pcap variant, the lax/strict policy for damaged captures, the refill
// path across buffer boundaries (file and pipe), and the errors for things that are no capture.
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pcapframe/capture.hpp"
#include "io/reader_support.hpp"
#include "support/pcap_writer.hpp"

// The largest single allocation since the last reset, to show that no allocation is sized by
// an unchecked length field. Replacing the global operator new is allowed in a program (and
// works under ASan: the replacement allocates with malloc and frees with free).
namespace {
std::atomic<std::size_t> g_largest_allocation{0};
}  // namespace

void* operator new(std::size_t size) {
  std::size_t seen = g_largest_allocation.load(std::memory_order_relaxed);
  while (size > seen && !g_largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace pcapframe {
namespace {

using test::big_capture;
using test::BigCapture;
using test::check_big;
using test::Copy;
using test::mode;
using test::pattern;
using test::PcapWriter;
using test::TestPipe;
using test::read_all;
using test::RecordOptions;
using test::strict_mode;
using test::TempFile;
using test::to_bytes;

// Standard input served from a TestPipe, for the duration of a scope. Odd-sized writes
// (70,001 bytes) put the reader's short reads at odd places.
class StdinFromPipe {
 public:
  explicit StdinFromPipe(std::vector<std::byte> data)
      : pipe_(std::move(data), TestPipe::Then::HangUp, 70'001), saved_stdin_(::dup(STDIN_FILENO)) {
    ::dup2(pipe_.read_fd(), STDIN_FILENO);
    pipe_.close_read_end();
  }
  StdinFromPipe(const StdinFromPipe&) = delete;
  StdinFromPipe& operator=(const StdinFromPipe&) = delete;
  ~StdinFromPipe() {
    ::dup2(saved_stdin_, STDIN_FILENO);  // drops the last read end: a blocked writer fails
    ::close(saved_stdin_);
  }

 private:
  TestPipe pipe_;
  int saved_stdin_;
};

// ---------------------------------------------------------------------------------------------
// Variants

using Variant = test::PcapVariant;
using test::writer_for;

class ReaderVariants : public ::testing::TestWithParam<Variant> {};

TEST_P(ReaderVariants, IdenticalRecords) {
  const Variant& v = GetParam();
  // Microsecond-exact times (all variants store them exactly), out of order on purpose.
  const std::int64_t times[] = {1'598'018'810'956'640'000, 1'598'018'810'000'001'000, 0,
                                4'294'967'295'999'999'000, 1'000'000};
  const std::size_t sizes[] = {60, 0, 1514, 1, 9000};
  PcapWriter w = writer_for(v);
  w.snaplen(65535).link(101);
  for (std::size_t i = 0; i < 5; ++i)
    w.add(times[i], pattern(i, sizes[i]), RecordOptions().origlen(static_cast<std::uint32_t>(sizes[i] + i)));
  const auto bytes = w.bytes();

  auto reader = CaptureReader::open_memory(bytes, "v.pcap");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(reader->info().name, "v.pcap");
  EXPECT_EQ(reader->info().format, v.modified ? CaptureFormat::PcapModified : CaptureFormat::Pcap);
  EXPECT_EQ(reader->info().big_endian, v.big_endian);
  EXPECT_EQ(reader->info().nanosecond, v.nanosecond);
  EXPECT_EQ(reader->info().snaplen, 65535u);
  EXPECT_EQ(reader->info().link, LinkType::Raw);
  EXPECT_EQ(reader->info().size, bytes.size());

  const auto records = read_all(*reader);
  ASSERT_EQ(records.size(), 5u);
  const std::size_t hdr = v.modified ? 24 : 16;
  std::uint64_t offset = 24;
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(records[i].ts_ns, times[i]);
    EXPECT_EQ(records[i].caplen, sizes[i]);
    EXPECT_EQ(records[i].origlen, sizes[i] + i);
    EXPECT_EQ(records[i].link, LinkType::Raw);
    EXPECT_EQ(records[i].iface, 0u);
    EXPECT_EQ(records[i].offset, offset);
    EXPECT_EQ(records[i].bytes, pattern(i, sizes[i]));
    offset += hdr + sizes[i];
  }
  EXPECT_EQ(offset, bytes.size());
  EXPECT_EQ(reader->bytes_consumed(), bytes.size());
  EXPECT_EQ(reader->records_read(), 5u);
  EXPECT_FALSE(reader->error());
  EXPECT_TRUE(reader->warnings().empty());
}

INSTANTIATE_TEST_SUITE_P(
    AllMagics, ReaderVariants,
    ::testing::ValuesIn(test::kPcapVariants),
    [](const auto& p) { return std::string(p.param.name); });

TEST(CaptureReader, NanosecondDigitsKept) {
  for (const bool be : {false, true}) {
    const auto bytes = PcapWriter().nanosecond().big_endian(be)
                           .add(1'700'000'000'123'456'789, pattern(0, 10))
                           .add(1'700'000'000'000'000'001, pattern(1, 10))
                           .add(999'999'999, pattern(2, 10))
                           .bytes();
    auto reader = CaptureReader::open_memory(bytes);
    ASSERT_TRUE(reader);
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].ts_ns, 1'700'000'000'123'456'789);
    EXPECT_EQ(records[1].ts_ns, 1'700'000'000'000'000'001);
    EXPECT_EQ(records[2].ts_ns, 999'999'999);
  }
}

TEST(CaptureReader, MicrosecondFractionScaled) {
  // 123456 µs in the header is 123456000 ns, not 123456 ns.
  const auto bytes = PcapWriter().add(1'700'000'000'123'456'000, pattern(0, 1)).bytes();
  auto reader = CaptureReader::open_memory(bytes);
  ASSERT_TRUE(reader);
  Record r;
  ASSERT_TRUE(reader->next(r));
  EXPECT_EQ(r.ts_ns, 1'700'000'000'123'456'000);
}

TEST(CaptureReader, ModifiedPcapCarriesNoExtraBytesIntoTheFrame) {
  const auto frame = pattern(7, 42);
  const auto bytes = PcapWriter().modified()
                         .add(1'000'000, frame,
                              RecordOptions().modified_fields(0xdeadbeef, 0x0800, 4))
                         .add(2'000'000, frame)
                         .bytes();
  ASSERT_EQ(bytes.size(), 24u + 2 * (24 + 42));
  auto reader = CaptureReader::open_memory(bytes);
  ASSERT_TRUE(reader);
  const auto records = read_all(*reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].bytes, frame);
  EXPECT_EQ(records[1].bytes, frame);
  EXPECT_EQ(records[1].offset, 24u + 24 + 42);
  EXPECT_EQ(reader->info().format, CaptureFormat::PcapModified);
  EXPECT_EQ(capture_format_name(reader->info().format), "pcap (modified)");
}

// ---------------------------------------------------------------------------------------------
// Versions and things that are no capture

TEST(CaptureReader, Version22IsRead) {
  const auto bytes = PcapWriter().version(2, 2).add(5, pattern(0, 3)).bytes();
  auto reader = CaptureReader::open_memory(bytes);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(reader->info().version_major, 2);
  EXPECT_EQ(reader->info().version_minor, 2);
  EXPECT_EQ(read_all(*reader).size(), 1u);
}

TEST(CaptureReader, Version30IsUnsupported) {
  for (const bool be : {false, true}) {
    const auto bytes = PcapWriter().big_endian(be).version(3, 0).add(5, pattern(0, 3)).bytes();
    auto reader = CaptureReader::open_memory(bytes, "future.pcap");
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::UnsupportedVersion);
    EXPECT_EQ(reader.error().message,
              "future.pcap: pcap version 3.0 is not supported (only 2.x)");
  }
}

struct NotACaptureCase {
  const char* name;
  std::vector<std::byte> bytes;
  std::string message;
};

TEST(CaptureReader, NotACaptureNamesFileAndFirstBytes) {
  const NotACaptureCase cases[] = {
      {"notes.txt", to_bytes("hello world\n"),
       "notes.txt: not a capture file (first bytes: 68 65 6c 6c 6f 20 77 6f \"hello wo\")"},
      {"empty.pcap", {}, "empty.pcap: not a capture file (the file is empty)"},
      // `printf 'hello world\n' | gzip -n`: the reader looks inside and says so.
      {"notes.txt.gz",
       to_bytes({0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb,
                 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x28, 0xcf, 0x2f, 0xca, 0x49, 0xe1,
                 0x02, 0x00, 0x2d, 0x3b, 0x08, 0xaf, 0x0c, 0x00, 0x00, 0x00}),
       "notes.txt.gz: not a capture file inside the gzip stream (first bytes: 68 65 6c 6c 6f "
       "20 77 6f \"hello wo\")"},
      {"image.png", to_bytes({0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d}),
       "image.png: not a capture file (a PNG image; first bytes: 89 50 4e 47 0d 0a 1a 0a "
       "\".PNG....\")"},
      {"short", to_bytes({0xd4, 0xc3}), "short: not a capture file (first bytes: d4 c3 \"..\")"},
  };
  for (const NotACaptureCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto reader = CaptureReader::open_memory(c.bytes, c.name);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::NotACapture);
    EXPECT_EQ(reader.error().message, c.message);
    EXPECT_EQ(reader.error().offset, 0u);
  }
}

TEST(CaptureReader, PcapngHeaderAloneIsRecognisedButCutShort) {
  // The magic of a pcapng Section Header Block, then nothing: a capture, just truncated.
  for (const auto& bytes :
       {to_bytes({0x0a, 0x0d, 0x0d, 0x0a}),
        to_bytes({0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00, 0x4d, 0x3c, 0x2b, 0x1a})}) {
    auto reader = CaptureReader::open_memory(bytes, "trace.pcapng");
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::Truncated);
    EXPECT_EQ(reader.error().message, "trace.pcapng: the pcapng section header is cut short");
  }
}

TEST(CaptureReader, NotACaptureFromFiles) {
  // Through the file source: a text file and an empty file (its size 0 takes its own path).
  {
    TempFile file(to_bytes("# not a capture\n"), ".txt");
    auto reader = CaptureReader::open(file.path());
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::NotACapture);
    EXPECT_EQ(reader.error().message,
              file.path() + ": not a capture file (first bytes: 23 20 6e 6f 74 20 61 20 \"# not a \")");
  }
  {
    TempFile file({});
    auto reader = CaptureReader::open(file.path());
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::NotACapture);
    EXPECT_EQ(reader.error().message, file.path() + ": not a capture file (the file is empty)");
  }
}

TEST(CaptureReader, TruncatedGlobalHeader) {
  const auto full = PcapWriter().bytes();
  for (std::size_t n = 4; n < 24; ++n) {
    const std::vector<std::byte> head(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    auto reader = CaptureReader::open_memory(head, "cut.pcap");
    ASSERT_FALSE(reader) << n;
    EXPECT_EQ(reader.error().code, ErrorCode::Truncated) << n;
    EXPECT_EQ(reader.error().message, "cut.pcap: the pcap file header is cut short (" +
                                          std::to_string(n) + " of 24 bytes)");
  }
  // The same through a file.
  TempFile file{Bytes(full).first(10)};
  auto reader = CaptureReader::open(file.path());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::Truncated);
  EXPECT_EQ(reader.error().message, file.path() + ": the pcap file header is cut short (10 of 24 bytes)");
}

TEST(CaptureReader, HeaderOnlyIsAnEmptyCapture) {
  const auto bytes = PcapWriter().bytes();
  auto reader = CaptureReader::open_memory(bytes);
  ASSERT_TRUE(reader);
  Record r;
  EXPECT_FALSE(reader->next(r));
  EXPECT_FALSE(reader->next(r));  // stays at the end
  EXPECT_FALSE(reader->error());
  EXPECT_TRUE(reader->warnings().empty());
  EXPECT_EQ(reader->records_read(), 0u);
  EXPECT_EQ(reader->bytes_consumed(), 24u);
}

TEST(CaptureReader, MissingPathAndDirectory) {
  const std::string missing = ::testing::TempDir() + "pcapframe_no_such_file.pcap";
  {
    auto reader = CaptureReader::open(missing);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::Io);
    EXPECT_EQ(reader.error().message, missing + ": cannot open: No such file or directory");
  }
  {
    const std::string dir = PCAPFRAME_SOURCE_DIR "/data";
    auto reader = CaptureReader::open(dir);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::Io);
    EXPECT_EQ(reader.error().message, dir + ": is a directory");
  }
}

// ---------------------------------------------------------------------------------------------
// Damage after the header: lax keeps what came before and warns once; strict fails.

// Three good 60-byte records (76 bytes each with the header), then `tail`.
std::vector<std::byte> three_records_then(std::span<const std::byte> tail) {
  PcapWriter w;
  for (std::size_t i = 0; i < 3; ++i) w.add(static_cast<std::int64_t>(i) * 1000, pattern(i, 60));
  auto bytes = w.bytes();
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  return bytes;
}

enum class Source { Memory, File, Pipe };

struct DamageCase {
  const char* name;
  std::vector<std::byte> tail;  // bytes after the three good records
  ErrorCode code;
  std::string detail;           // what the message says after "record 4 at byte offset 252: "
};

std::vector<DamageCase> damage_cases() {
  const auto record = PcapWriter().add(9000, pattern(3, 60)).bytes();  // header + 76 bytes
  const auto fourth = std::span(record).subspan(24);
  std::vector<DamageCase> cases;
  cases.push_back({"header_cut", {fourth.begin(), fourth.begin() + 10}, ErrorCode::Truncated,
                   "the capture ends inside the record (10 of 16 bytes present)"});
  cases.push_back({"data_cut", {fourth.begin(), fourth.begin() + 50}, ErrorCode::Truncated,
                   "the capture ends inside the record (50 of 76 bytes present)"});
  cases.push_back({"data_missing", {fourth.begin(), fourth.begin() + 16}, ErrorCode::Truncated,
                   "the capture ends inside the record (16 of 76 bytes present)"});
  const auto huge = PcapWriter().add(0, pattern(3, 100), RecordOptions().caplen(kMaxCaplen + 1)).bytes();
  cases.push_back({"caplen_over_max", {huge.begin() + 24, huge.end()}, ErrorCode::CorruptRecord,
                   "captured length 262145 is above the maximum of 262144"});
  const auto giant = PcapWriter().add(0, pattern(3, 8), RecordOptions().caplen(0xffff'ffffu)).bytes();
  cases.push_back({"caplen_4gib", {giant.begin() + 24, giant.end()}, ErrorCode::CorruptRecord,
                   "captured length 4294967295 is above the maximum of 262144"});
  return cases;
}

class Damage : public ::testing::TestWithParam<std::tuple<Source, bool>> {};

TEST_P(Damage, KeepsRecordsBeforeAndReportsOffsetAndNumber) {
  const auto [source, strict] = GetParam();
  for (const DamageCase& c : damage_cases()) {
    SCOPED_TRACE(c.name);
    const auto bytes = three_records_then(c.tail);
    std::optional<TempFile> file;
    std::optional<StdinFromPipe> pipe;
    std::string name = "damaged.pcap";
    Result<CaptureReader> reader = unexpected({});
    switch (source) {
      case Source::Memory: reader = CaptureReader::open_memory(bytes, name, mode(strict)); break;
      case Source::File:
        file.emplace(bytes);
        name = file->path();
        reader = CaptureReader::open(name, mode(strict));
        break;
      case Source::Pipe:
        pipe.emplace(bytes);
        name = "<stdin>";
        reader = CaptureReader::open("-", mode(strict));
        break;
    }
    ASSERT_TRUE(reader) << reader.error().message;
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 3u);  // every complete record before the damage
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(records[i].bytes, pattern(i, 60));
    EXPECT_EQ(reader->records_read(), 3u);
    EXPECT_EQ(reader->bytes_consumed(), 24u + 3 * 76);

    const std::string message = name + ": record 4 at byte offset 252: " + c.detail +
                                "; the 3 complete records before it are kept";
    const Error* problem = nullptr;
    if (strict) {
      ASSERT_TRUE(reader->error());
      EXPECT_TRUE(reader->warnings().empty());
      problem = &*reader->error();
    } else {
      EXPECT_FALSE(reader->error());
      ASSERT_EQ(reader->warnings().size(), 1u);
      problem = &reader->warnings()[0];
    }
    EXPECT_EQ(problem->code, c.code);
    EXPECT_EQ(problem->offset, 252u);
    EXPECT_EQ(problem->record, 3u);  // records before the failure
    EXPECT_EQ(problem->message, message);
    Record r;
    EXPECT_FALSE(reader->next(r));  // reading stays stopped
    EXPECT_EQ(reader->records_read(), 3u);
  }
}

INSTANTIATE_TEST_SUITE_P(SourcesAndModes, Damage,
                         ::testing::Combine(::testing::Values(Source::Memory, Source::File,
                                                              Source::Pipe),
                                            ::testing::Bool()),
                         [](const auto& p) {
                           const Source s = std::get<0>(p.param);
                           return std::string(s == Source::Memory ? "memory"
                                              : s == Source::File ? "file"
                                                                  : "pipe") +
                                  (std::get<1>(p.param) ? "_strict" : "_lax");
                         });

TEST(CaptureReader, TruncatedFirstRecord) {
  const auto full = PcapWriter().add(1, pattern(0, 60)).bytes();
  const std::vector<std::byte> cut(full.begin(), full.begin() + 24 + 70);
  auto reader = CaptureReader::open_memory(cut, "one.pcap");
  ASSERT_TRUE(reader);
  EXPECT_TRUE(read_all(*reader).empty());
  ASSERT_EQ(reader->warnings().size(), 1u);
  EXPECT_EQ(reader->warnings()[0].message,
            "one.pcap: record 1 at byte offset 24: the capture ends inside the record (70 of 76 "
            "bytes present); the 0 complete records before it are kept");
  EXPECT_EQ(reader->warnings()[0].record, 0u);
}

TEST(CaptureReader, HugeCaplenAllocatesNothingBig) {
  const auto bytes = PcapWriter().add(0, pattern(0, 60))
                         .add(1, pattern(1, 4), RecordOptions().origlen(0xffff'ffffu).caplen(0xffff'ffffu))
                         .bytes();
  const auto start = std::chrono::steady_clock::now();
  {
    g_largest_allocation = 0;
    auto reader = CaptureReader::open_memory(bytes, "huge.pcap");
    ASSERT_TRUE(reader);
    EXPECT_EQ(read_all(*reader).size(), 1u);
    ASSERT_EQ(reader->warnings().size(), 1u);
    EXPECT_EQ(reader->warnings()[0].code, ErrorCode::CorruptRecord);
    // Memory input is parsed in place: no buffer at all.
    EXPECT_LT(g_largest_allocation.load(), std::size_t{64} << 10);
  }
  {
    TempFile file(bytes);
    g_largest_allocation = 0;
    auto reader = CaptureReader::open(file.path(), strict_mode());
    ASSERT_TRUE(reader);
    EXPECT_EQ(read_all(*reader).size(), 1u);
    ASSERT_TRUE(reader->error());
    EXPECT_EQ(reader->error()->code, ErrorCode::CorruptRecord);
    // A file gets the reader's fixed buffer (2 MiB), never anything sized by the field.
    EXPECT_LE(g_largest_allocation.load(), std::size_t{4} << 20);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

// Little-endian pcapng blocks for the length-field tests below.
void put32_le(std::vector<std::byte>& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::byte>(v >> shift & 0xffu));
}
std::vector<std::byte> ng_block(std::uint32_t type, std::vector<std::byte> body) {
  body.resize((body.size() + 3) & ~std::size_t{3});
  const auto length = static_cast<std::uint32_t>(12 + body.size());
  std::vector<std::byte> out;
  put32_le(out, type);
  put32_le(out, length);
  out.insert(out.end(), body.begin(), body.end());
  put32_le(out, length);
  return out;
}
// A section header, an Ethernet interface and one 60-byte packet.
std::vector<std::byte> ng_one_packet() {
  std::vector<std::byte> shb, idb, epb;
  put32_le(shb, 0x1a2b3c4d), put32_le(shb, 1), put32_le(shb, 0xffffffff), put32_le(shb, 0xffffffff);
  put32_le(idb, 1), put32_le(idb, 262144);
  for (const std::uint32_t v : {0u, 0u, 1'000'000u, 60u, 60u}) put32_le(epb, v);
  const auto frame = pattern(0, 60);
  epb.insert(epb.end(), frame.begin(), frame.end());
  std::vector<std::byte> out = ng_block(0x0a0d0d0a, shb);
  for (const auto& b : {ng_block(1, idb), ng_block(6, epb)}) out.insert(out.end(), b.begin(), b.end());
  return out;
}

// pcapng length fields claiming more than a 1 KB file holds. A packet block over the 16 MiB
// cap fails at once; an unknown block that large is streamed past; a packet block, or a
// leading interface block, claiming just the cap reads only what is there. From memory
// nothing is allocated; from a file, only the reader's fixed buffers, never by the field.
TEST(CaptureReader, HugePcapngBlocksAllocateNothingBig) {
  const auto head_of = [](std::uint32_t type, std::uint32_t length) {
    std::vector<std::byte> out;
    put32_le(out, type);
    put32_le(out, length);
    out.resize(out.size() + 1000, std::byte{0});
    return out;
  };
  struct Case {
    std::string name;
    std::vector<std::byte> tail;
    bool after_packet;  // one packet is read before the problem
    ErrorCode code;
  };
  const std::vector<Case> cases = {
      {"packet block of 4 GiB", head_of(6, 0xfffffff0u), true, ErrorCode::CorruptRecord},
      {"unknown block of 4 GiB", head_of(0x0bad, 0xfffffff0u), true, ErrorCode::Truncated},
      {"packet block at the cap", head_of(6, 16u << 20), true, ErrorCode::Truncated},
  };
  const auto start = std::chrono::steady_clock::now();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto bytes = ng_one_packet();
    bytes.insert(bytes.end(), c.tail.begin(), c.tail.end());
    for (const bool via_file : {false, true}) {
      std::optional<TempFile> file;
      g_largest_allocation = 0;
      Result<CaptureReader> reader = unexpected({});
      if (via_file) {
        file.emplace(bytes, ".pcapng");
        g_largest_allocation = 0;
        reader = CaptureReader::open(file->path());
      } else {
        reader = CaptureReader::open_memory(bytes, "huge.pcapng");
      }
      ASSERT_TRUE(reader);
      EXPECT_EQ(read_all(*reader).size(), 1u);
      ASSERT_EQ(reader->warnings().size(), 1u);
      EXPECT_EQ(reader->warnings()[0].code, c.code);
      EXPECT_LE(g_largest_allocation.load(), via_file ? std::size_t{4} << 20 : std::size_t{64} << 10);
    }
  }
  // The interface block that opens the file claims 16 MiB: the open reads ahead for it.
  std::vector<std::byte> leading = ng_one_packet();
  leading.resize(28);  // the section header alone
  const auto idb = head_of(1, 16u << 20);
  leading.insert(leading.end(), idb.begin(), idb.end());
  TempFile file(leading, ".pcapng");
  g_largest_allocation = 0;
  auto reader = CaptureReader::open(file.path());
  ASSERT_TRUE(reader);
  EXPECT_TRUE(read_all(*reader).empty());
  ASSERT_EQ(reader->warnings().size(), 1u);
  EXPECT_EQ(reader->warnings()[0].code, ErrorCode::Truncated);
  EXPECT_LE(g_largest_allocation.load(), std::size_t{4} << 20);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// Resident memory of this process, from /proc/self/statm.
std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  unsigned long pages = 0, resident = 0;
  if (f != nullptr) {
    if (std::fscanf(f, "%lu %lu", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// A zstd frame (RFC 8878 §3.1.1) of one raw block holding `content`, whose header claims
// `claimed` bytes in a single segment: the decoder's window is the claimed size.
std::vector<std::byte> zstd_claiming(const std::vector<std::byte>& content, std::uint64_t claimed) {
  std::vector<std::byte> out = to_bytes({0x28, 0xb5, 0x2f, 0xfd, 0xe0});
  for (int shift = 0; shift < 64; shift += 8) out.push_back(static_cast<std::byte>(claimed >> shift & 0xffu));
  const std::size_t header = content.size() << 3;  // raw block, not the last one
  for (int shift = 0; shift < 24; shift += 8) out.push_back(static_cast<std::byte>(header >> shift & 0xffu));
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

// Decompression bombs: a few hundred bytes of zstd claiming 4 GiB are refused (zstd's window
// limit, 128 MiB, as the zstd tool's); claiming 100 MiB, the frame's real bytes are read and
// the cut reported, and memory grows by what the data filled, not by the claim.
TEST(CaptureReader, ZstdFrameClaimingHugeContentCostsNoMemory) {
  const auto inner = PcapWriter().add(1, pattern(0, 60)).bytes();
  {
    const auto bomb = zstd_claiming(inner, std::uint64_t{4} << 30);
    auto reader = CaptureReader::open_memory(bomb, "bomb.pcap.zst");
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::CorruptCompression);
  }
  const auto bomb = zstd_claiming(inner, std::uint64_t{100} << 20);
  const std::size_t before = resident_bytes();
  const auto start = std::chrono::steady_clock::now();
  auto reader = CaptureReader::open_memory(bomb, "bomb.pcap.zst");
  ASSERT_TRUE(reader);
  EXPECT_EQ(read_all(*reader).size(), 1u);
  ASSERT_EQ(reader->warnings().size(), 1u);
  EXPECT_EQ(reader->warnings()[0].code, ErrorCode::Truncated);
  EXPECT_LT(resident_bytes() - std::min(before, resident_bytes()), std::size_t{24} << 20);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(CaptureReader, MaxCaplenRecordIsRead) {
  const auto big = pattern(5, kMaxCaplen);
  const auto bytes = PcapWriter().add(1, big).add(2, pattern(6, 3)).bytes();
  for (const bool via_file : {false, true}) {
    std::optional<TempFile> file;
    Result<CaptureReader> reader = unexpected({});
    if (via_file) {
      file.emplace(bytes);
      reader = CaptureReader::open(file->path(), strict_mode());
    } else {
      reader = CaptureReader::open_memory(bytes, "max", strict_mode());
    }
    ASSERT_TRUE(reader);
    const auto records = read_all(*reader);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].bytes, big);
    EXPECT_EQ(records[1].bytes, pattern(6, 3));
    EXPECT_FALSE(reader->error());
  }
}

// ---------------------------------------------------------------------------------------------
// caplen > snaplen: kept with one warning (lax), an error (strict).

std::vector<std::byte> over_snaplen_capture() {
  return PcapWriter().snaplen(64)
      .add(1, pattern(0, 64))
      .add(2, pattern(1, 100))   // record 2, offset 24 + 80 = 104
      .add(3, pattern(2, 200))   // over again: no second warning
      .add(4, pattern(3, 10))
      .bytes();
}

TEST(CaptureReader, CaplenOverSnaplenLax) {
  const auto bytes = over_snaplen_capture();
  auto reader = CaptureReader::open_memory(bytes, "snap.pcap");
  ASSERT_TRUE(reader);
  const auto records = read_all(*reader);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].bytes, pattern(1, 100));
  EXPECT_EQ(records[2].bytes, pattern(2, 200));
  EXPECT_FALSE(reader->error());
  ASSERT_EQ(reader->warnings().size(), 1u);
  const Error& w = reader->warnings()[0];
  EXPECT_EQ(w.code, ErrorCode::CorruptRecord);
  EXPECT_EQ(w.offset, 104u);
  EXPECT_EQ(w.record, 1u);
  EXPECT_EQ(w.message,
            "snap.pcap: record 2 at byte offset 104: captured length 100 is above the file's "
            "snaplen 64 (record kept)");
  EXPECT_EQ(reader->records_read(), 4u);
  EXPECT_EQ(reader->bytes_consumed(), bytes.size());
}

TEST(CaptureReader, CaplenOverSnaplenStrict) {
  const auto bytes = over_snaplen_capture();
  auto reader = CaptureReader::open_memory(bytes, "snap.pcap", strict_mode());
  ASSERT_TRUE(reader);
  const auto records = read_all(*reader);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(reader->warnings().empty());
  ASSERT_TRUE(reader->error());
  EXPECT_EQ(reader->error()->code, ErrorCode::CorruptRecord);
  EXPECT_EQ(reader->error()->offset, 104u);
  EXPECT_EQ(reader->error()->record, 1u);
  EXPECT_EQ(reader->error()->message,
            "snap.pcap: record 2 at byte offset 104: captured length 100 is above the file's "
            "snaplen 64");
  // Only records actually returned are counted, and the rejected one is not consumed.
  EXPECT_EQ(reader->records_read(), 1u);
  EXPECT_EQ(reader->bytes_consumed(), 104u);
}

TEST(CaptureReader, SnaplenZeroMeansNoLimit) {
  const auto bytes = PcapWriter().snaplen(0).add(1, pattern(0, 1000)).bytes();
  auto reader = CaptureReader::open_memory(bytes, "z", strict_mode());
  ASSERT_TRUE(reader);
  EXPECT_EQ(read_all(*reader).size(), 1u);
  EXPECT_FALSE(reader->error());
}

// ---------------------------------------------------------------------------------------------
// Zero-length records and counters

TEST(CaptureReader, ZeroLengthRecords) {
  const auto bytes = PcapWriter()
                         .add(10, {}, RecordOptions().origlen(0))
                         .add(20, {}, RecordOptions().origlen(1514))
                         .add(30, pattern(2, 5))
                         .add(40, {})
                         .bytes();
  ASSERT_EQ(bytes.size(), 24u + 4 * 16 + 5);
  auto reader = CaptureReader::open_memory(bytes);
  ASSERT_TRUE(reader);
  const auto records = read_all(*reader);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].caplen, 0u);
  EXPECT_EQ(records[0].origlen, 0u);
  EXPECT_EQ(records[1].origlen, 1514u);
  EXPECT_TRUE(records[1].bytes.empty());
  EXPECT_EQ(records[2].bytes, pattern(2, 5));
  EXPECT_EQ(records[3].offset, 24u + 3 * 16 + 5);
  EXPECT_TRUE(records[3].bytes.empty());
  EXPECT_TRUE(reader->warnings().empty());
  EXPECT_EQ(reader->bytes_consumed(), bytes.size());
}

TEST(CaptureReader, CountersAdvanceRecordByRecord) {
  const auto bytes = PcapWriter().add(1, pattern(0, 10)).add(2, pattern(1, 0)).add(3, pattern(2, 33)).bytes();
  auto reader = CaptureReader::open_memory(bytes);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->records_read(), 0u);
  EXPECT_EQ(reader->bytes_consumed(), 24u);
  Record r;
  const std::uint64_t expected_consumed[] = {24 + 26, 24 + 26 + 16, 24 + 26 + 16 + 49};
  for (std::uint64_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(reader->next(r));
    EXPECT_EQ(reader->records_read(), i + 1);
    EXPECT_EQ(reader->bytes_consumed(), expected_consumed[i]);
  }
  EXPECT_FALSE(reader->next(r));
  EXPECT_EQ(reader->records_read(), 3u);
  EXPECT_EQ(reader->bytes_consumed(), bytes.size());
}

TEST(CaptureReader, MovedReaderContinues) {
  const auto bytes = PcapWriter().add(1000, pattern(0, 10)).add(2000, pattern(1, 20)).bytes();
  auto opened = CaptureReader::open_memory(bytes);
  ASSERT_TRUE(opened);
  CaptureReader first = std::move(*opened);
  Record r;
  ASSERT_TRUE(first.next(r));
  CaptureReader second = std::move(first);
  ASSERT_TRUE(second.next(r));
  EXPECT_EQ(r.ts_ns, 2000);
  EXPECT_EQ(second.records_read(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Bigger than the reader's buffer: the refill path, records straddling every boundary.

TEST(CaptureReaderBig, FromMemory) {
  const BigCapture& c = big_capture();
  ASSERT_GT(c.bytes.size(), std::size_t{7} << 20);
  ASSERT_GT(std::count(c.sizes.begin(), c.sizes.end(), kMaxCaplen), 0);
  auto reader = CaptureReader::open_memory(c.bytes);
  ASSERT_TRUE(reader);
  check_big(*reader, c);
}

TEST(CaptureReaderBig, FromFile) {
  const BigCapture& c = big_capture();
  TempFile file(c.bytes);
  auto reader = CaptureReader::open(file.path(), strict_mode());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().size, c.bytes.size());
  EXPECT_EQ(reader->info().name, file.path());
  check_big(*reader, c);
}

TEST(CaptureReaderBig, FromStdinPipe) {
  const BigCapture& c = big_capture();
  StdinFromPipe stdin_pipe(c.bytes);
  auto reader = CaptureReader::open("-", strict_mode());
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().name, "<stdin>");
  EXPECT_FALSE(reader->info().size);
  EXPECT_TRUE(reader->info().nanosecond);
  check_big(*reader, c);
}

TEST(CaptureReader, EmptyStdin) {
  StdinFromPipe stdin_pipe({});
  auto reader = CaptureReader::open("-");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::NotACapture);
  EXPECT_EQ(reader.error().message, "<stdin>: not a capture file (the file is empty)");
}

// Closing a reader whose read-ahead thread waits on a pipe that has gone quiet returns at
// once: it does not wait for the producer's next packet (a Ctrl-C during
// `tcpdump -w - | ...` on an idle interface, or a producer in the same process).
TEST(CaptureReader, ClosingDoesNotWaitForAQuietPipe) {
  TestPipe pipe(PcapWriter().add(1'000, pattern(0, 60)).add(2'000, pattern(1, 60)).bytes(),
                TestPipe::Then::GoQuiet);
  auto opened = CaptureReader::open(pipe.path(), strict_mode());
  ASSERT_TRUE(opened) << opened.error().message;
  std::optional<CaptureReader> reader(std::move(*opened));
  Record r;
  ASSERT_TRUE(reader->next(r));
  ASSERT_TRUE(reader->next(r));
  EXPECT_EQ(r.ts_ns, 2'000);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the thread waits in read()
  EXPECT_TRUE(test::closes_within(reader, pipe, std::chrono::seconds(5)));
}

// Cancelling only ends waiting; a producer that hangs up still ends the input normally.
TEST(CaptureReader, APipeThatHangsUpEndsTheInput) {
  TestPipe pipe(PcapWriter().add(1'000, pattern(0, 60)).bytes(), TestPipe::Then::GoQuiet);
  auto reader = CaptureReader::open(pipe.path(), strict_mode());
  ASSERT_TRUE(reader) << reader.error().message;
  Record r;
  ASSERT_TRUE(reader->next(r));
  pipe.hang_up();
  EXPECT_FALSE(reader->next(r));
  EXPECT_FALSE(reader->error());
  EXPECT_EQ(reader->records_read(), 1u);
}

TEST(CaptureReader, ReadsTheSampleFile) {
  auto reader = CaptureReader::open(PCAPFRAME_SOURCE_DIR "/data/sample.pcap", strict_mode());
  ASSERT_TRUE(reader) << reader.error().message;
  const CaptureInfo& info = reader->info();
  EXPECT_EQ(info.format, CaptureFormat::Pcap);
  EXPECT_FALSE(info.big_endian);
  EXPECT_FALSE(info.nanosecond);
  EXPECT_EQ(info.version_major, 2);
  EXPECT_EQ(info.version_minor, 4);
  EXPECT_EQ(info.snaplen, 262144u);
  EXPECT_EQ(info.link, LinkType::Ethernet);
  Record r;
  std::uint64_t n = 0;
  std::int64_t previous = 0;
  while (reader->next(r)) {
    ++n;
    EXPECT_LE(r.caplen, 1514u);
    EXPECT_EQ(r.caplen, r.origlen);  // snaplen 0 recording: nothing cut
    EXPECT_EQ(r.ts_ns % 1000, 0);    // microsecond file
    EXPECT_GE(r.ts_ns, previous);
    previous = r.ts_ns;
  }
  EXPECT_FALSE(reader->error());
  EXPECT_EQ(n, 2795u);
  EXPECT_EQ(reader->bytes_consumed(), *info.size);
}

}  // namespace
}  // namespace pcapframe
