#include "agent/report/period.hpp"

#include "base/time.hpp"

#include <chrono>
#include <cstdio>
#include <optional>

namespace dockscan::agent::reports {

namespace {

using namespace std::chrono;

// The instant local midnight starts the 1st of `month` in Sweden. Used for the 1st of
// January, April, July, September and October: none is near a change of offset (the
// last Sundays of March and October), so the offset at UTC midnight is the one at
// local midnight.
std::string local_month_start_utc(int y, unsigned m) {
    const sys_seconds utc_midnight = sys_days(year(y) / month(m) / 1);
    const std::int64_t unix = utc_midnight.time_since_epoch().count();
    return base::iso8601_utc(unix - base::swedish_utc_offset(unix));
}

std::string year_text(int y) {
    return std::to_string(y);
}

} // namespace

Period period_of(Quarter quarter) {
    return Period{PeriodKind::quarter, quarter.year, quarter.number};
}

Expected<Period> parse_period(std::string_view text) {
    const auto year_of = [](std::string_view digits) -> std::optional<int> {
        if (digits.size() != 4 || digits < "2000") {
            return std::nullopt;
        }
        for (const char c : digits) {
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
        }
        return std::stoi(std::string(digits));
    };
    if (const auto y = year_of(text)) {
        return Period{PeriodKind::year, *y, 1};
    }
    if (text.size() > 4) {
        std::string_view rest = text.substr(4);
        if (!rest.empty() && rest[0] == '-') {
            rest.remove_prefix(1);
        }
        if (const auto y = year_of(text.substr(0, 4));
            y && (rest == "delår" || rest == "delar" || rest == "Delår" || rest == "DELAR")) {
            return Period{PeriodKind::delar, *y, 1};
        }
    }
    if (const auto quarter = parse_quarter(text)) {
        return period_of(*quarter);
    }
    return fail(ErrorCode::usage, "a period is a quarter (2026Q4), a delår (2026-delår: "
                                  "January–August) or a year (2026), not '" +
                                      std::string(text) + "'");
}

std::string code(Period period) {
    switch (period.kind) {
    case PeriodKind::quarter:
        return code(Quarter{period.year, period.quarter});
    case PeriodKind::delar:
        return year_text(period.year) + "-delar";
    case PeriodKind::year:
        return year_text(period.year);
    }
    return year_text(period.year);
}

std::string long_name(Period period) {
    switch (period.kind) {
    case PeriodKind::quarter:
        return long_name(Quarter{period.year, period.quarter});
    case PeriodKind::delar:
        return "delår " + year_text(period.year);
    case PeriodKind::year:
        return "helår " + year_text(period.year);
    }
    return year_text(period.year);
}

std::string period_text(Period period) {
    switch (period.kind) {
    case PeriodKind::quarter:
        return period_text(Quarter{period.year, period.quarter});
    case PeriodKind::delar:
        return "1 januari–31 augusti " + year_text(period.year);
    case PeriodKind::year:
        return "1 januari–31 december " + year_text(period.year);
    }
    return year_text(period.year);
}

Period previous(Period period) {
    if (period.kind == PeriodKind::quarter) {
        return period_of(previous(Quarter{period.year, period.quarter}));
    }
    return Period{period.kind, period.year - 1, 1};
}

std::vector<PeriodPart> parts(Period period) {
    const auto whole = [](Quarter q) {
        return PeriodPart{q, short_name(q), start_utc(q), start_utc(next(q)), last_day(q)};
    };
    if (period.kind == PeriodKind::quarter) {
        return {whole(Quarter{period.year, period.quarter})};
    }
    std::vector<PeriodPart> list;
    for (int number = 1; number <= 4; ++number) {
        list.push_back(whole(Quarter{period.year, number}));
    }
    if (period.kind == PeriodKind::delar) {
        list.pop_back();
        PeriodPart& july_august = list.back();
        july_august.label += " (jul–aug)";
        july_august.to_utc = local_month_start_utc(period.year, 9);
        july_august.last_day = year_text(period.year) + "-08-31";
    }
    return list;
}

std::string first_day(Period period) {
    return first_day(parts(period).front().quarter);
}

std::string start_utc(Period period) {
    return parts(period).front().from_utc;
}

std::string end_utc(Period period) {
    return parts(period).back().to_utc;
}

} // namespace dockscan::agent::reports
