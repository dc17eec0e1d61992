#include "tests/ios_sim/sim_process.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace dockscan::testing {

IosSimProcess::IosSimProcess(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {DOCKSCAN_IOS_SIM_EXE};
    bool has_socket = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--socket" && i + 1 < args.size()) {
            has_socket = true;
            m_socket_path = args[i + 1];
        }
    }
    if (!has_socket) {
        std::string dir_template = "/tmp/dockscan-ios-sim-XXXXXX";
        if (::mkdtemp(dir_template.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_own_dir = dir_template;
        m_socket_path = m_own_dir + "/usbmuxd";
        argv.push_back("--socket");
        argv.push_back(m_socket_path);
    }
    argv.insert(argv.end(), args.begin(), args.end());

    int out[2];
    if (::pipe(out) != 0) {
        throw std::runtime_error("pipe failed");
    }
    m_pid = ::fork();
    if (m_pid < 0) {
        ::close(out[0]);
        ::close(out[1]);
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
    // The simulator prints `ready` once its socket listens (key generation comes first,
    // so allow a while on a loaded machine).
    std::string text;
    while (text.find("ready\n") == std::string::npos) {
        pollfd p{out[0], POLLIN, 0};
        char buffer[64];
        if (::poll(&p, 1, 30'000) <= 0) {
            break;
        }
        const ssize_t n = ::read(out[0], buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    if (text.find("ready\n") == std::string::npos) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        if (!m_own_dir.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(m_own_dir, ignored);
        }
        throw std::runtime_error("dockscan-ios-sim did not start");
    }
}

IosSimProcess::~IosSimProcess() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
    }
    if (!m_own_dir.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(m_own_dir, ignored);
    }
}

} // namespace dockscan::testing
