// SPDX-License-Identifier: MIT
// TopAnalysis: bytes and packets per key. Keys are kept in their binary form during the
// pass and turned into text (and names) once, in finish().
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <array>

#include "address_hash.hpp"
#include "pcapframe/analysis.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

namespace {
constexpr std::array<std::pair<std::string_view, TopKey>, 10> kTopKeys{{
    {"ip_dst", TopKey::IpDst},   {"ip_src", TopKey::IpSrc},     {"name_dst", TopKey::NameDst},
    {"name_src", TopKey::NameSrc}, {"mac_dst", TopKey::MacDst}, {"mac_src", TopKey::MacSrc},
    {"port_dst", TopKey::PortDst}, {"port_src", TopKey::PortSrc}, {"protocol", TopKey::Protocol},
    {"ip_pair", TopKey::IpPair},
}};

struct Volume {
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
};

// An unordered pair of addresses, smaller first.
struct AddressPair {
  IpAddress a, b;
  friend bool operator==(const AddressPair&, const AddressPair&) = default;
  template <class H>
  friend H AbslHashValue(H h, const AddressPair& p) {
    return H::combine(std::move(h), p.a.version, p.a.bytes, p.b.version, p.b.bytes);
  }
};
}  // namespace

std::optional<TopKey> parse_top_key(std::string_view text) noexcept {
  for (const auto& [name, key] : kTopKeys)
    if (name == text) return key;
  return std::nullopt;
}

std::string_view top_key_name(TopKey key) noexcept {
  for (const auto& [name, k] : kTopKeys)
    if (k == key) return name;
  return "";
}

struct TopAnalysis::State {
  TopKey key;
  TopMetric metric;
  std::size_t limit;
  Volume total;
  absl::flat_hash_map<IpAddress, Volume, detail::AddressHash> by_address;
  absl::flat_hash_map<std::uint64_t, Volume> by_number;  // MACs, ports, protocols
  absl::flat_hash_map<AddressPair, Volume> by_pair;
};

TopAnalysis::TopAnalysis(TopKey key, TopMetric metric, std::size_t limit)
    : state_(std::make_unique<State>(State{key, metric, limit, {}, {}, {}, {}})) {}
TopAnalysis::~TopAnalysis() = default;
TopAnalysis::TopAnalysis(TopAnalysis&&) noexcept = default;
TopAnalysis& TopAnalysis::operator=(TopAnalysis&&) noexcept = default;

void TopAnalysis::add(const Record& record, const PacketFields& f) {
  State& s = *state_;
  s.total.bytes += record.origlen;
  ++s.total.packets;
  Volume* volume = nullptr;
  switch (s.key) {
    case TopKey::IpDst:
    case TopKey::NameDst:
      if (f.ip_dst.version != 0) volume = &s.by_address[f.ip_dst];
      break;
    case TopKey::IpSrc:
    case TopKey::NameSrc:
      if (f.ip_src.version != 0) volume = &s.by_address[f.ip_src];
      break;
    case TopKey::MacDst:
      if (f.has_mac_dst) volume = &s.by_number[f.mac_dst];
      break;
    case TopKey::MacSrc:
      if (f.has_mac_src) volume = &s.by_number[f.mac_src];
      break;
    case TopKey::PortDst:
      if (f.has_ports) volume = &s.by_number[f.port_dst];
      break;
    case TopKey::PortSrc:
      if (f.has_ports) volume = &s.by_number[f.port_src];
      break;
    case TopKey::Protocol:
      if (f.transport != Transport::None) volume = &s.by_number[static_cast<std::uint64_t>(f.transport)];
      break;
    case TopKey::IpPair:
      if (f.ip_src.version != 0) {
        const bool swap = f.ip_dst < f.ip_src;
        volume = &s.by_pair[AddressPair{swap ? f.ip_dst : f.ip_src, swap ? f.ip_src : f.ip_dst}];
      }
      break;
  }
  if (volume != nullptr) {
    volume->bytes += record.origlen;
    ++volume->packets;
  }
}

std::vector<TopRow> TopAnalysis::finish(const NameMap* names) const {
  const State& s = *state_;
  // Several addresses can share a name: merge rows by key text.
  absl::flat_hash_map<std::string, Volume> merged;
  const auto add_row = [&](std::string key, const Volume& v) {
    Volume& m = merged[key];
    m.bytes += v.bytes;
    m.packets += v.packets;
  };
  const bool by_name = s.key == TopKey::NameDst || s.key == TopKey::NameSrc;
  for (const auto& [address, volume] : s.by_address) {
    const AddressName* entry = by_name && names != nullptr ? names->find(address) : nullptr;
    add_row(entry != nullptr ? entry->name : to_text(address), volume);
  }
  for (const auto& [number, volume] : s.by_number) {
    switch (s.key) {
      case TopKey::MacDst:
      case TopKey::MacSrc: add_row(mac_to_text(number), volume); break;
      case TopKey::Protocol: add_row(std::string(transport_name(static_cast<Transport>(number))), volume); break;
      default: add_row(std::to_string(number), volume); break;
    }
  }
  for (const auto& [pair, volume] : s.by_pair) add_row(to_text(pair.a) + " <-> " + to_text(pair.b), volume);

  const bool by_bytes = s.metric == TopMetric::ByBytes;
  const double total = static_cast<double>(by_bytes ? s.total.bytes : s.total.packets);
  std::vector<TopRow> rows;
  rows.reserve(merged.size());
  for (auto& [key, v] : merged) {
    const double value = static_cast<double>(by_bytes ? v.bytes : v.packets);
    rows.push_back({key, v.bytes, v.packets, total > 0 ? value / total : 0});
  }
  const auto order = [&](const TopRow& a, const TopRow& b) {
    const std::uint64_t x = by_bytes ? a.bytes : a.packets;
    const std::uint64_t y = by_bytes ? b.bytes : b.packets;
    return x != y ? x > y : a.key < b.key;
  };
  const std::size_t n = s.limit == 0 ? rows.size() : std::min(s.limit, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(), order);
  rows.resize(n);
  return rows;
}

}  // namespace pcapframe
