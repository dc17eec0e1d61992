#pragma once

// The register managed centrally (issue 18): units, and phones with their unit, kept in
// the central PostgreSQL by the review role and received by every station at its sync
// (agent/central/register_apply.hpp). The station's rules apply (agent/store/inventory:
// names, areas, dates, the same error codes). A unit's name is one unit at every
// station, so a name is taken in the register whatever its area; a phone is one by its
// serial, which the register needs. Each change is one transaction that also writes its
// row of review_audit, and takes the register's next version number.

#include "agent/central/pg_seam.hpp"
#include "agent/error.hpp"
#include "agent/store/inventory.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::central::registry {

struct RegisterUnit {
    std::int64_t id = 0;
    std::string name;
    std::string area;
    std::int64_t phones = 0; // phones in service registered to it
    std::int64_t version = 0;
};

struct RegisterPhone {
    std::int64_t id = 0;
    std::string label;
    std::string serial;
    std::string unit;
    std::string area;       // the unit's
    std::string from_date;  // YYYY-MM-DD: in this unit since
    std::string retired_on; // YYYY-MM-DD, or empty while in service
    std::int64_t version = 0;
};

// Adds a unit; `actor` is who did it, for review_audit ("cli:anna"). ErrorCode::config
// when the name is taken or the area is not accepted, usage for a name that is no name.
[[nodiscard]] Expected<std::int64_t> add_unit(pg::Connection& conn, std::string_view name,
                                              std::string_view area, std::string_view actor);

// Every unit of the register by name (byte order, as on a station).
[[nodiscard]] Expected<std::vector<RegisterUnit>> units(pg::Connection& conn);

// Registers a phone to a unit from `phone.from_date` (today when empty). ErrorCode::usage
// without a serial or for a bad date; config for an unknown unit or a label or serial the
// register already has (move the phone instead).
[[nodiscard]] Expected<void>
add_phone(pg::Connection& conn, const inventory::PhoneRegistration& phone, std::string_view actor);

// Moves the phone named by label or serial to another unit from `from_date` (today when
// empty). ErrorCode::config for an unknown phone or unit or the unit it is in already;
// usage for a bad date or one before the phone's present unit began.
[[nodiscard]] Expected<void> move_phone(pg::Connection& conn, std::string_view label_or_serial,
                                        std::string_view unit, std::string_view from_date,
                                        std::string_view actor);

// Retires the phone named by label or serial from `date`. ErrorCode::config for an
// unknown or already retired phone, usage for a bad date.
[[nodiscard]] Expected<void> retire_phone(pg::Connection& conn, std::string_view label_or_serial,
                                          std::string_view date, std::string_view actor);

// Every phone of the register by label (byte order).
[[nodiscard]] Expected<std::vector<RegisterPhone>> phones(pg::Connection& conn);

// As inventory::import_phones, against the register: every line checked in one
// transaction, committed only when every line can be imported and `apply` is set. A line
// without a serial cannot be imported (the register names phones by serial).
[[nodiscard]] Expected<std::vector<inventory::ImportOutcome>>
import_phones(pg::Connection& conn, const std::vector<inventory::ImportLine>& lines,
              std::string_view from_date, bool apply, std::string_view actor);

// What changed in the register after `version`, for a station's sync (a station's role
// may read it): units and phones ordered by version, and the newest version among them
// (`version` itself when nothing changed).
struct Changes {
    std::vector<RegisterUnit> units;
    std::vector<RegisterPhone> phones;
    std::int64_t newest = 0;
};
[[nodiscard]] Expected<Changes> changes_since(pg::Connection& conn, std::int64_t version);

} // namespace dockscan::agent::central::registry
