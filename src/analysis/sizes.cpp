// SPDX-License-Identifier: MIT
// SizesAnalysis: exact length statistics and a histogram, numpy.histogram's bin rules.
#include <algorithm>
#include <cmath>

#include "pcapframe/analysis.hpp"

namespace pcapframe {

namespace {
constexpr std::size_t kDefaultBins = 10;
constexpr std::array<double, 7> kPercentiles{1, 5, 25, 50, 75, 95, 99};
}  // namespace

SizesAnalysis::SizesAnalysis(std::vector<double> edges, std::size_t equal_bins)
    : edges_(std::move(edges)), equal_bins_(equal_bins > 0 ? equal_bins : kDefaultBins) {}

void SizesAnalysis::add(const Record& record, const PacketFields& /*fields*/) {
  lengths_.add(record.origlen);
}

SizeReport SizesAnalysis::finish() const {
  SizeReport report;
  report.packets = lengths_.count();
  if (report.packets == 0) return report;
  report.min = lengths_.min();
  report.max = lengths_.max();
  report.mean = lengths_.mean();
  report.median = lengths_.quantile(0.5);
  for (const double q : kPercentiles) report.percentiles.emplace_back(q, lengths_.quantile(q / 100));

  std::vector<double> edges = edges_;
  if (edges.size() < 2) {
    // numpy: equal bins over [min, max]; a single value v gets [v - 0.5, v + 0.5]. The edges
    // are numpy.linspace's, bit for bit: i * step + low with step = (high - low) / bins, and
    // the last edge exactly `high`.
    double low = report.min, high = report.max;
    if (low == high) {
      low -= 0.5;
      high += 0.5;
    }
    const double step = (high - low) / static_cast<double>(equal_bins_);
    edges.clear();
    for (std::size_t i = 0; i < equal_bins_; ++i) edges.push_back(static_cast<double>(i) * step + low);
    edges.push_back(high);
  }
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) report.histogram.push_back({edges[i], edges[i + 1], 0});
  lengths_.for_each([&](std::uint32_t length, std::uint64_t count) {
    const double value = length;
    if (value < edges.front() || value > edges.back()) return;  // outside every bin
    // Bins are [low, high) except the last, which includes its upper edge.
    auto bin = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), value) - edges.begin());
    bin = bin == 0 ? 0 : bin - 1;
    if (bin >= report.histogram.size()) bin = report.histogram.size() - 1;
    report.histogram[bin].packets += count;
  });
  return report;
}

}  // namespace pcapframe
