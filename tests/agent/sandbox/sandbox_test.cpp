// The sandboxed analysers with the real dockscan binary's workers: findings come back
// whole, and a worker that crashes, runs out of memory, hangs or does what its filter
// forbids costs one item and never the next. The misbehaviour is asked for with the
// test-only content markers of agent/sandbox/worker.cpp, honoured only with
// DOCKSCAN_TEST_SANDBOX_TRIGGERS=1.

#include "agent/sandbox/sandbox.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace dockscan::agent;
using namespace dockscan::testing;
using dockscan::docking::ContentKind;
using dockscan::docking::ItemContent;
using dockscan::docking::ItemInfo;
using dockscan::docking::ItemType;

namespace {

AnalysisOptions test_options() {
    AnalysisOptions options;
    options.image.ocr = dockscan::detectors::image::Ocr::disabled;
    return options;
}

std::unique_ptr<ItemAnalyser> sandboxed(sandbox::SandboxLimits limits = {}) {
    return sandbox::sandboxed_analysers(dockscan_exe(), test_options(), limits)();
}

ItemInfo note(const std::string& name) {
    return ItemInfo{ItemType::file, "Documents/" + name, 40, 0, "Anteckning " + name};
}

ItemContent text(std::string s) {
    return ItemContent{ContentKind::text, std::move(s)};
}

// The test-only markers are honoured while this lives (the analysers read it when made).
struct TestTriggers {
    TestTriggers() { ::setenv(sandbox::k_test_triggers_env, "1", 1); }
    ~TestTriggers() { ::unsetenv(sandbox::k_test_triggers_env); }
    TestTriggers(const TestTriggers&) = delete;
    TestTriggers& operator=(const TestTriggers&) = delete;
};

// This process's children (the workers), from every thread's list.
std::vector<pid_t> children() {
    std::vector<pid_t> pids;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream in(task.path() / "children");
        pid_t pid = 0;
        while (in >> pid) {
            pids.push_back(pid);
        }
    }
    return pids;
}

std::string read_proc(pid_t pid, const std::string& name) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void check_analysed_again(ItemAnalyser& analyser) {
    const AnalysedItem next =
        analyser.analyse(note("b.txt"), text("Bengt personnummer 450411-8359"));
    CHECK(next.error.empty());
    REQUIRE(next.findings.size() == 1);
    CHECK(next.findings[0].finding.masked == "450411-****");
}

} // namespace

TEST_CASE("a sandboxed worker finds what the detectors find in the scan's own process") {
    auto analyser = sandboxed();
    const ItemInfo info = note("a.txt");
    const ItemContent content = text("Bengt personnummer 450411-8359, ring 19320102-7723 "
                                     "och 450411-8359 igen");
    const AnalysedItem there = analyser->analyse(info, content);
    const AnalysedItem here = in_process_analyser(test_options())->analyse(info, content);
    CHECK(there.error.empty());
    REQUIRE(here.findings.size() == 2);
    REQUIRE(there.findings.size() == here.findings.size());
    for (std::size_t i = 0; i < here.findings.size(); ++i) {
        const NewFinding& a = there.findings[i].finding;
        const NewFinding& b = here.findings[i].finding;
        CHECK(a.kind == b.kind);
        CHECK(a.category == b.category);
        CHECK(a.severity == b.severity);
        CHECK(a.confidence == b.confidence);
        CHECK(a.masked == b.masked);
        CHECK(a.excerpt == b.excerpt);
        CHECK(a.detector == b.detector);
        CHECK(a.start == b.start);
        CHECK(a.end == b.end);
        CHECK(a.occurrences == b.occurrences);
        // The full number, for the parent to hash; never stored.
        CHECK(there.findings[i].normalized == here.findings[i].normalized);
    }
    CHECK(there.findings[0].finding.occurrences == 2);
}

TEST_CASE("a photographed page comes back from the worker with its blurred thumbnail") {
    auto analyser = sandboxed();
    const ItemInfo info{ItemType::photo, "DCIM/IMG_0002.jpg", 1, 0, "Foto IMG_0002.jpg"};
    const ItemContent photo{
        ContentKind::image,
        dockscan::test_images::document_photo_jpeg(
            {"KALLELSE", "Personnummer: 19450411-8359", "Tid: 14 maj kl 10.30"}, 2400, 1800, 4)};
    const AnalysedItem there = analyser->analyse(info, photo);
    const AnalysedItem here = in_process_analyser(test_options())->analyse(info, photo);
    CHECK(there.error.empty());
    REQUIRE_FALSE(here.findings.empty());
    REQUIRE(there.findings.size() == here.findings.size());
    CHECK(there.findings[0].finding.kind == here.findings[0].finding.kind);
    REQUIRE(there.findings[0].finding.thumbnail);
    REQUIRE(here.findings[0].finding.thumbnail);
    CHECK(there.findings[0].finding.thumbnail->jpeg == here.findings[0].finding.thumbnail->jpeg);
    CHECK(there.findings[0].finding.thumbnail->width == 96);
}

TEST_CASE("a worker reads the number on a photographed page, OCR on as on a station") {
    // The worker's Tesseract engine is loaded before its filter and memory limit; OCR of
    // a 12 MP page then runs under both.
    AnalysisOptions options;
    auto analyser = sandbox::sandboxed_analysers(dockscan_exe(), options, {})();
    const ItemInfo info{ItemType::photo, "DCIM/IMG_0004.jpg", 1, 0, "Foto IMG_0004.jpg"};
    const ItemContent photo{
        ContentKind::image,
        dockscan::test_images::document_photo_jpeg(
            {"KALLELSE", "Personnummer: 19450411-8359", "Tid: 14 maj kl 10.30"}, 4000, 3000, 4)};
    for (int round = 0; round < 2; ++round) {
        // The second page is read by the same engine.
        const AnalysedItem there = analyser->analyse(info, photo);
        CHECK(there.error.empty());
        const auto number =
            std::find_if(there.findings.begin(), there.findings.end(),
                         [](const PendingFinding& p) { return p.finding.kind == "personnummer"; });
        REQUIRE(number != there.findings.end());
        CHECK(number->finding.masked == "450411-****");
        // The flagged photo's thumbnail, from the worker's own decode.
        REQUIRE(there.findings.front().finding.thumbnail);
        CHECK(there.findings.front().finding.thumbnail->width == 96);
        CHECK(there.findings.front().finding.thumbnail->height == 72);
    }
}

TEST_CASE("a worker that crashes costs one item: a new worker takes the next") {
    const TestTriggers triggers;
    auto analyser = sandboxed();
    const AnalysedItem crashed =
        analyser->analyse(note("crash.txt"), text("DOCKSCAN-TEST-SANDBOX:crash"));
    CHECK(crashed.error == "analysis crashed (SIGSEGV)");
    CHECK(crashed.findings.empty());
    check_analysed_again(*analyser);
}

TEST_CASE("a worker over its memory limit costs one item: a new worker takes the next") {
    const TestTriggers triggers;
    sandbox::SandboxLimits limits;
    limits.memory_allowance = std::uint64_t{64} << 20;
    auto analyser = sandboxed(limits);
    const AnalysedItem big =
        analyser->analyse(note("big.txt"), text("DOCKSCAN-TEST-SANDBOX:allocate"));
    CHECK(big.error == "over the memory limit");
    check_analysed_again(*analyser);
}

TEST_CASE("a worker that takes too long is ended: a new worker takes the next item") {
    const TestTriggers triggers;
    sandbox::SandboxLimits limits;
    limits.item_timeout = std::chrono::seconds(1);
    auto analyser = sandboxed(limits);
    const AnalysedItem slow =
        analyser->analyse(note("slow.txt"), text("DOCKSCAN-TEST-SANDBOX:hang"));
    CHECK(slow.error == "analysis took too long (over 1 s)");
    check_analysed_again(*analyser);
}

TEST_CASE("the worker's filter ends it on a socket or a program, and refuses writing a file") {
    const TestTriggers triggers;
    auto analyser = sandboxed();
    for (const char* marker : {"DOCKSCAN-TEST-SANDBOX:socket", "DOCKSCAN-TEST-SANDBOX:exec"}) {
        INFO(marker);
        const AnalysedItem item = analyser->analyse(note("x.txt"), text(marker));
        CHECK(item.error == "analysis crashed (SIGSYS: a system call the sandbox forbids)");
    }
    const AnalysedItem write =
        analyser->analyse(note("w.txt"), text("DOCKSCAN-TEST-SANDBOX:write"));
    CHECK(write.error == "test: opening a file for writing was refused: Permission denied");
    CHECK_FALSE(std::filesystem::exists("/tmp/dockscan-sandbox-write-test"));
    check_analysed_again(*analyser);
}

TEST_CASE("without the test variable the markers are only text") {
    auto analyser = sandboxed();
    const AnalysedItem item = analyser->analyse(
        note("crash.txt"), text("DOCKSCAN-TEST-SANDBOX:crash och 450411-8359 personnummer"));
    CHECK(item.error.empty());
    CHECK(item.findings.size() == 1);
}

TEST_CASE("a worker holds no key, no store descriptor and nothing of the parent's environment") {
    TempDir tmp;
    // The parent holds what a station holds: a secret in its environment, and an open
    // store file without close-on-exec.
    ::setenv("DOCKSCAN_TEST_SECRET", "store-key-material", 1);
    const std::filesystem::path store = tmp / "dockscan.db";
    const int store_fd = ::open(store.c_str(), O_RDWR | O_CREAT, 0600);
    REQUIRE(store_fd >= 0);
    const std::set<pid_t> before = [] {
        const auto pids = children();
        return std::set<pid_t>(pids.begin(), pids.end());
    }();
    auto analyser = sandboxed();
    // One item: the worker is ready, its filter applied.
    check_analysed_again(*analyser);
    ::unsetenv("DOCKSCAN_TEST_SECRET");
    ::close(store_fd);

    std::vector<pid_t> workers;
    for (const pid_t pid : children()) {
        if (before.count(pid) == 0) {
            workers.push_back(pid);
        }
    }
    REQUIRE(workers.size() == 1);
    const pid_t worker = workers.front();
    const std::string environment = read_proc(worker, "environ");
    CHECK(environment.find("DOCKSCAN_TEST_SECRET") == std::string::npos);
    CHECK(environment.find("store-key-material") == std::string::npos);
    CHECK(environment.find("HOME=") == std::string::npos);
    std::set<std::string> fds;
    for (const auto& fd :
         std::filesystem::directory_iterator("/proc/" + std::to_string(worker) + "/fd")) {
        const std::string target = std::filesystem::read_symlink(fd.path()).string();
        fds.insert(fd.path().filename().string());
        CHECK(target != store.string());
        if (fd.path().filename() == "3") {
            CHECK(target.starts_with("socket:"));
        }
    }
    CHECK(fds == std::set<std::string>{"0", "1", "2", "3"});
    const std::string status = read_proc(worker, "status");
    CHECK(status.find("Seccomp:\t2") != std::string::npos); // a filter applied
    CHECK(status.find("NoNewPrivs:\t1") != std::string::npos);
    const std::string limits = read_proc(worker, "limits");
    const auto line = limits.find("Max address space");
    REQUIRE(line != std::string::npos);
    CHECK(limits.substr(line, limits.find('\n', line) - line).find("unlimited") ==
          std::string::npos);
}
