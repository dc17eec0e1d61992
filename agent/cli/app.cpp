#include "agent/cli/app.hpp"

#include "agent/cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace dockscan::agent {

int app_main(int argc, char** argv) {
    // Logs go to stderr so that stdout carries only a command's output (JSON lines).
    spdlog::set_default_logger(spdlog::stderr_color_mt("dockscan"));
    spdlog::set_level(spdlog::level::warn);

    CLI::App app{"dockscan: checks care workers' work phones for client data"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "dockscan 0.1.0");
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "Log progress on stderr");

    int exit_code = 0;
    add_init_command(app, exit_code);
    add_inspect_command(app, exit_code);
    add_scan_command(app, exit_code);
    add_findings_command(app, exit_code);
    add_errors_command(app, exit_code);
    add_demo_command(app, exit_code);
    add_units_command(app, exit_code);
    add_phones_command(app, exit_code);
    add_users_command(app, exit_code);
    add_serve_command(app, exit_code);
    add_audit_command(app, exit_code);
    add_purge_command(app, exit_code);
    add_report_command(app, exit_code);
    add_run_command(app, exit_code);
    add_slots_command(app, exit_code);

    app.parse_complete_callback([&] {
        if (verbose) {
            spdlog::set_level(spdlog::level::info);
        }
    });
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // CLI11 has its own codes per parse error; the contract is 2 for all of them.
        std::fprintf(stderr, "dockscan: %s\n", e.what());
        std::fprintf(stderr, "Run with --help for more information.\n");
        return 2;
    }
    return exit_code;
}

} // namespace dockscan::agent
