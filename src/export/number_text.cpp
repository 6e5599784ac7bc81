// SPDX-License-Identifier: MIT
// Numbers as text, shared by the CLI's outputs and the Python analyses.
#include <charconv>
#include <cstdio>
#include <system_error>

#include "pcapframe/export.hpp"

namespace pcapframe {

std::string shortest_text(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec == std::errc()) return std::string(buffer, end);
  std::snprintf(buffer, sizeof buffer, "%.17g", value);  // not reached: 64 chars always suffice
  return buffer;
}

}  // namespace pcapframe
