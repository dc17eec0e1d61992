#pragma once

// The hash-chained audit log ("loggkontroll"). Each row's hash covers the previous
// row's hash and every field of its own, so an edited, inserted or deleted row breaks
// the chain from that row on.

#include "agent/error.hpp"
#include "agent/store/store.hpp"
#include "base/sqlite.hpp"

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

// Hex SHA-256 over the length-prefixed fields of `row`.
[[nodiscard]] std::string row_hash(const Row& row);

// Appends `entry` at time `at` (ISO 8601 UTC) in its own transaction.
[[nodiscard]] Expected<void> append(base::sqlite::Database& db, const AuditEntry& entry,
                                    std::string_view at);

// Recomputes the chain from the first row.
[[nodiscard]] Expected<AuditCheck> verify(base::sqlite::Database& db);

} // namespace dockscan::agent::audit_log
