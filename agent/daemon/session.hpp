#pragma once

// One docked phone's session, on a thread of its own: identify the phone in the
// inventory (unknown: recorded and shown, not scanned) → sampling decision → connect and
// wait for the phone to allow the station → scan through the shared pipeline → record
// the outcome. A failure is this session's alone; unplugging the phone or stopping the
// station stops it, and what was scanned so far stays in the store.

#include "agent/daemon/config.hpp"
#include "agent/daemon/sampling.hpp"
#include "agent/daemon/slot_status.hpp"
#include "agent/scan/scan_pipeline.hpp"
#include "agent/store/dockings.hpp"
#include "docking/phone_connector.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <thread>

namespace dockscan::agent::daemon {

// The backends by the kind of phone, filled by the daemon (make_connectors in daemon.cpp).
using ConnectorTable = std::map<docking::PhoneKind, std::unique_ptr<docking::PhoneConnector>>;

// What every session shares; outlives them all.
enum class ReviewAtDock { hidden, shown };

struct SessionServices {
    SharedStore& store;
    AnalysisPool& pool;
    Sampler& sampler;
    StatusBoard& board;
    const ConnectorTable& connectors;
    std::size_t batch_size = 200;
    // Whether a docking with findings shows "Klar, granskas" rather than "Klar" at the
    // dock ([status] show_review): off, so that nobody standing by learns whose phone
    // had findings.
    ReviewAtDock review_at_dock = ReviewAtDock::hidden;
};

// A phone of a kind the station has no backend for (the connector table is empty for it).
inline constexpr const char* k_iphone_missing_reason =
    "stationen kan inte läsa den här telefontypen / no backend for this kind of phone";
inline constexpr const char* k_unplugged_reason = "unplugged: the phone left the slot";
inline constexpr const char* k_shutdown_reason = "stopped: station shutting down";

// A store failure during the scan: the docking is closed without a scan of its own.
enum class StoreFailed { no, yes };

// How a docking ended: what its record and the slot say.
struct DockingEnd {
    dockings::Outcome outcome = dockings::Outcome::failed;
    std::string reason;
    std::optional<std::int64_t> scan_id; // none: it ended before a scan began
    std::int64_t findings = 0;
    StoreFailed store_failed = StoreFailed::no;
    Trouble trouble = Trouble::none; // what the slot tells the person at the dock
};

class Session {
public:
    // Starts the session's thread. `generation` is the slot's claim on the board.
    Session(SessionServices& services, docking::DockEvent event, Slot slot,
            std::uint64_t generation, std::stop_token shutdown);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session(); // stops the session (if it still runs) and waits for it to record its end

    // The phone left the slot: the session stops and records a partial docking.
    void left();
    [[nodiscard]] bool finished() const { return m_finished.load(); }

private:
    void run(const std::stop_token& stop);
    void scan_docked(const std::stop_token& stop);
    // The steps; each either goes on or says how the docking ends.
    [[nodiscard]] Expected<DockingEnd> dock(dockings::Start& start, const std::stop_token& stop);
    // The phone in the inventory; none when it is not registered to a unit.
    [[nodiscard]] Expected<std::optional<dockings::KnownPhone>> identify(dockings::Start& start);
    // Why the sampling policy leaves the phone alone today, or none: scan it.
    [[nodiscard]] Expected<std::optional<std::string>> sample(const dockings::KnownPhone& phone);
    // The phone's source, after the waits for the person at the dock.
    [[nodiscard]] tl::expected<std::unique_ptr<docking::PhoneSource>, DockingEnd>
    connect(docking::ConnectProgress& progress, const std::stop_token& stop);
    [[nodiscard]] Expected<DockingEnd> scan(const dockings::KnownPhone& phone,
                                            docking::PhoneSource& source,
                                            const std::stop_token& stop);
    // The one place that records how the docking ended, and shows it on the slot.
    [[nodiscard]] Expected<void> record_end(const dockings::Start& start, const DockingEnd& end);
    void show_end(const DockingEnd& end);
    void store_failed(const Error& error);
    [[nodiscard]] std::string stop_reason() const;
    [[nodiscard]] Trouble stop_trouble() const;
    void show(const std::function<void(SlotStatus&)>& change);

    SessionServices& m_services;
    docking::DockEvent m_event;
    Slot m_slot;
    std::uint64_t m_generation;
    std::optional<std::int64_t> m_docking_id; // once the docking's record has begun
    std::stop_token m_shutdown;
    std::atomic<bool> m_left{false};
    std::atomic<bool> m_finished{false};
    // Unplugging, and stopping the station, stop the session through this source.
    std::stop_source m_stop;
    std::stop_callback<std::function<void()>> m_on_shutdown;
    std::thread m_thread; // last: started when everything above is ready
};

} // namespace dockscan::agent::daemon
