#pragma once

// Runs a program as a user would, for tests of the command line: arguments, standard
// input, captured output and the exit code.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace dockscan::testing {

struct ProcessResult {
    int exit_code = -1; // -1 when killed by a signal
    std::string out;
    std::string err;
};

// Runs `argv` (argv[0] is the program path), feeding `input` on stdin; `env` adds or
// replaces environment variables.
[[nodiscard]] ProcessResult run_process(const std::vector<std::string>& argv,
                                        const std::string& input = {},
                                        const std::map<std::string, std::string>& env = {});

// A tool started for a test (a simulated phone), once it announced on stdout that it is
// ready: `pid` and everything it printed up to and including `marker`. Throws when it
// could not be started or did not print `marker` within `timeout` (it is killed then).
struct Started {
    pid_t pid = -1;
    std::string output;
};
[[nodiscard]] Started start_and_wait_for(const std::vector<std::string>& argv,
                                         std::string_view marker,
                                         std::chrono::milliseconds timeout);

// The built dockscan executable.
[[nodiscard]] std::string dockscan_exe();

// `dockscan ARGS...` in a process of its own (a daemon: `run --config ...`), stdout and
// stderr in `log`, `env` added to its environment; killed if the test ends without
// terminating it.
class DockscanProcess {
public:
    DockscanProcess(const std::vector<std::string>& args, const std::filesystem::path& log,
                    const std::map<std::string, std::string>& env = {});
    DockscanProcess(const DockscanProcess&) = delete;
    DockscanProcess& operator=(const DockscanProcess&) = delete;
    ~DockscanProcess();

    [[nodiscard]] pid_t pid() const { return m_pid; }
    // SIGTERM, then the exit code (-1 when a signal ended it).
    int terminate();

private:
    pid_t m_pid = -1;
};

// Polls `done` until it holds, at most `limit`; its last answer.
template <typename Done, typename Rep, typename Period>
bool eventually(Done done, std::chrono::duration<Rep, Period> limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

} // namespace dockscan::testing
