#pragma once

// Runs dockscan-adb-sim for one test: started with the given options, its port read
// from its stdout, and killed when the test ends.

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace dockscan::testing {

class AdbSimProcess {
public:
    // `args` are the simulator's options ("--storage", dir, ...); `--port 0` is added.
    explicit AdbSimProcess(const std::vector<std::string>& args);
    AdbSimProcess(const AdbSimProcess&) = delete;
    AdbSimProcess& operator=(const AdbSimProcess&) = delete;
    ~AdbSimProcess();

    [[nodiscard]] std::uint16_t port() const { return m_port; }
    // "127.0.0.1:<port>", as `adb connect` and dockscan's adb: sources name it.
    [[nodiscard]] std::string address() const;

private:
    pid_t m_pid = -1;
    std::uint16_t m_port = 0;
};

} // namespace dockscan::testing
