// SPDX-License-Identifier: MIT
// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276).
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

DECODE_FIXTURE(sll2_ipv4_tcp_dns, LinkType::LinuxSll2) {
  return FrameBuilder()
      .sll2(kMacB, /*ifindex=*/7, /*packet_type=*/0)
      .ipv4("172.16.0.5", "172.16.0.53")
      .tcp(40001, 53, 0x18)
      .dns_tcp(DnsBuilder().id(0xbeef).question("tcp.example.net", dns_type::kTxt));
}

DECODE_FIXTURE(sll2_ipv6_udp, LinkType::LinuxSll2) {
  return FrameBuilder().sll2(kMacA).ipv6("fd00::1", "fd00::2").udp(123, 123).payload("ntp");
}

TEST(Sll2, Ipv4TcpGivesSourceMacAndTheRestOfThePacket) {
  const PacketFields f = decode(sll2_ipv4_tcp_dns());
  EXPECT_TRUE(f.has_mac_src);
  EXPECT_EQ(f.mac_src, kMacBValue);
  EXPECT_FALSE(f.has_mac_dst);
  EXPECT_EQ(f.ether_type, 0x0800);
  EXPECT_EQ(f.ip_dst, ip4("172.16.0.53"));
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.tcp_flags, 0x18);
  EXPECT_EQ(f.dns_id, 0xbeef);
  EXPECT_EQ(f.dns_query.view(), "tcp.example.net.");
  EXPECT_EQ(f.dns_offset, 20u + 20u + 20u + 2u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Sll2, Ipv6) {
  const PacketFields f = decode(sll2_ipv6_udp());
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.ether_type, 0x86dd);
  EXPECT_EQ(f.ip_src, ip6("fd00::1"));
  EXPECT_EQ(f.port_dst, 123);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Sll2, NonEthernetHardwareTypeHasNoMac) {
  const PacketFields f = decode(
      LinkType::LinuxSll2,
      FrameBuilder().sll2_header(1, 0, /*ARPHRD_LOOPBACK*/ 772, {0, 0, 0, 0, 0, 0}).ipv4(
          "127.0.0.1", "127.0.0.1").udp(5000, 5001));
  EXPECT_FALSE(f.has_mac_src);
  EXPECT_EQ(f.ip_src, ip4("127.0.0.1"));
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Sll2, CutHeaderIsTruncatedLink) {
  const auto frame = sll2_ipv6_udp().bytes;
  for (std::size_t n = 0; n < 20; ++n) {
    const PacketFields f = decode(LinkType::LinuxSll2, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedLink) << n;
    EXPECT_EQ(f.ether_type, 0) << n;
  }
}

}  // namespace
}  // namespace pcapframe::test
