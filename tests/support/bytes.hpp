// SPDX-License-Identifier: MIT
// Text or a list of byte values as std::byte, for frames and raw inputs (shared by the frame
// builder and the capture writers, so that a test can include any of them together).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace pcapframe::test {

inline std::vector<std::byte> to_bytes(std::string_view text) {
  std::vector<std::byte> out(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = static_cast<std::byte>(text[i]);
  return out;
}
inline std::vector<std::byte> to_bytes(std::initializer_list<unsigned> values) {
  std::vector<std::byte> out;
  out.reserve(values.size());
  for (const unsigned v : values) out.push_back(static_cast<std::byte>(v & 0xffu));
  return out;
}

}  // namespace pcapframe::test
