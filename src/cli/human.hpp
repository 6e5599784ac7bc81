// SPDX-License-Identifier: MIT
// Numbers for people: thousands separators and SI units.
#pragma once

#include <cstdint>
#include <string>

namespace pcapframe::cli {

/// 1234567 -> "1,234,567".
std::string with_thousands(std::uint64_t value);
/// 2109158 with unit "B" -> "2.1 MB"; 1460000 with "bit/s" -> "1.5 Mbit/s" (SI, powers of 1000).
std::string si_units(double value, const std::string& unit);

}  // namespace pcapframe::cli
