// The records of the control loop: pending removals, their checks reopening a finding,
// the supervisor's follow-up list (scoped to units) and the quarter's "kvarstående".

#include "agent/store/follow_up.hpp"
#include "agent/store/review_queries.hpp"
#include "agent/store/sql_source.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
using dockscan::testing::TempDir;

namespace {

const review::Viewer k_everyone{0, true};

// Q3 and Q4 of 2026 in the store's form (Swedish quarters, as UTC instants).
const report_queries::Period k_q3{"2026-06-30T22:00:00Z", "2026-09-30T22:00:00Z"};
const report_queries::Period k_q4{"2026-09-30T22:00:00Z", "2026-12-31T23:00:00Z"};

struct Fixture {
    TempDir dir;
    StoreKey key = new_key(dir);
    Store store = open_store(dir / "store.db", key);
    std::int64_t phone_id = value_of(store.upsert_phone({"hemtjanst-07", "SER7", "", "", ""}));

    // One scan with a message that holds a personnummer; returns the finding's id.
    std::int64_t scan_with_finding(std::string_view started_at, std::string_view hash) {
        const std::int64_t scan = value_of(store.begin_scan(phone_id, "/phone"));
        ItemResult message{"message",
                           "sms:1",
                           "SMS",
                           120,
                           1'700'000'000,
                           ItemOutcome::scanned,
                           {personnummer_finding("850709-****", "född 850709-****")},
                           {}};
        message.findings[0].content_hash = std::string(hash);
        REQUIRE(store.write_batch(scan, phone_id, {message}));
        REQUIRE(store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));
        exec("UPDATE scans SET started_at = '" + std::string(started_at) +
             "' WHERE id = " + std::to_string(scan));
        exec("UPDATE findings SET created_at = '" + std::string(started_at) +
             "' WHERE scan_id = " + std::to_string(scan));
        return store.database().last_insert_rowid() > 0 ? latest_finding() : 0;
    }

    std::int64_t latest_finding() {
        auto rows = store.findings();
        REQUIRE(rows);
        REQUIRE_FALSE(rows->empty());
        return rows->front().id;
    }

    std::int64_t later_scan(std::string_view started_at) {
        const std::int64_t scan = value_of(store.begin_scan(phone_id, "/phone"));
        REQUIRE(store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));
        exec("UPDATE scans SET started_at = '" + std::string(started_at) +
             "' WHERE id = " + std::to_string(scan));
        return scan;
    }

    void decide(std::int64_t finding, std::vector<std::string> actions,
                std::string follow_up = "") {
        review::NewDecision d;
        d.finding_id = finding;
        d.decision = "avvikelse";
        d.actions = std::move(actions);
        d.follow_up = std::move(follow_up);
        d.reviewer = "anna.berg";
        REQUIRE(review::add_decision(store, d));
    }

    void exec(const std::string& sql) { REQUIRE(store.database().exec(sql)); }

    // The review's reads, on this store.
    sql::StoreSource& source() { return m_source; }
    sql::StoreSource m_source{store};

    std::size_t open_count(const review::Viewer& viewer = k_everyone) {
        auto rows = review::findings(source(), viewer, review::Filter::open);
        REQUIRE(rows);
        return rows->size();
    }
};

} // namespace

TEST_CASE("a removal decision is pending until a scan checks it, and still there reopens it") {
    Fixture f;
    const std::int64_t finding = f.scan_with_finding("2026-10-05T08:00:00Z", "hash-a");
    CHECK(value_of(follow_up::pending_removals(f.store, f.phone_id)).empty());

    f.decide(finding, {"samtal_med_medarbetare"});
    CHECK(value_of(follow_up::pending_removals(f.store, f.phone_id)).empty());

    f.decide(finding, {"raderat_fran_telefonen"});
    const auto pending = value_of(follow_up::pending_removals(f.store, f.phone_id));
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].finding_id == finding);
    CHECK(pending[0].item_type == "message");
    CHECK(pending[0].item_ref == "sms:1");
    CHECK(pending[0].content_hash == "hash-a");
    CHECK(pending[0].found_by_source == "/phone");
    CHECK(f.open_count() == 0);

    const std::int64_t scan = f.later_scan("2026-10-12T08:00:00Z");
    REQUIRE(
        follow_up::record_check(f.store, pending[0], scan, follow_up::CheckResult::still_there));
    CHECK(value_of(follow_up::pending_removals(f.store, f.phone_id)).empty());
    CHECK(f.open_count() == 1);
    const auto lookup = value_of(review::finding(f.source(), k_everyone, finding));
    REQUIRE(lookup.finding);
    CHECK_FALSE(lookup.finding->still_there_at.empty());
    // The scan's count of findings to review counts it again.
    const auto scans = value_of(review::scans(f.source(), k_everyone, 10));
    REQUIRE(scans.size() == 2);
    CHECK(scans.back().open_findings == 1);

    // A second check of the same decision changes nothing: the first one counts.
    REQUIRE(follow_up::record_check(f.store, pending[0], scan, follow_up::CheckResult::verified));
    CHECK(f.open_count() == 1);

    // A new decision closes it and is pending in its turn.
    f.decide(finding, {"raderat_fran_telefonen"});
    CHECK(f.open_count() == 0);
    CHECK(value_of(follow_up::pending_removals(f.store, f.phone_id)).size() == 1);
}

TEST_CASE("the follow-up list says where each decided finding stands, for the viewer's units") {
    Fixture f;
    f.exec("INSERT INTO units (id, name, area) VALUES (1, 'Hemtjänst Norr', 'Hemtjänst'), "
           "(2, 'Gruppbostad Ekan', 'Funktionsstöd')");
    f.exec("UPDATE phones SET unit_id = 1");
    f.exec("INSERT INTO users (id, name, role, password_hash, created_at) VALUES "
           "(1, 'anna.berg', 'supervisor', 'x', '2026-01-01T00:00:00Z'), "
           "(2, 'olle.ek', 'supervisor', 'x', '2026-01-01T00:00:00Z')");
    f.exec("INSERT INTO user_units (user_id, unit_id) VALUES (1, 1), (2, 2)");
    const review::Viewer anna{1, false};
    const review::Viewer olle{2, false};

    const std::int64_t removed = f.scan_with_finding("2026-10-05T08:00:00Z", "hash-a");
    f.decide(removed, {"raderat_fran_telefonen"});
    const std::int64_t talked = f.scan_with_finding("2026-10-06T08:00:00Z", "hash-b");
    f.decide(talked, {"samtal_med_medarbetare"}, "2026-11-30");
    const std::int64_t later = f.scan_with_finding("2026-10-07T08:00:00Z", "hash-c");
    f.decide(later, {"paminnelse_pa_apt"}, "2026-12-24");
    const std::int64_t nothing = f.scan_with_finding("2026-10-08T08:00:00Z", "hash-d");
    f.decide(nothing, {"samtal_med_medarbetare"});

    auto states = [&](const review::Viewer& viewer) {
        std::vector<std::pair<std::int64_t, follow_up::State>> out;
        for (const auto& e : value_of(follow_up::entries(f.store, viewer, "2026-12-07"))) {
            out.emplace_back(e.finding_id, e.state);
        }
        return out;
    };
    using S = follow_up::State;
    CHECK(states(anna) == std::vector<std::pair<std::int64_t, S>>{
                              {talked, S::overdue}, {removed, S::awaiting_check}, {later, S::due}});
    CHECK(states(olle).empty());

    const std::int64_t scan = f.later_scan("2026-12-07T08:00:00Z");
    const auto pending = value_of(follow_up::pending_removals(f.store, f.phone_id));
    REQUIRE(pending.size() == 1);
    REQUIRE(follow_up::record_check(f.store, pending[0], scan, follow_up::CheckResult::verified));
    f.exec("INSERT INTO dockings (slot, backend, serial, phone_id, scan_id, docked_at, outcome) "
           "VALUES (3, 'adb', 'SER7', 1, " +
           std::to_string(scan) + ", '2026-12-07T08:00:00Z', 'complete')");
    const auto entries = value_of(follow_up::entries(f.store, anna, "2026-12-07"));
    REQUIRE(entries.size() == 3);
    CHECK(entries.back().finding_id == removed);
    CHECK(entries.back().state == S::verified);
    CHECK(entries.back().check_scan_id == scan);
    CHECK(entries.back().check_docking_id.has_value());
}

TEST_CASE("a finding still on the phone in a later quarter counts there as kvarstående") {
    Fixture f;
    const std::int64_t old = f.scan_with_finding("2026-09-20T10:00:00Z", "hash-a");
    f.decide(old, {"samtal_med_medarbetare"});
    const std::int64_t in_q3 = f.later_scan("2026-09-25T10:00:00Z");
    REQUIRE(follow_up::record_sightings(f.store, in_q3, {old}));
    // Seen in its own quarter: not kvarstående there.
    CHECK(value_of(follow_up::remaining_findings(f.store, k_q3)).empty());
    CHECK(value_of(follow_up::remaining_findings(f.store, k_q4)).empty());

    // Across the quarter boundary (Swedish midnight, 22:00 UTC on 30 September).
    const std::int64_t in_q4 = f.later_scan("2026-09-30T22:30:00Z");
    REQUIRE(follow_up::record_sightings(f.store, in_q4, {old}));
    const std::int64_t new_q4 = f.scan_with_finding("2026-10-02T10:00:00Z", "hash-b");
    const std::int64_t again = f.later_scan("2026-10-09T10:00:00Z");
    REQUIRE(follow_up::record_sightings(f.store, again, {old, new_q4}));

    const auto remaining = value_of(follow_up::remaining_findings(f.store, k_q4));
    REQUIRE(remaining.size() == 1);
    CHECK(remaining[0].finding_id == old);
    CHECK(remaining[0].phone_id == f.phone_id);
    CHECK(remaining[0].category == "personnummer_i_meddelande");
    CHECK(remaining[0].found_at == "2026-09-20T10:00:00Z");
    CHECK(remaining[0].last_seen_at == "2026-10-09T10:00:00Z");
    CHECK(remaining[0].decision == std::optional<std::string>("avvikelse"));
}
