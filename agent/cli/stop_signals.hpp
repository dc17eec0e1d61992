#pragma once

// Turns SIGINT and SIGTERM into a stop request, so that a scan (or the daemon) ends
// through its one shutdown path and records what it did.

#include <stop_token>
#include <thread>

namespace dockscan::agent {

class StopOnSignals {
public:
    // Blocks SIGINT and SIGTERM in this thread (and threads started after it) and
    // waits for them on a thread of its own. Construct before starting other threads.
    explicit StopOnSignals(std::stop_source& stop);
    StopOnSignals(const StopOnSignals&) = delete;
    StopOnSignals& operator=(const StopOnSignals&) = delete;
    ~StopOnSignals();

private:
    std::jthread m_waiter;
};

} // namespace dockscan::agent
