// SPDX-License-Identifier: MIT
// LengthDistribution: exact counts and pandas-style quantiles, checked against a sorted vector.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "pcapframe/analysis.hpp"

namespace pcapframe {
namespace {

// pandas' Series.quantile(q) (numpy's "linear" method): interpolate between the two ranks
// around q * (n - 1) in sorted order.
double brute_quantile(std::vector<std::uint32_t> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const auto upper = static_cast<std::size_t>(std::ceil(position));
  const double fraction = position - static_cast<double>(lower);
  return static_cast<double>(values[lower]) +
         (static_cast<double>(values[upper]) - static_cast<double>(values[lower])) * fraction;
}

void expect_quantile(const LengthDistribution& d, const std::vector<std::uint32_t>& values, double q) {
  const double want = brute_quantile(values, q);
  EXPECT_NEAR(d.quantile(q), want, std::max(1.0, std::abs(want)) * 1e-12)
      << "q=" << q << " n=" << values.size();
}

TEST(LengthDistribution, EmptyIsZero) {
  const LengthDistribution d;
  EXPECT_EQ(d.count(), 0u);
  EXPECT_EQ(d.sum(), 0u);
  EXPECT_EQ(d.mean(), 0.0);
  EXPECT_EQ(d.quantile(0.5), 0.0);
  EXPECT_EQ(d.max(), 0u);
}

TEST(LengthDistribution, SmallKnownValues) {
  LengthDistribution d;
  for (const std::uint32_t v : {4u, 1u, 3u, 2u}) d.add(v);
  EXPECT_EQ(d.count(), 4u);
  EXPECT_EQ(d.sum(), 10u);
  EXPECT_EQ(d.min(), 1u);
  EXPECT_EQ(d.max(), 4u);
  EXPECT_DOUBLE_EQ(d.mean(), 2.5);
  EXPECT_DOUBLE_EQ(d.quantile(0.0), 1.0);
  EXPECT_DOUBLE_EQ(d.quantile(0.25), 1.75);  // pandas: pd.Series([1,2,3,4]).quantile(.25)
  EXPECT_DOUBLE_EQ(d.quantile(0.5), 2.5);
  EXPECT_DOUBLE_EQ(d.quantile(0.9), 3.7);
  EXPECT_DOUBLE_EQ(d.quantile(1.0), 4.0);
  // Out-of-range q is clamped.
  EXPECT_DOUBLE_EQ(d.quantile(-1.0), 1.0);
  EXPECT_DOUBLE_EQ(d.quantile(2.0), 4.0);
}

TEST(LengthDistribution, OneValue) {
  LengthDistribution d;
  d.add(1514);
  for (const double q : {0.0, 0.3, 0.5, 1.0}) EXPECT_DOUBLE_EQ(d.quantile(q), 1514.0);
  EXPECT_EQ(d.min(), 1514u);
  EXPECT_EQ(d.max(), 1514u);
}

TEST(LengthDistribution, AcrossTheSmallAndLargeRanges) {
  // 65535 is the last counter, 65536 the first map entry: the two halves must join in order.
  LengthDistribution d;
  const std::vector<std::uint32_t> values = {65536, 65535, 70000, 60, UINT32_MAX, 65535, 0};
  for (const std::uint32_t v : values) d.add(v);
  EXPECT_EQ(d.min(), 0u);
  EXPECT_EQ(d.max(), UINT32_MAX);
  EXPECT_EQ(d.sum(), 65536ull + 65535 + 70000 + 60 + UINT32_MAX + 65535);
  for (int i = 0; i <= 60; ++i) expect_quantile(d, values, i / 60.0);
  std::vector<std::pair<std::uint32_t, std::uint64_t>> seen;
  d.for_each([&](std::uint32_t length, std::uint64_t n) { seen.emplace_back(length, n); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::uint32_t, std::uint64_t>>{
                      {0, 1}, {60, 1}, {65535, 2}, {65536, 1}, {70000, 1}, {UINT32_MAX, 1}}));
}

TEST(LengthDistribution, RandomDataMatchesBruteForce) {
  std::mt19937 rng(12345);
  for (const std::size_t n : {1u, 2u, 3u, 10u, 101u, 1000u, 20'011u}) {
    std::vector<std::uint32_t> values;
    LengthDistribution d;
    std::uniform_int_distribution<int> kind(0, 9);
    std::uniform_int_distribution<std::uint32_t> frame(42, 1514), jumbo(1515, 65535),
        boundary(65530, 65545), large(65536, UINT32_MAX);
    for (std::size_t i = 0; i < n; ++i) {
      const int k = kind(rng);
      const std::uint32_t v = k < 6 ? frame(rng) : k < 8 ? jumbo(rng) : k < 9 ? boundary(rng) : large(rng);
      values.push_back(v);
      d.add(v);
    }
    EXPECT_EQ(d.count(), n);
    std::uint64_t sum = 0;
    for (const std::uint32_t v : values) sum += v;
    EXPECT_EQ(d.sum(), sum);
    EXPECT_DOUBLE_EQ(d.mean(), static_cast<double>(sum) / static_cast<double>(n));
    EXPECT_EQ(d.min(), *std::min_element(values.begin(), values.end()));
    EXPECT_EQ(d.max(), *std::max_element(values.begin(), values.end()));
    std::uniform_real_distribution<double> any_q(0.0, 1.0);
    for (const double q : {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0, any_q(rng), any_q(rng), any_q(rng)})
      expect_quantile(d, values, q);
  }
}

}  // namespace
}  // namespace pcapframe
