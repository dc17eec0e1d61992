#include "tests/ios_sim/sim_process.hpp"

#include "tests/support/process.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
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

    // The simulator prints `ready` once its socket listens (key generation comes first,
    // so allow a while on a loaded machine).
    try {
        m_pid = start_and_wait_for(argv, "ready\n", std::chrono::seconds(30)).pid;
    } catch (...) {
        if (!m_own_dir.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(m_own_dir, ignored);
        }
        throw;
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
