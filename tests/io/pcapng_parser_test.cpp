// SPDX-License-Identifier: MIT
// pcapng, from hand-built files (tests/support/pcapng_writer.hpp): the parser sans-IO, then
// through CaptureReader — sections in either byte order, interfaces numbered across the file,
// every timestamp resolution and offset, each block type, name records, link types decoded
// per packet, blocks over 16 MiB streamed past (memory, file, pipe), and every kind of
// corruption in lax and strict mode with the exact offsets and record numbers reported.
//
// The suites are named pcapng_* (lower case) so that `ctest -R pcapng` selects them.
#include "io/pcapng_parser.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "io/reader_support.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "support/frame_builder.hpp"
#include "support/pcapng_writer.hpp"

namespace pcapframe {
namespace {

using detail::ParseStep;
using detail::PcapngParser;
using test::BlockDamage;
using test::Copy;
using test::FrameBuilder;
using test::Interface;
using test::NameEntry;
using test::mode;
using test::Packet;
using test::PcapngWriter;
using test::read_all;
using test::Section;
using test::TempFile;

constexpr std::uint16_t kEthernet = 1;
constexpr std::uint16_t kRaw = 101;
constexpr std::uint16_t kSll = 113;
constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr std::int64_t kT0 = 1'700'000'000'000'000'000;  // 2023-11-14, a whole second

// ---------------------------------------------------------------------------------------------
// Helpers

/// Deterministic frame contents.
std::vector<std::byte> frame(std::size_t size, unsigned seed = 0) {
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::byte>((seed * 31 + i * 7) & 0xffu);
  return out;
}

CaptureReader open_ok(const std::vector<std::byte>& bytes, CaptureOptions options = {}) {
  auto reader = CaptureReader::open_memory(bytes, "t.pcapng", std::move(options));
  if (!reader) ADD_FAILURE() << reader.error().message;
  return std::move(*reader);
}

/// A section with one Ethernet interface (microseconds) and `n` packets of 60 + i bytes,
/// one second apart: the prefix most damage tests build on.
PcapngWriter three_packets(std::size_t n = 3, const Section& section = {}) {
  PcapngWriter w;
  w.section(section).interface(Interface().link(kEthernet).snaplen(65535).name("eth0"));
  for (std::size_t i = 0; i < n; ++i)
    w.enhanced_packet(frame(60 + i, static_cast<unsigned>(i)),
                      Packet().at_ns(kT0 + static_cast<std::int64_t>(i) * 1'000'000'000));
  return w;
}

std::string where(std::uint64_t record, std::size_t offset) {
  return "t.pcapng: record " + std::to_string(record) + " at byte offset " + std::to_string(offset);
}

// ---------------------------------------------------------------------------------------------
// The parser, sans-IO

TEST(pcapng_parser, NeedMoreAsksForTheHeaderThenTheWholeBlock) {
  const auto bytes = three_packets(1).bytes();
  PcapngParser parser;
  Record record;
  const Bytes all(bytes);
  EXPECT_EQ(parser.next(all.first(7), record).kind, ParseStep::Kind::NeedMore);
  EXPECT_EQ(parser.next(all.first(7), record).size, 8u);
  // A section header needs its byte-order magic too before its length can be read.
  const ParseStep magic = parser.next(all.first(11), record);
  EXPECT_EQ(magic.kind, ParseStep::Kind::NeedMore);
  EXPECT_EQ(magic.size, 12u);
  const std::size_t shb_len = 28;  // type, length, magic, version, section length, trailer
  const ParseStep part = parser.next(all.first(20), record);
  EXPECT_EQ(part.kind, ParseStep::Kind::NeedMore);
  EXPECT_EQ(part.size, shb_len);
  const ParseStep shb = parser.next(all, record);
  EXPECT_EQ(shb.kind, ParseStep::Kind::Skip);
  EXPECT_EQ(shb.size, shb_len);
  EXPECT_TRUE(parser.seen_section());
  EXPECT_FALSE(parser.starts_with_packet_block(all.subspan(shb_len)));
}

TEST(pcapng_parser, BlocksOneByOne) {
  PcapngWriter w = three_packets(1);
  const auto& bytes = w.bytes();
  PcapngParser parser;
  Record record;
  Bytes in(bytes);
  ParseStep step = parser.next(in, record);  // SHB
  ASSERT_EQ(step.kind, ParseStep::Kind::Skip);
  in = in.subspan(step.size);
  step = parser.next(in, record);  // IDB
  ASSERT_EQ(step.kind, ParseStep::Kind::Skip);
  EXPECT_EQ(step.size, w.offset(2) - w.offset(1));
  ASSERT_EQ(parser.interfaces().size(), 1u);
  EXPECT_EQ(parser.interfaces()[0].name, "eth0");
  in = in.subspan(step.size);
  EXPECT_TRUE(parser.starts_with_packet_block(in));
  step = parser.next(in, record);  // EPB
  ASSERT_EQ(step.kind, ParseStep::Kind::Record);
  EXPECT_EQ(step.size, bytes.size() - w.offset(2));
  EXPECT_EQ(record.ts_ns, kT0);
  EXPECT_EQ(record.caplen, 60u);
  EXPECT_EQ(record.bytes.data(), in.data() + 28);  // borrowed in place, not copied
}

TEST(pcapng_parser, DataBeforeAnySectionIsCorrupt) {
  PcapngWriter w;
  w.interface(Interface());
  PcapngParser parser;
  Record record;
  EXPECT_EQ(parser.next(w.bytes(), record).kind, ParseStep::Kind::Fail);
  EXPECT_EQ(parser.failure().detail, "pcapng data before any section header");
}

TEST(pcapng_parser, AnOversizedBlockWithoutPacketIsSkippedWithOnlyItsHeaderPresent) {
  PcapngWriter w = three_packets(0);
  const std::size_t at = w.size();
  w.block(0x00000bad, frame(16), BlockDamage().length(64 << 20).trailer(64 << 20));
  PcapngParser parser;
  Record record;
  Bytes in(w.bytes());
  for (int i = 0; i < 2; ++i) in = in.subspan(parser.next(in, record).size);
  ASSERT_EQ(in.size(), w.bytes().size() - at);
  const ParseStep step = parser.next(in.first(8), record);
  EXPECT_EQ(step.kind, ParseStep::Kind::Skip);
  EXPECT_EQ(step.size, std::size_t{64} << 20);
}

// ---------------------------------------------------------------------------------------------
// Sections and interfaces

TEST(pcapng_sections, BigEndianSection) {
  PcapngWriter w;
  w.section(Section().big_endian().version(1, 0).user_application("pcapframe tests"))
      .interface(Interface().link(kRaw).snaplen(1500).nanosecond().name("wan0").description("uplink"))
      .enhanced_packet(frame(40), Packet().ticks(static_cast<std::uint64_t>(kT0) + 123'456'789).origlen(1400))
      .enhanced_packet(frame(41, 1), Packet().ticks(static_cast<std::uint64_t>(kT0) + 1));
  auto reader = open_ok(w.bytes());
  EXPECT_EQ(reader.info().format, CaptureFormat::Pcapng);
  EXPECT_TRUE(reader.info().big_endian);
  EXPECT_TRUE(reader.info().nanosecond);
  EXPECT_EQ(reader.info().version_major, 1);
  EXPECT_EQ(reader.info().version_minor, 0);
  EXPECT_EQ(reader.info().link, LinkType::Raw);
  EXPECT_EQ(reader.info().snaplen, 1500u);
  ASSERT_EQ(reader.interfaces().size(), 1u);
  EXPECT_EQ(reader.interfaces()[0].name, "wan0");
  EXPECT_EQ(reader.interfaces()[0].description, "uplink");
  EXPECT_EQ(reader.interfaces()[0].units_per_second, 1'000'000'000u);

  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].ts_ns, kT0 + 123'456'789);
  EXPECT_EQ(records[0].caplen, 40u);
  EXPECT_EQ(records[0].origlen, 1400u);
  EXPECT_EQ(records[0].link, LinkType::Raw);
  EXPECT_EQ(records[0].offset, w.offset(2));
  EXPECT_EQ(records[0].bytes, frame(40));
  EXPECT_EQ(records[1].ts_ns, kT0 + 1);
  EXPECT_EQ(records[1].bytes, frame(41, 1));
  EXPECT_EQ(records[1].offset, w.offset(3));
  EXPECT_EQ(reader.bytes_consumed(), w.bytes().size());
  EXPECT_FALSE(reader.error());
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(pcapng_sections, SameRecordsInBothByteOrders) {
  std::vector<std::vector<Copy>> both;
  for (const bool be : {false, true}) {
    PcapngWriter w;
    w.section(Section().big_endian(be))
        .interface(Interface().link(kEthernet).binary_resolution(10).tsoffset(-7))
        .interface(Interface().link(kSll))
        .enhanced_packet(frame(64), Packet().interface(1).ticks(0x0000000112345678).origlen(90))
        .obsolete_packet(frame(33, 2), Packet().interface(0).ticks(0x0000000200000400).drops(3))
        .simple_packet(frame(20, 3));
    auto reader = open_ok(w.bytes());
    EXPECT_EQ(reader.info().big_endian, be);
    both.push_back(read_all(reader));
    EXPECT_FALSE(reader.error());
    EXPECT_TRUE(reader.warnings().empty());
  }
  ASSERT_EQ(both[0].size(), 3u);
  ASSERT_EQ(both[1].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(both[0][i].ts_ns, both[1][i].ts_ns);
    EXPECT_EQ(both[0][i].origlen, both[1][i].origlen);
    EXPECT_EQ(both[0][i].link, both[1][i].link);
    EXPECT_EQ(both[0][i].iface, both[1][i].iface);
    EXPECT_EQ(both[0][i].bytes, both[1][i].bytes);
  }
  EXPECT_EQ(both[0][0].ts_ns, std::int64_t{0x0000000112345678} * 1000);  // interface 1: microseconds
}

TEST(pcapng_sections, InterfacesAreNumberedAcrossTheFile) {
  // Section 1 (little-endian): Ethernet, raw IP. Section 2 (big-endian): SLL, Ethernet.
  // Interface ids restart in each section; the `interface` column counts IDBs in the file.
  PcapngWriter w;
  w.section()
      .interface(Interface().link(kEthernet).name("s1-eth"))
      .interface(Interface().link(kRaw).name("s1-raw").nanosecond())
      .enhanced_packet(frame(60), Packet().interface(1).ticks(5))
      .enhanced_packet(frame(61), Packet().interface(0).ticks(6))
      .section(Section().big_endian())
      .interface(Interface().link(kSll).name("s2-sll"))
      .interface(Interface().link(kEthernet).name("s2-eth").tsoffset(100))
      .enhanced_packet(frame(62), Packet().interface(1).ticks(7))
      .enhanced_packet(frame(63), Packet().interface(0).ticks(8))
      .simple_packet(frame(64));  // always interface 0 of its section
  auto reader = open_ok(w.bytes());
  EXPECT_EQ(reader.interfaces().size(), 2u);  // at open: the first section's, before a packet
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 5u);
  const std::uint32_t ifaces[] = {1, 0, 3, 2, 2};
  const LinkType links[] = {LinkType::Raw, LinkType::Ethernet, LinkType::Ethernet,
                            LinkType::LinuxSll, LinkType::LinuxSll};
  const std::int64_t times[] = {5, 6'000, 100'000'000'000 + 7'000, 8'000, 0};
  const std::size_t blocks[] = {3, 4, 8, 9, 10};
  for (std::size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(records[i].iface, ifaces[i]);
    EXPECT_EQ(records[i].link, links[i]);
    EXPECT_EQ(records[i].ts_ns, times[i]);
    EXPECT_EQ(records[i].offset, w.offset(blocks[i]));
  }
  ASSERT_EQ(reader.interfaces().size(), 4u);
  const char* names[] = {"s1-eth", "s1-raw", "s2-sll", "s2-eth"};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(reader.interfaces()[i].name, names[i]);
  EXPECT_EQ(reader.interfaces()[3].offset_s, 100);
  // info() describes the first section and its first interface.
  EXPECT_FALSE(reader.info().big_endian);
  EXPECT_EQ(reader.info().link, LinkType::Ethernet);
  EXPECT_FALSE(reader.error());
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(pcapng_sections, AnInterfaceOfAnEarlierSectionIsUndefinedInTheNext) {
  for (const bool strict : {false, true}) {
    SCOPED_TRACE(strict);
    PcapngWriter w;
    w.section()
        .interface(Interface())
        .interface(Interface())
        .enhanced_packet(frame(60), Packet().interface(1))
        .section()
        .interface(Interface())
        .enhanced_packet(frame(60), Packet().interface(0))
        .enhanced_packet(frame(60), Packet().interface(1));  // the new section has one
    auto reader = open_ok(w.bytes(), mode(strict));
    const auto records = read_all(reader);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].iface, 2u);
    const std::string message = where(3, w.offset(7)) +
                                ": packet for interface 1, but the section defines 1; the 2 "
                                "complete records before it are kept";
    const Error& e = strict ? *reader.error() : reader.warnings().at(0);
    EXPECT_EQ(e.code, ErrorCode::CorruptRecord);
    EXPECT_EQ(e.offset, w.offset(7));
    EXPECT_EQ(e.record, 2u);
    EXPECT_EQ(e.message, message);
    EXPECT_EQ(reader.error().has_value(), strict);
    EXPECT_EQ(reader.warnings().size(), strict ? 0u : 1u);
  }
}

TEST(pcapng_sections, VersionsOtherThanOneAreRefused) {
  {
    const auto bytes = three_packets(1, Section().version(2, 0)).bytes();
    auto reader = CaptureReader::open_memory(bytes, "t.pcapng");
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::UnsupportedVersion);
    EXPECT_EQ(reader.error().message, "t.pcapng: pcapng version 2.0 is not supported (only 1.x)");
  }
  {  // a minor version is accepted
    const auto bytes = three_packets(1, Section().version(1, 2)).bytes();
    auto reader = open_ok(bytes);
    EXPECT_EQ(reader.info().version_minor, 2);
    EXPECT_EQ(read_all(reader).size(), 1u);
  }
  for (const bool strict : {false, true}) {  // a later section of version 2: reading stops there
    PcapngWriter w = three_packets(2);
    const std::size_t at = w.size();
    w.section(Section().version(2, 1)).interface(Interface()).enhanced_packet(frame(60));
    auto reader = open_ok(w.bytes(), mode(strict));
    EXPECT_EQ(read_all(reader).size(), 2u);
    const Error& e = strict ? *reader.error() : reader.warnings().at(0);
    EXPECT_EQ(e.code, ErrorCode::UnsupportedVersion);
    EXPECT_EQ(e.message, where(3, at) + ": pcapng version 2.1 is not supported (only 1.x); the 2 "
                                        "complete records before it are kept");
  }
}

TEST(pcapng_sections, UnknownByteOrderMagicInALaterSection) {
  PcapngWriter w = three_packets(1);
  const std::size_t at = w.size();
  w.section(Section().byte_order_magic(0x11223344)).interface(Interface());
  auto reader = open_ok(w.bytes());
  EXPECT_EQ(read_all(reader).size(), 1u);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0].message,
            where(2, at) + ": section header with an unknown byte-order magic; the 1 complete "
                           "records before it are kept");
}

TEST(pcapng_sections, InfoAfterTheFirstInterface) {
  // info() describes the first interface as soon as its block has been read: at open when it
  // comes before the first packet, later when a block too large to read ahead precedes it.
  PcapngWriter w;
  w.section()
      .interface(Interface().link(kRaw).snaplen(1000).nanosecond())
      .enhanced_packet(frame(20))
      .interface(Interface().link(kEthernet).snaplen(64))
      .enhanced_packet(frame(60), Packet().interface(1));
  auto reader = open_ok(w.bytes());
  EXPECT_EQ(reader.info().link, LinkType::Raw);
  EXPECT_EQ(reader.info().snaplen, 1000u);
  EXPECT_TRUE(reader.info().nanosecond);
  EXPECT_EQ(reader.interfaces().size(), 1u);
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(reader.interfaces().size(), 2u);
  EXPECT_EQ(reader.info().link, LinkType::Raw);  // still the first interface's

  PcapngWriter late;
  late.section()
      .custom(32473, frame(17 * kMiB))  // 17 MiB: more than the reader holds
      .interface(Interface().link(kSll).snaplen(2000).binary_resolution(30))
      .enhanced_packet(frame(30));
  const TempFile file(late.bytes(), ".pcapng");
  auto from_file = CaptureReader::open(file.path());
  ASSERT_TRUE(from_file) << from_file.error().message;
  EXPECT_TRUE(from_file->interfaces().empty());
  Record r;
  ASSERT_TRUE(from_file->next(r));
  EXPECT_EQ(r.link, LinkType::LinuxSll);
  EXPECT_EQ(from_file->info().link, LinkType::LinuxSll);
  EXPECT_EQ(from_file->info().snaplen, 2000u);
  EXPECT_TRUE(from_file->info().nanosecond);  // 2^-30 s is finer than a microsecond
  EXPECT_FALSE(from_file->next(r));
  EXPECT_FALSE(from_file->error());
}

// ---------------------------------------------------------------------------------------------
// Timestamps: if_tsresol and if_tsoffset

struct TimeCase {
  const char* name;
  int tsresol;  // the raw if_tsresol byte, or -1 for no option
  std::int64_t tsoffset_s;
  std::uint64_t ticks;
  std::int64_t ts_ns;
  std::uint64_t units_per_second;
};

// Named in test listings (and so in ctest's test names) by the case's name, not its bytes.
void PrintTo(const TimeCase& c, std::ostream* out) { *out << c.name; }

class pcapng_timestamps : public ::testing::TestWithParam<TimeCase> {};

TEST_P(pcapng_timestamps, ExactNanoseconds) {
  const TimeCase& c = GetParam();
  for (const bool be : {false, true}) {
    SCOPED_TRACE(be ? "big-endian" : "little-endian");
    Interface iface;
    if (c.tsresol >= 0) iface.tsresol(static_cast<std::uint8_t>(c.tsresol));
    if (c.tsoffset_s != 0) iface.tsoffset(c.tsoffset_s);
    PcapngWriter w;
    w.section(Section().big_endian(be)).interface(iface).enhanced_packet(frame(10), Packet().ticks(c.ticks));
    auto reader = open_ok(w.bytes());
    ASSERT_EQ(reader.interfaces().size(), 1u);
    EXPECT_EQ(reader.interfaces()[0].units_per_second, c.units_per_second);
    EXPECT_EQ(reader.interfaces()[0].offset_s, c.tsoffset_s);
    Record r;
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.ts_ns, c.ts_ns);
  }
}

constexpr std::uint64_t kS = 1'700'000'000;  // seconds of kT0

INSTANTIATE_TEST_SUITE_P(
    Resolutions, pcapng_timestamps,
    ::testing::Values(
        // No option: microseconds.
        TimeCase{"default_us", -1, 0, kS * 1'000'000 + 123'456, kT0 + 123'456'000, 1'000'000},
        TimeCase{"us", 6, 0, kS * 1'000'000 + 999'999, kT0 + 999'999'000, 1'000'000},
        TimeCase{"ns", 9, 0, kS * 1'000'000'000 + 123'456'789, kT0 + 123'456'789, 1'000'000'000},
        TimeCase{"ms", 3, 0, kS * 1'000 + 7, kT0 + 7'000'000, 1'000},
        TimeCase{"seconds", 0, 0, kS, kT0, 1},
        // 2^-10 s: 1/1024 s = 976562.5 ns, truncated like Wireshark; 512/1024 is exact.
        TimeCase{"binary10_one_tick", 0x8a, 0, kS * 1024 + 1, kT0 + 976'562, 1024},
        TimeCase{"binary10_half", 0x8a, 0, kS * 1024 + 512, kT0 + 500'000'000, 1024},
        TimeCase{"binary10_last_tick", 0x8a, 0, kS * 1024 + 1023, kT0 + 999'023'437, 1024},
        TimeCase{"binary30", 0x9e, 0, (kS << 30) + (1u << 29), kT0 + 500'000'000, 1u << 30},
        // 10^-19: the sub-second product no longer fits 64 bits (long double path).
        TimeCase{"decimal19", 19, 0, 15'000'000'000'000'000'000u, 1'500'000'000,
                 10'000'000'000'000'000'000u},
        // if_tsoffset: whole seconds added, either sign, also with ns and 2^-n resolutions.
        TimeCase{"offset_plus_day", 6, 86'400, kS * 1'000'000 + 1, kT0 + 86'400'000'000'000 + 1'000,
                 1'000'000},
        TimeCase{"offset_minus_hour_ns", 9, -3'600, kS * 1'000'000'000 + 1,
                 kT0 - 3'600'000'000'000 + 1, 1'000'000'000},
        TimeCase{"offset_binary10", 0x8a, -1, 1024 + 256, 250'000'000, 1024},
        TimeCase{"offset_before_epoch", 6, -10, 1, -9'999'999'000, 1'000'000},
        TimeCase{"offset_only_ticks_zero", -1, 1'000'000'000, 0, 1'000'000'000'000'000'000,
                 1'000'000}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(pcapng_timestamps, ResolutionOutOfRangeIsCorrupt) {
  for (const auto& [raw, text] : {std::pair<std::uint8_t, std::string>{20, "10^-20"},
                                  std::pair<std::uint8_t, std::string>{0xc0, "2^-64"}}) {
    PcapngWriter w;
    w.section().interface(Interface().tsresol(raw)).enhanced_packet(frame(10));
    auto reader = CaptureReader::open_memory(w.bytes(), "t.pcapng");
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::CorruptRecord);
    EXPECT_NE(reader.error().message.find("if_tsresol " + text + " is out of range"), std::string::npos)
        << reader.error().message;
    EXPECT_NE(reader.error().message.find("byte offset " + std::to_string(w.offset(1))), std::string::npos)
        << reader.error().message;
  }
}

TEST(pcapng_timestamps, AtNsRoundTripsThroughTheWriter) {
  // The writer's at_ns() and the reader agree for every resolution that can hold the time.
  const std::int64_t t = kT0 + 123'456'789;
  for (const auto& [raw, expected] : {std::pair<std::uint8_t, std::int64_t>{9, t},
                                      std::pair<std::uint8_t, std::int64_t>{6, kT0 + 123'456'000},
                                      std::pair<std::uint8_t, std::int64_t>{0x94, kT0 + 123'456'001}}) {
    PcapngWriter w;
    w.section().interface(Interface().tsresol(raw).tsoffset(-5)).enhanced_packet(frame(10), Packet().at_ns(t));
    auto reader = open_ok(w.bytes());
    Record r;
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.ts_ns, expected) << int{raw};
  }
}

// ---------------------------------------------------------------------------------------------
// Block types

TEST(pcapng_blocks, SimplePacketBlockCaplen) {
  // §4.4: captured length = min(original length, snaplen, what the block holds); no time.
  PcapngWriter w;
  w.section()
      .interface(Interface().link(kEthernet).snaplen(64))
      .simple_packet(frame(100), 100)          // cut by the snaplen
      .simple_packet(frame(40, 1), 40)         // whole (the 40 bytes are already aligned)
      .simple_packet(frame(42, 2), 42)         // two padding bytes not counted
      .simple_packet(frame(60, 3), 1514);      // the block holds 60 of the 1514
  auto reader = open_ok(w.bytes());
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 4u);
  const std::uint32_t caplens[] = {64, 40, 42, 60};
  const std::uint32_t origlens[] = {100, 40, 42, 1514};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(records[i].caplen, caplens[i]);
    EXPECT_EQ(records[i].origlen, origlens[i]);
    EXPECT_EQ(records[i].ts_ns, 0);
    EXPECT_EQ(records[i].iface, 0u);
    EXPECT_EQ(records[i].offset, w.offset(2 + i));
  }
  const auto first = frame(100);
  EXPECT_EQ(records[0].bytes, std::vector<std::byte>(first.begin(), first.begin() + 64));
  EXPECT_FALSE(reader.error());
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(pcapng_blocks, SimplePacketWithoutSnaplenOrInterface) {
  {
    PcapngWriter w;
    w.section().interface(Interface().snaplen(0)).simple_packet(frame(3000), 3000);
    auto reader = open_ok(w.bytes());
    const auto records = read_all(reader);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].caplen, 3000u);  // snaplen 0: no limit
  }
  for (const bool strict : {false, true}) {
    PcapngWriter w;
    w.section().simple_packet(frame(60));
    auto reader = open_ok(w.bytes(), mode(strict));
    EXPECT_TRUE(read_all(reader).empty());
    const Error& e = strict ? *reader.error() : reader.warnings().at(0);
    EXPECT_EQ(e.code, ErrorCode::CorruptRecord);
    EXPECT_EQ(e.message, where(1, w.offset(1)) + ": simple packet block before any interface; the "
                                                  "0 complete records before it are kept");
  }
}

TEST(pcapng_blocks, ObsoletePacketBlock) {
  PcapngWriter w;
  w.section()
      .interface(Interface().link(kEthernet))
      .interface(Interface().link(kRaw).nanosecond())
      .obsolete_packet(frame(50), Packet().interface(1).ticks(static_cast<std::uint64_t>(kT0) + 9).origlen(70).drops(2))
      .obsolete_packet(frame(51), Packet().interface(0).at_ns(kT0 + 5'000));
  auto reader = open_ok(w.bytes());
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].iface, 1u);
  EXPECT_EQ(records[0].link, LinkType::Raw);
  EXPECT_EQ(records[0].ts_ns, kT0 + 9);
  EXPECT_EQ(records[0].origlen, 70u);
  EXPECT_EQ(records[0].bytes, frame(50));
  EXPECT_EQ(records[1].link, LinkType::Ethernet);
  EXPECT_EQ(records[1].ts_ns, kT0 + 5'000);
  EXPECT_FALSE(reader.error());
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(pcapng_blocks, CapturedLengthAboveTheWireLengthIsKept) {
  // Nothing checks caplen against origlen (in either format): `length` is the wire length
  // the writer claims, `caplen` the bytes present.
  PcapngWriter w;
  w.section().interface(Interface()).enhanced_packet(frame(80), Packet().origlen(60));
  auto reader = open_ok(w.bytes(), mode(true));
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].caplen, 80u);
  EXPECT_EQ(records[0].origlen, 60u);
  EXPECT_FALSE(reader.error());
}

TEST(pcapng_blocks, NameResolutionRecordsAreKept) {
  PcapngWriter w;
  w.section()
      .name_resolution({NameEntry::ipv4({192, 0, 2, 1}, {"www.example.com", "example.com"}),
                        NameEntry::ipv6(test::ipv6_address("2001:db8::53"), {"ns.example.net"})})
      .interface(Interface())
      .enhanced_packet(frame(60))
      .name_resolution({NameEntry::ipv4({198, 51, 100, 7}, {"late.example.org"})})
      .enhanced_packet(frame(61));
  auto reader = open_ok(w.bytes());
  ASSERT_EQ(reader.name_records().size(), 3u);  // the NRB before the first packet: at open
  EXPECT_EQ(read_all(reader).size(), 2u);
  const auto& names = reader.name_records();
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0].ip_version, 4);
  EXPECT_EQ(names[0].name, "www.example.com");
  EXPECT_EQ((std::array<std::uint8_t, 4>{names[0].address[0], names[0].address[1],
                                         names[0].address[2], names[0].address[3]}),
            (std::array<std::uint8_t, 4>{192, 0, 2, 1}));
  EXPECT_EQ(names[1].name, "example.com");  // a second name for the same address
  EXPECT_EQ(names[1].address, names[0].address);
  EXPECT_EQ(names[2].ip_version, 6);
  EXPECT_EQ(names[2].address, test::ipv6_address("2001:db8::53"));
  EXPECT_EQ(names[2].name, "ns.example.net");
  EXPECT_EQ(names[3].name, "late.example.org");
  EXPECT_EQ(names[3].address[3], 7);
}

TEST(pcapng_blocks, StatisticsCustomAndUnknownBlocksAreSkipped) {
  PcapngWriter w;
  w.section()
      .interface(Interface())
      .enhanced_packet(frame(60), Packet().comment("an option after the data"))
      .interface_statistics(0, 10, 1)
      .custom(32473, frame(13), true)
      .custom(32473, frame(8), false)
      .block(test::pcapng_block::kDecryptionSecrets, frame(24))
      .block(0x0000dead, frame(5))     // unknown, in the local-use range
      .block(0x80001234, {})           // unknown, reserved bit set, empty body
      .enhanced_packet(frame(61))
      .interface_statistics(0, 20, 2);
  auto reader = open_ok(w.bytes());
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].bytes, frame(60));
  EXPECT_EQ(records[1].offset, w.offset(9));
  EXPECT_EQ(records[1].bytes, frame(61));
  EXPECT_EQ(reader.records_read(), 2u);
  EXPECT_EQ(reader.bytes_consumed(), w.bytes().size());
  EXPECT_FALSE(reader.error());
  EXPECT_TRUE(reader.warnings().empty());
}

// ---------------------------------------------------------------------------------------------
// Several link types in one file, decoded per packet

TEST(pcapng_links, EachPacketIsDecodedWithItsInterfacesLinkType) {
  const test::Mac src = test::mac("00:11:22:33:44:55");
  const test::Mac dst = test::mac("66:77:88:99:aa:bb");
  const auto eth = FrameBuilder().ethernet(src, dst).ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53)
                       .dns_query("www.example.com").build();
  const auto raw = FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53)
                       .dns_query("www.example.com").build();
  const auto sll = FrameBuilder().sll(src).ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53)
                       .dns_query("www.example.com").build();
  const auto raw6 = FrameBuilder().ipv6("2001:db8::1", "2001:db8::2").tcp(443, 50000).build();
  PcapngWriter w;
  w.section()
      .interface(Interface().link(kEthernet))
      .interface(Interface().link(kRaw))
      .interface(Interface().link(kSll))
      .enhanced_packet(raw, Packet().interface(1))
      .enhanced_packet(eth, Packet().interface(0))
      .enhanced_packet(sll, Packet().interface(2))
      .enhanced_packet(raw6, Packet().interface(1));
  auto reader = open_ok(w.bytes());
  Record r;
  PacketFields f;
  std::vector<LinkType> links;
  for (int i = 0; reader.next(r); ++i) {
    SCOPED_TRACE(i);
    links.push_back(r.link);
    decode_frame(r.link, r.bytes, f);
    EXPECT_EQ(f.anomaly, Anomaly::None);
    if (i == 3) {
      EXPECT_EQ(f.ip_src.version, 6);
      EXPECT_EQ(f.transport, Transport::Tcp);
      EXPECT_EQ(f.port_src, 443);
      continue;
    }
    EXPECT_EQ(f.ip_src.version, 4);
    EXPECT_EQ(f.ip_src.v4(), 0x0a000001u);
    EXPECT_EQ(f.ip_dst.v4(), 0x0a000002u);
    EXPECT_EQ(f.transport, Transport::Udp);
    EXPECT_EQ(f.port_dst, 53);
    EXPECT_TRUE(f.is_dns);
    EXPECT_EQ(f.dns_query.view(), "www.example.com.");
    EXPECT_EQ(f.has_mac_src, r.link != LinkType::Raw);
    EXPECT_EQ(f.has_mac_dst, r.link == LinkType::Ethernet);
    if (f.has_mac_src) {
      EXPECT_EQ(f.mac_src, 0x001122334455u);
    }
  }
  EXPECT_EQ(links, (std::vector<LinkType>{LinkType::Raw, LinkType::Ethernet, LinkType::LinuxSll,
                                          LinkType::Raw}));
  EXPECT_FALSE(reader.error());
}

TEST(pcapng_links, FilterIsCompiledPerLinkType) {
  const test::Mac src = test::mac("00:11:22:33:44:55");
  const test::Mac dst = test::mac("66:77:88:99:aa:bb");
  PcapngWriter w;
  w.section()
      .interface(Interface().link(kEthernet))
      .interface(Interface().link(kRaw))
      .interface(Interface().link(kSll))
      .enhanced_packet(FrameBuilder().ethernet(src, dst).ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build(),
                       Packet().interface(0))
      .enhanced_packet(FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 80).build(), Packet().interface(1))
      .enhanced_packet(FrameBuilder().ipv4("10.0.0.3", "10.0.0.2").udp(1, 53).build(), Packet().interface(1))
      .enhanced_packet(FrameBuilder().sll(src).ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build(),
                       Packet().interface(2))
      .enhanced_packet(FrameBuilder().sll(src).ipv4("10.0.0.1", "10.0.0.2").tcp(1, 53).build(),
                       Packet().interface(2));
  CaptureOptions options;
  options.filter = "udp port 53 and src host 10.0.0.1";
  auto reader = open_ok(w.bytes(), options);
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].link, LinkType::Ethernet);
  EXPECT_EQ(records[1].link, LinkType::LinuxSll);
  EXPECT_EQ(reader.records_read(), 5u);  // the filtered-out records were read too
  EXPECT_FALSE(reader.error());

  // An expression that compiles for Ethernet but not for raw IP: reading stops at the first
  // raw-IP record with libpcap's reason, in lax mode too.
  options.filter = "ether src 00:11:22:33:44:55";
  auto second = open_ok(w.bytes(), options);
  EXPECT_EQ(read_all(second).size(), 1u);
  ASSERT_TRUE(second.error());
  EXPECT_EQ(second.error()->code, ErrorCode::InvalidArgument);
  EXPECT_EQ(second.error()->offset, w.offset(5));
  EXPECT_EQ(second.error()->message.rfind("t.pcapng: filter 'ether src 00:11:22:33:44:55' does "
                                          "not compile for link type 101: ", 0),
            0u)
      << second.error()->message;
}

TEST(pcapng_links, AnExpressionThatMatchesNothingOnALaterLinkTypeSkipsItsFrames) {
  // libpcap's optimizer refuses "arp" for raw IP ("expression rejects all packets"). On the
  // first interface that fails the open, as in tcpdump; on a later one it means only that
  // none of its frames match.
  const test::Mac src = test::mac("00:11:22:33:44:55");
  const auto arp = FrameBuilder().ethernet(src, test::mac("ff:ff:ff:ff:ff:ff"))
                       .arp(1, src, "10.0.0.1", test::mac("00:00:00:00:00:00"), "10.0.0.2").build();
  const auto raw = FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build();
  CaptureOptions options;
  options.filter = "arp";

  PcapngWriter ethernet_first;
  ethernet_first.section()
      .interface(Interface().link(kEthernet))
      .interface(Interface().link(kRaw))
      .enhanced_packet(raw, Packet().interface(1))
      .enhanced_packet(arp, Packet().interface(0))
      .enhanced_packet(raw, Packet().interface(1));
  auto reader = open_ok(ethernet_first.bytes(), options);
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].offset, ethernet_first.offset(4));
  EXPECT_EQ(reader.records_read(), 3u);
  EXPECT_FALSE(reader.error());

  PcapngWriter raw_first;
  raw_first.section().interface(Interface().link(kRaw)).enhanced_packet(raw);
  auto refused = CaptureReader::open_memory(raw_first.bytes(), "t.pcapng", options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(refused.error().message,
            "filter 'arp' does not compile for link type 101: expression rejects all packets");
}

// ---------------------------------------------------------------------------------------------
// Blocks over 16 MiB

/// SHB, IDB, a packet, an unknown block of `big` bytes, a packet.
PcapngWriter around_big_block(std::size_t big) {
  PcapngWriter w = three_packets(1);
  w.block(0x00000bad, frame(big - 12, 9)).enhanced_packet(frame(70, 1), Packet().at_ns(kT0 + 1000));
  return w;
}

void expect_both_packets(CaptureReader& reader, const PcapngWriter& w) {
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].bytes, frame(60, 0));
  EXPECT_EQ(records[1].offset, w.offset(4));
  EXPECT_EQ(records[1].ts_ns, kT0 + 1000);
  EXPECT_EQ(records[1].bytes, frame(70, 1));
  EXPECT_EQ(reader.bytes_consumed(), w.bytes().size());
  EXPECT_FALSE(reader.error());
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(pcapng_streaming, UnknownBlockOver16MiBFromMemoryFileAndPipe) {
  const PcapngWriter w = around_big_block(20 * kMiB + 4);
  ASSERT_GT(w.offset(4) - w.offset(3), PcapngParser::kMaxBufferedBlock);
  {
    SCOPED_TRACE("memory");
    auto reader = open_ok(w.bytes());
    expect_both_packets(reader, w);
  }
  {
    SCOPED_TRACE("file");
    const TempFile file(w.bytes(), ".pcapng");
    auto reader = CaptureReader::open(file.path());
    ASSERT_TRUE(reader) << reader.error().message;
    expect_both_packets(*reader, w);
  }
  {
    SCOPED_TRACE("pipe");
    test::TestPipe pipe(w.bytes());
    auto reader = CaptureReader::open(pipe.path());
    pipe.close_read_end();
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_FALSE(reader->info().size);  // a pipe has no size
    expect_both_packets(*reader, w);
  }
}

/// A stream that makes SHB, IDB, packet, a custom block of `big` bytes and a packet on the
/// fly, so that nothing but the reader holds capture bytes in memory.
class GeneratedStream final : public ByteStream {
 public:
  explicit GeneratedStream(std::size_t big) : big_(big), body_left_(big - 12) {
    const auto put32 = [](std::vector<std::byte>& out, std::size_t v) {  // little-endian
      for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xffu));
    };
    head_ = three_packets(1).bytes();
    put32(head_, test::pcapng_block::kCustomCopiable);  // the big block's type and length
    put32(head_, big);
    put32(tail_, big);  // its trailing length, then one more packet
    PcapngWriter last;
    last.enhanced_packet(frame(70, 1), Packet().ticks(1));
    tail_.insert(tail_.end(), last.bytes().begin(), last.bytes().end());
  }
  Result<std::size_t> read(std::span<std::byte> into) override {
    std::size_t n = 0;
    const auto take = [&](std::vector<std::byte>& from, std::size_t& pos) {
      const std::size_t k = std::min(into.size() - n, from.size() - pos);
      std::memcpy(into.data() + n, from.data() + pos, k);
      pos += k;
      n += k;
    };
    take(head_, head_pos_);
    if (body_left_ > 0 && n < into.size()) {
      const std::size_t k = std::min(into.size() - n, body_left_);
      std::memset(into.data() + n, 0x5a, k);
      body_left_ -= k;
      n += k;
    }
    if (body_left_ == 0) take(tail_, tail_pos_);
    return n;
  }
  std::size_t total() const { return head_.size() + big_ - 12 + tail_.size(); }

 private:
  std::size_t big_;
  std::size_t body_left_;
  std::vector<std::byte> head_, tail_;
  std::size_t head_pos_ = 0, tail_pos_ = 0;
};

long peak_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(pcapng_streaming, UnknownBlockOver16MiBIsNotHeldInMemory) {
  constexpr std::size_t kBig = 256 * kMiB;
  auto stream = std::make_unique<GeneratedStream>(kBig);
  const std::size_t total = stream->total();
  const long before = peak_rss_kib();
  auto reader = CaptureReader::open_stream(std::move(stream), "t.pcapng");
  ASSERT_TRUE(reader) << reader.error().message;
  const auto records = read_all(*reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].bytes, frame(70, 1));
  EXPECT_EQ(reader->bytes_consumed(), total);
  EXPECT_FALSE(reader->error());
  const long grown_kib = peak_rss_kib() - before;
  EXPECT_LT(grown_kib, 64 * 1024) << "the 256 MiB block was held in memory";
}

TEST(pcapng_streaming, PacketAndInterfaceBlocksOver16MiBAreCorrupt) {
  const std::uint32_t huge = (16u << 20) + 4;
  struct Case {
    const char* what;
    std::uint32_t type;
  };
  for (const Case c : {Case{"enhanced packet", test::pcapng_block::kEnhancedPacket},
                       Case{"simple packet", test::pcapng_block::kSimplePacket},
                       Case{"obsolete packet", test::pcapng_block::kObsoletePacket},
                       Case{"interface", test::pcapng_block::kInterfaceDescription}}) {
    SCOPED_TRACE(c.what);
    PcapngWriter w = three_packets(2);
    const std::size_t at = w.size();
    w.block(c.type, frame(32), BlockDamage().length(huge));
    auto reader = open_ok(w.bytes());
    EXPECT_EQ(read_all(reader).size(), 2u);
    ASSERT_EQ(reader.warnings().size(), 1u);
    EXPECT_EQ(reader.warnings()[0].message,
              where(3, at) + ": block length 16777220 is above the maximum of 16777216; the 2 "
                             "complete records before it are kept");
  }
}

// ---------------------------------------------------------------------------------------------
// Damage: lax keeps every record before it and warns; strict fails with the same error.

struct DamageCase {
  const char* name;
  // Appends the damaged block to a writer holding two good packets.
  void (*damage)(PcapngWriter&);
  ErrorCode code;
  // The message after "t.pcapng: record 3 at byte offset X: " (X = where the block starts),
  // or the whole message when it does not start that way (see `whole`).
  std::string detail;
  bool whole = false;
};

void PrintTo(const DamageCase& c, std::ostream* out) { *out << c.name; }

class pcapng_damage : public ::testing::TestWithParam<DamageCase> {};

TEST_P(pcapng_damage, KeepsTheRecordsBeforeAndNamesTheOffset) {
  const DamageCase& c = GetParam();
  for (const bool strict : {false, true}) {
    SCOPED_TRACE(strict ? "strict" : "lax");
    PcapngWriter w = three_packets(2);
    const std::size_t at = w.size();
    c.damage(w);
    for (const bool from_file : {false, true}) {
      SCOPED_TRACE(from_file ? "file" : "memory");
      std::optional<TempFile> file;
      Result<CaptureReader> opened = unexpected({ErrorCode::Io, 0, 0, "unset"});
      if (from_file) {
        file.emplace(w.bytes(), ".pcapng");
        opened = CaptureReader::open(file->path(), mode(strict));
      } else {
        opened = CaptureReader::open_memory(w.bytes(), "t.pcapng", mode(strict));
      }
      ASSERT_TRUE(opened) << opened.error().message;
      CaptureReader& reader = *opened;
      const auto records = read_all(reader);
      ASSERT_EQ(records.size(), 2u);
      EXPECT_EQ(records[0].bytes, frame(60, 0));
      EXPECT_EQ(records[1].bytes, frame(61, 1));
      EXPECT_EQ(reader.records_read(), 2u);
      ASSERT_EQ(reader.error().has_value(), strict);
      ASSERT_EQ(reader.warnings().size(), strict ? 0u : 1u);
      const Error& e = strict ? *reader.error() : reader.warnings()[0];
      const std::string name = from_file ? file->path() : "t.pcapng";
      std::string expected =
          c.whole ? c.detail
                  : name + ": record 3 at byte offset " + std::to_string(at) + ": " + c.detail +
                        "; the 2 complete records before it are kept";
      for (std::size_t p; (p = expected.find("{name}")) != std::string::npos;)
        expected.replace(p, 6, name);
      for (std::size_t p; (p = expected.find("{end}")) != std::string::npos;)
        expected.replace(p, 5, std::to_string(w.bytes().size()));
      EXPECT_EQ(e.code, c.code);
      EXPECT_EQ(e.record, 2u);
      EXPECT_EQ(e.offset, c.whole ? w.bytes().size() : at);
      EXPECT_EQ(e.message, expected);
      // Reading stays stopped.
      Record r;
      EXPECT_FALSE(reader.next(r));
    }
  }
}

const std::vector<std::byte> kData = frame(62, 2);

INSTANTIATE_TEST_SUITE_P(
    Blocks, pcapng_damage,
    ::testing::Values(
        DamageCase{"trailing_length_differs",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, {}, BlockDamage().trailer(100)); },
                   ErrorCode::CorruptRecord, "block length 96 differs from its trailing copy 100"},
        DamageCase{"length_below_12",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, {}, BlockDamage().length(8)); },
                   ErrorCode::CorruptRecord, "block length 8 is below the minimum of 12"},
        DamageCase{"length_zero",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, {}, BlockDamage().length(0)); },
                   ErrorCode::CorruptRecord, "block length 0 is below the minimum of 12"},
        DamageCase{"length_not_multiple_of_4",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, {}, BlockDamage().length(94)); },
                   ErrorCode::CorruptRecord, "block length 94 is not a multiple of 4"},
        DamageCase{"length_longer_than_the_block",
                   [](PcapngWriter& w) {
                     w.enhanced_packet(kData, {}, BlockDamage().length(100)).enhanced_packet(kData);
                   },
                   // The 4 bytes read as the trailer are the next block's type (6).
                   ErrorCode::CorruptRecord, "block length 100 differs from its trailing copy 6"},
        DamageCase{"huge_packet_block",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, {}, BlockDamage().length(0xfffffff0u)); },
                   ErrorCode::CorruptRecord, "block length 4294967280 is above the maximum of 16777216"},
        DamageCase{"truncated_block",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, {}, BlockDamage().cut_to(50)); },
                   ErrorCode::Truncated,
                   "the capture ends inside the record (50 of 96 bytes present)"},
        DamageCase{"truncated_block_header",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, {}, BlockDamage().cut_to(5)); },
                   ErrorCode::Truncated, "the capture ends inside the record (5 of 8 bytes present)"},
        DamageCase{"truncated_unknown_block_over_16MiB",
                   [](PcapngWriter& w) {
                     w.block(0x00000bad, frame(1000), BlockDamage().length(32u << 20));
                   },
                   ErrorCode::Truncated,
                   "{name}: the capture ends inside a block at byte offset {end} (33553420 bytes "
                   "missing)",
                   true},
        DamageCase{"packet_for_undefined_interface",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, Packet().interface(4)); },
                   ErrorCode::CorruptRecord, "packet for interface 4, but the section defines 1"},
        DamageCase{"obsolete_packet_for_undefined_interface",
                   [](PcapngWriter& w) { w.obsolete_packet(kData, Packet().interface(1)); },
                   ErrorCode::CorruptRecord, "packet for interface 1, but the section defines 1"},
        DamageCase{"caplen_beyond_the_block",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, Packet().caplen(65)); },
                   ErrorCode::CorruptRecord, "captured length 65 does not fit its block"},
        DamageCase{"caplen_above_the_maximum",
                   [](PcapngWriter& w) { w.enhanced_packet(kData, Packet().caplen(0xffffffffu)); },
                   ErrorCode::CorruptRecord, "captured length 4294967295 does not fit its block"},
        DamageCase{"enhanced_packet_too_short",
                   [](PcapngWriter& w) { w.block(test::pcapng_block::kEnhancedPacket, frame(16)); },
                   ErrorCode::CorruptRecord, "enhanced packet block is too short"},
        DamageCase{"interface_block_too_short",
                   [](PcapngWriter& w) { w.block(test::pcapng_block::kInterfaceDescription, frame(4)); },
                   ErrorCode::CorruptRecord, "interface description block is too short"},
        DamageCase{"section_header_too_short",
                   [](PcapngWriter& w) {
                     w.block(test::pcapng_block::kSectionHeader,
                             std::vector<std::byte>{std::byte{0x4d}, std::byte{0x3c}, std::byte{0x2b},
                                                    std::byte{0x1a}, std::byte{1}, std::byte{0},
                                                    std::byte{0}, std::byte{0}});
                   },
                   ErrorCode::CorruptRecord, "section header block is too short"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(pcapng_damage, CorruptInterfaceBeforeTheFirstPacketFailsTheOpen) {
  // Before the first packet there is nothing to keep: the open fails in both modes, and the
  // error names the block's offset.
  for (const bool strict : {false, true}) {
    PcapngWriter w;
    w.section().interface(Interface(), BlockDamage().trailer(4)).enhanced_packet(frame(60));
    auto reader = CaptureReader::open_memory(w.bytes(), "t.pcapng", mode(strict));
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, ErrorCode::CorruptRecord);
    EXPECT_EQ(reader.error().offset, w.offset(1));
    EXPECT_EQ(reader.error().message,
              "t.pcapng: block at byte offset 28: block length 20 differs from its trailing copy 4");
  }
}

TEST(pcapng_damage, EveryPrefixKeepsTheCompleteRecords) {
  // The file cut at every byte: the open fails only inside the section header; otherwise the
  // records whose blocks are complete are read, and a cut inside a block is one warning.
  PcapngWriter w;
  w.section(Section().user_application("x"))
      .interface(Interface().nanosecond().name("eth0"))
      .enhanced_packet(frame(30))
      .name_resolution({NameEntry::ipv4({10, 0, 0, 1}, {"a.example"})})
      .simple_packet(frame(17, 1))
      .enhanced_packet(frame(45, 2));
  const auto& whole = w.bytes();
  const std::size_t packet_ends[] = {w.offset(3), w.offset(5), whole.size()};
  const std::size_t block_starts[] = {0, w.offset(1), w.offset(2), w.offset(3), w.offset(4),
                                      w.offset(5), whole.size()};
  for (std::size_t cut = 4; cut <= whole.size(); ++cut) {
    SCOPED_TRACE(cut);
    const std::vector<std::byte> prefix(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
    auto reader = CaptureReader::open_memory(prefix, "t.pcapng");
    if (cut < w.offset(1)) {
      ASSERT_FALSE(reader);
      EXPECT_EQ(reader.error().code, ErrorCode::Truncated);
      continue;
    }
    ASSERT_TRUE(reader) << reader.error().message;
    const auto records = read_all(*reader);
    const auto complete = static_cast<std::size_t>(
        std::count_if(std::begin(packet_ends), std::end(packet_ends), [&](std::size_t end) { return end <= cut; }));
    EXPECT_EQ(records.size(), complete);
    const bool on_boundary = std::find(std::begin(block_starts), std::end(block_starts), cut) != std::end(block_starts);
    EXPECT_EQ(reader->warnings().size(), on_boundary ? 0u : 1u);
    if (!on_boundary && !reader->warnings().empty()) {
      EXPECT_EQ(reader->warnings()[0].code, ErrorCode::Truncated);
      EXPECT_EQ(reader->warnings()[0].record, complete);
    }
    EXPECT_FALSE(reader->error());
  }
}

}  // namespace
}  // namespace pcapframe
