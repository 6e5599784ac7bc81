// SPDX-License-Identifier: MIT
// Numbers for people, as `pcapframe info` prints them.
#include "cli/human.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace pcapframe::cli {
namespace {

TEST(WithThousands, GroupsOfThree) {
  EXPECT_EQ(with_thousands(0), "0");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_thousands(1000), "1,000");
  EXPECT_EQ(with_thousands(2795), "2,795");
  EXPECT_EQ(with_thousands(100000), "100,000");
  EXPECT_EQ(with_thousands(1234567), "1,234,567");
  EXPECT_EQ(with_thousands(UINT64_MAX), "18,446,744,073,709,551,615");
}

TEST(SiUnits, PowersOfAThousand) {
  EXPECT_EQ(si_units(0, "B"), "0 B");
  EXPECT_EQ(si_units(999, "B"), "999 B");
  EXPECT_EQ(si_units(1000, "B"), "1.0 kB");
  EXPECT_EQ(si_units(2109158, "B"), "2.1 MB");
  EXPECT_EQ(si_units(1460000, "bit/s"), "1.5 Mbit/s");
  EXPECT_EQ(si_units(183700.4, "B/s"), "183.7 kB/s");
  EXPECT_EQ(si_units(3e12, "B"), "3.0 TB");
  EXPECT_EQ(si_units(5e15, "B"), "5000.0 TB");  // no prefix above tera
}

}  // namespace
}  // namespace pcapframe::cli
