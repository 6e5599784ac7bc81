// SPDX-License-Identifier: MIT
// Numbers as text, shared by the CLI's outputs and the Python analyses.
#include <charconv>

#include "pcapframe/export.hpp"

namespace pcapframe {

std::string shortest_text(double value) {
  char buffer[32];  // the longest shortest form of a double ("-2.2250738585072014e-308") is 24
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace pcapframe
