// Memory bounded by design, measured from outside (wait4's peak RSS of each run, its
// workers included; issue 16, rows 1-3): `dockscan inspect` never takes one image past
// 150 MB, and the identity number written in a 48 MP photo is still found; `dockscan
// scan` of a large SMS export or contacts file costs what one item costs, not the file.

#include "tests/detectors/image/fixtures.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
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

// `dockscan ARGS...` with its peak RSS (the process and the workers it waited for).
Run measured(const TempDir& dir, const std::vector<std::string>& args) {
    const std::string out_path = (dir / "run.out").string();
    std::vector<std::string> argv = {dockscan::testing::dockscan_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& a : argv) {
        raw.push_back(a.data());
    }
    raw.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
            _exit(127);
        }
        execv(raw[0], raw.data());
        _exit(127);
    }
    Run run;
    int status = 0;
    rusage usage{};
    REQUIRE(wait4(pid, &status, 0, &usage) == pid);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.peak_mb = usage.ru_maxrss / 1024;
    run.out = dockscan::testing::read_file(dir / "run.out");
    return run;
}

// `dockscan inspect FILE` with its peak RSS.
Run inspect(const TempDir& dir, const std::string& file) {
    return measured(dir, {"inspect", (dir / file).string()});
}

// An SMS Backup & Restore export of about `bytes`, one message after another as the app
// writes them (each its own time), streamed to the file: the test never holds it.
std::size_t write_sms_export(const std::filesystem::path& path, std::size_t bytes) {
    std::ofstream out(path, std::ios::binary);
    out << "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"0\">\n";
    const std::string filler(200, 'x');
    std::size_t written = 0;
    std::size_t count = 0;
    while (written < bytes) {
        const std::string line = "  <sms protocol=\"0\" address=\"+4670" +
                                 std::to_string(1000000 + count % 5000) + "\" date=\"" +
                                 std::to_string(1795183320000 + count * 1000) +
                                 "\" type=\"1\" body=\"Hej, vi ses imorgon kl 10 vid entrén. " +
                                 filler + "\" read=\"1\" />\n";
        out << line;
        written += line.size();
        ++count;
    }
    out << "</smses>\n";
    return count;
}

// A contacts export of about `bytes`: cards with a 2 KB photo each, as phones export them.
std::size_t write_vcards(const std::filesystem::path& path, std::size_t bytes) {
    std::ofstream out(path, std::ios::binary);
    const std::string photo(2732, 'Q'); // base64 of about 2 KB
    std::size_t written = 0;
    std::size_t count = 0;
    while (written < bytes) {
        const std::string n = std::to_string(count);
        const std::string card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kontakt " + n + "\r\nN:" + n +
                                 ";Kontakt;;;\r\nTEL;TYPE=CELL:070" +
                                 std::to_string(1000000 + count) +
                                 "\r\nPHOTO;ENCODING=b;TYPE=JPEG:" + photo + "\r\nEND:VCARD\r\n";
        out << card;
        written += card.size();
        ++count;
    }
    return count;
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

TEST_CASE("dockscan scan of a large SMS export or contacts file is bounded by one item, not "
          "by the file",
          "[memory]") {
    // Issue 16, row 3: a 27 MB vCard took a scan to 943 MB, a 183 MB SMS export to 634 MB.
    TempDir dir;
    const std::size_t small = write_sms_export(dir / "sms-small.xml", 5'000'000);
    const std::size_t large = write_sms_export(dir / "sms-large.xml", 20'000'000);
    std::filesystem::create_directories(dir / "phone");
    const std::size_t cards = write_vcards(dir / "phone" / "kontakter.vcf", 27'000'000);
    REQUIRE(resident_mb() < 60);

    auto scan = [&](const std::string& source, const std::string& name) {
        const std::string store = (dir / (name + ".db")).string();
        const std::string key = (dir / (name + ".key")).string();
        REQUIRE(dockscan::testing::run_process({dockscan::testing::dockscan_exe(), "init",
                                                "--store", store, "--key-file", key})
                    .exit_code == 0);
        return measured(dir,
                        {"scan", (dir / source).string(), "--store", store, "--key-file", key});
    };
    const Run a = scan("sms-small.xml", "small");
    const Run b = scan("sms-large.xml", "large");
    const Run c = scan("phone", "contacts");
    INFO("peaks: " << a.peak_mb << ", " << b.peak_mb << ", " << c.peak_mb << " MB");
    CHECK(a.exit_code == 0);
    CHECK(b.exit_code == 0);
    CHECK(c.exit_code == 0);
    // Every message and card was read...
    CHECK(a.out.find(std::to_string(small) + " messages") != std::string::npos);
    CHECK(b.out.find(std::to_string(large) + " messages") != std::string::npos);
    CHECK(c.out.find(std::to_string(cards) + " contacts") != std::string::npos);
    // ... within the per-worker bound, and four times the messages cost no more memory.
    CHECK(a.peak_mb < k_max_peak_mb);
    CHECK(b.peak_mb < k_max_peak_mb);
    CHECK(c.peak_mb < k_max_peak_mb);
    CHECK(b.peak_mb < a.peak_mb + 16);
}
