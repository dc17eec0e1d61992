#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/store/audit_export.hpp"

#include <cstdio>

namespace dockscan::agent {
namespace {

struct AuditArgs {
    StoreArgs store;
    std::string format = "csv";
    std::string anchor; // "ID:MAC" as export printed it
};

Expected<std::optional<AuditAnchor>> parse_anchor(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    const std::size_t colon = text.find(':');
    const std::string id = text.substr(0, colon);
    const std::string mac = colon == std::string::npos ? "" : text.substr(colon + 1);
    const bool digits =
        !id.empty() && id.size() < 19 && id.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || mac.size() != 64 ||
        mac.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return fail(ErrorCode::usage,
                    "--anchor wants ROW:MAC as `dockscan audit export` printed it, not '" + text +
                        "'");
    }
    return AuditAnchor{std::stoll(id), mac};
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c == '"' ? "\"\"" : std::string(1, c);
    }
    return quoted + "\"";
}

int verify(const AuditArgs& args) {
    const auto anchor = parse_anchor(args.anchor);
    if (!anchor) {
        return report(anchor.error());
    }
    auto store = open_store(args.store, OpenMode::existing);
    if (!store) {
        return report(store.error());
    }
    const auto check = store->verify_audit(*anchor);
    if (!check) {
        return report(check.error());
    }
    if (check->intact) {
        std::printf("ok: %lld rows%s\n", static_cast<long long>(check->rows),
                    *anchor ? ", the anchor's row is there and unchanged" : "");
        return 0;
    }
    if (check->first_broken_row) {
        std::printf("broken: row %lld does not match the chain (%lld rows); the log was altered "
                    "at or before that row\n",
                    static_cast<long long>(*check->first_broken_row),
                    static_cast<long long>(check->rows));
    } else {
        std::printf("broken: %s (%lld rows)\n", check->problem.c_str(),
                    static_cast<long long>(check->rows));
    }
    return 1;
}

Expected<void> export_log(const AuditArgs& args) {
    if (args.format != "csv" && args.format != "jsonl") {
        return fail(ErrorCode::usage, "--format is csv or jsonl");
    }
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
    // Reading the log is itself logged, before the rows are read, so the export
    // ends with its own row.
    DOCKSCAN_TRY(store.append_audit(
        AuditEntry{cli_actor(), "audit_export", "audit_log", "format=" + args.format}));
    // The newest row, to be kept outside the store: `audit verify --anchor` with it
    // shows later whether rows were removed from the end.
    DOCKSCAN_TRY_ASSIGN(const AuditAnchor anchor, store.audit_anchor());
    std::fprintf(stderr, "anchor: %lld:%s\n", static_cast<long long>(anchor.id),
                 anchor.mac.c_str());
    const bool csv = args.format == "csv";
    if (csv) {
        std::printf("id,at,actor,action,object,detail,prev_hash,hash\n");
    }
    return audit_export::for_each(store, [csv](const audit_export::Record& r) {
        if (csv) {
            std::printf("%lld,%s,%s,%s,%s,%s,%s,%s\n", static_cast<long long>(r.id),
                        csv_field(r.at).c_str(), csv_field(r.actor).c_str(),
                        csv_field(r.action).c_str(), csv_field(r.object).c_str(),
                        csv_field(r.detail).c_str(), r.prev_hash.c_str(), r.hash.c_str());
        } else {
            const Json line{{"id", r.id},
                            {"at", r.at},
                            {"actor", r.actor},
                            {"action", r.action},
                            {"object", r.object},
                            {"detail", r.detail},
                            {"prev_hash", r.prev_hash},
                            {"hash", r.hash}};
            std::printf("%s\n", line.dump().c_str());
        }
    });
}

} // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
    auto* audit = app.add_subcommand("audit", "The audit log (loggkontroll)");
    audit->require_subcommand(1);
    auto args = std::make_shared<AuditArgs>();

    auto* verify_cmd = audit->add_subcommand(
        "verify", "Check the chain; exit 1 and name the first broken row when altered");
    add_store_options(*verify_cmd, args->store);
    verify_cmd->add_option("--anchor", args->anchor,
                           "ROW:MAC kept from an earlier export or the journal: fail when that "
                           "row was removed or changed");
    verify_cmd->callback([args, &exit_code] { exit_code = verify(*args); });

    auto* export_cmd = audit->add_subcommand(
        "export", "Write the audit log to stdout, and its anchor (newest ROW:MAC) to stderr");
    add_store_options(*export_cmd, args->store);
    export_cmd->add_option("--format", args->format, "csv (default) or jsonl");
    export_cmd->callback([args, &exit_code] {
        const auto done = export_log(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace dockscan::agent
