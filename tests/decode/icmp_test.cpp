// SPDX-License-Identifier: MIT
// ICMP (RFC 792) and ICMPv6 (RFC 4443): type and code; an error's quoted packet is not
// this frame's and must not change its addresses, ports, protocol or DNS fields.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

DECODE_FIXTURE(icmp_echo_request, LinkType::Ethernet) {
  return FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "1.1.1.1").icmp(8, 0).payload(
      std::string(56, 'p'));
}

// Port unreachable for a DNS query: the quoted packet is a complete IPv4/UDP/DNS query
// from other addresses and ports.
DECODE_FIXTURE(icmp_port_unreachable_quoting_dns, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("192.0.2.254", "192.0.2.10")
      .icmp(3, 3)
      .ipv4("192.0.2.10", "198.51.100.53")
      .udp(41000, 53)
      .dns_query("quoted.example");
}

DECODE_FIXTURE(icmp_time_exceeded_quoting_tcp, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("203.0.113.1", "10.0.0.1")
      .icmp(11, 0)
      .ipv4("10.0.0.1", "93.184.216.34")
      .ttl(1)
      .tcp(50000, 443, tcp_flag::kSyn);
}

DECODE_FIXTURE(icmpv6_echo_request, LinkType::Ethernet) {
  return FrameBuilder().ethernet(kMacA, kMacB).ipv6("2001:db8::1", "2001:db8::2").icmpv6(128, 0);
}

DECODE_FIXTURE(icmpv6_unreachable_quoting_udp, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv6("2001:db8::fe", "2001:db8::1")
      .icmpv6(1, 4)
      .ipv6("2001:db8::1", "2001:db8::99")
      .udp(5353, 53)
      .dns_query("quoted6.example");
}

DECODE_FIXTURE(icmpv6_neighbor_solicitation_after_hop_by_hop, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, mac("33:33:ff:00:00:01"))
      .ipv6("fe80::1", "ff02::1:ff00:1")
      .hop_by_hop()
      .icmpv6(135, 0)
      .payload(std::string(16, '\0'));
}

TEST(Icmp, EchoRequestTypeAndCode) {
  const PacketFields f = decode(icmp_echo_request());
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_EQ(f.ip_proto, 1);
  EXPECT_EQ(f.icmp_type, 8);
  EXPECT_EQ(f.icmp_code, 0);
  EXPECT_FALSE(f.has_ports);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Icmp, ErrorQuotingAPacketKeepsTheOuterFields) {
  const PacketFields f = decode(icmp_port_unreachable_quoting_dns());
  EXPECT_EQ(f.icmp_type, 3);
  EXPECT_EQ(f.icmp_code, 3);
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_EQ(f.ip_proto, 1);
  EXPECT_EQ(f.ip_src, ip4("192.0.2.254"));
  EXPECT_EQ(f.ip_dst, ip4("192.0.2.10"));
  EXPECT_FALSE(f.has_ports);
  EXPECT_EQ(f.port_src, 0);
  EXPECT_EQ(f.port_dst, 0);
  EXPECT_FALSE(f.dns_message);
  EXPECT_FALSE(f.is_dns);
  EXPECT_FALSE(f.dns_query.present());
  EXPECT_EQ(f.ttl, 64);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Icmp, TimeExceededQuotingTcpKeepsTheOuterFields) {
  const PacketFields f = decode(icmp_time_exceeded_quoting_tcp());
  EXPECT_EQ(f.icmp_type, 11);
  EXPECT_EQ(f.icmp_code, 0);
  EXPECT_EQ(f.ip_src, ip4("203.0.113.1"));
  EXPECT_EQ(f.ttl, 64);  // not the quoted packet's TTL of 1
  EXPECT_EQ(f.tcp_flags, 0);
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_FALSE(f.has_ports);
}

TEST(Icmp, CutTypeCodeIsTruncatedIcmp) {
  const auto frame = icmp_echo_request().bytes;
  for (std::size_t n = 34; n < 36; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedIcmp) << n;
    EXPECT_EQ(f.transport, Transport::Icmp) << n;
    EXPECT_EQ(f.icmp_type, 0) << n;
  }
  const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(36));
  EXPECT_EQ(f.icmp_type, 8);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Icmpv6, EchoRequest) {
  const PacketFields f = decode(icmpv6_echo_request());
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_EQ(f.ip_proto, 58);
  EXPECT_EQ(f.icmp_type, 128);
  EXPECT_EQ(f.icmp_code, 0);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Icmpv6, ErrorQuotingAPacketKeepsTheOuterFields) {
  const PacketFields f = decode(icmpv6_unreachable_quoting_udp());
  EXPECT_EQ(f.icmp_type, 1);
  EXPECT_EQ(f.icmp_code, 4);
  EXPECT_EQ(f.ip_proto, 58);
  EXPECT_EQ(f.ip_src, ip6("2001:db8::fe"));
  EXPECT_EQ(f.ip_dst, ip6("2001:db8::1"));
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_FALSE(f.has_ports);
  EXPECT_FALSE(f.dns_message);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Icmpv6, AfterAnExtensionHeader) {
  const PacketFields f = decode(icmpv6_neighbor_solicitation_after_hop_by_hop());
  EXPECT_EQ(f.ip_proto, 58);
  EXPECT_EQ(f.icmp_type, 135);
  EXPECT_EQ(f.transport, Transport::Icmp);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Icmpv6, CutTypeCodeIsTruncatedIcmp) {
  const auto frame = icmpv6_echo_request().bytes;
  const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(55));
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedIcmp);
  EXPECT_EQ(f.transport, Transport::Icmp);
}

}  // namespace
}  // namespace pcapframe::test
