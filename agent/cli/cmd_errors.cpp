#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "base/text.hpp"

#include <cstdio>

namespace dockscan::agent {
namespace {

struct ErrorsArgs {
    StoreArgs store;
    std::int64_t scan = 0;
    bool json = false;
};

int run(const ErrorsArgs& args) {
    auto store = open_store(args.store, OpenMode::existing);
    if (!store) {
        return report(store.error());
    }
    auto items = store->failed_items(args.scan);
    if (!items) {
        return report(items.error());
    }
    // Item labels name people ("SMS från Karin"): a read by a person, in the audit log.
    if (auto audited = store->append_audit(
            AuditEntry{cli_actor(), "list_errors", "scan:" + std::to_string(args.scan),
                       std::to_string(items->size()) + " items that failed shown"});
        !audited) {
        return report(audited.error());
    }
    if (args.json) {
        std::printf("%s\n", failed_items_json(*items).dump().c_str());
        return 0;
    }
    if (items->empty()) {
        std::printf("no items failed in scan %lld\n", static_cast<long long>(args.scan));
    }
    for (const FailedItem& item : *items) {
        std::printf("%s %s: %s\n", item.type.c_str(), base::printable(item.ref).c_str(),
                    base::printable(item.reason).c_str());
    }
    return 0;
}

} // namespace

void add_errors_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "errors", "List the items a scan could not read or analyse, with the reasons");
    auto args = std::make_shared<ErrorsArgs>();
    cmd->add_option("--scan", args->scan, "The scan's id (dockscan scan prints it)")->required();
    add_store_options(*cmd, args->store);
    cmd->add_flag("--json", args->json, "Print the items as JSON");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace dockscan::agent
