#include "agent/sandbox/channel.hpp"
#include "agent/sandbox/sandbox.hpp"
#include "agent/sandbox/wire.hpp"
#include "agent/sandbox/worker_exit.hpp"
#include "base/fd.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dockscan::agent::sandbox {
namespace {

// An answer is findings (at most k_max_findings_per_item) and one small thumbnail.
constexpr std::size_t k_max_reply = std::size_t{64} << 20;
// How long a worker whose socket was closed may take to exit before it is killed.
constexpr auto k_exit_grace = std::chrono::seconds(2);

// The only variables a worker gets: nothing of the parent's environment (a credentials
// directory, a key's path, a session) but what its libraries read. The systemd unit's
// OPENCV_OPENCL_RUNTIME=disabled keeps OpenCV from loading an OpenCL runtime, whose
// JIT would need the writable and executable memory the unit forbids.
std::vector<std::string> worker_environment() {
    std::vector<std::string> env;
    for (const char* name :
         {"TESSDATA_PREFIX", "OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENCV_OPENCL_RUNTIME"}) {
        if (const char* value = std::getenv(name); value != nullptr) {
            env.push_back(std::string(name) + "=" + value);
        }
    }
    return env;
}

bool test_triggers_requested() {
    const char* value = std::getenv(k_test_triggers_env);
    return value != nullptr && std::string_view(value) == "1";
}

struct Spawned {
    pid_t pid = -1;
    base::Fd socket;
};

// Starts `program analysis-worker` with the worker's end of a new socket as descriptor 3
// and nothing else open but /dev/null and stderr (twice: its stdout is not the scan's
// output), in a process group of its own (a Ctrl-C at the terminal is the parent's to
// handle), with default signal handling and no signal blocked.
Expected<Spawned> spawn_worker(const std::filesystem::path& program) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        return fail(ErrorCode::internal, std::string("socketpair: ") + std::strerror(errno));
    }
    base::Fd parent_end(pair[0]);
    base::Fd worker_end(pair[1]);
    if (worker_end.get() == k_worker_fd) {
        // dup2 onto itself would keep close-on-exec: move it out of the way first.
        worker_end = base::Fd(::fcntl(worker_end.get(), F_DUPFD_CLOEXEC, k_worker_fd + 1));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
    posix_spawn_file_actions_adddup2(&actions, worker_end.get(), k_worker_fd);
    posix_spawn_file_actions_addclosefrom_np(&actions, k_worker_fd + 1);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                              POSIX_SPAWN_SETPGROUP);

    std::string path = program.string();
    // As `ps` shows it: "dockscan analysis-worker".
    std::string name = "dockscan";
    std::string command(k_worker_command);
    char* argv[] = {name.data(), command.data(), nullptr};
    std::vector<std::string> env = worker_environment();
    std::vector<char*> envp;
    for (std::string& e : env) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attributes, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
        return fail(ErrorCode::internal,
                    "cannot start the analysis worker " + path + ": " + std::strerror(rc));
    }
    return Spawned{pid, std::move(parent_end)};
}

// Why a worker ended, for the item it was analysing, as the admin reads it.
std::string exit_reason(int status) {
    if (WIFEXITED(status)) {
        if (WEXITSTATUS(status) == k_exit_over_memory) {
            return "over the memory limit";
        }
        return "analysis crashed (the worker exited with " + std::to_string(WEXITSTATUS(status)) +
               ")";
    }
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char* name = ::sigabbrev_np(sig);
        const std::string signal =
            name != nullptr ? std::string("SIG") + name : std::to_string(sig);
        if (sig == SIGSYS) {
            return "analysis crashed (SIGSYS: a system call the sandbox forbids)";
        }
        return "analysis crashed (" + signal + ")";
    }
    return "analysis crashed";
}

class SandboxedAnalyser final : public ItemAnalyser {
public:
    SandboxedAnalyser(std::filesystem::path program, AnalysisOptions options, SandboxLimits limits)
        : m_program(std::move(program)), m_limits(limits) {
        WorkerSetup setup;
        setup.analysis = std::move(options);
        setup.memory_allowance = limits.memory_allowance;
        setup.test_triggers = test_triggers_requested();
        m_setup = encode_setup(setup);
        // Started now: the worker loads its networks while the phone is being listed.
        start();
    }
    SandboxedAnalyser(const SandboxedAnalyser&) = delete;
    SandboxedAnalyser& operator=(const SandboxedAnalyser&) = delete;

    ~SandboxedAnalyser() override { stop(); }

    AnalysedItem analyse(const docking::ItemInfo& info,
                         const docking::ItemContent& content) override {
        AnalysedItem out{info, {}, {}};
        if (auto ready = ready_worker(); !ready) {
            out.error = ready.error().message;
            return out;
        }
        const auto deadline = std::chrono::steady_clock::now() + m_limits.item_timeout;
        Io io = write_frame(m_socket.get(), encode_request(info, content), deadline);
        std::string reply;
        if (io == Io::ok) {
            io = read_frame(m_socket.get(), reply, k_max_reply, deadline);
        }
        if (io == Io::ok) {
            auto decoded = decode_reply(reply, out);
            // The answer held full identity numbers: wiped now that they are decoded.
            std::fill(reply.begin(), reply.end(), '\0');
            if (decoded) {
                return out;
            }
            out = AnalysedItem{info, {}, {}};
        }
        out.error = end_worker(
            io == Io::timed_out ? "analysis took too long (over " +
                                      std::to_string(m_limits.item_timeout.count() / 1000) + " s)"
                                : std::string{});
        return out;
    }

private:
    void start() {
        auto spawned = spawn_worker(m_program);
        if (!spawned) {
            m_start_error = spawned.error().message;
            return;
        }
        m_pid = spawned->pid;
        m_socket = std::move(spawned->socket);
        m_ready = false;
        m_start_error.clear();
        const auto deadline = std::chrono::steady_clock::now() + m_limits.start_timeout;
        if (write_frame(m_socket.get(), m_setup, deadline) != Io::ok) {
            m_start_error = "the analysis worker did not take its setup";
        }
    }

    // A worker that has loaded its models and applied its filter, started anew if the last
    // one ended.
    Expected<void> ready_worker() {
        if (m_pid < 0 && m_start_error.empty()) {
            start();
        }
        if (m_ready) {
            return {};
        }
        std::string problem = m_start_error;
        if (problem.empty()) {
            std::string frame;
            const auto deadline = std::chrono::steady_clock::now() + m_limits.start_timeout;
            const Io io = read_frame(m_socket.get(), frame, k_max_reply, deadline);
            if (io == Io::ok) {
                auto said = decode_ready(frame);
                problem = said ? *said : said.error().message;
            } else {
                problem = io == Io::timed_out ? "it took too long to start" : "it ended";
            }
        }
        if (problem.empty()) {
            m_ready = true;
            return {};
        }
        // Every item fails with the reason until a worker starts: each item tries anew.
        const std::string reason = "the analysis worker could not start: " + problem;
        spdlog::error("{}", reason);
        stop();
        m_start_error.clear();
        return fail(ErrorCode::internal, reason);
    }

    // Ends the worker after a failed item and says why it failed: `timed_out` when the
    // parent ran out of patience, else what the worker's exit status tells.
    std::string end_worker(const std::string& timed_out) {
        const pid_t pid = m_pid;
        if (!timed_out.empty()) {
            ::kill(m_pid, SIGKILL);
        }
        const int status = reap();
        const std::string reason = timed_out.empty() ? exit_reason(status) : timed_out;
        spdlog::warn("analysis worker {}: {}; the item is recorded as failed and a new worker "
                     "takes the next one",
                     pid, reason);
        return reason;
    }

    // Closes the socket and waits for the worker to exit, killing it after a grace period.
    int reap() {
        m_socket = base::Fd();
        m_ready = false;
        int status = 0;
        if (m_pid < 0) {
            return status;
        }
        const auto give_up = std::chrono::steady_clock::now() + k_exit_grace;
        for (;;) {
            const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
            if (done == m_pid || (done < 0 && errno != EINTR)) {
                break;
            }
            if (std::chrono::steady_clock::now() >= give_up) {
                ::kill(m_pid, SIGKILL);
                while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
                }
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        m_pid = -1;
        return status;
    }

    void stop() { (void)reap(); }

    std::filesystem::path m_program;
    SandboxLimits m_limits;
    std::string m_setup;
    pid_t m_pid = -1;
    base::Fd m_socket;
    bool m_ready = false;
    std::string m_start_error;
};

} // namespace

AnalyserFactory sandboxed_analysers(std::filesystem::path program, AnalysisOptions options,
                                    SandboxLimits limits) {
    return [program = std::move(program), options = std::move(options), limits] {
        return std::make_unique<SandboxedAnalyser>(program, options, limits);
    };
}

std::filesystem::path this_program() {
    // The running binary itself, even when a package upgrade has replaced its file.
    return "/proc/self/exe";
}

} // namespace dockscan::agent::sandbox
