#pragma once

// The outbox to the municipality's central database (issue 18): which of the store's
// tables the central side mirrors, and the queue of rows written since they were last
// sent. Triggers (schema v11) fill the queue in the same transaction as every write;
// the sender (agent/central) reads it in order and marks what the central side applied.

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::outbox {

// How a column travels. sealed: only the review server can open it (excerpts,
// thumbnails, labels, free text); ref: sealed, and also a keyed hash under the fleet
// key, so that another station can recognise the same item without reading its name.
enum class Carry { clear, sealed, ref };

struct Column {
    std::string_view name;
    Carry carry = Carry::clear;
};

struct Table {
    std::string_view name;
    std::span<const Column> columns; // without the row's id, which travels as local_id
};

// The mirrored tables, parents before children (the order of a first backfill).
[[nodiscard]] std::span<const Table> tables();
[[nodiscard]] const Table* find_table(std::string_view name);

// One queued row: the table and the row's id in it (its rowid).
struct Entry {
    std::int64_t id = 0;
    std::string table;
    std::int64_t local_id = 0;
};

// A row's values in the order of its table's columns (NULL as nothing); sealed and ref
// columns come as the plain bytes, for the sender to seal.
using RowValues = std::vector<std::optional<std::string>>;

// Turns the outbox on. The first time, it also queues every row already in the store,
// so a station that joins the central side later sends its history.
[[nodiscard]] Expected<void> enable(Store& store);

// Up to `limit` queued rows after `after`, oldest first.
[[nodiscard]] Expected<std::vector<Entry>> pending(Store& store, std::int64_t after,
                                                   std::size_t limit);

// The row as it is now, or nothing when it was deleted since it was queued.
[[nodiscard]] Expected<std::optional<RowValues>> read_row(Store& store, const Table& table,
                                                          std::int64_t local_id);

// The central side applied every queued row up to `applied_id` (at `at`, ISO 8601 UTC):
// they leave the queue.
[[nodiscard]] Expected<void> mark_applied(Store& store, std::int64_t applied_id,
                                          std::string_view at);

// Why the last attempt failed (empty after a success), for `dockscan status`.
[[nodiscard]] Expected<void> record_error(Store& store, std::string_view error);

// Downward: the newest central decision this station has looked at, so that each is
// fetched once.
[[nodiscard]] Expected<std::int64_t> decisions_seen(Store& store);
[[nodiscard]] Expected<void> set_decisions_seen(Store& store, std::int64_t decision_id);

// Downward: the newest version of the central register this station has applied, so that
// each sync fetches only what changed since.
[[nodiscard]] Expected<std::int64_t> register_seen(Store& store);
[[nodiscard]] Expected<void> set_register_seen(Store& store, std::int64_t version);

// This station's findings on the phone with `serial`, in an item of `type`, found in the
// content with `content_hash`: their ids and their items' refs (for the caller to match
// by the ref's keyed hash).
struct LocalFinding {
    std::int64_t finding_id = 0;
    std::string item_ref;
};
[[nodiscard]] Expected<std::vector<LocalFinding>>
findings_with_content(Store& store, std::string_view serial, std::string_view type,
                      std::string_view content_hash);

struct Status {
    bool enabled = false;
    std::int64_t waiting = 0;    // rows queued and not yet applied centrally
    std::int64_t applied_id = 0; // the newest row the central side applied
    std::string last_sync;       // ISO 8601 UTC, empty when never
    std::string last_error;
};
[[nodiscard]] Expected<Status> status(Store& store);

} // namespace dockscan::agent::outbox
