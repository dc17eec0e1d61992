#include "agent/central/central_register.hpp"
#include "agent/cli/cli_common.hpp"
#include "agent/cli/cli_table.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/cli/phone_csv.hpp"
#include "agent/store/inventory.hpp"
#include "base/text.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

namespace dockscan::agent {
namespace {

struct PhoneArgs {
    StoreArgs store;
    std::string label;
    std::string serial;
    std::string unit;
    std::string from; // YYYY-MM-DD: since when the phone belongs to the unit
    std::string date; // retire: YYYY-MM-DD, default today in Sweden
    bool json = false;
    std::string file; // import: the CSV, "-" for stdin
    bool dry_run = false;
    PhoneCsvColumns columns;
    bool central = false; // the register managed centrally, not the station's
};

// Where the subcommands run: the station's store, or (--central) the register in the
// central database as the review role of --config's [central_review], which every
// station receives at its sync. Each change is audited where it is made: the station's
// audit log, or review_audit in the change's own transaction.
class Phones {
public:
    static Expected<Phones> open(const PhoneArgs& args) {
        Phones phones;
        DOCKSCAN_TRY_ASSIGN(phones.m_target, open_command_target(args.store, args.central));
        return phones;
    }

    // Refuses a subcommand that only a station's own store answers.
    static Expected<void> station_only(const PhoneArgs& args, std::string_view what) {
        if (args.central) {
            return fail(ErrorCode::usage, "phones " + std::string(what) +
                                              " is a station's own: run it at the station "
                                              "(without --central)");
        }
        return {};
    }

    [[nodiscard]] bool central() const { return m_target.central.has_value(); }
    Store& store() { return *m_target.store; }
    pg::Connection& connection() { return *m_target.central; }

private:
    Phones() = default;

    CommandTarget m_target;
};

std::string swedish_today() {
    const base::Date d = base::swedish_date(base::unix_now());
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    return text;
}

Expected<void> retire(const PhoneArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Phones::open(args));
    const std::string date = args.date.empty() ? swedish_today() : args.date;
    if (target.central()) {
        DOCKSCAN_TRY(
            central::registry::retire_phone(target.connection(), args.label, date, cli_actor()));
    } else {
        Store& store = target.store();
        DOCKSCAN_TRY(inventory::retire_phone(store, args.label, date));
        DOCKSCAN_TRY(store.append_audit(
            AuditEntry{cli_actor(), "phone_retire", "phone:" + args.label, "from=" + date}));
    }
    std::printf("retired phone %s from %s: docking it scans nothing, and it no longer counts "
                "toward its unit\n",
                args.label.c_str(), date.c_str());
    return {};
}

// Phones that docked but are registered to no unit, with the serial the admin needs.
Expected<void> unknown(const PhoneArgs& args) {
    DOCKSCAN_TRY(Phones::station_only(args, "unknown"));
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
    DOCKSCAN_TRY_ASSIGN(const auto phones, inventory::unknown_phones(store));
    if (args.json) {
        Json array = Json::array();
        for (const auto& p : phones) {
            array.push_back(Json{{"serial", base::printable(p.serial)},
                                 {"backend", p.backend},
                                 {"dockings", p.dockings},
                                 {"first_docked", p.first_docked},
                                 {"last_docked", p.last_docked},
                                 {"last_slot", p.last_slot}});
        }
        std::printf("%s\n", array.dump().c_str());
        return {};
    }
    if (phones.empty()) {
        std::printf("no unknown phones have docked\n");
        return {};
    }
    std::vector<std::vector<std::string>> rows{
        {"SERIAL", "KIND", "DOCKINGS", "LAST DOCKED", "SLOT"}};
    for (const auto& p : phones) {
        rows.push_back({base::printable(p.serial), p.backend == "ios" ? "iPhone" : "Android",
                        std::to_string(p.dockings), p.last_docked, p.last_slot});
    }
    print_table(rows);
    std::printf("register one with: dockscan phones add LABEL --serial SERIAL --unit UNIT\n");
    return {};
}

Expected<void> add(const PhoneArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Phones::open(args));
    if (target.central()) {
        DOCKSCAN_TRY(central::registry::add_phone(
            target.connection(), {args.label, args.serial, args.unit, args.from}, cli_actor()));
        std::printf("registered phone %s to unit %s in the central register\n", args.label.c_str(),
                    args.unit.c_str());
        return {};
    }
    Store& store = target.store();
    DOCKSCAN_TRY_ASSIGN(const auto registered, inventory::add_phone(store, {args.label, args.serial,
                                                                            args.unit, args.from}));
    const bool known = registered == inventory::Registered::known_phone;
    DOCKSCAN_TRY(store.append_audit(
        AuditEntry{cli_actor(), "phone_add", "phone:" + args.label,
                   "unit=" + args.unit + (known ? " (already seen by a scan)" : "")}));
    std::printf("registered phone %s to unit %s%s\n", args.label.c_str(), args.unit.c_str(),
                known ? " (a phone an earlier scan recorded)" : "");
    return {};
}

Expected<void> move(const PhoneArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Phones::open(args));
    const std::string from = args.from.empty() ? inventory::swedish_today() : args.from;
    if (target.central()) {
        DOCKSCAN_TRY(central::registry::move_phone(target.connection(), args.label, args.unit,
                                                   args.from, cli_actor()));
    } else {
        Store& store = target.store();
        DOCKSCAN_TRY(inventory::move_phone(store, args.label, args.unit, args.from));
        DOCKSCAN_TRY(store.append_audit(AuditEntry{cli_actor(), "phone_move", "phone:" + args.label,
                                                   "unit=" + args.unit + "; from=" + from}));
    }
    std::printf("moved phone %s to unit %s from %s\n", args.label.c_str(), args.unit.c_str(),
                from.c_str());
    return {};
}

Expected<void> history(const PhoneArgs& args) {
    DOCKSCAN_TRY(Phones::station_only(args, "history"));
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
    DOCKSCAN_TRY_ASSIGN(const auto spells, inventory::unit_history(store, args.label));
    if (args.json) {
        Json array = Json::array();
        for (const auto& spell : spells) {
            array.push_back(Json{{"unit", spell.unit.empty() ? Json(nullptr) : Json(spell.unit)},
                                 {"from", spell.from_date}});
        }
        std::printf("%s\n", array.dump().c_str());
        return {};
    }
    if (spells.empty()) {
        std::printf("phone %s has no unit history (it was never registered to a unit)\n",
                    args.label.c_str());
        return {};
    }
    std::vector<std::vector<std::string>> rows{{"FROM", "UNIT"}};
    for (const auto& spell : spells) {
        rows.push_back(
            {spell.from_date == "0000-01-01" ? "(before history was kept)" : spell.from_date,
             spell.unit.empty() ? "(no unit)" : spell.unit});
    }
    print_table(rows);
    return {};
}

// The register's phones: each in its unit since a date, or retired.
Expected<void> list_register(pg::Connection& conn, bool json) {
    DOCKSCAN_TRY_ASSIGN(const auto phones, central::registry::phones(conn));
    if (json) {
        Json array = Json::array();
        for (const auto& p : phones) {
            array.push_back(
                Json{{"label", p.label},
                     {"serial", p.serial},
                     {"unit", p.unit},
                     {"area", p.area},
                     {"from", p.from_date},
                     {"retired_on", p.retired_on.empty() ? Json(nullptr) : Json(p.retired_on)}});
        }
        std::printf("%s\n", array.dump().c_str());
        return {};
    }
    if (phones.empty()) {
        std::printf("no phones in the central register\n");
        return {};
    }
    std::vector<std::vector<std::string>> rows{{"LABEL", "SERIAL", "UNIT", "FROM"}};
    for (const auto& p : phones) {
        rows.push_back({p.label, p.serial,
                        p.unit + (p.retired_on.empty() ? "" : " (retired " + p.retired_on + ")"),
                        p.from_date});
    }
    print_table(rows);
    return {};
}

Expected<void> list(const PhoneArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Phones::open(args));
    if (target.central()) {
        return list_register(target.connection(), args.json);
    }
    DOCKSCAN_TRY_ASSIGN(const auto phones, inventory::phones(target.store()));
    if (args.json) {
        Json array = Json::array();
        for (const auto& p : phones) {
            array.push_back(
                Json{{"label", p.label},
                     {"serial", p.serial},
                     {"model", p.model},
                     {"unit", p.unit.empty() ? Json(nullptr) : Json(p.unit)},
                     {"first_seen", p.first_seen},
                     {"last_seen", p.last_seen},
                     {"retired_on", p.retired_on.empty() ? Json(nullptr) : Json(p.retired_on)}});
        }
        std::printf("%s\n", array.dump().c_str());
        return {};
    }
    if (phones.empty()) {
        std::printf("no phones\n");
        return {};
    }
    std::vector<std::vector<std::string>> rows{{"LABEL", "SERIAL", "UNIT", "LAST SEEN"}};
    for (const auto& p : phones) {
        rows.push_back({p.label, p.serial.empty() ? "-" : p.serial,
                        (p.unit.empty() ? "(no unit)" : p.unit) +
                            (p.retired_on.empty() ? "" : " (retired " + p.retired_on + ")"),
                        p.last_seen});
    }
    print_table(rows);
    return {};
}

// Reads at most one byte over the limit, so that parse_phone_csv refuses a huge file
// without this holding all of it.
Expected<std::string> read_phone_list(const std::string& file) {
    std::ifstream stream;
    std::istream* in = &std::cin;
    if (file != "-") {
        stream.open(file, std::ios::binary);
        if (!stream) {
            return fail(ErrorCode::usage, "cannot read " + file);
        }
        in = &stream;
    }
    std::string text(k_max_phone_csv_bytes + 1, '\0');
    in->read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in->gcount()));
    return text;
}

const char* action_text(inventory::ImportAction action) {
    switch (action) {
    case inventory::ImportAction::add:
        return "new phone";
    case inventory::ImportAction::register_known:
        return "registered (a phone a scan recorded)";
    case inventory::ImportAction::move:
        return "moved";
    case inventory::ImportAction::unchanged:
        return "unchanged";
    }
    return "";
}

// Bulk registration from an MDM export: every line is checked first, and the phones
// are registered in one transaction only when every line can be; otherwise nothing.
Expected<void> import(const PhoneArgs& args) {
    DOCKSCAN_TRY_ASSIGN(const std::string text, read_phone_list(args.file));
    DOCKSCAN_TRY_ASSIGN(const PhoneCsv csv, parse_phone_csv(text, args.columns));
    DOCKSCAN_TRY_ASSIGN(auto target, Phones::open(args));
    const bool apply = !args.dry_run && csv.problems.empty();
    // The register audits its changes in the import's own transaction.
    DOCKSCAN_TRY_ASSIGN(
        const auto outcomes,
        target.central() ? central::registry::import_phones(target.connection(), csv.lines,
                                                            args.from, apply, cli_actor())
                         : inventory::import_phones(target.store(), csv.lines, args.from, apply));

    std::vector<PhoneCsvProblem> problems = csv.problems;
    std::array<int, 4> counts{};
    for (const auto& outcome : outcomes) {
        if (!outcome.error.empty()) {
            problems.push_back({outcome.line, outcome.error});
        } else {
            ++counts.at(static_cast<std::size_t>(outcome.action));
        }
    }
    std::sort(problems.begin(), problems.end(),
              [](const auto& a, const auto& b) { return a.line < b.line; });
    for (const auto& problem : problems) {
        std::fprintf(stderr, "%s: line %lld: %s\n", args.file.c_str(),
                     static_cast<long long>(problem.line), problem.message.c_str());
    }
    if (!problems.empty()) {
        return fail(ErrorCode::usage,
                    "nothing imported: " + std::to_string(problems.size()) + " of " +
                        std::to_string(csv.lines.size() + csv.problems.size()) +
                        " lines cannot be imported (see above); correct them and import again");
    }
    for (const auto& outcome : outcomes) {
        if (outcome.action != inventory::ImportAction::unchanged) {
            std::printf("line %lld: %s -> %s: %s\n", static_cast<long long>(outcome.line),
                        outcome.label.c_str(), outcome.unit.c_str(), action_text(outcome.action));
        }
    }
    if (!apply) {
        std::printf("dry run, nothing changed: would register %d new and %d recorded phones, "
                    "move %d, leave %d unchanged\n",
                    counts[0], counts[1], counts[2], counts[3]);
        return {};
    }
    for (const auto& outcome : outcomes) {
        if (target.central() || outcome.action == inventory::ImportAction::unchanged) {
            continue;
        }
        const bool moved = outcome.action == inventory::ImportAction::move;
        DOCKSCAN_TRY(target.store().append_audit(
            AuditEntry{cli_actor(), moved ? "phone_move" : "phone_add", "phone:" + outcome.label,
                       "unit=" + outcome.unit + "; import " + args.file + " line " +
                           std::to_string(outcome.line)}));
    }
    std::printf("imported %zu lines: registered %d new and %d recorded phones, moved %d, %d "
                "unchanged\n",
                outcomes.size(), counts[0], counts[1], counts[2], counts[3]);
    return {};
}

void on_run(CLI::App* cmd, const std::shared_ptr<PhoneArgs>& args, int& exit_code,
            Expected<void> (*run)(const PhoneArgs&)) {
    cmd->fallthrough();
    cmd->callback([args, &exit_code, run] {
        const auto done = run(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace

void add_phones_command(CLI::App& app, int& exit_code) {
    auto* phones = app.add_subcommand("phones", "Phones and the unit each belongs to");
    phones->require_subcommand(1);
    auto args = std::make_shared<PhoneArgs>();
    // Before or after the subcommand (each falls through to here): the same subcommands
    // run against the register in the central database instead of the station's store.
    phones->add_flag("--central", args->central,
                     "The register managed centrally, in the central PostgreSQL (the "
                     "[central_review] login of --config); every station receives it");
    phones->add_option("--config", args->store.config,
                       std::string("The station's configuration, or with --central the one "
                                   "with [central_review] (default: ") +
                           k_default_config + ")");

    auto* add_cmd = phones->add_subcommand(
        "add", "Register a phone to a unit (also one a scan has already recorded)");
    add_cmd->add_option("LABEL", args->label, "The phone's label, e.g. \"HT-Norr-03\"")->required();
    add_cmd->add_option("--serial", args->serial, "Serial number or UDID, as docking sees it");
    add_cmd->add_option("--unit", args->unit, "The unit it belongs to")->required();
    add_cmd->add_option("--from", args->from,
                        "The date (YYYY-MM-DD) it has belonged to the unit since; default today");
    add_store_options(*add_cmd, args->store);
    on_run(add_cmd, args, exit_code, add);

    auto* move_cmd =
        phones->add_subcommand("move", "Move a phone to another unit from a date, keeping history");
    move_cmd->add_option("LABEL", args->label, "The phone's label or serial")->required();
    move_cmd->add_option("--unit", args->unit, "The unit it moves to")->required();
    move_cmd->add_option("--from", args->from,
                         "The date (YYYY-MM-DD) of the move; default today. Reports count the "
                         "phone for its old unit before it and the new one from it");
    add_store_options(*move_cmd, args->store);
    on_run(move_cmd, args, exit_code, move);

    auto* history_cmd =
        phones->add_subcommand("history", "Which unit a phone belonged to from which date");
    history_cmd->add_option("LABEL", args->label, "The phone's label or serial")->required();
    add_store_options(*history_cmd, args->store);
    history_cmd->add_flag("--json", args->json, "Print a JSON array");
    on_run(history_cmd, args, exit_code, history);
    auto* retire_cmd = phones->add_subcommand(
        "retire", "Take a phone out of service: not scanned when docked, not counted after");
    retire_cmd->add_option("LABEL", args->label, "The phone's label or serial")->required();
    retire_cmd->add_option("--date", args->date, "From this day (YYYY-MM-DD; default today)");
    add_store_options(*retire_cmd, args->store);
    on_run(retire_cmd, args, exit_code, retire);

    auto* unknown_cmd = phones->add_subcommand(
        "unknown", "Phones that docked but are registered to no unit, with their serial");
    add_store_options(*unknown_cmd, args->store);
    unknown_cmd->add_flag("--json", args->json, "Print a JSON array");
    on_run(unknown_cmd, args, exit_code, unknown);

    auto* import_cmd = phones->add_subcommand(
        "import", "Register phones from a CSV list, as MDM tools export them (all lines or none)");
    import_cmd
        ->add_option("FILE", args->file,
                     "The CSV file (\"-\" for stdin): a header line, then one phone per line "
                     "with its serial or UDID, label and unit; separated by commas, "
                     "semicolons or tabs")
        ->required();
    import_cmd->add_flag("--dry-run", args->dry_run,
                         "Check every line and say what would change; change nothing");
    import_cmd->add_option("--from", args->from,
                           "The date (YYYY-MM-DD) the phones belong to their units from; "
                           "default today");
    import_cmd->add_option("--serial-column", args->columns.serial,
                           "The header of the serial column (default: \"Serial number\", "
                           "\"UDID\", \"Serienummer\", ...)");
    import_cmd->add_option("--label-column", args->columns.label,
                           "The header of the label column (default: \"Device name\", "
                           "\"Label\", \"Namn\", ...)");
    import_cmd->add_option("--unit-column", args->columns.unit,
                           "The header of the unit column (default: \"Unit\", \"Enhet\", "
                           "\"Department\", ...)");
    add_store_options(*import_cmd, args->store);
    on_run(import_cmd, args, exit_code, import);

    auto* list_cmd = phones->add_subcommand("list", "List the phones");
    add_store_options(*list_cmd, args->store);
    list_cmd->add_flag("--json", args->json, "Print a JSON array");
    on_run(list_cmd, args, exit_code, list);
}

} // namespace dockscan::agent
