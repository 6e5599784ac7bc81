// SPDX-License-Identifier: MIT
// Streaming analyses: fed record by record, bounded memory (by distinct keys, not packets).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pcapframe/fields.hpp"
#include "pcapframe/record.hpp"

namespace pcapframe {

/// Exact distribution of frame lengths in memory independent of the packet count:
/// one counter per length below 65536, a sorted map for the rare larger frames.
class LengthDistribution {
 public:
  void add(std::uint32_t length) noexcept;
  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t sum() const noexcept { return sum_; }
  std::uint32_t min() const noexcept { return min_; }
  std::uint32_t max() const noexcept { return max_; }
  double mean() const noexcept;
  /// The q-quantile (0 <= q <= 1) with linear interpolation, as pandas' quantile() does.
  double quantile(double q) const;

 private:
  // The length at 0-based rank `rank` in sorted order.
  std::uint32_t at_rank(std::uint64_t rank) const;

  std::vector<std::uint64_t> small_ = std::vector<std::uint64_t>(65536);
  std::map<std::uint32_t, std::uint64_t> large_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint32_t min_ = UINT32_MAX;
  std::uint32_t max_ = 0;
};

/// A key with its traffic, for top-N lists.
struct VolumeEntry {
  std::string key;
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
};

/// What `pcapframe info` reports about a capture.
struct CaptureSummary {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;           // sum of wire lengths
  std::uint64_t captured_bytes = 0;  // sum of captured lengths
  std::optional<std::int64_t> first_ts_ns;  // earliest frame
  std::optional<std::int64_t> last_ts_ns;   // latest frame
  double duration_s = 0;
  double bytes_per_s = 0;
  double bits_per_s = 0;
  double packets_per_s = 0;
  // Wire-length statistics (all zero for an empty capture).
  std::uint32_t size_min = 0;
  std::uint32_t size_max = 0;
  double size_mean = 0;
  double size_median = 0;
  // Frames per protocol.
  std::uint64_t ipv4 = 0, ipv6 = 0, arp = 0, tcp = 0, udp = 0, icmp = 0, dns = 0;
  std::uint64_t dns_queries = 0;  // DNS messages with QR = 0
  std::optional<VolumeEntry> top_query;  // most frequent query name (packets = its count)
  std::vector<VolumeEntry> top_destinations;  // by bytes, at most `top_n`
  std::map<std::uint16_t, std::uint64_t> link_types;  // frames per LINKTYPE value
  std::uint64_t anomalies = 0;  // frames whose decoding stopped early
};

/// Compute a CaptureSummary in one pass.
class SummaryAnalysis {
 public:
  explicit SummaryAnalysis(std::size_t top_n = 5);
  ~SummaryAnalysis();
  SummaryAnalysis(SummaryAnalysis&&) noexcept;
  SummaryAnalysis& operator=(SummaryAnalysis&&) noexcept;

  void add(const Record& record, const PacketFields& fields);
  CaptureSummary finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pcapframe
