#pragma once

// The quarterly sekretesskontroll report as numbers: per unit (grouped by
// verksamhetsområde) and in total. The renderers (HTML, CSV, PDF) only lay it out.
//
// How the report counts (the rules the report itself states in "Så räknas rapporten"):
//
// - Quarters are Swedish calendar quarters in local time (Europe/Stockholm); a scan
//   belongs to the quarter its start falls in.
// - A phone is "kontrollerad" in a quarter when it has at least one complete or
//   partial scan that started in it. A partial scan (unplugged, interrupted) still
//   looked at the phone and its findings are real; the report says how many checked
//   phones had only partial scans. Running and failed scans do not count. A phone is
//   counted once per quarter however often it was docked: one phone, one control, as
//   in the paper control ("17 av 34 rapporter").
// - The result of a control (one phone in one quarter) is the worst result of its
//   counted scans. A scan's result is its newest "kontroll genomförd" (controls) when
//   the supervisor recorded one, which then overrides the findings; otherwise it is
//   the worst newest decision (reviews: the row with the highest id) among the scan's
//   findings. Findings nobody has decided yet are "öppna" and give no result; a
//   control without any result counts as without deviation.
// - "Kontroller med avvikelse" counts controls whose result is avvikelse or allvarlig
//   avvikelse; "varav allvarlig" those with allvarlig avvikelse.
// - Decisions count whenever they were made: a Q4 report made in February counts the
//   January decisions on Q4 findings.
// - Findings per category are the findings of the counted scans. Actions are counted
//   per control: how many controls had the action in at least one newest decision.
// - Planned follow-ups are newest decisions with a follow-up date on or after the
//   quarter's first day, on findings of checks that started before the quarter ended.
// - Phones belong to the unit they are registered to now (the store keeps no history
//   of moves); the previous quarters are counted against today's registrations.
// - The 20 % rule: a unit is under when fewer than a fifth of its phones were checked.
//   Phones that belong to no unit are shown as "Ej registrerad enhet", are in the
//   total, and are not held to the rule (the remedy is to register them).

#include "agent/error.hpp"
#include "agent/report/quarter.hpp"
#include "agent/store/store.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::reports {

struct CodeName {
    std::string_view code;    // as stored, and in CSV column names
    std::string_view swedish; // as readers see it
};

// The finding categories in the order the report lists them. A category the policy
// adds later counts under "ovrigt" until it is named here.
inline constexpr std::array k_categories = {
    CodeName{"bild_pa_brukare", "Bilder på brukare"},
    CodeName{"personnummer_i_meddelande", "Personnummer i meddelanden"},
    CodeName{"personnummer_i_kontakt", "Personnummer i kontakter"},
    CodeName{"personnummer_i_anteckning", "Personnummer i anteckningar"},
    CodeName{"personnummer_i_bild", "Personnummer i bilder"},
    CodeName{"dokumentbild", "Dokumentbilder"},
    CodeName{"sarbild", "Sårbilder"},
    CodeName{"kontakt_med_fullstandigt_namn", "Kontakter med fullständigt namn"},
    CodeName{"namn_i_meddelande", "Namn i meddelanden"},
    CodeName{"skarmbild", "Skärmbilder"},
    CodeName{"halsouppgift", "Hälsouppgifter"},
    CodeName{"streckkod", "Streckkoder"},
    CodeName{"ovrigt", "Övrigt"},
};

// The action codes of a decision (reviews.actions).
inline constexpr std::array k_actions = {
    CodeName{"raderat_fran_telefonen", "Raderat från telefonen"},
    CodeName{"samtal_med_medarbetare", "Samtal med medarbetare"},
    CodeName{"paminnelse_pa_apt", "Påminnelse på APT"},
    CodeName{"annat", "Annan åtgärd"},
};

inline constexpr std::string_view k_unregistered = "Ej registrerad enhet";
inline constexpr std::string_view k_no_area = "Utan verksamhetsområde";

struct CategoryCount {
    std::int64_t findings = 0;
    std::int64_t open = 0;      // no decision yet
    std::int64_t deviation = 0; // decided avvikelse or allvarlig avvikelse
    std::int64_t serious = 0;   // decided allvarlig avvikelse
};

// The numbers of one unit, one area or the total, in one quarter.
struct Figures {
    std::int64_t phones = 0;       // registered to the unit now
    std::int64_t checked = 0;      // phones with a counted scan in the quarter
    std::int64_t partial_only = 0; // of those, phones whose scans were all partial
    std::int64_t deviations = 0;   // controls with avvikelse (allvarlig included)
    std::int64_t serious = 0;      // controls with allvarlig avvikelse
    std::int64_t findings = 0;
    std::int64_t open_findings = 0;
    std::int64_t follow_ups = 0; // planned follow-ups (phone and date)
    std::array<CategoryCount, k_categories.size()> categories{};
    std::array<std::int64_t, k_actions.size()> actions{}; // controls with the action

    Figures& operator+=(const Figures& other);
};

// Checked phones as a percentage of the phones; nothing when there are none.
[[nodiscard]] std::optional<double> share_percent(const Figures& figures);
// True when fewer than 20 % of the phones were checked (and there are phones).
[[nodiscard]] bool under_rule(const Figures& figures);

struct UnitReport {
    std::string name;
    std::string area;
    bool registered = true; // false: the phones that belong to no unit
    Figures current;
    Figures previous;
    std::vector<std::string> not_checked; // labels of phones not checked this quarter

    // The 20 % rule holds units, not the phones that belong to none.
    [[nodiscard]] bool under() const { return registered && under_rule(current); }
};

struct AreaReport {
    std::string name;
    std::vector<UnitReport> units;
    Figures current;
    Figures previous;
};

struct FollowUp {
    std::string date; // YYYY-MM-DD
    std::string unit;
    std::string phone;       // the phone's label
    std::int64_t findings{}; // decisions that name this date for this phone
};

struct TrendPoint {
    Quarter quarter;
    std::int64_t phones{};
    std::int64_t checked{};
    std::int64_t deviations{};
    std::int64_t serious{};
};

inline constexpr std::size_t k_trend_quarters = 4;

struct Report {
    Quarter quarter{};
    std::vector<std::string> unit_filter; // empty: every unit, and unregistered phones
    std::string generated_at;             // Swedish local time
    std::vector<AreaReport> areas;        // sorted by name, units sorted within
    Figures total;
    Figures total_previous;
    std::array<TrendPoint, k_trend_quarters> trend{}; // oldest first, this quarter last
    std::vector<FollowUp> follow_ups;                 // by date

    // The units in report order, for renderers that do not group.
    [[nodiscard]] std::vector<const UnitReport*> units() const;
};

// Reads the store and counts the report for `quarter`, for the units named in
// `unit_filter` (every unit when empty). ErrorCode::usage for a unit name that the
// store does not know. `now` (Unix seconds) is when the report is made.
[[nodiscard]] Expected<Report> build_report(Store& store, Quarter quarter,
                                            const std::vector<std::string>& unit_filter,
                                            std::int64_t now);

} // namespace dockscan::agent::reports
