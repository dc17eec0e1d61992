// `dockscan run --config FILE`: the docking daemon.

#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/stop_signals.hpp"
#include "agent/daemon/config.hpp"
#include "agent/daemon/daemon.hpp"
#include "agent/daemon/start_check.hpp"
#include "agent/sandbox/sandbox.hpp"

#include <cstdio>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

namespace dockscan::agent {
namespace {

struct RunArgs {
    std::filesystem::path config;
    bool check = false;
};

int run(const RunArgs& args) {
    // Signals are blocked before any other thread starts, so that only the waiter sees them.
    std::stop_source stop;
    StopOnSignals signals(stop);

    auto config = daemon::load_config(args.config);
    if (!config) {
        return report(config.error());
    }
    if (args.check) {
        // Everything that would stop the start, not only the first: the admin fixes them
        // in one go.
        const std::vector<std::string> problems = daemon::check_start(*config, args.config);
        for (const std::string& problem : problems) {
            std::fprintf(stderr, "%s\n", problem.c_str());
        }
        if (!problems.empty()) {
            return 2;
        }
        std::printf("%s: OK (%zu slots)\n", args.config.c_str(), config->slots.size());
        return 0;
    }
    // A station's journal is where the IT admin looks first: dockings and devices seen
    // are logged at info level by the daemon whether or not --verbose was given.
    if (spdlog::get_level() > spdlog::level::info) {
        spdlog::set_level(spdlog::level::info);
    }
    // Phones' items (a photo is megabytes) pass through many threads' hands: mapped and
    // given back when freed, rather than kept in the heap of each thread's arena after
    // glibc raised its threshold to the largest block it saw (dockscan-bench-station:
    // the daemon's peak with 8 phones docked).
    ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
    AnalyserFactory analysers;
    if (config->sandbox) {
        sandbox::SandboxLimits limits;
        limits.memory_allowance = config->worker_memory_mb << 20;
        limits.item_timeout = config->item_timeout;
        analysers = sandbox::sandboxed_analysers(sandbox::this_program(), config->analysis, limits);
    } else {
        spdlog::warn("dockscan run: [detectors] sandbox = false: photos are decoded in the "
                     "daemon's own process, next to the store's key");
    }
    auto result = daemon::run_daemon(*config, stop.get_token(), std::move(analysers));
    if (!result) {
        return report(result.error());
    }
    spdlog::info("dockscan run: stopped");
    return 0;
}

} // namespace

void add_run_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("run", "Run the docking station: scan docked phones");
    auto args = std::make_shared<RunArgs>();
    cmd->add_option("--config", args->config, "The station's configuration (TOML)")->required();
    cmd->add_flag(
        "--check", args->check,
        "Only check the configuration and what it names (store, key, models, GPIO chip), and exit");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace dockscan::agent
