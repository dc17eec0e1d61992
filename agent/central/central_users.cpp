#include "agent/central/central_users.hpp"

#include "base/time.hpp"

#include <charconv>
#include <map>
#include <utility>

namespace dockscan::agent::central {

namespace {

// Byte order, as SQLite compares on a station: `users list` prints the same order on
// either side, whatever the database's collation.
constexpr std::string_view k_user_columns =
    "SELECT id, name, display_name, role, disabled, created_at, password_hash, generation FROM "
    "users";

// `prefix` and then `name` in single quotes, for messages.
std::string naming(std::string_view prefix, std::string_view name) {
    std::string message(prefix);
    message += '\'';
    message += name;
    message += '\'';
    return message;
}

Expected<void> with_context(const Expected<pg::Rows>& done, std::string_view context) {
    if (!done) {
        return fail(done.error().code, std::string(context) + ": " + done.error().message);
    }
    return {};
}

// The row of review_audit for a change to a user, written in the change's transaction.
Expected<void> audit(pg::Connection& conn, std::string_view actor, std::string_view action,
                     std::string_view name, std::string detail) {
    return with_context(
        conn.query("INSERT INTO review_audit (at, actor, action, object, detail) "
                   "VALUES ($1, $2, $3, $4, $5)",
                   {base::iso8601_utc(base::unix_now()), std::string(actor), std::string(action),
                    "user:" + std::string(name), std::move(detail)}),
        "cannot write the audit log");
}

Expected<users::Credentials> read_user(const std::vector<std::optional<std::string>>& row) {
    const std::string name = row.at(1).value_or("");
    const auto role = users::parse_role(row.at(3).value_or(""));
    if (!role) {
        return fail(ErrorCode::central_refused, "user " + name + " has an unknown role");
    }
    return users::Credentials{users::User{pg::int64_of(row.at(0)),
                                          name,
                                          row.at(2).value_or(""),
                                          *role,
                                          pg::int64_of(row.at(4)) != 0,
                                          row.at(5).value_or(""),
                                          {},
                                          pg::int64_of(row.at(7))},
                              row.at(6).value_or("")};
}

// Links `user_id` to each unit name, which some station must have synced.
Expected<void> link_units(pg::Connection& conn, std::int64_t user_id,
                          const std::vector<std::string>& units) {
    constexpr std::string_view k_context = "cannot set the user's units";
    for (const std::string& unit : units) {
        auto known = conn.query("SELECT EXISTS (SELECT 1 FROM units WHERE name = $1)", {unit});
        DOCKSCAN_TRY(with_context(known, k_context));
        if (known->rows.at(0).at(0).value_or("f") != "t") {
            return fail(ErrorCode::config,
                        naming("unknown unit ", unit) +
                            ": no station has synced a unit of that name (see `dockscan units "
                            "list` at the stations, and `dockscan central sync`)");
        }
        DOCKSCAN_TRY(with_context(conn.query("INSERT INTO user_units (user_id, unit_name) "
                                             "VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                             {std::to_string(user_id), unit}),
                                  k_context));
    }
    return {};
}

std::string joined(const std::vector<std::string>& units) {
    std::string text;
    for (const std::string& unit : units) {
        if (!text.empty()) {
            text += ',';
        }
        text += unit;
    }
    return text;
}

// Runs an UPDATE of one user by name ($1) and audits it; ErrorCode::config when there is
// no such user.
Expected<void> update_user(pg::Connection& conn, const std::string& sql, std::string_view name,
                           std::vector<pg::Param> params, std::string_view action,
                           std::string_view actor, std::string_view context) {
    params.insert(params.begin(), std::string(name));
    return pg::in_transaction(conn, [&]() -> Expected<void> {
        auto updated = conn.query(sql, params);
        DOCKSCAN_TRY(with_context(updated, context));
        if (updated->affected != 1) {
            return fail(ErrorCode::config, naming("unknown user ", name));
        }
        return audit(conn, actor, action, name, "");
    });
}

} // namespace

Expected<std::int64_t> add_user(pg::Connection& conn, const users::NewUser& user,
                                std::string_view password, std::string_view actor) {
    constexpr std::string_view k_context = "cannot add the user";
    DOCKSCAN_TRY(users::check_name(user.name));
    DOCKSCAN_TRY(users::check_password(password));
    if (user.role == users::Role::supervisor && user.units.empty()) {
        return fail(ErrorCode::usage, "a supervisor needs at least one --unit");
    }
    // Hashing takes a while: done before the transaction starts.
    DOCKSCAN_TRY_ASSIGN(const std::string hash, users::hash_password(password));
    const std::string role(users::to_string(user.role));
    return pg::in_transaction(conn, [&]() -> Expected<std::int64_t> {
        auto inserted = conn.query(
            "INSERT INTO users (name, display_name, role, password_hash, created_at) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING RETURNING id",
            {user.name, user.display_name, role, hash, base::iso8601_utc(base::unix_now())});
        DOCKSCAN_TRY(with_context(inserted, k_context));
        if (inserted->rows.empty()) {
            return fail(ErrorCode::config, naming("a user named ", user.name) + " already exists");
        }
        const std::int64_t id = pg::int64_of(inserted->rows.at(0).at(0));
        DOCKSCAN_TRY(link_units(conn, id, user.units));
        const std::string units = joined(user.units);
        DOCKSCAN_TRY(audit(conn, actor, "user_add", user.name,
                           "role=" + role + (units.empty() ? "" : " units=" + units)));
        return id;
    });
}

Expected<std::vector<users::User>> list(pg::Connection& conn) {
    constexpr std::string_view k_context = "cannot read the users";
    auto rows = conn.query(std::string(k_user_columns) + " ORDER BY name COLLATE \"C\"");
    DOCKSCAN_TRY(with_context(rows, k_context));
    auto links =
        conn.query("SELECT user_id, unit_name FROM user_units ORDER BY unit_name COLLATE \"C\"");
    DOCKSCAN_TRY(with_context(links, k_context));
    std::map<std::int64_t, std::vector<std::string>> units;
    for (const auto& link : links->rows) {
        units[pg::int64_of(link.at(0))].push_back(link.at(1).value_or(""));
    }
    std::vector<users::User> all;
    all.reserve(rows->rows.size());
    for (const auto& row : rows->rows) {
        DOCKSCAN_TRY_ASSIGN(auto read, read_user(row));
        read.user.units = std::move(units[read.user.id]);
        all.push_back(std::move(read.user));
    }
    return all;
}

Expected<std::optional<users::Credentials>> credentials(pg::Connection& conn,
                                                        std::string_view name) {
    constexpr std::string_view k_context = "cannot read the user";
    auto rows = conn.query(std::string(k_user_columns) + " WHERE name = $1", {std::string(name)});
    DOCKSCAN_TRY(with_context(rows, k_context));
    if (rows->rows.empty()) {
        return std::nullopt;
    }
    DOCKSCAN_TRY_ASSIGN(auto read, read_user(rows->rows.at(0)));
    auto links = conn.query("SELECT unit_name FROM user_units WHERE user_id = $1 "
                            "ORDER BY unit_name COLLATE \"C\"",
                            {std::to_string(read.user.id)});
    DOCKSCAN_TRY(with_context(links, k_context));
    for (const auto& link : links->rows) {
        read.user.units.push_back(link.at(0).value_or(""));
    }
    return read;
}

Expected<void> set_password(pg::Connection& conn, std::string_view name, std::string_view password,
                            std::string_view actor) {
    DOCKSCAN_TRY(users::check_password(password));
    DOCKSCAN_TRY_ASSIGN(std::string hash, users::hash_password(password));
    return update_user(
        conn, "UPDATE users SET password_hash = $2, generation = generation + 1 WHERE name = $1",
        name, {std::move(hash)}, "user_passwd", actor, "cannot change the password");
}

Expected<void> disable(pg::Connection& conn, std::string_view name, std::string_view actor) {
    return update_user(conn,
                       "UPDATE users SET disabled = 1, generation = generation + 1 WHERE name = $1",
                       name, {}, "user_disable", actor, "cannot disable the user");
}

Expected<void> enable(pg::Connection& conn, std::string_view name, std::string_view actor) {
    return update_user(conn, "UPDATE users SET disabled = 0 WHERE name = $1", name, {},
                       "user_enable", actor, "cannot enable the user");
}

Expected<void> set_units(pg::Connection& conn, std::string_view name,
                         const std::vector<std::string>& units, std::string_view actor) {
    constexpr std::string_view k_context = "cannot change the user's units";
    return pg::in_transaction(conn, [&]() -> Expected<void> {
        DOCKSCAN_TRY_ASSIGN(const auto known, credentials(conn, name));
        if (!known) {
            return fail(ErrorCode::config, naming("unknown user ", name));
        }
        if (known->user.role != users::Role::supervisor) {
            return fail(ErrorCode::config, naming("", name) + " is no supervisor: " +
                                               std::string(users::to_string(known->user.role)) +
                                               "s see all units");
        }
        if (units.empty()) {
            return fail(ErrorCode::usage, "a supervisor reviews at least one unit (--unit)");
        }
        DOCKSCAN_TRY(with_context(conn.query("DELETE FROM user_units WHERE user_id = $1",
                                             {std::to_string(known->user.id)}),
                                  k_context));
        DOCKSCAN_TRY(link_units(conn, known->user.id, units));
        return audit(conn, actor, "user_units", name, "units=" + joined(units));
    });
}

} // namespace dockscan::agent::central
