// SPDX-License-Identifier: MIT
// LengthDistribution: exact quantiles of frame lengths from per-length counters.
#include <algorithm>
#include <cmath>

#include "pcapframe/analysis.hpp"

namespace pcapframe {

void LengthDistribution::add(std::uint32_t length) noexcept {
  if (length < small_.size()) {
    ++small_[length];
  } else {
    ++large_[length];
  }
  ++count_;
  sum_ += length;
  min_ = std::min(min_, length);
  max_ = std::max(max_, length);
}

double LengthDistribution::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
}

std::uint32_t LengthDistribution::at_rank(std::uint64_t rank) const {
  std::uint64_t seen = 0;
  for (std::size_t length = 0; length < small_.size(); ++length) {
    seen += small_[length];
    if (rank < seen) return static_cast<std::uint32_t>(length);
  }
  for (const auto& [length, n] : large_) {
    seen += n;
    if (rank < seen) return length;
  }
  return max_;
}

double LengthDistribution::quantile(double q) const {
  if (count_ == 0) return 0.0;
  const double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(count_ - 1);
  const auto lower = static_cast<std::uint64_t>(std::floor(position));
  const auto upper = static_cast<std::uint64_t>(std::ceil(position));
  const double low = at_rank(lower);
  const double high = upper == lower ? low : static_cast<double>(at_rank(upper));
  // numpy's _lerp (what pandas' quantile() calls): from the nearer end, so that results are
  // bit-identical to numpy's, not just close.
  const double t = position - static_cast<double>(lower);
  const double diff = high - low;
  return t >= 0.5 ? high - diff * (1 - t) : low + diff * t;
}

}  // namespace pcapframe
