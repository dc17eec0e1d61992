#include "agent/report/quarter.hpp"

#include "base/time.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace dockscan::agent::reports {

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> k_months = {
    "januari", "februari", "mars",      "april",   "maj",      "juni",
    "juli",    "augusti",  "september", "oktober", "november", "december"};

std::int64_t unix_of(sys_seconds t) {
    return t.time_since_epoch().count();
}

// Sweden's offset from UTC at `t` (base::swedish_utc_offset: the one place that knows
// the rules).
seconds stockholm_offset(sys_seconds t) {
    return seconds{base::swedish_utc_offset(unix_of(t))};
}

year_month_day first_date(Quarter quarter) {
    return year(quarter.year) / month(static_cast<unsigned>(quarter.number * 3 - 2)) / 1;
}

std::string iso_date(year_month_day date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buf;
}

year_month_day last_date(Quarter quarter) {
    const year_month_day first = first_date(quarter);
    return year_month_day_last(first.year(), month_day_last(first.month() + months(2)));
}

} // namespace

Expected<Quarter> parse_quarter(std::string_view text) {
    std::string digits;
    int number = 0;
    bool ok = text.size() >= 6 && text.size() <= 7;
    if (ok) {
        digits = std::string(text.substr(0, 4));
        std::string_view rest = text.substr(4);
        if (rest.size() == 3 && rest[0] == '-') {
            rest.remove_prefix(1);
        }
        ok = rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' &&
             rest[1] <= '4';
        number = ok ? rest[1] - '0' : 0;
    }
    for (const char c : digits) {
        ok = ok && c >= '0' && c <= '9';
    }
    if (!ok || digits < "2000") {
        return fail(ErrorCode::usage,
                    "a quarter is written like 2026Q4, not '" + std::string(text) + "'");
    }
    return Quarter{std::stoi(digits), number};
}

std::string code(Quarter quarter) {
    return std::to_string(quarter.year) + "Q" + std::to_string(quarter.number);
}

std::string long_name(Quarter quarter) {
    return std::to_string(quarter.year) + " kvartal " + std::to_string(quarter.number);
}

std::string short_name(Quarter quarter) {
    return std::to_string(quarter.year) + " K" + std::to_string(quarter.number);
}

Quarter previous(Quarter quarter) {
    return quarter.number == 1 ? Quarter{quarter.year - 1, 4}
                               : Quarter{quarter.year, quarter.number - 1};
}

Quarter next(Quarter quarter) {
    return quarter.number == 4 ? Quarter{quarter.year + 1, 1}
                               : Quarter{quarter.year, quarter.number + 1};
}

std::string first_day(Quarter quarter) {
    return iso_date(first_date(quarter));
}

std::string last_day(Quarter quarter) {
    return iso_date(last_date(quarter));
}

std::string period_text(Quarter quarter) {
    const year_month_day first = first_date(quarter);
    const year_month_day last = last_date(quarter);
    return "1 " + std::string(k_months[static_cast<unsigned>(first.month()) - 1]) + "–" +
           std::to_string(static_cast<unsigned>(last.day())) + " " +
           std::string(k_months[static_cast<unsigned>(last.month()) - 1]) + " " +
           std::to_string(quarter.year);
}

std::string start_utc(Quarter quarter) {
    // Local midnight on the 1st of January, April, July or October is never near a
    // change of offset (those are on the last Sundays of March and October), so the
    // offset at UTC midnight of that day is the offset at local midnight.
    const sys_seconds utc_midnight = sys_days(first_date(quarter));
    return base::iso8601_utc(unix_of(utc_midnight - stockholm_offset(utc_midnight)));
}

Quarter quarter_of(std::int64_t unix_seconds) {
    const base::Date local = base::swedish_date(unix_seconds);
    return Quarter{local.year, (local.month - 1) / 3 + 1};
}

} // namespace dockscan::agent::reports
