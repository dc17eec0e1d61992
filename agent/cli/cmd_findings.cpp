#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/findings_view.hpp"
#include "agent/cli/json_output.hpp"
#include "base/text.hpp"

#include <cstdio>

namespace dockscan::agent {
namespace {

struct FindingsArgs {
    StoreArgs store;
    bool json = false;
    std::int64_t scan = 0;
};

bool starts_char(char c) {
    return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
}

std::size_t char_count(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) {
        n += starts_char(c) ? 1u : 0u;
    }
    return n;
}

// Fits `text` into `width` characters (not bytes): cut with "…", or padded.
std::string pad(const std::string& text, std::size_t width) {
    const std::size_t chars = char_count(text);
    if (chars <= width) {
        return text + std::string(width - chars, ' ');
    }
    std::size_t kept = 0;
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
        if (starts_char(text[i]) && kept++ == width - 1) {
            break;
        }
    }
    return text.substr(0, i) + "…";
}

void print_table(const std::vector<FindingRow>& rows) {
    if (rows.empty()) {
        std::printf("no findings\n");
        return;
    }
    std::printf("%s %s %s %s %s %s %s\n", pad("ID", 5).c_str(), pad("PHONE", 18).c_str(),
                pad("WHERE", 40).c_str(), pad("KIND", 17).c_str(), pad("MASKED", 12).c_str(),
                pad("CONF", 5).c_str(), "PROPOSED SEVERITY");
    for (const FindingRow& r : rows) {
        char conf[16];
        std::snprintf(conf, sizeof conf, "%.2f", r.confidence);
        // Labels and excerpts come from the phone: shown so that they cannot drive the
        // terminal.
        std::printf("%s %s %s %s %s %s %s\n", pad(std::to_string(r.id), 5).c_str(),
                    pad(base::printable(r.phone), 18).c_str(),
                    pad(base::printable(r.item_label), 40).c_str(), pad(r.kind, 17).c_str(),
                    pad(base::printable(r.masked), 12).c_str(), pad(conf, 5).c_str(),
                    r.severity.c_str());
        if (!r.excerpt.empty()) {
            std::printf("      %s\n", base::printable(r.excerpt).c_str());
        }
        if (r.occurrences > 1) {
            std::printf("      the same number %lld times in this item\n",
                        static_cast<long long>(r.occurrences));
        }
    }
}

int run(const FindingsArgs& args) {
    auto store = open_store(args.store, OpenMode::existing);
    if (!store) {
        return report(store.error());
    }
    auto shown =
        show_findings(*store, args.scan > 0 ? std::optional<std::int64_t>(args.scan) : std::nullopt,
                      args.json ? FindingsFormat::json : FindingsFormat::table);
    return shown ? 0 : report(shown.error());
}

} // namespace

Expected<void> show_findings(Store& store, std::optional<std::int64_t> scan,
                             FindingsFormat format) {
    DOCKSCAN_TRY_ASSIGN(const auto rows, store.findings(scan));
    // Every read of findings by a person is in the audit log (the municipality's
    // log control), before anything is shown.
    DOCKSCAN_TRY(store.append_audit(AuditEntry{cli_actor(), "list_findings",
                                               scan ? "scan:" + std::to_string(*scan) : "findings",
                                               std::to_string(rows.size()) + " findings shown"}));
    if (format == FindingsFormat::json) {
        Json array = Json::array();
        for (const FindingRow& r : rows) {
            array.push_back(finding_json(r));
        }
        std::printf("%s\n", array.dump().c_str());
    } else {
        print_table(rows);
    }
    return {};
}

void add_findings_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("findings", "List the findings in the store");
    auto args = std::make_shared<FindingsArgs>();
    add_store_options(*cmd, args->store);
    cmd->add_flag("--json", args->json, "Print a JSON array");
    cmd->add_option("--scan", args->scan, "Only the findings of this scan");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace dockscan::agent
