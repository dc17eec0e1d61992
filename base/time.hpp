#pragma once

// Calendar dates and timestamps in the form the store and reports use.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// The Unix time of a timestamp in the store's form, "2026-11-20T14:02:00Z"; nothing for
// any other text.
[[nodiscard]] std::optional<std::int64_t> parse_iso8601_utc(std::string_view text);

// People read Swedish time (Europe/Stockholm), whatever the machine's zone; the store
// keeps UTC. These are the one implementation of Sweden's rules: computed, not read from
// the process's TZ or tzdata, because GCC 12's standard library has no time-zone database.

// Seconds to add to UTC for Swedish time at that instant: 3600 (CET) or 7200 (CEST).
[[nodiscard]] std::int64_t swedish_utc_offset(std::int64_t unix_seconds);

// The date in Sweden at that instant.
[[nodiscard]] Date swedish_date(std::int64_t unix_seconds);

// "2026-11-20 14:02": the date and time in Sweden at that instant, as people read it.
[[nodiscard]] std::string swedish_time_text(std::int64_t unix_seconds);

} // namespace dockscan::base
