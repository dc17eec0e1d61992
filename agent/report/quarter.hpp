#pragma once

// Calendar quarters as the quality lead counts them: in Swedish local time
// (Europe/Stockholm). The store keeps UTC, so a quarter's bounds are converted: a scan
// at 00:30 on 1 October in Sweden (22:30 UTC on 30 September) belongs to Q4.

#include "agent/error.hpp"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace dockscan::agent::reports {

struct Quarter {
    int year;
    int number; // 1..4

    auto operator<=>(const Quarter&) const = default;
};

// "2026Q4" (also "2026q4", "2026-Q4"); ErrorCode::usage otherwise.
[[nodiscard]] Expected<Quarter> parse_quarter(std::string_view text);

// "2026Q4": the form the command line takes and file names and the CSV use.
[[nodiscard]] std::string code(Quarter quarter);
// "2026 kvartal 4" and "2026 K4", for readers.
[[nodiscard]] std::string long_name(Quarter quarter);
[[nodiscard]] std::string short_name(Quarter quarter);

[[nodiscard]] Quarter previous(Quarter quarter);
[[nodiscard]] Quarter next(Quarter quarter);

// First and last local day: "2026-10-01", "2026-12-31".
[[nodiscard]] std::string first_day(Quarter quarter);
[[nodiscard]] std::string last_day(Quarter quarter);
// "1 oktober–31 december 2026".
[[nodiscard]] std::string period_text(Quarter quarter);

// The instant (UTC, store form "2026-09-30T22:00:00Z") at which the quarter starts in
// Sweden; the quarter ends where the next one starts.
[[nodiscard]] std::string start_utc(Quarter quarter);

// The quarter that the Swedish local date of `unix_seconds` falls in.
[[nodiscard]] Quarter quarter_of(std::int64_t unix_seconds);

} // namespace dockscan::agent::reports
