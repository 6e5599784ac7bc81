// SPDX-License-Identifier: MIT
// Capture: a PacketTable read for Python, and the columns derived from it on first use
// (float seconds, local wall time, MAC dictionaries). Shared by numpy arrays and Arrow
// exports, which keep it alive through a shared_ptr.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe::python {

/// Return the double nearest to `ns` / 1e9 (ties to even): the value Python gives for
/// `ns / 10**9` and scapy's `float(pkt.time)`. A plain `ns / 1e9` rounds `ns` to a double
/// first and is off by an ulp for about a quarter of today's timestamps.
double seconds_from_ns(std::int64_t ns) noexcept;

/// Fill `out` (one element per row of `table`) with `time`: seconds since the epoch.
void fill_seconds(const PacketTable& table, std::span<double> out) noexcept;
/// Fill `out` with `time_normed`: seconds since the first frame (table.first_ts_ns).
void fill_seconds_normed(const PacketTable& table, std::span<double> out) noexcept;
/// Fill `out` with naive local wall time in nanoseconds (the TZ environment).
void fill_local_ns(const PacketTable& table, std::span<std::int64_t> out);

/// Return the names of the codes 0 to the largest in `codes`, a column of enum values
/// (Transport or Anomaly), by `name_of` (code 0, the enum's None, is named "").
template <class Enum>
std::vector<std::string> enum_names(const std::vector<std::uint8_t>& codes,
                                    std::string_view (*name_of)(Enum) noexcept) {
  unsigned max_code = 0;
  for (const std::uint8_t code : codes) max_code = std::max<unsigned>(max_code, code);
  std::vector<std::string> names;
  for (unsigned code = 0; code <= max_code; ++code)
    names.emplace_back(name_of(static_cast<Enum>(code)));
  return names;
}

/// The MAC columns dictionary-encoded with one dictionary for both (so that categorical
/// mac_src and mac_dst compare): per row an id (0 = no MAC), per id the text.
struct MacDictionary {
  std::vector<std::int32_t> src_ids;
  std::vector<std::int32_t> dst_ids;
  std::vector<std::string> text{std::string()};
};

/// A decoded capture and what the reader said about it.
class Capture {
 public:
  Capture(PacketTable table, CaptureInfo info, std::vector<Error> warnings)
      : table_(std::move(table)), info_(std::move(info)), warnings_(std::move(warnings)) {}

  const PacketTable& table() const noexcept { return table_; }
  PacketTable& table() noexcept { return table_; }
  const CaptureInfo& info() const noexcept { return info_; }
  const std::vector<Error>& warnings() const noexcept { return warnings_; }

  // Derived columns, computed once (thread-safe) and kept for the capture's lifetime.
  /// `time`: seconds since the epoch.
  const std::vector<double>& seconds();
  /// `time_normed`: seconds since the first frame, from the exact nanosecond difference.
  const std::vector<double>& seconds_normed();
  /// Naive local wall time in nanoseconds (the TZ environment, like datetime.fromtimestamp);
  /// the C library is asked once per quarter hour of capture time, not once per row.
  const std::vector<std::int64_t>& local_ns();
  /// The MAC columns as dictionaries.
  const MacDictionary& mac_dictionary();
  /// Per address id: the IPv4 address as an integer, or -1 (IPv6, or the null id 0).
  const std::vector<std::int64_t>& address_v4();
  /// Per row: the IPv4 integer of ip_src / ip_dst, or -1.
  const std::vector<std::int64_t>& ip_int(bool source);
  /// Per DNS name id: the name as display text (escaped like the CLI's output).
  const std::vector<std::string>& name_display();

 private:
  PacketTable table_;
  CaptureInfo info_;
  std::vector<Error> warnings_;

  std::mutex mutex_;
  std::optional<std::vector<double>> seconds_;
  std::optional<std::vector<double>> seconds_normed_;
  std::optional<std::vector<std::int64_t>> local_ns_;
  std::optional<MacDictionary> macs_;
  std::optional<std::vector<std::int64_t>> address_v4_;
  std::optional<std::vector<std::int64_t>> ip_src_int_;
  std::optional<std::vector<std::int64_t>> ip_dst_int_;
  std::optional<std::vector<std::string>> name_display_;
};

}  // namespace pcapframe::python
