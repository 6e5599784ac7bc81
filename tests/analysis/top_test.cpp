// SPDX-License-Identifier: MIT
// TopAnalysis: volume per key, ordering, shares, frames without the key, names.
#include <gtest/gtest.h>

#include "analysis_feed.hpp"
#include "pcapframe/analysis.hpp"

namespace pcapframe::test {
namespace {

TEST(TopKeyNames, RoundTripAndUnknown) {
  for (const char* name : {"ip_dst", "ip_src", "name_dst", "name_src", "mac_dst", "mac_src",
                           "port_dst", "port_src", "protocol", "ip_pair"}) {
    const auto key = parse_top_key(name);
    ASSERT_TRUE(key.has_value()) << name;
    EXPECT_EQ(top_key_name(*key), name);
  }
  EXPECT_FALSE(parse_top_key("ip").has_value());
  EXPECT_FALSE(parse_top_key("").has_value());
}

TEST(Top, BytesPerDestinationLikeTheLabsGroupBy) {
  TopAnalysis top(TopKey::IpDst, TopMetric::ByBytes, 0);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1000, 53, 100), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1000, 53, 200), {}, top);
  feed(kT0, udp_frame("10.0.0.2", "10.0.0.1", 53, 1000, 300), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.3", 1000, 53, 1000), {}, top);
  feed(kT0, arp_frame(), 400u, top);  // no IP: left out of the rows, counted in the total

  const auto rows = top.finish();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key, "10.0.0.3");
  EXPECT_EQ(rows[0].bytes, 1000u);
  EXPECT_EQ(rows[0].packets, 1u);
  EXPECT_DOUBLE_EQ(rows[0].share, 1000.0 / 2000.0);
  EXPECT_EQ(rows[1].key, "10.0.0.1");
  EXPECT_EQ(rows[1].bytes, 300u);
  EXPECT_EQ(rows[2].key, "10.0.0.2");
  EXPECT_EQ(rows[2].bytes, 300u);  // 100 + 200: tie with 10.0.0.1, ordered by key
  EXPECT_EQ(rows[2].packets, 2u);
}

TEST(Top, ByPacketsRanksByPacketsAndSharesPackets) {
  TopAnalysis top(TopKey::IpSrc, TopMetric::ByPackets, 0);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.9", 1, 2, 1500), {}, top);
  for (int i = 0; i < 3; ++i) feed(kT0, udp_frame("10.0.0.2", "10.0.0.9", 1, 2, 60), {}, top);
  const auto rows = top.finish();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key, "10.0.0.2");
  EXPECT_EQ(rows[0].packets, 3u);
  EXPECT_DOUBLE_EQ(rows[0].share, 0.75);
  EXPECT_EQ(rows[1].key, "10.0.0.1");
}

TEST(Top, LimitKeepsTheLargest) {
  TopAnalysis top(TopKey::IpDst, TopMetric::ByBytes, 2);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.3", 1, 2, 300), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.4", 1, 2, 200), {}, top);
  const auto rows = top.finish();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key, "10.0.0.3");
  EXPECT_EQ(rows[1].key, "10.0.0.4");
}

TEST(Top, PortsLeaveOutFramesWithoutPorts) {
  TopAnalysis top(TopKey::PortDst, TopMetric::ByBytes, 0);
  feed(kT0, tcp_frame("10.0.0.1", "10.0.0.2", 40000, 443, 100), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 40000, 443, 100), {}, top);  // UDP 443 joins TCP 443
  feed(kT0, ip("10.0.0.1", "10.0.0.2").icmp(8, 0).build(), 98u, top);
  const auto rows = top.finish();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].key, "443");
  EXPECT_EQ(rows[0].packets, 2u);
  EXPECT_DOUBLE_EQ(rows[0].share, 200.0 / 298.0);
}

TEST(Top, ProtocolAndMacKeys) {
  TopAnalysis protocols(TopKey::Protocol, TopMetric::ByPackets, 0);
  TopAnalysis macs(TopKey::MacSrc, TopMetric::ByPackets, 0);
  feed(kT0, tcp_frame("10.0.0.1", "10.0.0.2", 1, 2, 60), {}, protocols, macs);
  feed(kT0, tcp_frame("10.0.0.1", "10.0.0.2", 1, 2, 60), {}, protocols, macs);
  feed(kT0, udp_frame("fd00::1", "fd00::2", 1, 2, 80), {}, protocols, macs);
  feed(kT0, ip("fd00::1", "fd00::2").icmpv6(128, 0).build(), {}, protocols, macs);
  feed(kT0, arp_frame(), {}, protocols, macs);
  const auto p = protocols.finish();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].key, "TCP");
  EXPECT_EQ(p[0].packets, 2u);
  EXPECT_EQ(p[1].key, "ICMP");  // ICMPv6 is ICMP, as the lab names it
  EXPECT_EQ(p[2].key, "UDP");
  const auto m = macs.finish();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].key, "02:00:00:00:00:01");
  EXPECT_EQ(m[0].packets, 5u);
}

TEST(Top, IpPairJoinsBothDirections) {
  TopAnalysis top(TopKey::IpPair, TopMetric::ByBytes, 0);
  feed(kT0, udp_frame("10.0.0.9", "10.0.0.1", 1, 2, 100), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.9", 2, 1, 150), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.8", 2, 1, 60), {}, top);
  const auto rows = top.finish();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key, "10.0.0.1 <-> 10.0.0.9");  // smaller address first
  EXPECT_EQ(rows[0].bytes, 250u);
  EXPECT_EQ(rows[0].packets, 2u);
}

TEST(Top, NameKeysMergeAddressesThatShareAName) {
  TopAnalysis top(TopKey::NameDst, TopMetric::ByBytes, 0);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, top);
  feed(kT0, udp_frame("fd00::1", "fd00::2", 1, 2, 120), {}, top);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.3", 1, 2, 500), {}, top);
  NameMap names;
  names.add(addr("10.0.0.2"), "www.example.", "cdn.example.", NameSource::Dns, kT0);
  names.add(addr("fd00::2"), "www.example.", "cdn.example.", NameSource::Dns, kT0);

  const auto named = top.finish(&names);
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].key, "10.0.0.3");  // nobody named it: its address
  EXPECT_EQ(named[1].key, "www.example.");
  EXPECT_EQ(named[1].packets, 2u);
  EXPECT_EQ(named[1].bytes, 220u);

  const auto unnamed = top.finish(nullptr);  // without a map: the addresses
  EXPECT_EQ(unnamed.size(), 3u);
}

TEST(Top, EmptyCapture) {
  TopAnalysis top(TopKey::IpDst, TopMetric::ByBytes, 10);
  EXPECT_TRUE(top.finish().empty());
}

}  // namespace
}  // namespace pcapframe::test
