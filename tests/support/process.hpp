#pragma once

// Runs a program as a user would, for tests of the command line: arguments, standard
// input, captured output and the exit code.

#include <map>
#include <string>
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

// The built dockscan executable.
[[nodiscard]] std::string dockscan_exe();

} // namespace dockscan::testing
