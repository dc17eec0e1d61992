#pragma once

// Reading the audit log back for the municipality's log control (loggkontroll).

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace dockscan::agent::audit_export {

struct Record {
    std::int64_t id;
    std::string at;
    std::string actor;
    std::string action;
    std::string object;
    std::string detail;
    std::string prev_hash;
    std::string hash;
};

// Calls `emit` for every row of the audit log, oldest first, without holding all of
// them in memory (a station's log grows for years).
[[nodiscard]] Expected<void> for_each(Store& store, const std::function<void(const Record&)>& emit);

} // namespace dockscan::agent::audit_export
