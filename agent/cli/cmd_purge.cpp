// `dockscan purge`: the retention policy by hand (the docking daemon applies it itself).

#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/progress_line.hpp"
#include "agent/store/retention.hpp"
#include "base/time.hpp"

#include <cstdio>
#include <memory>

namespace dockscan::agent {
namespace {

struct PurgeArgs {
    StoreArgs store;
    int days = 365;
};

Expected<void> purge(const PurgeArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
    // On a terminal: how many findings are purged of how many (nothing when stderr is not).
    ProgressLine line(stderr, "findings");
    DOCKSCAN_TRY_ASSIGN(const retention::Purged purged,
                        retention::purge(store, args.days, base::unix_now(), cli_actor(),
                                         [&line](std::int64_t done, std::int64_t total) {
                                             line.update(done, total);
                                         }));
    line.finish();
    std::printf("purged the evidence of %lld findings and %lld thumbnails recorded before %s\n",
                static_cast<long long>(purged.findings), static_cast<long long>(purged.thumbnails),
                purged.before.c_str());
    return {};
}

} // namespace

void add_purge_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<PurgeArgs>();
    auto* cmd = app.add_subcommand(
        "purge", "Purge the evidence of findings older than the retention period (and of "
                 "quarters already reported); what the reports count is kept");
    add_store_options(*cmd, args->store);
    cmd->add_option("--days", args->days, "Retention period in days")
        ->check(CLI::Range(30, 3650))
        ->capture_default_str();
    cmd->callback([args, &exit_code] {
        const auto done = purge(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace dockscan::agent
