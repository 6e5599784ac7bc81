// SPDX-License-Identifier: MIT
// IPv6 (RFC 8200): addresses, the extension-header chain and its bound, fragments, jumbograms.
#include <gtest/gtest.h>

#include <functional>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

FrameBuilder v6_base() {
  FrameBuilder b;
  b.ethernet(kMacA, kMacB).ipv6("2001:db8:0:1::10", "2001:db8:0:2::20");
  return b;
}

DECODE_FIXTURE(ipv6_udp, LinkType::Ethernet) {
  return v6_base().ttl(255).udp(546, 547).payload("dhcpv6");
}

DECODE_FIXTURE(ipv6_every_extension_kind, LinkType::Ethernet) {
  return v6_base()
      .hop_by_hop()
      .destination_options(1)
      .routing(2)
      .ipv6_fragment(0, true)
      .auth_header(4)
      .destination_options()
      .tcp(8443, 50123, 0x12);
}

DECODE_FIXTURE(ipv6_sixteen_extensions, LinkType::Ethernet) {
  FrameBuilder b = v6_base();
  for (int i = 0; i < kMaxIpv6ExtensionHeaders; ++i) b.destination_options();
  return b.udp(1, 2);
}

DECODE_FIXTURE(ipv6_seventeen_extensions, LinkType::Ethernet) {
  FrameBuilder b = v6_base();
  for (int i = 0; i < kMaxIpv6ExtensionHeaders + 1; ++i) b.hop_by_hop();
  return b.udp(1, 2);
}

DECODE_FIXTURE(ipv6_hundred_extensions, LinkType::Ethernet) {
  FrameBuilder b = v6_base();
  for (int i = 0; i < 100; ++i) b.routing();
  return b.udp(1, 2);
}

DECODE_FIXTURE(ipv6_later_fragment, LinkType::Ethernet) {
  return v6_base().ipv6_fragment(181, false).ip_protocol(17).payload(std::string(100, 'c'));
}

DECODE_FIXTURE(ipv6_jumbo_payload_length_zero, LinkType::Ethernet) {
  return v6_base().payload_length(0).udp(9999, 53).dns_query("jumbo.example", dns_type::kAaaa);
}

DECODE_FIXTURE(ipv6_dns_with_ethernet_padding, LinkType::Ethernet) {
  return v6_base().udp(5355, 40000).udp_length(0).dns(DnsBuilder().question("llmnr")).padding(9, 1);
}

TEST(Ipv6, AddressesHopLimitAndPorts) {
  const PacketFields f = decode(ipv6_udp());
  EXPECT_EQ(f.ip_src, ip6("2001:db8:0:1::10"));
  EXPECT_EQ(f.ip_dst, ip6("2001:db8:0:2::20"));
  EXPECT_EQ(f.ip_src.version, 6);
  EXPECT_EQ(f.ttl, 255);
  EXPECT_EQ(f.ip_proto, 17);
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_EQ(f.port_src, 546);
  EXPECT_EQ(f.port_dst, 547);
  EXPECT_FALSE(f.is_fragment);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

struct ExtensionCase {
  const char* name;
  std::function<void(FrameBuilder&)> add;
  bool fragment;
};

class Ipv6Extension : public ::testing::TestWithParam<ExtensionCase> {};

TEST_P(Ipv6Extension, IsWalkedToTheUpperLayer) {
  FrameBuilder b = v6_base();
  GetParam().add(b);
  const PacketFields f = decode(LinkType::Ethernet, b.udp(40000, 53).dns_query("ext.example"));
  EXPECT_EQ(f.ip_proto, 17);  // the upper-layer protocol, not the extension header
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_EQ(f.port_src, 40000);  // read after the header, so its length was right
  EXPECT_EQ(f.port_dst, 53);
  EXPECT_EQ(f.dns_query.view(), "ext.example.");
  EXPECT_EQ(f.is_fragment, GetParam().fragment);
  EXPECT_FALSE(f.is_later_fragment);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, Ipv6Extension,
    ::testing::Values(
        ExtensionCase{"HopByHop", [](FrameBuilder& b) { b.hop_by_hop(); }, false},
        ExtensionCase{"HopByHop24Bytes", [](FrameBuilder& b) { b.hop_by_hop(2); }, false},
        ExtensionCase{"Routing", [](FrameBuilder& b) { b.routing(4); }, false},
        ExtensionCase{"DestinationOptions", [](FrameBuilder& b) { b.destination_options(); },
                      false},
        ExtensionCase{"FirstFragment", [](FrameBuilder& b) { b.ipv6_fragment(0, true); }, true},
        ExtensionCase{"AuthenticationHeader", [](FrameBuilder& b) { b.auth_header(4); }, false},
        ExtensionCase{"AuthenticationHeaderMinimal", [](FrameBuilder& b) { b.auth_header(1); },
                      false},
        ExtensionCase{"Mobility", [](FrameBuilder& b) { b.ipv6_extension(135, 1); }, false},
        ExtensionCase{"Hip", [](FrameBuilder& b) { b.ipv6_extension(139, 0); }, false},
        ExtensionCase{"Shim6", [](FrameBuilder& b) { b.ipv6_extension(140, 0); }, false}),
    [](const ::testing::TestParamInfo<ExtensionCase>& param_info) {
      return param_info.param.name;
    });

TEST(Ipv6, EveryKindChained) {
  const PacketFields f = decode(ipv6_every_extension_kind());
  EXPECT_EQ(f.ip_proto, 6);
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.port_src, 8443);
  EXPECT_EQ(f.tcp_flags, 0x12);
  EXPECT_TRUE(f.is_fragment);
  EXPECT_FALSE(f.is_later_fragment);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv6, SixteenExtensionHeadersAreWalked) {
  const PacketFields f = decode(ipv6_sixteen_extensions());
  EXPECT_EQ(f.ip_proto, 17);
  EXPECT_EQ(f.port_dst, 2);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv6, SeventeenExtensionHeadersAreTooMany) {
  const PacketFields f = decode(ipv6_seventeen_extensions());
  EXPECT_EQ(f.anomaly, Anomaly::TooManyIpv6Headers);
  EXPECT_EQ(f.ip_src, ip6("2001:db8:0:1::10"));  // the fixed header is kept
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_FALSE(f.has_ports);
}

TEST(Ipv6, HundredExtensionHeadersAreTooMany) {
  const PacketFields f = decode(ipv6_hundred_extensions());
  EXPECT_EQ(f.anomaly, Anomaly::TooManyIpv6Headers);
  EXPECT_EQ(f.ip_dst, ip6("2001:db8:0:2::20"));
  EXPECT_EQ(f.transport, Transport::None);
}

TEST(Ipv6, LaterFragmentHasNoPortsAndNamesTheFragmentedProtocol) {
  const PacketFields f = decode(ipv6_later_fragment());
  EXPECT_TRUE(f.is_fragment);
  EXPECT_TRUE(f.is_later_fragment);
  EXPECT_EQ(f.ip_proto, 17);
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_FALSE(f.has_ports);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv6, PayloadLengthZeroUsesTheCapturedBytes) {
  const PacketFields f = decode(ipv6_jumbo_payload_length_zero());
  EXPECT_EQ(f.port_dst, 53);
  EXPECT_EQ(f.dns_query.view(), "jumbo.example.");
  EXPECT_EQ(f.dns_query_type, dns_type::kAaaa);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv6, PaddingAfterThePayloadLengthIsIgnored) {
  const FrameFixture& fx = ipv6_dns_with_ethernet_padding();
  const PacketFields f = decode(fx);
  EXPECT_EQ(f.anomaly, Anomaly::None);
  EXPECT_EQ(f.dns_query.view(), "llmnr.");
  EXPECT_EQ(f.dns_length,
            fx.layer(LayerKind::Padding).begin - fx.layer(LayerKind::DnsHeader).begin);
}

TEST(Ipv6, PayloadLengthShorterThanTheChainCutsIt) {
  // Says 8 bytes: the hop-by-hop header fits, the UDP header after it does not.
  const PacketFields f =
      decode(LinkType::Ethernet, v6_base().payload_length(8).hop_by_hop().udp(1, 2));
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_FALSE(f.has_ports);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedUdp);
}

TEST(Ipv6, CutExtensionHeaderIsTruncatedWithAddressesKept) {
  const FrameFixture& fx = ipv6_every_extension_kind();
  const Layer& ah = fx.layer(LayerKind::Ipv6Extension, 4);
  ASSERT_EQ(ah.header_end - ah.begin, 24u);
  for (std::size_t n = ah.begin; n < ah.header_end; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(fx.bytes).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedIpv6) << n;
    EXPECT_EQ(f.ip_src, ip6("2001:db8:0:1::10")) << n;
    EXPECT_EQ(f.ip_proto, 51) << n;  // the header being read when the bytes ran out
    EXPECT_TRUE(f.is_fragment) << n;  // the fragment header before it was complete
  }
}

TEST(Ipv6, NoNextHeaderEndsTheWalkQuietly) {
  const PacketFields f = decode(LinkType::Ethernet, v6_base().ip_protocol(59));
  EXPECT_EQ(f.ip_proto, 59);
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv6, VersionNibbleOtherThanSixIsUnknownNetwork) {
  const PacketFields f = decode(LinkType::Ethernet, v6_base().ip_version(4).udp(1, 2));
  EXPECT_EQ(f.anomaly, Anomaly::UnknownNetwork);
  EXPECT_EQ(f.ip_src.version, 0);
}

TEST(Ipv6, CutFixedHeaderIsTruncated) {
  const auto frame = ipv6_udp().bytes;
  for (std::size_t n = 14; n < 54; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedIpv6) << n;
    EXPECT_EQ(f.ip_src.version, 0) << n;
  }
}

}  // namespace
}  // namespace pcapframe::test
