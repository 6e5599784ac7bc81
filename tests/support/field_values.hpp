// SPDX-License-Identifier: MIT
// Field values for tests that feed PacketFields by hand: addresses from text, DNS names.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string_view>

#include "pcapframe/decode.hpp"

namespace pcapframe::test {

/// An IPv4 or IPv6 address from its text; a failure (not a throw) for anything else.
inline IpAddress ip(const char* text) {
  IpAddress a;
  if (::inet_pton(AF_INET, text, a.bytes.data()) == 1) {
    a.version = 4;
  } else if (::inet_pton(AF_INET6, text, a.bytes.data()) == 1) {
    a.version = 6;
  } else {
    ADD_FAILURE() << "bad address " << text;
  }
  return a;
}

/// A decoded DNS name holding `text` (at most 255 bytes, as the decoder guarantees).
inline DnsName dns_name(std::string_view text) {
  DnsName n;
  std::memcpy(n.text.data(), text.data(), text.size());
  n.length = static_cast<std::uint8_t>(text.size());
  return n;
}

}  // namespace pcapframe::test
