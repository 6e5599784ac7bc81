// SPDX-License-Identifier: MIT
// Addresses as text, formatted once per distinct value.
#include <arpa/inet.h>

#include <array>

#include "pcapframe/table.hpp"

namespace pcapframe {

std::string to_text(const IpAddress& address) {
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  const int family = address.version == 4 ? AF_INET : AF_INET6;
  if (address.version == 0) return {};
  // glibc's inet_ntop writes RFC 5952 text for IPv6: lower case, longest zero run compressed.
  if (::inet_ntop(family, address.bytes.data(), buffer.data(), buffer.size()) == nullptr) return {};
  return buffer.data();
}

std::string mac_to_text(std::uint64_t mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(17, ':');
  for (int byte_index = 0; byte_index < 6; ++byte_index) {
    const auto value = static_cast<unsigned>(mac >> (8 * (5 - byte_index))) & 0xffu;
    out[static_cast<std::size_t>(byte_index * 3)] = kHex[value >> 4];
    out[static_cast<std::size_t>(byte_index * 3 + 1)] = kHex[value & 0xf];
  }
  return out;
}

}  // namespace pcapframe
