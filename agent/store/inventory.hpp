#pragma once

// The inventory the IT admin keeps: units (enheter) in their verksamhetsområde, and
// which unit each phone belongs to. A supervisor's view follows from it.

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::inventory {

// The verksamhetsområden a unit can belong to. A constant table for now; the
// municipality's own list becomes configuration later.
inline constexpr std::array<std::string_view, 4> k_areas = {"Funktionsstöd", "Hemtjänst", "SÄBO",
                                                            "IFO"};

// The accepted area that `text` names (exactly, or differing only in letter case),
// or nothing.
[[nodiscard]] std::optional<std::string_view> canonical_area(std::string_view text);

struct Unit {
    std::int64_t id;
    std::string name;
    std::string area;
    std::int64_t phones; // phones registered to the unit
};

struct Phone {
    std::int64_t id;
    std::string label;
    std::string serial;
    std::string model;
    std::string unit; // empty while the phone belongs to no unit
    std::string first_seen;
    std::string last_seen;
    std::string retired_on{}; // YYYY-MM-DD from which it is out of service, or empty
};

// Adds a unit. ErrorCode::config when the name is taken or the area is not accepted.
[[nodiscard]] Expected<std::int64_t> add_unit(Store& store, std::string_view name,
                                              std::string_view area);

// Every unit by name.
[[nodiscard]] Expected<std::vector<Unit>> units(Store& store);

// The unit of that name, or nothing.
[[nodiscard]] Expected<std::optional<Unit>> find_unit(Store& store, std::string_view name);

struct PhoneRegistration {
    std::string label;
    std::string serial;
    std::string unit;
    std::string from_date = {}; // YYYY-MM-DD (Swedish local) since; empty: today
};

enum class Registered { new_phone, known_phone };

// Registers a phone to a unit. A phone that a scan already recorded (found by its
// serial, or else by its label) keeps its history and takes the admin's label.
// ErrorCode::config for an unknown unit, a label or serial that belongs to another
// phone, or a phone already registered to a unit (move it instead).
[[nodiscard]] Expected<Registered> add_phone(Store& store, const PhoneRegistration& phone);

// Moves the phone named by label or serial to another unit from `from_date`
// (YYYY-MM-DD, a Swedish local date, today when empty) and keeps the history: reports
// count the phone for the unit it belonged to on each date. ErrorCode::config when the
// phone or unit is unknown, ErrorCode::usage for a date that is not real or is ahead.
[[nodiscard]] Expected<void> move_phone(Store& store, std::string_view label_or_serial,
                                        std::string_view unit, std::string_view from_date = {});

// Which unit a phone belonged to from which date on (phone_units), oldest first.
struct UnitSpell {
    std::string unit; // empty: no unit (the unit was deleted)
    std::string from_date;
};
[[nodiscard]] Expected<std::vector<UnitSpell>> unit_history(Store& store,
                                                            std::string_view label_or_serial);

// A date the admin gives for a registration or move: YYYY-MM-DD, a real date, not after
// today in Sweden; today when empty. ErrorCode::usage otherwise. (The central register
// checks its dates with the same rules.)
[[nodiscard]] Expected<std::string> spell_date(std::string_view given);

// A retirement date: YYYY-MM-DD and a real date. ErrorCode::usage otherwise.
[[nodiscard]] Expected<void> check_retire_date(std::string_view date);

// "2026-12-07": today's date in Sweden.
[[nodiscard]] std::string swedish_today();

// Every phone by label, registered or only seen by a scan.
[[nodiscard]] Expected<std::vector<Phone>> phones(Store& store);

// Checks a name the admin gives (unit name, phone label): 1 to 100 bytes of valid
// UTF-8 without control characters, not only spaces. ErrorCode::usage otherwise.
[[nodiscard]] Expected<void> check_name(std::string_view what, std::string_view name);

// The phone named by label or serial, registered or only seen by a scan, or nothing.
[[nodiscard]] Expected<std::optional<Phone>> find_phone(Store& store,
                                                        std::string_view label_or_serial);

// Retires the phone named by label or serial from `date` (YYYY-MM-DD, Swedish date): from
// then on docking it scans nothing and says so, and it does not count toward its unit's
// phones. ErrorCode::config for an unknown or already retired phone, usage for a bad date.
[[nodiscard]] Expected<void> retire_phone(Store& store, std::string_view label_or_serial,
                                          std::string_view date);

// Renames a unit; its phones, users and history stay with it. ErrorCode::config when the
// unit is unknown or the new name is taken.
[[nodiscard]] Expected<void> rename_unit(Store& store, std::string_view name,
                                         std::string_view new_name);

// A serial that docked but is registered to no unit: what the admin needs to register it.
struct UnknownPhone {
    std::string serial;
    std::string backend; // "adb" | "ios"
    std::int64_t dockings = 0;
    std::string first_docked;
    std::string last_docked;
    std::string last_slot; // the slot's label, or its number
};

// Every serial whose dockings ended as unknown phones and that is still registered to no
// unit, most recent first.
[[nodiscard]] Expected<std::vector<UnknownPhone>> unknown_phones(Store& store);

// Bulk registration, as an MDM export lists the phones: one line per phone.
struct ImportLine {
    std::int64_t line; // in the admin's file, for the messages
    std::string label;
    std::string serial;
    std::string unit;
};

enum class ImportAction {
    add,            // a new phone, registered to its unit
    register_known, // a phone a scan recorded, now registered (takes the label)
    move,           // registered to another unit: moved from the import's date
    unchanged,      // already registered to this unit under this label
};

struct ImportOutcome {
    std::int64_t line;
    std::string label;
    std::string unit;
    ImportAction action = ImportAction::unchanged;
    std::string error; // why this line cannot be imported; empty when it can
};

// Registers every line in one transaction, the phones' unit spells from `from_date`
// (YYYY-MM-DD, today when empty), and commits only when every line can be imported and
// `apply` is set: otherwise nothing changes (a dry run, or a file with errors). Every
// line's outcome comes back, errors included (an unknown unit, a label or serial
// given twice in the file or belonging to another phone, a label that is not a name).
// A store failure is the only error returned as such.
[[nodiscard]] Expected<std::vector<ImportOutcome>>
import_phones(Store& store, const std::vector<ImportLine>& lines, std::string_view from_date,
              bool apply);

} // namespace dockscan::agent::inventory
