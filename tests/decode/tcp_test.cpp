// SPDX-License-Identifier: MIT
// TCP (RFC 9293 §3.1): ports, flags, data offset, options.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

using namespace tcp_flag;

DECODE_FIXTURE(tcp_syn, LinkType::Ethernet) {
  return FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "93.184.216.34").tcp(49152, 443,
                                                                                      kSyn);
}

// MSS 1460, SACK permitted, timestamps, NOP, window scale 7: 20 bytes of options.
DECODE_FIXTURE(tcp_options_dns, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.53")
      .tcp(40000, 53, kPsh | kAck)
      .tcp_options(to_bytes({2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7}))
      .dns_tcp(DnsBuilder().id(77).question("options.example"));
}

DECODE_FIXTURE(tcp_over_ipv6, LinkType::Ethernet) {
  return FrameBuilder().ethernet(kMacA, kMacB).ipv6("2001:db8::1", "2001:db8::2").tcp(
      179, 33333, kFin | kAck).payload("bgp");
}

TEST(Tcp, SynGivesPortsAndFlags) {
  const PacketFields f = decode(tcp_syn());
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.ip_proto, 6);
  EXPECT_TRUE(f.has_ports);
  EXPECT_EQ(f.port_src, 49152);
  EXPECT_EQ(f.port_dst, 443);
  EXPECT_EQ(f.tcp_flags, kSyn);
  EXPECT_FALSE(f.dns_message);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

class TcpFlags : public ::testing::TestWithParam<std::uint8_t> {};

TEST_P(TcpFlags, AreTheThirteenthByte) {
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .tcp(1, 2, GetParam()));
  EXPECT_EQ(f.tcp_flags, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Bits, TcpFlags,
                         ::testing::Values(kFin, kSyn, kRst, kPsh, kAck, kUrg, kEce, kCwr,
                                           std::uint8_t{kSyn | kAck},
                                           std::uint8_t{kFin | kPsh | kAck}, std::uint8_t{0},
                                           std::uint8_t{0xff}));

TEST(Tcp, OptionsAreSkippedByTheDataOffset) {
  const PacketFields f = decode(tcp_options_dns());
  EXPECT_EQ(f.tcp_flags, kPsh | kAck);
  EXPECT_EQ(f.port_dst, 53);
  EXPECT_TRUE(f.dns_message);
  EXPECT_EQ(f.dns_id, 77);
  EXPECT_EQ(f.dns_query.view(), "options.example.");
  EXPECT_EQ(f.dns_offset, 14u + 20u + 40u + 2u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

class TcpSmallDataOffset : public ::testing::TestWithParam<std::uint8_t> {};

TEST_P(TcpSmallDataOffset, IsBadHeaderWithPortsAndFlagsKept) {
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .tcp(53, 1000, kRst)
                                                        .data_offset(GetParam())
                                                        .payload("xx"));
  EXPECT_EQ(f.anomaly, Anomaly::BadTcpHeader);
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.port_src, 53);
  EXPECT_EQ(f.port_dst, 1000);
  EXPECT_EQ(f.tcp_flags, kRst);
  EXPECT_FALSE(f.dns_message);
}

INSTANTIATE_TEST_SUITE_P(BelowFive, TcpSmallDataOffset,
                         ::testing::Values(std::uint8_t{0}, std::uint8_t{3}, std::uint8_t{4}));

TEST(Tcp, DataOffsetBeyondTheSegmentIsTruncated) {
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .tcp(1, 2, kAck)
                                                        .data_offset(15)
                                                        .payload(std::string(39, 'o')));
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedTcp);
  EXPECT_EQ(f.port_src, 1);
  EXPECT_EQ(f.tcp_flags, kAck);
}

TEST(Tcp, CutFixedHeaderIsTruncatedWithTransportButNoPorts) {
  const auto frame = tcp_syn().bytes;
  for (std::size_t n = 34; n < 54; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedTcp) << n;
    EXPECT_EQ(f.transport, Transport::Tcp) << n;
    EXPECT_FALSE(f.has_ports) << n;
  }
}

TEST(Tcp, OverIpv6) {
  const PacketFields f = decode(tcp_over_ipv6());
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.port_src, 179);
  EXPECT_EQ(f.tcp_flags, kFin | kAck);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

}  // namespace
}  // namespace pcapframe::test
