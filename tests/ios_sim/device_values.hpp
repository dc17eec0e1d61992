#pragma once

// The values lockdownd's GetValue answers: the phone's identity and properties, by
// domain, and which of them it gives away before a paired session exists.

#include "tests/ios_sim/plist_util.hpp"

#include <optional>
#include <string>

namespace dockscan::testing::ios_sim {

class SimState;

enum class Session { none, active };

// All values of `domain` ("" is the global domain) that may be read in `session`.
[[nodiscard]] Plist domain_values(const SimState& state, const std::string& domain,
                                  Session session);

} // namespace dockscan::testing::ios_sim
