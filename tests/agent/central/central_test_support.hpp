#pragma once

// Stations' stores for the central side's tests: scans written as the pipeline writes
// them, and the row counts to compare with the central database.

#include "agent/central/pg_seam.hpp"
#include "agent/store/dockings.hpp"
#include "agent/store/outbox.hpp"
#include "agent/store/store.hpp"
#include "tests/agent/central/pg_cluster.hpp"
#include "tests/agent/store/store_test_support.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace dockscan::agent::central_test {

using store_test::value_of;

// A phone with `scans` scans of three items each (a message with a personnummer, a
// photo, an unreadable file), a docking per scan, and one flagged photo with a
// thumbnail in the first of them. Returns the phone's id.
inline std::int64_t fill_store(Store& store, const std::string& serial, int scans, int first = 0) {
    const std::int64_t phone =
        value_of(store.upsert_phone({"phone-" + serial, serial, "Annas telefon", "", ""}));
    for (int s = first; s < first + scans; ++s) {
        const std::int64_t docking =
            value_of(dockings::begin(store, {1, "Plats 1", "adb", serial, phone}));
        const std::int64_t scan = value_of(store.begin_scan(phone, "adb:" + serial));
        auto batch = store_test::sample_batch(s);
        // The same test number on every phone (Skatteverket's test personnummer).
        batch[0].findings[0].match_hash = store.match_hash("198507099805");
        if (s == first) {
            NewFinding face;
            face.kind = "face";
            face.category = "bild_pa_person";
            face.severity = "avvikelse";
            face.confidence = 0.8;
            face.detector = "image/face";
            face.content_hash = content_hash("photo bytes " + serial);
            face.thumbnail = Thumbnail{"\xff\xd8\xff\xe0 blurred thumbnail of " + serial, 96, 72};
            batch[1].findings.push_back(face);
        }
        value_of(store.write_batch(scan, phone, batch));
        value_of(store.finish_scan(scan, ScanStatus::complete, "", {}));
        value_of(dockings::finish(store, docking, dockings::Outcome::complete, "", scan));
    }
    return phone;
}

// Rows per mirrored table in the store.
inline std::map<std::string, std::int64_t> store_counts(Store& store) {
    std::map<std::string, std::int64_t> counts;
    for (const outbox::Table& table : outbox::tables()) {
        auto select = store.database().prepare("SELECT count(*) FROM " + std::string(table.name));
        REQUIRE(select);
        REQUIRE(select->step());
        counts[std::string(table.name)] = select->column_int(0);
    }
    return counts;
}

// Rows per mirrored table of one station in the central database.
inline std::map<std::string, std::int64_t> central_counts(pg::Connection& conn,
                                                          const std::string& station) {
    std::map<std::string, std::int64_t> counts;
    for (const outbox::Table& table : outbox::tables()) {
        counts[std::string(table.name)] =
            std::stoll(scalar(conn, "SELECT count(*) FROM " + std::string(table.name) +
                                        " WHERE station_id = '" + station + "'"));
    }
    return counts;
}

} // namespace dockscan::agent::central_test
