// dockscan-bench-images: can the image detectors keep up with USB?
//
// Generates a camera roll of N 12 MP JPEGs (4000x3000: gradients, shapes, noise; every
// 20th a photographed document), then times
//   1. `djpeg -scale 1/4 -grayscale` over the files one after another: the floor, a
//      decode with no analysis at all;
//   2. dockscan's image analysis over the same files with one worker per core, through
//      agent::analyse, the code the scan runs;
// and prints photos per second for both, their ratio, the CPU time the analysis used
// (less sensitive than wall time to other work on the machine), and the peak RSS of this
// process.
//
// With --heic it generates HEICs instead (4032x3024 with a 320 px thumbnail, as an
// iPhone writes them; every 20th a document) and prints dockscan's photos/s alone:
// djpeg cannot read them, and the target is to keep up with AFC delivery (~8-10/s).
//
//   dockscan-bench-images [N] [--heic] [--keep DIR]
//
// With --keep DIR the roll stays in DIR, and a DIR that already holds one is reused.
// With --sandbox each worker hands its photos to a sandboxed worker process (the
// dockscan binary's `analysis-worker`, as `scan` and `run` do); the CPU then includes
// the workers', and the memory is sampled as the sum over this process and its workers.
//
// Not a test: figures depend on the machine and on what else runs on it.

#include "agent/sandbox/sandbox.hpp"
#include "agent/scan/analysis.hpp"
#include "tests/bench/proc_memory.hpp"
#include "tests/detectors/image/fixtures.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stop_token>
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
enum class Roll { jpeg, heic };

bool generate(const fs::path& dir, int n, Roll roll) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        namespace ti = dockscan::test_images;
        const std::vector<std::string> page = {"KALLELSE", "Namn: Anna Andersson",
                                               "Personnummer: 19450411-8359",
                                               "Tid: 14 maj kl 10.30", "Mottagning: Vardcentralen"};
        for (int i = 0; i < n; ++i) {
            const bool document = i % 20 == 10;
            const auto seed = static_cast<std::uint32_t>(i);
            std::string bytes;
            char name[32];
            if (roll == Roll::jpeg) {
                // With the EXIF a phone's camera writes into every photo it takes.
                bytes =
                    ti::with_camera_exif(document ? ti::document_photo_jpeg(page, 4000, 3000, seed)
                                                  : ti::scene_photo_jpeg(4000, 3000, seed),
                                         "Apple", "iPhone 13");
                std::snprintf(name, sizeof name, "IMG_%04d.JPG", i);
            } else {
                bytes = document ? ti::document_photo_heic(page, 4032, 3024, seed)
                                 : ti::scene_photo_heic(4032, 3024, seed);
                std::snprintf(name, sizeof name, "IMG_%04d.HEIC", i);
            }
            if (bytes.empty()) {
                std::fputs("this libheif has no HEVC encoder (libheif1 with x265)\n", stderr);
                std::_Exit(1);
            }
            std::ofstream(dir / name, std::ios::binary) << bytes;
        }
        std::_Exit(0);
    }
    int status = 0;
    return pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

double children_cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct DjpegRun {
    double seconds = -1;
    double cpu = 0; // of the djpeg processes (and their shells)
};

DjpegRun djpeg_seconds(const std::vector<fs::path>& files) {
    const double cpu_start = children_cpu_seconds();
    const auto start = Clock::now();
    for (const fs::path& f : files) {
        const std::string cmd =
            "djpeg -scale 1/4 -grayscale -outfile /dev/null '" + f.string() + "'";
        if (std::system(cmd.c_str()) != 0) {
            std::fprintf(stderr, "djpeg failed on %s (package libjpeg-turbo-progs)\n", f.c_str());
            return {};
        }
    }
    return {std::chrono::duration<double>(Clock::now() - start).count(),
            children_cpu_seconds() - cpu_start};
}

double cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct AnalysisRun {
    double seconds = 0;
    double cpu = 0;
    int errors = 0;
    int documents = 0;
    int numbers = 0;
    int faces = 0;
    int screenshots = 0;
};

// Samples the RSS and PSS summed over this process and its children (the sandboxed
// workers) every 50 ms while it lives: the peak the station would have to hold.
class MemorySampler {
public:
    MemorySampler()
        : m_thread([this](std::stop_token stop) {
              while (!stop.stop_requested()) {
                  auto [rss, pss] = dockscan::bench::rss_pss_kb("self");
                  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
                      std::ifstream in(task.path() / "children");
                      std::string child;
                      while (in >> child) {
                          const auto [r, p] = dockscan::bench::rss_pss_kb(child);
                          rss += r;
                          pss += p;
                      }
                  }
                  peak_rss = std::max(peak_rss.load(), rss);
                  peak_pss = std::max(peak_pss.load(), pss);
                  timespec used{};
                  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &used);
                  cpu = static_cast<double>(used.tv_sec) + static_cast<double>(used.tv_nsec) / 1e9;
                  std::this_thread::sleep_for(std::chrono::milliseconds(50));
              }
          }) {}

    std::atomic<long> peak_rss{0};
    std::atomic<long> peak_pss{0};
    // This thread's own CPU time: reading smaps_rollup walks the page tables (perf: 6 %
    // of the run's samples in smaps_account), which a station never does.
    std::atomic<double> cpu{0};

private:
    std::jthread m_thread;
};

bool g_sandbox = false;

AnalysisRun analysis_seconds(const std::vector<fs::path>& files, unsigned workers) {
    using namespace dockscan;
    AnalysisRun run;
    std::atomic<std::size_t> next{0};
    std::atomic<int> errors{0}, documents{0}, numbers{0}, faces{0}, screenshots{0};
    const agent::AnalysisOptions options;
    const double cpu_start = cpu_seconds() + children_cpu_seconds();
    const auto start = Clock::now();
    {
        const agent::AnalyserFactory make =
            g_sandbox ? agent::sandbox::sandboxed_analysers(DOCKSCAN_EXE, options, {})
                      : agent::AnalyserFactory{};
        std::vector<std::jthread> pool;
        for (unsigned w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                const auto analyser = make ? make() : agent::in_process_analyser(options);
                for (std::size_t i = next++; i < files.size(); i = next++) {
                    docking::ItemInfo info{docking::ItemType::photo, files[i].filename().string(),
                                           fs::file_size(files[i]), 0, ""};
                    const docking::ItemContent content{docking::ContentKind::image,
                                                       read_all(files[i])};
                    const agent::AnalysedItem item = analyser->analyse(info, content);
                    if (!item.error.empty()) {
                        ++errors;
                    }
                    for (const agent::PendingFinding& f : item.findings) {
                        const std::string& k = f.finding.kind;
                        documents += k == "document";
                        numbers += k == "personnummer";
                        faces += k == "face";
                        screenshots += k == "screenshot";
                    }
                }
            });
        }
    }
    run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    run.cpu = cpu_seconds() + children_cpu_seconds() - cpu_start;
    run.errors = errors;
    run.documents = documents;
    run.numbers = numbers;
    run.faces = faces;
    run.screenshots = screenshots;
    return run;
}

} // namespace

int main(int argc, char** argv) {
    int n = 60;
    std::string keep;
    Roll roll = Roll::jpeg;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--keep" && i + 1 < argc) {
            keep = argv[++i];
        } else if (arg == "--heic") {
            roll = Roll::heic;
        } else if (arg == "--sandbox") {
            g_sandbox = true;
        } else {
            n = std::max(1, std::atoi(argv[i]));
        }
    }
    char templ[] = "/tmp/dockscan-bench-XXXXXX";
    const fs::path dir = keep.empty() ? fs::path(::mkdtemp(templ)) : fs::path(keep);
    fs::create_directories(dir);
    const char* kind = roll == Roll::jpeg ? "12 MP JPEGs" : "12 MP HEICs";
    if (fs::is_empty(dir)) {
        std::printf("generating %d %s in %s ...\n", n, kind, dir.c_str());
        std::fflush(stdout);
        if (!generate(dir, n, roll)) {
            std::fputs("generation failed\n", stderr);
            return 1;
        }
    } else {
        std::printf("reusing the roll in %s\n", dir.c_str());
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
    const bool jpeg = files.empty() || files.front().extension() != ".HEIC";

    const DjpegRun dj = jpeg ? djpeg_seconds(files) : DjpegRun{};
    const double djpeg = dj.seconds;
    std::optional<MemorySampler> sampler;
    sampler.emplace();
    AnalysisRun run = analysis_seconds(files, workers);
    const long peak_rss = sampler->peak_rss;
    const long peak_pss = sampler->peak_pss;
    // The sampler runs in this process: its CPU is the benchmark's, not dockscan's.
    const double sampler_cpu = sampler->cpu;
    run.cpu -= sampler_cpu;
    sampler.reset();
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    rusage workers_usage{};
    ::getrusage(RUSAGE_CHILDREN, &workers_usage);

    const auto count = static_cast<double>(files.size());
    const double megabytes = static_cast<double>(bytes) / 1e6;
    const double dockscan_rate = count / run.seconds;
    std::printf("photos: %zu %s (%.1f MB, %.2f MB/photo)\n", files.size(), jpeg ? "JPEG" : "HEIC",
                megabytes, megabytes / count);
    if (jpeg) {
        std::printf("djpeg -scale 1/4 -grayscale, sequential: %6.2f s  %6.2f photos/s\n", djpeg,
                    count / djpeg);
    }
    std::printf("dockscan analysis, %u workers:          %6.2f s  %6.2f photos/s\n", workers,
                run.seconds, dockscan_rate);
    std::printf("dockscan analysis CPU (user+sys):       %6.2f s  %6.1f ms/photo\n", run.cpu,
                1000.0 * run.cpu / count);
    std::printf("(the memory sampler's own CPU, not counted above: %.2f s)\n", sampler_cpu);
    if (jpeg) {
        std::printf("ratio (dockscan time / djpeg time):     %6.2f  (target <= 2.0)\n",
                    run.seconds / djpeg);
        // On a machine busy with other work the wall times wander; the CPU both used
        // gives the ratio an idle station would see: dockscan's CPU shared by its workers
        // against djpeg's, which runs on one core.
        std::printf("ratio by CPU time (dockscan CPU / %u cores / djpeg CPU): %.2f\n", workers,
                    run.cpu / workers / dj.cpu);
    } else {
        std::printf("HEIC target: keep up with AFC delivery, ~8-10 photos/s\n");
    }
    std::printf("peak RSS: %.1f MB (target < 300 MB)\n",
                static_cast<double>(usage.ru_maxrss) / 1024.0);
    if (g_sandbox) {
        std::printf("sandboxed: largest worker's peak RSS %.1f MB; sampled peak of this process "
                    "and its workers: RSS %.1f MB, PSS %.1f MB\n",
                    static_cast<double>(workers_usage.ru_maxrss) / 1024.0,
                    static_cast<double>(peak_rss) / 1024.0, static_cast<double>(peak_pss) / 1024.0);
    } else {
        std::printf("sampled peak: RSS %.1f MB, PSS %.1f MB\n",
                    static_cast<double>(peak_rss) / 1024.0, static_cast<double>(peak_pss) / 1024.0);
    }
    std::printf("signals: %d document, %d personnummer, %d face, %d screenshot; "
                "%d errors\n",
                run.documents, run.numbers, run.faces, run.screenshots, run.errors);
    if (keep.empty()) {
        fs::remove_all(dir);
    }
    return run.errors == 0 ? 0 : 1;
}
