#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/findings_view.hpp"
#include "agent/demo/demo_inventory.hpp"
#include "agent/demo/demo_phone.hpp"
#include "agent/report/render.hpp"
#include "agent/report/report_file.hpp"
#include "agent/report/report_model.hpp"
#include "agent/scan/scan_pipeline.hpp"
#include "agent/scan/sources.hpp"
#include "base/time.hpp"

#include <cstdio>
#include <fstream>
#include <system_error>

namespace dockscan::agent {
namespace {

constexpr const char* k_marker = ".dockscan-demo";
constexpr const char* k_phone_label = "Demotelefon Hemtjänst Nord 3";

// The demo folder is ours to replace only when an earlier demo made it.
Expected<void> fresh_folder(const std::filesystem::path& dir) {
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) {
        if (!std::filesystem::exists(dir / k_marker, ec)) {
            return fail(ErrorCode::usage, dir.string() +
                                              " exists and was not made by dockscan demo; "
                                              "choose another --dir");
        }
        std::filesystem::remove_all(dir, ec);
        if (ec) {
            return fail(ErrorCode::config,
                        "cannot remove the old demo in " + dir.string() + ": " + ec.message());
        }
    }
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return fail(ErrorCode::config, "cannot create " + dir.string() + ": " + ec.message());
    }
    std::ofstream(dir / k_marker) << "made by dockscan demo; removed by the next demo\n";
    return {};
}

void print_scan(const char* title, const ScanSummary& s) {
    std::printf("%s: %s — messages %lld, contacts %lld, notes %lld, photos %lld; "
                "%lld scanned, %lld unchanged, %lld findings\n",
                title, std::string(to_string(s.status)).c_str(),
                static_cast<long long>(s.counts.messages),
                static_cast<long long>(s.counts.contacts), static_cast<long long>(s.counts.files),
                static_cast<long long>(s.counts.photos), static_cast<long long>(s.scanned),
                static_cast<long long>(s.counts.unchanged), static_cast<long long>(s.findings));
}

// Registers the demo phone and a few more in two units, and writes this quarter's
// report as PDF and HTML, so that a newcomer sees what the quality lead gets. The demo
// phone's findings stay open: deciding them is the supervisor's part of the loop.
Expected<void> demo_report(Store& store, const std::filesystem::path& dir) {
    const std::int64_t now = base::unix_now();
    DOCKSCAN_TRY(demo_inventory::seed(store, k_phone_label));
    const reports::Quarter quarter = reports::quarter_of(now);
    DOCKSCAN_TRY_ASSIGN(const reports::Report model,
                        reports::build_report(store, quarter, {}, now));
    DOCKSCAN_TRY(
        store.append_audit(AuditEntry{cli_actor(), "report", "quarter:" + reports::code(quarter),
                                      "pdf, html; units: all (demo)"}));
    std::printf("\nThe quarterly report (sekretesskontroll, in Swedish) of the demo store, with "
                "demo units\nand phones; the demo phone's findings are still open:\n");
    for (const reports::Format format : {reports::Format::pdf, reports::Format::html}) {
        DOCKSCAN_TRY_ASSIGN(const std::string bytes, reports::render(model, format));
        const auto path = dir / reports::default_file_name(reports::period_of(quarter), format);
        DOCKSCAN_TRY(reports::write_report_file(path, bytes));
        std::printf("  %-5s %s\n", reports::to_string(format).data(), path.c_str());
    }
    return {};
}

// The people who review, and the one command that opens the review UI on the demo store.
Expected<void> demo_review(Store& store, const std::filesystem::path& phone_dir,
                           const std::filesystem::path& store_path,
                           const std::filesystem::path& key_path, const std::string& self) {
    DOCKSCAN_TRY_ASSIGN(const auto users, demo_inventory::add_users(store));
    std::printf("\nDecide the findings as the unit's supervisor, in the review UI (Swedish):\n\n"
                "  %s serve --store %s --key-file %s\n\n"
                "and open the address it prints. Log in as:\n",
                self.c_str(), store_path.c_str(), key_path.c_str());
    for (const auto& user : users) {
        std::printf("  %-14s password %s   (%s)\n", user.name.c_str(), user.password.c_str(),
                    user.role == users::Role::supervisor ? "enhetschef, Hemtjänst Nord"
                                                         : "kvalitetsansvarig");
    }
    std::printf("The passwords are shown only now (the store keeps argon2id hashes).\n\n"
                "Close the loop: decide a finding \"Avvikelse\" with \"Raderat från "
                "telefonen\", delete\nthat file from %s, scan again and see it verified under "
                "Uppföljning:\n\n  %s scan %s --phone '%s' --store %s --key-file %s\n",
                phone_dir.c_str(), self.c_str(), phone_dir.c_str(), k_phone_label,
                store_path.c_str(), key_path.c_str());
    return {};
}

Expected<void> run_demo(const std::filesystem::path& dir, const std::string& self) {
    DOCKSCAN_TRY(fresh_folder(dir));
    const auto phone_dir = dir / "phone";
    const auto key_path = dir / "store.key";
    const auto store_path = dir / "dockscan.db";
    DOCKSCAN_TRY(write_demo_phone(phone_dir));
    DOCKSCAN_TRY_ASSIGN(StoreKey key, StoreKey::create_file(key_path));
    DOCKSCAN_TRY_ASSIGN(Store store, Store::open(store_path, key, OpenMode::create));

    std::printf("dockscan demo\n\n");
    std::printf("A demo work phone (a folder copy of its storage): %s\n", phone_dir.c_str());
    std::printf("  9 SMS (SMS Backup & Restore export), a handover note, 3 contacts, 3 photos\n"
                "  (one of them of a printed medication list)\n\n");

    PhoneIdentity phone;
    phone.label = k_phone_label;
    DOCKSCAN_TRY_ASSIGN(const std::int64_t phone_id, store.upsert_phone(phone));
    DOCKSCAN_TRY_ASSIGN(auto source, open_source(phone_dir.string()));
    DOCKSCAN_TRY_ASSIGN(const ScanSummary first,
                        run_scan(*source, store, phone_id, ScanOptions{}, std::stop_token{}));
    print_scan("First scan ", first);
    DOCKSCAN_TRY_ASSIGN(auto again, open_source(phone_dir.string()));
    DOCKSCAN_TRY_ASSIGN(const ScanSummary second,
                        run_scan(*again, store, phone_id, ScanOptions{}, std::stop_token{}));
    print_scan("Second scan", second);
    std::printf("  (the second scan skips what the first saw unchanged: scans are "
                "incremental)\n\n");
    std::fflush(stdout);

    // Showing the findings is a read by a person: it goes through the same code as
    // `dockscan findings` and lands in the audit log like any other read.
    std::printf("Findings (as `dockscan findings` shows them):\n\n");
    DOCKSCAN_TRY(show_findings(store, std::nullopt, FindingsFormat::table));
    std::printf("\nThe encrypted store:  %s (SQLCipher; no identity number or message text "
                "in it,\n                      only masked numbers, keyed hashes and redacted "
                "excerpts)\nIts key (mode 0600):  %s\n",
                store_path.c_str(), key_path.c_str());
    std::fflush(stdout);
    DOCKSCAN_TRY(demo_report(store, dir));
    DOCKSCAN_TRY(demo_review(store, phone_dir, store_path, key_path, self));
    std::printf("\nTry:  %s findings --json --store %s --key-file %s\n", self.c_str(),
                store_path.c_str(), key_path.c_str());
    std::printf("      %s report --store %s --key-file %s --quarter %s --format csv "
                "--output -\n",
                self.c_str(), store_path.c_str(), key_path.c_str(),
                reports::code(reports::quarter_of(base::unix_now())).c_str());
    std::printf("      strings %s | grep -ci personnummer   (0: no message text in clear)\n",
                store_path.c_str());
    return {};
}

std::string self_path(const char* argv0) {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(argv0) : exe.string();
}

} // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "demo", "Make a demo phone and a fresh encrypted store, scan it and show the findings");
    auto dir = std::make_shared<std::filesystem::path>("dockscan-demo");
    cmd->add_option("--dir", *dir, "Folder for the demo phone, store and key (replaced)")
        ->capture_default_str();
    cmd->callback([dir, &exit_code] {
        auto done = run_demo(*dir, self_path("dockscan"));
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace dockscan::agent
