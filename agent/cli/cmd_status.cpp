// `dockscan status`: the health of the station for its IT admin, in one screen: the
// service, the slots, the store, the last docking, the audit log's anchor. Exit 0 when
// the station runs and answers, 1 when something needs a look.

#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/daemon/config.hpp"
#include "agent/daemon/status_server.hpp"
#include "agent/store/dockings.hpp"
#include "agent/store/outbox.hpp"
#include "base/text.hpp"
#include "base/time.hpp"

#include <cstdio>
#include <map>
#include <sys/wait.h>

namespace dockscan::agent {
namespace {

struct StatusArgs {
    StoreArgs store;
    bool json = false;
};

// `systemctl is-active dockscan.service`: "active", "inactive", "failed", ... or
// "unknown" where there is no systemd to ask.
std::string service_state() {
    std::FILE* pipe = ::popen("systemctl is-active dockscan.service 2>/dev/null", "r");
    if (pipe == nullptr) {
        return "unknown";
    }
    char line[64] = {};
    const bool read = std::fgets(line, sizeof(line), pipe) != nullptr;
    const int status = ::pclose(pipe);
    std::string state = read ? std::string(line) : std::string();
    while (!state.empty() && (state.back() == '\n' || state.back() == '\r')) {
        state.pop_back();
    }
    if (state.empty() || (WIFEXITED(status) && WEXITSTATUS(status) == 127)) {
        return "unknown";
    }
    return state;
}

std::string size_text(std::uintmax_t bytes) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

std::uintmax_t store_bytes(const std::filesystem::path& path) {
    std::uintmax_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(path.string() + suffix, ec);
        total += ec ? 0 : size;
    }
    return total;
}

// The outbox to the central database: when it last synced, what is waiting, and why
// the last attempt failed.
void central_lines(Store& store, bool configured,
                   std::vector<std::pair<std::string, std::string>>& lines, Json& out) {
    const auto outbox = outbox::status(store);
    if (!outbox) {
        lines.emplace_back("central sync", outbox.error().message);
        out["central"] = nullptr;
        return;
    }
    if (!configured && !outbox->enabled) {
        lines.emplace_back("central sync", "not configured");
        out["central"] = nullptr;
        return;
    }
    std::string when = "never";
    if (const auto at = base::parse_iso8601_utc(outbox->last_sync)) {
        when = base::swedish_time_text(*at) + " (Swedish time)";
    }
    std::string text =
        "last sync " + when + ", " + std::to_string(outbox->waiting) + " rows waiting";
    if (!outbox->last_error.empty()) {
        text += "; last attempt failed: " + outbox->last_error;
    }
    lines.emplace_back("central sync", text);
    out["central"] = {{"last_sync", outbox->last_sync},
                      {"waiting", outbox->waiting},
                      {"applied_id", outbox->applied_id},
                      {"last_error", outbox->last_error}};
}

int run(const StatusArgs& args) {
    const auto resolved = resolve_store(args.store);
    if (!resolved) {
        return report(resolved.error());
    }
    bool healthy = true;
    Json out = Json::object();
    std::vector<std::pair<std::string, std::string>> lines;

    const std::string service = service_state();
    out["service"] = service;
    lines.emplace_back("service", "dockscan.service: " + service);
    healthy = healthy && service == "active";

    // The slots, from the status socket the config names (or the default).
    std::filesystem::path socket = daemon::k_default_status_socket;
    if (!args.store.config.empty() || args.store.store.empty()) {
        const std::filesystem::path config =
            args.store.config.empty() ? std::filesystem::path(k_default_config) : args.store.config;
        if (auto station = daemon::load_config(config)) {
            socket = station->status_socket;
        }
    }
    if (auto slots = daemon::read_status(socket)) {
        std::map<std::string, int> states;
        for (const auto& slot : *slots) {
            ++states[daemon::slot_text(slot)];
        }
        std::string text = std::to_string(slots->size()) + " answering";
        for (const auto& [state, count] : states) {
            text += ", " + std::to_string(count) + " × " + state;
        }
        out["slots"] = slots->size();
        lines.emplace_back("slots", text);
    } else {
        healthy = false;
        out["slots"] = nullptr;
        lines.emplace_back("slots", "not answering on " + socket.string() +
                                        " (is the station running? journalctl -u dockscan)");
    }

    const std::uintmax_t bytes = store_bytes(resolved->store);
    out["store"] = {{"path", resolved->store.string()}, {"bytes", bytes}};
    auto store = open_store(*resolved, OpenMode::existing);
    if (!store) {
        healthy = false;
        lines.emplace_back("store", resolved->store.string() + ": " + store.error().message);
    }
    if (store) {
        lines.emplace_back("store", resolved->store.string() + ", " + size_text(bytes) +
                                        ", schema version " +
                                        std::to_string(store->schema_version()));
        out["store"]["schema_version"] = store->schema_version();
        if (auto dockings = dockings::list(*store); dockings && !dockings->empty()) {
            const auto& last = dockings->back();
            const auto at = base::parse_iso8601_utc(last.docked_at);
            const std::string when = at ? base::swedish_time_text(*at) : last.docked_at;
            lines.emplace_back("last docking", when + " (Swedish time), " + last.slot_label + ", " +
                                                   std::string(dockings::to_string(last.outcome)));
            out["last_docking"] = {{"docked_at", last.docked_at},
                                   {"slot", last.slot_label},
                                   {"outcome", std::string(dockings::to_string(last.outcome))}};
            lines.emplace_back("dockings", std::to_string(dockings->size()) + " recorded");
        } else {
            lines.emplace_back("last docking", "none recorded");
            out["last_docking"] = nullptr;
        }
        if (auto anchor = store->audit_anchor()) {
            lines.emplace_back(
                "audit anchor",
                std::to_string(anchor->id) + ":" + anchor->mac +
                    " (keep it outside the station: dockscan audit verify --anchor)");
            out["audit_anchor"] = std::to_string(anchor->id) + ":" + anchor->mac;
        }
        central_lines(*store, resolved->central.has_value(), lines, out);
    } else {
        out["central"] = nullptr;
        lines.emplace_back("central sync", "unknown (the store cannot be read)");
    }
    out["healthy"] = healthy;

    if (args.json) {
        std::printf("%s\n", out.dump().c_str());
    } else {
        for (const auto& [name, text] : lines) {
            std::printf("%-13s %s\n", name.c_str(), base::printable(text).c_str());
        }
    }
    return healthy ? 0 : 1;
}

} // namespace

void add_status_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "status", "The station's health: service, slots, store, last docking, audit anchor");
    auto args = std::make_shared<StatusArgs>();
    add_store_options(*cmd, args->store);
    cmd->add_flag("--json", args->json, "Print one JSON object");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace dockscan::agent
