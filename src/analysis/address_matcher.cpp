// SPDX-License-Identifier: MIT
// Addresses and prefixes given by the user, and which addresses count as private.
#include <arpa/inet.h>

#include <array>
#include <cstdlib>

#include "pcapframe/names.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

std::optional<IpAddress> parse_address(const std::string& text) noexcept {
  IpAddress address;
  if (::inet_pton(AF_INET, text.c_str(), address.bytes.data()) == 1) {
    address.version = 4;
    return address;
  }
  if (::inet_pton(AF_INET6, text.c_str(), address.bytes.data()) == 1) {
    address.version = 6;
    return address;
  }
  return std::nullopt;
}

Result<void> AddressMatcher::add(const std::string& text) {
  const std::size_t slash = text.find('/');
  const auto address = parse_address(text.substr(0, slash));
  const unsigned max_bits = address && address->version == 4 ? 32 : 128;
  unsigned bits = max_bits;
  if (address && slash != std::string::npos) {
    char* end = nullptr;
    const unsigned long parsed = std::strtoul(text.c_str() + slash + 1, &end, 10);
    if (end == text.c_str() + slash + 1 || *end != '\0' || parsed > max_bits) {
      return unexpected({ErrorCode::InvalidArgument, 0, 0, "bad prefix length in '" + text + "'"});
    }
    bits = static_cast<unsigned>(parsed);
  }
  if (!address) {
    return unexpected({ErrorCode::InvalidArgument, 0, 0,
                       "'" + text + "' is not an IPv4/IPv6 address or prefix"});
  }
  prefixes_.push_back({*address, bits});
  texts_.push_back(text);
  return {};
}

void AddressMatcher::add(const IpAddress& address) {
  prefixes_.push_back({address, address.version == 4 ? 32u : 128u});
  texts_.push_back(to_text(address));
}

bool AddressMatcher::matches(const IpAddress& address) const noexcept {
  for (const Prefix& p : prefixes_) {
    if (p.address.version != address.version) continue;
    unsigned bits = p.bits;
    bool equal = true;
    for (std::size_t i = 0; bits > 0 && equal; ++i) {
      const unsigned take = bits >= 8 ? 8 : bits;
      const auto mask = static_cast<std::uint8_t>(0xff00u >> take);
      equal = (p.address.bytes[i] & mask) == (address.bytes[i] & mask);
      bits -= take;
    }
    if (equal) return true;
  }
  return false;
}

bool is_private_address(const IpAddress& a) noexcept {
  const auto& b = a.bytes;
  if (a.version == 4) {
    return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
           (b[0] == 169 && b[1] == 254) || b[0] == 127;  // RFC 1918, 3927, loopback
  }
  if (a.version == 6) {
    constexpr std::array<std::uint8_t, 16> kLoopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                     0, 0, 0, 0, 0, 0, 0, 1};
    return (b[0] & 0xfe) == 0xfc ||                  // RFC 4193 unique local
           (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||  // link-local
           b == kLoopback;                             // ::1
  }
  return false;
}

}  // namespace pcapframe
