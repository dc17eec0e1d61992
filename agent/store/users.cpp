#include "agent/store/users.hpp"

#include "agent/store/sodium_seam.hpp"
#include "agent/store/store_internal.hpp"
#include "base/text.hpp"
#include "base/time.hpp"

namespace dockscan::agent::users {

namespace {

using store_detail::in_quotes;
using store_detail::Transaction;

constexpr std::size_t k_max_name = 64;
constexpr std::size_t k_min_password = 10;
constexpr std::size_t k_max_password = 1024;

Expected<std::vector<std::string>> units_of(base::sqlite::Database& db, std::int64_t user_id) {
    constexpr std::string_view k_context = "cannot read the user's units";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select,
                              db.prepare("SELECT u.name FROM user_units uu JOIN units u ON u.id = "
                                         "uu.unit_id WHERE uu.user_id = ?1 ORDER BY u.name"),
                              k_context);
    select.bind(1, user_id);
    std::vector<std::string> names;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        names.push_back(select.column_text(0));
    }
    return names;
}

constexpr std::string_view k_user_columns =
    "SELECT id, name, display_name, role, disabled, created_at, password_hash, generation FROM "
    "users";

Expected<Credentials> read_user(base::sqlite::Database& db, base::sqlite::Statement& select) {
    const auto role = parse_role(select.column_text(3));
    if (!role) {
        return fail(ErrorCode::store_schema,
                    "user " + select.column_text(1) + " has an unknown role");
    }
    Credentials row{User{select.column_int(0),
                         select.column_text(1),
                         select.column_text(2),
                         *role,
                         select.column_int(4) != 0,
                         select.column_text(5),
                         {},
                         select.column_int(7)},
                    select.column_text(6)};
    DOCKSCAN_TRY_ASSIGN(row.user.units, units_of(db, row.user.id));
    return row;
}

// Runs an UPDATE on one user by name; ErrorCode::config when there is no such user.
Expected<void> update_user(Store& store, std::string_view sql, std::string_view name,
                           std::string_view value, std::string_view context) {
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(auto update, db.prepare(sql), context);
    update.bind_text(1, name);
    update.bind_text(2, value);
    DOCKSCAN_STORE_TRY(update.step(), context);
    if (db.changes() != 1) {
        return fail(ErrorCode::config, "unknown user " + in_quotes(name));
    }
    return {};
}

} // namespace

std::string_view to_string(Role role) {
    switch (role) {
    case Role::supervisor:
        return "supervisor";
    case Role::quality_lead:
        return "quality_lead";
    case Role::admin:
        return "admin";
    }
    return "supervisor";
}

std::optional<Role> parse_role(std::string_view text) {
    for (const Role role : {Role::supervisor, Role::quality_lead, Role::admin}) {
        if (to_string(role) == text) {
            return role;
        }
    }
    return std::nullopt;
}

Expected<void> check_name(std::string_view name) {
    if (name.empty() || name.size() > k_max_name) {
        return fail(ErrorCode::usage, "a user name is 1 to 64 characters");
    }
    for (const char c : name) {
        const bool allowed =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!allowed) {
            return fail(ErrorCode::usage, "a user name uses only a-z, 0-9, '.', '_' and '-'");
        }
    }
    return {};
}

Expected<void> check_password(std::string_view password) {
    if (password.size() < k_min_password) {
        return fail(ErrorCode::usage, "the password is too short (at least " +
                                          std::to_string(k_min_password) + " characters)");
    }
    if (password.size() > k_max_password || !base::is_valid_utf8(password)) {
        return fail(ErrorCode::usage, "the password is too long or not UTF-8 text");
    }
    for (const char c : password) {
        if (static_cast<unsigned char>(c) < 0x20) {
            return fail(ErrorCode::usage, "the password must not contain control characters");
        }
    }
    return {};
}

Expected<std::string> hash_password(std::string_view password) {
    if (!crypto::ready()) {
        return fail(ErrorCode::internal, "libsodium could not be initialised");
    }
    std::string hash = crypto::hash_password(password);
    if (hash.empty()) {
        return fail(ErrorCode::internal, "cannot hash the password (out of memory)");
    }
    return hash;
}

bool verify_password(const std::string& hash, std::string_view password) {
    return crypto::ready() && crypto::verify_password(hash, password);
}

Expected<std::int64_t> add_user(Store& store, const NewUser& user, std::string_view password) {
    constexpr std::string_view k_context = "cannot add the user";
    DOCKSCAN_TRY(check_name(user.name));
    DOCKSCAN_TRY(check_password(password));
    if (user.role == Role::supervisor && user.units.empty()) {
        return fail(ErrorCode::usage, "a supervisor needs at least one --unit");
    }
    // Hashing takes a while: do it before the write lock is taken.
    DOCKSCAN_TRY_ASSIGN(const std::string hash, hash_password(password));
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_TRY_ASSIGN(const auto existing, credentials(store, user.name));
    if (existing) {
        return fail(ErrorCode::config, "a user named " + in_quotes(user.name) + " already exists");
    }
    DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                              db.prepare("INSERT INTO users (name, display_name, role, "
                                         "password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
                              k_context);
    insert.bind_text(1, user.name);
    insert.bind_text(2, user.display_name);
    insert.bind_text(3, to_string(user.role));
    insert.bind_text(4, hash);
    insert.bind_text(5, base::iso8601_utc(base::unix_now()));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    const std::int64_t id = db.last_insert_rowid();
    DOCKSCAN_STORE_TRY_ASSIGN(auto find_unit, db.prepare("SELECT id FROM units WHERE name = ?1"),
                              k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto link,
        db.prepare("INSERT OR IGNORE INTO user_units (user_id, unit_id) VALUES (?1, ?2)"),
        k_context);
    for (const std::string& unit : user.units) {
        find_unit.bind_text(1, unit);
        DOCKSCAN_STORE_TRY_ASSIGN(const bool unit_exists, find_unit.step(), k_context);
        if (!unit_exists) {
            return fail(ErrorCode::config,
                        "unknown unit " + in_quotes(unit) + " (see `dockscan units list`)");
        }
        link.bind(1, id);
        link.bind(2, find_unit.column_int(0));
        find_unit.reset();
        DOCKSCAN_STORE_TRY(link.step(), k_context);
        link.reset();
    }
    DOCKSCAN_TRY(transaction.commit());
    return id;
}

Expected<std::vector<User>> list(Store& store) {
    constexpr std::string_view k_context = "cannot read the users";
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select, db.prepare(std::string(k_user_columns) + " ORDER BY name"), k_context);
    std::vector<User> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        DOCKSCAN_TRY_ASSIGN(auto row, read_user(db, select));
        rows.push_back(std::move(row.user));
    }
    return rows;
}

Expected<std::optional<Credentials>> credentials(Store& store, std::string_view name) {
    constexpr std::string_view k_context = "cannot read the user";
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select, db.prepare(std::string(k_user_columns) + " WHERE name = ?1"), k_context);
    select.bind_text(1, name);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (!found) {
        return std::nullopt;
    }
    DOCKSCAN_TRY_ASSIGN(auto row, read_user(db, select));
    return row;
}

Expected<void> set_password(Store& store, std::string_view name, std::string_view password) {
    DOCKSCAN_TRY(check_password(password));
    DOCKSCAN_TRY_ASSIGN(const std::string hash, hash_password(password));
    return update_user(
        store, "UPDATE users SET password_hash = ?2, generation = generation + 1 WHERE name = ?1",
        name, hash, "cannot change the password");
}

Expected<void> disable(Store& store, std::string_view name) {
    return update_user(
        store,
        "UPDATE users SET disabled = 1, generation = generation + 1 WHERE name = ?1 AND ?2 = ?2",
        name, "", "cannot disable the user");
}

Expected<void> enable(Store& store, std::string_view name) {
    return update_user(store, "UPDATE users SET disabled = 0 WHERE name = ?1 AND ?2 = ?2", name, "",
                       "cannot enable the user");
}

Expected<void> set_units(Store& store, std::string_view name,
                         const std::vector<std::string>& units) {
    constexpr std::string_view k_context = "cannot change the user's units";
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_TRY_ASSIGN(const auto known, credentials(store, name));
    if (!known) {
        return fail(ErrorCode::config, "unknown user " + in_quotes(name));
    }
    if (known->user.role != Role::supervisor) {
        return fail(ErrorCode::config, in_quotes(name) + " is no supervisor: " +
                                           std::string(to_string(known->user.role)) +
                                           "s see all units");
    }
    if (units.empty()) {
        return fail(ErrorCode::usage, "a supervisor reviews at least one unit (--unit)");
    }
    DOCKSCAN_STORE_TRY_ASSIGN(auto clear, db.prepare("DELETE FROM user_units WHERE user_id = ?1"),
                              k_context);
    clear.bind(1, known->user.id);
    DOCKSCAN_STORE_TRY(clear.step(), k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(auto find_unit, db.prepare("SELECT id FROM units WHERE name = ?1"),
                              k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto link,
        db.prepare("INSERT OR IGNORE INTO user_units (user_id, unit_id) VALUES (?1, ?2)"),
        k_context);
    for (const std::string& unit : units) {
        find_unit.bind_text(1, unit);
        DOCKSCAN_STORE_TRY_ASSIGN(const bool unit_exists, find_unit.step(), k_context);
        if (!unit_exists) {
            return fail(ErrorCode::config,
                        "unknown unit " + in_quotes(unit) + " (see `dockscan units list`)");
        }
        link.bind(1, known->user.id);
        link.bind(2, find_unit.column_int(0));
        find_unit.reset();
        DOCKSCAN_STORE_TRY(link.step(), k_context);
        link.reset();
    }
    return transaction.commit();
}

} // namespace dockscan::agent::users
