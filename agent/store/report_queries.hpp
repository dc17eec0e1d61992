#pragma once

// What the quarterly sekretesskontroll report reads from the store: units, phones,
// the scans that count as checks in a period, and the findings of those scans with
// their newest decision. Rows only; agent/report counts them (the rules are written
// down in agent/report/report_model.hpp). Each query is written once and runs on the
// station's store and on the central PostgreSQL (sql_source.hpp); centrally an id is
// one number per row of the whole municipality (station and local id). Nothing here returns a
// masked number, an excerpt or an item label: the report is circulated and must not carry them.

#include "agent/error.hpp"
#include "agent/store/sql_source.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::report_queries {

// A half-open period [from_utc, to_utc) in the store's timestamp form
// ("2026-09-30T22:00:00Z"), so that plain text comparison orders it.
struct Period {
    std::string from_utc;
    std::string to_utc;
};

struct UnitRow {
    std::int64_t id;
    std::string name;
    std::string area;
};

struct PhoneRow {
    std::int64_t id;
    std::string label;
    std::optional<std::int64_t> unit_id; // nothing while the phone belongs to no unit
    std::string retired_on{};            // YYYY-MM-DD it left service, or empty
    std::string serial{};                // as docking sees it; empty when not known
};

// A scan that counts as a check: complete or partial, started in the period.
struct CheckScanRow {
    std::int64_t scan_id;
    std::int64_t phone_id;
    bool complete;                      // false: partial
    std::optional<std::string> control; // result of the newest "kontroll genomförd", if any
    std::string started_at;             // UTC, store form
    std::string control_at;             // when the first control was recorded; "" if none
};

// A finding of a counted scan, with what its newest review says (reviews are
// append-only: the row with the highest id is the decision that counts).
struct FindingFactRow {
    std::int64_t scan_id;
    std::int64_t phone_id;
    std::string category;
    std::optional<std::string> decision; // nothing while the finding is open
    std::string actions_json;            // the newest review's JSON array of action codes
    std::string decided_at;              // when it was first decided; "" while open
};

// One spell of a phone in a unit (phone_units): from `from_date` (YYYY-MM-DD, Swedish
// local) until the next spell's.
struct SpellRow {
    std::int64_t phone_id;
    std::optional<std::int64_t> unit_id;
    std::string from_date;
};

// How the dockings of a period selected phones: the station's sampling rule as each
// docking recorded it ("every_docking", "quota" with its share; "" before the store
// recorded it), and how many dockings applied it.
struct SelectionRow {
    std::string selection;
    std::optional<double> share;
    std::int64_t dockings;
};

// A follow-up date from the newest review of a finding.
struct FollowUpRow {
    std::int64_t phone_id;
    std::string date; // YYYY-MM-DD as the supervisor entered it
};

// A finding recorded before `quarter` whose item a scan in the quarter found still on
// the phone ("kvarstående"): unchanged when listed, or still there when a removal was
// checked. One row per finding.
struct RemainingFinding {
    std::int64_t finding_id = 0;
    std::int64_t phone_id = 0;
    std::optional<std::int64_t> unit_id; // the phone's unit today
    std::string category;
    std::string found_at;                // when the finding was recorded
    std::string last_seen_at;            // the newest scan in the quarter that saw it
    std::optional<std::string> decision; // the newest decision, if any
};

// Every unit, by id.
[[nodiscard]] Expected<std::vector<UnitRow>> units(sql::Source& source);

// Every phone the store knows, registered to a unit or only seen by a scan, by id.
[[nodiscard]] Expected<std::vector<PhoneRow>> phones(sql::Source& source);

// The scans that count as checks in `period` (status complete or partial; running and
// failed scans are not checks).
[[nodiscard]] Expected<std::vector<CheckScanRow>> check_scans(sql::Source& source,
                                                              const Period& period);

// The findings of the scans that `check_scans` returns for the same period.
[[nodiscard]] Expected<std::vector<FindingFactRow>> finding_facts(sql::Source& source,
                                                                  const Period& period);

// Every phone's unit history, by phone and date.
[[nodiscard]] Expected<std::vector<SpellRow>> spells(sql::Source& source);

// The sampling rules the dockings of `period` applied.
[[nodiscard]] Expected<std::vector<SelectionRow>> selections(sql::Source& source,
                                                             const Period& period);

// How many of the period's counted scans no docking started (`dockscan scan` by hand).
[[nodiscard]] Expected<std::int64_t> hand_scans(sql::Source& source, const Period& period);

// Follow-ups still ahead at `from_date` (YYYY-MM-DD): newest reviews with a follow-up
// date on or after it, of findings from checks that started before `before_utc`.
[[nodiscard]] Expected<std::vector<FollowUpRow>>
follow_ups(sql::Source& source, std::string_view from_date, std::string_view before_utc);

// The findings of earlier quarters that scans of `quarter` saw still on the phones.
[[nodiscard]] Expected<std::vector<RemainingFinding>> remaining_findings(sql::Source& source,
                                                                         const Period& quarter);

} // namespace dockscan::agent::report_queries
