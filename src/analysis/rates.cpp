// SPDX-License-Identifier: MIT
// RatesAnalysis: per-window sums, windows anchored at the first frame like send_rates.
#include <map>

#include "pcapframe/analysis.hpp"

namespace pcapframe {

namespace {
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
}  // namespace

struct RatesAnalysis::State {
  std::int64_t window_ns;
  AddressMatcher local;
  bool started = false;
  std::int64_t origin_ns = 0;
  std::map<std::int64_t, RateRow> windows;  // by window index; grows with the duration only
};

RatesAnalysis::RatesAnalysis(std::int64_t window_ns, AddressMatcher local)
    : state_(std::make_unique<State>(State{window_ns > 0 ? window_ns : 1, std::move(local), false, 0, {}})) {}
RatesAnalysis::~RatesAnalysis() = default;
RatesAnalysis::RatesAnalysis(RatesAnalysis&&) noexcept = default;
RatesAnalysis& RatesAnalysis::operator=(RatesAnalysis&&) noexcept = default;

bool RatesAnalysis::has_direction() const noexcept { return !state_->local.empty(); }

void RatesAnalysis::add(const Record& record, const PacketFields& f) {
  State& s = *state_;
  if (!s.started) {
    s.started = true;
    s.origin_ns = record.ts_ns;
  }
  const std::int64_t index = floor_div(record.ts_ns - s.origin_ns, s.window_ns);
  RateRow& row = s.windows[index];
  row.bytes += record.origlen;
  ++row.packets;
  if (!s.local.empty() && f.ip_src.version != 0) {
    const bool from_local = s.local.matches(f.ip_src);
    const bool to_local = s.local.matches(f.ip_dst);
    if (from_local && !to_local) {
      row.upload_bytes += record.origlen;
      ++row.upload_packets;
    } else if (to_local && !from_local) {
      row.download_bytes += record.origlen;
      ++row.download_packets;
    }
  }
}

std::uint64_t RatesAnalysis::window_count() const noexcept {
  const State& s = *state_;
  if (s.windows.empty()) return 0;
  return static_cast<std::uint64_t>(s.windows.rbegin()->first - s.windows.begin()->first) + 1;
}

std::vector<RateRow> RatesAnalysis::finish() const {
  const State& s = *state_;
  std::vector<RateRow> rows;
  if (s.windows.empty()) return rows;
  const std::int64_t first = s.windows.begin()->first;
  const std::int64_t last = s.windows.rbegin()->first;
  rows.reserve(static_cast<std::size_t>(last - first + 1));
  for (std::int64_t index = first; index <= last; ++index) {
    const auto it = s.windows.find(index);
    RateRow row = it == s.windows.end() ? RateRow{} : it->second;
    row.start_ns = s.origin_ns + index * s.window_ns;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace pcapframe
