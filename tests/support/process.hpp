#pragma once

// Runs a program as a user would, for tests of the command line: arguments, standard
// input, captured output and the exit code.

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <sys/types.h>
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

} // namespace dockscan::testing
