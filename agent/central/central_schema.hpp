#pragma once

// The central database's schema (PostgreSQL): versioned migrations that the owner role
// applies (`dockscan central migrate`), the stations and their login roles, and the
// review server's role. Access is decided in the database itself: each station's role
// writes and reads only its own rows (row-level security), the review role reads all and
// writes decisions.

#include "agent/central/pg_seam.hpp"
#include "agent/error.hpp"

#include <string>
#include <string_view>

namespace dockscan::agent::central {

// The newest schema version this dockscan knows.
[[nodiscard]] int schema_version();

// Applies the migrations the database lacks, each in its own transaction, and returns
// the version it is at. Run as the database's owner (it creates the group roles
// dockscan_station and dockscan_review when they are missing).
[[nodiscard]] Expected<int> migrate(pg::Connection& owner);

// Registers a station: its id (as its config names it) and its login role, whose name
// is the CN of its client certificate. Creates the role when it does not exist.
[[nodiscard]] Expected<void> add_station(pg::Connection& owner, std::string_view station_id,
                                         std::string_view role);

// Creates (when missing) a login role for a review server, member of dockscan_review.
[[nodiscard]] Expected<void> add_review_role(pg::Connection& owner, std::string_view role);

// Checks that `conn` is logged in as a member of dockscan_review. A station's role may
// read its own rows: a municipality's report from them would silently cover one
// station. ErrorCode::config when it is not the review role.
[[nodiscard]] Expected<void> require_review_role(pg::Connection& conn);

} // namespace dockscan::agent::central
