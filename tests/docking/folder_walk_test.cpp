// The walk through a folder copy, seen through FolderSource as the daemon sees it.

#include "docking/folder_source.hpp"
#include "docking/folder_walk.hpp"
#include "tests/docking/folder_fixture.hpp"
#include "tests/support/temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <grp.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace dockscan::docking {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;
using test::k_two_gib;
using test::list_all;
using test::make_sparse;
using test::open_source;
using test::Recorder;
using testing::TempDir;
using testing::write_file;

TEST_CASE("symbolic links are problems and never followed", "[folder_source]") {
    TempDir dir;
    write_file(dir / "root/DCIM/real.jpg", "jpeg");
    write_file(dir / "outside/secret.txt", "Åsa Nyström");
    const fs::path root = dir / "root";
    fs::create_symlink("real.jpg", root / "DCIM/link.jpg");
    fs::create_symlink(dir / "outside", root / "escape");
    fs::create_symlink("/etc", root / "etc");
    fs::create_symlink(".", root / "DCIM/self");
    fs::create_symlink("loop_b", root / "loop_a");
    fs::create_symlink("loop_a", root / "loop_b");
    fs::create_symlink("missing", root / "dangling.txt");

    auto source = open_source(root);
    const Recorder r = list_all(*source);
    CHECK(r.refs() == std::vector<std::string>{"DCIM/real.jpg"});
    for (const char* ref :
         {"DCIM/link.jpg", "escape", "etc", "DCIM/self", "loop_a", "loop_b", "dangling.txt"}) {
        CAPTURE(ref);
        const ItemProblem* p = r.problem_of(ref);
        REQUIRE(p);
        CHECK(p->code == ErrorCode::unsupported);
        CHECK(p->reason == "symbolic link not followed");
    }
    CHECK(r.problems.size() == 7);

    // Nor does read() follow one, wherever it is in the path.
    const auto [type, ref] = GENERATE(table<ItemType, std::string>({
        {ItemType::photo, "DCIM/link.jpg"},
        {ItemType::file, "escape/secret.txt"},
        {ItemType::photo, "DCIM/self/real.jpg"},
    }));
    CAPTURE(ref);
    const auto content = source->read(ItemInfo{type, ref, 0, 0, ""});
    REQUIRE_FALSE(content);
    CHECK(content.error().code == ErrorCode::unsupported);
    CHECK(content.error().message == "symbolic link not followed");
}

TEST_CASE("FIFOs, sockets and devices are problems and never opened", "[folder_source]") {
    TempDir dir;
    write_file(dir / "a.txt", "text");
    REQUIRE(mkfifo((dir / "pipe.txt").c_str(), 0644) == 0);

    const std::string socket_path = (dir / "sock.jpg").string();
    const int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    REQUIRE(socket_path.size() < sizeof address.sun_path);
    std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
    REQUIRE(bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    close(sock);

    std::vector<std::string> specials = {"pipe.txt", "sock.jpg"};
    if (mknod((dir / "null.txt").c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0) {
        specials.push_back("null.txt");
    } else {
        WARN("cannot create a device node here; that case is not tested");
    }

    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    CHECK(r.refs() == std::vector<std::string>{"a.txt"});
    REQUIRE(r.problems.size() == specials.size());
    for (const std::string& ref : specials) {
        CAPTURE(ref);
        const ItemProblem* p = r.problem_of(ref);
        REQUIRE(p);
        CHECK(p->code == ErrorCode::unsupported);
        CHECK(p->reason == "not a regular file");
        // Opening the FIFO for reading would wait for a writer forever.
        const ItemType type = ref.ends_with(".jpg") ? ItemType::photo : ItemType::file;
        const auto content = source->read(ItemInfo{type, ref, 0, 0, ""});
        REQUIRE_FALSE(content);
        CHECK(content.error().message == "not a regular file");
    }
}

TEST_CASE("folders deeper than the limit are a problem", "[folder_source]") {
    TempDir dir;
    write_file(dir / "a/b/ok.jpg", "x");
    write_file(dir / "a/b/c/too_deep.jpg", "x");
    FolderLimits limits;
    limits.max_depth = 2;
    auto source = open_source(dir.path(), limits);
    const Recorder r = list_all(*source);
    CHECK(r.refs() == std::vector<std::string>{"a/b/ok.jpg"});
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].ref == "a/b/c");
    CHECK(r.problems[0].code == ErrorCode::too_large);
}

TEST_CASE("listing stops at the item limit with an error", "[folder_source]") {
    TempDir dir;
    for (const char* name : {"1.jpg", "2.jpg", "3.jpg"}) {
        write_file(dir / name, "x");
    }
    FolderLimits limits;
    limits.max_items = 2;
    auto source = open_source(dir.path(), limits);
    Recorder r;
    const auto listed = source->list(r, std::stop_token{});
    REQUIRE_FALSE(listed);
    CHECK(listed.error().code == ErrorCode::too_large);
    CHECK(r.refs() == std::vector<std::string>{"1.jpg", "2.jpg"});
}

TEST_CASE("listing honours a stop request", "[folder_source]") {
    TempDir dir;
    write_file(dir / "a/1.jpg", "x");
    write_file(dir / "b/2.jpg", "x");

    // A sink that asks to stop after the first item, as a caller on shutdown does.
    struct StoppingSink final : ItemSink {
        std::stop_source stop;
        Recorder seen;
        void item(const ItemInfo& info) override {
            seen.item(info);
            stop.request_stop();
        }
        void problem(const ItemProblem& p) override { seen.problem(p); }
    } sink;
    auto source = open_source(dir.path());
    const auto listed = source->list(sink, sink.stop.get_token());
    REQUIRE_FALSE(listed);
    CHECK(listed.error().code == ErrorCode::interrupted);
    CHECK(sink.seen.refs() == std::vector<std::string>{"a/1.jpg"});
}

TEST_CASE("names that are not UTF-8 get escaped refs that still read", "[folder_source]") {
    TempDir dir;
    write_file(dir / "sm\xe5.txt", "Latin-1 name");
    write_file(dir / "100%.txt", "percent");
    auto source = open_source(dir.path());
    const Recorder r = list_all(*source);
    REQUIRE(r.refs() == std::vector<std::string>{"100%25.txt", "sm%E5.txt"});
    for (const ItemInfo& info : r.items) {
        CAPTURE(info.ref);
        CHECK(source->read(info));
    }
}

TEST_CASE("an unreadable file or folder is recorded, the rest is listed", "[folder_source]") {
    if (geteuid() != 0) {
        WARN("not root: cannot switch to 'nobody'; permission denial is not tested");
        return;
    }
    // Root reads everything, so the listing runs in a child process as 'nobody'
    // (uid 65534) and reports back through a pipe.
    TempDir dir;
    write_file(dir / "ok.txt", "ok");
    write_file(dir / "secret.txt", "secret");
    write_file(dir / "contacts.vcf", "BEGIN:VCARD\nFN:Åsa\nEND:VCARD\n");
    write_file(dir / "locked/inner.jpg", "x");
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
        fs::permissions(entry.path(), entry.is_directory() ? fs::perms(0755) : fs::perms(0644));
    }
    fs::permissions(dir.path(), fs::perms(0755));
    fs::permissions(dir / "secret.txt", fs::perms::none);
    fs::permissions(dir / "contacts.vcf", fs::perms::none);
    fs::permissions(dir / "locked", fs::perms::none);

    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(fds[0]);
        std::string report;
        if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
            report = "setuid failed\n";
        } else if (auto source = FolderSource::open(dir.path())) {
            Recorder r;
            const auto listed = (*source)->list(r, std::stop_token{});
            report += listed ? "listed\n" : "list failed\n";
            for (const ItemInfo& info : r.items) {
                const auto content = (*source)->read(info);
                report += "item " + info.ref + " " +
                          (content ? "read" : std::string(to_string(content.error().code))) + "\n";
            }
            for (const ItemProblem& p : r.problems) {
                report += "problem " + p.ref + " " + std::string(to_string(p.code)) + " " +
                          p.reason + "\n";
            }
        } else {
            report = "open failed\n";
        }
        const ssize_t written = write(fds[1], report.data(), report.size());
        _exit(written == static_cast<ssize_t>(report.size()) ? 0 : 1);
    }
    close(fds[1]);
    std::string report;
    char buffer[4096];
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) {
        report.append(buffer, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(report == "listed\n"
                    "item ok.txt read\n"
                    "item secret.txt unreadable\n"
                    "problem contacts.vcf unreadable permission denied\n"
                    "problem locked unreadable permission denied\n");
}

} // namespace
} // namespace dockscan::docking
