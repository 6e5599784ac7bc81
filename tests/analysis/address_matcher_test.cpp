// SPDX-License-Identifier: MIT
// AddressMatcher, parse_address and is_private_address.
#include <gtest/gtest.h>

#include "analysis_feed.hpp"
#include "pcapframe/names.hpp"

namespace pcapframe::test {
namespace {

TEST(ParseAddress, Ipv4AndIpv6) {
  const auto v4 = parse_address("192.168.1.58");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->version, 4);
  EXPECT_EQ(v4->v4(), 0xC0A8013Au);
  const auto v6 = parse_address("fd77::2");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->version, 6);
  EXPECT_EQ(v6->bytes[0], 0xfd);
  EXPECT_EQ(v6->bytes[15], 2);
  for (const char* bad : {"", "1.2.3", "1.2.3.256", "example.com", "fd77::2/64", " 1.2.3.4"})
    EXPECT_FALSE(parse_address(bad).has_value()) << bad;
}

TEST(AddressMatcher, SingleAddresses) {
  AddressMatcher m;
  EXPECT_TRUE(m.empty());
  ASSERT_TRUE(m.add("192.168.1.58").has_value());
  ASSERT_TRUE(m.add("fd77::1").has_value());
  EXPECT_FALSE(m.empty());
  EXPECT_TRUE(m.matches(addr("192.168.1.58")));
  EXPECT_FALSE(m.matches(addr("192.168.1.59")));
  EXPECT_TRUE(m.matches(addr("fd77::1")));
  EXPECT_FALSE(m.matches(addr("fd77::2")));
  EXPECT_FALSE(m.matches(IpAddress{}));
  EXPECT_EQ(m.texts(), (std::vector<std::string>{"192.168.1.58", "fd77::1"}));
}

TEST(AddressMatcher, PrefixesOnAndOffByteBoundaries) {
  AddressMatcher m;
  ASSERT_TRUE(m.add("10.0.0.0/8").has_value());
  ASSERT_TRUE(m.add("192.168.1.128/25").has_value());
  ASSERT_TRUE(m.add("fd77::/64").has_value());
  EXPECT_TRUE(m.matches(addr("10.255.1.2")));
  EXPECT_FALSE(m.matches(addr("11.0.0.1")));
  EXPECT_TRUE(m.matches(addr("192.168.1.128")));
  EXPECT_TRUE(m.matches(addr("192.168.1.255")));
  EXPECT_FALSE(m.matches(addr("192.168.1.127")));
  EXPECT_TRUE(m.matches(addr("fd77::abcd")));
  EXPECT_FALSE(m.matches(addr("fd77:0:0:1::1")));
  // An IPv4 prefix never matches IPv6 and the other way round.
  EXPECT_FALSE(m.matches(addr("::a00:1")));
}

TEST(AddressMatcher, ZeroLengthPrefixMatchesItsFamily) {
  AddressMatcher m;
  ASSERT_TRUE(m.add("0.0.0.0/0").has_value());
  EXPECT_TRUE(m.matches(addr("203.0.113.5")));
  EXPECT_FALSE(m.matches(addr("2001:db8::1")));
}

TEST(AddressMatcher, BadInputIsAnInvalidArgument) {
  AddressMatcher m;
  for (const char* bad : {"10.0.0.0/33", "fd77::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/8/8",
                          "host.lan", "", "/8"}) {
    const auto added = m.add(bad);
    ASSERT_FALSE(added.has_value()) << bad;
    EXPECT_EQ(added.error().code, ErrorCode::InvalidArgument) << bad;
  }
  EXPECT_TRUE(m.empty());
}

TEST(PrivateAddress, Ranges) {
  for (const char* yes : {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.1.1",
                          "127.0.0.1", "fd77::1", "fc00::1", "fe80::1", "febf::1", "::1"})
    EXPECT_TRUE(is_private_address(addr(yes))) << yes;
  for (const char* no : {"172.15.0.1", "172.32.0.1", "192.169.0.1", "8.8.8.8", "100.64.0.1",
                         "2001:db8::1", "fec0::1", "ff02::1", "::", "::2"})
    EXPECT_FALSE(is_private_address(addr(no))) << no;
  EXPECT_FALSE(is_private_address(IpAddress{}));
}

}  // namespace
}  // namespace pcapframe::test
