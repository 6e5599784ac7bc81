// SPDX-License-Identifier: MIT
// IPv4 (RFC 791 §3.1): addresses, options, bogus lengths, TSO, padding, fragments.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

DECODE_FIXTURE(ipv4_udp, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("192.168.1.200", "8.8.4.4")
      .ttl(117)
      .udp(33000, 4500)
      .payload("ike");
}

// Record Route (7, length 11, pointer 4, two empty slots) + NOP: 12 bytes, IHL 8.
DECODE_FIXTURE(ipv4_options_tcp, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.2")
      .ipv4_options(to_bytes({7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1}))
      .tcp(1234, 80, 0x02);
}

// Linux with TCP segmentation offload writes total length 0; the captured bytes count.
DECODE_FIXTURE(ipv4_tso_total_length_zero, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.53")
      .total_length(0)
      .udp(40000, 53)
      .dns_query("tso.example");
}

// A UDP length of 0 leaves the IPv4 total length as the only bound before the padding.
DECODE_FIXTURE(ipv4_dns_with_ethernet_padding, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.53")
      .udp(40000, 53)
      .udp_length(0)
      .dns(DnsBuilder().id(1).question("a.b"))
      .padding(20, 0xff);
}

// A bare ACK on port 53 padded to 60 bytes: the padding must not look like DNS over TCP.
DECODE_FIXTURE(ipv4_tcp53_ack_padded, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("10.0.0.53", "10.0.0.1")
      .tcp(53, 40000, 0x10)
      .padding(6, 0x00);
}

DECODE_FIXTURE(ipv4_first_fragment, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.2")
      .fragment(0, true)
      .udp(7000, 7001)
      .udp_length(3000)
      .payload(std::string(1472, 'f'));
}

DECODE_FIXTURE(ipv4_later_fragment, LinkType::Ethernet) {
  // Offset 185 * 8 = 1480: the continuation bytes look like a UDP header but are not one.
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.2")
      .fragment(185, true)
      .ip_protocol(17)
      .payload(to_bytes({0x00, 0x35, 0x00, 0x35, 0x00, 0x10, 0x00, 0x00, 1, 2, 3, 4}));
}

TEST(Ipv4, AddressesTtlProtocolAndPorts) {
  const PacketFields f = decode(ipv4_udp());
  EXPECT_EQ(f.ip_src, ip4("192.168.1.200"));
  EXPECT_EQ(f.ip_dst, ip4("8.8.4.4"));
  EXPECT_EQ(f.ip_src.v4(), 0xc0a801c8u);
  EXPECT_EQ(f.ip_dst.v4(), 0x08080404u);
  EXPECT_EQ(f.ttl, 117);
  EXPECT_EQ(f.ip_proto, 17);
  EXPECT_FALSE(f.is_fragment);
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_EQ(f.port_src, 33000);
  EXPECT_EQ(f.port_dst, 4500);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv4, OptionsAreSkippedByTheHeaderLength) {
  const PacketFields f = decode(ipv4_options_tcp());
  EXPECT_EQ(f.ip_src, ip4("10.0.0.1"));
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.port_src, 1234);  // read after the 12 option bytes, not from them
  EXPECT_EQ(f.port_dst, 80);
  EXPECT_EQ(f.tcp_flags, 0x02);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv4, OptionsCutShortAreTruncatedWithAddressesKept) {
  const auto frame = ipv4_options_tcp().bytes;
  for (std::size_t n = 14 + 20; n < 14 + 32; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedIpv4) << n;
    EXPECT_EQ(f.ip_src, ip4("10.0.0.1")) << n;
    EXPECT_EQ(f.ip_proto, 6) << n;
    EXPECT_EQ(f.transport, Transport::None) << n;
  }
}

TEST(Ipv4, IhlAboveThePacketIsTruncated) {
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "10.0.0.2").ihl(15).total_length(60));
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedIpv4);
  EXPECT_EQ(f.ip_dst, ip4("10.0.0.2"));
}

class Ipv4BadIhl : public ::testing::TestWithParam<std::uint8_t> {};

TEST_P(Ipv4BadIhl, IsBadHeaderWithNoIpFields) {
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "10.0.0.2").ihl(GetParam()).udp(1, 2));
  EXPECT_EQ(f.anomaly, Anomaly::BadIpv4Header);
  EXPECT_EQ(f.ip_src.version, 0);
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_EQ(f.mac_src, kMacAValue);  // the link layer is kept
}

INSTANTIATE_TEST_SUITE_P(BelowFive, Ipv4BadIhl,
                         ::testing::Values(std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{4}));

TEST(Ipv4, VersionOtherThanFourIsBadHeader) {
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "10.0.0.2").ip_version(6).udp(1, 2));
  EXPECT_EQ(f.anomaly, Anomaly::BadIpv4Header);
  EXPECT_EQ(f.ip_src.version, 0);
}

TEST(Ipv4, TotalLengthBelowTheHeaderIsBadHeader) {
  for (std::uint16_t total : {std::uint16_t{1}, std::uint16_t{19}}) {
    const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                          .ethernet(kMacA, kMacB)
                                                          .ipv4("10.0.0.1", "10.0.0.2")
                                                          .total_length(total)
                                                          .udp(1, 2));
    EXPECT_EQ(f.anomaly, Anomaly::BadIpv4Header) << total;
    EXPECT_EQ(f.transport, Transport::None) << total;
  }
  // With options, the bound is the whole header: 24 bytes of header, total length 23.
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .ipv4_options(to_bytes({1, 1, 1, 1}))
                                                        .total_length(23)
                                                        .udp(1, 2));
  EXPECT_EQ(f.anomaly, Anomaly::BadIpv4Header);
}

TEST(Ipv4, TotalLengthOfJustTheHeaderLeavesNoRoomForUdp) {
  // What follows the 20 bytes is outside the datagram, so the UDP header is missing.
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .total_length(20)
                                                        .udp(1, 2)
                                                        .payload("xxxxxxxx"));
  EXPECT_EQ(f.ip_src, ip4("10.0.0.1"));
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_FALSE(f.has_ports);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedUdp);
}

TEST(Ipv4, TotalLengthZeroUsesTheCapturedBytes) {
  const PacketFields f = decode(ipv4_tso_total_length_zero());
  EXPECT_EQ(f.anomaly, Anomaly::None);
  EXPECT_EQ(f.port_dst, 53);
  EXPECT_EQ(f.dns_query.view(), "tso.example.");
  EXPECT_EQ(f.dns_length, ipv4_tso_total_length_zero().bytes.size() - 42);
}

TEST(Ipv4, TotalLengthAboveTheCapturedBytesIsClampedToThem) {
  // A snaplen-cut packet: the header is complete, so the fields are there.
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .total_length(1500)
                                                        .tcp(5000, 6000));
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.port_dst, 6000);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv4, EthernetPaddingIsNotPartOfTheDatagram) {
  const FrameFixture& fx = ipv4_dns_with_ethernet_padding();
  const PacketFields f = decode(fx);
  const Layer& dns = fx.layer(LayerKind::DnsHeader);
  EXPECT_EQ(f.anomaly, Anomaly::None);
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.dns_query.view(), "a.b.");
  EXPECT_EQ(f.dns_offset, dns.begin);
  // The message ends where the padding starts, not at the end of the frame.
  EXPECT_EQ(f.dns_length, fx.layer(LayerKind::Padding).begin - dns.begin);
  EXPECT_EQ(f.dns_length, fx.bytes.size() - 20 - dns.begin);
}

TEST(Ipv4, PaddingAfterABareTcpSegmentIsNotDns) {
  const PacketFields f = decode(ipv4_tcp53_ack_padded());
  EXPECT_EQ(ipv4_tcp53_ack_padded().bytes.size(), 60u);
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.port_src, 53);
  EXPECT_FALSE(f.dns_message);
  EXPECT_FALSE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv4, FirstFragmentHasPorts) {
  const PacketFields f = decode(ipv4_first_fragment());
  EXPECT_TRUE(f.is_fragment);
  EXPECT_FALSE(f.is_later_fragment);
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_TRUE(f.has_ports);
  EXPECT_EQ(f.port_src, 7000);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv4, LaterFragmentHasNoPortsAndNoTransport) {
  const PacketFields f = decode(ipv4_later_fragment());
  EXPECT_TRUE(f.is_fragment);
  EXPECT_TRUE(f.is_later_fragment);
  EXPECT_EQ(f.ip_src, ip4("10.0.0.1"));
  EXPECT_EQ(f.ip_proto, 17);  // the datagram's protocol number stays
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_FALSE(f.has_ports);
  EXPECT_EQ(f.port_src, 0);
  EXPECT_FALSE(f.dns_message);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv4, LastFragmentWithoutMoreFragmentsIsStillALaterFragment) {
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .fragment(370, false)
                                                        .ip_protocol(6)
                                                        .payload(std::string(40, 'p')));
  EXPECT_TRUE(f.is_fragment);
  EXPECT_TRUE(f.is_later_fragment);
  EXPECT_EQ(f.transport, Transport::None);
}

TEST(Ipv4, DontFragmentAloneIsNotAFragment) {
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "10.0.0.2").dont_fragment().udp(1, 2));
  EXPECT_FALSE(f.is_fragment);
  EXPECT_FALSE(f.is_later_fragment);
  EXPECT_TRUE(f.has_ports);
}

TEST(Ipv4, UnknownProtocolKeepsItsNumberWithoutTransport) {
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ethernet(kMacA, kMacB)
                                                        .ipv4("10.0.0.1", "10.0.0.2")
                                                        .ip_protocol(47)  // GRE
                                                        .payload("gre!"));
  EXPECT_EQ(f.ip_proto, 47);
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Ipv4, CutFixedHeaderIsTruncatedWithNoIpFields) {
  const auto frame = ipv4_udp().bytes;
  for (std::size_t n = 14; n < 34; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedIpv4) << n;
    EXPECT_EQ(f.ip_src.version, 0) << n;
  }
}

}  // namespace
}  // namespace pcapframe::test
