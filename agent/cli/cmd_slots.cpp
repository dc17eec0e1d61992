// `dockscan slots`: every slot of the running station, as its display shows it.

#include "agent/cli/cli_common.hpp"
#include "agent/cli/cli_table.hpp"
#include "agent/cli/commands.hpp"
#include "agent/daemon/config.hpp"
#include "agent/daemon/status_server.hpp"
#include "base/text.hpp"
#include "base/time.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace dockscan::agent {
namespace {

using Json = nlohmann::json;

struct SlotsArgs {
    std::filesystem::path socket;
    std::filesystem::path config;
    bool json = false;
};

// The central sync in the words of the slots' table: Swedish, as the display.
std::string sync_text(const daemon::SyncStatus& sync) {
    std::string text = "Central databas: ";
    const auto at = base::parse_iso8601_utc(sync.last_sync);
    text += at ? "senast synkad " + base::swedish_time_text(*at) : std::string("aldrig synkad");
    text +=
        ", " + std::to_string(sync.waiting) + (sync.waiting == 1 ? " rad väntar" : " rader väntar");
    if (!sync.last_error.empty()) {
        text += "; senaste försöket misslyckades: " + base::printable(sync.last_error);
    }
    return text;
}

int run(const SlotsArgs& args) {
    std::filesystem::path socket = args.socket;
    if (socket.empty()) {
        if (args.config.empty()) {
            socket = daemon::k_default_status_socket;
        } else {
            auto config = daemon::load_config(args.config);
            if (!config) {
                return report(config.error());
            }
            socket = config->status_socket;
        }
    }
    auto station = daemon::read_station_status(socket);
    if (!station) {
        // Most often the station is not running: say where to look.
        Error error = station.error();
        error.message += "; is the station running? Check `systemctl status dockscan` and "
                         "`journalctl -u dockscan`";
        return report(error);
    }
    if (args.json) {
        for (const auto& s : station->slots) {
            std::printf("%s\n", daemon::to_json(s).dump().c_str());
        }
        if (station->sync) {
            std::printf("%s\n", Json{{"central", daemon::to_json(*station->sync)}}.dump().c_str());
        }
        return 0;
    }
    std::vector<std::vector<std::string>> rows{{"Plats", "Namn", "USB-port", "Status"}};
    for (const auto& s : station->slots) {
        rows.push_back({std::to_string(s.slot), s.label, s.port, daemon::slot_text(s)});
    }
    print_table(rows);
    if (station->sync) {
        std::printf("\n%s\n", sync_text(*station->sync).c_str());
    }
    return 0;
}

} // namespace

void add_slots_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("slots", "Show every slot of the running docking station");
    auto args = std::make_shared<SlotsArgs>();
    auto* socket =
        cmd->add_option("--socket", args->socket,
                        "The daemon's status socket (default: /run/dockscan/status.sock)");
    cmd->add_option("--config", args->config, "Read the status socket's path from the config")
        ->excludes(socket);
    cmd->add_flag("--json", args->json, "Print the slots as JSON lines");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace dockscan::agent
