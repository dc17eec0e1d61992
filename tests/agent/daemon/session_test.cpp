// A session's decisions before any phone is connected: the sampling policy's "not
// today", recorded and shown, against the real store.

#include "agent/daemon/session.hpp"
#include "agent/store/dockings.hpp"
#include "agent/store/inventory.hpp"
#include "agent/store/review_queries.hpp"
#include "tests/agent/store/store_test_support.hpp"

#include <thread>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
using dockscan::testing::TempDir;

namespace {

void wait_until_finished(const daemon::Session& session) {
    // The session records its decision on its own thread; it needs no phone for it.
    for (int i = 0; i < 2000 && !session.finished(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(session.finished());
}

// A phone `event` docks in slot 1 of a station whose connector table is empty (any
// session that gets past identifying and sampling stops at connecting); returns what
// the slot shows once the session has ended.
daemon::SlotStatus dock_once(Store& store, const daemon::SamplingConfig& sampling,
                             dockscan::docking::DockEvent event) {
    SharedStore shared(store);
    AnalysisPool pool(AnalysisOptions{}, 1);
    daemon::Sampler sampler(sampling);
    daemon::StatusBoard board(
        {daemon::SlotStatus{1, "Plats 1", event.port, daemon::SlotState::idle, {}, 0, 0, {}}});
    const daemon::ConnectorTable connectors;
    daemon::SessionServices services{shared, pool, sampler, board, connectors};
    std::stop_source shutdown;
    const auto generation = board.claim(1, daemon::SlotState::identifying);
    {
        daemon::Session session(services, event, daemon::Slot{1, "Plats 1"}, generation,
                                shutdown.get_token());
        wait_until_finished(session);
    }
    return board.snapshot()[0];
}

dockscan::docking::DockEvent android_at(std::string port, std::string serial) {
    dockscan::docking::DockEvent event;
    event.port = std::move(port);
    event.serial = std::move(serial);
    event.endpoint = "tcp:127.0.0.1:1";
    return event;
}

} // namespace

TEST_CASE("a phone controlled already this quarter is not scanned under the quota",
          "[daemon][session]") {
    TempDir tmp;
    const auto key = new_key(tmp);
    Store store = open_store(tmp / "s.db", key);
    value_of(inventory::add_unit(store, "IFO Barn", "IFO"));
    value_of(inventory::add_phone(store, {"IFO-1", "SER1", "IFO Barn"}));
    const auto phone = value_of(dockings::find_phone(store, "SER1"));
    REQUIRE(phone);
    const auto scan = value_of(store.begin_scan(phone->phone_id, "adb:earlier"));
    value_of(store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));

    const daemon::SlotStatus slot =
        dock_once(store, daemon::SamplingConfig{daemon::SamplingMode::quota, 0.2, 1},
                  android_at("1-1.7", "SER1"));
    CHECK(slot.state == daemon::SlotState::not_sampled);
    CHECK(daemon::slot_text(slot) == "Ingen kontroll i dag – ta telefonen");
    const auto rows = value_of(dockings::list(store));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].outcome == dockings::Outcome::not_sampled);
    CHECK(rows[0].reason == "controlled already this quarter");
    // The report states the rule from what each docking recorded.
    CHECK(rows[0].selection == "quota");
    CHECK(rows[0].selection_share == Approx(0.2));
    CHECK(rows[0].phone_id == phone->phone_id);
    CHECK_FALSE(rows[0].scan_id);
}

TEST_CASE("a registered iPhone without a connector fails with the reason", "[daemon][session]") {
    TempDir tmp;
    const auto key = new_key(tmp);
    Store store = open_store(tmp / "s.db", key);
    value_of(inventory::add_unit(store, "SÄBO Eken", "SÄBO"));
    value_of(inventory::add_phone(store, {"EK-1", "00008030-001A", "SÄBO Eken"}));

    dockscan::docking::DockEvent event;
    event.port = "1-1";
    event.kind = dockscan::docking::PhoneKind::iphone;
    event.serial = "00008030-001A";
    event.endpoint = "usbmux:00008030-001A";
    const daemon::SlotStatus slot = dock_once(store, daemon::SamplingConfig{}, event);
    CHECK(slot.state == daemon::SlotState::failed);
    // Staff read what to do, in Swedish; the reason is for the admin.
    CHECK(daemon::slot_text(slot) == "Kan inte läsas – lämna till chefen");
    const auto rows = value_of(dockings::list(store));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].outcome == dockings::Outcome::failed);
    CHECK(rows[0].backend == "ios");
    CHECK(rows[0].selection == "every_docking");
    CHECK_FALSE(rows[0].selection_share);
    CHECK(rows[0].reason == daemon::k_iphone_missing_reason);
    // The failed docking is also a scan record of the phone, with the reason.
    REQUIRE(rows[0].scan_id);
    const auto scan = value_of(store.scan(*rows[0].scan_id));
    REQUIRE(scan);
    CHECK(scan->status == ScanStatus::failed);
    CHECK(scan->reason == daemon::k_iphone_missing_reason);
}

TEST_CASE("a retired phone is not scanned when docked, and the slot says so", "[daemon][session]") {
    TempDir tmp;
    const auto key = new_key(tmp);
    Store store = open_store(tmp / "s.db", key);
    value_of(inventory::add_unit(store, "Hemtjänst Öst", "Hemtjänst"));
    value_of(inventory::add_phone(store, {"HT-O-1", "SER9", "Hemtjänst Öst"}));
    value_of(inventory::add_phone(store, {"HT-O-2", "SER10", "Hemtjänst Öst"}));
    value_of(inventory::retire_phone(store, "HT-O-1", "2026-01-15"));
    // A retired phone is no phone of the unit's later quarters.
    const auto phone = value_of(dockings::find_phone(store, "SER10"));
    REQUIRE(phone);
    CHECK(value_of(dockings::unit_quarter(store, *phone->unit_id, phone->phone_id,
                                          "2026-03-31T22:00:00Z"))
              .registered == 1);

    const daemon::SlotStatus slot =
        dock_once(store, daemon::SamplingConfig{}, android_at("1-1.2", "SER9"));
    CHECK(slot.state == daemon::SlotState::unknown_phone);
    CHECK(daemon::slot_text(slot) == "Avregistrerad – lämna till chefen");
    const auto rows = value_of(dockings::list(store));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].outcome == dockings::Outcome::unknown_phone);
    CHECK(rows[0].reason == "retired on 2026-01-15");
    CHECK_FALSE(rows[0].scan_id);
}

TEST_CASE("a phone with a removal to check is scanned even when the quota is met",
          "[daemon][session]") {
    TempDir tmp;
    const auto key = new_key(tmp);
    Store store = open_store(tmp / "s.db", key);
    value_of(inventory::add_unit(store, "IFO Barn", "IFO"));
    value_of(inventory::add_phone(store, {"IFO-1", "SER1", "IFO Barn"}));
    const auto phone = value_of(dockings::find_phone(store, "SER1"));
    REQUIRE(phone);
    // Controlled this quarter already, with a finding decided "Raderat från telefonen".
    const auto scan = value_of(store.begin_scan(phone->phone_id, "adb:earlier"));
    ItemResult message{"message",
                       "sms:1",
                       "SMS",
                       120,
                       1'700'000'000,
                       ItemOutcome::scanned,
                       {personnummer_finding("850709-****", "född 850709-****")},
                       {}};
    REQUIRE(store.write_batch(scan, phone->phone_id, {message}));
    value_of(store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));
    const auto finding = value_of(store.findings()).front().id;
    review::NewDecision decision;
    decision.finding_id = finding;
    decision.decision = "avvikelse";
    decision.actions = {"raderat_fran_telefonen"};
    decision.reviewer = "anna.berg";
    REQUIRE(review::add_decision(store, decision));

    dock_once(store, daemon::SamplingConfig{daemon::SamplingMode::quota, 0.2, 1},
              android_at("1-1.7", "SER1"));
    // Past the sampling: it went on to connect the phone (there is no backend here).
    const auto rows = value_of(dockings::list(store));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].outcome != dockings::Outcome::not_sampled);
    CHECK(rows[0].reason == daemon::k_iphone_missing_reason);
}
