#pragma once

// Shared set-up for the store suites: keys in a temporary folder, stores that must
// open, and batches shaped like what the scan pipeline writes.

#include "agent/store/store.hpp"
#include "agent/store/store_key.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace dockscan::agent::store_test {

// A fresh random key, written as `name` in `dir`.
inline StoreKey new_key(const testing::TempDir& dir, std::string_view name = "store.key") {
    auto key = StoreKey::create_file(dir / name);
    if (!key) {
        FAIL("cannot create key: " << key.error().message);
    }
    return std::move(*key);
}

// The key 00 01 02 ... 1f, for answers computed outside dockscan.
inline StoreKey counting_key(const testing::TempDir& dir) {
    std::string bytes;
    for (int i = 0; i < 32; ++i) {
        bytes += static_cast<char>(i);
    }
    const auto path = dir / "counting.key";
    testing::write_file(path, bytes);
    REQUIRE(::chmod(path.c_str(), 0600) == 0);
    auto key = StoreKey::from_file(path);
    if (!key) {
        FAIL("cannot read key: " << key.error().message);
    }
    return std::move(*key);
}

// SQL that takes a store back to before schema version 11 (the central outbox): its
// table and its triggers, for tests that rewind a store to an older version.
inline std::string drop_outbox_sql() {
    std::string sql = "DROP TABLE IF EXISTS outbox;";
    for (const char* table :
         {"units", "phones", "phone_units", "scans", "items", "findings", "thumbnails", "reviews",
          "controls", "removal_checks", "dockings", "finding_sightings"}) {
        for (const char* event : {"insert", "update", "delete"}) {
            sql += std::string(" DROP TRIGGER IF EXISTS outbox_") + table + "_" + event + ";";
        }
    }
    return sql;
}

inline Store open_store(const std::filesystem::path& path, const StoreKey& key,
                        OpenMode mode = OpenMode::create) {
    auto store = Store::open(path, key, mode);
    if (!store) {
        FAIL("cannot open store: " << store.error().message);
    }
    return std::move(*store);
}

template <typename T>
T value_of(Expected<T> result) {
    if (!result) {
        FAIL(to_string(result.error().code) << ": " << result.error().message);
    }
    if constexpr (!std::is_void_v<T>) {
        return std::move(*result);
    }
}

inline NewFinding personnummer_finding(std::string masked, std::string excerpt) {
    NewFinding finding;
    finding.kind = "personnummer";
    finding.category = "personnummer_i_meddelande";
    finding.severity = "avvikelse";
    finding.confidence = 0.9;
    finding.masked = std::move(masked);
    finding.excerpt = std::move(excerpt);
    finding.detector = "text/identity-number";
    finding.start = 10;
    finding.end = 23;
    return finding;
}

// A message with a personnummer, a photo without findings, and one unreadable file.
inline std::vector<ItemResult> sample_batch(int n) {
    const std::string tag = std::to_string(n);
    ItemResult message{"message",
                       "sms:" + tag,
                       "SMS från +46 70… " + tag,
                       120,
                       1'700'000'000 + n,
                       ItemOutcome::scanned,
                       {personnummer_finding("850709-****", "född 850709-**** (" + tag + ")")},
                       {}};
    ItemResult photo{"photo",
                     "DCIM/100APPLE/IMG_" + tag + ".JPG",
                     "Bild " + tag,
                     2'000'000,
                     1'700'000'000,
                     ItemOutcome::scanned,
                     {},
                     {}};
    ItemResult broken{
        "file",     "Documents/" + tag + ".pdf", "Dokument " + tag, 10, 0, ItemOutcome::failed, {},
        "truncated"};
    return {message, photo, broken};
}

} // namespace dockscan::agent::store_test
