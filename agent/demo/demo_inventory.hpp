#pragma once

// Demo data for `dockscan demo`, so that its quarterly report shows something: units,
// phones registered to them, and decisions on the demo scan's findings. Labels and
// names are made up; every decision is signed by the reviewer "demo".

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <string_view>

namespace dockscan::agent::demo_inventory {

// Adds "Hemtjänst Nord" (Hemtjänst) with the demo phone and five more phones that
// were never checked, and "Gruppbostad Björken" (Funktionsstöd) with three phones.
[[nodiscard]] Expected<void> seed(Store& store, std::string_view demo_phone_label);

// Decides a scan's findings as a supervisor might: identity numbers and health data
// as allvarlig avvikelse (deleted, talk with the employee, follow-up on `follow_up`),
// the rest as avvikelse (deleted). The newest finding is left open, so that the report
// also shows one that nobody has reviewed yet.
[[nodiscard]] Expected<void> decide(Store& store, std::int64_t scan_id, std::string_view follow_up);

} // namespace dockscan::agent::demo_inventory
