#pragma once

// The subcommands of the dockscan command line. Each adds itself to the CLI11 app
// and, when run, stores its exit code in `exit_code`.

#include <CLI/CLI.hpp>

namespace dockscan::agent {

void add_init_command(CLI::App& app, int& exit_code);
void add_inspect_command(CLI::App& app, int& exit_code);
void add_scan_command(CLI::App& app, int& exit_code);
void add_findings_command(CLI::App& app, int& exit_code);
void add_errors_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_units_command(CLI::App& app, int& exit_code);
void add_phones_command(CLI::App& app, int& exit_code);
void add_users_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);
void add_audit_command(CLI::App& app, int& exit_code);
void add_purge_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_slots_command(CLI::App& app, int& exit_code);
void add_status_command(CLI::App& app, int& exit_code);
void add_central_command(CLI::App& app, int& exit_code);

} // namespace dockscan::agent
