#include "agent/cli/cli_common.hpp"
#include "agent/cli/cli_table.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/store/inventory.hpp"

#include <cstdio>

namespace dockscan::agent {
namespace {

struct UnitArgs {
    StoreArgs store;
    std::string name;
    std::string area;
    std::string new_name;
    bool json = false;
};

Expected<void> add(const UnitArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
    DOCKSCAN_TRY(inventory::add_unit(store, args.name, args.area));
    DOCKSCAN_TRY_ASSIGN(const auto unit, inventory::find_unit(store, args.name));
    DOCKSCAN_TRY(store.append_audit(
        AuditEntry{cli_actor(), "unit_add", "unit:" + args.name, "area=" + unit->area}));
    std::printf("added unit %s (%s)\n", args.name.c_str(), unit->area.c_str());
    return {};
}

Expected<void> rename(const UnitArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
    DOCKSCAN_TRY(inventory::rename_unit(store, args.name, args.new_name));
    DOCKSCAN_TRY(store.append_audit(
        AuditEntry{cli_actor(), "unit_rename", "unit:" + args.name, "new_name=" + args.new_name}));
    std::printf("renamed unit %s to %s\n", args.name.c_str(), args.new_name.c_str());
    return {};
}

Expected<void> list(const UnitArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
    DOCKSCAN_TRY_ASSIGN(const auto units, inventory::units(store));
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

} // namespace

void add_units_command(CLI::App& app, int& exit_code) {
    auto* units =
        app.add_subcommand("units", "Units (enheter) that phones and supervisors belong to");
    units->require_subcommand(1);
    auto args = std::make_shared<UnitArgs>();

    auto* add_cmd = units->add_subcommand("add", "Add a unit");
    add_cmd->add_option("NAME", args->name, "The unit's name, e.g. \"Hemtjänst Norr\"")->required();
    add_cmd->add_option("--area", args->area, areas_help())->required();
    add_store_options(*add_cmd, args->store);
    add_cmd->callback([args, &exit_code] {
        const auto done = add(*args);
        exit_code = done ? 0 : report(done.error());
    });

    auto* rename_cmd = units->add_subcommand(
        "rename", "Rename a unit; its phones, supervisors and history stay with it");
    rename_cmd->add_option("NAME", args->name, "The unit's name now")->required();
    rename_cmd->add_option("NEW_NAME", args->new_name, "Its new name")->required();
    add_store_options(*rename_cmd, args->store);
    rename_cmd->callback([args, &exit_code] {
        const auto done = rename(*args);
        exit_code = done ? 0 : report(done.error());
    });

    auto* list_cmd = units->add_subcommand("list", "List the units");
    add_store_options(*list_cmd, args->store);
    list_cmd->add_flag("--json", args->json, "Print a JSON array");
    list_cmd->callback([args, &exit_code] {
        const auto done = list(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace dockscan::agent
