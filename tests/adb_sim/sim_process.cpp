#include "tests/adb_sim/sim_process.hpp"

#include "tests/support/process.hpp"

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace dockscan::testing {

AdbSimProcess::AdbSimProcess(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {DOCKSCAN_ADB_SIM_EXE, "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    // The simulator prints its port as soon as it listens.
    const Started started = start_and_wait_for(argv, "\n", std::chrono::seconds(10));
    m_pid = started.pid;
    m_port = static_cast<std::uint16_t>(std::stoul(started.output));
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
