// One image never takes a worker past 150 MB (issue 16, rows 1 and 2 and "Limits on
// what is decoded"): `dockscan inspect` on the files of the issue's table, each run as
// its own process and measured from outside (wait4's peak RSS), and the identity number
// written in a 48 MP photo is still found.

#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ti = dockscan::test_images;
using dockscan::testing::TempDir;

namespace {

// The per-worker target for one image (issue 16).
constexpr long k_max_peak_mb = 150;

// The test process's resident memory now, in MB: a child starts with it counted in its
// peak, so it must be small for the peak to be the analysis's.
long resident_mb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    long resident = 0;
    statm >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

struct Run {
    int exit_code = -1;
    long peak_mb = 0;
    std::string out;
};

// `dockscan inspect FILE` with its peak RSS.
Run inspect(const TempDir& dir, const std::string& file) {
    const std::string out_path = (dir / "inspect.out").string();
    const std::string exe = dockscan::testing::dockscan_exe();
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
            _exit(127);
        }
        const std::string path = (dir / file).string();
        execl(exe.c_str(), exe.c_str(), "inspect", path.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    Run run;
    int status = 0;
    rusage usage{};
    REQUIRE(wait4(pid, &status, 0, &usage) == pid);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.peak_mb = usage.ru_maxrss / 1024;
    run.out = dockscan::testing::read_file(dir / "inspect.out");
    return run;
}

} // namespace

TEST_CASE("dockscan inspect stays under 150 MB on the issue's hostile and large photos",
          "[image][memory]") {
    TempDir dir;
    // Written by a child process, so that what encoding them took (a 48 MP image is
    // 144 MB as RGB) is not left in this process and counted in the children's peaks.
    const pid_t writer = fork();
    if (writer == 0) {
        // A phone's 48 MP photo of a page (a grid of 512 px tiles, 30 MB), a 48 MP
        // single HEVC frame, a HEIC whose thumbnail claims a 32000x32400 grid, and a
        // 99.99 MP PNG.
        const std::vector<std::string> page = {"KALLELSE", "Namn: Anna Andersson",
                                               "Personnummer: 19450411-8359",
                                               "Tid: 14 maj kl 10.30"};
        const std::string frame = ti::plain_heic(8000, 6000);
        if (frame.empty()) {
            _exit(1);
        }
        dockscan::testing::write_file(dir / "plain-48mp-frame.heic", frame);
        dockscan::testing::write_file(dir / "page-48mp-grid.heic",
                                      ti::document_photo_heic_grid(page, 8000, 6000, 1));
        dockscan::testing::write_file(
            dir / "thumbnail-claims-grid.heic",
            ti::with_claimed_size(ti::plain_heic(4000, 3000), 320, 240, 32000, 32400));
        dockscan::testing::write_file(dir / "png-99mp.png", ti::large_png(10000, 9999));
        _exit(0);
    }
    int written = 0;
    REQUIRE(waitpid(writer, &written, 0) == writer);
    REQUIRE(WIFEXITED(written));
    REQUIRE(WEXITSTATUS(written) == 0);
    REQUIRE(resident_mb() < 60);

    const Run grid = inspect(dir, "page-48mp-grid.heic");
    INFO(grid.out);
    CHECK(grid.exit_code == 0);
    // Found, as it was when libheif decoded the whole 48 MP image (at 301 MB).
    CHECK(grid.out.find("personnummer 450411-****") != std::string::npos);
    CHECK(grid.peak_mb < k_max_peak_mb);

    for (const char* file :
         {"plain-48mp-frame.heic", "thumbnail-claims-grid.heic", "png-99mp.png"}) {
        const Run run = inspect(dir, file);
        INFO(file << ": " << run.out << " peak " << run.peak_mb << " MB");
        CHECK(run.exit_code == 0);
        CHECK(run.out.find("error") == std::string::npos);
        CHECK(run.peak_mb < k_max_peak_mb);
    }
}
