#include "agent/central/register_apply.hpp"

#include "agent/central/central_register.hpp"
#include "agent/store/inventory.hpp"
#include "agent/store/outbox.hpp"

#include <algorithm>
#include <optional>

namespace dockscan::agent::central {

namespace {

constexpr std::string_view k_actor = "central:register";

// The station's phone with that serial, or nothing.
Expected<std::optional<inventory::Phone>> phone_with_serial(Store& store,
                                                            const std::string& serial) {
    DOCKSCAN_TRY_ASSIGN(const auto all, inventory::phones(store));
    for (const inventory::Phone& phone : all) {
        if (phone.serial == serial) {
            return phone;
        }
    }
    return std::nullopt;
}

// A failure of the store ends the sync; the rest (the station's rules refusing a row)
// leave that row out.
bool refused(const Error& error) {
    return error.code == ErrorCode::config || error.code == ErrorCode::usage;
}

class Applier {
public:
    explicit Applier(Store& store) : m_store(store) {}

    // Adds the unit unless the station has one of that name (its area stays the
    // station's). Returns false when the station's rules refuse it.
    Expected<bool> ensure_unit(const std::string& name, const std::string& area) {
        DOCKSCAN_TRY_ASSIGN(const auto existing, inventory::find_unit(m_store, name));
        if (existing) {
            return true;
        }
        auto added = inventory::add_unit(m_store, name, area);
        if (!added) {
            if (!refused(added.error())) {
                return tl::unexpected(added.error());
            }
            skip("unit '" + name + "': " + added.error().message);
            return false;
        }
        ++m_applied.units_added;
        DOCKSCAN_TRY(audit("unit_add", "unit:" + name, "area=" + area));
        return true;
    }

    Expected<void> phone(const registry::RegisterPhone& phone) {
        DOCKSCAN_TRY_ASSIGN(const bool unit_ready, ensure_unit(phone.unit, phone.area));
        if (!unit_ready) {
            return {};
        }
        DOCKSCAN_TRY_ASSIGN(const auto local, phone_with_serial(m_store, phone.serial));
        if (!local || local->unit.empty()) {
            auto added = inventory::add_phone(
                m_store, {phone.label, phone.serial, phone.unit, phone.from_date});
            if (!added) {
                return skip_or_fail(phone, added.error());
            }
            ++m_applied.phones_added;
            DOCKSCAN_TRY(audit("phone_add", "phone:" + phone.label,
                               "unit=" + phone.unit + "; from=" + phone.from_date));
        } else if (local->unit != phone.unit) {
            // A move dated before the phone's newest unit here would not change where it
            // is now: it moves from the later of the two dates.
            DOCKSCAN_TRY_ASSIGN(const auto spells, inventory::unit_history(m_store, phone.serial));
            std::string from = phone.from_date;
            if (!spells.empty()) {
                from = std::max(from, spells.back().from_date);
            }
            auto moved = inventory::move_phone(m_store, phone.serial, phone.unit, from);
            if (!moved) {
                return skip_or_fail(phone, moved.error());
            }
            ++m_applied.phones_moved;
            DOCKSCAN_TRY(audit("phone_move", "phone:" + local->label,
                               "unit=" + phone.unit + "; from=" + from));
        }
        if (!phone.retired_on.empty() && (!local || local->retired_on.empty())) {
            auto retired = inventory::retire_phone(m_store, phone.serial, phone.retired_on);
            if (!retired) {
                return skip_or_fail(phone, retired.error());
            }
            ++m_applied.phones_retired;
            DOCKSCAN_TRY(audit("phone_retire", "phone:" + phone.label, "from=" + phone.retired_on));
        }
        return {};
    }

    RegisterApplied& applied() { return m_applied; }

private:
    Expected<void> skip_or_fail(const registry::RegisterPhone& phone, const Error& error) {
        if (!refused(error)) {
            return tl::unexpected(error);
        }
        skip("phone '" + phone.label + "': " + error.message);
        return {};
    }

    void skip(std::string why) { m_applied.skipped.push_back(std::move(why)); }

    Expected<void> audit(std::string_view action, std::string object, std::string detail) {
        return m_store.append_audit(AuditEntry{std::string(k_actor), std::string(action),
                                               std::move(object), std::move(detail)});
    }

    Store& m_store;
    RegisterApplied m_applied;
};

std::string counted(std::int64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

} // namespace

Expected<RegisterApplied> apply_register(Store& store, pg::Connection& conn) {
    DOCKSCAN_TRY_ASSIGN(const std::int64_t seen, outbox::register_seen(store));
    DOCKSCAN_TRY_ASSIGN(const registry::Changes changes, registry::changes_since(conn, seen));
    Applier applier(store);
    for (const registry::RegisterUnit& unit : changes.units) {
        DOCKSCAN_TRY(applier.ensure_unit(unit.name, unit.area));
    }
    for (const registry::RegisterPhone& phone : changes.phones) {
        DOCKSCAN_TRY(applier.phone(phone));
    }
    DOCKSCAN_TRY(outbox::set_register_seen(store, changes.newest));
    RegisterApplied& applied = applier.applied();
    applied.fetched = static_cast<std::int64_t>(changes.units.size() + changes.phones.size());
    applied.version = changes.newest;
    return std::move(applied);
}

std::string describe(const RegisterApplied& applied) {
    std::string line = "central register version " + std::to_string(applied.version) + ": " +
                       counted(applied.fetched, "change", "changes") + " fetched; " +
                       counted(applied.units_added, "unit", "units") + " added, " +
                       counted(applied.phones_added, "phone", "phones") + " registered, " +
                       std::to_string(applied.phones_moved) + " moved, " +
                       std::to_string(applied.phones_retired) + " retired";
    if (!applied.skipped.empty()) {
        line += "; " + counted(static_cast<std::int64_t>(applied.skipped.size()), "row", "rows") +
                " left out (" + applied.skipped.front() +
                (applied.skipped.size() > 1 ? "; ..." : "") + ")";
    }
    return line;
}

} // namespace dockscan::agent::central
