#include "agent/cli/app.hpp"

#include "agent/cli/commands.hpp"
#include "agent/sandbox/sandbox.hpp"
#include "base/text.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

namespace dockscan::agent {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "unknown command 'scna' (did you mean 'scan'?)" when the words of the command line
// name no subcommand where one is required; empty when that is not what went wrong.
std::string unknown_command(CLI::App& app, int argc, char** argv) {
    CLI::App* level = &app;
    std::string path = "dockscan";
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word.empty() || word[0] == '-') {
            continue;
        }
        const auto subs = level->get_subcommands([](CLI::App*) { return true; });
        const auto known = std::find_if(subs.begin(), subs.end(),
                                        [&](CLI::App* sub) { return sub->get_name() == word; });
        if (known != subs.end()) {
            level = *known;
            path += " " + word;
            continue;
        }
        if (level->get_require_subcommand_min() == 0 || subs.empty()) {
            return {};
        }
        const CLI::App* nearest =
            *std::min_element(subs.begin(), subs.end(), [&](auto* x, auto* y) {
                return edit_distance(word, x->get_name()) < edit_distance(word, y->get_name());
            });
        std::string names;
        for (const CLI::App* sub : subs) {
            names += (names.empty() ? "" : ", ") + sub->get_name();
        }
        std::string text = "unknown command '" + base::printable(word) + "' for " + path;
        if (edit_distance(word, nearest->get_name()) <= 2) {
            text += " (did you mean '" + nearest->get_name() + "'?)";
        } else {
            text += " (commands: " + names + ")";
        }
        return text;
    }
    return {};
}

} // namespace

int app_main(int argc, char** argv) {
    // A scan's analysis worker (agent/sandbox), started by `scan` or `run` with its socket
    // as descriptor 3: before anything else, so that it reads no configuration and opens
    // nothing. Not a listed command: no one runs it by hand.
    if (argc == 2 && argv[1] == sandbox::k_worker_command) {
        return sandbox::run_worker(sandbox::k_worker_fd);
    }
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
    add_status_command(app, exit_code);
    add_central_command(app, exit_code);

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
        const std::string unknown = unknown_command(app, argc, argv);
        std::fprintf(stderr, "dockscan: %s\n", unknown.empty() ? e.what() : unknown.c_str());
        std::fprintf(stderr, "Run with --help for more information.\n");
        return 2;
    }
    return exit_code;
}

} // namespace dockscan::agent
