#pragma once

// What the supervisor's review reads and writes: findings as the person may see them
// (their units only, unless they see all), decisions (append-only reviews), and the
// per-scan "kontroll genomförd" (controls). The reads are one set of queries for the
// station's store and the municipality's PostgreSQL (agent/store/sql_source.hpp); ids
// are the numbers {key:} reads (on the station the row ids themselves).

#include "agent/error.hpp"
#include "agent/store/sql_source.hpp"
#include "agent/store/store.hpp"
#include "agent/store/users.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::review {

// The stored decision codes (reviews.decision, controls.result).
inline constexpr std::array<std::string_view, 3> k_decisions = {"ingen_avvikelse", "avvikelse",
                                                                "allvarlig_avvikelse"};
// The stored action codes (reviews.actions); "annat" comes with a text.
inline constexpr std::array<std::string_view, 4> k_actions = {
    "raderat_fran_telefonen", "samtal_med_medarbetare", "paminnelse_pa_apt", "annat"};

[[nodiscard]] bool is_decision(std::string_view code);
[[nodiscard]] bool is_action(std::string_view code);

// Whose eyes a query serves. Every query below filters by it, so that no page can
// forget to.
struct Viewer {
    std::int64_t user_id;
    bool all_units; // quality lead and admin; a supervisor sees the units in user_units
};

struct Decision {
    std::int64_t id;
    std::string decision;
    std::vector<std::string> actions;
    std::string other_action;
    std::string follow_up; // YYYY-MM-DD or empty
    std::string note;
    std::string reviewer; // login name
    std::string created_at;
    std::string reviewer_name; // the reviewer's display name, or the login name
};

struct ReviewFinding {
    FindingRow row;
    std::int64_t phone_id;
    std::string unit; // the phone's unit, or empty
    std::string scan_started_at;
    std::optional<Decision> latest; // nothing while the finding is open
    std::string purged_at;          // when retention purged its evidence, or empty
    std::int64_t item_id = 0;
    std::int64_t item_mtime = 0; // the item's time on the phone (Unix seconds), 0 if unknown
    // The item's evidence thumbnail, 0 x 0 when it has none.
    std::int64_t thumbnail_width = 0;
    std::int64_t thumbnail_height = 0;
    // When a scan found what the newest decision asked to remove still on the phone
    // ("finns kvar"): the finding is open again. Empty otherwise.
    std::string still_there_at;
    // The station that found it, in the central review; empty on a station.
    std::string station;
};

// A finding's name for people: its id on a station; centrally the station and the id
// the station gave it ("soder-12"), not the municipality-wide number in its address.
[[nodiscard]] std::string finding_name(const ReviewFinding& finding);

// The one place that says who sees what, as SQL for `dialect`: ?1 is the user, ?2 is 1
// for all units; p is the phone. A phone in no unit is seen only by those who see all.
[[nodiscard]] std::string visible_clause(sql::Dialect dialect);

enum class Filter { open, decided, all };

// Findings the viewer may see, grouped by scan (newest scan first), then by item and id
// within a scan; only those of one scan when `scan_id` is given.
[[nodiscard]] Expected<std::vector<ReviewFinding>>
findings(sql::Source& source, const Viewer& viewer, Filter filter,
         std::optional<std::int64_t> scan_id = std::nullopt);

// One page of the list `findings` gives (without a scan), `items_per_page` items of it
// (an item's findings never split between pages), page 1 the first; `more` when a next
// page has items. Memory is bounded by the page, not by the queue.
struct FindingsPage {
    std::vector<ReviewFinding> rows;
    bool more = false;
};
[[nodiscard]] Expected<FindingsPage> findings_page(sql::Source& source, const Viewer& viewer,
                                                   Filter filter, std::int64_t page,
                                                   std::int64_t items_per_page);

enum class Access { visible, denied, missing };

struct FindingLookup {
    Access access;
    std::optional<ReviewFinding> finding; // only when visible
};

// One finding, if it exists and the viewer may see it.
[[nodiscard]] Expected<FindingLookup> finding(sql::Source& source, const Viewer& viewer,
                                              std::int64_t id);

// The decisions on a finding, newest first.
[[nodiscard]] Expected<std::vector<Decision>> decisions(sql::Source& source,
                                                        std::int64_t finding_id);

struct NewDecision {
    std::int64_t finding_id;
    std::string decision;
    std::vector<std::string> actions;
    std::string other_action;
    std::string follow_up;
    std::string note;
    std::string reviewer;
};

// Appends a decision (ErrorCode::usage for an unknown code or a malformed date).
[[nodiscard]] Expected<std::int64_t> add_decision(Store& store, const NewDecision& decision);

// Appends the same decision to each of `finding_ids` in one transaction (one item, or
// every open finding of a scan, decided at once; reports still count findings). The
// caller checked that the viewer may decide them. Returns how many were written.
[[nodiscard]] Expected<std::int64_t> add_decisions(Store& store, const NewDecision& decision,
                                                   const std::vector<std::int64_t>& finding_ids);

// How many other phones have a finding with the same keyed hash of an identity number.
[[nodiscard]] Expected<std::int64_t>
other_phones_with_number(sql::Source& source, std::string_view match_hash, std::int64_t phone_id);

struct Control {
    std::int64_t id;
    std::string result;
    std::string note;
    std::string reviewer;
    std::string created_at;
    std::string reviewer_name; // display name, or the login name
};

struct ScanEntry {
    std::int64_t scan_id;
    std::int64_t phone_id;
    std::string phone;
    std::string unit;
    std::string started_at;
    std::string status;
    std::int64_t findings;
    std::int64_t open_findings;
    std::optional<Control> latest_control;
};

// The scans of the phones the viewer may see, newest first, at most `limit`.
[[nodiscard]] Expected<std::vector<ScanEntry>> scans(sql::Source& source, const Viewer& viewer,
                                                     std::int64_t limit);

struct ScanLookup {
    Access access;
    std::optional<ScanEntry> scan;
};

[[nodiscard]] Expected<ScanLookup> scan(sql::Source& source, const Viewer& viewer,
                                        std::int64_t scan_id);

// The controls of a scan, newest first.
[[nodiscard]] Expected<std::vector<Control>> controls(sql::Source& source, std::int64_t scan_id);

struct NewControl {
    std::int64_t scan_id;
    std::string result;
    std::string note;
    std::string reviewer;
};

// Appends a "kontroll genomförd" record (ErrorCode::usage for an unknown result).
[[nodiscard]] Expected<std::int64_t> add_control(Store& store, const NewControl& control);

// The items of a scan that were not scanned (failed, skipped), by type and ref.
[[nodiscard]] Expected<std::vector<FailedItem>> failed_items(sql::Source& source,
                                                             std::int64_t scan_id);

// The evidence thumbnail of a finding's item, if it has one.
[[nodiscard]] Expected<std::optional<Thumbnail>> thumbnail(sql::Source& source,
                                                           std::int64_t finding_id);

// ErrorCode::usage for an unknown decision or action code or a malformed follow-up date.
[[nodiscard]] Expected<void> check(const NewDecision& decision);

// What the review needs of a database besides the shared reads: who may log in, where
// its audit goes, and how decisions and controls are written (the station appends to its
// own tables, the central side to the review server's: agent/central/central_review.hpp).
class Database {
public:
    virtual ~Database() = default;
    [[nodiscard]] virtual sql::Source& source() = 0;
    [[nodiscard]] virtual Expected<std::optional<users::Credentials>>
    credentials(std::string_view name) = 0;
    [[nodiscard]] virtual Expected<void> audit(const AuditEntry& entry) = 0;
    // As add_decisions and add_control below.
    [[nodiscard]] virtual Expected<std::int64_t>
    add_decisions(const NewDecision& decision, const std::vector<std::int64_t>& finding_ids) = 0;
    [[nodiscard]] virtual Expected<std::int64_t> add_control(const NewControl& control) = 0;
    // The station's store, for what only a station keeps (follow-ups, the report's
    // comments); nothing on the central side.
    [[nodiscard]] virtual Store* station() = 0;
};

// The station's store as the review's database.
class StationDatabase final : public Database {
public:
    explicit StationDatabase(Store& store) : m_store(store), m_source(store) {}
    [[nodiscard]] sql::Source& source() override { return m_source; }
    [[nodiscard]] Expected<std::optional<users::Credentials>>
    credentials(std::string_view name) override;
    [[nodiscard]] Expected<void> audit(const AuditEntry& entry) override;
    [[nodiscard]] Expected<std::int64_t>
    add_decisions(const NewDecision& decision,
                  const std::vector<std::int64_t>& finding_ids) override;
    [[nodiscard]] Expected<std::int64_t> add_control(const NewControl& control) override;
    [[nodiscard]] Store* station() override { return &m_store; }

private:
    Store& m_store;
    sql::StoreSource m_source;
};

// The stored form of an action list: a JSON array of codes.
[[nodiscard]] std::string actions_json(const std::vector<std::string>& actions);
// Reads what actions_json wrote; codes it does not know are dropped.
[[nodiscard]] std::vector<std::string> parse_actions(std::string_view json);

} // namespace dockscan::agent::review
