// SPDX-License-Identifier: MIT
// BSD NULL (LINKTYPE_NULL, 0: family in the writer's byte order) and OpenBSD LOOP
// (LINKTYPE_LOOP, 108: family in network byte order).
#include <gtest/gtest.h>

#include <tuple>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

DECODE_FIXTURE(null_little_endian_ipv4, LinkType::Null) {
  return FrameBuilder().null_link(ByteOrder::Little).ipv4("127.0.0.1", "127.0.0.2").udp(53, 9000)
      .dns(DnsBuilder().id(9).response().question("localhost").answer_a("localhost", "127.0.0.1"));
}

DECODE_FIXTURE(null_big_endian_ipv4, LinkType::Null) {
  return FrameBuilder().null_link(ByteOrder::Big).ipv4("127.0.0.1", "127.0.0.2").tcp(80, 8080);
}

DECODE_FIXTURE(null_darwin_ipv6, LinkType::Null) {
  return FrameBuilder().null_link(ByteOrder::Little, 30).ipv6("::1", "::1").udp(5000, 5001).payload(
      "x");
}

DECODE_FIXTURE(loop_ipv4, LinkType::Loop) {
  return FrameBuilder().loop_link().ipv4("127.0.0.1", "127.0.0.1").icmp(0, 0);
}

DECODE_FIXTURE(loop_ipv6, LinkType::Loop) {
  return FrameBuilder().loop_link(24).ipv6("::1", "::2").tcp(1, 2);
}

TEST(NullLoopback, NullLittleEndianInet) {
  const PacketFields f = decode(null_little_endian_ipv4());
  EXPECT_EQ(f.ip_src, ip4("127.0.0.1"));
  EXPECT_EQ(f.ip_dst, ip4("127.0.0.2"));
  EXPECT_FALSE(f.has_mac_src);
  EXPECT_FALSE(f.has_mac_dst);
  EXPECT_EQ(f.ether_type, 0);
  EXPECT_EQ(f.port_src, 53);
  EXPECT_EQ(f.dns_answer.view(), "localhost.");
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(NullLoopback, NullBigEndianInet) {
  const PacketFields f = decode(null_big_endian_ipv4());
  EXPECT_EQ(f.ip_src, ip4("127.0.0.1"));
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

// Every AF_INET6 value libpcap lists (Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30),
// in both byte orders.
class NullInet6 : public ::testing::TestWithParam<std::tuple<std::uint32_t, ByteOrder>> {};

TEST_P(NullInet6, IsIpv6) {
  const auto [family, order] = GetParam();
  const PacketFields f = decode(
      LinkType::Null, FrameBuilder().null_link(order, family).ipv6("2001:db8::5", "::1").udp(7, 8));
  EXPECT_EQ(f.ip_src, ip6("2001:db8::5"));
  EXPECT_EQ(f.port_dst, 8);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

INSTANTIATE_TEST_SUITE_P(Families, NullInet6,
                         ::testing::Combine(::testing::Values(10u, 24u, 28u, 30u),
                                            ::testing::Values(ByteOrder::Little, ByteOrder::Big)));

TEST(NullLoopback, NullDarwinIpv6Fixture) {
  const PacketFields f = decode(null_darwin_ipv6());
  EXPECT_EQ(f.ip_src, ip6("::1"));
  EXPECT_EQ(f.port_src, 5000);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(NullLoopback, NullUnknownFamilyIsUnknownNetwork) {
  const PacketFields f = decode(
      LinkType::Null, FrameBuilder().null_link(ByteOrder::Little, 7).ipv4("10.0.0.1", "10.0.0.2"));
  EXPECT_EQ(f.anomaly, Anomaly::UnknownNetwork);
  EXPECT_EQ(f.ip_src.version, 0);
}

TEST(NullLoopback, CutFamilyIsTruncatedLink) {
  const auto frame = null_little_endian_ipv4().bytes;
  for (std::size_t n = 0; n < 4; ++n) {
    EXPECT_EQ(decode(LinkType::Null, std::span(frame).first(n)).anomaly, Anomaly::TruncatedLink)
        << n;
    EXPECT_EQ(decode(LinkType::Loop, std::span(frame).first(n)).anomaly, Anomaly::TruncatedLink)
        << n;
  }
}

TEST(NullLoopback, LoopInet) {
  const PacketFields f = decode(loop_ipv4());
  EXPECT_EQ(f.ip_src, ip4("127.0.0.1"));
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_FALSE(f.has_mac_src);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(NullLoopback, LoopInet6) {
  const PacketFields f = decode(loop_ipv6());
  EXPECT_EQ(f.ip_dst, ip6("::2"));
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(NullLoopback, LoopReadsNetworkOrderOnly) {
  // A host-order (little-endian) family is 0x02000000 to LOOP: not a family it knows.
  const PacketFields f = decode(
      LinkType::Loop, FrameBuilder().null_link(ByteOrder::Little, 2).ipv4("10.0.0.1", "10.0.0.2"));
  EXPECT_EQ(f.anomaly, Anomaly::UnknownNetwork);
  EXPECT_EQ(f.ip_src.version, 0);
}

}  // namespace
}  // namespace pcapframe::test
