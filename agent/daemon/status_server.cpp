#include "agent/daemon/status_server.hpp"

#include <poll.h>
#include <unistd.h>
#include <vector>

namespace dockscan::agent::daemon {
namespace {

constexpr std::size_t k_max_clients = 32;
constexpr std::size_t k_max_line = 64 * 1024;

} // namespace

std::string snapshot_lines(const std::vector<SlotStatus>& slots,
                           const std::optional<SyncStatus>& sync) {
    nlohmann::json head{{"type", "snapshot"}, {"slots", slots.size()}};
    if (sync) {
        head["central"] = to_json(*sync);
    }
    std::string out = head.dump() + "\n";
    for (const SlotStatus& s : slots) {
        out += to_json(s).dump() + "\n";
    }
    return out;
}

Expected<std::unique_ptr<StatusServer>> StatusServer::start(const std::filesystem::path& path,
                                                            const StatusBoard& board) {
    // A socket someone answers on belongs to a daemon that still runs: two daemons on
    // one station would scan the same phones twice.
    if (connect_unix(path)) {
        return fail(ErrorCode::config,
                    "another dockscan run already serves the status socket " + path.string());
    }
    DOCKSCAN_TRY_ASSIGN(Fd listener, listen_unix(path, 0660));
    std::unique_ptr<StatusServer> server(new StatusServer(path, std::move(listener), board));
    server->m_thread = std::jthread([s = server.get()](std::stop_token stop) { s->serve(stop); });
    return server;
}

StatusServer::StatusServer(std::filesystem::path path, Fd listener, const StatusBoard& board)
    : m_path(std::move(path)), m_listener(std::move(listener)), m_board(board) {}

StatusServer::~StatusServer() {
    m_thread.request_stop();
    m_thread.join();
    ::unlink(m_path.c_str());
}

void StatusServer::serve(const std::stop_token& stop) {
    std::vector<Fd> clients;
    std::uint64_t seen = m_board.version();
    while (!stop.stop_requested()) {
        pollfd p{m_listener.get(), POLLIN, 0};
        (void)::poll(&p, 1, 100);
        while (auto client = accept_client(m_listener)) {
            if (clients.size() >= k_max_clients) {
                break; // the new client is closed here
            }
            if (write_all(*client, snapshot_lines(m_board.snapshot(), m_board.sync()))) {
                clients.push_back(std::move(*client));
            }
        }
        const std::uint64_t now = m_board.version();
        if (now != seen) {
            seen = now;
            const std::string lines = snapshot_lines(m_board.snapshot(), m_board.sync());
            std::erase_if(clients, [&](const Fd& c) { return !write_all(c, lines); });
        }
        // Clients only read; anything they send, or their hanging up, is read away here.
        std::erase_if(clients, [](const Fd& c) {
            pollfd q{c.get(), POLLIN, 0};
            if (::poll(&q, 1, 0) <= 0) {
                return false;
            }
            char sink[256];
            return ::read(c.get(), sink, sizeof sink) <= 0;
        });
    }
}

Expected<StationStatus> read_station_status(const std::filesystem::path& path) {
    DOCKSCAN_TRY_ASSIGN(Fd fd, connect_unix(path));
    std::string buffer;
    const auto header = read_line(fd, buffer, k_max_line, std::chrono::seconds(5));
    if (!header) {
        return fail(ErrorCode::input, "the daemon did not answer on " + path.string());
    }
    const auto head = nlohmann::json::parse(*header, nullptr, false);
    if (!head.is_object() || head.value("type", "") != "snapshot" || !head.contains("slots") ||
        !head["slots"].is_number_unsigned()) {
        return fail(ErrorCode::input, "unexpected answer on " + path.string());
    }
    const auto count = head["slots"].get<std::size_t>();
    StationStatus station;
    if (head.contains("central")) {
        station.sync = sync_from_json(head["central"]);
    }
    auto& slots = station.slots;
    for (std::size_t i = 0; i < count && i < 1000; ++i) {
        const auto line = read_line(fd, buffer, k_max_line, std::chrono::seconds(5));
        if (!line) {
            return fail(ErrorCode::input, "the daemon's answer on " + path.string() + " broke off");
        }
        auto slot = slot_from_json(nlohmann::json::parse(*line, nullptr, false));
        if (!slot) {
            return fail(ErrorCode::input, "unexpected slot line on " + path.string());
        }
        slots.push_back(std::move(*slot));
    }
    return station;
}

Expected<std::vector<SlotStatus>> read_status(const std::filesystem::path& path) {
    DOCKSCAN_TRY_ASSIGN(StationStatus station, read_station_status(path));
    return std::move(station.slots);
}

} // namespace dockscan::agent::daemon
