// SPDX-License-Identifier: MIT
// DirectionAnalysis: upload vs download for a given or automatically found local host.
#include <absl/container/flat_hash_map.h>

#include "address_hash.hpp"
#include "pcapframe/analysis.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

namespace {
struct Volume {
  std::uint64_t packets = 0, bytes = 0;
  void add(std::uint64_t length) {
    ++packets;
    bytes += length;
  }
};

// Traffic between one pair of addresses in one direction: enough to decide upload and
// download once the local host is known, in memory bounded by distinct pairs.
struct DirectedPair {
  IpAddress src, dst;
  friend bool operator==(const DirectedPair&, const DirectedPair&) = default;
  template <class H>
  friend H AbslHashValue(H h, const DirectedPair& p) {
    return H::combine(std::move(h), p.src.version, p.src.bytes, p.dst.version, p.dst.bytes);
  }
};
}  // namespace

struct DirectionAnalysis::State {
  AddressMatcher local;
  Volume no_ip;
  absl::flat_hash_map<DirectedPair, Volume> pairs;
  absl::flat_hash_map<IpAddress, std::uint64_t, detail::AddressHash> private_frames;
};

DirectionAnalysis::DirectionAnalysis(AddressMatcher local)
    : state_(std::make_unique<State>(State{std::move(local), {}, {}, {}})) {}
DirectionAnalysis::~DirectionAnalysis() = default;
DirectionAnalysis::DirectionAnalysis(DirectionAnalysis&&) noexcept = default;
DirectionAnalysis& DirectionAnalysis::operator=(DirectionAnalysis&&) noexcept = default;

void DirectionAnalysis::add(const Record& record, const PacketFields& f) {
  State& s = *state_;
  if (f.ip_src.version == 0) {
    s.no_ip.add(record.origlen);
    return;
  }
  s.pairs[DirectedPair{f.ip_src, f.ip_dst}].add(record.origlen);
  if (s.local.empty()) {
    if (is_private_address(f.ip_src)) ++s.private_frames[f.ip_src];
    if (f.ip_dst != f.ip_src && is_private_address(f.ip_dst)) ++s.private_frames[f.ip_dst];
  }
}

DirectionResult DirectionAnalysis::finish() const {
  const State& s = *state_;
  DirectionResult result;
  AddressMatcher local = s.local;
  if (local.empty()) {
    result.automatic = true;
    const IpAddress* best = nullptr;
    std::uint64_t best_frames = 0;
    for (const auto& [address, frames] : s.private_frames) {
      const bool better = frames > best_frames ||
                          (frames == best_frames && best != nullptr && to_text(address) < to_text(*best));
      if (better) {
        best = &address;
        best_frames = frames;
      }
    }
    if (best != nullptr) local.add(*best);
  }
  result.local = local.texts();
  result.other_packets = s.no_ip.packets;
  result.other_bytes = s.no_ip.bytes;
  for (const auto& [pair, volume] : s.pairs) {
    const bool from_local = local.matches(pair.src);
    const bool to_local = local.matches(pair.dst);
    std::uint64_t* packets = &result.other_packets;
    std::uint64_t* bytes = &result.other_bytes;
    if (from_local && to_local) {
      packets = &result.local_packets;
      bytes = &result.local_bytes;
    } else if (from_local) {
      packets = &result.upload_packets;
      bytes = &result.upload_bytes;
    } else if (to_local) {
      packets = &result.download_packets;
      bytes = &result.download_bytes;
    }
    *packets += volume.packets;
    *bytes += volume.bytes;
  }
  return result;
}

}  // namespace pcapframe
