#pragma once

// The status socket: every client gets a snapshot of all slots as JSON lines (a header
// line {"type":"snapshot","slots":N}, then one line per slot), and a fresh snapshot
// after every change until it disconnects. Mode 0660: the station's group may read it.

#include "agent/daemon/slot_status.hpp"
#include "agent/daemon/unix_socket.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <thread>

namespace dockscan::agent::daemon {

class StatusServer {
public:
    [[nodiscard]] static Expected<std::unique_ptr<StatusServer>>
    start(const std::filesystem::path& path, const StatusBoard& board);
    StatusServer(const StatusServer&) = delete;
    StatusServer& operator=(const StatusServer&) = delete;
    ~StatusServer(); // stops serving and removes the socket file

private:
    StatusServer(std::filesystem::path path, Fd listener, const StatusBoard& board);
    void serve(const std::stop_token& stop);

    std::filesystem::path m_path;
    Fd m_listener;
    const StatusBoard& m_board;
    std::jthread m_thread;
};

// The snapshot as the socket sends it; the header carries the central sync, if any.
[[nodiscard]] std::string snapshot_lines(const std::vector<SlotStatus>& slots,
                                         const std::optional<SyncStatus>& sync = std::nullopt);

struct StationStatus {
    std::vector<SlotStatus> slots;
    std::optional<SyncStatus> sync; // nothing without [central]
};

// Reads one snapshot from the status socket at `path` (for `dockscan slots`).
[[nodiscard]] Expected<StationStatus> read_station_status(const std::filesystem::path& path);
// Its slots alone.
[[nodiscard]] Expected<std::vector<SlotStatus>> read_status(const std::filesystem::path& path);

} // namespace dockscan::agent::daemon
