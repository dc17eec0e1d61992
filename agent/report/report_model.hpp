#pragma once

// The sekretesskontroll report as numbers, for a quarter, the delår or the year: per
// unit (grouped by verksamhetsområde) and in total. The renderers (HTML, CSV, PDF)
// only lay it out.
//
// How the report counts (the rules the report itself states in "Så räknas rapporten"):
//
// - Quarters are Swedish calendar quarters in local time (Europe/Stockholm); a scan
//   belongs to the quarter its start falls in. A delår (January–August) or a year is
//   counted quarter by quarter (period.hpp) and summed as below.
// - Two numbers, honestly named. A phone is "skannad" in a quarter when it has at
//   least one complete or partial scan that started in it (running and failed scans do
//   not count; the report says how many scanned phones had only partial scans). Its
//   control is "genomförd" (completed) when, before the quarter ended, every finding of
//   those scans was decided, or none was found, or the supervisor recorded "kontroll
//   genomförd" for each scan. A finding decided in the next quarter leaves the earlier
//   quarter's control not completed: the control was not done in time, and a later
//   report of that quarter says so too. A phone counts once per quarter however often
//   it was docked: one phone, one control, as in the paper control.
// - The 20 % rule is judged on completed controls: a unit is under when fewer than a
//   fifth of its phones had a completed control in the quarter. For a delår or a year
//   the rule is judged per quarter: a unit is under when it was under in any of the
//   period's quarters (the delår's July–August counts as its third).
// - The result of a control is the worst result of its counted scans. A scan's result
//   is its newest "kontroll genomförd" (controls) when the supervisor recorded one,
//   which then overrides the findings; otherwise it is the worst newest decision
//   (reviews: the row with the highest id) among the scan's findings, whenever it was
//   made. Findings nobody has decided yet are "öppna" and give no result.
// - "Kontroller med avvikelse" counts controls whose result is avvikelse or allvarlig
//   avvikelse; "varav allvarlig" those with allvarlig avvikelse. Over several quarters
//   these and the findings are sums of the quarters (one phone, one control per
//   quarter); phones, scanned and completed are distinct phones in the period.
// - Findings per category are the findings of the counted scans. Actions are counted
//   per control: how many controls had the action in at least one newest decision.
// - Planned follow-ups are newest decisions with a follow-up date on or after the
//   period's first day, on findings of checks that started before the period ended.
// - A phone counts in a quarter for the unit it belonged to then (phone_units, kept by
//   `dockscan phones move --from`): when it was scanned, the unit of the day of its
//   first scan in the quarter; otherwise the unit of the quarter's last day (today's,
//   while the quarter runs). A phone moved mid-year counts for its old unit before the
//   move and for the new one after. A phone without history counts for the unit it has
//   now, as the store before version 8 knew nothing else.
// - Phones that belong to no unit are shown as "Ej registrerad enhet", are in the
//   total, and are not held to the rule (the remedy is to register them).
// - The selection rule is what the station's dockings in the period recorded
//   (every docking, or a random quota with its share); scans started by hand with
//   `dockscan scan` are counted apart.

#include "agent/error.hpp"
#include "agent/report/period.hpp"
#include "agent/report/quarter.hpp"
#include "agent/store/report_comments.hpp"
#include "agent/store/sql_source.hpp"
#include "agent/store/store.hpp"

#include <array>
#include <cstdint>
#include <functional>
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

// The numbers of one unit, one area or the total, in one period.
struct Figures {
    std::int64_t phones = 0;       // belonging to the unit in the period
    std::int64_t checked = 0;      // scanned: phones with a counted scan in the period
    std::int64_t completed = 0;    // phones whose control was completed in its quarter
    std::int64_t partial_only = 0; // of the scanned, phones whose scans were all partial
    std::int64_t deviations = 0;   // controls with avvikelse (allvarlig included)
    std::int64_t serious = 0;      // controls with allvarlig avvikelse
    std::int64_t findings = 0;
    std::int64_t open_findings = 0;
    // Findings of an earlier quarter that a scan in this one found still on the phone
    // ("kvarstående"), each counted once over the period.
    std::int64_t remaining = 0;
    std::int64_t follow_ups = 0; // planned follow-ups (phone and date)
    std::array<CategoryCount, k_categories.size()> categories{};
    std::array<std::int64_t, k_actions.size()> actions{}; // controls with the action

    Figures& operator+=(const Figures& other);
};

// Phones with a completed control as a percentage of the phones; nothing when there
// are none.
[[nodiscard]] std::optional<double> share_percent(const Figures& figures);
// Scanned phones as a percentage of the phones; nothing when there are none.
[[nodiscard]] std::optional<double> scanned_percent(const Figures& figures);
// True when fewer than 20 % of the phones had a completed control (and there are phones).
[[nodiscard]] bool under_rule(const Figures& figures);

struct UnitReport {
    std::string name;
    std::string area;
    bool registered = true; // false: the phones that belong to no unit
    Figures current;
    Figures previous;
    std::vector<std::string> not_checked; // labels of phones without a completed control
    std::vector<std::string> under_parts; // the period's quarters under the 20 % rule
    std::string comment;                  // the quality lead's analysis, if any

    // The 20 % rule holds units, not the phones that belong to none.
    [[nodiscard]] bool under() const { return registered && !under_parts.empty(); }
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
    std::string label; // "2026 K4"
    bool current{};    // a quarter of the report's period
    std::int64_t phones{};
    std::int64_t checked{};
    std::int64_t completed{};
    std::int64_t deviations{};
    std::int64_t serious{};
};

// A quarter's report shows the last four quarters; a delår or a year its own.
inline constexpr std::size_t k_trend_quarters = 4;

// How the period's phones were selected.
struct Selection {
    std::string rule; // "every_docking", "quota", "" (not recorded, before version 8)
    std::optional<double> share;
    std::int64_t dockings{};
};

struct Report {
    Period period{};
    std::vector<std::string> unit_filter; // empty: every unit, and unregistered phones
    std::string generated_at;             // Swedish local time
    std::vector<AreaReport> areas;        // sorted by name, units sorted within
    Figures total;
    Figures total_previous;
    std::vector<TrendPoint> trend;              // oldest first
    std::vector<FollowUp> follow_ups;           // by date
    std::vector<std::string> total_under_parts; // quarters the total was under 20 % in
    std::vector<Selection> selections;          // most dockings first
    std::int64_t hand_scans{};                  // counted scans no docking started

    // The units in report order, for renderers that do not group.
    [[nodiscard]] std::vector<const UnitReport*> units() const;
};

// How far build_report has come: `done` of `total` steps (a period or quarter
// counted, the follow-ups and selections read), called after each.
using ReportProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// Reads the store and counts the report for `period`, for the units named in
// `unit_filter` (every unit when empty). ErrorCode::usage for a unit name that the
// store does not know. `now` (Unix seconds) is when the report is made.
[[nodiscard]] Expected<Report> build_report(Store& store, Period period,
                                            const std::vector<std::string>& unit_filter,
                                            std::int64_t now, const ReportProgress& progress = {});
// The same from any source of the report's rows (agent/store/sql_source.hpp): the
// station's store or the municipality's central database, where units with the same
// name and area at several stations are one unit. `comments` are the quality lead's
// comments of the period (report_comments).
[[nodiscard]] Expected<Report> build_report(sql::Source& source, Period period,
                                            const std::vector<std::string>& unit_filter,
                                            std::int64_t now,
                                            const std::vector<report_comments::Comment>& comments,
                                            const ReportProgress& progress = {});
[[nodiscard]] Expected<Report> build_report(Store& store, Quarter quarter,
                                            const std::vector<std::string>& unit_filter,
                                            std::int64_t now);

} // namespace dockscan::agent::reports
