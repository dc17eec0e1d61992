// A scan whose process dies: the store must open afterwards, show the scan as
// partial with the reason, and keep every batch that was committed before the end.

#include "agent/store/store.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace dockscan::agent;
using namespace dockscan::agent::store_test;
using dockscan::testing::TempDir;

namespace {

// Runs in the forked child: no Catch2 here, only exit codes that name the step that
// failed. On success it never returns: it kills itself mid-scan.
[[noreturn]] void scan_and_die(const std::filesystem::path& path, const StoreKey& key,
                               int batches) {
    auto store = Store::open(path, key, OpenMode::existing);
    if (!store) {
        ::_exit(10);
    }
    auto phone = store->upsert_phone({"phone-1", "SER1", "", "", ""});
    if (!phone) {
        ::_exit(11);
    }
    auto scan = store->begin_scan(*phone, "usb");
    if (!scan) {
        ::_exit(12);
    }
    for (int i = 1; i <= batches; ++i) {
        if (!store->write_batch(*scan, *phone, sample_batch(i))) {
            ::_exit(13);
        }
    }
    // SIGKILL: no destructor, no checkpoint, no finish_scan; the -wal file stays.
    ::raise(SIGKILL);
    ::_exit(14);
}

} // namespace

TEST_CASE("a scan killed mid-way is partial on the next open, with its batches kept") {
    TempDir dir;
    const StoreKey key = new_key(dir);
    const auto path = dir / "store.db";
    (void)open_store(path, key);

    const int batches = GENERATE(0, 1, 3);
    INFO(batches << " batches before the process died");
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        scan_and_die(path, key, batches);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("child exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);
    CHECK(std::filesystem::exists(path.string() + "-wal"));

    auto store = open_store(path, key, OpenMode::existing);
    const auto scan = value_of(store.scan(1));
    REQUIRE(scan);
    CHECK(scan->status == ScanStatus::partial);
    CHECK(scan->reason == "interrupted: the scan did not finish (the process stopped)");
    CHECK(scan->finished_at.empty());
    CHECK(scan->counts.messages == batches);
    CHECK(scan->counts.photos == batches);
    CHECK(scan->counts.errors == batches);
    CHECK(scan->findings == batches);

    const auto findings = value_of(store.findings(1));
    REQUIRE(findings.size() == static_cast<std::size_t>(batches));
    for (std::size_t i = 0; i < findings.size(); ++i) {
        CHECK(findings[i].item_ref == "sms:" + std::to_string(batches - static_cast<int>(i)));
        CHECK(findings[i].phone == "phone-1");
    }
    if (batches > 0) {
        CHECK(value_of(store.item_state(1, "message", "sms:1")).has_value());
    }

    // The next scan of the same phone runs and completes as usual.
    const auto next = value_of(store.begin_scan(1, "usb"));
    value_of(store.finish_scan(next, ScanStatus::complete, "", ItemCounts{}));
    CHECK(value_of(store.scan(next))->status == ScanStatus::complete);
    CHECK(value_of(store.scan(1))->status == ScanStatus::partial);
}
