// SPDX-License-Identifier: MIT
// Timestamps as text: exact decimal seconds, and calendar time without a libc call per row.
#include <ctime>

#include "pcapframe/export.hpp"

namespace pcapframe {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
// Offsets change only at transitions, which every zone in use places on a quarter hour.
constexpr std::int64_t kOffsetSlotSeconds = 900;

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's civil_from_days (http://howardhinnant.github.io/date_algorithms.html).
CivilDate civil_from_days(std::int64_t days) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2), month, day};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void append_digits(std::string& out, std::uint64_t value, int width) {
  char buffer[24];
  int n = 0;
  do {
    buffer[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 || n < width);
  while (n > 0) out += buffer[--n];
}

void append_fraction(std::string& out, std::int64_t nanos, int digits) {
  if (digits <= 0) return;
  std::int64_t scaled = nanos;
  for (int i = digits; i < 9; ++i) scaled /= 10;  // truncate, as datetime does for microseconds
  out += '.';
  append_digits(out, static_cast<std::uint64_t>(scaled), digits);
}

}  // namespace

void append_seconds(std::string& out, std::int64_t ts_ns, int digits) {
  // Sign and magnitude (-0.5 s prints as "-0.500000"), unsigned so that INT64_MIN has one.
  const std::uint64_t magnitude =
      ts_ns < 0 ? 0 - static_cast<std::uint64_t>(ts_ns) : static_cast<std::uint64_t>(ts_ns);
  constexpr auto kNanos = static_cast<std::uint64_t>(kNanosPerSecond);
  if (ts_ns < 0) out += '-';
  append_digits(out, magnitude / kNanos, 1);
  append_fraction(out, static_cast<std::int64_t>(magnitude % kNanos), digits);
}

DatetimeFormatter::DatetimeFormatter(TimeZoneMode mode, int digits)
    : mode_(mode), digits_(digits) {}

std::int64_t DatetimeFormatter::utc_offset_s(std::int64_t utc_seconds) {
  if (mode_ == TimeZoneMode::Utc) return 0;
  const std::int64_t slot = floor_div(utc_seconds, kOffsetSlotSeconds);
  if (slot != cached_slot_) {
    const std::time_t t = static_cast<std::time_t>(utc_seconds);
    std::tm local{};
    cached_offset_s_ = ::localtime_r(&t, &local) != nullptr ? local.tm_gmtoff : 0;
    cached_slot_ = slot;
  }
  return cached_offset_s_;
}

void DatetimeFormatter::append(std::string& out, std::int64_t ts_ns) {
  const std::int64_t utc_seconds = floor_div(ts_ns, kNanosPerSecond);
  // From the remainder, not ts_ns - utc_seconds * 1e9, which overflows near INT64_MIN.
  const std::int64_t rest = ts_ns % kNanosPerSecond;
  const std::int64_t nanos = rest < 0 ? rest + kNanosPerSecond : rest;
  const std::int64_t local_seconds = utc_seconds + utc_offset_s(utc_seconds);
  const std::int64_t days = floor_div(local_seconds, kSecondsPerDay);
  const std::int64_t second_of_day = local_seconds - days * kSecondsPerDay;
  const CivilDate date = civil_from_days(days);

  append_digits(out, static_cast<std::uint64_t>(date.year), 4);
  out += '-';
  append_digits(out, date.month, 2);
  out += '-';
  append_digits(out, date.day, 2);
  out += ' ';
  append_digits(out, static_cast<std::uint64_t>(second_of_day / 3600), 2);
  out += ':';
  append_digits(out, static_cast<std::uint64_t>(second_of_day / 60 % 60), 2);
  out += ':';
  append_digits(out, static_cast<std::uint64_t>(second_of_day % 60), 2);
  append_fraction(out, nanos, digits_);
}

}  // namespace pcapframe
