// SPDX-License-Identifier: MIT
// Timestamps as text: exact decimal seconds, and calendar time in UTC or the local zone.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <random>
#include <string>

#include "pcapframe/export.hpp"

namespace pcapframe {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

std::string seconds(std::int64_t ts_ns, int digits) {
  std::string out = "x";
  append_seconds(out, ts_ns, digits);
  return out.substr(1);
}

TEST(AppendSeconds, ExactDigits) {
  EXPECT_EQ(seconds(1'598'018'810'956'640'000, 6), "1598018810.956640");
  EXPECT_EQ(seconds(1'598'018'810'956'640'000, 9), "1598018810.956640000");
  EXPECT_EQ(seconds(1'598'018'810'956'640'123, 6), "1598018810.956640");  // truncated
  EXPECT_EQ(seconds(1'598'018'810'956'640'999, 6), "1598018810.956640");  // never rounded up
  EXPECT_EQ(seconds(1'598'018'810'956'640'123, 9), "1598018810.956640123");
  EXPECT_EQ(seconds(1'598'018'810'956'640'123, 0), "1598018810");
  EXPECT_EQ(seconds(0, 6), "0.000000");
  EXPECT_EQ(seconds(0, 0), "0");
  EXPECT_EQ(seconds(999, 6), "0.000000");
  EXPECT_EQ(seconds(999, 9), "0.000000999");
  EXPECT_EQ(seconds(1, 9), "0.000000001");
  EXPECT_EQ(seconds(kSecond, 6), "1.000000");
  EXPECT_EQ(seconds(4'294'967'295'999'999'999, 9), "4294967295.999999999");
  EXPECT_EQ(seconds(INT64_MAX, 9), "9223372036.854775807");
}

TEST(AppendSeconds, Negative) {
  // time_normed is negative for frames earlier than the first one (out-of-order captures).
  EXPECT_EQ(seconds(-500'000'000, 6), "-0.500000");
  EXPECT_EQ(seconds(-kSecond, 6), "-1.000000");
  EXPECT_EQ(seconds(-1'500'000'000, 6), "-1.500000");
  EXPECT_EQ(seconds(-1'500'000'000, 9), "-1.500000000");
  EXPECT_EQ(seconds(-1, 9), "-0.000000001");
  EXPECT_EQ(seconds(-2 * kSecond - 1, 0), "-2");
  EXPECT_EQ(seconds(-1'598'018'810'956'640'123, 6), "-1598018810.956640");
  EXPECT_EQ(seconds(INT64_MIN, 9), "-9223372036.854775808");
  EXPECT_EQ(seconds(INT64_MIN, 6), "-9223372036.854775");
}

TEST(AppendSeconds, AgreesWithIntegerArithmetic) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<std::int64_t> any(-(std::int64_t{1} << 62), std::int64_t{1} << 62);
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t ts = any(rng);
    const std::uint64_t magnitude = ts < 0 ? 0 - static_cast<std::uint64_t>(ts) : static_cast<std::uint64_t>(ts);
    char expected[48];
    std::snprintf(expected, sizeof expected, "%s%llu.%09llu", ts < 0 ? "-" : "",
                  static_cast<unsigned long long>(magnitude / kSecond),
                  static_cast<unsigned long long>(magnitude % kSecond));
    ASSERT_EQ(seconds(ts, 9), expected);
    ASSERT_EQ(seconds(ts, 6), std::string(expected, std::strlen(expected) - 3));
  }
}

std::string utc(std::int64_t ts_ns, int digits = 6) {
  DatetimeFormatter f(TimeZoneMode::Utc, digits);
  std::string out;
  f.append(out, ts_ns);
  return out;
}

TEST(DatetimeUtc, KnownTimestamps) {
  EXPECT_EQ(utc(0), "1970-01-01 00:00:00.000000");
  EXPECT_EQ(utc(1'598'018'810'956'640'000), "2020-08-21 14:06:50.956640");
  EXPECT_EQ(utc(1'598'018'810'956'640'123, 9), "2020-08-21 14:06:50.956640123");
  EXPECT_EQ(utc(1'598'018'810'956'640'123, 0), "2020-08-21 14:06:50");
  EXPECT_EQ(utc(4'294'967'295 * kSecond), "2106-02-07 06:28:15.000000");
  EXPECT_EQ(utc(-1), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(utc(-1, 9), "1969-12-31 23:59:59.999999999");
  EXPECT_EQ(utc(-31'622'400 * kSecond), "1968-12-31 00:00:00.000000");
  EXPECT_EQ(utc(-2'208'988'800 * kSecond), "1900-01-01 00:00:00.000000");
  // The int64 nanosecond range (pandas' Timestamp.min/max, one step further).
  EXPECT_EQ(utc(INT64_MIN, 9), "1677-09-21 00:12:43.145224192");
  EXPECT_EQ(utc(INT64_MAX, 9), "2262-04-11 23:47:16.854775807");
}

TEST(DatetimeUtc, LeapYears) {
  EXPECT_EQ(utc(951'782'400 * kSecond), "2000-02-29 00:00:00.000000");     // divisible by 400
  EXPECT_EQ(utc(68'169'600 * kSecond), "1972-02-29 00:00:00.000000");
  EXPECT_EQ(utc(1'709'210'096 * kSecond + 789'000), "2024-02-29 12:34:56.000789");
  EXPECT_EQ(utc(4'107'542'399 * kSecond), "2100-02-28 23:59:59.000000");  // 2100: no Feb 29
  EXPECT_EQ(utc(4'107'542'400 * kSecond), "2100-03-01 00:00:00.000000");
  EXPECT_EQ(utc(1'709'251'199 * kSecond), "2024-02-29 23:59:59.000000");
  EXPECT_EQ(utc(1'709'251'200 * kSecond), "2024-03-01 00:00:00.000000");
}

TEST(DatetimeUtc, AgreesWithGmtime) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::int64_t> any(-(std::int64_t{1} << 33), std::int64_t{1} << 33);
  DatetimeFormatter f(TimeZoneMode::Utc, 0);
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t s = any(rng);
    const std::time_t t = static_cast<std::time_t>(s);
    std::tm tm{};
    ASSERT_NE(::gmtime_r(&t, &tm), nullptr);
    char expected[32];
    std::strftime(expected, sizeof expected, "%Y-%m-%d %H:%M:%S", &tm);
    std::string got;
    f.append(got, s * kSecond);
    ASSERT_EQ(got, expected) << s;
  }
  EXPECT_EQ(f.utc_offset_s(1'700'000'000), 0);
}

// Set TZ for one test and put the old value back.
class ScopedTz {
 public:
  explicit ScopedTz(const char* zone) {
    // Without tzdata glibc silently falls back to UTC; the tests below would then say little.
    available_ = std::filesystem::exists(std::string("/usr/share/zoneinfo/") + zone);
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;
  bool available() const { return available_; }
  ~ScopedTz() {
    if (old_) ::setenv("TZ", old_->c_str(), 1);
    else ::unsetenv("TZ");
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
  bool available_ = false;
};

std::string libc_local(std::int64_t s) {
  const std::time_t t = static_cast<std::time_t>(s);
  std::tm tm{};
  if (::localtime_r(&t, &tm) == nullptr) return "?";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

TEST(DatetimeLocal, NewYorkAcrossDaylightSavingTransitions) {
  ScopedTz tz("America/New_York");
  if (!tz.available()) GTEST_SKIP() << "tzdata is not installed";
  // 2024-03-10 07:00 UTC: 02:00 EST becomes 03:00 EDT. 2024-11-03 06:00 UTC: 02:00 EDT
  // becomes 01:00 EST (01:xx happens twice).
  DatetimeFormatter f(TimeZoneMode::Local, 6);
  EXPECT_EQ(f.utc_offset_s(1'710'053'999), -5 * 3600);
  EXPECT_EQ(f.utc_offset_s(1'710'054'000), -4 * 3600);
  EXPECT_EQ(f.utc_offset_s(1'730'613'599), -4 * 3600);
  EXPECT_EQ(f.utc_offset_s(1'730'613'600), -5 * 3600);

  std::string out;
  f.append(out, 1'710'053'999 * kSecond + 999'999'000);
  EXPECT_EQ(out, "2024-03-10 01:59:59.999999");
  out.clear();
  f.append(out, 1'710'054'000 * kSecond);
  EXPECT_EQ(out, "2024-03-10 03:00:00.000000");
  out.clear();
  f.append(out, 1'730'613'599 * kSecond);
  EXPECT_EQ(out, "2024-11-03 01:59:59.000000");
  out.clear();
  f.append(out, 1'730'613'600 * kSecond);
  EXPECT_EQ(out, "2024-11-03 01:00:00.000000");

  // Every 7 seconds for three hours around each transition, in order and then backwards
  // (so the per-quarter-hour cache is entered from both sides), against localtime_r.
  for (const std::int64_t transition : {std::int64_t{1'710'054'000}, std::int64_t{1'730'613'600}}) {
    DatetimeFormatter forward(TimeZoneMode::Local, 0), backward(TimeZoneMode::Local, 0);
    for (std::int64_t s = transition - 5400; s <= transition + 5400; s += 7) {
      std::string got;
      forward.append(got, s * kSecond);
      ASSERT_EQ(got, libc_local(s)) << s;
    }
    for (std::int64_t s = transition + 5400; s >= transition - 5400; s -= 7) {
      std::string got;
      backward.append(got, s * kSecond);
      ASSERT_EQ(got, libc_local(s)) << s;
    }
  }
}

TEST(DatetimeLocal, RandomTimesAgreeWithLocaltime) {
  ScopedTz tz("America/New_York");
  if (!tz.available()) GTEST_SKIP() << "tzdata is not installed";
  std::mt19937_64 rng(9);
  std::uniform_int_distribution<std::int64_t> any(0, std::int64_t{1} << 32);
  DatetimeFormatter f(TimeZoneMode::Local, 0);
  for (int i = 0; i < 5000; ++i) {
    const std::int64_t s = any(rng);
    std::string got;
    f.append(got, s * kSecond);
    ASSERT_EQ(got, libc_local(s)) << s;
  }
}

TEST(DatetimeLocal, UtcModeIgnoresTz) {
  ScopedTz tz("Asia/Kolkata");
  if (!tz.available()) GTEST_SKIP() << "tzdata is not installed";
  EXPECT_EQ(utc(0), "1970-01-01 00:00:00.000000");
  DatetimeFormatter local(TimeZoneMode::Local, 0);
  std::string out;
  local.append(out, 0);
  EXPECT_EQ(out, "1970-01-01 05:30:00");
}

}  // namespace
}  // namespace pcapframe
