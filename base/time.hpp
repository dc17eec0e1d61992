#pragma once

// Calendar dates and timestamps in the form the store and reports use.

#include <chrono>
#include <cstdint>
#include <string>

namespace dockscan::base {

struct Date {
    int year;
    int month; // 1..12
    int day;   // 1..31

    auto operator<=>(const Date&) const = default;
};

// Today's date in UTC.
[[nodiscard]] Date today_utc();

// True when year-month-day is a real calendar date (leap years included).
[[nodiscard]] bool is_real_date(int year, int month, int day);

// Seconds since the Unix epoch, now.
[[nodiscard]] std::int64_t unix_now();

// "2026-11-20T14:02:00Z" for a Unix time.
[[nodiscard]] std::string iso8601_utc(std::int64_t unix_seconds);

} // namespace dockscan::base
