#include "agent/central/pg_source.hpp"
#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/progress_line.hpp"
#include "agent/report/render.hpp"
#include "agent/report/report_file.hpp"
#include "agent/report/report_model.hpp"
#include "agent/store/report_comments.hpp"
#include "base/time.hpp"

#include <cstdio>
#include <unistd.h>

namespace dockscan::agent {
namespace {

struct ReportArgs {
    StoreArgs store;
    std::string quarter;
    std::string period;
    std::vector<std::string> units;
    std::string format = "pdf";
    std::string output;   // empty: sekretesskontroll-<quarter>.<format>; "-": stdout
    bool central = false; // the whole municipality, from the central database
};

Expected<void> write_stdout(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() ||
        std::fflush(stdout) != 0) {
        return fail(ErrorCode::input, "cannot write the report to standard output");
    }
    return {};
}

struct CommentArgs {
    StoreArgs store;
    std::string period;
    std::string unit;
    std::string text;
    bool from_stdin = false;
};

// The period of --period or --quarter (one of them, not both).
Expected<reports::Period> period_of(const ReportArgs& args) {
    if (args.period.empty() == args.quarter.empty()) {
        return fail(ErrorCode::usage, "give the period: --period 2026Q4 | 2026-delår | 2026 "
                                      "(or --quarter 2026Q4)");
    }
    if (!args.quarter.empty()) {
        DOCKSCAN_TRY_ASSIGN(const reports::Quarter quarter, reports::parse_quarter(args.quarter));
        return reports::period_of(quarter);
    }
    return reports::parse_period(args.period);
}

Expected<void> comment(const CommentArgs& args) {
    DOCKSCAN_TRY_ASSIGN(const reports::Period period, reports::parse_period(args.period));
    std::string text = args.text;
    if (args.from_stdin) {
        text.clear();
        char buf[4096];
        std::size_t got = 0;
        while ((got = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
            text.append(buf, got);
        }
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
            text.pop_back();
        }
    }
    DOCKSCAN_TRY_ASSIGN(Store store, open_store(args.store, OpenMode::existing));
    const std::string code = reports::code(period);
    DOCKSCAN_TRY(report_comments::set(store, args.unit, code, text, cli_actor()));
    // The comment is the quality lead's own text about figures: logged as an edit, not
    // repeated in the log.
    DOCKSCAN_TRY(store.append_audit(
        AuditEntry{cli_actor(), "report_comment", "unit:" + args.unit,
                   "period=" + code + "; " + std::to_string(text.size()) + " bytes"}));
    std::printf(text.empty() ? "cleared the comment of %s for %s\n"
                             : "saved the comment of %s for %s\n",
                args.unit.c_str(), reports::long_name(period).c_str());
    return {};
}

// Writes the rendered report to --output (or its default name, or stdout).
Expected<void> write_report(const ReportArgs& args, const reports::Period& period,
                            reports::Format format, const std::string& bytes) {
    if (args.output == "-") {
        return write_stdout(bytes);
    }
    const std::filesystem::path path =
        args.output.empty() ? reports::default_file_name(period, format) : args.output;
    DOCKSCAN_TRY(reports::write_report_file(path, bytes));
    std::printf("Wrote %s (%s, %s)\n", path.c_str(), reports::long_name(period).c_str(),
                reports::to_string(format).data());
    return {};
}

// The report of every station's units as one municipality, read from the central
// database as the review role ([central_review] of --config). The quality lead's
// comments are the stations' own: the central report has none.
Expected<void> run_central(const ReportArgs& args, const reports::Period& period,
                           reports::Format format) {
    DOCKSCAN_TRY_ASSIGN(pg::Connection connection, connect_review(args.store));
    central::PgSource source(connection);
    // On a terminal: the steps of counting, and writing the file as the last.
    ProgressLine line(stderr, "steps");
    std::int64_t steps = 1;
    DOCKSCAN_TRY_ASSIGN(const reports::Report model,
                        reports::build_report(source, period, args.units, base::unix_now(), {},
                                              [&](std::int64_t done, std::int64_t total) {
                                                  steps = total + 1;
                                                  line.update(done, steps);
                                              }));
    DOCKSCAN_TRY_ASSIGN(const std::string bytes, reports::render(model, format));
    line.update(steps, steps);
    line.finish();
    return write_report(args, period, format, bytes);
}

Expected<void> run(const ReportArgs& args) {
    DOCKSCAN_TRY_ASSIGN(const reports::Period period, period_of(args));
    const auto format = reports::parse_format(args.format);
    if (!format) {
        return fail(ErrorCode::usage, "--format is pdf, html or csv");
    }
    const bool to_stdout = args.output == "-";
    if (to_stdout && *format == reports::Format::pdf && ::isatty(STDOUT_FILENO) == 1) {
        return fail(ErrorCode::usage,
                    "a PDF is not written to a terminal: give --output FILE or pipe it");
    }
    if (args.central) {
        return run_central(args, period, *format);
    }
    DOCKSCAN_TRY_ASSIGN(Store store, open_store(args.store, OpenMode::existing));
    // On a terminal: the steps of counting, and writing the file as the last.
    ProgressLine line(stderr, "steps");
    std::int64_t steps = 1;
    DOCKSCAN_TRY_ASSIGN(const reports::Report model,
                        reports::build_report(store, period, args.units, base::unix_now(),
                                              [&](std::int64_t done, std::int64_t total) {
                                                  steps = total + 1;
                                                  line.update(done, steps);
                                              }));

    // The report holds counts and phone labels only, but it is still a read of the
    // store by a person: the log control should see who made which report.
    std::string units;
    for (const std::string& unit : args.units) {
        units += (units.empty() ? "" : ", ") + unit;
    }
    DOCKSCAN_TRY(store.append_audit(AuditEntry{
        cli_actor(), "report", "period:" + reports::code(period),
        std::string(reports::to_string(*format)) + "; units: " + (units.empty() ? "all" : units)}));

    DOCKSCAN_TRY_ASSIGN(const std::string bytes, reports::render(model, *format));
    line.update(steps, steps);
    line.finish();
    return write_report(args, period, *format, bytes);
}

} // namespace

void add_report_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "report", "Write the quarterly sekretesskontroll report (PDF, HTML or CSV, in Swedish)");
    auto args = std::make_shared<ReportArgs>();
    add_store_options(*cmd, args->store);
    cmd->add_option("--period", args->period,
                    "The period: a quarter (2026Q4), the delår (2026-delår: January–August) or "
                    "the year (2026), in Swedish local dates");
    cmd->add_option("--quarter", args->quarter,
                    "The quarter, e.g. 2026Q4 (the same as --period 2026Q4)");
    cmd->add_option("--unit", args->units,
                    "Only this unit (repeat for more); default: every unit and unregistered "
                    "phones");
    cmd->add_option("--format", args->format, "pdf, html or csv")
        ->check(CLI::IsMember({"pdf", "html", "csv"}))
        ->capture_default_str();
    cmd->add_option("--output", args->output,
                    "File to write (default: sekretesskontroll-<period>.<format>); - for "
                    "standard output");
    cmd->add_flag("--central", args->central,
                  "Every station's units as one municipality, from the central PostgreSQL "
                  "(the [central_review] login of --config)");
    cmd->require_subcommand(0, 1);
    cmd->callback([cmd, args, &exit_code] {
        if (cmd->got_subcommand("comment")) {
            return;
        }
        auto done = run(*args);
        exit_code = done ? 0 : report(done.error());
    });

    auto comment_args = std::make_shared<CommentArgs>();
    auto* comment_cmd = cmd->add_subcommand(
        "comment", "Set the quality lead's comment of a unit for a period (printed in the report)");
    // --store and --key-file are the report command's: they fall through to it.
    comment_cmd->fallthrough();
    // Its own --period, not the report's: the one the comment belongs to.
    comment_cmd->add_option("--period", comment_args->period, "2026Q4, 2026-delår or 2026")
        ->required();
    comment_cmd->add_option("--unit", comment_args->unit, "The unit")->required();
    auto* text = comment_cmd->add_option("--text", comment_args->text,
                                         "The comment (empty: clear it); or --stdin");
    comment_cmd->add_flag("--stdin", comment_args->from_stdin, "Read the comment from stdin")
        ->excludes(text);
    comment_cmd->callback([args, comment_args, &exit_code] {
        comment_args->store = args->store;
        auto done = comment(*comment_args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace dockscan::agent
