#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/cli/progress_line.hpp"
#include "agent/cli/stop_signals.hpp"
#include "agent/sandbox/sandbox.hpp"
#include "agent/scan/scan_pipeline.hpp"
#include "agent/scan/sources.hpp"
#include "agent/store/inventory.hpp"
#include "base/text.hpp"

#include <cstdio>

namespace dockscan::agent {
namespace {

struct ScanArgs {
    std::string source;
    StoreArgs store;
    std::string phone;
    std::string password_file;
    bool json = false;
    std::optional<int> wait_s;
    bool no_sandbox = false;
    int worker_memory_mb = 512;
    int item_timeout_s = 60;
};

// The phone's label: what the user gave, else what the source knows, else the name
// of the folder or file that was scanned.
PhoneIdentity identity_for(const ScanArgs& args, const docking::SourceInfo& info) {
    PhoneIdentity phone;
    phone.serial = info.serial;
    phone.name = info.name;
    phone.model = info.model;
    phone.os_version = info.os_version;
    if (!args.phone.empty()) {
        phone.label = args.phone;
    } else if (!info.serial.empty()) {
        phone.label = info.serial;
    } else {
        phone.label = std::filesystem::path(args.source).lexically_normal().filename().string();
        if (phone.label.empty()) {
            phone.label = std::filesystem::path(args.source)
                              .lexically_normal()
                              .parent_path()
                              .filename()
                              .string();
        }
    }
    return phone;
}

void print_summary(const ScanSummary& s) {
    std::printf("scan %lld of %s: %s\n", static_cast<long long>(s.scan_id),
                base::printable(s.source).c_str(), std::string(to_string(s.status)).c_str());
    if (!s.reason.empty()) {
        std::printf("  reason: %s\n", base::printable(s.reason).c_str());
    }
    std::printf("  items: %lld messages, %lld photos, %lld contacts, %lld files, "
                "%lld attachments\n",
                static_cast<long long>(s.counts.messages), static_cast<long long>(s.counts.photos),
                static_cast<long long>(s.counts.contacts), static_cast<long long>(s.counts.files),
                static_cast<long long>(s.counts.attachments));
    std::printf("  scanned %lld, unchanged since the last scan %lld, errors %lld\n",
                static_cast<long long>(s.scanned), static_cast<long long>(s.counts.unchanged),
                static_cast<long long>(s.counts.errors));
    std::printf("  findings: %lld\n", static_cast<long long>(s.findings));
    if (s.removals_verified + s.removals_still_there > 0) {
        // Decisions that asked for a removal, checked on the phone by this scan.
        std::printf("  removals checked: %lld gone (verified), %lld still there (reopened)\n",
                    static_cast<long long>(s.removals_verified),
                    static_cast<long long>(s.removals_still_there));
    }
    if (s.status == ScanStatus::empty) {
        std::printf("  nothing was read: this is not a clean phone\n");
    }
    for (const SkippedSource& skipped : s.skipped) {
        std::printf("  not read: %s\n", base::printable(skipped.reason).c_str());
    }
}

// The items that could not be read, each with its reason: a screenful, then a count
// and where to see the rest.
void print_failed_items(const std::vector<FailedItem>& items, std::int64_t scan_id) {
    constexpr std::size_t k_screenful = 20;
    if (items.empty()) {
        return;
    }
    std::printf("  could not be read or analysed:\n");
    for (std::size_t i = 0; i < items.size() && i < k_screenful; ++i) {
        std::printf("    %s: %s\n", base::printable(items[i].ref).c_str(),
                    base::printable(items[i].reason).c_str());
    }
    if (items.size() > k_screenful) {
        std::printf("    ... and %zu more: dockscan errors --scan %lld\n",
                    items.size() - k_screenful, static_cast<long long>(scan_id));
    }
}

int run(ScanArgs args) {
    std::stop_source stop;
    StopOnSignals signals(stop);
    if (auto models = detectors::image::check_models(ScanOptions{}.analysis.image); !models) {
        return report(Error{ErrorCode::config, models.error().message});
    }

    auto store = open_store(args.store, OpenMode::existing);
    if (!store) {
        return report(store.error());
    }
    // --phone names a phone of the register: a typo must not become a new phone that
    // counts in the report.
    if (!args.phone.empty()) {
        auto known = inventory::find_phone(*store, args.phone);
        if (!known) {
            return report(known.error());
        }
        if (!*known) {
            return report(
                Error{ErrorCode::usage, "unknown phone '" + base::printable(args.phone) +
                                            "': register it with `dockscan phones add " +
                                            base::printable(args.phone) +
                                            " --unit UNIT` (see `dockscan phones list`), or scan "
                                            "without --phone"});
        }
        args.phone = (*known)->label;
    }
    SourceOptions source_options;
    if (args.wait_s) {
        source_options.phone_wait = std::chrono::seconds(*args.wait_s);
    }
    if (!args.password_file.empty()) {
        auto password = read_password_file(args.password_file);
        if (!password) {
            return report(password.error());
        }
        source_options.backup_password = std::move(*password);
    }
    auto source = open_source(args.source, source_options);
    if (!source) {
        // Nothing could be listed, but the attempt is still a scan of that phone,
        // recorded with its reason.
        auto phone_id = store->upsert_phone(identity_for(args, docking::SourceInfo{}));
        if (phone_id) {
            auto scan_id = store->begin_scan(*phone_id, args.source);
            if (scan_id) {
                (void)store->finish_scan(*scan_id, ScanStatus::failed, source.error().message,
                                         ItemCounts{});
            }
        }
        return report(source.error());
    }
    auto phone_id = store->upsert_phone(identity_for(args, (*source)->describe()));
    if (!phone_id) {
        return report(phone_id.error());
    }
    // A first scan of 2,000 photos runs for minutes: on a terminal, say how far it is.
    ProgressLine line(stderr);
    ScanOptions options;
    if (!args.no_sandbox) {
        sandbox::SandboxLimits limits;
        limits.memory_allowance = static_cast<std::uint64_t>(args.worker_memory_mb) << 20;
        limits.item_timeout = std::chrono::seconds(args.item_timeout_s);
        options.analysers =
            sandbox::sandboxed_analysers(sandbox::this_program(), options.analysis, limits);
    }
    if (line.shown()) {
        options.progress = [&line](const ScanProgress& p) { line.update(p.done, p.total); };
    }
    auto summary = run_scan(**source, *store, *phone_id, options, stop.get_token());
    line.finish();
    if (!summary) {
        return report(summary.error());
    }
    auto failed = store->failed_items(summary->scan_id);
    if (!failed) {
        return report(failed.error());
    }
    if (args.json) {
        Json json = scan_summary_json(*summary);
        json["failed_items"] = failed_items_json(*failed);
        std::printf("%s\n", json.dump().c_str());
    } else {
        print_summary(*summary);
        print_failed_items(*failed, summary->scan_id);
    }
    // A scan that read nothing fails like one that could not read: neither is a control.
    return summary->status == ScanStatus::failed || summary->status == ScanStatus::empty ? 1 : 0;
}

} // namespace

void add_scan_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("scan", "Scan an offline phone source into the store");
    auto args = std::make_shared<ScanArgs>();
    cmd->add_option(
           "SOURCE", args->source,
           "What to scan: an iOS backup folder (<UDID>/), an adb backup archive (.ab), "
           "an SMS Backup & Restore export (.xml), a folder copy of a phone's "
           "storage, an Android phone over ADB (adb:HOST:PORT), or an iPhone through usbmuxd "
           "(usbmux:UDID)")
        ->required();
    add_store_options(*cmd, args->store);
    cmd->add_option("--phone", args->phone, "The phone's label in the store");
    cmd->add_option("--backup-password-file", args->password_file,
                    "File (mode 0600) whose first line unlocks an encrypted backup");
    cmd->add_option("--wait", args->wait_s,
                    "Seconds a live phone (adb:, usbmux:) may take for the person holding it to "
                    "allow the station, tap Trust or enter the passcode (default: 30 for "
                    "Android, 120 for Trust and 180 for the passcode on an iPhone)")
        ->check(CLI::Range(1, 3600));
    cmd->add_flag("--json", args->json, "Print the summary as JSON");
    cmd->add_option("--worker-memory", args->worker_memory_mb,
                    "Megabytes of address space an analysis worker may use for one item, over "
                    "what it holds with its models loaded (default 512)")
        ->check(CLI::Range(16, 65536));
    cmd->add_option("--item-timeout", args->item_timeout_s,
                    "Seconds one item may take in an analysis worker (default 60)")
        ->check(CLI::Range(1, 3600));
    cmd->add_flag("--no-sandbox", args->no_sandbox,
                  "Analyse in this process instead of sandboxed workers (debugging only: a "
                  "crash in a decoder then ends the scan)");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace dockscan::agent
