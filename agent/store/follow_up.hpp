#pragma once

// The control loop after a decision: a finding decided with a removal action
// ("Raderat från telefonen") is checked at the phone's next scan, by the item's ref and
// the hash of its content. Gone: the action is verified, with the date and the scan (and
// through the scan, the docking). Still there: the finding is reopened ("finns kvar")
// until the supervisor decides again. The supervisor's follow-up list and the quarter's
// "kvarstående" findings are read from the same records.

#include "agent/error.hpp"
#include "agent/store/report_queries.hpp"
#include "agent/store/review_queries.hpp"
#include "agent/store/sql_source.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::follow_up {

// The action code that asks for something to leave the phone.
inline constexpr std::string_view k_removal_action = "raderat_fran_telefonen";

// A finding whose newest decision asks for a removal that no scan has checked yet.
struct PendingRemoval {
    std::int64_t finding_id = 0;
    std::int64_t review_id = 0;
    std::int64_t item_id = 0;
    std::string item_type; // docking::ItemType as text
    std::string item_ref;
    std::string content_hash;    // of the content the finding was found in; empty before v7
    std::uint64_t size = 0;      // the item as last analysed: the check for findings without
    std::int64_t mtime = 0;      // a content hash
    std::string found_by_source; // the source of the scan that recorded the finding
};

// The pending removals of one phone's findings, by item and finding.
[[nodiscard]] Expected<std::vector<PendingRemoval>> pending_removals(Store& store,
                                                                     std::int64_t phone_id);

enum class CheckResult { verified, still_there };
[[nodiscard]] std::string_view to_string(CheckResult result);

// Records what scan `scan_id` found of a pending removal. Once per decision: a second
// check of the same decision is ignored (the first one counts).
[[nodiscard]] Expected<void> record_check(Store& store, const PendingRemoval& pending,
                                          std::int64_t scan_id, CheckResult result);

// A finding of the item's content as last analysed: what a scan that lists the item
// unchanged records as still on the phone.
struct CurrentFinding {
    std::int64_t finding_id = 0;
    std::string item_type;
    std::string item_ref;
};

[[nodiscard]] Expected<std::vector<CurrentFinding>> current_findings(Store& store,
                                                                     std::int64_t phone_id);

// Records that scan `scan_id` found these findings' content still on the phone.
[[nodiscard]] Expected<void> record_sightings(Store& store, std::int64_t scan_id,
                                              const std::vector<std::int64_t>& finding_ids);

// Where a decided finding stands in the follow-up.
enum class State {
    awaiting_check, // removal asked for; the phone has not been scanned since
    due,            // follow-up date today or ahead
    overdue,        // follow-up date passed, no removal verified
    verified,       // the next scan found the item gone
    still_there,    // the next scan found the item still there: reopened
};
[[nodiscard]] std::string_view to_string(State state);

struct Entry {
    std::int64_t finding_id = 0;
    std::string phone;
    std::string unit;
    std::string item_type;
    std::string category;
    std::string decision;
    std::vector<std::string> actions;
    std::string follow_up;  // YYYY-MM-DD or empty
    std::string decided_at; // ISO 8601 UTC
    State state = State::due;
    std::string checked_at; // when a scan checked the removal, or empty
    std::optional<std::int64_t> check_scan_id;
    std::optional<std::int64_t> check_docking_id; // the docking that ran that scan
};

// Decided findings with a removal action or a follow-up date that `viewer` may see,
// judged against `today` (YYYY-MM-DD, Swedish date): still there first, then overdue,
// awaiting a check, due, verified; newest decision first within each.
[[nodiscard]] Expected<std::vector<Entry>>
entries(sql::Source& source, const review::Viewer& viewer, std::string_view today);
// The same on the station's store.
[[nodiscard]] Expected<std::vector<Entry>> entries(Store& store, const review::Viewer& viewer,
                                                   std::string_view today);

// A finding of an earlier quarter still on the phone ("kvarstående"): the report's
// query (report_queries), on the station's store.
using RemainingFinding = report_queries::RemainingFinding;

[[nodiscard]] Expected<std::vector<RemainingFinding>>
remaining_findings(Store& store, const report_queries::Period& quarter);

} // namespace dockscan::agent::follow_up
