// The dockings records and the unit's quarter, against SQLCipher in a temporary folder.

#include "agent/store/dockings.hpp"
#include "agent/store/inventory.hpp"
#include "tests/agent/store/store_test_support.hpp"

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
using dockscan::testing::TempDir;

TEST_CASE("every docking is recorded with its outcome", "[daemon][store]") {
    TempDir tmp;
    const auto key = new_key(tmp);
    Store store = open_store(tmp / "s.db", key);
    value_of(inventory::add_unit(store, "Hemtjänst Norr", "Hemtjänst"));
    value_of(inventory::add_phone(store, {"HT-1", "SER1", "Hemtjänst Norr"}));

    auto known = value_of(dockings::find_phone(store, "SER1"));
    REQUIRE(known);
    CHECK(known->label == "HT-1");
    CHECK(known->unit_id.has_value());
    CHECK_FALSE(value_of(dockings::find_phone(store, "NOPE")));
    CHECK_FALSE(value_of(dockings::find_phone(store, "")));

    dockings::Start start{1, "Vänster", "adb", "NOPE", std::nullopt};
    value_of(dockings::record(store, start, dockings::Outcome::unknown_phone, "not registered"));
    start.serial = "SER1";
    start.phone_id = known->phone_id;
    const auto running = value_of(dockings::begin(store, start));
    const auto scan = value_of(store.begin_scan(known->phone_id, "adb:tcp:x"));
    value_of(store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));
    value_of(dockings::finish(store, running, dockings::Outcome::complete, "", scan));
    const auto stuck = value_of(dockings::begin(store, start));
    CHECK(value_of(dockings::close_interrupted(store)) == 1);

    const auto rows = value_of(dockings::list(store));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].outcome == dockings::Outcome::unknown_phone);
    CHECK_FALSE(rows[0].phone_id);
    CHECK(rows[0].slot_label == "Vänster");
    CHECK(rows[1].outcome == dockings::Outcome::complete);
    CHECK(rows[1].scan_id == scan);
    CHECK_FALSE(rows[1].finished_at.empty());
    CHECK(rows[2].id == stuck);
    CHECK(rows[2].outcome == dockings::Outcome::partial);
    CHECK(rows[2].reason.find("interrupted") != std::string::npos);

    const auto quarter = value_of(
        dockings::unit_quarter(store, *known->unit_id, known->phone_id, "2000-01-01T00:00:00Z"));
    CHECK(quarter.registered == 1);
    CHECK(quarter.controlled == 1);
    CHECK(quarter.phone_controlled);
    const auto later = value_of(
        dockings::unit_quarter(store, *known->unit_id, known->phone_id, "2999-01-01T00:00:00Z"));
    CHECK(later.controlled == 0);
    CHECK_FALSE(later.phone_controlled);
}
