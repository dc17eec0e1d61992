#pragma once

// The docking station's records: one row per docking of a phone in a slot, whatever
// came of it (unknown phone, not drawn by the sampling policy, scanned completely or in
// part, failed), and what the sampling policy needs to know about a unit's quarter.

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::dockings {

enum class Outcome { running, unknown_phone, not_sampled, complete, partial, failed };
[[nodiscard]] std::string_view to_string(Outcome outcome);

// A phone the inventory knows by its serial.
struct KnownPhone {
    std::int64_t phone_id = 0;
    std::string label;
    std::optional<std::int64_t> unit_id; // nothing: seen by a scan, but in no unit
    std::string retired_on{};            // YYYY-MM-DD from which it is out of service
};

// The phone with that serial (exactly), or nothing. An empty serial finds nothing.
[[nodiscard]] Expected<std::optional<KnownPhone>> find_phone(Store& store, std::string_view serial);

struct Start {
    int slot = 0;
    std::string slot_label;
    std::string backend; // "adb" | "ios"
    std::string serial;
    std::optional<std::int64_t> phone_id;
    // The sampling rule the station applies: "every_docking", or "quota" with the
    // share of each unit's phones to control per quarter. The report states it.
    std::string selection = {};
    std::optional<double> selection_share = {};
};

// Records a docking that is still running and returns its id.
[[nodiscard]] Expected<std::int64_t> begin(Store& store, const Start& start);

// Closes a docking with its outcome, reason (empty when complete) and scan, if any.
[[nodiscard]] Expected<void> finish(Store& store, std::int64_t docking_id, Outcome outcome,
                                    std::string_view reason,
                                    std::optional<std::int64_t> scan_id = std::nullopt);

// Records a docking that ended as soon as it began (unknown phone, not sampled, ...).
[[nodiscard]] Expected<std::int64_t> record(Store& store, const Start& start, Outcome outcome,
                                            std::string_view reason);

// Dockings left running by a daemon that is gone become partial ("interrupted").
// Returns how many.
[[nodiscard]] Expected<std::int64_t> close_interrupted(Store& store);

// What the quota needs of a unit's quarter.
struct UnitQuarter {
    std::int64_t registered = 0;   // phones registered to the unit
    std::int64_t controlled = 0;   // of them, phones with a complete scan since the start
    bool phone_controlled = false; // whether the phone at hand is one of them
};

// `since`: the quarter's first instant, ISO 8601 UTC ("2026-10-01T00:00:00Z").
[[nodiscard]] Expected<UnitQuarter> unit_quarter(Store& store, std::int64_t unit_id,
                                                 std::int64_t phone_id, std::string_view since);

struct Row {
    std::int64_t id = 0;
    int slot = 0;
    std::string slot_label;
    std::string backend;
    std::string serial;
    std::optional<std::int64_t> phone_id;
    std::optional<std::int64_t> scan_id;
    std::string docked_at;
    std::string finished_at;
    Outcome outcome = Outcome::running;
    std::string reason;
    std::string selection; // the sampling rule applied ("" before schema version 8)
    std::optional<double> selection_share;
};

// Every docking, oldest first.
[[nodiscard]] Expected<std::vector<Row>> list(Store& store);

} // namespace dockscan::agent::dockings
