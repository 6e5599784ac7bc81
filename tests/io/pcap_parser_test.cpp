// SPDX-License-Identifier: MIT
// PcapParser, sans-IO: file headers of every variant, record headers, NeedMore sizes, limits.
#include "io/pcap_parser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "support/pcap_writer.hpp"

namespace pcapframe {
namespace {

using detail::ParseStep;
using detail::PcapParser;
using test::PcapWriter;
using test::RecordOptions;
using test::to_bytes;

using Variant = test::PcapVariant;
using test::writer_for;

class HeaderVariants : public ::testing::TestWithParam<Variant> {};

TEST_P(HeaderVariants, HeaderFieldsAndFirstRecord) {
  const Variant& v = GetParam();
  const auto frame = to_bytes({0xde, 0xad, 0xbe, 0xef, 0x01});
  const std::int64_t ts_ns = 1'600'000'000'123'456'000;  // exact in both resolutions
  const auto bytes = writer_for(v).snaplen(65535).link(113).version(2, 4)
                         .add(ts_ns, frame, RecordOptions().origlen(1500)).bytes();

  PcapParser parser;
  CaptureInfo info;
  const ParseStep head = parser.parse_header(bytes, info);
  ASSERT_EQ(head.kind, ParseStep::Kind::Skip);
  EXPECT_EQ(head.size, 24u);
  EXPECT_EQ(info.format, v.modified ? CaptureFormat::PcapModified : CaptureFormat::Pcap);
  EXPECT_EQ(info.big_endian, v.big_endian);
  EXPECT_EQ(info.nanosecond, v.nanosecond);
  EXPECT_EQ(info.version_major, 2);
  EXPECT_EQ(info.version_minor, 4);
  EXPECT_EQ(info.snaplen, 65535u);
  EXPECT_EQ(info.link, LinkType::LinuxSll);

  Record record;
  const Bytes rest = Bytes(bytes).subspan(24);
  const ParseStep step = parser.next(rest, record);
  ASSERT_EQ(step.kind, ParseStep::Kind::Record);
  EXPECT_EQ(step.size, (v.modified ? 24u : 16u) + 5u);
  EXPECT_EQ(record.ts_ns, ts_ns);
  EXPECT_EQ(record.caplen, 5u);
  EXPECT_EQ(record.origlen, 1500u);
  EXPECT_EQ(record.link, LinkType::LinuxSll);
  EXPECT_EQ(record.iface, 0u);
  ASSERT_EQ(record.bytes.size(), 5u);
  EXPECT_EQ(record.bytes.data(), rest.data() + (v.modified ? 24 : 16));  // borrowed, not copied
  EXPECT_TRUE(std::equal(record.bytes.begin(), record.bytes.end(), frame.begin()));
}

INSTANTIATE_TEST_SUITE_P(
    AllMagics, HeaderVariants,
    ::testing::ValuesIn(test::kPcapVariants),
    [](const auto& p) { return std::string(p.param.name); });

TEST(PcapParser, IsMagicAcceptsExactlySixValues) {
  for (const std::uint32_t m : {0xa1b2c3d4u, 0xa1b23c4du, 0xa1b2cd34u, 0xd4c3b2a1u, 0x4d3cb2a1u,
                                0x34cdb2a1u})
    EXPECT_TRUE(PcapParser::is_magic(m)) << std::hex << m;
  for (const std::uint32_t m : {0u, 0x0a0d0d0au, 0xa1b2c3d5u, 0xa1b2c3d3u, 0x1a2b3c4du})
    EXPECT_FALSE(PcapParser::is_magic(m)) << std::hex << m;
}

TEST(PcapParser, ExactMagicBytesOnDisk) {
  // The bytes real tools write, so the writer and parser cannot agree on a shared mistake.
  struct Case {
    std::vector<std::byte> magic;
    bool big_endian;
    bool nanosecond;
    bool modified;
  };
  const Case cases[] = {
      {to_bytes({0xd4, 0xc3, 0xb2, 0xa1}), false, false, false},
      {to_bytes({0xa1, 0xb2, 0xc3, 0xd4}), true, false, false},
      {to_bytes({0x4d, 0x3c, 0xb2, 0xa1}), false, true, false},
      {to_bytes({0xa1, 0xb2, 0x3c, 0x4d}), true, true, false},
      {to_bytes({0x34, 0xcd, 0xb2, 0xa1}), false, false, true},
      {to_bytes({0xa1, 0xb2, 0xcd, 0x34}), true, false, true},
  };
  for (const Case& c : cases) {
    std::vector<std::byte> header = c.magic;
    const auto rest = c.big_endian
                          ? to_bytes({0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 96, 0, 0, 0, 1})
                          : to_bytes({2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 96, 0, 0, 0, 1, 0, 0, 0});
    header.insert(header.end(), rest.begin(), rest.end());
    PcapParser parser;
    CaptureInfo info;
    ASSERT_EQ(parser.parse_header(header, info).kind, ParseStep::Kind::Skip);
    EXPECT_EQ(info.big_endian, c.big_endian);
    EXPECT_EQ(info.nanosecond, c.nanosecond);
    EXPECT_EQ(info.format, c.modified ? CaptureFormat::PcapModified : CaptureFormat::Pcap);
    EXPECT_EQ(info.snaplen, 96u);
    EXPECT_EQ(info.link, LinkType::Ethernet);
    EXPECT_EQ(info.version_major, 2);
    EXPECT_EQ(info.version_minor, 4);
  }
}

TEST(PcapParser, TimestampResolution) {
  const auto frame = to_bytes({1});
  // Nanosecond files keep every digit; the largest 32-bit second count still fits.
  {
    const auto bytes = PcapWriter().nanosecond().add(4'294'967'295'999'999'999, frame).bytes();
    PcapParser parser;
    CaptureInfo info;
    ASSERT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Skip);
    Record r;
    ASSERT_EQ(parser.next(Bytes(bytes).subspan(24), r).kind, ParseStep::Kind::Record);
    EXPECT_EQ(r.ts_ns, 4'294'967'295'999'999'999);
  }
  // Microsecond files: the fraction counts microseconds.
  {
    const auto bytes = PcapWriter().add(1'598'018'810'956'640'000, frame).bytes();
    EXPECT_EQ(bytes[24 + 4], std::byte{0xe0});  // 956640 = 0x000e98e0 → e0 98 0e 00 LE
    PcapParser parser;
    CaptureInfo info;
    ASSERT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Skip);
    Record r;
    ASSERT_EQ(parser.next(Bytes(bytes).subspan(24), r).kind, ParseStep::Kind::Record);
    EXPECT_EQ(r.ts_ns, 1'598'018'810'956'640'000);
  }
}

TEST(PcapParser, ShortHeaderNeedsTwentyFourBytes) {
  const auto bytes = PcapWriter().bytes();
  for (std::size_t n = 0; n < 24; ++n) {
    PcapParser parser;
    CaptureInfo info;
    const ParseStep step = parser.parse_header(Bytes(bytes).first(n), info);
    EXPECT_EQ(step.kind, ParseStep::Kind::NeedMore) << n;
    EXPECT_EQ(step.size, 24u) << n;
  }
}

TEST(PcapParser, NotAMagicFails) {
  auto bytes = PcapWriter().bytes();
  bytes[0] = std::byte{0x00};
  PcapParser parser;
  CaptureInfo info;
  EXPECT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Fail);
  EXPECT_EQ(parser.failure().code, ErrorCode::NotACapture);
}

TEST(PcapParser, VersionChecks) {
  struct Case {
    std::uint16_t major, minor;
    bool ok;
  };
  for (const Case c : {Case{2, 4, true}, Case{2, 2, true}, Case{2, 0, true}, Case{3, 0, false},
                       Case{1, 0, false}, Case{0, 0, false}, Case{4, 2, false}}) {
    for (const bool be : {false, true}) {
      const auto bytes = PcapWriter().big_endian(be).version(c.major, c.minor).bytes();
      PcapParser parser;
      CaptureInfo info;
      const ParseStep step = parser.parse_header(bytes, info);
      EXPECT_EQ(info.version_major, c.major);
      EXPECT_EQ(info.version_minor, c.minor);
      if (c.ok) {
        EXPECT_EQ(step.kind, ParseStep::Kind::Skip) << c.major << "." << c.minor;
      } else {
        ASSERT_EQ(step.kind, ParseStep::Kind::Fail) << c.major << "." << c.minor;
        EXPECT_EQ(parser.failure().code, ErrorCode::UnsupportedVersion);
        EXPECT_EQ(parser.failure().detail, "pcap version " + std::to_string(c.major) + "." +
                                               std::to_string(c.minor) +
                                               " is not supported (only 2.x)");
      }
    }
  }
}

TEST(PcapParser, LinkTypeIgnoresFcsBits) {
  // The upper bits of the link-type field carry the FCS length (draft-ietf-opsawg-pcap §4).
  const auto bytes = PcapWriter().link(0x1000'0000u | 101u).bytes();
  PcapParser parser;
  CaptureInfo info;
  ASSERT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Skip);
  EXPECT_EQ(info.link, LinkType::Raw);
}

TEST(PcapParser, NeedMoreNamesTheBytesItWants) {
  for (const bool modified : {false, true}) {
    PcapWriter w;
    if (modified) w.modified();
    const std::vector<std::byte> frame(100, std::byte{0x55});
    const auto bytes = w.add(0, frame).bytes();
    PcapParser parser;
    CaptureInfo info;
    ASSERT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Skip);
    const Bytes rec = Bytes(bytes).subspan(24);
    const std::size_t hdr = modified ? 24 : 16;
    for (std::size_t n = 0; n < rec.size(); ++n) {
      Record r;
      const ParseStep step = parser.next(rec.first(n), r);
      ASSERT_EQ(step.kind, ParseStep::Kind::NeedMore) << n;
      EXPECT_EQ(step.size, n < hdr ? hdr : hdr + 100) << n;
    }
    Record r;
    EXPECT_EQ(parser.next(rec, r).kind, ParseStep::Kind::Record);
  }
}

TEST(PcapParser, CaplenLimit) {
  const auto frame = to_bytes({1, 2, 3});
  // At the limit: a valid header that needs kMaxCaplen more bytes.
  {
    const auto bytes = PcapWriter().add(0, frame, RecordOptions().caplen(kMaxCaplen)).bytes();
    PcapParser parser;
    CaptureInfo info;
    ASSERT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Skip);
    Record r;
    const ParseStep step = parser.next(Bytes(bytes).subspan(24), r);
    EXPECT_EQ(step.kind, ParseStep::Kind::NeedMore);
    EXPECT_EQ(step.size, 16u + kMaxCaplen);
  }
  // One above, and 4 GiB - 1: corrupt, decided from the header alone.
  for (const std::uint32_t caplen : {kMaxCaplen + 1, 0xffff'ffffu}) {
    const auto bytes = PcapWriter().add(0, frame, RecordOptions().caplen(caplen)).bytes();
    PcapParser parser;
    CaptureInfo info;
    ASSERT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Skip);
    Record r;
    EXPECT_EQ(parser.next(Bytes(bytes).subspan(24), r).kind, ParseStep::Kind::Fail);
    EXPECT_EQ(parser.failure().code, ErrorCode::CorruptRecord);
    EXPECT_EQ(parser.failure().detail, "captured length " + std::to_string(caplen) +
                                           " is above the maximum of 262144");
  }
}

TEST(PcapParser, ZeroLengthRecord) {
  const auto bytes = PcapWriter().add(5'000'000'000, {}, RecordOptions().origlen(60)).bytes();
  ASSERT_EQ(bytes.size(), 24u + 16u);
  PcapParser parser;
  CaptureInfo info;
  ASSERT_EQ(parser.parse_header(bytes, info).kind, ParseStep::Kind::Skip);
  Record r;
  const ParseStep step = parser.next(Bytes(bytes).subspan(24), r);
  ASSERT_EQ(step.kind, ParseStep::Kind::Record);
  EXPECT_EQ(step.size, 16u);
  EXPECT_EQ(r.caplen, 0u);
  EXPECT_EQ(r.origlen, 60u);
  EXPECT_EQ(r.ts_ns, 5'000'000'000);
  EXPECT_TRUE(r.bytes.empty());
}

}  // namespace
}  // namespace pcapframe
