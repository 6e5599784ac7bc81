// SPDX-License-Identifier: MIT
// Addresses as text: dotted quads, RFC 5952 IPv6, lower-case MACs.
#include <arpa/inet.h>

#include <gtest/gtest.h>

#include <string>

#include "pcapframe/table.hpp"

namespace pcapframe {
namespace {

IpAddress v6(std::initializer_list<std::uint16_t> groups) {
  IpAddress a;
  a.version = 6;
  std::size_t i = 0;
  for (const std::uint16_t g : groups) {
    a.bytes[i++] = static_cast<std::uint8_t>(g >> 8);
    a.bytes[i++] = static_cast<std::uint8_t>(g & 0xff);
  }
  return a;
}

IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress x;
  x.version = 4;
  x.bytes[0] = a;
  x.bytes[1] = b;
  x.bytes[2] = c;
  x.bytes[3] = d;
  return x;
}

TEST(ToText, Ipv4) {
  EXPECT_EQ(to_text(v4(10, 77, 0, 1)), "10.77.0.1");
  EXPECT_EQ(to_text(v4(0, 0, 0, 0)), "0.0.0.0");
  EXPECT_EQ(to_text(v4(255, 255, 255, 255)), "255.255.255.255");
  EXPECT_EQ(to_text(v4(192, 0, 2, 10)), "192.0.2.10");
}

TEST(ToText, AbsentIsEmpty) { EXPECT_EQ(to_text(IpAddress{}), ""); }

TEST(ToText, Ipv6Rfc5952) {
  struct Case {
    IpAddress address;
    const char* text;
  };
  const Case cases[] = {
      {v6({0, 0, 0, 0, 0, 0, 0, 1}), "::1"},
      {v6({0, 0, 0, 0, 0, 0, 0, 0}), "::"},
      {v6({0xfd77, 0, 0, 0, 0, 0, 0, 1}), "fd77::1"},
      {v6({0xfe80, 0, 0, 0, 0x50, 0x46ff, 0xfe00, 0x01}), "fe80::50:46ff:fe00:1"},
      // §4.2.3: the first of two equally long zero runs is compressed.
      {v6({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}), "2001:db8::1:0:0:1"},
      // §4.2.3: the longest run wins even when it comes second.
      {v6({0x2001, 0, 0, 1, 0, 0, 0, 1}), "2001:0:0:1::1"},
      // §4.2.2: a single zero group is never shortened to "::".
      {v6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}), "2001:db8:0:1:1:1:1:1"},
      // §4.1 leading zeros dropped; §4.3 lower case.
      {v6({0x2001, 0x0db8, 0x00aa, 0x0bcd, 0xef00, 0x000f, 0xabcd, 0xfedc}),
       "2001:db8:aa:bcd:ef00:f:abcd:fedc"},
      {v6({0xff02, 0, 0, 0, 0, 1, 0xff00, 2}), "ff02::1:ff00:2"},
      {v6({1, 0, 0, 0, 0, 0, 0, 0}), "1::"},
      // §5: IPv4-mapped addresses end in a dotted quad.
      {v6({0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}), "::ffff:1.2.3.4"},
  };
  for (const Case& c : cases) EXPECT_EQ(to_text(c.address), c.text);
}

TEST(ToText, Ipv4IgnoresTheUnusedBytes) {
  IpAddress a = v4(1, 2, 3, 4);
  a.bytes[15] = 0xff;  // only the first four bytes are the address
  EXPECT_EQ(to_text(a), "1.2.3.4");
}

TEST(MacToText, LowerCaseColonSeparated) {
  EXPECT_EQ(mac_to_text(0x025046000001), "02:50:46:00:00:01");
  EXPECT_EQ(mac_to_text(0), "00:00:00:00:00:00");
  EXPECT_EQ(mac_to_text(0xffffffffffff), "ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(mac_to_text(0x0180c2000000), "01:80:c2:00:00:00");
  EXPECT_EQ(mac_to_text(0xABCDEF012345), "ab:cd:ef:01:23:45");
}

}  // namespace
}  // namespace pcapframe
