// dockscan-bench-station: the station under load (issue 16).
//
// A station (`dockscan run`, its analysis in sandboxed workers unless --no-sandbox)
// with the script event source docks N simulated Android phones at once
// (dockscan-adb-sim: the real ADB protocol, sync for the photos, `bu backup` for the
// messages), each with a day of new content: P 12 MP photos and M SMS (every 25th with a
// Skatteverket test number); with --photos 0 that round is left out. Then, with
// --first F, one phone's first docking with F photos and M SMS, alone. Prints per
// phone the time from the dock event to the slot's "Klar", the station's CPU (the
// daemon and its workers, from wait4 when it ends), and the peak RSS and PSS of the
// daemon and of its workers, sampled every 50 ms.
//
//   dockscan-bench-station [--phones 8] [--photos 50] [--messages 200] [--first 0]
//                          [--no-sandbox] [--workers 0]
//
// The photos are generated (57 kinds of scene and every 10th a photographed page,
// 12 MP) once and hard-linked into each phone's storage. Android phones carry no
// contacts through ADB here (the station reads contacts from iPhones and folder copies),
// so the 30 contacts of a day are not part of this benchmark. Not a test: figures
// depend on the machine and on what else runs on it.

#include "agent/daemon/slot_status.hpp"
#include "agent/daemon/unix_socket.hpp"
#include "tests/bench/proc_memory.hpp"
#include "tests/detectors/image/fixtures.hpp"
#include "tests/docking/android/ab_writer.hpp"
#include "tests/docking/android/telephony_fixture.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stop_token>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;
using dockscan::agent::daemon::SlotState;
using dockscan::agent::daemon::SlotStatus;

void write_file(const fs::path& path, std::string_view content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary)
        .write(content.data(), static_cast<std::streamsize>(content.size()));
}

int run(const std::string& command) {
    const int rc = std::system(command.c_str());
    if (rc != 0) {
        std::fprintf(stderr, "failed (%d): %s\n", rc, command.c_str());
        std::exit(1);
    }
    return rc;
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& log, int stdout_fd = -1) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(stdout_fd >= 0 ? stdout_fd : fd, 1);
        ::dup2(fd, 2);
        std::vector<std::string> copy = args;
        std::vector<char*> argv;
        for (std::string& a : copy) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

// A simulated phone; returns its pid and port (the simulator prints the port first).
std::pair<pid_t, std::string> start_phone(const fs::path& dir, const std::string& serial) {
    int out[2];
    if (::pipe(out) != 0) {
        std::exit(1);
    }
    const pid_t pid =
        spawn({DOCKSCAN_ADB_SIM_EXE, "--port", "0", "--storage", (dir / "sdcard").string(),
               "--backup", (dir / "telephony.ab").string(), "--serial", serial, "--auth", "accept"},
              dir / "sim.log", out[1]);
    ::close(out[1]);
    std::string port;
    char c = 0;
    while (::read(out[0], &c, 1) == 1 && c != '\n') {
        port += c;
    }
    ::close(out[0]);
    return {pid, port};
}

void write_messages(const fs::path& path, int count, int seed) {
    std::vector<dockscan::testing::SmsFixture> messages;
    for (int i = 0; i < count; ++i) {
        std::string body = "Hej! Jag kommer kl " + std::to_string(8 + i % 10) +
                           ".30 till brukaren på avdelning " + std::to_string(seed) +
                           ", ring 070-174 06 05 om något ändras.";
        if (i % 25 == 0) {
            body += " Pnr 450411-8359 till journalen.";
        }
        messages.push_back({"+4670174060" + std::to_string(i % 10), body,
                            1'795'179'720'000 + std::int64_t{i} * 60'000, 1 + i % 2});
    }
    dockscan::testing::AbWriter w(path, dockscan::testing::AbOptions{});
    w.add_file("apps/com.android.providers.telephony/_manifest",
               "1\n30\ncom.android.providers.telephony\n");
    w.add_file(std::string(dockscan::testing::k_telephony_dir) + "000000_sms_backup",
               dockscan::testing::sms_backup_file(messages));
    w.finish();
}

std::vector<pid_t> children_of(pid_t pid) {
    std::vector<pid_t> pids;
    std::error_code ec;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream in(task.path() / "children");
        pid_t child = 0;
        while (in >> child) {
            pids.push_back(child);
        }
    }
    return pids;
}

struct Peaks {
    std::atomic<long> daemon_rss{0}, workers_rss{0}, total_rss{0}, total_pss{0};
    std::atomic<int> workers{0};
};

// Samples the daemon and its workers every 50 ms.
std::jthread sample(pid_t daemon, Peaks& peaks) {
    return std::jthread([daemon, &peaks](std::stop_token stop) {
        while (!stop.stop_requested()) {
            const auto [rss, pss] = dockscan::bench::rss_pss_kb(std::to_string(daemon));
            long workers_rss = 0;
            long workers_pss = 0;
            const auto children = children_of(daemon);
            for (const pid_t child : children) {
                const auto [r, p] = dockscan::bench::rss_pss_kb(std::to_string(child));
                workers_rss += r;
                workers_pss += p;
            }
            peaks.daemon_rss = std::max(peaks.daemon_rss.load(), rss);
            peaks.workers_rss = std::max(peaks.workers_rss.load(), workers_rss);
            peaks.total_rss = std::max(peaks.total_rss.load(), rss + workers_rss);
            peaks.total_pss = std::max(peaks.total_pss.load(), pss + workers_pss);
            peaks.workers = std::max(peaks.workers.load(), static_cast<int>(children.size()));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    });
}

bool finished(SlotState s) {
    return s == SlotState::done_clean || s == SlotState::done_review || s == SlotState::partial ||
           s == SlotState::failed || s == SlotState::unknown_phone || s == SlotState::not_sampled;
}

struct Options {
    int phones = 8;
    int photos = 50;
    int messages = 200;
    int first = 0;
    bool sandbox = true;
    int workers = 0;
};

// One round: `counts[i]` photos on phone i, all docked at once on a fresh station.
void dock_round(const fs::path& root, const std::vector<fs::path>& pool,
                const std::vector<int>& counts, const Options& o, const char* title) {
    const fs::path dir = root / title;
    fs::create_directories(dir);
    const std::string exe = DOCKSCAN_EXE;
    const std::string store = (dir / "dockscan.db").string();
    const std::string key = (dir / "store.key").string();
    const std::string admin = " --store " + store + " --key-file " + key + " >/dev/null";
    run(exe + " init" + admin);
    run(exe + " units add 'Hemtjänst Norr' --area Hemtjänst" + admin);
    std::string slots;
    std::vector<std::pair<pid_t, std::string>> sims;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const std::string serial = "BENCH" + std::to_string(i + 1);
        run(exe + " phones add HT-" + std::to_string(i + 1) + " --serial " + serial +
            " --unit 'Hemtjänst Norr'" + admin);
        const fs::path phone = dir / serial;
        for (int k = 0; k < counts[i]; ++k) {
            const fs::path& photo = pool[(static_cast<std::size_t>(k) + i * 7) % pool.size()];
            const fs::path target =
                phone / "sdcard/DCIM/Camera" / ("IMG_" + std::to_string(10000 + k) + ".jpg");
            fs::create_directories(target.parent_path());
            fs::create_hard_link(photo, target);
        }
        write_messages(phone / "telephony.ab", o.messages, static_cast<int>(i));
        sims.push_back(start_phone(phone, serial));
        slots += "[[slots]]\nport = \"1-" + std::to_string(i + 1) +
                 "\"\nnumber = " + std::to_string(i + 1) + "\n";
    }
    write_file(dir / "dockscan.toml",
               "[store]\npath = \"" + store + "\"\nkey_file = \"" + key + "\"\n" + slots +
                   "[detectors]\nworkers = " + std::to_string(o.workers) +
                   "\nsandbox = " + (o.sandbox ? "true" : "false") +
                   "\n[sessions]\ntransfer_timeout_s = 120\n[status]\nsocket = \"" +
                   (dir / "status.sock").string() +
                   "\"\n[events]\nsource = \"script\"\nscript = \"" +
                   (dir / "events.sock").string() + "\"\n");
    const pid_t daemon =
        spawn({exe, "run", "--config", (dir / "dockscan.toml").string()}, dir / "daemon.log");
    namespace d = dockscan::agent::daemon;
    auto connect = [](const fs::path& path) {
        for (int i = 0; i < 1200; ++i) {
            if (auto fd = d::connect_unix(path)) {
                return std::move(*fd);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::fprintf(stderr, "no daemon at %s\n", path.c_str());
        std::exit(1);
    };
    d::Fd status = connect(dir / "status.sock");
    d::Fd events = connect(dir / "events.sock");
    // The workers load their networks at start: the dockings begin once they have.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    Peaks peaks;
    auto sampler = sample(daemon, peaks);
    std::string arrivals;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        arrivals += Json{{"event", "arrived"},
                         {"port", "1-" + std::to_string(i + 1)},
                         {"kind", "adb"},
                         {"serial", "BENCH" + std::to_string(i + 1)},
                         {"endpoint", "tcp:127.0.0.1:" + sims[i].second}}
                        .dump() +
                    "\n";
    }
    const auto start = Clock::now();
    if (!d::write_all(events, arrivals)) {
        std::exit(1);
    }
    std::map<int, double> done_s;
    std::map<int, std::string> texts;
    std::string buffer;
    while (done_s.size() < counts.size()) {
        auto header = d::read_line(status, buffer, 1 << 16, std::chrono::minutes(30));
        if (!header) {
            std::fprintf(stderr, "the status socket went quiet\n");
            std::exit(1);
        }
        const Json head = Json::parse(*header);
        for (std::size_t i = 0; i < head["slots"].get<std::size_t>(); ++i) {
            auto line = d::read_line(status, buffer, 1 << 16, std::chrono::minutes(30));
            auto slot = d::slot_from_json(Json::parse(*line));
            if (slot && finished(slot->state) && done_s.count(slot->slot) == 0) {
                done_s[slot->slot] = std::chrono::duration<double>(Clock::now() - start).count();
                texts[slot->slot] = d::slot_text(*slot);
            }
        }
    }
    sampler.request_stop();
    sampler.join();
    ::kill(daemon, SIGTERM);
    int wstatus = 0;
    rusage usage{};
    ::wait4(daemon, &wstatus, 0, &usage);
    for (const auto& [pid, port] : sims) {
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
    }
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    int photos = 0;
    for (const int c : counts) {
        photos += c;
    }
    std::printf("\n%s: %zu phones docked at once, %d photos and %d SMS in all, sandbox %s\n", title,
                counts.size(), photos, static_cast<int>(counts.size()) * o.messages,
                o.sandbox ? "on" : "off");
    for (const auto& [slot, seconds] : done_s) {
        std::printf("  slot %d: %-28s after %7.1f s\n", slot, texts[slot].c_str(), seconds);
    }
    std::printf("  station CPU (daemon and workers, user+sys): %.1f s over %.1f s wall "
                "(%.0f ms per photo)\n",
                cpu, wall, photos > 0 ? 1000.0 * cpu / photos : 0.0);
    std::printf("  peak RSS: daemon %.1f MB, workers (%d at most) %.1f MB, together %.1f MB; "
                "PSS together %.1f MB (target: under 300 MB)\n",
                static_cast<double>(peaks.daemon_rss) / 1024.0, peaks.workers.load(),
                static_cast<double>(peaks.workers_rss) / 1024.0,
                static_cast<double>(peaks.total_rss) / 1024.0,
                static_cast<double>(peaks.total_pss) / 1024.0);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
        if (arg == "--phones") {
            o.phones = std::max(1, next());
        } else if (arg == "--photos") {
            o.photos = std::max(0, next());
        } else if (arg == "--messages") {
            o.messages = std::max(0, next());
        } else if (arg == "--first") {
            o.first = std::max(0, next());
        } else if (arg == "--workers") {
            o.workers = std::max(0, next());
        } else if (arg == "--no-sandbox") {
            o.sandbox = false;
        } else {
            std::fprintf(stderr, "unknown option %s\n", arg.c_str());
            return 2;
        }
    }
    char templ[] = "/tmp/dockscan-bench-station-XXXXXX";
    const fs::path root(::mkdtemp(templ));
    // 100 distinct 12 MP photos at most, hard-linked into the phones.
    const int distinct = std::min(100, std::max({o.photos, o.first, 1}));
    std::printf("generating %d 12 MP photos in %s ...\n", distinct, root.c_str());
    std::fflush(stdout);
    std::vector<fs::path> pool;
    for (int k = 0; k < distinct; ++k) {
        namespace ti = dockscan::test_images;
        const fs::path path = root / "pool" / ("P" + std::to_string(k) + ".jpg");
        write_file(path, k % 10 == 9
                             ? ti::document_photo_jpeg({"KALLELSE", "Personnummer: 19450411-8359",
                                                        "Tid: 14 maj kl 10.30"},
                                                       4000, 3000, static_cast<std::uint32_t>(k))
                             : ti::with_camera_exif(
                                   ti::scene_photo_jpeg(4000, 3000, static_cast<std::uint32_t>(k)),
                                   "Samsung", "SM-A546B"));
        pool.push_back(path);
    }
    if (o.photos > 0) {
        dock_round(root, pool, std::vector<int>(static_cast<std::size_t>(o.phones), o.photos), o,
                   "day");
    }
    if (o.first > 0) {
        dock_round(root, pool, {o.first}, o, "first");
    }
    fs::remove_all(root);
    return 0;
}
