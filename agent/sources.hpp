#pragma once

// The table of phone sources dockscan can scan, and how a SOURCE argument picks one.
// The agent is the only place that knows the concrete backends.

#include <filesystem>
#include <memory>
#include <string>

#include "agent/error.hpp"
#include "docking/phone_source.hpp"

namespace dockscan::agent {

// Opens what `dockscan scan SOURCE` names. An unknown or unreadable source is
// ErrorCode::input with a reason a person can act on.
[[nodiscard]] Expected<std::unique_ptr<docking::PhoneSource>> open_source(
    const std::string& source);

} // namespace dockscan::agent
