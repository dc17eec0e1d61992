#include "tests/adb_sim/sim_process.hpp"

#include <csignal>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace dockscan::testing {

AdbSimProcess::AdbSimProcess(const std::vector<std::string>& args) {
    int out[2];
    if (::pipe(out) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> argv = {DOCKSCAN_ADB_SIM_EXE, "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    m_pid = ::fork();
    if (m_pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (m_pid == 0) {
        ::dup2(out[1], 1);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char*> c_args;
        for (auto& a : argv) {
            c_args.push_back(a.data());
        }
        c_args.push_back(nullptr);
        ::execv(c_args[0], c_args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    // The simulator prints its port as soon as it listens.
    std::string line;
    while (line.find('\n') == std::string::npos) {
        pollfd p{out[0], POLLIN, 0};
        char buffer[64];
        if (::poll(&p, 1, 10'000) <= 0) {
            break;
        }
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        line.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    if (line.find('\n') == std::string::npos) {
        throw std::runtime_error("dockscan-adb-sim did not start");
    }
    m_port = static_cast<std::uint16_t>(std::stoul(line));
}

AdbSimProcess::~AdbSimProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
}

std::string AdbSimProcess::address() const {
    return "127.0.0.1:" + std::to_string(m_port);
}

} // namespace dockscan::testing
