#include "agent/store/inventory.hpp"

#include "agent/store/store_internal.hpp"
#include "base/text.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

namespace dockscan::agent::inventory {

namespace {

using store_detail::in_quotes;
using store_detail::Transaction;

constexpr std::size_t k_max_name = 100;

std::string accepted_areas() {
    std::string list;
    for (const std::string_view area : k_areas) {
        list += list.empty() ? "" : ", ";
        list += area;
    }
    return list;
}

// A Swedish local date the admin gives for a registration or move: real, and not
// ahead (a move is recorded when it has happened or happens today).
Expected<std::string> spell_start(std::string_view given) {
    const std::string today = swedish_today();
    if (given.empty()) {
        return today;
    }
    const auto digits = [&](std::size_t at, std::size_t n) {
        int value = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (given[i] < '0' || given[i] > '9') {
                return -1;
            }
            value = value * 10 + (given[i] - '0');
        }
        return value;
    };
    const bool shaped = given.size() == 10 && given[4] == '-' && given[7] == '-';
    if (!shaped || !base::is_real_date(digits(0, 4), digits(5, 2), digits(8, 2))) {
        return fail(ErrorCode::usage, "a date is written like 2026-09-01, not " + in_quotes(given));
    }
    if (given > std::string_view(today)) {
        return fail(ErrorCode::usage, "the date " + in_quotes(given) + " is after today (" + today +
                                          "): record a move when it happens");
    }
    return std::string(given);
}

Expected<void> add_spell(base::sqlite::Database& db, std::int64_t phone_id, std::int64_t unit_id,
                         std::string_view from_date) {
    constexpr std::string_view k_context = "cannot record the phone's unit history";
    DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                              db.prepare("INSERT INTO phone_units (phone_id, unit_id, from_date, "
                                         "created_at) VALUES (?1, ?2, ?3, ?4)"),
                              k_context);
    insert.bind(1, phone_id);
    insert.bind(2, unit_id);
    insert.bind_text(3, from_date);
    insert.bind_text(4, base::iso8601_utc(base::unix_now()));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    return {};
}

struct PhoneMatch {
    std::int64_t id;
    std::string label;
    std::string serial;
    std::optional<std::int64_t> unit_id;
};

// The phone whose serial or label is `key` (serial first: it names the hardware).
Expected<std::optional<PhoneMatch>> find_phone(base::sqlite::Database& db, std::string_view key,
                                               std::string_view serial_key) {
    constexpr std::string_view k_context = "cannot read the phones";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto find,
        db.prepare("SELECT id, label, serial, unit_id, 0 AS rank FROM phones WHERE serial = ?2 "
                   "AND ?2 <> '' UNION ALL SELECT id, label, serial, unit_id, 1 FROM phones "
                   "WHERE label = ?1 ORDER BY rank LIMIT 1"),
        k_context);
    find.bind_text(1, key);
    find.bind_text(2, serial_key);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, find.step(), k_context);
    if (!found) {
        return std::nullopt;
    }
    PhoneMatch match{find.column_int(0), find.column_text(1), find.column_text(2), std::nullopt};
    if (!find.is_null(3)) {
        match.unit_id = find.column_int(3);
    }
    return match;
}

Expected<Unit> require_unit(Store& store, std::string_view name) {
    DOCKSCAN_TRY_ASSIGN(const auto unit, find_unit(store, name));
    if (!unit) {
        return fail(ErrorCode::config,
                    "unknown unit " + in_quotes(name) + " (see `dockscan units list`)");
    }
    return *unit;
}

} // namespace

std::optional<std::string_view> canonical_area(std::string_view text) {
    const std::string wanted = base::to_lower_sv(text);
    for (const std::string_view area : k_areas) {
        if (base::to_lower_sv(area) == wanted) {
            return area;
        }
    }
    return std::nullopt;
}

Expected<void> check_name(std::string_view what, std::string_view name) {
    bool only_spaces = true;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return fail(ErrorCode::usage,
                        std::string(what) + " must not contain control characters");
        }
        only_spaces = only_spaces && c == ' ';
    }
    if (name.empty() || only_spaces || name.size() > k_max_name || !base::is_valid_utf8(name)) {
        return fail(ErrorCode::usage, std::string(what) + " must be 1 to " +
                                          std::to_string(k_max_name) + " bytes of text");
    }
    return {};
}

Expected<std::int64_t> add_unit(Store& store, std::string_view name, std::string_view area) {
    constexpr std::string_view k_context = "cannot add the unit";
    DOCKSCAN_TRY(check_name("unit name", name));
    const auto canonical = canonical_area(area);
    if (!canonical) {
        return fail(ErrorCode::config, "unknown verksamhetsområde " + in_quotes(area) +
                                           " (accepted: " + accepted_areas() + ")");
    }
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_TRY_ASSIGN(const auto existing, find_unit(store, name));
    if (existing) {
        return fail(ErrorCode::config, "a unit named " + in_quotes(name) + " already exists");
    }
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert, db.prepare("INSERT INTO units (name, area) VALUES (?1, ?2)"), k_context);
    insert.bind_text(1, name);
    insert.bind_text(2, *canonical);
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    const std::int64_t id = db.last_insert_rowid();
    DOCKSCAN_TRY(transaction.commit());
    return id;
}

Expected<std::vector<Unit>> units(Store& store) {
    constexpr std::string_view k_context = "cannot read the units";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT u.id, u.name, u.area, (SELECT count(*) FROM phones p "
                                 "WHERE p.unit_id = u.id) FROM units u ORDER BY u.name"),
        k_context);
    std::vector<Unit> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        rows.push_back(Unit{select.column_int(0), select.column_text(1), select.column_text(2),
                            select.column_int(3)});
    }
    return rows;
}

Expected<std::optional<Unit>> find_unit(Store& store, std::string_view name) {
    constexpr std::string_view k_context = "cannot read the units";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT u.id, u.name, u.area, (SELECT count(*) FROM phones p "
                                 "WHERE p.unit_id = u.id) FROM units u WHERE u.name = ?1"),
        k_context);
    select.bind_text(1, name);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (!found) {
        return std::nullopt;
    }
    return Unit{select.column_int(0), select.column_text(1), select.column_text(2),
                select.column_int(3)};
}

namespace {

// add_phone's work inside the caller's transaction, `from_date` already checked.
Expected<Registered> register_phone(Store& store, const PhoneRegistration& phone,
                                    const std::string& from_date) {
    constexpr std::string_view k_context = "cannot register the phone";
    DOCKSCAN_TRY(check_name("phone label", phone.label));
    if (!phone.serial.empty()) {
        DOCKSCAN_TRY(check_name("serial", phone.serial));
    }
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(const Unit unit, require_unit(store, phone.unit));
    DOCKSCAN_TRY_ASSIGN(const auto by_serial, find_phone(db, "", phone.serial));
    DOCKSCAN_TRY_ASSIGN(const auto by_label, find_phone(db, phone.label, ""));
    if (by_serial && by_label && by_serial->id != by_label->id) {
        return fail(ErrorCode::config, "the label " + in_quotes(phone.label) +
                                           " belongs to another phone than serial " +
                                           in_quotes(phone.serial));
    }
    const auto known = by_serial ? by_serial : by_label;
    if (!known) {
        const std::string now = base::iso8601_utc(base::unix_now());
        DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                                  db.prepare("INSERT INTO phones (label, serial, unit_id, "
                                             "first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)"),
                                  k_context);
        insert.bind_text(1, phone.label);
        insert.bind_text(2, phone.serial);
        insert.bind(3, unit.id);
        insert.bind_text(4, now);
        DOCKSCAN_STORE_TRY(insert.step(), k_context);
        DOCKSCAN_TRY(add_spell(db, db.last_insert_rowid(), unit.id, from_date));
        return Registered::new_phone;
    }
    if (!phone.serial.empty() && !known->serial.empty() && known->serial != phone.serial) {
        return fail(ErrorCode::config, "phone " + in_quotes(phone.label) + " has the serial " +
                                           in_quotes(known->serial) + ", not " +
                                           in_quotes(phone.serial));
    }
    if (known->unit_id) {
        return fail(ErrorCode::config, "phone " + in_quotes(known->label) +
                                           " is already registered to a unit; use "
                                           "`dockscan phones move` to change it");
    }
    // A phone a scan recorded before it was registered: it keeps its scans and
    // findings, and from now on carries the admin's label.
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update,
        db.prepare("UPDATE phones SET label = ?2, serial = CASE WHEN ?3 <> '' THEN ?3 ELSE "
                   "serial END, unit_id = ?4 WHERE id = ?1"),
        k_context);
    update.bind(1, known->id);
    update.bind_text(2, phone.label);
    update.bind_text(3, phone.serial);
    update.bind(4, unit.id);
    DOCKSCAN_STORE_TRY(update.step(), k_context);
    DOCKSCAN_TRY(add_spell(db, known->id, unit.id, from_date));
    return Registered::known_phone;
}

// move_phone's work inside the caller's transaction, `from` already checked.
Expected<void> move_registered(Store& store, std::string_view label_or_serial,
                               std::string_view unit, const std::string& from) {
    constexpr std::string_view k_context = "cannot move the phone";
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(const Unit target, require_unit(store, unit));
    DOCKSCAN_TRY_ASSIGN(const auto phone, find_phone(db, label_or_serial, label_or_serial));
    if (!phone) {
        return fail(ErrorCode::config, "unknown phone " + in_quotes(label_or_serial) +
                                           " (see `dockscan phones list`)");
    }
    // A phone registered without history (by a path that only set its unit): its unit
    // so far is the one it had before this move.
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto keep,
        db.prepare("INSERT INTO phone_units (phone_id, unit_id, from_date, created_at) "
                   "SELECT id, unit_id, '0000-01-01', ?2 FROM phones WHERE id = ?1 AND unit_id "
                   "IS NOT NULL AND NOT EXISTS (SELECT 1 FROM phone_units WHERE phone_id = ?1)"),
        k_context);
    keep.bind(1, phone->id);
    keep.bind_text(2, base::iso8601_utc(base::unix_now()));
    DOCKSCAN_STORE_TRY(keep.step(), k_context);
    DOCKSCAN_TRY(add_spell(db, phone->id, target.id, from));
    // Today's unit is the newest spell's: a move dated before a later one does not
    // change where the phone is now.
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update,
        db.prepare("UPDATE phones SET unit_id = (SELECT unit_id FROM phone_units WHERE "
                   "phone_id = ?1 ORDER BY from_date DESC, id DESC LIMIT 1) WHERE id = ?1"),
        k_context);
    update.bind(1, phone->id);
    DOCKSCAN_STORE_TRY(update.step(), k_context);
    return {};
}

} // namespace

Expected<Registered> add_phone(Store& store, const PhoneRegistration& phone) {
    DOCKSCAN_TRY_ASSIGN(const std::string from_date, spell_start(phone.from_date));
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(store.database()));
    DOCKSCAN_TRY_ASSIGN(const Registered registered, register_phone(store, phone, from_date));
    DOCKSCAN_TRY(transaction.commit());
    return registered;
}

Expected<void> move_phone(Store& store, std::string_view label_or_serial, std::string_view unit,
                          std::string_view from_date) {
    DOCKSCAN_TRY_ASSIGN(const std::string from, spell_start(from_date));
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(store.database()));
    DOCKSCAN_TRY(move_registered(store, label_or_serial, unit, from));
    return transaction.commit();
}

Expected<std::vector<UnitSpell>> unit_history(Store& store, std::string_view label_or_serial) {
    constexpr std::string_view k_context = "cannot read the phone's unit history";
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(const auto phone, find_phone(db, label_or_serial, label_or_serial));
    if (!phone) {
        return fail(ErrorCode::config, "unknown phone " + in_quotes(label_or_serial) +
                                           " (see `dockscan phones list`)");
    }
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        db.prepare("SELECT coalesce(u.name, ''), h.from_date FROM phone_units h LEFT JOIN units "
                   "u ON u.id = h.unit_id WHERE h.phone_id = ?1 ORDER BY h.from_date, h.id"),
        k_context);
    select.bind(1, phone->id);
    std::vector<UnitSpell> spells;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool more, select.step(), k_context);
        if (!more) {
            return spells;
        }
        spells.push_back({select.column_text(0), select.column_text(1)});
    }
}

std::string swedish_today() {
    const base::Date today = base::swedish_date(base::unix_now());
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", today.year, today.month, today.day);
    return buf;
}

Expected<std::vector<Phone>> phones(Store& store) {
    constexpr std::string_view k_context = "cannot read the phones";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare("SELECT p.id, p.label, p.serial, p.model, coalesce(u.name, ''), "
                                 "p.first_seen, p.last_seen, coalesce(p.retired_on, '') FROM "
                                 "phones p LEFT JOIN units u ON u.id = p.unit_id ORDER BY p.label"),
        k_context);
    std::vector<Phone> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        rows.push_back(Phone{select.column_int(0), select.column_text(1), select.column_text(2),
                             select.column_text(3), select.column_text(4), select.column_text(5),
                             select.column_text(6), select.column_text(7)});
    }
    return rows;
}

Expected<std::optional<Phone>> find_phone(Store& store, std::string_view label_or_serial) {
    DOCKSCAN_TRY_ASSIGN(const auto all, phones(store));
    for (const Phone& phone : all) {
        if (phone.label == label_or_serial) {
            return phone;
        }
    }
    for (const Phone& phone : all) {
        if (!phone.serial.empty() && phone.serial == label_or_serial) {
            return phone;
        }
    }
    return std::nullopt;
}

Expected<std::string> spell_date(std::string_view given) {
    return spell_start(given);
}

Expected<void> check_retire_date(std::string_view date) {
    const bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
                        std::all_of(date.begin(), date.end(),
                                    [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
    if (!shaped || !base::is_real_date(std::stoi(std::string(date.substr(0, 4))),
                                       std::stoi(std::string(date.substr(5, 2))),
                                       std::stoi(std::string(date.substr(8, 2))))) {
        return fail(ErrorCode::usage,
                    "the date " + in_quotes(date) + " is not a date (YYYY-MM-DD)");
    }
    return {};
}

Expected<void> retire_phone(Store& store, std::string_view label_or_serial, std::string_view date) {
    constexpr std::string_view k_context = "cannot retire the phone";
    DOCKSCAN_TRY(check_retire_date(date));
    DOCKSCAN_TRY_ASSIGN(const auto phone, find_phone(store, label_or_serial));
    if (!phone) {
        return fail(ErrorCode::config, "unknown phone " + in_quotes(label_or_serial) +
                                           " (see `dockscan phones list`)");
    }
    if (!phone->retired_on.empty()) {
        return fail(ErrorCode::config,
                    "phone " + in_quotes(phone->label) + " was retired on " + phone->retired_on);
    }
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update, store.database().prepare("UPDATE phones SET retired_on = ?2 WHERE id = ?1"),
        k_context);
    update.bind(1, phone->id);
    update.bind_text(2, date);
    DOCKSCAN_STORE_TRY(update.step(), k_context);
    return {};
}

Expected<void> rename_unit(Store& store, std::string_view name, std::string_view new_name) {
    constexpr std::string_view k_context = "cannot rename the unit";
    DOCKSCAN_TRY(check_name("unit name", new_name));
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_TRY_ASSIGN(const Unit unit, require_unit(store, name));
    DOCKSCAN_TRY_ASSIGN(const auto taken, find_unit(store, new_name));
    if (taken) {
        return fail(ErrorCode::config, "a unit named " + in_quotes(new_name) + " already exists");
    }
    DOCKSCAN_STORE_TRY_ASSIGN(auto update, db.prepare("UPDATE units SET name = ?2 WHERE id = ?1"),
                              k_context);
    update.bind(1, unit.id);
    update.bind_text(2, new_name);
    DOCKSCAN_STORE_TRY(update.step(), k_context);
    return transaction.commit();
}

Expected<std::vector<UnknownPhone>> unknown_phones(Store& store) {
    constexpr std::string_view k_context = "cannot read the unknown phones";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare(
            "SELECT d.serial, max(d.backend), count(*), min(d.docked_at), max(d.docked_at), "
            "(SELECT CASE WHEN d2.slot_label <> '' THEN d2.slot_label ELSE 'Plats ' || d2.slot "
            "END FROM dockings d2 WHERE d2.serial = d.serial AND d2.outcome = 'unknown_phone' "
            "ORDER BY d2.id DESC LIMIT 1) FROM dockings d WHERE d.outcome = 'unknown_phone' AND "
            "d.serial <> '' AND NOT EXISTS (SELECT 1 FROM phones p WHERE p.serial = d.serial AND "
            "p.unit_id IS NOT NULL) GROUP BY d.serial ORDER BY max(d.docked_at) DESC"),
        k_context);
    std::vector<UnknownPhone> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        rows.push_back(UnknownPhone{select.column_text(0), select.column_text(1),
                                    select.column_int(2), select.column_text(3),
                                    select.column_text(4), select.column_text(5)});
    }
    return rows;
}

Expected<std::vector<ImportOutcome>> import_phones(Store& store,
                                                   const std::vector<ImportLine>& lines,
                                                   std::string_view from_date, bool apply) {
    DOCKSCAN_TRY_ASSIGN(const std::string from, spell_start(from_date));
    auto& db = store.database();
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    std::map<std::string, std::int64_t, std::less<>> label_lines;
    std::map<std::string, std::int64_t, std::less<>> serial_lines;
    std::vector<ImportOutcome> outcomes;
    bool clean = true;
    for (const ImportLine& line : lines) {
        ImportOutcome& outcome = outcomes.emplace_back(
            ImportOutcome{line.line, line.label, line.unit, ImportAction::unchanged, {}});
        const auto refuse = [&](std::string why) {
            outcome.error = std::move(why);
            clean = false;
        };
        const auto [label_at, label_new] = label_lines.try_emplace(line.label, line.line);
        const auto [serial_at, serial_new] = line.serial.empty()
                                                 ? std::pair{serial_lines.end(), true}
                                                 : serial_lines.try_emplace(line.serial, line.line);
        if (!label_new) {
            refuse("the label " + in_quotes(line.label) + " is also on line " +
                   std::to_string(label_at->second));
            continue;
        }
        if (!serial_new) {
            refuse("the serial " + in_quotes(line.serial) + " is also on line " +
                   std::to_string(serial_at->second));
            continue;
        }
        if (auto named = check_name("phone label", line.label); !named) {
            refuse(named.error().message);
            continue;
        }
        DOCKSCAN_TRY_ASSIGN(const auto by_serial, find_phone(db, "", line.serial));
        DOCKSCAN_TRY_ASSIGN(const auto by_label, find_phone(db, line.label, ""));
        const auto known = by_serial ? by_serial : by_label;
        if (known && known->unit_id) {
            // Registered already: the same line again is no change; another unit is a
            // move. A label or serial that names another phone is the admin's to sort out.
            if (by_label && by_label->id != known->id) {
                refuse("the label " + in_quotes(line.label) + " belongs to another phone than " +
                       "serial " + in_quotes(line.serial));
                continue;
            }
            if (known->label != line.label) {
                refuse("serial " + in_quotes(line.serial) + " is registered as phone " +
                       in_quotes(known->label) + ", not " + in_quotes(line.label));
                continue;
            }
            if (!line.serial.empty() && !known->serial.empty() && known->serial != line.serial) {
                refuse("phone " + in_quotes(line.label) + " has the serial " +
                       in_quotes(known->serial) + ", not " + in_quotes(line.serial));
                continue;
            }
            DOCKSCAN_TRY_ASSIGN(const auto unit, find_unit(store, line.unit));
            if (!unit) {
                refuse("unknown unit " + in_quotes(line.unit) + " (see `dockscan units list`)");
                continue;
            }
            if (unit->id == *known->unit_id) {
                continue;
            }
            if (auto moved = move_registered(store, known->label, line.unit, from); !moved) {
                refuse(moved.error().message);
                continue;
            }
            outcome.action = ImportAction::move;
            continue;
        }
        auto registered = register_phone(store, {line.label, line.serial, line.unit, {}}, from);
        if (!registered) {
            if (registered.error().code == ErrorCode::store_io ||
                registered.error().code == ErrorCode::store_schema) {
                return tl::unexpected(registered.error());
            }
            refuse(registered.error().message);
            continue;
        }
        outcome.action =
            *registered == Registered::new_phone ? ImportAction::add : ImportAction::register_known;
    }
    if (clean && apply) {
        DOCKSCAN_TRY(transaction.commit());
    }
    return outcomes;
}

} // namespace dockscan::agent::inventory
