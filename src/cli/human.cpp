// SPDX-License-Identifier: MIT
#include "human.hpp"

#include <fmt/format.h>

#include <array>

namespace pcapframe::cli {

std::string with_thousands(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string si_units(double value, const std::string& unit) {
  static constexpr std::array<const char*, 5> kPrefixes{"", "k", "M", "G", "T"};
  std::size_t prefix = 0;
  while (value >= 1000 && prefix + 1 < kPrefixes.size()) {
    value /= 1000;
    ++prefix;
  }
  if (prefix == 0) return fmt::format("{:.0f} {}", value, unit);
  return fmt::format("{:.1f} {}{}", value, kPrefixes[prefix], unit);
}

}  // namespace pcapframe::cli
