// SPDX-License-Identifier: MIT
// 802.1Q / 802.1ad tags: outermost id kept, tags counted, the stack bounded.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

FrameBuilder tagged(int tags) {
  FrameBuilder b;
  b.ethernet(kMacA, kMacB);
  for (int i = 0; i < tags; ++i) b.vlan(static_cast<std::uint16_t>(100 + i));
  b.ipv4("10.0.0.1", "10.0.0.2").udp(1111, 2222).payload("x");
  return b;
}

DECODE_FIXTURE(vlan_single_tag, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .vlan(100)
      .ipv4("10.0.0.1", "10.0.0.2")
      .udp(5353, 5353)
      .dns_query("printer.local", dns_type::kPtr);
}

DECODE_FIXTURE(vlan_qinq, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .vlan(200, 0x88a8)
      .vlan(100)
      .ipv6("fe80::1", "ff02::1")
      .udp(5000, 5001)
      .payload("x");
}

DECODE_FIXTURE(vlan_eight_tags, LinkType::Ethernet) { return tagged(kMaxVlanTags); }
DECODE_FIXTURE(vlan_nine_tags, LinkType::Ethernet) { return tagged(kMaxVlanTags + 1); }
DECODE_FIXTURE(vlan_hundred_tags, LinkType::Ethernet) { return tagged(100); }

DECODE_FIXTURE(vlan_tagged_llc, LinkType::Ethernet) {
  // An 802.1Q-tagged 802.3 frame: the tag's type field is a length (IEEE 802.1Q §9.5).
  return FrameBuilder().ethernet(kMacA, kMacB).vlan(7).ether_type(38).llc().payload(
      std::string(35, 's'));
}

TEST(Vlan, SingleTagGivesIdCountAndInnerEtherType) {
  const PacketFields f = decode(vlan_single_tag());
  EXPECT_EQ(f.vlan_count, 1);
  EXPECT_EQ(f.vlan_id, 100);
  EXPECT_EQ(f.ether_type, 0x0800);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.ip_dst, ip4("10.0.0.2"));
  EXPECT_EQ(f.port_dst, 5353);
  EXPECT_EQ(f.dns_query.view(), "printer.local.");
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Vlan, QinQKeepsTheOutermostIdAndCountsBothTags) {
  const PacketFields f = decode(vlan_qinq());
  EXPECT_EQ(f.vlan_count, 2);
  EXPECT_EQ(f.vlan_id, 200);
  EXPECT_EQ(f.ether_type, 0x86dd);
  EXPECT_EQ(f.ip_src, ip6("fe80::1"));
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Vlan, PreStandardQinQTpid0x9100IsATag) {
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .vlan(300, 0x9100)
                                                        .vlan(12)
                                                        .ipv4("10.1.1.1", "10.1.1.2")
                                                        .tcp(1, 2));
  EXPECT_EQ(f.vlan_count, 2);
  EXPECT_EQ(f.vlan_id, 300);
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Vlan, PriorityAndDropEligibleBitsAreNotPartOfTheId) {
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .vlan(4095, 0x8100, /*pcp=*/7, /*dei=*/true)
                                                        .ipv4("10.0.0.1", "10.0.0.2"));
  EXPECT_EQ(f.vlan_id, 4095);
  const PacketFields g = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .vlan(1, 0x8100, /*pcp=*/5, /*dei=*/false)
                                                        .ipv4("10.0.0.1", "10.0.0.2"));
  EXPECT_EQ(g.vlan_id, 1);
}

TEST(Vlan, EightTagsAreDecoded) {
  const PacketFields f = decode(vlan_eight_tags());
  EXPECT_EQ(f.vlan_count, kMaxVlanTags);
  EXPECT_EQ(f.vlan_id, 100);
  EXPECT_EQ(f.ip_src, ip4("10.0.0.1"));
  EXPECT_EQ(f.port_src, 1111);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Vlan, NineTagsAreTooMany) {
  const PacketFields f = decode(vlan_nine_tags());
  EXPECT_EQ(f.anomaly, Anomaly::TooManyVlanTags);
  EXPECT_EQ(f.vlan_count, kMaxVlanTags);
  EXPECT_EQ(f.vlan_id, 100);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.ip_src.version, 0);
  EXPECT_EQ(f.transport, Transport::None);
}

TEST(Vlan, HundredTagsStopAtTheBound) {
  const PacketFields f = decode(vlan_hundred_tags());
  EXPECT_EQ(f.anomaly, Anomaly::TooManyVlanTags);
  EXPECT_EQ(f.vlan_count, kMaxVlanTags);
  EXPECT_EQ(f.vlan_id, 100);
  EXPECT_EQ(f.ip_src.version, 0);
}

TEST(Vlan, CutTagIsTruncatedVlanWithMacsKept) {
  const auto frame = vlan_single_tag().bytes;
  for (std::size_t n = 14; n < 18; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedVlan) << n;
    EXPECT_EQ(f.vlan_count, 0) << n;
    EXPECT_EQ(f.mac_dst, kMacBValue) << n;
    EXPECT_EQ(f.ether_type, 0x8100) << n;
  }
}

TEST(Vlan, TagCarryingArp) {
  const PacketFields f = decode(LinkType::Ethernet,
                                FrameBuilder().ethernet(kMacA, kMacB).vlan(42).arp(
                                    1, kMacA, "10.0.0.1", Mac{}, "10.0.0.2"));
  EXPECT_EQ(f.vlan_id, 42);
  EXPECT_TRUE(f.is_arp);
  EXPECT_EQ(f.ether_type, 0x0806);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Vlan, TagFollowedByALengthFieldIsLlc) {
  const PacketFields f = decode(vlan_tagged_llc());
  EXPECT_EQ(f.vlan_id, 7);
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.ether_type, 0);  // "0 for 802.3/LLC", not the length value
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Vlan, TagFollowedByATypeInTheGapIsBadEtherType) {
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ethernet(kMacA, kMacB).vlan(7).ether_type(1501).payload(std::string(42, 'z')));
  EXPECT_EQ(f.vlan_count, 1);
  EXPECT_EQ(f.anomaly, Anomaly::BadEtherType);
}

}  // namespace
}  // namespace pcapframe::test
