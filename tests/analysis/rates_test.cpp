// SPDX-License-Identifier: MIT
// RatesAnalysis: windows anchored at the first frame, empty windows, directions.
#include <gtest/gtest.h>

#include "analysis_feed.hpp"
#include "pcapframe/analysis.hpp"

namespace pcapframe::test {
namespace {

TEST(Rates, WindowsStartAtTheFirstFrameAndIncludeEmptyOnes) {
  RatesAnalysis rates(kSecond, AddressMatcher{});
  const std::int64_t t = kT0 + 123'456'789;  // not on a whole second: windows follow the frame
  feed(t, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, rates);
  feed(t + kSecond - 1, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 200), {}, rates);  // still window 0
  feed(t + kSecond, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 300), {},
       rates);  // window 1 starts here
  feed(t + 3 * kSecond + 5, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 400), {}, rates);  // window 3

  EXPECT_FALSE(rates.has_direction());
  const auto rows = rates.finish();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rates.window_count(), 4u);
  EXPECT_EQ(rows[0].start_ns, t);
  EXPECT_EQ(rows[0].packets, 2u);
  EXPECT_EQ(rows[0].bytes, 300u);
  EXPECT_EQ(rows[1].start_ns, t + kSecond);
  EXPECT_EQ(rows[1].bytes, 300u);
  EXPECT_EQ(rows[2].start_ns, t + 2 * kSecond);  // empty, listed with zeros
  EXPECT_EQ(rows[2].packets, 0u);
  EXPECT_EQ(rows[2].bytes, 0u);
  EXPECT_EQ(rows[3].start_ns, t + 3 * kSecond);
  EXPECT_EQ(rows[3].bytes, 400u);
}

TEST(Rates, SubSecondWindows) {
  RatesAnalysis rates(250'000'000, AddressMatcher{});
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, rates);
  feed(kT0 + 600'000'000, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, rates);
  const auto rows = rates.finish();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].start_ns, kT0 + 500'000'000);
  EXPECT_EQ(rows[2].packets, 1u);
}

TEST(Rates, EarlierFramesGoToWindowsBeforeTheFirst) {
  RatesAnalysis rates(kSecond, AddressMatcher{});
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, rates);
  feed(kT0 - 1, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 50), {}, rates);  // an unsorted file
  const auto rows = rates.finish();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rates.window_count(), 2u);
  EXPECT_EQ(rows[0].start_ns, kT0 - kSecond);
  EXPECT_EQ(rows[0].bytes, 50u);
  EXPECT_EQ(rows[1].start_ns, kT0);
}

TEST(Rates, UploadAndDownloadWithALocalHost) {
  AddressMatcher local;
  ASSERT_TRUE(local.add("192.168.1.58").has_value());
  RatesAnalysis rates(kSecond, local);
  feed(kT0, tcp_frame("192.168.1.58", "93.184.216.34", 50000, 443, 100), {}, rates);
  feed(kT0 + 1, tcp_frame("93.184.216.34", "192.168.1.58", 443, 50000, 1500), {}, rates);
  feed(kT0 + 2, tcp_frame("192.168.1.7", "93.184.216.34", 50000, 443, 70), {}, rates);  // neither
  feed(kT0 + 3, arp_frame(), 42u, rates);
  EXPECT_TRUE(rates.has_direction());
  const auto rows = rates.finish();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].packets, 4u);
  EXPECT_EQ(rows[0].bytes, 1712u);
  EXPECT_EQ(rows[0].upload_packets, 1u);
  EXPECT_EQ(rows[0].upload_bytes, 100u);
  EXPECT_EQ(rows[0].download_packets, 1u);
  EXPECT_EQ(rows[0].download_bytes, 1500u);
}

TEST(Rates, EmptyCaptureHasNoWindows) {
  RatesAnalysis rates(kSecond, AddressMatcher{});
  EXPECT_TRUE(rates.finish().empty());
  EXPECT_EQ(rates.window_count(), 0u);
}

// window_count() says how many rows finish() would build, without building them: callers
// refuse a window that would make more than kMaxWindows (1 ns over ten seconds here).
TEST(Rates, WindowCountIsKnownBeforeTheRowsAreBuilt) {
  RatesAnalysis rates(1, AddressMatcher{});
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, rates);
  feed(kT0 + 10 * kSecond, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, rates);
  EXPECT_EQ(rates.window_count(), 10 * static_cast<std::uint64_t>(kSecond) + 1);
  EXPECT_GT(rates.window_count(), RatesAnalysis::kMaxWindows);
}

TEST(Rates, OneFrameOneWindow) {
  RatesAnalysis rates(kSecond, AddressMatcher{});
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 100), {}, rates);
  const auto rows = rates.finish();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].start_ns, kT0);
}

}  // namespace
}  // namespace pcapframe::test
