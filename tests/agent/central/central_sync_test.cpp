// The outbox reaches the central database through outages: nothing lost, nothing
// applied twice, resumed from what the central side says it has.

#include "agent/central/central_schema.hpp"
#include "agent/central/outbox_sender.hpp"
#include "tests/agent/central/central_test_support.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace dockscan::agent::central_test {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

OutboxSender make_sender(const CentralSettings& settings) {
    auto keys = load_keys(settings);
    if (!keys) {
        FAIL(keys.error().message);
    }
    return OutboxSender(settings, std::move(*keys));
}

using testing::eventually;

TEST_CASE("a station's outbox syncs through a PostgreSQL restart: every row once") {
    PgCluster pg;
    TempDir dir;
    {
        auto owner = pg.owner();
        REQUIRE(central::add_station(owner, "station-a", "station_a"));
    }
    const CentralSettings settings = pg.station_settings("station-a", "station_a", dir / "keys");
    const StoreKey key = store_test::new_key(dir);
    Store store = store_test::open_store(dir / "a.db", key);
    fill_store(store, "SER-A", 400);

    // The daemon's sender thread, with its own store connection.
    std::stop_source stop;
    std::jthread sender([&](std::stop_token) {
        OutboxSender thread_sender = make_sender(settings);
        thread_sender.run(
            stop.get_token(), [&]() { return Store::open(dir / "a.db", key, OpenMode::existing); },
            Pace{200, 100ms, 400ms, 100ms});
    });

    // PostgreSQL goes away once the first batches are in.
    REQUIRE(eventually([&] { return value_of(outbox::status(store)).applied_id > 0; }, 30s));
    pg.stop();
    const outbox::Status during = value_of(outbox::status(store));
    CHECK(during.enabled);
    CHECK(during.waiting > 0);
    // The station keeps working with the network down.
    fill_store(store, "SER-A", 20, 400);
    std::this_thread::sleep_for(700ms);
    CHECK_THAT(value_of(outbox::status(store)).last_error, Catch::Contains("central database"));
    pg.start();

    REQUIRE(eventually([&] { return value_of(outbox::status(store)).waiting == 0; }, 60s));
    stop.request_stop();
    sender.join();

    auto owner = pg.owner();
    const auto local = store_counts(store);
    CHECK(central_counts(owner, "station-a") == local);
    CHECK(local.at("findings") == 420 + 2);
    CHECK(local.at("scans") == 420);
    // The applied id the central side keeps is the last row the station queued.
    const outbox::Status after = value_of(outbox::status(store));
    CHECK(scalar(owner, "SELECT applied_outbox_id FROM stations WHERE id = 'station-a'") ==
          std::to_string(after.applied_id));
    CHECK(after.last_error.empty());
    CHECK_FALSE(after.last_sync.empty());
    // The counts the report reads are the station's, not a multiple of them.
    CHECK(scalar(owner, "SELECT sum(findings) FROM scans WHERE station_id = 'station-a'") ==
          std::to_string(420 + 2));
}

TEST_CASE("a batch applied centrally whose answer was lost is not applied again") {
    PgCluster pg;
    TempDir dir;
    {
        auto owner = pg.owner();
        REQUIRE(central::add_station(owner, "station-a", "station_a"));
    }
    const CentralSettings settings = pg.station_settings("station-a", "station_a", dir / "keys");
    const StoreKey key = store_test::new_key(dir);
    Store store = store_test::open_store(dir / "a.db", key);
    fill_store(store, "SER-A", 10);
    OutboxSender sender = make_sender(settings);
    const SyncReport first = value_of(sender.sync(store));
    CHECK(first.caught_up);
    CHECK(first.batches == 1);
    CHECK(first.rows > 0);

    // The station did not hear the COMMIT's answer: its queue still holds the rows.
    for (std::int64_t id = 1; id <= first.applied_id; ++id) {
        REQUIRE(store.database().exec("INSERT INTO outbox (id, tbl, local_id) VALUES (" +
                                      std::to_string(id) + ", 'findings', 1)"));
    }
    CHECK(value_of(outbox::status(store)).waiting == 0); // counted after what is applied
    const SyncReport again = value_of(sender.sync(store));
    CHECK(again.batches == 0);
    CHECK(again.rows == 0);
    CHECK(again.applied_id == first.applied_id);
    auto remaining = store.database().prepare("SELECT count(*) FROM outbox");
    REQUIRE(remaining);
    REQUIRE(remaining->step());
    CHECK(remaining->column_int(0) == 0);

    // A restarted station resumes from the central side's applied id.
    fill_store(store, "SER-A", 2, 10);
    Store reopened = store_test::open_store(dir / "a.db", key, OpenMode::existing);
    OutboxSender restarted = make_sender(settings);
    const SyncReport resumed = value_of(restarted.sync(reopened));
    CHECK(resumed.batches == 1);
    auto owner = pg.owner();
    CHECK(central_counts(owner, "station-a") == store_counts(store));
}

TEST_CASE("a station with history joins the central side: its history is sent, and deletes too") {
    PgCluster pg;
    TempDir dir;
    {
        auto owner = pg.owner();
        REQUIRE(central::add_station(owner, "station-a", "station_a"));
    }
    const StoreKey key = store_test::new_key(dir);
    Store store = store_test::open_store(dir / "a.db", key);
    fill_store(store, "SER-A", 5);
    // Without [central] nothing is queued.
    CHECK_FALSE(value_of(outbox::status(store)).enabled);
    CHECK(value_of(outbox::status(store)).waiting == 0);

    OutboxSender sender = make_sender(pg.station_settings("station-a", "station_a", dir / "keys"));
    REQUIRE(value_of(sender.sync(store)).caught_up);
    auto owner = pg.owner();
    CHECK(central_counts(owner, "station-a") == store_counts(store));
    CHECK(store_counts(store).at("findings") == 6);

    // A phone removed from the station goes with its scans and findings centrally too.
    REQUIRE(store.database().exec("DELETE FROM phones"));
    REQUIRE(value_of(sender.sync(store)).caught_up);
    CHECK(scalar(owner, "SELECT count(*) FROM findings WHERE station_id = 'station-a'") == "0");
    CHECK(central_counts(owner, "station-a") == store_counts(store));
}

TEST_CASE("a station the central side does not know is told so, and nothing is applied") {
    PgCluster pg;
    TempDir dir;
    {
        auto owner = pg.owner();
        REQUIRE(central::add_station(owner, "station-a", "station_a"));
    }
    const StoreKey key = store_test::new_key(dir);
    Store store = store_test::open_store(dir / "a.db", key);
    fill_store(store, "SER-A", 2);
    // Station A's certificate, but the config names station B.
    OutboxSender sender = make_sender(pg.station_settings("station-b", "station_a", dir / "keys"));
    const auto refused = sender.sync(store);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::central_refused);
    CHECK_THAT(refused.error().message, Catch::Contains("station-b"));
    auto owner = pg.owner();
    CHECK(scalar(owner, "SELECT count(*) FROM findings") == "0");
    CHECK(value_of(outbox::status(store)).waiting > 0);
}

} // namespace
} // namespace dockscan::agent::central_test
