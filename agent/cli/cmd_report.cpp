#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/report/render.hpp"
#include "agent/report/report_file.hpp"
#include "agent/report/report_model.hpp"
#include "base/time.hpp"

#include <cstdio>
#include <unistd.h>

namespace dockscan::agent {
namespace {

struct ReportArgs {
    StoreArgs store;
    std::string quarter;
    std::vector<std::string> units;
    std::string format = "pdf";
    std::string output; // empty: sekretesskontroll-<quarter>.<format>; "-": stdout
};

Expected<void> write_stdout(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
        std::fflush(stdout) != 0) {
        return fail(ErrorCode::input, "cannot write the report to standard output");
    }
    return {};
}

Expected<void> run(const ReportArgs& args) {
    DOCKSCAN_TRY_ASSIGN(const reports::Quarter quarter, reports::parse_quarter(args.quarter));
    const auto format = reports::parse_format(args.format);
    if (!format) {
        return fail(ErrorCode::usage, "--format is pdf, html or csv");
    }
    const bool to_stdout = args.output == "-";
    if (to_stdout && *format == reports::Format::pdf && ::isatty(STDOUT_FILENO) == 1) {
        return fail(ErrorCode::usage,
                    "a PDF is not written to a terminal: give --output FILE or pipe it");
    }
    DOCKSCAN_TRY_ASSIGN(Store store, open_store(args.store, OpenMode::existing));
    DOCKSCAN_TRY_ASSIGN(const reports::Report model,
                        reports::build_report(store, quarter, args.units, base::unix_now()));

    // The report holds counts and phone labels only, but it is still a read of the
    // store by a person: the log control should see who made which report.
    std::string units;
    for (const std::string& unit : args.units) {
        units += (units.empty() ? "" : ", ") + unit;
    }
    DOCKSCAN_TRY(store.append_audit(AuditEntry{
        cli_actor(), "report", "quarter:" + reports::code(quarter),
        std::string(reports::to_string(*format)) + "; units: " + (units.empty() ? "all" : units)}));

    DOCKSCAN_TRY_ASSIGN(const std::string bytes, reports::render(model, *format));
    if (to_stdout) {
        return write_stdout(bytes);
    }
    const std::filesystem::path path =
        args.output.empty() ? reports::default_file_name(quarter, *format) : args.output;
    DOCKSCAN_TRY(reports::write_report_file(path, bytes));
    std::printf("Wrote %s (%s, %s)\n", path.c_str(), reports::long_name(quarter).c_str(),
                reports::to_string(*format).data());
    return {};
}

} // namespace

void add_report_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "report", "Write the quarterly sekretesskontroll report (PDF, HTML or CSV, in Swedish)");
    auto args = std::make_shared<ReportArgs>();
    add_store_options(*cmd, args->store);
    cmd->add_option("--quarter", args->quarter,
                    "The quarter, e.g. 2026Q4 (Swedish local dates: 1 October to 31 December)")
        ->required();
    cmd->add_option("--unit", args->units,
                    "Only this unit (repeat for more); default: every unit and unregistered "
                    "phones");
    cmd->add_option("--format", args->format, "pdf, html or csv")
        ->check(CLI::IsMember({"pdf", "html", "csv"}))
        ->capture_default_str();
    cmd->add_option("--output", args->output,
                    "File to write (default: sekretesskontroll-<quarter>.<format>); - for "
                    "standard output");
    cmd->callback([args, &exit_code] {
        auto done = run(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace dockscan::agent
