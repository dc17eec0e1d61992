#include "agent/central/central_register.hpp"
#include "agent/cli/cli_common.hpp"
#include "agent/cli/cli_table.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/store/inventory.hpp"

#include <cstdio>
#include <optional>

namespace dockscan::agent {
namespace {

struct UnitArgs {
    StoreArgs store;
    std::string name;
    std::string area;
    std::string new_name;
    bool json = false;
    bool central = false; // the register managed centrally, not the station's
};

// Where the subcommands run: the station's store, or (--central) the register in the
// central database as the review role of --config's [central_review], which every station
// receives at its sync. Each change is audited where it is made.
class Units {
public:
    static Expected<Units> open(const UnitArgs& args) {
        Units units;
        DOCKSCAN_TRY_ASSIGN(units.m_target, open_command_target(args.store, args.central));
        return units;
    }

    // The area the unit was added with (as the accepted list spells it).
    Expected<std::string> add(std::string_view name, std::string_view area) {
        if (m_target.central) {
            DOCKSCAN_TRY(central::registry::add_unit(*m_target.central, name, area, cli_actor()));
            return std::string(*inventory::canonical_area(area));
        }
        DOCKSCAN_TRY(inventory::add_unit(*m_target.store, name, area));
        DOCKSCAN_TRY_ASSIGN(const auto unit, inventory::find_unit(*m_target.store, name));
        DOCKSCAN_TRY(m_target.store->append_audit(AuditEntry{
            cli_actor(), "unit_add", "unit:" + std::string(name), "area=" + unit->area}));
        return unit->area;
    }

    Expected<void> rename(std::string_view name, std::string_view new_name) {
        if (m_target.central) {
            return fail(ErrorCode::usage,
                        "units rename does not run against the central register yet: the "
                        "stations know a unit by its name (rename it at each station)");
        }
        DOCKSCAN_TRY(inventory::rename_unit(*m_target.store, name, new_name));
        return m_target.store->append_audit(AuditEntry{cli_actor(), "unit_rename",
                                                       "unit:" + std::string(name),
                                                       "new_name=" + std::string(new_name)});
    }

    // Every unit by name; the phone counts are the station's registered phones, or the
    // register's phones in service.
    Expected<std::vector<inventory::Unit>> list() {
        if (!m_target.central) {
            return inventory::units(*m_target.store);
        }
        DOCKSCAN_TRY_ASSIGN(const auto all, central::registry::units(*m_target.central));
        std::vector<inventory::Unit> units;
        for (const auto& unit : all) {
            units.push_back({unit.id, unit.name, unit.area, unit.phones});
        }
        return units;
    }

private:
    Units() = default;

    CommandTarget m_target;
};

Expected<void> add(const UnitArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Units::open(args));
    DOCKSCAN_TRY_ASSIGN(const std::string area, target.add(args.name, args.area));
    std::printf("added unit %s (%s)%s\n", args.name.c_str(), area.c_str(),
                args.central ? " to the central register" : "");
    return {};
}

Expected<void> rename(const UnitArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Units::open(args));
    DOCKSCAN_TRY(target.rename(args.name, args.new_name));
    std::printf("renamed unit %s to %s\n", args.name.c_str(), args.new_name.c_str());
    return {};
}

Expected<void> list(const UnitArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Units::open(args));
    DOCKSCAN_TRY_ASSIGN(const auto units, target.list());
    if (args.json) {
        Json array = Json::array();
        for (const auto& u : units) {
            array.push_back(Json{{"name", u.name}, {"area", u.area}, {"phones", u.phones}});
        }
        std::printf("%s\n", array.dump().c_str());
        return {};
    }
    if (units.empty()) {
        std::printf("no units\n");
        return {};
    }
    std::vector<std::vector<std::string>> rows{{"UNIT", "AREA", "PHONES"}};
    for (const auto& u : units) {
        rows.push_back({u.name, u.area, std::to_string(u.phones)});
    }
    print_table(rows);
    return {};
}

std::string areas_help() {
    std::string text = "Verksamhetsområde:";
    for (const auto area : inventory::k_areas) {
        text += " " + std::string(area);
    }
    return text;
}

void on_run(CLI::App* cmd, const std::shared_ptr<UnitArgs>& args, int& exit_code,
            Expected<void> (*run)(const UnitArgs&)) {
    cmd->fallthrough();
    cmd->callback([args, &exit_code, run] {
        const auto done = run(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace

void add_units_command(CLI::App& app, int& exit_code) {
    auto* units =
        app.add_subcommand("units", "Units (enheter) that phones and supervisors belong to");
    units->require_subcommand(1);
    auto args = std::make_shared<UnitArgs>();
    // Before or after the subcommand (each falls through to here): the same subcommands
    // run against the register in the central database instead of the station's store.
    units->add_flag("--central", args->central,
                    "The register managed centrally, in the central PostgreSQL (the "
                    "[central_review] login of --config); every station receives it");
    units->add_option("--config", args->store.config,
                      std::string("The station's configuration, or with --central the one "
                                  "with [central_review] (default: ") +
                          k_default_config + ")");

    auto* add_cmd = units->add_subcommand("add", "Add a unit");
    add_cmd->add_option("NAME", args->name, "The unit's name, e.g. \"Hemtjänst Norr\"")->required();
    add_cmd->add_option("--area", args->area, areas_help())->required();
    add_store_options(*add_cmd, args->store);
    on_run(add_cmd, args, exit_code, add);

    auto* rename_cmd = units->add_subcommand(
        "rename", "Rename a unit; its phones, supervisors and history stay with it");
    rename_cmd->add_option("NAME", args->name, "The unit's name now")->required();
    rename_cmd->add_option("NEW_NAME", args->new_name, "Its new name")->required();
    add_store_options(*rename_cmd, args->store);
    on_run(rename_cmd, args, exit_code, rename);

    auto* list_cmd = units->add_subcommand("list", "List the units");
    add_store_options(*list_cmd, args->store);
    list_cmd->add_flag("--json", args->json, "Print a JSON array");
    on_run(list_cmd, args, exit_code, list);
}

} // namespace dockscan::agent
