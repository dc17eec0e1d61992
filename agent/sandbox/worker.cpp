#include "agent/sandbox/channel.hpp"
#include "agent/sandbox/sandbox.hpp"
#include "agent/sandbox/seccomp_seam.hpp"
#include "agent/sandbox/wire.hpp"
#include "agent/sandbox/worker_exit.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <new>
#include <signal.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dockscan::agent::sandbox {
namespace {

// An item is at most what a source reads (64 MB for an attachment): room for that and
// its framing.
constexpr std::size_t k_max_request = std::size_t{1} << 30;

// C++ code that cannot allocate ends the worker with a code the parent reads as "over
// the memory limit": a half-made result is worth nothing, and a catch (std::exception)
// in a library must not turn the limit into a quiet empty result.
[[noreturn]] void out_of_memory() {
    ::_exit(k_exit_over_memory);
}

// The process's address space now (VmSize), in bytes; 0 when unknown.
std::uint64_t address_space() {
    std::ifstream status("/proc/self/status");
    std::string word;
    while (status >> word) {
        if (word == "VmSize:") {
            std::uint64_t kib = 0;
            status >> kib;
            return kib * 1024;
        }
    }
    return 0;
}

// Threads of this process now.
std::size_t thread_count() {
    std::size_t n = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        (void)task;
        ++n;
    }
    return n;
}

// An exception from OpenCV's allocator is the same limit, said another way.
bool is_allocation_failure(std::string_view what) {
    return what.find("Insufficient memory") != std::string_view::npos ||
           what.find("Failed to allocate") != std::string_view::npos;
}

// Test-only markers (tests/agent/sandbox): content holding "DOCKSCAN-TEST-SANDBOX:" and
// a word makes the worker misbehave as a decoder could on a crafted file. Honoured only
// when the parent ran with DOCKSCAN_TEST_SANDBOX_TRIGGERS=1 (WorkerSetup::test_triggers).
// Returns an error text for markers the worker survives.
std::string run_test_trigger(std::string_view data) {
    constexpr std::string_view marker = "DOCKSCAN-TEST-SANDBOX:";
    const std::size_t at = data.find(marker);
    if (at == std::string_view::npos) {
        return {};
    }
    const std::string_view word = data.substr(at + marker.size(), 8);
    if (word.starts_with("crash")) {
        volatile int* nowhere = nullptr;
        *nowhere = 1;
    } else if (word.starts_with("allocate")) {
        // Touched, so that it is memory and not only address space.
        std::vector<char*> blocks;
        for (;;) {
            char* block = new char[16 << 20];
            std::memset(block, 1, 16 << 20);
            blocks.push_back(block);
        }
    } else if (word.starts_with("hang")) {
        for (;;) {
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    } else if (word.starts_with("socket")) {
        const int s = ::socket(AF_INET, SOCK_STREAM, 0);
        return s >= 0 ? "test: a socket was opened" : "test: socket refused";
    } else if (word.starts_with("exec")) {
        char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
        ::execve("/bin/true", argv, nullptr);
        return "test: exec refused";
    } else if (word.starts_with("write")) {
        const int fd = ::open("/tmp/dockscan-sandbox-write-test", O_WRONLY | O_CREAT, 0600);
        if (fd >= 0) {
            ::close(fd);
            return "test: a file was opened for writing";
        }
        return std::string("test: opening a file for writing was refused: ") + std::strerror(errno);
    }
    return {};
}

AnalysedItem analyse_one(const ItemRequest& request, const WorkerSetup& setup,
                         detectors::image::ImageAnalyser& images) {
    if (setup.test_triggers) {
        if (std::string error = run_test_trigger(request.content.data); !error.empty()) {
            AnalysedItem out{request.info, {}, {}};
            out.error = std::move(error);
            return out;
        }
    }
    try {
        return analyse(request.info, request.content, setup.analysis, images);
    } catch (const std::exception& e) {
        if (is_allocation_failure(e.what())) {
            out_of_memory();
        }
        // A library's exception says nothing about the phone's data; the item failed.
        AnalysedItem out{request.info, {}, {}};
        out.error = "analysis failed (an exception in a library)";
        return out;
    }
}

int say_not_started(int fd, const std::string& problem) {
    (void)write_frame(fd, encode_ready(problem), std::nullopt);
    return k_exit_not_started;
}

} // namespace

int run_worker(int fd) {
    // The parent gone is the end of the worker, even in the middle of an item. A stop of
    // the service (SIGTERM to every process of its cgroup) or a Ctrl-C is the parent's
    // to handle: it records the scan as interrupted and then closes the worker's socket,
    // which ends the worker; a worker killed by the signal would fail its item instead.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::signal(SIGTERM, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);
    std::string frame;
    if (read_frame(fd, frame, k_max_request, std::nullopt) != Io::ok) {
        return k_exit_not_started;
    }
    auto setup = decode_setup(frame);
    if (!setup) {
        return say_not_started(fd, setup.error().message);
    }
    // Two arenas, not eight per core: the address-space limit is for the item's pixels,
    // not for malloc's reservations per thread. A photo's planes (megabytes) are mapped
    // and given back when freed: glibc would otherwise raise its mapping threshold to the
    // largest block freed and keep the next photo's planes in the heap, held after it.
    ::mallopt(M_ARENA_MAX, 2);
    ::mallopt(M_MMAP_THRESHOLD, 1 << 20);

    // Everything the worker reads from disk is read now, before the filter.
    detectors::image::ImageAnalyser images(setup->analysis.image);
    if (auto loaded = images.load(); !loaded) {
        return say_not_started(fd, loaded.error().message);
    }
    if (setup->memory_allowance > 0) {
        const rlimit limit{address_space() + setup->memory_allowance,
                           address_space() + setup->memory_allowance};
        if (::setrlimit(RLIMIT_AS, &limit) != 0) {
            return say_not_started(fd, std::string("setrlimit: ") + std::strerror(errno));
        }
    }
    std::set_new_handler(out_of_memory);
    // Under the station's unit the filter is loaded with prctl(), for the calling thread
    // and the threads it starts later: a thread started earlier would run unfiltered.
    if (const std::size_t threads = thread_count(); threads != 1) {
        return say_not_started(fd, "the worker has " + std::to_string(threads) +
                                       " threads before its filter is applied");
    }
    if (auto filtered = apply_worker_filter(); !filtered) {
        return say_not_started(fd, filtered.error().message);
    }
    if (write_frame(fd, encode_ready({}), std::nullopt) != Io::ok) {
        return k_exit_not_started;
    }

    for (;;) {
        const Io io = read_frame(fd, frame, k_max_request, std::nullopt);
        if (io == Io::closed) {
            return 0;
        }
        if (io != Io::ok) {
            return 1;
        }
        auto request = decode_request(frame);
        if (!request) {
            return 1;
        }
        AnalysedItem analysed = analyse_one(*request, *setup, images);
        std::string reply = encode_reply(analysed);
        const Io sent = write_frame(fd, reply, std::nullopt);
        // The answer holds full identity numbers: wiped once sent.
        std::fill(reply.begin(), reply.end(), '\0');
        for (PendingFinding& p : analysed.findings) {
            std::fill(p.normalized.begin(), p.normalized.end(), '\0');
        }
        if (sent != Io::ok) {
            return sent == Io::closed ? 0 : 1;
        }
    }
}

} // namespace dockscan::agent::sandbox
