#include "base/time.hpp"

#include <cstdio>
#include <ctime>

namespace dockscan::base {

Date today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

bool is_real_date(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1) {
        return false;
    }
    static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int last = (month == 2 && leap) ? 29 : k_days[month - 1];
    return day <= last;
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string iso8601_utc(std::int64_t unix_seconds) {
    const auto t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<std::int64_t> parse_iso8601_utc(std::string_view text) {
    // Exactly "YYYY-MM-DDTHH:MM:SSZ": digits where digits go, so that no sign, space or
    // short field slips through as it would with sscanf.
    constexpr std::string_view k_shape = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != k_shape.size()) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (k_shape[i] == 'd' ? !digit : text[i] != k_shape[i]) {
            return std::nullopt;
        }
    }
    const auto number = [&](std::size_t at, std::size_t length) {
        int value = 0;
        for (std::size_t i = at; i < at + length; ++i) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const int y = number(0, 4);
    const int mo = number(5, 2);
    const int d = number(8, 2);
    const int h = number(11, 2);
    const int mi = number(14, 2);
    const int s = number(17, 2);
    if (!is_real_date(y, mo, d) || h > 23 || mi > 59 || s > 59) {
        return std::nullopt;
    }
    using namespace std::chrono;
    const sys_days date{year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)}};
    return date.time_since_epoch().count() * std::int64_t{86400} + h * 3600 + mi * 60 + s;
}

std::int64_t swedish_utc_offset(std::int64_t unix_seconds) {
    using namespace std::chrono;
    constexpr std::int64_t k_hour = 3600;
    const sys_seconds instant{seconds{unix_seconds}};
    const int y = static_cast<int>(year_month_day{floor<days>(instant)}.year());
    // Sweden has kept summer time since 1980 (before that only in 1916, which no phone
    // dates from), both switches at 01:00 UTC. 1980: from the first Sunday of April;
    // since 1981 from the last Sunday of March. Until 1995 it ended on the last Sunday
    // of September, since 1996 (the EU's rule) on the last Sunday of October.
    if (y < 1980) {
        return k_hour;
    }
    const sys_days start_day = y == 1980 ? sys_days{year{y} / April / Sunday[1]}
                                         : sys_days{year{y} / March / Sunday[last]};
    const month end_month = y <= 1995 ? September : October;
    const sys_seconds summer_start = start_day + hours{1};
    const sys_seconds summer_end = sys_days{year{y} / end_month / Sunday[last]} + hours{1};
    return instant >= summer_start && instant < summer_end ? 2 * k_hour : k_hour;
}

Date swedish_date(std::int64_t unix_seconds) {
    using namespace std::chrono;
    const sys_seconds local{seconds{unix_seconds + swedish_utc_offset(unix_seconds)}};
    const year_month_day date{floor<days>(local)};
    return Date{static_cast<int>(date.year()),
                static_cast<int>(static_cast<unsigned>(date.month())),
                static_cast<int>(static_cast<unsigned>(date.day()))};
}

std::string swedish_time_text(std::int64_t unix_seconds) {
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

} // namespace dockscan::base
