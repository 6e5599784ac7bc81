// SPDX-License-Identifier: MIT
// FlowAnalysis: per 5-tuple, or per conversation when both directions are joined.
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <tuple>

#include "pcapframe/analysis.hpp"

namespace pcapframe {

namespace {

struct Endpoint {
  IpAddress address;
  std::uint16_t port = 0;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
  friend bool operator<(const Endpoint& x, const Endpoint& y) {
    if (x.address.version != y.address.version) return x.address.version < y.address.version;
    if (x.address.bytes != y.address.bytes) return x.address.bytes < y.address.bytes;
    return x.port < y.port;
  }
};

// The flow key. Bidirectional keys hold the smaller endpoint first, so both directions
// meet; which one is A is decided by the first frame and kept in the value.
struct FlowKey {
  Endpoint first, second;
  bool has_ports = false;
  std::uint8_t ip_proto = 0;
  friend bool operator==(const FlowKey&, const FlowKey&) = default;
  template <class H>
  friend H AbslHashValue(H h, const FlowKey& k) {
    return H::combine(std::move(h), k.first.address.bytes, k.first.address.version, k.first.port,
                      k.second.address.bytes, k.second.address.version, k.second.port,
                      k.has_ports, k.ip_proto);
  }
};

struct FlowValue {
  FlowRow row;
  Endpoint a;  // bidirectional: the sender of the first frame
};

}  // namespace

struct FlowAnalysis::State {
  bool bidirectional;
  absl::flat_hash_map<FlowKey, FlowValue> flows;
};

FlowAnalysis::FlowAnalysis(bool bidirectional)
    : state_(std::make_unique<State>(State{bidirectional, {}})) {}
FlowAnalysis::~FlowAnalysis() = default;
FlowAnalysis::FlowAnalysis(FlowAnalysis&&) noexcept = default;
FlowAnalysis& FlowAnalysis::operator=(FlowAnalysis&&) noexcept = default;

void FlowAnalysis::add(const Record& record, const PacketFields& f) {
  if (f.ip_src.version == 0) return;
  State& s = *state_;
  const Endpoint source{f.ip_src, f.has_ports ? f.port_src : std::uint16_t{0}};
  const Endpoint destination{f.ip_dst, f.has_ports ? f.port_dst : std::uint16_t{0}};
  FlowKey key{source, destination, f.has_ports, f.ip_proto};
  if (s.bidirectional && destination < source) std::swap(key.first, key.second);

  auto [it, inserted] = s.flows.try_emplace(key);
  FlowValue& value = it->second;
  FlowRow& row = value.row;
  if (inserted) {
    value.a = source;
    row.src = source.address;
    row.dst = destination.address;
    if (f.has_ports) {
      row.port_src = source.port;
      row.port_dst = destination.port;
    }
    row.protocol = f.transport;
    row.ip_proto = f.ip_proto;
    row.first_ns = row.last_ns = record.ts_ns;
  }
  ++row.packets;
  row.bytes += record.origlen;
  row.first_ns = std::min(row.first_ns, record.ts_ns);
  row.last_ns = std::max(row.last_ns, record.ts_ns);
  if (s.bidirectional) {
    if (source == value.a) {
      ++row.packets_ab;
      row.bytes_ab += record.origlen;
    } else {
      ++row.packets_ba;
      row.bytes_ba += record.origlen;
    }
  }
}

std::vector<FlowRow> FlowAnalysis::finish() const {
  std::vector<FlowRow> rows;
  rows.reserve(state_->flows.size());
  for (const auto& [key, value] : state_->flows) rows.push_back(value.row);
  // Largest first; ties by first time, then by the endpoints, so the order never depends on
  // the hash map's.
  const auto tuple_of = [](const FlowRow& r) {
    return std::make_tuple(r.src.version, r.src.bytes, r.dst.version, r.dst.bytes,
                           r.port_src.value_or(0), r.port_dst.value_or(0), r.ip_proto,
                           r.port_src.has_value());
  };
  std::sort(rows.begin(), rows.end(), [&](const FlowRow& x, const FlowRow& y) {
    if (x.bytes != y.bytes) return x.bytes > y.bytes;
    if (x.first_ns != y.first_ns) return x.first_ns < y.first_ns;
    return tuple_of(x) < tuple_of(y);
  });
  return rows;
}

}  // namespace pcapframe
