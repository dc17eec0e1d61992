#pragma once

// The chained audit log ("loggkontroll"). Each row's MAC covers the previous row's MAC
// and every field of its own, under a key derived from the store key ("audit-mac"), so
// an edited, inserted or deleted row breaks the chain from that row on, and the chain
// cannot be recomputed with a hash tool alone. Removing the newest rows leaves a shorter
// chain that is intact in itself: an anchor kept outside the store (the newest row's id
// and MAC, see `anchor`) shows that.

#include "agent/error.hpp"
#include "agent/store/store.hpp"
#include "agent/store/store_key.hpp"
#include "base/sqlite.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dockscan::agent::audit_log {

// The prev_hash of the first row.
inline constexpr std::string_view k_genesis_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct Row {
    std::int64_t id;
    std::string at;
    std::string actor;
    std::string action;
    std::string object;
    std::string detail;
    std::string prev_hash;
};

// Hex SHA-256 over the length-prefixed fields of `row`: the unkeyed chain of stores
// before schema version 10, read once to re-key them.
[[nodiscard]] std::string row_hash(const Row& row);

// Hex HMAC-SHA256 under `key` (the store key's "audit-mac" derivation) over the same.
[[nodiscard]] std::string row_mac(const StoreKey& key, const Row& row);

// Appends `entry` at time `at` (ISO 8601 UTC) in its own transaction.
[[nodiscard]] Expected<void> append(base::sqlite::Database& db, const StoreKey& key,
                                    const AuditEntry& entry, std::string_view at);

// Recomputes the chain from the first row, checks that the triggers that keep the log
// append-only are in place, and, given an anchor, that its row is still there with the
// same MAC.
[[nodiscard]] Expected<AuditCheck> verify(base::sqlite::Database& db, const StoreKey& key,
                                          const std::optional<AuditAnchor>& anchor);

// The newest row's id and MAC (id 0 and the genesis value for an empty log).
[[nodiscard]] Expected<AuditAnchor> anchor(base::sqlite::Database& db);

// Schema version 10: re-keys the unkeyed chain of an older store inside the migration's
// transaction, and appends a row that says so (and where the old chain was broken, if it
// was: re-keying must not launder an edit made before it).
[[nodiscard]] Expected<void> rekey(base::sqlite::Database& db, const StoreKey& key,
                                   std::string_view at);

} // namespace dockscan::agent::audit_log
