// SPDX-License-Identifier: MIT
// SizesAnalysis against numpy: the expected values below are numpy 2.4's, printed with
// repr() (so each literal reads back as the very same double):
//   v = [60, 60, 64, 100, 1514, 1514, 200, 64, 42, 1500]
//   np.histogram(v), np.histogram(v, bins=3), np.histogram(v, bins=[0,64,128,256,512,1024,1514])
//   np.percentile(v, [1, 5, 25, 50, 75, 95, 99]); np.mean(v); np.median(v)
// Frame lengths are fed as wire lengths (origlen) of one small frame.
#include <gtest/gtest.h>

#include "analysis_feed.hpp"
#include "pcapframe/analysis.hpp"

namespace pcapframe::test {
namespace {

const std::vector<std::uint32_t> kLengths{60, 60, 64, 100, 1514, 1514, 200, 64, 42, 1500};

SizeReport sizes_of(const std::vector<std::uint32_t>& lengths, std::vector<double> edges = {},
                    std::size_t bins = 10) {
  SizesAnalysis sizes(std::move(edges), bins);
  const auto frame = udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 42);
  for (const std::uint32_t length : lengths) feed(kT0, frame, length, sizes);
  return sizes.finish();
}

std::vector<std::uint64_t> counts(const SizeReport& r) {
  std::vector<std::uint64_t> out;
  for (const SizeBin& b : r.histogram) out.push_back(b.packets);
  return out;
}

std::vector<double> edges(const SizeReport& r) {
  std::vector<double> out;
  for (const SizeBin& b : r.histogram) out.push_back(b.low);
  if (!r.histogram.empty()) out.push_back(r.histogram.back().high);
  return out;
}

TEST(Sizes, StatisticsLikeNumpy) {
  const SizeReport r = sizes_of(kLengths);
  EXPECT_EQ(r.packets, 10u);
  EXPECT_EQ(r.min, 42u);
  EXPECT_EQ(r.max, 1514u);
  EXPECT_EQ(r.mean, 511.8);
  EXPECT_EQ(r.median, 82.0);
  const std::vector<std::pair<double, double>> want{
      {1, 43.62}, {5, 50.1}, {25, 61.0}, {50, 82.0}, {75, 1175.0}, {95, 1514.0}, {99, 1514.0}};
  EXPECT_EQ(r.percentiles, want);  // exact: the same interpolation as numpy, bit for bit
}

TEST(Sizes, PercentilesInterpolateFromTheNearerEndAsNumpyDoes) {
  // np.percentile([113, 239, 318, 484, 1053], 95) == 939.1999999999999, where the textbook
  // a + (b - a) * t gives 939.1999999999998.
  const SizeReport r = sizes_of({113, 239, 318, 484, 1053});
  const std::vector<std::pair<double, double>> want{
      {1, 118.04},  {5, 138.2}, {25, 239.0}, {50, 318.0}, {75, 484.0}, {95, 939.1999999999999},
      {99, 1030.24}};
  EXPECT_EQ(r.percentiles, want);
}

TEST(Sizes, TenEqualBinsByDefault) {
  const SizeReport r = sizes_of(kLengths);
  EXPECT_EQ(counts(r), (std::vector<std::uint64_t>{6, 1, 0, 0, 0, 0, 0, 0, 0, 3}));
  const std::vector<double> want{42.0,  189.2,  336.4,  483.6,  630.8, 778.0,
                                 925.2, 1072.4, 1219.6, 1366.8, 1514.0};
  ASSERT_EQ(edges(r).size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(edges(r)[i], want[i], 1e-9) << i;
}

TEST(Sizes, EqualBinEdgesAreNumpysBitForBit) {
  // w = [54, 60, 66, 1514, 590, 1514, 54, 66, 74, 1200, 1514, 66]; np.histogram(w, bins=7)
  const SizeReport r = sizes_of({54, 60, 66, 1514, 590, 1514, 54, 66, 74, 1200, 1514, 66}, {}, 7);
  const std::vector<double> want{54.0,
                                 262.57142857142856,
                                 471.14285714285717,
                                 679.7142857142858,
                                 888.2857142857143,
                                 1096.857142857143,
                                 1305.4285714285716,
                                 1514.0};
  EXPECT_EQ(edges(r), want);
  EXPECT_EQ(counts(r), (std::vector<std::uint64_t>{7, 0, 1, 0, 0, 1, 3}));
  const std::vector<std::pair<double, double>> pct{
      {1, 54.0}, {5, 54.0}, {25, 64.5}, {50, 70.0}, {75, 1278.5}, {95, 1514.0}, {99, 1514.0}};
  EXPECT_EQ(r.percentiles, pct);
}

TEST(Sizes, ThreeBins) {
  const SizeReport r = sizes_of(kLengths, {}, 3);
  EXPECT_EQ(counts(r), (std::vector<std::uint64_t>{7, 0, 3}));
}

TEST(Sizes, ExplicitEdgesLastBinClosed) {
  // np.histogram(v, bins=[0, 64, 128, 256, 512, 1024, 1514]) -> [3, 3, 1, 0, 0, 3]: 64 goes
  // up ([64, 128)), 1514 stays in the last, closed bin.
  const SizeReport r = sizes_of(kLengths, {0, 64, 128, 256, 512, 1024, 1514});
  EXPECT_EQ(counts(r), (std::vector<std::uint64_t>{3, 3, 1, 0, 0, 3}));
  EXPECT_EQ(r.histogram.front().low, 0.0);
  EXPECT_EQ(r.histogram.back().high, 1514.0);
}

TEST(Sizes, ValuesOutsideTheEdgesAreInNoBin) {
  // np.histogram(v, bins=[64, 100, 200]) -> [2, 2]
  const SizeReport r = sizes_of(kLengths, {64, 100, 200});
  EXPECT_EQ(counts(r), (std::vector<std::uint64_t>{2, 2}));
  EXPECT_EQ(r.packets, 10u);  // the statistics still see every frame
}

TEST(Sizes, OneDistinctValueGetsAUnitRange) {
  // np.histogram([100, 100, 100]) -> edges 99.5 .. 100.5, everything in bin 5
  const SizeReport r = sizes_of({100, 100, 100});
  EXPECT_EQ(counts(r), (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 3, 0, 0, 0, 0}));
  EXPECT_EQ(r.histogram.front().low, 99.5);
  EXPECT_EQ(r.histogram.back().high, 100.5);
  EXPECT_EQ(r.median, 100.0);
}

TEST(Sizes, EmptyCapture) {
  const SizeReport r = sizes_of({});
  EXPECT_EQ(r.packets, 0u);
  EXPECT_TRUE(r.histogram.empty());
  EXPECT_TRUE(r.percentiles.empty());
}

TEST(Sizes, JumboFramesAboveTheCounterTable) {
  const SizeReport r = sizes_of({60, 70000, 9000});
  EXPECT_EQ(r.max, 70000u);
  EXPECT_EQ(r.median, 9000.0);
  EXPECT_EQ(counts(r).back(), 1u);
}

}  // namespace
}  // namespace pcapframe::test
