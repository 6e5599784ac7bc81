// SPDX-License-Identifier: MIT
// DirectionAnalysis: upload/download for a given local host or prefix, and the automatic
// choice of the local host.
#include <gtest/gtest.h>

#include "analysis_feed.hpp"
#include "pcapframe/analysis.hpp"

namespace pcapframe::test {
namespace {

AddressMatcher matcher(std::initializer_list<const char*> texts) {
  AddressMatcher m;
  for (const char* t : texts) EXPECT_TRUE(m.add(t).has_value()) << t;
  return m;
}

void feed_home_traffic(DirectionAnalysis& d) {
  feed(kT0, tcp_frame("192.168.1.58", "93.184.216.34", 50000, 443, 100), {}, d);   // upload
  feed(kT0, tcp_frame("93.184.216.34", "192.168.1.58", 443, 50000, 1500), {}, d);  // download
  feed(kT0, tcp_frame("93.184.216.34", "192.168.1.58", 443, 50000, 1400), {}, d);  // download
  feed(kT0, udp_frame("192.168.1.58", "192.168.1.1", 5000, 53, 80), {},
       d);  // upload (1.1 not local)
  feed(kT0, udp_frame("192.168.1.7", "192.168.1.1", 5000, 53, 70), {}, d);  // other
  feed(kT0, arp_frame(), 42u, d);                                           // other: no IP
}

TEST(Direction, GivenLocalHost) {
  DirectionAnalysis d(matcher({"192.168.1.58"}));
  feed_home_traffic(d);
  const DirectionResult r = d.finish();
  EXPECT_FALSE(r.automatic);
  ASSERT_EQ(r.local.size(), 1u);
  EXPECT_EQ(r.local[0], "192.168.1.58");
  EXPECT_EQ(r.upload_packets, 2u);
  EXPECT_EQ(r.upload_bytes, 180u);
  EXPECT_EQ(r.download_packets, 2u);
  EXPECT_EQ(r.download_bytes, 2900u);
  EXPECT_EQ(r.local_packets, 0u);
  EXPECT_EQ(r.other_packets, 2u);
  EXPECT_EQ(r.other_bytes, 112u);
}

TEST(Direction, PrefixMakesLanTrafficLocal) {
  DirectionAnalysis d(matcher({"192.168.1.0/24"}));
  feed_home_traffic(d);
  const DirectionResult r = d.finish();
  EXPECT_EQ(r.upload_packets, 1u);
  EXPECT_EQ(r.download_packets, 2u);
  EXPECT_EQ(r.local_packets, 2u);  // both DNS frames stay on the LAN
  EXPECT_EQ(r.local_bytes, 150u);
  EXPECT_EQ(r.other_packets, 1u);  // the ARP frame
}

TEST(Direction, SeveralLocalAddresses) {
  DirectionAnalysis d(matcher({"192.168.1.58", "fd00::58"}));
  feed(kT0, udp_frame("fd00::58", "2001:db8::1", 1, 2, 100), {}, d);
  feed(kT0, udp_frame("192.168.1.58", "8.8.8.8", 1, 2, 60), {}, d);
  const DirectionResult r = d.finish();
  EXPECT_EQ(r.upload_packets, 2u);
  EXPECT_EQ(r.local.size(), 2u);
}

TEST(Direction, AutomaticPicksThePrivateAddressInTheMostFrames) {
  DirectionAnalysis d{AddressMatcher{}};
  feed_home_traffic(d);
  const DirectionResult r = d.finish();
  EXPECT_TRUE(r.automatic);
  ASSERT_EQ(r.local.size(), 1u);
  EXPECT_EQ(r.local[0],
            "192.168.1.58");  // 4 frames; 192.168.1.1 has 2, the public one is not private
  EXPECT_EQ(r.upload_packets, 2u);
  EXPECT_EQ(r.download_packets, 2u);
}

TEST(Direction, AutomaticTieGoesToTheSmallerAddressText) {
  DirectionAnalysis d{AddressMatcher{}};
  feed(kT0, udp_frame("10.0.0.2", "10.0.0.1", 1, 2, 60), {}, d);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 2, 1, 60), {}, d);
  const DirectionResult r = d.finish();
  ASSERT_EQ(r.local.size(), 1u);
  EXPECT_EQ(r.local[0], "10.0.0.1");
  EXPECT_EQ(r.upload_packets, 1u);
  EXPECT_EQ(r.download_packets, 1u);
}

TEST(Direction, AutomaticWithoutPrivateAddressesFindsNothing) {
  DirectionAnalysis d{AddressMatcher{}};
  feed(kT0, udp_frame("8.8.8.8", "1.1.1.1", 1, 2, 60), {}, d);
  const DirectionResult r = d.finish();
  EXPECT_TRUE(r.automatic);
  EXPECT_TRUE(r.local.empty());
  EXPECT_EQ(r.other_packets, 1u);
  EXPECT_EQ(r.upload_packets + r.download_packets + r.local_packets, 0u);
}

TEST(Direction, AutomaticConsidersUniqueLocalIpv6) {
  DirectionAnalysis d{AddressMatcher{}};
  feed(kT0, udp_frame("fd77::1", "2001:db8::1", 1, 2, 60), {}, d);
  feed(kT0, udp_frame("2001:db8::1", "fd77::1", 2, 1, 600), {}, d);
  const DirectionResult r = d.finish();
  ASSERT_EQ(r.local.size(), 1u);
  EXPECT_EQ(r.local[0], "fd77::1");
  EXPECT_EQ(r.download_bytes, 600u);
}

}  // namespace
}  // namespace pcapframe::test
