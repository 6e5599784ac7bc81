// SPDX-License-Identifier: MIT
// Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113).
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

DECODE_FIXTURE(sll_ipv4_udp_dns, LinkType::LinuxSll) {
  return FrameBuilder()
      .sll(kMacA, /*packet_type=outgoing*/ 4)
      .ipv4("10.0.2.15", "10.0.2.3")
      .udp(51000, 53)
      .dns_query("example.org", dns_type::kAaaa);
}

DECODE_FIXTURE(sll_ipv6_tcp, LinkType::LinuxSll) {
  return FrameBuilder().sll(kMacB).ipv6("2001:db8::a", "2001:db8::b").tcp(22, 40000).payload("ssh");
}

DECODE_FIXTURE(sll_tun_ipv4, LinkType::LinuxSll) {
  // A tun device: ARPHRD_NONE (65534), no link address.
  return FrameBuilder().sll_header(0, 65534, {}).ipv4("10.8.0.2", "10.8.0.1").icmp(8, 0);
}

DECODE_FIXTURE(sll_vlan, LinkType::LinuxSll) {
  return FrameBuilder().sll(kMacA).vlan(10).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2);
}

TEST(Sll, Ipv4GivesSourceMacProtocolAndTheRestOfThePacket) {
  const PacketFields f = decode(sll_ipv4_udp_dns());
  EXPECT_TRUE(f.has_mac_src);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_FALSE(f.has_mac_dst);  // SLL carries only the sender's address
  EXPECT_EQ(f.ether_type, 0x0800);
  EXPECT_EQ(f.ip_src, ip4("10.0.2.15"));
  EXPECT_EQ(f.port_dst, 53);
  EXPECT_EQ(f.dns_query.view(), "example.org.");
  EXPECT_EQ(f.dns_query_type, dns_type::kAaaa);
  EXPECT_EQ(f.dns_offset, 16u + 20u + 8u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Sll, Ipv6) {
  const PacketFields f = decode(sll_ipv6_tcp());
  EXPECT_EQ(f.mac_src, kMacBValue);
  EXPECT_EQ(f.ether_type, 0x86dd);
  EXPECT_EQ(f.ip_dst, ip6("2001:db8::b"));
  EXPECT_EQ(f.port_src, 22);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Sll, NonEthernetHardwareTypeHasNoMac) {
  const PacketFields f = decode(sll_tun_ipv4());
  EXPECT_FALSE(f.has_mac_src);
  EXPECT_EQ(f.mac_src, 0u);
  EXPECT_EQ(f.ip_src, ip4("10.8.0.2"));
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Sll, EthernetTypeWithAnAddressLengthOtherThanSixHasNoMac) {
  const PacketFields f = decode(
      LinkType::LinuxSll,
      FrameBuilder().sll_header(0, 1, {1, 2, 3, 4}).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2));
  EXPECT_FALSE(f.has_mac_src);
  EXPECT_EQ(f.ip_src, ip4("10.0.0.1"));
}

TEST(Sll, VlanProtocolIsFollowed) {
  const PacketFields f = decode(sll_vlan());
  EXPECT_EQ(f.vlan_count, 1);
  EXPECT_EQ(f.vlan_id, 10);
  EXPECT_EQ(f.ether_type, 0x0800);
  EXPECT_EQ(f.transport, Transport::Udp);
}

TEST(Sll, CutHeaderIsTruncatedLink) {
  const auto frame = sll_ipv4_udp_dns().bytes;
  for (std::size_t n = 0; n < 16; ++n) {
    const PacketFields f = decode(LinkType::LinuxSll, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedLink) << n;
    EXPECT_FALSE(f.has_mac_src) << n;
  }
}

}  // namespace
}  // namespace pcapframe::test
