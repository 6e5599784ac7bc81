// SPDX-License-Identifier: MIT
// FlowAnalysis: 5-tuples one way, conversations both ways, and the A/B rule.
#include <gtest/gtest.h>

#include "analysis_feed.hpp"
#include "pcapframe/analysis.hpp"

namespace pcapframe::test {
namespace {

const FlowRow* find_flow(const std::vector<FlowRow>& rows, const std::string& src,
                         std::optional<std::uint16_t> sport, const std::string& dst,
                         std::optional<std::uint16_t> dport) {
  for (const FlowRow& r : rows)
    if (r.src == addr(src) && r.dst == addr(dst) && r.port_src == sport && r.port_dst == dport)
      return &r;
  return nullptr;
}

TEST(Flows, OneWayFlowsKeepDirectionsApart) {
  FlowAnalysis flows(false);
  feed(kT0, tcp_frame("10.0.0.1", "10.0.0.2", 40000, 80, 74), {}, flows);
  feed(kT0 + 1000, tcp_frame("10.0.0.2", "10.0.0.1", 80, 40000, 1514), {}, flows);
  feed(kT0 + 5 * kSecond, tcp_frame("10.0.0.1", "10.0.0.2", 40000, 80, 66), {}, flows);
  feed(kT0, arp_frame(), {}, flows);  // no IP: no flow

  const auto rows = flows.finish();
  ASSERT_EQ(rows.size(), 2u);
  const FlowRow* up = find_flow(rows, "10.0.0.1", 40000, "10.0.0.2", 80);
  const FlowRow* down = find_flow(rows, "10.0.0.2", 80, "10.0.0.1", 40000);
  ASSERT_NE(up, nullptr);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(up->packets, 2u);
  EXPECT_EQ(up->bytes, 140u);
  EXPECT_EQ(up->first_ns, kT0);
  EXPECT_EQ(up->last_ns, kT0 + 5 * kSecond);
  EXPECT_EQ(up->protocol, Transport::Tcp);
  EXPECT_EQ(up->ip_proto, 6);
  EXPECT_EQ(down->packets, 1u);
  EXPECT_EQ(&rows[0], down);      // largest first
  EXPECT_EQ(up->packets_ab, 0u);  // one-way rows leave the A/B counts at zero
}

TEST(Flows, BidirectionalAIsTheSenderOfTheFirstFrame) {
  FlowAnalysis flows(true);
  // The server (the larger address and the smaller port) speaks first: it is A.
  feed(kT0, udp_frame("10.0.0.9", "10.0.0.1", 53, 50000, 100), {}, flows);
  feed(kT0 + 10, udp_frame("10.0.0.1", "10.0.0.9", 50000, 53, 60), {}, flows);
  feed(kT0 + 20, udp_frame("10.0.0.1", "10.0.0.9", 50000, 53, 70), {}, flows);
  const auto rows = flows.finish();
  ASSERT_EQ(rows.size(), 1u);
  const FlowRow& c = rows[0];
  EXPECT_EQ(c.src, addr("10.0.0.9"));
  EXPECT_EQ(c.port_src, 53);
  EXPECT_EQ(c.dst, addr("10.0.0.1"));
  EXPECT_EQ(c.port_dst, 50000);
  EXPECT_EQ(c.packets_ab, 1u);
  EXPECT_EQ(c.bytes_ab, 100u);
  EXPECT_EQ(c.packets_ba, 2u);
  EXPECT_EQ(c.bytes_ba, 130u);
  EXPECT_EQ(c.packets, 3u);
  EXPECT_EQ(c.bytes, 230u);
  EXPECT_EQ(c.first_ns, kT0);
  EXPECT_EQ(c.last_ns, kT0 + 20);
}

TEST(Flows, BidirectionalKeepsPortsAndProtocolsApart) {
  FlowAnalysis flows(true);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1000, 53, 80), {}, flows);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1001, 53, 80), {}, flows);  // another source port
  feed(kT0, tcp_frame("10.0.0.1", "10.0.0.2", 1000, 53, 80), {}, flows);  // same ports, TCP
  feed(kT0, udp_frame("10.0.0.2", "10.0.0.1", 53, 1000, 90), {}, flows);  // the first one's reply
  const auto rows = flows.finish();
  ASSERT_EQ(rows.size(), 3u);
  const FlowRow& first = rows[0];  // 170 bytes
  EXPECT_EQ(first.bytes, 170u);
  EXPECT_EQ(first.protocol, Transport::Udp);
  EXPECT_EQ(first.port_src, 1000);
  EXPECT_EQ(first.packets_ba, 1u);
}

TEST(Flows, FramesWithoutPortsFormTheirOwnFlows) {
  FlowAnalysis flows(true);
  feed(kT0, ip("10.0.0.1", "10.0.0.2").icmp(8, 0).build(), {}, flows);      // echo request
  feed(kT0 + 5, ip("10.0.0.2", "10.0.0.1").icmp(0, 0).build(), {}, flows);  // echo reply
  // A later IPv4 fragment of a UDP datagram: no UDP header, so no ports.
  feed(kT0 + 9,
       ip("10.0.0.1", "10.0.0.2")
           .fragment(185, false)
           .ip_protocol(17)
           .payload(std::vector<std::byte>(100))
           .build(),
       {}, flows);
  feed(kT0 + 9, udp_frame("10.0.0.1", "10.0.0.2", 5, 6, 100), {}, flows);
  const auto rows = flows.finish();
  ASSERT_EQ(rows.size(), 3u);
  const FlowRow* icmp = nullptr;
  const FlowRow* fragment = nullptr;
  for (const FlowRow& r : rows) {
    if (r.ip_proto == 1) icmp = &r;
    if (r.ip_proto == 17 && !r.port_src) fragment = &r;
  }
  ASSERT_NE(icmp, nullptr);
  EXPECT_FALSE(icmp->port_src.has_value());
  EXPECT_EQ(icmp->protocol, Transport::Icmp);
  EXPECT_EQ(icmp->packets_ab, 1u);
  EXPECT_EQ(icmp->packets_ba, 1u);
  ASSERT_NE(fragment, nullptr);
  EXPECT_EQ(fragment->packets, 1u);
  EXPECT_EQ(fragment->protocol, Transport::None);
}

TEST(Flows, UnsortedFramesStillGiveFirstAndLast) {
  FlowAnalysis flows(false);
  feed(kT0 + 50, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 60), {}, flows);
  feed(kT0 + 10, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 60), {}, flows);
  feed(kT0 + 90, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 60), {}, flows);
  const auto rows = flows.finish();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].first_ns, kT0 + 10);
  EXPECT_EQ(rows[0].last_ns, kT0 + 90);
}

TEST(Flows, OrderIsDeterministicForTies) {
  // Same bytes, same first time: ordered by the endpoints, whatever the insertion order.
  for (int round = 0; round < 2; ++round) {
    FlowAnalysis flows(false);
    std::vector<std::string> destinations{"10.0.0.5", "10.0.0.3", "10.0.0.4"};
    if (round == 1) std::reverse(destinations.begin(), destinations.end());
    for (const auto& d : destinations) feed(kT0, udp_frame("10.0.0.1", d, 1, 2, 60), {}, flows);
    const auto rows = flows.finish();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].dst, addr("10.0.0.3"));
    EXPECT_EQ(rows[1].dst, addr("10.0.0.4"));
    EXPECT_EQ(rows[2].dst, addr("10.0.0.5"));
  }
}

TEST(Flows, Ipv6Conversation) {
  FlowAnalysis flows(true);
  feed(kT0, tcp_frame("fd77::1", "fd77::2", 40000, 80, 94), {}, flows);
  feed(kT0 + 1, tcp_frame("fd77::2", "fd77::1", 80, 40000, 1514), {}, flows);
  const auto rows = flows.finish();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].src, addr("fd77::1"));
  EXPECT_EQ(rows[0].bytes_ab, 94u);
  EXPECT_EQ(rows[0].bytes_ba, 1514u);
}

}  // namespace
}  // namespace pcapframe::test
