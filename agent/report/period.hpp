#pragma once

// The periods a report covers: a quarter, the delår and the helår, as the
// internal-control plan reports them. The delår is January to August: the delårsrapport
// most Swedish municipalities and regions make (LKBR 13 kap. allows six to eight
// months; the eight-month report, per 31 August, is the common one, and the nämnd's
// internal-control follow-up goes with it). A period is made of parts, one per quarter
// or share of one (the delår's third part is July and August), counted one by one.

#include "agent/error.hpp"
#include "agent/report/quarter.hpp"

#include <compare>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::reports {

enum class PeriodKind { quarter, delar, year };

struct Period {
    PeriodKind kind = PeriodKind::quarter;
    int year = 2000;
    int quarter = 1; // 1..4, for PeriodKind::quarter only

    auto operator<=>(const Period&) const = default;
};

[[nodiscard]] Period period_of(Quarter quarter);

// "2026Q4", "2026-delår" (also "2026-delar", "2026delår"), "2026"; ErrorCode::usage
// otherwise.
[[nodiscard]] Expected<Period> parse_period(std::string_view text);

// "2026Q4", "2026-delar", "2026": ASCII, for file names, the CSV and stored comments.
[[nodiscard]] std::string code(Period period);
// "2026 kvartal 4", "Delår 2026", "Helår 2026".
[[nodiscard]] std::string long_name(Period period);
// "1 oktober–31 december 2026", "1 januari–31 augusti 2026".
[[nodiscard]] std::string period_text(Period period);
// The same period a quarter or a year earlier: the previous quarter, last year's
// delår, last year.
[[nodiscard]] Period previous(Period period);

// One part of a period: a quarter, or the first months of one.
struct PeriodPart {
    Quarter quarter{};
    std::string label;    // "2026 K3", "2026 K3 (jul–aug)"
    std::string from_utc; // store form, inclusive
    std::string to_utc;   // exclusive
    std::string last_day; // YYYY-MM-DD, Swedish local
};

// The parts in order: one for a quarter, three for the delår, four for the year.
[[nodiscard]] std::vector<PeriodPart> parts(Period period);

[[nodiscard]] std::string first_day(Period period);
[[nodiscard]] std::string start_utc(Period period);
[[nodiscard]] std::string end_utc(Period period); // exclusive

} // namespace dockscan::agent::reports
