#include "docking/message_label.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace dockscan::docking {
namespace {

constexpr std::string_view k_ellipsis = "\xe2\x80\xa6";

// The first `count` code points of valid UTF-8 `s`.
std::string_view prefix_code_points(std::string_view s, std::size_t count) {
    std::size_t i = 0;
    for (std::size_t seen = 0; i < s.size() && seen < count; ++seen) {
        ++i;
        while (i < s.size() && (static_cast<std::uint8_t>(s[i]) & 0xc0) == 0x80) {
            ++i;
        }
    }
    return s.substr(0, i);
}

} // namespace

std::string shorten_address(std::string_view address) {
    const auto separator = address.find_first_of("~,;");
    const bool several = separator != std::string_view::npos &&
                         address.find_first_not_of(" ~,;", separator) != std::string_view::npos;
    std::string compact;
    for (const char c : address.substr(0, separator)) {
        if (std::string_view(" -().").find(c) == std::string_view::npos) {
            compact += c;
        }
    }
    std::string shown;
    if (compact.empty()) {
        shown = "okänt nummer";
    } else if (compact.size() <= 5) {
        shown = compact;
    } else if (compact.starts_with("+46")) {
        shown = "+46 " + compact.substr(3, 2) + std::string(k_ellipsis);
    } else if (compact.starts_with("+")) {
        shown = compact.substr(0, 4) + std::string(k_ellipsis);
    } else {
        shown = std::string(prefix_code_points(compact, 3)) + std::string(k_ellipsis);
    }
    return several ? shown + " m.fl." : shown;
}

std::int64_t swedish_utc_offset(std::int64_t unix_seconds) {
    using namespace std::chrono;
    constexpr std::int64_t k_hour = 3600;
    const sys_seconds instant{seconds{unix_seconds}};
    const year_month_day date{floor<days>(instant)};
    const int y = static_cast<int>(date.year());
    // Sweden has kept summer time since 1980, by the EU's rule since 1996: from the last
    // Sunday of March to the last Sunday of October (until 1995 of September), both
    // switches at 01:00 UTC.
    if (y < 1980) {
        return k_hour;
    }
    const month end_month = y <= 1995 ? September : October;
    const sys_seconds summer_start = sys_days{year{y} / March / Sunday[last]} + hours{1};
    const sys_seconds summer_end = sys_days{year{y} / end_month / Sunday[last]} + hours{1};
    return instant >= summer_start && instant < summer_end ? 2 * k_hour : k_hour;
}

std::string label_time(std::int64_t unix_seconds) {
    using namespace std::chrono;
    const sys_seconds local{seconds{unix_seconds + swedish_utc_offset(unix_seconds)}};
    const sys_days day = floor<days>(local);
    const year_month_day date{day};
    const hh_mm_ss<seconds> clock{local - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long long>(clock.hours().count()),
                  static_cast<long long>(clock.minutes().count()));
    return buf;
}

} // namespace dockscan::docking
