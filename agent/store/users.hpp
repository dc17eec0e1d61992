#pragma once

// The people who use the review UI, their roles and units, and their passwords
// (argon2id via libsodium, which only agent/store links).

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::users {

enum class Role { supervisor, quality_lead, admin };

// "supervisor", "quality_lead", "admin": the stored and command-line names.
[[nodiscard]] std::string_view to_string(Role role);
[[nodiscard]] std::optional<Role> parse_role(std::string_view text);

struct User {
    std::int64_t id;
    std::string name;
    std::string display_name;
    Role role;
    bool disabled;
    std::string created_at;
    std::vector<std::string> units; // unit names (a supervisor's; others see all)
    // Counts up when the password changes or the user is disabled: a session started
    // under an older generation has ended.
    std::int64_t generation = 0;
};

struct NewUser {
    std::string name;
    std::string display_name;
    Role role;
    std::vector<std::string> units;
};

// What a login checks: the user and the stored argon2id hash.
struct Credentials {
    User user;
    std::string password_hash;
};

// Checks a user name: 1 to 64 of a-z, 0-9, '.', '_', '-' (ErrorCode::usage).
[[nodiscard]] Expected<void> check_name(std::string_view name);

// Checks a password: 10 to 1024 bytes, no control characters (ErrorCode::usage).
[[nodiscard]] Expected<void> check_password(std::string_view password);

// An argon2id hash string (libsodium's crypto_pwhash_str, interactive limits).
[[nodiscard]] Expected<std::string> hash_password(std::string_view password);

// True when `password` matches the argon2id `hash`.
[[nodiscard]] bool verify_password(const std::string& hash, std::string_view password);

// Adds a user with a password. ErrorCode::config when the name is taken or a unit is
// unknown; a supervisor needs at least one unit.
[[nodiscard]] Expected<std::int64_t> add_user(Store& store, const NewUser& user,
                                              std::string_view password);

// Every user by name.
[[nodiscard]] Expected<std::vector<User>> list(Store& store);

// The user and password hash for a login, or nothing for an unknown name.
[[nodiscard]] Expected<std::optional<Credentials>> credentials(Store& store, std::string_view name);

// Replaces a user's password and ends their sessions (the generation counts up);
// ErrorCode::config for an unknown user.
[[nodiscard]] Expected<void> set_password(Store& store, std::string_view name,
                                          std::string_view password);

// Disables a user: no more logins, and their sessions end (the generation counts up).
// ErrorCode::config for an unknown user.
[[nodiscard]] Expected<void> disable(Store& store, std::string_view name);

// Enables a disabled user again. ErrorCode::config for an unknown user.
[[nodiscard]] Expected<void> enable(Store& store, std::string_view name);

// Replaces the units a supervisor reviews. ErrorCode::config for an unknown user or unit,
// or a user who is no supervisor (quality leads and admins see all units).
[[nodiscard]] Expected<void> set_units(Store& store, std::string_view name,
                                       const std::vector<std::string>& units);

} // namespace dockscan::agent::users
