#pragma once

// The store's schema: what marks a file as a dockscan store, and the versioned
// migrations (PRAGMA user_version) that bring an older store up to date.

#include "agent/error.hpp"
#include "agent/store/store_key.hpp"
#include "base/sqlite.hpp"

namespace dockscan::agent::store_schema {

enum class Fresh {
    allowed, // an empty database becomes a new store
    refused, // an empty database is not a store (OpenMode::existing)
};

// The newest schema version this build knows.
[[nodiscard]] int current_version();

// Checks that `db` is a dockscan store this build can use, without writing to it.
// Returns its schema version (0 for an empty database when `fresh` is allowed).
[[nodiscard]] Expected<int> check_identity(base::sqlite::Database& db, Fresh fresh);

// Applies every migration newer than the store's version, each in its own
// transaction. Returns the version reached.
// `audit_key` re-keys the audit log's chain at version 10.
[[nodiscard]] Expected<int> migrate(base::sqlite::Database& db, const StoreKey& audit_key);

} // namespace dockscan::agent::store_schema
