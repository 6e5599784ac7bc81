// SPDX-License-Identifier: MIT
// decode_frame(): the first step per link type, the reset, and that nothing in the result
// borrows the frame.
#include <gtest/gtest.h>

#include <algorithm>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

FrameBuilder v4_udp(FrameBuilder b) {
  b.ipv4("198.51.100.7", "203.0.113.9").udp(12345, 53).dns_query("link.example");
  return b;
}
FrameBuilder v6_udp(FrameBuilder b) {
  b.ipv6("2001:db8::7", "2001:db8::9").udp(12345, 53).dns_query("link6.example");
  return b;
}

DECODE_FIXTURE(frame_raw_ipv4, LinkType::Raw) { return v4_udp(FrameBuilder()); }
DECODE_FIXTURE(frame_raw_ipv6, LinkType::Raw) { return v6_udp(FrameBuilder()); }
DECODE_FIXTURE(frame_linktype_ipv4, LinkType::Ipv4) { return v4_udp(FrameBuilder()); }
DECODE_FIXTURE(frame_linktype_ipv6, LinkType::Ipv6) { return v6_udp(FrameBuilder()); }

struct LinkCase {
  const char* name;
  LinkType link;
  std::uint16_t value;  // the LINKTYPE_* number
  FrameBuilder frame;
  bool v6;
  bool has_mac;
};

class EveryLinkType : public ::testing::TestWithParam<LinkCase> {};

TEST_P(EveryLinkType, ReachesTheIpAndDnsLayers) {
  const LinkCase& c = GetParam();
  EXPECT_EQ(static_cast<std::uint16_t>(c.link), c.value);
  const PacketFields f = decode(c.link, c.frame);
  EXPECT_EQ(f.anomaly, Anomaly::None);
  EXPECT_EQ(f.ip_src, c.v6 ? ip6("2001:db8::7") : ip4("198.51.100.7"));
  EXPECT_EQ(f.ip_dst, c.v6 ? ip6("2001:db8::9") : ip4("203.0.113.9"));
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_EQ(f.port_src, 12345);
  EXPECT_EQ(f.dns_query.view(), c.v6 ? "link6.example." : "link.example.");
  EXPECT_EQ(f.has_mac_src, c.has_mac);
}

INSTANTIATE_TEST_SUITE_P(
    Links, EveryLinkType,
    ::testing::Values(
        LinkCase{"Ethernet", LinkType::Ethernet, 1, v4_udp(FrameBuilder().ethernet(kMacA, kMacB)),
                 false, true},
        LinkCase{"Null", LinkType::Null, 0, v4_udp(FrameBuilder().null_link(ByteOrder::Little)),
                 false, false},
        LinkCase{"Loop", LinkType::Loop, 108, v6_udp(FrameBuilder().loop_link()), true, false},
        LinkCase{"RawIpv4", LinkType::Raw, 101, v4_udp(FrameBuilder()), false, false},
        LinkCase{"RawIpv6", LinkType::Raw, 101, v6_udp(FrameBuilder()), true, false},
        LinkCase{"Ipv4", LinkType::Ipv4, 228, v4_udp(FrameBuilder()), false, false},
        LinkCase{"Ipv6", LinkType::Ipv6, 229, v6_udp(FrameBuilder()), true, false},
        LinkCase{"LinuxSll", LinkType::LinuxSll, 113, v6_udp(FrameBuilder().sll(kMacA)), true,
                 true},
        LinkCase{"LinuxSll2", LinkType::LinuxSll2, 276, v4_udp(FrameBuilder().sll2(kMacA)), false,
                 true}),
    [](const ::testing::TestParamInfo<LinkCase>& param_info) { return param_info.param.name; });

TEST(Frame, RawFixturesDecode) {
  EXPECT_EQ(decode(frame_raw_ipv4()).ip_src, ip4("198.51.100.7"));
  EXPECT_EQ(decode(frame_raw_ipv6()).ip_src, ip6("2001:db8::7"));
  EXPECT_EQ(decode(frame_linktype_ipv4()).dns_query.view(), "link.example.");
  EXPECT_EQ(decode(frame_linktype_ipv6()).dns_query.view(), "link6.example.");
}

TEST(Frame, UnknownLinkTypeStillGivesARow) {
  // Valid Ethernet bytes under LINKTYPE_IEEE802_11 (105): nothing is guessed.
  const auto frame = v4_udp(FrameBuilder().ethernet(kMacA, kMacB)).build();
  for (std::uint16_t value : {std::uint16_t{105}, std::uint16_t{147}, std::uint16_t{65535}}) {
    const PacketFields f = decode(link_type(value), frame);
    EXPECT_EQ(f.anomaly, Anomaly::UnknownLinkType) << value;
    EXPECT_FALSE(f.has_mac_src) << value;
    EXPECT_EQ(f.ip_src.version, 0) << value;
    EXPECT_EQ(f.transport, Transport::None) << value;
    EXPECT_FALSE(f.is_dns) << value;
  }
  EXPECT_EQ(decode(link_type(105), std::span<const std::byte>()).anomaly,
            Anomaly::UnknownLinkType);
}

TEST(Frame, RawWithAnotherVersionIsUnknownNetwork) {
  auto frame = v4_udp(FrameBuilder()).build();
  frame[0] = std::byte{0x55};
  const PacketFields f = decode(LinkType::Raw, frame);
  EXPECT_EQ(f.anomaly, Anomaly::UnknownNetwork);
  EXPECT_EQ(f.ip_src.version, 0);
}

TEST(Frame, EmptyRawFrameIsTruncatedIpv4) {
  // No version nibble to go by; the decoder reports the IPv4 case.
  EXPECT_EQ(decode(LinkType::Raw, std::span<const std::byte>()).anomaly, Anomaly::TruncatedIpv4);
}

TEST(Frame, EmptyFramePerLinkType) {
  const std::span<const std::byte> empty;
  EXPECT_EQ(decode(LinkType::Ethernet, empty).anomaly, Anomaly::TruncatedLink);
  EXPECT_EQ(decode(LinkType::Null, empty).anomaly, Anomaly::TruncatedLink);
  EXPECT_EQ(decode(LinkType::Loop, empty).anomaly, Anomaly::TruncatedLink);
  EXPECT_EQ(decode(LinkType::LinuxSll, empty).anomaly, Anomaly::TruncatedLink);
  EXPECT_EQ(decode(LinkType::LinuxSll2, empty).anomaly, Anomaly::TruncatedLink);
  EXPECT_EQ(decode(LinkType::Ipv4, empty).anomaly, Anomaly::TruncatedIpv4);
  EXPECT_EQ(decode(LinkType::Ipv6, empty).anomaly, Anomaly::TruncatedIpv6);
}

TEST(Frame, LinkTypeIpv4WithAnIpv6PacketIsBadIpv4Header) {
  const PacketFields f = decode(LinkType::Ipv4, frame_raw_ipv6().bytes);
  EXPECT_EQ(f.anomaly, Anomaly::BadIpv4Header);
  EXPECT_EQ(f.ip_src.version, 0);
}

TEST(Frame, LinkTypeIpv6WithAnIpv4PacketIsUnknownNetwork) {
  const PacketFields f = decode(LinkType::Ipv6, frame_raw_ipv4().bytes);
  EXPECT_EQ(f.anomaly, Anomaly::UnknownNetwork);
  EXPECT_EQ(f.ip_src.version, 0);
}

TEST(Frame, OutputIsResetBeforeDecoding) {
  PacketFields f;
  decode_frame(LinkType::Ethernet,
               v4_udp(FrameBuilder().ethernet(kMacA, kMacB).vlan(9)).build(), f);
  ASSERT_TRUE(f.is_dns);
  ASSERT_EQ(f.vlan_count, 1);
  // Decoding an ARP frame into the same struct leaves none of the DNS frame's fields.
  decode_frame(LinkType::Ethernet,
               FrameBuilder().ethernet(kMacB, kMacA).arp(1, kMacB, "10.0.0.1", Mac{}, "10.0.0.2")
                   .build(),
               f);
  PacketFields expected;
  expected.has_mac_src = expected.has_mac_dst = true;
  expected.mac_src = kMacBValue;
  expected.mac_dst = kMacAValue;
  expected.ether_type = 0x0806;
  expected.is_arp = true;
  expect_same_fields(f, expected);
}

TEST(Frame, OutputHoldingArbitraryValuesIsResetToo) {
  PacketFields f;
  f.has_mac_src = f.has_mac_dst = f.is_llc = f.is_arp = f.is_fragment = f.is_later_fragment = true;
  f.mac_src = f.mac_dst = 0xffffffffffff;
  f.ether_type = f.vlan_id = f.port_src = f.port_dst = f.dns_id = 0xffff;
  f.vlan_count = f.ip_proto = f.ttl = f.tcp_flags = f.icmp_type = f.icmp_code = 0xff;
  f.ip_src = f.ip_dst = ip6("ffff::ffff");
  f.transport = Transport::Icmp;
  f.has_ports = f.is_dns = f.dns_message = f.dns_is_response = true;
  f.dns_rcode = 5;
  f.dns_question_count = f.dns_answer_count = f.dns_query_type = 9;
  f.dns_offset = f.dns_length = 1234;
  f.dns_query.text.fill('q');
  f.dns_query.length = 254;
  f.dns_answer.text.fill('a');
  f.dns_answer.length = 3;
  f.anomaly = Anomaly::BadDnsName;

  decode_frame(LinkType::Loop, FrameBuilder().loop_link().ipv4("10.0.0.1", "10.0.0.2").build(), f);
  PacketFields expected;
  expected.ip_src = ip4("10.0.0.1");
  expected.ip_dst = ip4("10.0.0.2");
  expected.ttl = 64;
  expected.ip_proto = 59;  // what the builder writes when nothing follows
  expect_same_fields(f, expected);
}

TEST(Frame, ResultDoesNotBorrowTheFrame) {
  auto frame = v4_udp(FrameBuilder().ethernet(kMacA, kMacB)).build();
  const PacketFields before = decode(LinkType::Ethernet, frame);
  PacketFields kept = before;
  std::fill(frame.begin(), frame.end(), std::byte{0xee});
  frame.clear();
  frame.shrink_to_fit();
  expect_same_fields(kept, before);
  EXPECT_EQ(kept.dns_query.view(), "link.example.");
}

TEST(Frame, DecodingTwiceGivesTheSameFields) {
  const auto frame = v6_udp(FrameBuilder().ethernet(kMacA, kMacB).vlan(3)).build();
  expect_same_fields(decode(LinkType::Ethernet, frame), decode(LinkType::Ethernet, frame));
}

}  // namespace
}  // namespace pcapframe::test
