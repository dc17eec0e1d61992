#include "agent/cli/stop_signals.hpp"

#include <csignal>
#include <ctime>

namespace dockscan::agent {
namespace {

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

} // namespace

StopOnSignals::StopOnSignals(std::stop_source& stop) {
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    m_waiter = std::jthread([set, &stop](std::stop_token own) {
        // Short timed waits so that the waiter itself can be stopped.
        const timespec period{0, 200'000'000};
        while (!own.stop_requested()) {
            if (sigtimedwait(&set, nullptr, &period) > 0) {
                stop.request_stop();
                return;
            }
        }
    });
}

StopOnSignals::~StopOnSignals() {
    m_waiter.request_stop();
    m_waiter.join();
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

} // namespace dockscan::agent
