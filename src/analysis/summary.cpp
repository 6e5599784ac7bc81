// SPDX-License-Identifier: MIT
// SummaryAnalysis: the numbers behind `pcapframe info`, in one pass and bounded memory.
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <string>

#include "address_hash.hpp"
#include "pcapframe/analysis.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

namespace {
constexpr double kNanosPerSecond = 1e9;

struct Volume {
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
};
}  // namespace

// The per-frame work is a few additions and one hash probe, so the maps are kept lean:
// IPv4 destinations keyed by their 32-bit value (hashing 4 bytes, not 17), small values,
// and the link-type counter of the previous frame remembered (std::map nodes do not move).
struct SummaryAnalysis::State {
  std::size_t top_n;
  CaptureSummary summary;
  LengthDistribution lengths;
  absl::flat_hash_map<std::uint32_t, Volume> by_ipv4_destination;
  absl::flat_hash_map<IpAddress, Volume, detail::AddressHash> by_ipv6_destination;
  absl::flat_hash_map<std::string, std::uint64_t> query_counts;
  std::uint32_t last_link = UINT32_MAX;
  std::uint64_t* last_link_count = nullptr;
};

SummaryAnalysis::SummaryAnalysis(std::size_t top_n) : state_(std::make_unique<State>()) {
  state_->top_n = top_n;
}
SummaryAnalysis::~SummaryAnalysis() = default;
SummaryAnalysis::SummaryAnalysis(SummaryAnalysis&&) noexcept = default;
SummaryAnalysis& SummaryAnalysis::operator=(SummaryAnalysis&&) noexcept = default;

void SummaryAnalysis::add(const Record& record, const PacketFields& f) {
  CaptureSummary& s = state_->summary;
  ++s.packets;
  s.bytes += record.origlen;
  s.captured_bytes += record.caplen;
  s.first_ts_ns = s.first_ts_ns ? std::min(*s.first_ts_ns, record.ts_ns) : record.ts_ns;
  s.last_ts_ns = s.last_ts_ns ? std::max(*s.last_ts_ns, record.ts_ns) : record.ts_ns;
  state_->lengths.add(record.origlen);
  const auto link = static_cast<std::uint16_t>(record.link);
  if (link != state_->last_link) {
    state_->last_link = link;
    state_->last_link_count = &s.link_types[link];
  }
  ++*state_->last_link_count;
  if (f.anomaly != Anomaly::None) ++s.anomalies;

  s.ipv4 += f.ip_src.version == 4;
  s.ipv6 += f.ip_src.version == 6;
  s.arp += f.is_arp;
  s.tcp += f.transport == Transport::Tcp;
  s.udp += f.transport == Transport::Udp;
  s.icmp += f.transport == Transport::Icmp;
  s.dns += f.is_dns;
  if (f.dns_message && !f.dns_is_response) {
    ++s.dns_queries;
    if (f.dns_query.present()) {
      auto& counts = state_->query_counts;
      const std::string_view name = f.dns_query.view();
      // Debian's Abseil has its own string_view type (ABSL_OPTION_USE_STD_STRING_VIEW 0).
      const auto it = counts.find(absl::string_view(name.data(), name.size()));
      if (it != counts.end()) {
        ++it->second;
      } else {
        counts.emplace(name, 1);
      }
    }
  }
  if (f.ip_dst.version != 0) {
    Volume& volume = f.ip_dst.version == 4 ? state_->by_ipv4_destination[f.ip_dst.v4()]
                                           : state_->by_ipv6_destination[f.ip_dst];
    volume.bytes += record.origlen;
    ++volume.packets;
  }
}

CaptureSummary SummaryAnalysis::finish() const {
  CaptureSummary s = state_->summary;
  const LengthDistribution& lengths = state_->lengths;
  if (s.packets > 0) {
    s.duration_s = static_cast<double>(*s.last_ts_ns - *s.first_ts_ns) / kNanosPerSecond;
    s.size_min = lengths.min();
    s.size_max = lengths.max();
    s.size_mean = lengths.mean();
    s.size_median = lengths.quantile(0.5);
  }
  if (s.duration_s > 0) {
    s.bytes_per_s = static_cast<double>(s.bytes) / s.duration_s;
    s.bits_per_s = s.bytes_per_s * 8;
    s.packets_per_s = static_cast<double>(s.packets) / s.duration_s;
  }

  // Ties break by name so the output does not depend on hash order.
  for (const auto& [name, count] : state_->query_counts) {
    if (!s.top_query || count > s.top_query->packets ||
        (count == s.top_query->packets && name < s.top_query->key))
      s.top_query = VolumeEntry{name, 0, count};
  }
  std::vector<VolumeEntry> destinations;
  destinations.reserve(state_->by_ipv4_destination.size() + state_->by_ipv6_destination.size());
  for (const auto& [v4, volume] : state_->by_ipv4_destination) {
    IpAddress address;
    address.version = 4;
    for (std::size_t i = 0; i < 4; ++i) address.bytes[i] = static_cast<std::uint8_t>(v4 >> (24 - 8 * i));
    destinations.push_back({to_text(address), volume.bytes, volume.packets});
  }
  for (const auto& [address, volume] : state_->by_ipv6_destination)
    destinations.push_back({to_text(address), volume.bytes, volume.packets});
  const auto by_bytes = [](const VolumeEntry& a, const VolumeEntry& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.key < b.key;
  };
  const std::size_t n = std::min(state_->top_n, destinations.size());
  std::partial_sort(destinations.begin(), destinations.begin() + static_cast<std::ptrdiff_t>(n),
                    destinations.end(), by_bytes);
  destinations.resize(n);
  s.top_destinations = std::move(destinations);
  return s;
}

}  // namespace pcapframe
