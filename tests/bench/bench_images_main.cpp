// dockscan-bench-images: can the image detectors keep up with USB?
//
// Generates a camera roll of N 12 MP JPEGs (4000x3000: gradients, shapes, noise; every
// 20th a photographed document), then times
//   1. `djpeg -scale 1/4 -grayscale` over the files one after another: the floor, a
//      decode with no analysis at all;
//   2. dockscan's image analysis over the same files with one worker per core, through
//      agent::analyse, the code the scan runs;
// and prints photos per second for both, their ratio, and the peak RSS of this process.
//
//   dockscan-bench-images [N] [--keep DIR]
//
// Not a test: figures depend on the machine and on what else runs on it.

#include "agent/analysis.hpp"
#include "tests/detectors/image/fixtures.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Runs in a child process, so that the generator's large drawing buffers do not count
// towards the peak RSS measured for the analysis.
bool generate(const fs::path& dir, int n) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        for (int i = 0; i < n; ++i) {
            const bool document = i % 20 == 10;
            const std::string bytes =
                document ? dockscan::test_images::document_photo_jpeg(
                               {"KALLELSE", "Namn: Anna Andersson", "Personnummer: 19450411-8359",
                                "Tid: 14 maj kl 10.30", "Mottagning: Vardcentralen"},
                               4000, 3000, static_cast<std::uint32_t>(i))
                         : dockscan::test_images::scene_photo_jpeg(4000, 3000,
                                                                   static_cast<std::uint32_t>(i));
            char name[32];
            std::snprintf(name, sizeof name, "IMG_%04d.JPG", i);
            std::ofstream(dir / name, std::ios::binary) << bytes;
        }
        std::_Exit(0);
    }
    int status = 0;
    return pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

double djpeg_seconds(const std::vector<fs::path>& files) {
    const auto start = Clock::now();
    for (const fs::path& f : files) {
        const std::string cmd =
            "djpeg -scale 1/4 -grayscale -outfile /dev/null '" + f.string() + "'";
        if (std::system(cmd.c_str()) != 0) {
            std::fprintf(stderr, "djpeg failed on %s (package libjpeg-turbo-progs)\n", f.c_str());
            return -1;
        }
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct AnalysisRun {
    double seconds = 0;
    int errors = 0;
    int documents = 0;
    int numbers = 0;
    int faces = 0;
    int skin = 0;
    int screenshots = 0;
};

AnalysisRun analysis_seconds(const std::vector<fs::path>& files, unsigned workers) {
    using namespace dockscan;
    AnalysisRun run;
    std::atomic<std::size_t> next{0};
    std::atomic<int> errors{0}, documents{0}, numbers{0}, faces{0}, skin{0}, screenshots{0};
    const agent::AnalysisOptions options;
    const auto start = Clock::now();
    {
        std::vector<std::jthread> pool;
        for (unsigned w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                detectors::image::ImageAnalyser images(options.image);
                for (std::size_t i = next++; i < files.size(); i = next++) {
                    docking::ItemInfo info{docking::ItemType::photo, files[i].filename().string(),
                                           fs::file_size(files[i]), 0, ""};
                    const docking::ItemContent content{docking::ContentKind::image,
                                                       read_all(files[i])};
                    const agent::AnalysedItem item = agent::analyse(info, content, options, images);
                    if (!item.error.empty()) {
                        ++errors;
                    }
                    for (const agent::PendingFinding& f : item.findings) {
                        const std::string& k = f.finding.kind;
                        documents += k == "document";
                        numbers += k == "personnummer";
                        faces += k == "face";
                        skin += k == "skin_closeup";
                        screenshots += k == "screenshot";
                    }
                }
            });
        }
    }
    run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    run.errors = errors;
    run.documents = documents;
    run.numbers = numbers;
    run.faces = faces;
    run.skin = skin;
    run.screenshots = screenshots;
    return run;
}

} // namespace

int main(int argc, char** argv) {
    int n = 60;
    std::string keep;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--keep" && i + 1 < argc) {
            keep = argv[++i];
        } else {
            n = std::max(1, std::atoi(argv[i]));
        }
    }
    char templ[] = "/tmp/dockscan-bench-XXXXXX";
    const fs::path dir = keep.empty() ? fs::path(::mkdtemp(templ)) : fs::path(keep);
    fs::create_directories(dir);
    std::printf("generating %d 12 MP JPEGs in %s ...\n", n, dir.c_str());
    std::fflush(stdout);
    if (!generate(dir, n)) {
        std::fputs("generation failed\n", stderr);
        return 1;
    }
    std::vector<fs::path> files;
    std::uintmax_t bytes = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        files.push_back(e.path());
        bytes += e.file_size();
    }
    std::sort(files.begin(), files.end());
    // Warm the page cache for both runs alike: the figures compare CPU, not the disk.
    for (const fs::path& f : files) {
        (void)read_all(f);
    }
    const unsigned workers = std::max(1u, std::thread::hardware_concurrency());

    const double djpeg = djpeg_seconds(files);
    const AnalysisRun run = analysis_seconds(files, workers);
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);

    const auto count = static_cast<double>(files.size());
    const double megabytes = static_cast<double>(bytes) / 1e6;
    const double djpeg_rate = count / djpeg;
    const double dockscan_rate = count / run.seconds;
    std::printf("photos: %zu (%.1f MB, %.2f MB/photo)\n", files.size(), megabytes,
                megabytes / count);
    std::printf("djpeg -scale 1/4 -grayscale, sequential: %6.2f s  %6.2f photos/s\n", djpeg,
                djpeg_rate);
    std::printf("dockscan analysis, %u workers:          %6.2f s  %6.2f photos/s\n", workers,
                run.seconds, dockscan_rate);
    std::printf("ratio (dockscan time / djpeg time):     %6.2f  (target <= 2.0)\n",
                run.seconds / djpeg);
    std::printf("peak RSS: %.1f MB (target < 300 MB)\n",
                static_cast<double>(usage.ru_maxrss) / 1024.0);
    std::printf("signals: %d document, %d personnummer, %d face, %d skin_closeup, %d screenshot; "
                "%d errors\n",
                run.documents, run.numbers, run.faces, run.skin, run.screenshots, run.errors);
    if (keep.empty()) {
        fs::remove_all(dir);
    }
    return run.errors == 0 ? 0 : 1;
}
