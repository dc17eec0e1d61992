#pragma once

// The station's side of the register managed centrally: at each sync it fetches what
// changed in the register since the version it last applied (kept in the store's meta)
// and applies it through the station's own inventory (agent/store/inventory.hpp). A unit
// missing here is added; a phone missing here, or not yet in a unit, is registered to its
// unit; a phone in another unit is moved from the register's date; a retired phone is
// retired. A phone the station registered itself and the register does not name is left
// alone. Applying the same rows again changes nothing.

#include "agent/central/pg_seam.hpp"
#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dockscan::agent::central {

struct RegisterApplied {
    std::int64_t fetched = 0; // units and phones that changed in the register
    std::int64_t units_added = 0;
    std::int64_t phones_added = 0;
    std::int64_t phones_moved = 0;
    std::int64_t phones_retired = 0;
    // Rows this station cannot take (a label it gave another phone), with why; they are
    // not tried again until they change in the register.
    std::vector<std::string> skipped;
    std::int64_t version = 0; // the register's version now applied here

    [[nodiscard]] bool changed() const {
        return units_added + phones_added + phones_moved + phones_retired > 0;
    }
};

// Fetches and applies the register's changes (with the station's role on `conn`) and
// records each change in the station's audit log (actor "central:register").
[[nodiscard]] Expected<RegisterApplied> apply_register(Store& store, pg::Connection& conn);

// One line for the log: "register version 12: 1 unit added, 2 phones registered, ...".
[[nodiscard]] std::string describe(const RegisterApplied& applied);

} // namespace dockscan::agent::central
