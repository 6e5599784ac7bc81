// SPDX-License-Identifier: MIT
// CaptureEncoder and CaptureWriter: pcap (µs, ns) and pcapng written, then read back by our
// reader; pcapng block framing and the statistics block byte by byte; the writer's
// temporary name, rename, permissions (umask, never world-writable) and clean-up.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/writer.hpp"

namespace pcapframe {
namespace {

constexpr std::int64_t kTs = 1'700'000'000'123'456'789;  // 2023-11-14, with ns digits

struct Frame {
  std::int64_t ts_ns;
  std::uint32_t origlen;
  std::vector<std::byte> bytes;
};

std::vector<std::byte> pattern(std::size_t size, unsigned seed) {
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::byte>((i * 31 + seed) & 0xff);
  return out;
}

Record as_record(const Frame& f, LinkType link = LinkType::Ethernet) {
  Record r;
  r.ts_ns = f.ts_ns;
  r.caplen = static_cast<std::uint32_t>(f.bytes.size());
  r.origlen = f.origlen;
  r.link = link;
  r.bytes = f.bytes;
  return r;
}

std::vector<Frame> sample_frames() {
  std::vector<Frame> frames;
  // Every size 0..9 exercises the pcapng padding to 32 bits; a large one and a truncated one.
  for (unsigned size = 0; size < 10; ++size)
    frames.push_back({kTs + size * 1'000'001, size, pattern(size, size)});
  frames.push_back({kTs + 2'000'000'000, 1514, pattern(1514, 7)});
  frames.push_back({kTs + 3'000'000'999, 9000, pattern(96, 9)});  // snaplen 96 cut a jumbo frame
  return frames;
}

std::vector<std::byte> encode(const WriteOptions& options, const std::vector<Frame>& frames) {
  CaptureEncoder encoder(options);
  std::vector<std::byte> out;
  encoder.append_header(out);
  for (const Frame& f : frames) encoder.append_record(as_record(f, options.link), out);
  return out;
}

struct ReadBack {
  CaptureInfo info;
  std::vector<InterfaceInfo> interfaces;
  std::vector<Frame> frames;
  std::vector<LinkType> links;
};

ReadBack read_back(const std::vector<std::byte>& data) {
  auto reader =
      CaptureReader::open_memory(data, "<written>", CaptureOptions{.strict = true, .filter = {}});
  EXPECT_TRUE(reader.has_value()) << (reader ? "" : reader.error().message);
  ReadBack out;
  if (!reader) return out;
  Record r;
  while (reader->next(r)) {
    out.frames.push_back(
        {r.ts_ns, r.origlen, std::vector<std::byte>(r.bytes.begin(), r.bytes.end())});
    out.links.push_back(r.link);
    EXPECT_EQ(r.caplen, r.bytes.size());
  }
  EXPECT_FALSE(reader->error().has_value()) << reader->error()->message;
  EXPECT_TRUE(reader->warnings().empty());
  out.info = reader->info();
  out.interfaces = reader->interfaces();
  return out;
}

std::int64_t to_micro(std::int64_t ts_ns) { return ts_ns / 1000 * 1000; }

enum class Resolution { Microsecond, Nanosecond };

// Every frame read back as it was written: its length, bytes and time (at `resolution`).
void expect_frames(const ReadBack& back, const std::vector<Frame>& frames, Resolution resolution) {
  ASSERT_EQ(back.frames.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const std::int64_t ts_ns = frames[i].ts_ns;
    EXPECT_EQ(back.frames[i].ts_ns, resolution == Resolution::Nanosecond ? ts_ns : to_micro(ts_ns))
        << i;
    EXPECT_EQ(back.frames[i].origlen, frames[i].origlen) << i;
    EXPECT_EQ(back.frames[i].bytes, frames[i].bytes) << i;
  }
}

std::uint32_t le32(const std::vector<std::byte>& b, std::size_t at) {
  return std::to_integer<std::uint32_t>(b[at]) | std::to_integer<std::uint32_t>(b[at + 1]) << 8 |
         std::to_integer<std::uint32_t>(b[at + 2]) << 16 |
         std::to_integer<std::uint32_t>(b[at + 3]) << 24;
}
std::uint16_t le16(const std::vector<std::byte>& b, std::size_t at) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(b[at]) |
                                    std::to_integer<unsigned>(b[at + 1]) << 8);
}
std::uint64_t le64(const std::vector<std::byte>& b, std::size_t at) {
  return le32(b, at) | std::uint64_t{le32(b, at + 4)} << 32;
}

struct Block {
  std::uint32_t type;
  std::size_t offset;
  std::uint32_t length;
};

// Walk pcapng blocks, checking each trailing length equals the leading one.
std::vector<Block> blocks(const std::vector<std::byte>& data) {
  std::vector<Block> out;
  std::size_t at = 0;
  while (at + 12 <= data.size()) {
    const std::uint32_t type = le32(data, at);
    const std::uint32_t length = le32(data, at + 4);
    EXPECT_EQ(length % 4, 0u) << "block at " << at;
    EXPECT_GE(length, 12u);
    if (length < 12 || at + length > data.size()) {
      ADD_FAILURE() << "block at " << at << " overruns the data";
      break;
    }
    EXPECT_EQ(le32(data, at + length - 4), length) << "trailing length of block at " << at;
    out.push_back({type, at, length});
    at += length;
  }
  EXPECT_EQ(at, data.size());
  return out;
}

// Options of a block starting `body` bytes after the block header: code -> value bytes.
std::vector<std::pair<std::uint16_t, std::vector<std::byte>>> options_of(
    const std::vector<std::byte>& data, const Block& block, std::size_t body) {
  std::vector<std::pair<std::uint16_t, std::vector<std::byte>>> out;
  std::size_t at = block.offset + 8 + body;
  const std::size_t end = block.offset + block.length - 4;
  while (at + 4 <= end) {
    const std::uint16_t code = le16(data, at);
    const std::uint16_t length = le16(data, at + 2);
    if (code == 0) break;
    out.emplace_back(
        code, std::vector<std::byte>(data.begin() + static_cast<std::ptrdiff_t>(at + 4),
                                     data.begin() + static_cast<std::ptrdiff_t>(at + 4 + length)));
    at += 4 + (length + 3u) / 4 * 4;
  }
  return out;
}

std::string text_of(const std::vector<std::byte>& value) {
  std::string out;
  for (const std::byte b : value) out.push_back(static_cast<char>(b));
  return out;
}

// ---- the encoder ----

TEST(CaptureEncoder, PcapMicrosecondRoundTrip) {
  WriteOptions options;
  options.nanosecond = false;
  options.snaplen = 65535;
  const auto frames = sample_frames();
  const auto data = encode(options, frames);
  ASSERT_EQ(le32(data, 0), 0xa1b2c3d4u);
  const ReadBack back = read_back(data);
  EXPECT_EQ(back.info.format, CaptureFormat::Pcap);
  EXPECT_FALSE(back.info.nanosecond);
  EXPECT_EQ(back.info.version_major, 2);
  EXPECT_EQ(back.info.version_minor, 4);
  EXPECT_EQ(back.info.snaplen, 65535u);
  EXPECT_EQ(back.info.link, LinkType::Ethernet);
  expect_frames(back, frames, Resolution::Microsecond);
}

TEST(CaptureEncoder, PcapNanosecondKeepsEveryDigit) {
  WriteOptions options;
  options.nanosecond = true;
  const auto frames = sample_frames();
  const auto data = encode(options, frames);
  ASSERT_EQ(le32(data, 0), 0xa1b23c4du);
  EXPECT_EQ(
      data.size(), 24 + frames.size() * 16 + [&] {
        std::size_t n = 0;
        for (const Frame& f : frames) n += f.bytes.size();
        return n;
      }());
  const ReadBack back = read_back(data);
  EXPECT_TRUE(back.info.nanosecond);
  expect_frames(back, frames, Resolution::Nanosecond);
}

TEST(CaptureEncoder, PcapngNanosecondRoundTrip) {
  WriteOptions options;
  options.format = WriteFormat::Pcapng;
  options.nanosecond = true;
  options.snaplen = 262144;
  options.interface_name = "veth-a";
  options.filter = "icmp or udp";
  const auto frames = sample_frames();
  const auto data = encode(options, frames);
  const ReadBack back = read_back(data);
  EXPECT_EQ(back.info.format, CaptureFormat::Pcapng);
  ASSERT_EQ(back.interfaces.size(), 1u);
  EXPECT_EQ(back.interfaces[0].name, "veth-a");
  EXPECT_EQ(back.interfaces[0].units_per_second, 1'000'000'000u);
  EXPECT_EQ(back.interfaces[0].snaplen, 262144u);
  EXPECT_EQ(back.interfaces[0].link, LinkType::Ethernet);
  expect_frames(back, frames, Resolution::Nanosecond);
}

TEST(CaptureEncoder, PcapngMicrosecondResolution) {
  WriteOptions options;
  options.format = WriteFormat::Pcapng;
  options.nanosecond = false;
  const auto frames = sample_frames();
  const ReadBack back = read_back(encode(options, frames));
  ASSERT_EQ(back.interfaces.size(), 1u);
  EXPECT_EQ(back.interfaces[0].units_per_second, 1'000'000u);
  ASSERT_EQ(back.frames.size(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i)
    EXPECT_EQ(back.frames[i].ts_ns, to_micro(frames[i].ts_ns)) << i;
}

TEST(CaptureEncoder, PcapngBlocksAndOptionsByteByByte) {
  WriteOptions options;
  options.format = WriteFormat::Pcapng;
  options.link = LinkType::LinuxSll;
  options.snaplen = 96;
  options.interface_name = "any";
  options.filter = "port 53";
  options.application = "pcapframe test";
  const std::vector<Frame> frames = {{kTs, 5, pattern(5, 1)}};
  const auto data = encode(options, frames);
  const auto found = blocks(data);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].type, 0x0A0D0D0Au);
  EXPECT_EQ(le32(data, 8), 0x1A2B3C4Du);  // byte-order magic: little-endian section
  EXPECT_EQ(le16(data, 12), 1);           // version 1.0
  EXPECT_EQ(le16(data, 14), 0);
  EXPECT_EQ(le64(data, 16), ~std::uint64_t{0});  // section length not given
  const auto shb_options = options_of(data, found[0], 16);
  ASSERT_EQ(shb_options.size(), 1u);
  EXPECT_EQ(shb_options[0].first, 4);  // shb_userappl
  EXPECT_EQ(text_of(shb_options[0].second), "pcapframe test");

  EXPECT_EQ(found[1].type, 1u);                     // IDB
  EXPECT_EQ(le16(data, found[1].offset + 8), 113);  // LINKTYPE_LINUX_SLL
  EXPECT_EQ(le32(data, found[1].offset + 12), 96u);
  const auto idb_options = options_of(data, found[1], 8);
  ASSERT_EQ(idb_options.size(), 3u);
  EXPECT_EQ(idb_options[0].first, 2);  // if_name
  EXPECT_EQ(text_of(idb_options[0].second), "any");
  EXPECT_EQ(idb_options[1].first, 11);  // if_filter: type byte 0, then the libpcap string
  EXPECT_EQ(text_of(idb_options[1].second), std::string("\0port 53", 8));
  EXPECT_EQ(idb_options[2].first, 9);  // if_tsresol
  ASSERT_EQ(idb_options[2].second.size(), 1u);
  EXPECT_EQ(std::to_integer<int>(idb_options[2].second[0]), 9);

  EXPECT_EQ(found[2].type, 6u);                    // EPB
  EXPECT_EQ(found[2].length, 32u + 8u);            // 28 header + 5 bytes padded to 8 + 4 trailer
  EXPECT_EQ(le32(data, found[2].offset + 8), 0u);  // interface 0
  const std::uint64_t units =
      std::uint64_t{le32(data, found[2].offset + 12)} << 32 | le32(data, found[2].offset + 16);
  EXPECT_EQ(units, static_cast<std::uint64_t>(kTs));
  EXPECT_EQ(le32(data, found[2].offset + 20), 5u);
  EXPECT_EQ(le32(data, found[2].offset + 24), 5u);
}

TEST(CaptureEncoder, StatisticsBlockCarriesLibpcapCounters) {
  WriteOptions options;
  options.format = WriteFormat::Pcapng;
  CaptureEncoder encoder(options);
  std::vector<std::byte> data;
  encoder.append_header(data);
  encoder.append_record(as_record({kTs, 60, pattern(60, 3)}), data);
  encoder.append_statistics(LiveStats{1234, 56, 7}, kTs - 5'000'000'000, kTs + 1'000'000'000, data);
  const auto found = blocks(data);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[3].type, 5u);  // ISB
  const auto isb = options_of(data, found[3], 12);
  std::map<std::uint16_t, std::vector<std::byte>> by_code(isb.begin(), isb.end());
  ASSERT_EQ(by_code.size(), 5u);
  const auto u64 = [&](std::uint16_t code) { return le64(by_code.at(code), 0); };
  const auto ts = [&](std::uint16_t code) {
    return std::uint64_t{le32(by_code.at(code), 0)} << 32 | le32(by_code.at(code), 4);
  };
  EXPECT_EQ(u64(4), 1234u);  // isb_ifrecv: received
  EXPECT_EQ(u64(5), 7u);     // isb_ifdrop: dropped by the interface
  EXPECT_EQ(u64(7), 56u);    // isb_osdrop: dropped by the kernel
  EXPECT_EQ(ts(2), static_cast<std::uint64_t>(kTs - 5'000'000'000));
  EXPECT_EQ(ts(3), static_cast<std::uint64_t>(kTs + 1'000'000'000));
  // Our reader skips the statistics block and still sees the one record.
  EXPECT_EQ(read_back(data).frames.size(), 1u);

  // Classic pcap has no place for statistics: nothing is appended.
  std::vector<std::byte> pcap;
  CaptureEncoder(WriteOptions{}).append_statistics(LiveStats{1, 2, 3}, 0, 0, pcap);
  EXPECT_TRUE(pcap.empty());
}

TEST(CaptureEncoder, TimestampsBefore1970BecomeZero) {
  for (const WriteFormat format : {WriteFormat::Pcap, WriteFormat::Pcapng}) {
    WriteOptions options;
    options.format = format;
    const ReadBack back = read_back(encode(options, {{-5, 4, pattern(4, 0)}}));
    ASSERT_EQ(back.frames.size(), 1u);
    EXPECT_EQ(back.frames[0].ts_ns, 0);
  }
}

TEST(CaptureEncoder, FormatFromTheFileName) {
  EXPECT_EQ(write_format_for("out.pcapng"), WriteFormat::Pcapng);
  EXPECT_EQ(write_format_for("/tmp/x.ntar"), WriteFormat::Pcapng);
  EXPECT_EQ(write_format_for("out.pcap"), WriteFormat::Pcap);
  EXPECT_EQ(write_format_for("out"), WriteFormat::Pcap);
  EXPECT_EQ(write_format_for("pcapng"), WriteFormat::Pcap);
  EXPECT_EQ(write_format_for("-"), WriteFormat::Pcap);
}

// ---- the writer: files ----

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "pcapframe-writer-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(path_))
      out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::filesystem::path path_;
};

class Umask {
 public:
  explicit Umask(mode_t mask) : previous_(::umask(mask)) {}
  ~Umask() { ::umask(previous_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t previous_;
};

std::vector<std::byte> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) out[i] = static_cast<std::byte>(chars[i]);
  return out;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(CaptureWriter, WritesUnderATemporaryNameThenRenames) {
  TempDir dir;
  const std::string out = dir.file("out.pcap");
  auto writer = CaptureWriter::create(out, WriteOptions{});
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  const auto frames = sample_frames();
  for (const Frame& f : frames) ASSERT_TRUE(writer->write(as_record(f)).has_value());
  ASSERT_TRUE(writer->flush().has_value());

  // While capturing: only the partial name exists, and it is already a readable prefix.
  auto names = dir.names();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].rfind("out.pcap.partial-", 0), 0u) << names[0];
  EXPECT_EQ(names[0].size(), std::string("out.pcap.partial-").size() + 6);
  EXPECT_EQ(writer->current_path(), dir.file(names[0]));
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_EQ(read_back(read_file(writer->current_path())).frames.size(), frames.size());

  ASSERT_TRUE(writer->finish().has_value());
  EXPECT_EQ(dir.names(), std::vector<std::string>{"out.pcap"});
  EXPECT_EQ(writer->current_path(), out);
  EXPECT_EQ(writer->records_written(), frames.size());
  EXPECT_EQ(writer->bytes_written(), std::filesystem::file_size(out));

  auto reader = CaptureReader::open(out);
  ASSERT_TRUE(reader.has_value());
  Record r;
  std::size_t n = 0;
  while (reader->next(r)) {
    EXPECT_EQ(r.ts_ns, frames[n].ts_ns);  // nanosecond by default
    EXPECT_EQ(std::vector<std::byte>(r.bytes.begin(), r.bytes.end()), frames[n].bytes);
    ++n;
  }
  EXPECT_EQ(n, frames.size());
  EXPECT_FALSE(writer->finish().has_value());  // twice is an error
}

TEST(CaptureWriter, PermissionsComeFromTheUmaskAndAreNeverWorldWritable) {
  const std::pair<mode_t, mode_t> cases[] = {{022, 0644}, {077, 0600}, {002, 0664}, {0, 0666}};
  for (const auto& [mask, expected] : cases) {
    TempDir dir;
    Umask scoped(mask);
    const std::string out = dir.file("perm.pcapng");
    auto writer = CaptureWriter::create(out, WriteOptions{.format = WriteFormat::Pcapng});
    ASSERT_TRUE(writer.has_value());
    EXPECT_EQ(mode_of(writer->current_path()), expected) << std::oct << mask;  // the partial too
    ASSERT_TRUE(writer->finish().has_value());
    EXPECT_EQ(mode_of(out), expected) << std::oct << mask;
    EXPECT_EQ(mode_of(out) & 0111, 0u);  // never executable
    if ((mask & 002) != 0) {
      EXPECT_EQ(mode_of(out) & 002, 0u);
    }
  }
}

TEST(CaptureWriter, UnfinishedWriterLeavesNothingBehind) {
  TempDir dir;
  const std::string out = dir.file("gone.pcap");
  {
    auto writer = CaptureWriter::create(out, WriteOptions{});
    ASSERT_TRUE(writer.has_value());
    ASSERT_TRUE(writer->write(as_record(sample_frames()[3])).has_value());
    ASSERT_TRUE(writer->flush().has_value());
    EXPECT_EQ(dir.names().size(), 1u);
  }  // destroyed without finish(): an error path
  EXPECT_TRUE(dir.names().empty());

  auto writer = CaptureWriter::create(out, WriteOptions{});
  ASSERT_TRUE(writer.has_value());
  writer->abandon();
  EXPECT_TRUE(dir.names().empty());
  EXPECT_FALSE(writer->finish().has_value());
}

TEST(CaptureWriter, ReplacesAnExistingFileOnlyWhenComplete) {
  TempDir dir;
  const std::string out = dir.file("old.pcap");
  { std::ofstream(out) << "previous contents"; }
  auto writer = CaptureWriter::create(out, WriteOptions{});
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE(writer->write(as_record(sample_frames()[5])).has_value());
  ASSERT_TRUE(writer->flush().has_value());
  EXPECT_EQ(std::filesystem::file_size(out), std::string("previous contents").size());
  ASSERT_TRUE(writer->finish().has_value());
  EXPECT_EQ(read_back(read_file(out)).frames.size(), 1u);
  EXPECT_EQ(dir.names(), std::vector<std::string>{"old.pcap"});
}

TEST(CaptureWriter, LargeCapturesAreWrittenAsTheyGo) {
  TempDir dir;
  auto writer = CaptureWriter::create(dir.file("big.pcap"), WriteOptions{});
  ASSERT_TRUE(writer.has_value());
  const Frame frame{kTs, 1514, pattern(1514, 5)};
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(writer->write(as_record(frame)).has_value());
  EXPECT_GT(writer->bytes_written(), 0u);  // more than the 128 KiB buffer: written already
  EXPECT_EQ(writer->records_written(), 200u);
  ASSERT_TRUE(writer->finish().has_value());
  EXPECT_EQ(read_back(read_file(dir.file("big.pcap"))).frames.size(), 200u);
}

TEST(CaptureWriter, StatisticsAreAppendedToPcapngAtFinish) {
  TempDir dir;
  const std::string out = dir.file("stats.pcapng");
  auto writer = CaptureWriter::create(out, WriteOptions{.format = WriteFormat::Pcapng});
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE(writer->write(as_record(sample_frames()[4])).has_value());
  writer->set_statistics(LiveStats{10, 2, 1}, kTs, kTs + 1);
  ASSERT_TRUE(writer->finish().has_value());
  const auto data = read_file(out);
  const auto found = blocks(data);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found.back().type, 5u);
}

TEST(CaptureWriter, NonRegularTargetsAreWrittenDirectly) {
  auto writer = CaptureWriter::create("/dev/null", WriteOptions{});
  ASSERT_TRUE(writer.has_value()) << writer.error().message;
  EXPECT_EQ(writer->current_path(), "/dev/null");
  ASSERT_TRUE(writer->write(as_record(sample_frames()[2])).has_value());
  ASSERT_TRUE(writer->finish().has_value());
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));  // still the device, not renamed over
}

TEST(CaptureWriter, ErrorsNameThePath) {
  TempDir dir;
  auto into_dir = CaptureWriter::create(dir.file(""), WriteOptions{});
  ASSERT_FALSE(into_dir.has_value());
  EXPECT_EQ(into_dir.error().code, ErrorCode::Io);
  EXPECT_NE(into_dir.error().message.find("directory"), std::string::npos)
      << into_dir.error().message;

  auto missing = CaptureWriter::create(dir.file("no/such/dir/x.pcap"), WriteOptions{});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::Io);
  EXPECT_NE(missing.error().message.find("no/such/dir/x.pcap.partial-"), std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos)
      << missing.error().message;

  auto empty = CaptureWriter::create("", WriteOptions{});
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::InvalidArgument);
}

TEST(CaptureWriter, FullDiskKeepsTheCompleteRecordsAndSaysSo) {
  // /dev/full accepts opens and fails every write with ENOSPC.
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  auto writer = CaptureWriter::create("/dev/full", WriteOptions{});
  ASSERT_TRUE(writer.has_value());
  ASSERT_TRUE(writer->write(as_record(sample_frames()[1])).has_value());  // buffered
  const auto flushed = writer->flush();
  ASSERT_FALSE(flushed.has_value());
  EXPECT_NE(flushed.error().message.find("/dev/full"), std::string::npos);
  EXPECT_NE(flushed.error().message.find("No space"), std::string::npos) << flushed.error().message;
  EXPECT_FALSE(writer->write(as_record(sample_frames()[1])).has_value());  // stays failed
  EXPECT_FALSE(writer->finish().has_value());
}

}  // namespace
}  // namespace pcapframe
