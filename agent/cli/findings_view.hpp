#pragma once

// Showing findings to a person on the command line; every showing is audited.

#include "agent/store/store.hpp"

#include <cstdint>
#include <optional>

namespace dockscan::agent {

enum class FindingsFormat { table, json };

// Prints the findings (of one scan, or all) and writes the read to the audit log.
[[nodiscard]] Expected<void> show_findings(Store& store, std::optional<std::int64_t> scan,
                                           FindingsFormat format);

} // namespace dockscan::agent
