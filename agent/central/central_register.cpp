#include "agent/central/central_register.hpp"

#include "base/time.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <utility>

namespace dockscan::agent::central::registry {

namespace {

// Every change to the register takes this lock first, so changes commit in the order of
// their version numbers: a station that saw version n has seen every change up to n.
constexpr std::string_view k_lock = "SELECT pg_advisory_xact_lock(724119)";

constexpr std::string_view k_phone_columns =
    "SELECT p.id, p.label, p.serial, u.name, u.area, p.from_date, coalesce(p.retired_on, ''), "
    "p.version, p.unit_id FROM register_phones p JOIN register_units u ON u.id = p.unit_id";

std::string in_quotes(std::string_view text) {
    return "'" + std::string(text) + "'";
}

template <typename T>
Expected<T> with_context(Expected<T> done, std::string_view context) {
    if (!done) {
        return fail(done.error().code, std::string(context) + ": " + done.error().message);
    }
    return done;
}

// Runs `change` in one transaction under the register's lock: committed when it
// succeeds, rolled back when not.
template <typename Change>
auto locked_transaction(pg::Connection& conn, Change&& change) -> decltype(change()) {
    return pg::in_transaction(conn,
                              [&] { return conn.exec(k_lock).and_then([&] { return change(); }); });
}

// The row of review_audit for a change, written in the change's transaction.
Expected<void> audit(pg::Connection& conn, std::string_view actor, std::string_view action,
                     std::string object, std::string detail) {
    return with_context(conn.query("INSERT INTO review_audit (at, actor, action, object, detail) "
                                   "VALUES ($1, $2, $3, $4, $5)",
                                   {base::iso8601_utc(base::unix_now()), std::string(actor),
                                    std::string(action), std::move(object), std::move(detail)}),
                        "cannot write the audit log")
        .map([](const pg::Rows&) {});
}

RegisterUnit read_unit(const std::vector<std::optional<std::string>>& row) {
    return RegisterUnit{pg::int64_of(row.at(0)), row.at(1).value_or(""), row.at(2).value_or(""),
                        pg::int64_of(row.at(3)), pg::int64_of(row.at(4))};
}

struct PhoneRow {
    RegisterPhone phone;
    std::int64_t unit_id = 0;
};

PhoneRow read_phone(const std::vector<std::optional<std::string>>& row) {
    return PhoneRow{RegisterPhone{pg::int64_of(row.at(0)), row.at(1).value_or(""),
                                  row.at(2).value_or(""), row.at(3).value_or(""),
                                  row.at(4).value_or(""), row.at(5).value_or(""),
                                  row.at(6).value_or(""), pg::int64_of(row.at(7))},
                    pg::int64_of(row.at(8))};
}

// The unit of that name, whatever its area, or nothing.
Expected<std::optional<RegisterUnit>> find_unit(pg::Connection& conn, std::string_view name) {
    DOCKSCAN_TRY_ASSIGN(const pg::Rows rows,
                        with_context(conn.query("SELECT id, name, area, 0, version FROM "
                                                "register_units WHERE name = $1",
                                                {std::string(name)}),
                                     "cannot read the register's units"));
    if (rows.rows.empty()) {
        return std::nullopt;
    }
    return read_unit(rows.rows.at(0));
}

Expected<RegisterUnit> require_unit(pg::Connection& conn, std::string_view name) {
    DOCKSCAN_TRY_ASSIGN(const auto unit, find_unit(conn, name));
    if (!unit) {
        return fail(ErrorCode::config,
                    "unknown unit " + in_quotes(name) + " (see `dockscan units list --central`)");
    }
    return *unit;
}

// The phone whose `column` (label or serial) is `key`, or nothing.
Expected<std::optional<PhoneRow>> phone_by(pg::Connection& conn, std::string_view column,
                                           std::string_view key) {
    if (key.empty()) {
        return std::nullopt;
    }
    DOCKSCAN_TRY_ASSIGN(const pg::Rows rows,
                        with_context(conn.query(std::string(k_phone_columns) + " WHERE p." +
                                                    std::string(column) + " = $1",
                                                {std::string(key)}),
                                     "cannot read the register's phones"));
    if (rows.rows.empty()) {
        return std::nullopt;
    }
    return read_phone(rows.rows.at(0));
}

// The phone named by its label, or else by its serial.
Expected<PhoneRow> require_phone(pg::Connection& conn, std::string_view label_or_serial) {
    DOCKSCAN_TRY_ASSIGN(auto by_label, phone_by(conn, "label", label_or_serial));
    if (by_label) {
        return std::move(*by_label);
    }
    DOCKSCAN_TRY_ASSIGN(auto by_serial, phone_by(conn, "serial", label_or_serial));
    if (by_serial) {
        return std::move(*by_serial);
    }
    return fail(ErrorCode::config, "unknown phone " + in_quotes(label_or_serial) +
                                       " (see `dockscan phones list --central`)");
}

// add_phone's work inside the caller's transaction, the date already checked.
Expected<void> insert_phone(pg::Connection& conn, const inventory::PhoneRegistration& phone,
                            const std::string& from) {
    DOCKSCAN_TRY(inventory::check_name("phone label", phone.label));
    if (phone.serial.empty()) {
        return fail(ErrorCode::usage, "the central register names phones by serial: give "
                                      "--serial (or the UDID of an iPhone)");
    }
    DOCKSCAN_TRY(inventory::check_name("serial", phone.serial));
    DOCKSCAN_TRY_ASSIGN(const RegisterUnit unit, require_unit(conn, phone.unit));
    DOCKSCAN_TRY_ASSIGN(const auto by_serial, phone_by(conn, "serial", phone.serial));
    if (by_serial) {
        return fail(ErrorCode::config,
                    "serial " + in_quotes(phone.serial) + " is registered as phone " +
                        in_quotes(by_serial->phone.label) + " in unit " +
                        in_quotes(by_serial->phone.unit) +
                        "; use `dockscan phones move --central` to change its unit");
    }
    DOCKSCAN_TRY_ASSIGN(const auto by_label, phone_by(conn, "label", phone.label));
    if (by_label) {
        return fail(ErrorCode::config, "the label " + in_quotes(phone.label) +
                                           " belongs to another phone than serial " +
                                           in_quotes(phone.serial));
    }
    return with_context(conn.query("INSERT INTO register_phones (label, serial, unit_id, "
                                   "from_date) VALUES ($1, $2, $3, $4)",
                                   {phone.label, phone.serial, std::to_string(unit.id), from}),
                        "cannot register the phone")
        .map([](const pg::Rows&) {});
}

// move_phone's work inside the caller's transaction, the date already checked.
Expected<void> update_unit(pg::Connection& conn, const PhoneRow& phone, const RegisterUnit& target,
                           const std::string& from) {
    if (from < phone.phone.from_date) {
        return fail(ErrorCode::usage, "phone " + in_quotes(phone.phone.label) +
                                          " belongs to unit " + in_quotes(phone.phone.unit) +
                                          " from " + phone.phone.from_date +
                                          ": a move is dated on or after that");
    }
    return with_context(
               conn.query("UPDATE register_phones SET unit_id = $2, from_date = $3 "
                          "WHERE id = $1",
                          {std::to_string(phone.phone.id), std::to_string(target.id), from}),
               "cannot move the phone")
        .map([](const pg::Rows&) {});
}

} // namespace

Expected<std::int64_t> add_unit(pg::Connection& conn, std::string_view name, std::string_view area,
                                std::string_view actor) {
    DOCKSCAN_TRY(inventory::check_name("unit name", name));
    const auto canonical = inventory::canonical_area(area);
    if (!canonical) {
        std::string accepted;
        for (const std::string_view known : inventory::k_areas) {
            accepted += (accepted.empty() ? "" : ", ") + std::string(known);
        }
        return fail(ErrorCode::config, "unknown verksamhetsområde " + in_quotes(area) +
                                           " (accepted: " + accepted + ")");
    }
    return locked_transaction(conn, [&]() -> Expected<std::int64_t> {
        DOCKSCAN_TRY_ASSIGN(const auto existing, find_unit(conn, name));
        if (existing) {
            return fail(ErrorCode::config, "a unit named " + in_quotes(name) + " already exists");
        }
        DOCKSCAN_TRY_ASSIGN(
            const pg::Rows inserted,
            with_context(conn.query("INSERT INTO register_units (name, area) VALUES ($1, $2) "
                                    "RETURNING id",
                                    {std::string(name), std::string(*canonical)}),
                         "cannot add the unit"));
        DOCKSCAN_TRY(audit(conn, actor, "unit_add", "unit:" + std::string(name),
                           "area=" + std::string(*canonical)));
        return pg::int64_of(inserted.rows.at(0).at(0));
    });
}

Expected<std::vector<RegisterUnit>> units(pg::Connection& conn) {
    DOCKSCAN_TRY_ASSIGN(
        const pg::Rows rows,
        with_context(conn.query("SELECT u.id, u.name, u.area, (SELECT count(*) FROM "
                                "register_phones p WHERE p.unit_id = u.id AND p.retired_on IS "
                                "NULL), u.version FROM register_units u ORDER BY u.name "
                                "COLLATE \"C\""),
                     "cannot read the register's units"));
    std::vector<RegisterUnit> all;
    for (const auto& row : rows.rows) {
        all.push_back(read_unit(row));
    }
    return all;
}

Expected<void> add_phone(pg::Connection& conn, const inventory::PhoneRegistration& phone,
                         std::string_view actor) {
    DOCKSCAN_TRY_ASSIGN(const std::string from, inventory::spell_date(phone.from_date));
    return locked_transaction(conn, [&]() -> Expected<void> {
        DOCKSCAN_TRY(insert_phone(conn, phone, from));
        return audit(conn, actor, "phone_add", "phone:" + phone.label,
                     "unit=" + phone.unit + "; from=" + from);
    });
}

Expected<void> move_phone(pg::Connection& conn, std::string_view label_or_serial,
                          std::string_view unit, std::string_view from_date,
                          std::string_view actor) {
    DOCKSCAN_TRY_ASSIGN(const std::string from, inventory::spell_date(from_date));
    return locked_transaction(conn, [&]() -> Expected<void> {
        DOCKSCAN_TRY_ASSIGN(const RegisterUnit target, require_unit(conn, unit));
        DOCKSCAN_TRY_ASSIGN(const PhoneRow phone, require_phone(conn, label_or_serial));
        if (phone.unit_id == target.id) {
            return fail(ErrorCode::config, "phone " + in_quotes(phone.phone.label) +
                                               " belongs to unit " + in_quotes(target.name) +
                                               " already");
        }
        DOCKSCAN_TRY(update_unit(conn, phone, target, from));
        return audit(conn, actor, "phone_move", "phone:" + phone.phone.label,
                     "unit=" + target.name + "; from=" + from);
    });
}

Expected<void> retire_phone(pg::Connection& conn, std::string_view label_or_serial,
                            std::string_view date, std::string_view actor) {
    DOCKSCAN_TRY(inventory::check_retire_date(date));
    return locked_transaction(conn, [&]() -> Expected<void> {
        DOCKSCAN_TRY_ASSIGN(const PhoneRow phone, require_phone(conn, label_or_serial));
        if (!phone.phone.retired_on.empty()) {
            return fail(ErrorCode::config, "phone " + in_quotes(phone.phone.label) +
                                               " was retired on " + phone.phone.retired_on);
        }
        DOCKSCAN_TRY(with_context(conn.query("UPDATE register_phones SET retired_on = $2 WHERE "
                                             "id = $1",
                                             {std::to_string(phone.phone.id), std::string(date)}),
                                  "cannot retire the phone"));
        return audit(conn, actor, "phone_retire", "phone:" + phone.phone.label,
                     "from=" + std::string(date));
    });
}

Expected<std::vector<RegisterPhone>> phones(pg::Connection& conn) {
    DOCKSCAN_TRY_ASSIGN(
        const pg::Rows rows,
        with_context(conn.query(std::string(k_phone_columns) + " ORDER BY p.label COLLATE \"C\""),
                     "cannot read the register's phones"));
    std::vector<RegisterPhone> all;
    for (const auto& row : rows.rows) {
        all.push_back(read_phone(row).phone);
    }
    return all;
}

Expected<std::vector<inventory::ImportOutcome>>
import_phones(pg::Connection& conn, const std::vector<inventory::ImportLine>& lines,
              std::string_view from_date, bool apply, std::string_view actor) {
    using inventory::ImportAction;
    DOCKSCAN_TRY_ASSIGN(const std::string from, inventory::spell_date(from_date));
    bool clean = true;
    std::vector<inventory::ImportOutcome> outcomes;
    auto checked = [&]() -> Expected<void> {
        std::map<std::string, std::int64_t, std::less<>> label_lines;
        std::map<std::string, std::int64_t, std::less<>> serial_lines;
        for (const inventory::ImportLine& line : lines) {
            inventory::ImportOutcome& outcome = outcomes.emplace_back(inventory::ImportOutcome{
                line.line, line.label, line.unit, ImportAction::unchanged, {}});
            const auto refuse = [&](std::string why) {
                outcome.error = std::move(why);
                clean = false;
            };
            const auto [label_at, label_new] = label_lines.try_emplace(line.label, line.line);
            if (!label_new) {
                refuse("the label " + in_quotes(line.label) + " is also on line " +
                       std::to_string(label_at->second));
                continue;
            }
            if (line.serial.empty()) {
                refuse("no serial: the central register names phones by serial");
                continue;
            }
            const auto [serial_at, serial_new] = serial_lines.try_emplace(line.serial, line.line);
            if (!serial_new) {
                refuse("the serial " + in_quotes(line.serial) + " is also on line " +
                       std::to_string(serial_at->second));
                continue;
            }
            if (auto named = inventory::check_name("phone label", line.label); !named) {
                refuse(named.error().message);
                continue;
            }
            DOCKSCAN_TRY_ASSIGN(const auto unit, find_unit(conn, line.unit));
            if (!unit) {
                refuse("unknown unit " + in_quotes(line.unit) +
                       " (see `dockscan units list --central`)");
                continue;
            }
            DOCKSCAN_TRY_ASSIGN(const auto by_serial, phone_by(conn, "serial", line.serial));
            DOCKSCAN_TRY_ASSIGN(const auto by_label, phone_by(conn, "label", line.label));
            if (!by_serial) {
                if (by_label) {
                    refuse("the label " + in_quotes(line.label) +
                           " belongs to another phone than serial " + in_quotes(line.serial));
                    continue;
                }
                auto added = insert_phone(conn, {line.label, line.serial, line.unit, {}}, from);
                if (!added) {
                    if (added.error().code == ErrorCode::central_unavailable ||
                        added.error().code == ErrorCode::central_refused) {
                        return tl::unexpected(added.error());
                    }
                    refuse(added.error().message);
                    continue;
                }
                outcome.action = ImportAction::add;
                continue;
            }
            if (by_serial->phone.label != line.label) {
                refuse("serial " + in_quotes(line.serial) + " is registered as phone " +
                       in_quotes(by_serial->phone.label) + ", not " + in_quotes(line.label));
                continue;
            }
            if (by_serial->unit_id == unit->id) {
                continue;
            }
            if (auto moved = update_unit(conn, *by_serial, *unit, from); !moved) {
                refuse(moved.error().message);
                continue;
            }
            outcome.action = ImportAction::move;
        }
        if (!clean || !apply) {
            return {};
        }
        for (const auto& outcome : outcomes) {
            if (outcome.action == ImportAction::unchanged) {
                continue;
            }
            const bool moved = outcome.action == ImportAction::move;
            DOCKSCAN_TRY(audit(conn, actor, moved ? "phone_move" : "phone_add",
                               "phone:" + outcome.label,
                               "unit=" + outcome.unit + "; from=" + from + "; import line " +
                                   std::to_string(outcome.line)));
        }
        return {};
    };
    DOCKSCAN_TRY(conn.exec("BEGIN"));
    auto done = conn.exec(k_lock).and_then(checked);
    if (!done || !clean || !apply) {
        (void)conn.exec("ROLLBACK");
        DOCKSCAN_TRY(done);
        return outcomes;
    }
    DOCKSCAN_TRY(conn.exec("COMMIT"));
    return outcomes;
}

Expected<Changes> changes_since(pg::Connection& conn, std::int64_t version) {
    constexpr std::string_view k_context = "cannot read the central register";
    const std::string after = std::to_string(version);
    Changes changes;
    changes.newest = version;
    // One snapshot for both reads: a unit and its phones changed together arrive together.
    DOCKSCAN_TRY(conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    auto read = [&]() -> Expected<void> {
        DOCKSCAN_TRY_ASSIGN(const pg::Rows unit_rows,
                            with_context(conn.query("SELECT id, name, area, 0, version FROM "
                                                    "register_units WHERE version > $1 ORDER "
                                                    "BY version",
                                                    {after}),
                                         k_context));
        for (const auto& row : unit_rows.rows) {
            changes.units.push_back(read_unit(row));
            changes.newest = std::max(changes.newest, changes.units.back().version);
        }
        DOCKSCAN_TRY_ASSIGN(const pg::Rows phone_rows,
                            with_context(conn.query(std::string(k_phone_columns) +
                                                        " WHERE p.version > $1 ORDER BY p.version",
                                                    {after}),
                                         k_context));
        for (const auto& row : phone_rows.rows) {
            changes.phones.push_back(read_phone(row).phone);
            changes.newest = std::max(changes.newest, changes.phones.back().version);
        }
        return {};
    };
    auto done = read();
    (void)conn.exec(done ? "COMMIT" : "ROLLBACK");
    DOCKSCAN_TRY(done);
    return changes;
}

} // namespace dockscan::agent::central::registry
