#pragma once

// The central review server's users in PostgreSQL, managed as a station manages its own
// (agent/store/users.hpp: the same rules, errors and password hashes), on a connection as
// the review role. A supervisor's units are unit names: the same name at two stations is
// one unit. Each change is one transaction that also writes its row of review_audit.

#include "agent/central/pg_seam.hpp"
#include "agent/error.hpp"
#include "agent/store/users.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::central {

// Adds a user with a password; `actor` is who did it, for review_audit ("cli:anna").
// ErrorCode::config when the name is taken or no station has synced a unit of a given
// name; ErrorCode::usage for a supervisor without units.
[[nodiscard]] Expected<std::int64_t> add_user(pg::Connection& conn, const users::NewUser& user,
                                              std::string_view password, std::string_view actor);

// Every user by name (in byte order, as on a station), with their unit names.
[[nodiscard]] Expected<std::vector<users::User>> list(pg::Connection& conn);

// The user and password hash for a login, or nothing for an unknown name.
[[nodiscard]] Expected<std::optional<users::Credentials>> credentials(pg::Connection& conn,
                                                                      std::string_view name);

// Replaces a user's password and ends their sessions (the generation counts up);
// ErrorCode::config for an unknown user.
[[nodiscard]] Expected<void> set_password(pg::Connection& conn, std::string_view name,
                                          std::string_view password, std::string_view actor);

// Disables a user: no more logins, and their sessions end (the generation counts up).
// ErrorCode::config for an unknown user.
[[nodiscard]] Expected<void> disable(pg::Connection& conn, std::string_view name,
                                     std::string_view actor);

// Enables a disabled user again. ErrorCode::config for an unknown user.
[[nodiscard]] Expected<void> enable(pg::Connection& conn, std::string_view name,
                                    std::string_view actor);

// Replaces the unit names a supervisor reviews. ErrorCode::config for an unknown user or
// unit, or a user who is no supervisor (quality leads and admins see all units).
[[nodiscard]] Expected<void> set_units(pg::Connection& conn, std::string_view name,
                                       const std::vector<std::string>& units,
                                       std::string_view actor);

} // namespace dockscan::agent::central
