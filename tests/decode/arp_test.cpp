// SPDX-License-Identifier: MIT
// ARP: flagged, with the link fields, and (like the lab's helper) no IP fields.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

DECODE_FIXTURE(arp_request, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, mac("ff:ff:ff:ff:ff:ff"))
      .arp(1, kMacA, "192.168.1.10", Mac{}, "192.168.1.1")
      .padding(18);
}

DECODE_FIXTURE(arp_reply_over_sll2, LinkType::LinuxSll2) {
  return FrameBuilder().sll2(kMacB, 3, 0).arp(2, kMacB, "192.168.1.1", kMacA, "192.168.1.10");
}

TEST(Arp, RequestIsArpWithoutIpFields) {
  const PacketFields f = decode(arp_request());
  EXPECT_TRUE(f.is_arp);
  EXPECT_EQ(f.ether_type, 0x0806);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.mac_dst, 0xffffffffffff);
  EXPECT_EQ(f.ip_src, IpAddress{});
  EXPECT_EQ(f.ip_dst, IpAddress{});
  EXPECT_EQ(f.ip_proto, 0);
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_FALSE(f.has_ports);
  EXPECT_FALSE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Arp, ReplyOverSll2) {
  const PacketFields f = decode(arp_reply_over_sll2());
  EXPECT_TRUE(f.is_arp);
  EXPECT_EQ(f.ether_type, 0x0806);
  EXPECT_EQ(f.mac_src, kMacBValue);
  EXPECT_FALSE(f.has_mac_dst);
  EXPECT_EQ(f.ip_src.version, 0);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Arp, FixedPartCutShortIsTruncatedArp) {
  const auto frame = arp_request().bytes;
  for (std::size_t n = 14; n < 22; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_TRUE(f.is_arp) << n;
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedArp) << n;
  }
  // The fixed 8 bytes are all the decoder reads.
  const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(22));
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

}  // namespace
}  // namespace pcapframe::test
