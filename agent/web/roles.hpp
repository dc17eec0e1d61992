#pragma once

// Least privilege in the review UI: what each role may do, checked by the server on
// every route (links are hidden as well, but hiding is not the control).
//
// Supervisors review their own units' findings: evidence, decisions, the sharper view,
// "kontroll genomförd". Quality leads follow every unit's figures, categories, decisions,
// actions and follow-ups, never the evidence. Admins manage the register and the users
// (with the CLI) and see no client data at all.

#include "agent/store/users.hpp"

#include <string_view>

namespace dockscan::agent::web {

enum class Capability {
    follow_findings, // lists, categories, decisions, actions, follow-ups (no evidence)
    see_evidence,    // masked numbers, excerpts, where on the phone, thumbnails, sharper view
    decide,          // decisions and "kontroll genomförd"
};

[[nodiscard]] bool may(users::Role role, Capability capability);

// Where a role starts after the login ("/granska", or "/start" for the admin).
[[nodiscard]] std::string_view home_path(users::Role role);

// "see findings", ...: what was refused, for the audit log.
[[nodiscard]] std::string_view to_string(Capability capability);

} // namespace dockscan::agent::web
