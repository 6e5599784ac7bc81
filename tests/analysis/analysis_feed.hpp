// SPDX-License-Identifier: MIT
// Feed built frames to an analysis as the CLI does: record → decode_frame() → add().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "pcapframe/decode.hpp"
#include "pcapframe/names.hpp"
#include "pcapframe/record.hpp"
#include "pcapframe/table.hpp"
#include "support/frame_builder.hpp"

namespace pcapframe::test {

inline constexpr std::int64_t kSecond = 1'000'000'000;
inline constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;  // 2023-11-14 22:13:20 UTC

inline const Mac kMacClient = mac("02:00:00:00:00:01");
inline const Mac kMacServer = mac("02:00:00:00:00:02");

/// Decode `frame` (Ethernet) as captured at `ts_ns` with wire length `origlen` (default: its
/// size) and hand it to every analysis in `analyses`.
template <class... Analyses>
void feed(std::int64_t ts_ns, const std::vector<std::byte>& frame,
          std::optional<std::uint32_t> origlen, Analyses&... analyses) {
  Record record;
  record.ts_ns = ts_ns;
  record.caplen = static_cast<std::uint32_t>(frame.size());
  record.origlen = origlen.value_or(record.caplen);
  record.link = LinkType::Ethernet;
  record.bytes = Bytes(frame.data(), frame.size());
  PacketFields fields;
  decode_frame(record.link, record.bytes, fields);
  (analyses.add(record, fields), ...);
}

/// An Ethernet/IPv4 or IPv6 (by the address text) frame start.
inline FrameBuilder ip(std::string_view src, std::string_view dst) {
  FrameBuilder b;
  b.ethernet(kMacClient, kMacServer);
  if (src.find(':') != std::string_view::npos) {
    b.ipv6(src, dst);
  } else {
    b.ipv4(src, dst);
  }
  return b;
}

/// `start` (a frame up to its transport header) padded with payload to `size` bytes on the
/// wire; a frame already that long is left as it is.
inline std::vector<std::byte> padded(const FrameBuilder& start, std::size_t size) {
  auto frame = start.build();
  if (frame.size() < size)
    frame = FrameBuilder(start).payload(std::vector<std::byte>(size - frame.size())).build();
  return frame;
}

/// A UDP frame of exactly `size` bytes on the wire (padded with payload).
inline std::vector<std::byte> udp_frame(std::string_view src, std::string_view dst,
                                        std::uint16_t sport, std::uint16_t dport,
                                        std::size_t size) {
  return padded(ip(src, dst).udp(sport, dport), size);
}

/// A TCP frame of exactly `size` bytes on the wire.
inline std::vector<std::byte> tcp_frame(std::string_view src, std::string_view dst,
                                        std::uint16_t sport, std::uint16_t dport,
                                        std::size_t size) {
  return padded(ip(src, dst).tcp(sport, dport), size);
}

/// An ARP request: a frame without an IP layer.
inline std::vector<std::byte> arp_frame() {
  return FrameBuilder()
      .ethernet(kMacClient, mac("ff:ff:ff:ff:ff:ff"))
      .arp(1, kMacClient, "10.0.0.1", mac("00:00:00:00:00:00"), "10.0.0.2")
      .build();
}

inline IpAddress addr(const std::string& text) {
  const auto a = parse_address(text);
  if (!a) throw std::invalid_argument("bad address " + text);
  return *a;
}

}  // namespace pcapframe::test
