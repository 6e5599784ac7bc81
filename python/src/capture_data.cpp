// SPDX-License-Identifier: MIT
// Capture's derived columns: exact float seconds, local time, MAC dictionaries.
#include "capture_data.hpp"

#include <absl/container/flat_hash_map.h>

#include <bit>
#include <cmath>
#include <limits>

#include "pcapframe/export.hpp"

namespace pcapframe::python {

namespace {
inline constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr std::uint64_t kMantissaBits = 52;
inline constexpr std::uint64_t kMantissaMask = (std::uint64_t{1} << kMantissaBits) - 1;
inline constexpr int kExponentBias = 1075;  // 1023 + 52: d = m * 2^(biased - 1075)

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
}  // namespace

double seconds_from_ns(std::int64_t ns) noexcept {
  if (ns == 0) return 0.0;
  const bool negative = ns < 0;
  const std::uint64_t magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  const auto whole = static_cast<double>(magnitude / kNanosPerSecond);
  const auto part = static_cast<double>(magnitude % kNanosPerSecond);
  double d = whole + part / 1e9;  // two roundings: right nearly always, checked below

  // d = m * 2^-k exactly. d is the nearest double to x = magnitude / 1e9 when
  // |x - d| <= half the gap to each neighbour, i.e. |magnitude * 2^k - m * 1e9| <= 5e8
  // (2.5e8 below a power of two, where the gap below is half as wide). Everything fits in
  // 128 bits: magnitude * 2^k is about m * 1e9 < 2^83.
  for (int step = 0; step < 4; ++step) {
    const auto bits = std::bit_cast<std::uint64_t>(d);
    const auto biased = static_cast<int>(bits >> kMantissaBits);
    if (biased == 0) break;  // subnormal: cannot come from an int64 of nanoseconds
    const std::uint64_t m = (bits & kMantissaMask) | (std::uint64_t{1} << kMantissaBits);
    const int k = kExponentBias - biased;
    if (k < 0 || k > 100) break;  // |x| >= 2^53 or absurdly small: cannot happen here
    const __int128 diff = (static_cast<__int128>(magnitude) << k) -
                          static_cast<__int128>(m) * static_cast<__int128>(kNanosPerSecond);
    const __int128 above = kNanosPerSecond / 2;
    const __int128 below = m == (std::uint64_t{1} << kMantissaBits) ? above / 2 : above;
    const bool odd = (m & 1) != 0;
    if (diff > above || (diff == above && odd)) {
      d = std::nextafter(d, std::numeric_limits<double>::infinity());
    } else if (-diff > below || (-diff == below && odd)) {
      d = std::nextafter(d, 0.0);
    } else {
      break;
    }
  }
  return negative ? -d : d;
}

void fill_seconds(const PacketTable& table, std::span<double> out) noexcept {
  for (std::size_t row = 0; row < out.size(); ++row) out[row] = seconds_from_ns(table.ts_ns[row]);
}

void fill_seconds_normed(const PacketTable& table, std::span<double> out) noexcept {
  const std::int64_t origin = table.first_ts_ns;
  for (std::size_t row = 0; row < out.size(); ++row) {
    std::int64_t diff = 0;
    // A hostile pcapng can put timestamps at both ends of the int64 range.
    out[row] = __builtin_sub_overflow(table.ts_ns[row], origin, &diff)
                   ? static_cast<double>(static_cast<__int128>(table.ts_ns[row]) - origin) / 1e9
                   : seconds_from_ns(diff);
  }
}

void fill_local_ns(const PacketTable& table, std::span<std::int64_t> out) {
  DatetimeFormatter local(TimeZoneMode::Local);
  for (std::size_t row = 0; row < out.size(); ++row) {
    const std::int64_t ts = table.ts_ns[row];
    const std::int64_t offset_ns = local.utc_offset_s(floor_div(ts, kNanosPerSecond)) * kNanosPerSecond;
    if (__builtin_add_overflow(ts, offset_ns, &out[row]))  // saturate at the ends of time
      out[row] = offset_ns > 0 ? std::numeric_limits<std::int64_t>::max()
                               : std::numeric_limits<std::int64_t>::min();
  }
}

namespace {
// `cache`, filled on first use (under `mutex`) by `fill` with one value per timestamp.
template <class T, class Fill>
const std::vector<T>& filled_once(std::mutex& mutex, std::optional<std::vector<T>>& cache,
                                  const PacketTable& table, Fill fill) {
  const std::lock_guard lock(mutex);
  if (!cache) {
    std::vector<T> out(table.ts_ns.size());
    fill(table, out);
    cache = std::move(out);
  }
  return *cache;
}
}  // namespace

const std::vector<double>& Capture::seconds() {
  return filled_once(mutex_, seconds_, table_, fill_seconds);
}

const std::vector<double>& Capture::seconds_normed() {
  return filled_once(mutex_, seconds_normed_, table_, fill_seconds_normed);
}

const std::vector<std::int64_t>& Capture::local_ns() {
  return filled_once(mutex_, local_ns_, table_, fill_local_ns);
}

const MacDictionary& Capture::mac_dictionary() {
  const std::lock_guard lock(mutex_);
  if (!macs_) {
    MacDictionary dict;
    absl::flat_hash_map<std::int64_t, std::int32_t> ids;
    const auto encode = [&](const std::vector<std::int64_t>& macs, std::vector<std::int32_t>& out) {
      out.resize(macs.size());
      std::int64_t last_mac = kMissing;  // runs of one MAC are common: skip the hash then
      std::int32_t last_id = 0;
      for (std::size_t row = 0; row < macs.size(); ++row) {
        const std::int64_t mac = macs[row];
        if (mac != last_mac) {
          last_mac = mac;
          if (mac < 0) {
            last_id = 0;
          } else {
            const auto [it, inserted] =
                ids.try_emplace(mac, static_cast<std::int32_t>(dict.text.size()));
            if (inserted) dict.text.push_back(mac_to_text(static_cast<std::uint64_t>(mac)));
            last_id = it->second;
          }
        }
        out[row] = last_id;
      }
    };
    encode(table_.mac_src, dict.src_ids);
    encode(table_.mac_dst, dict.dst_ids);
    macs_ = std::move(dict);
  }
  return *macs_;
}

const std::vector<std::int64_t>& Capture::address_v4() {
  const std::lock_guard lock(mutex_);
  if (!address_v4_) {
    const std::vector<IpAddress>& addresses = table_.addresses.addresses;
    std::vector<std::int64_t> out(addresses.size(), -1);
    for (std::size_t id = 1; id < addresses.size(); ++id)
      if (addresses[id].version == 4) out[id] = addresses[id].v4();
    address_v4_ = std::move(out);
  }
  return *address_v4_;
}

const std::vector<std::int64_t>& Capture::ip_int(bool source) {
  const std::vector<std::int64_t>& per_id = address_v4();
  const std::lock_guard lock(mutex_);
  std::optional<std::vector<std::int64_t>>& cached = source ? ip_src_int_ : ip_dst_int_;
  if (!cached) {
    const std::vector<std::uint32_t>& ids = source ? table_.ip_src : table_.ip_dst;
    std::vector<std::int64_t> out(ids.size());
    for (std::size_t row = 0; row < ids.size(); ++row) out[row] = per_id[ids[row]];
    cached = std::move(out);
  }
  return *cached;
}

const std::vector<std::string>& Capture::name_display() {
  const std::lock_guard lock(mutex_);
  if (!name_display_) {
    std::vector<std::string> out;
    out.reserve(table_.names.values.size());
    for (const std::string& name : table_.names.values) out.push_back(to_display_text(name));
    name_display_ = std::move(out);
  }
  return *name_display_;
}

}  // namespace pcapframe::python
