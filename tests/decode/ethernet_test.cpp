// SPDX-License-Identifier: MIT
// Ethernet II and IEEE 802.3 headers: MACs, EtherType vs length, the 1501..1535 gap.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

DECODE_FIXTURE(ethernet_ipv4_udp, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("192.0.2.1", "198.51.100.2")
      .udp(40000, 9999)
      .payload("hello");
}

DECODE_FIXTURE(ethernet_ipv6_tcp, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacB, kMacA)
      .ipv6("2001:db8::1", "2001:db8::2")
      .tcp(443, 50000)
      .payload("data");
}

DECODE_FIXTURE(ethernet_lldp, LinkType::Ethernet) {
  return FrameBuilder().ethernet(kMacA, mac("01:80:c2:00:00:0e")).ether_type(0x88cc).payload(
      to_bytes({0x02, 0x07, 0x04, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x00}));
}

TEST(Ethernet, TypeIIFrameGivesMacsInWireOrderAndTheEtherType) {
  const PacketFields f = decode(ethernet_ipv4_udp());
  EXPECT_TRUE(f.has_mac_src);
  EXPECT_TRUE(f.has_mac_dst);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.mac_dst, kMacBValue);
  EXPECT_EQ(f.ether_type, 0x0800);
  EXPECT_FALSE(f.is_llc);
  EXPECT_EQ(f.vlan_count, 0);
  EXPECT_EQ(f.ip_src, ip4("192.0.2.1"));
  EXPECT_EQ(f.ip_dst, ip4("198.51.100.2"));
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_EQ(f.port_src, 40000);
  EXPECT_EQ(f.port_dst, 9999);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ethernet, Ipv6EtherTypeLeadsToIpv6) {
  const PacketFields f = decode(ethernet_ipv6_tcp());
  EXPECT_EQ(f.mac_src, kMacBValue);
  EXPECT_EQ(f.mac_dst, kMacAValue);
  EXPECT_EQ(f.ether_type, 0x86dd);
  EXPECT_EQ(f.ip_src, ip6("2001:db8::1"));
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.port_src, 443);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ethernet, UnknownEtherTypeKeepsTheLinkFieldsWithoutAnomaly) {
  const PacketFields f = decode(ethernet_lldp());
  EXPECT_EQ(f.ether_type, 0x88cc);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.mac_dst, 0x0180c200000e);
  EXPECT_EQ(f.ip_src.version, 0);
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

// IEEE 802.3 clause 3.2.6: 1501..1535 is neither a length nor an EtherType.
class EthernetBadTypeField : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(EthernetBadTypeField, IsBadEtherTypeWithMacsKept) {
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ethernet(kMacA, kMacB).ether_type(GetParam()).payload(std::string(46, 'x')));
  EXPECT_EQ(f.anomaly, Anomaly::BadEtherType);
  EXPECT_TRUE(f.has_mac_src);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.mac_dst, kMacBValue);
  EXPECT_EQ(f.ether_type, 0);
  EXPECT_FALSE(f.is_llc);
}

INSTANTIATE_TEST_SUITE_P(Gap, EthernetBadTypeField,
                         ::testing::Values(std::uint16_t{1501}, std::uint16_t{1535},
                                           std::uint16_t{0x05dd}, std::uint16_t{0x05ff}));

TEST(Ethernet, TypeField1536IsTheFirstEtherType) {
  const PacketFields f = decode(
      LinkType::Ethernet, FrameBuilder().ethernet(kMacA, kMacB).ether_type(0x0600).payload("x"));
  EXPECT_EQ(f.ether_type, 0x0600);
  EXPECT_FALSE(f.is_llc);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ethernet, TypeField1500IsThe8023LengthLimit) {
  // 1500 claims more than the 46 bytes present: lax, the length is clamped to them.
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ieee802_3(kMacA, kMacB).length_field(1500).llc().payload(
          std::string(43, 'b')));
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.ether_type, 0);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ethernet, LengthFieldZeroMeansAnEmptyLlcPart) {
  // Padding follows, but the length says the LLC header is absent.
  const PacketFields f =
      decode(LinkType::Ethernet, FrameBuilder().ieee802_3(kMacA, kMacB).padding(46, 0x42));
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedLink);
}

TEST(Ethernet, ShortFrameIsTruncatedLinkWithNoMacs) {
  const auto frame = ethernet_ipv4_udp().bytes;
  for (std::size_t n : {std::size_t{0}, std::size_t{6}, std::size_t{13}}) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedLink) << n;
    EXPECT_FALSE(f.has_mac_src) << n;
    EXPECT_FALSE(f.has_mac_dst) << n;
    EXPECT_EQ(f.mac_src, 0u) << n;
  }
}

TEST(Ethernet, HeaderAloneDecodesMacsThenStopsAtTheEmptyIpHeader) {
  const auto frame = ethernet_ipv4_udp().bytes;
  const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(14));
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.ether_type, 0x0800);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedIpv4);
}

}  // namespace
}  // namespace pcapframe::test
