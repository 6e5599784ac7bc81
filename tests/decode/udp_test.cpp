// SPDX-License-Identifier: MIT
// UDP (RFC 768): ports, and the length field clamped to the bytes present.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

FrameBuilder udp_dns(std::uint16_t length) {
  FrameBuilder b;
  b.ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.53")
      .udp(40000, 53)
      .udp_length(length)
      .dns(DnsBuilder().id(5).question("clamp.example"));
  return b;
}

// "clamp.example" question: 12 + 15 + 4 = 31 bytes of DNS.
constexpr std::size_t kClampDnsLen = 31;

DECODE_FIXTURE(udp_plain, LinkType::Ethernet) {
  return FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "10.0.0.2").udp(68, 67).payload(
      std::string(30, 'd'));
}

DECODE_FIXTURE(udp_length_beyond_the_packet, LinkType::Ethernet) { return udp_dns(1000); }
DECODE_FIXTURE(udp_length_below_the_header, LinkType::Ethernet) { return udp_dns(4); }

TEST(Udp, PortsAndTransport) {
  const PacketFields f = decode(udp_plain());
  EXPECT_EQ(f.transport, Transport::Udp);
  EXPECT_EQ(f.ip_proto, 17);
  EXPECT_TRUE(f.has_ports);
  EXPECT_EQ(f.port_src, 68);
  EXPECT_EQ(f.port_dst, 67);
  EXPECT_FALSE(f.dns_message);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Udp, ExactLengthCoversTheMessage) {
  const PacketFields f = decode(LinkType::Ethernet, udp_dns(8 + kClampDnsLen));
  EXPECT_EQ(f.dns_length, kClampDnsLen);
  EXPECT_EQ(f.dns_query.view(), "clamp.example.");
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Udp, LengthBeyondThePacketIsClampedToTheBytesPresent) {
  const PacketFields f = decode(udp_length_beyond_the_packet());
  EXPECT_EQ(f.dns_length, kClampDnsLen);
  EXPECT_EQ(f.dns_query.view(), "clamp.example.");
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Udp, LengthShorterThanThePayloadCutsTheMessage) {
  // Only the 12-byte DNS header is inside the datagram; the question is outside it.
  const PacketFields f = decode(LinkType::Ethernet, udp_dns(8 + 12));
  EXPECT_TRUE(f.dns_message);
  EXPECT_EQ(f.dns_length, 12u);
  EXPECT_EQ(f.dns_question_count, 1);
  EXPECT_FALSE(f.dns_query.present());
  EXPECT_FALSE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedDns);
}

TEST(Udp, LengthOfJustTheHeaderLeavesAnEmptyPayload) {
  const PacketFields f = decode(LinkType::Ethernet, udp_dns(8));
  EXPECT_TRUE(f.has_ports);
  EXPECT_FALSE(f.dns_message);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedDns);
}

TEST(Udp, LengthBelowTheHeaderSizeKeepsTheCapturedBytes) {
  for (std::uint16_t length : {std::uint16_t{0}, std::uint16_t{4}, std::uint16_t{7}}) {
    const PacketFields f = decode(LinkType::Ethernet, udp_dns(length));
    EXPECT_EQ(f.dns_length, kClampDnsLen) << length;
    EXPECT_EQ(f.dns_query.view(), "clamp.example.") << length;
    EXPECT_EQ(f.anomaly, Anomaly::None) << length;
  }
  EXPECT_EQ(decode(udp_length_below_the_header()).dns_length, kClampDnsLen);
}

TEST(Udp, CutHeaderIsTruncatedWithTransportButNoPorts) {
  const auto frame = udp_plain().bytes;
  for (std::size_t n = 34; n < 42; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedUdp) << n;
    EXPECT_EQ(f.transport, Transport::Udp) << n;
    EXPECT_FALSE(f.has_ports) << n;
  }
}

}  // namespace
}  // namespace pcapframe::test
