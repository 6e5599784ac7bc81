// SPDX-License-Identifier: MIT
// DNS messages (RFC 1035 §4.1) on UDP 53/5353/5355 and TCP 53: header, first question,
// first answer's owner.
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

FrameBuilder udp4(std::uint16_t src, std::uint16_t dst) {
  FrameBuilder b;
  b.ethernet(kMacA, kMacB).ipv4("192.168.0.10", "192.168.0.1").udp(src, dst);
  return b;
}

// QTYPE "*" (RFC 1035 §3.2.3, RFC 8482).
constexpr std::uint16_t kTypeAny = 255;

// Ethernet 14 + IPv4 20 + UDP 8.
constexpr std::uint32_t kUdp4DnsOffset = 42;

DnsBuilder www_response() {
  return DnsBuilder()
      .id(0xabcd)
      .response()
      .recursion_desired()
      .question("www.example.com", dns_type::kA)
      .answer_cname("www.example.com", "cdn.example.net")
      .answer_a("cdn.example.net", "93.184.216.34");
}

DECODE_FIXTURE(dns_query_udp, LinkType::Ethernet) {
  return udp4(50000, 53).dns_query("www.example.com", dns_type::kA, 0x1234);
}

DECODE_FIXTURE(dns_response_udp_compressed, LinkType::Ethernet) {
  return udp4(53, 50000).dns(www_response());
}

DECODE_FIXTURE(dns_response_ipv6_aaaa, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv6("2001:db8::53", "2001:db8::10")
      .udp(53, 40000)
      .dns(DnsBuilder().id(6).response().question("v6.example", dns_type::kAaaa).answer_aaaa(
          "v6.example", "2001:db8::6"));
}

DECODE_FIXTURE(dns_nxdomain, LinkType::Ethernet) {
  return udp4(53, 50001).dns(
      DnsBuilder().id(2).response().rcode(3).question("nope.example", dns_type::kA));
}

DECODE_FIXTURE(dns_root_query, LinkType::Ethernet) {
  return udp4(50002, 53).dns_query(".", dns_type::kNs);
}

DECODE_FIXTURE(dns_header_only, LinkType::Ethernet) {
  return udp4(50003, 53).dns(DnsBuilder().id(0x0f0f));
}

DECODE_FIXTURE(dns_answer_without_question, LinkType::Ethernet) {
  // An mDNS announcement: QR set, no question, one answer.
  return FrameBuilder()
      .ethernet(kMacA, mac("01:00:5e:00:00:fb"))
      .ipv4("192.168.0.20", "224.0.0.251")
      .udp(5353, 5353)
      .dns(DnsBuilder().response().authoritative().answer_a("host.local", "192.168.0.20"));
}

DECODE_FIXTURE(dns_two_questions, LinkType::Ethernet) {
  // The second question ends in a pointer, so reaching the answer means skipping it right.
  return udp4(53, 50004).dns(DnsBuilder()
                                 .response()
                                 .question("a.example.org")
                                 .question("b.example.org", dns_type::kAaaa)
                                 .answer_a("b.example.org", "192.0.2.2"));
}

DECODE_FIXTURE(dns_over_tcp, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("192.168.0.10", "192.168.0.1")
      .tcp(50005, 53, tcp_flag::kPsh | tcp_flag::kAck)
      .dns_tcp(DnsBuilder().id(0x4242).question("big.example", kTypeAny));
}

DECODE_FIXTURE(dns_over_tcp_response, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv6("2001:db8::53", "2001:db8::10")
      .tcp(53, 50006, tcp_flag::kPsh | tcp_flag::kAck)
      .dns_tcp(www_response());
}

TEST(Dns, QueryOnUdp53) {
  const PacketFields f = decode(dns_query_udp());
  EXPECT_TRUE(f.is_dns);
  EXPECT_TRUE(f.dns_message);
  EXPECT_FALSE(f.dns_is_response);
  EXPECT_EQ(f.dns_id, 0x1234);
  EXPECT_EQ(f.dns_rcode, 0);
  EXPECT_EQ(f.dns_question_count, 1);
  EXPECT_EQ(f.dns_answer_count, 0);
  EXPECT_EQ(f.dns_query.view(), "www.example.com.");
  EXPECT_EQ(f.dns_query_type, dns_type::kA);
  EXPECT_FALSE(f.dns_answer.present());
  EXPECT_EQ(f.dns_offset, kUdp4DnsOffset);
  EXPECT_EQ(f.dns_length, 12u + 17u + 4u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, ResponseOwnerNameThroughACompressionPointer) {
  const FrameFixture& fx = dns_response_udp_compressed();
  // The builder compressed the answer's owner to a pointer to the question name (offset 12).
  const std::size_t owner = fx.layer(LayerKind::DnsFirstAnswer).begin;
  ASSERT_EQ(fx.bytes.at(owner), std::byte{0xc0});
  ASSERT_EQ(fx.bytes.at(owner + 1), std::byte{0x0c});

  const PacketFields f = decode(fx);
  EXPECT_TRUE(f.dns_is_response);
  EXPECT_EQ(f.dns_id, 0xabcd);
  EXPECT_EQ(f.dns_answer_count, 2);
  EXPECT_EQ(f.dns_query.view(), "www.example.com.");
  EXPECT_EQ(f.dns_answer.view(), "www.example.com.");  // the first answer (the CNAME)
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.port_src, 53);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, FirstAnswerOwnerIsTheOneReported) {
  const PacketFields f = decode(LinkType::Ethernet,
                                udp4(53, 40000).dns(DnsBuilder()
                                                        .response()
                                                        .question("svc.example")
                                                        .answer_a("other.example", "192.0.2.1")
                                                        .answer_a("svc.example", "192.0.2.2")));
  EXPECT_EQ(f.dns_query.view(), "svc.example.");
  EXPECT_EQ(f.dns_answer.view(), "other.example.");
}

TEST(Dns, AaaaResponseOverIpv6) {
  const PacketFields f = decode(dns_response_ipv6_aaaa());
  EXPECT_EQ(f.dns_query_type, dns_type::kAaaa);
  EXPECT_EQ(f.dns_answer.view(), "v6.example.");
  EXPECT_EQ(f.dns_offset, 14u + 40u + 8u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, NxDomainRcode) {
  const PacketFields f = decode(dns_nxdomain());
  EXPECT_TRUE(f.dns_is_response);
  EXPECT_EQ(f.dns_rcode, 3);
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.dns_query.view(), "nope.example.");
  EXPECT_FALSE(f.dns_answer.present());
}

TEST(Dns, RcodeIsTheLowFourBitsOfTheFlags) {
  // QR, opcode 0, AA, RD, RA, Z/AD/CD bits set, RCODE 2 (SERVFAIL).
  const PacketFields f =
      decode(LinkType::Ethernet, udp4(53, 40000).dns(DnsBuilder().flags(0x85f2).question("x.y")));
  EXPECT_TRUE(f.dns_is_response);
  EXPECT_EQ(f.dns_rcode, 2);
  const PacketFields g =
      decode(LinkType::Ethernet, udp4(40000, 53).dns(DnsBuilder().flags(0x7fff).question("x.y")));
  EXPECT_FALSE(g.dns_is_response);
  EXPECT_EQ(g.dns_rcode, 15);
}

TEST(Dns, RootNameIsADot) {
  const PacketFields f = decode(dns_root_query());
  EXPECT_EQ(f.dns_query.view(), ".");
  EXPECT_EQ(f.dns_query.length, 1);
  EXPECT_EQ(f.dns_query_type, dns_type::kNs);
  EXPECT_TRUE(f.is_dns);
}

TEST(Dns, HeaderOnlyMessageIsADnsMessageButNotDns) {
  const PacketFields f = decode(dns_header_only());
  EXPECT_TRUE(f.dns_message);
  EXPECT_FALSE(f.is_dns);
  EXPECT_EQ(f.dns_id, 0x0f0f);
  EXPECT_EQ(f.dns_question_count, 0);
  EXPECT_FALSE(f.dns_query.present());
  EXPECT_FALSE(f.dns_answer.present());
  EXPECT_EQ(f.dns_length, 12u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, AnswerWithoutQuestion) {
  const PacketFields f = decode(dns_answer_without_question());
  EXPECT_TRUE(f.is_dns);
  EXPECT_TRUE(f.dns_is_response);
  EXPECT_FALSE(f.dns_query.present());
  EXPECT_EQ(f.dns_answer.view(), "host.local.");
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, LaterQuestionsAreSkippedToReachTheAnswer) {
  const FrameFixture& fx = dns_two_questions();
  // The second question's "example.org" is a pointer into the first.
  const PacketFields f = decode(fx);
  EXPECT_EQ(f.dns_question_count, 2);
  EXPECT_EQ(f.dns_query.view(), "a.example.org.");
  EXPECT_EQ(f.dns_query_type, dns_type::kA);
  EXPECT_EQ(f.dns_answer.view(), "b.example.org.");
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

// DESIGN.md: UDP 53, 5353 (mDNS) and 5355 (LLMNR), either side.
class DnsUdpPort : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(DnsUdpPort, IsDecodedAsDestination) {
  const PacketFields f =
      decode(LinkType::Ethernet, udp4(40000, GetParam()).dns_query("port.example"));
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.dns_query.view(), "port.example.");
}

TEST_P(DnsUdpPort, IsDecodedAsSource) {
  const PacketFields f =
      decode(LinkType::Ethernet, udp4(GetParam(), 40000).dns_query("port.example"));
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.dns_query.view(), "port.example.");
}

INSTANTIATE_TEST_SUITE_P(DnsPorts, DnsUdpPort,
                         ::testing::Values(std::uint16_t{53}, std::uint16_t{5353},
                                           std::uint16_t{5355}));

class NotDnsUdpPort : public ::testing::TestWithParam<std::uint16_t> {};

TEST_P(NotDnsUdpPort, IsNotDecodedEitherSide) {
  for (const auto& [src, dst] : {std::pair{std::uint16_t{40000}, GetParam()},
                                 std::pair{GetParam(), std::uint16_t{40000}}}) {
    // A well-formed DNS message as plain payload.
    const auto message = DnsBuilder().question("port.example").build().bytes;
    const PacketFields f = decode(LinkType::Ethernet, udp4(src, dst).payload(message));
    EXPECT_FALSE(f.dns_message) << src << "->" << dst;
    EXPECT_FALSE(f.is_dns) << src << "->" << dst;
    EXPECT_EQ(f.anomaly, Anomaly::None);
  }
}

INSTANTIATE_TEST_SUITE_P(OtherPorts, NotDnsUdpPort,
                         ::testing::Values(std::uint16_t{52}, std::uint16_t{54},
                                           std::uint16_t{853}, std::uint16_t{5354},
                                           std::uint16_t{5356}, std::uint16_t{1053}));

TEST(Dns, TcpPort53WithLengthPrefix) {
  const PacketFields f = decode(dns_over_tcp());
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.transport, Transport::Tcp);
  EXPECT_EQ(f.dns_id, 0x4242);
  EXPECT_EQ(f.dns_query.view(), "big.example.");
  EXPECT_EQ(f.dns_query_type, kTypeAny);
  EXPECT_EQ(f.dns_offset, 14u + 20u + 20u + 2u);  // after the two-byte prefix
  EXPECT_EQ(f.dns_length, 12u + 13u + 4u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, TcpResponseFromPort53) {
  const PacketFields f = decode(dns_over_tcp_response());
  EXPECT_TRUE(f.dns_is_response);
  EXPECT_EQ(f.dns_answer.view(), "www.example.com.");
  EXPECT_EQ(f.dns_offset, 14u + 40u + 20u + 2u);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, TcpLengthPrefixBoundsTheMessage) {
  // The prefix says 12: the question after the header is outside the message.
  const PacketFields f = decode(LinkType::Ethernet,
                                FrameBuilder()
                                    .ethernet(kMacA, kMacB)
                                    .ipv4("10.0.0.1", "10.0.0.2")
                                    .tcp(40000, 53)
                                    .dns_tcp(DnsBuilder().question("cut.example"), 12));
  EXPECT_TRUE(f.dns_message);
  EXPECT_EQ(f.dns_length, 12u);
  EXPECT_FALSE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedDns);
}

TEST(Dns, TcpOnMdnsOrLlmnrPortIsNotDns) {
  for (std::uint16_t port : {std::uint16_t{5353}, std::uint16_t{5355}}) {
    const PacketFields f = decode(LinkType::Ethernet,
                                  FrameBuilder()
                                      .ethernet(kMacA, kMacB)
                                      .ipv4("10.0.0.1", "10.0.0.2")
                                      .tcp(40000, port)
                                      .payload(DnsBuilder().question("x.local").build().bytes));
    EXPECT_FALSE(f.dns_message) << port;
    EXPECT_EQ(f.anomaly, Anomaly::None) << port;
  }
}

TEST(Dns, TcpSegmentTooShortForTheLengthPrefixIsNotDns) {
  // A one-byte segment on port 53 is a stream continuation, not a message start.
  const PacketFields f = decode(
      LinkType::Ethernet,
      FrameBuilder().ethernet(kMacA, kMacB).ipv4("10.0.0.1", "10.0.0.2").tcp(53, 40000).payload(
          to_bytes({0x00})));
  EXPECT_FALSE(f.dns_message);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Dns, ShortMessageIsTruncatedDns) {
  const auto eleven_bytes = to_bytes({0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0});
  const PacketFields f = decode(LinkType::Ethernet, udp4(40000, 53).payload(eleven_bytes));
  EXPECT_FALSE(f.dns_message);
  EXPECT_FALSE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedDns);
  EXPECT_EQ(f.port_dst, 53);  // the layers before are kept
}

TEST(Dns, QuestionWithoutRoomForItsTypeIsTruncated) {
  auto message = DnsBuilder().id(3).question("t.example").build().bytes;
  message.resize(message.size() - 3);  // keep one byte of QTYPE
  const PacketFields f = decode(LinkType::Ethernet, udp4(40000, 53).payload(message));
  EXPECT_TRUE(f.dns_message);
  EXPECT_EQ(f.dns_id, 3);
  EXPECT_FALSE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedDns);
}

TEST(Dns, BrokenSecondQuestionKeepsTheFirst) {
  const PacketFields f = decode(
      LinkType::Ethernet,
      udp4(40000, 53).dns(DnsBuilder().question("first.example").question_count(2)));
  EXPECT_EQ(f.dns_query.view(), "first.example.");
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedDns);
}

TEST(Dns, BadQuestionNameIsBadDnsName) {
  const PacketFields f = decode(LinkType::Ethernet,
                                udp4(40000, 53).dns(DnsBuilder().question(
                                    WireName().label("bad").raw(0x40).raw(0))));
  EXPECT_TRUE(f.dns_message);
  EXPECT_FALSE(f.is_dns);
  EXPECT_FALSE(f.dns_query.present());
  EXPECT_EQ(f.anomaly, Anomaly::BadDnsName);
}

TEST(Dns, BadAnswerOwnerKeepsTheQuestion) {
  // The answer's owner is a pointer to itself.
  const std::size_t owner_at = DnsBuilder().question("ok.example").build().questions_end;
  const PacketFields f = decode(
      LinkType::Ethernet,
      udp4(53, 40000).dns(DnsBuilder().response().question("ok.example").answer(
          WireName().pointer(static_cast<unsigned>(owner_at)), dns_type::kA, to_bytes({1, 2, 3, 4}))));
  EXPECT_EQ(f.dns_query.view(), "ok.example.");
  EXPECT_FALSE(f.dns_answer.present());
  EXPECT_TRUE(f.is_dns);
  EXPECT_EQ(f.anomaly, Anomaly::BadDnsName);
}

TEST(Dns, LabelBytesAreCopiedRaw) {
  // Names are raw label bytes joined by '.', as the lab shows them (escaping is for output).
  const WireName name = WireName().label(std::string("a.b\xff", 4)).label("local").root();
  const PacketFields f =
      decode(LinkType::Ethernet, udp4(40000, 5353).dns(DnsBuilder().question(name)));
  EXPECT_EQ(f.dns_query.view(), std::string_view("a.b\xff.local.", 11));
}

}  // namespace
}  // namespace pcapframe::test
