#pragma once

// Runs dockscan-ios-sim for one test: started with the given options, waited for until
// it prints `ready`, and killed when the test ends.

#include <string>
#include <sys/types.h>
#include <vector>

namespace dockscan::testing {

class IosSimProcess {
public:
    // `args` are the simulator's options ("--socket", path, "--state", dir, "--media",
    // dir, ...). Without `--socket` one is made in a fresh folder under /tmp (a unix
    // socket path must stay under 108 bytes), removed again on destruction.
    explicit IosSimProcess(const std::vector<std::string>& args);
    IosSimProcess(const IosSimProcess&) = delete;
    IosSimProcess& operator=(const IosSimProcess&) = delete;
    ~IosSimProcess();

    // The unix socket the simulator listens on.
    [[nodiscard]] const std::string& socket_path() const { return m_socket_path; }
    // "UNIX:<path>": the value for USBMUXD_SOCKET_ADDRESS (libusbmuxd 2.0.2).
    [[nodiscard]] std::string socket_address() const { return "UNIX:" + m_socket_path; }
    [[nodiscard]] pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    std::string m_socket_path;
    std::string m_own_dir; // set when we made the socket's folder
};

} // namespace dockscan::testing
