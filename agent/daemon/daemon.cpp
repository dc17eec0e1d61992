#include "agent/daemon/daemon.hpp"

#include "agent/central/outbox_sender.hpp"
#include "agent/daemon/leds.hpp"
#include "agent/daemon/notify.hpp"
#include "agent/daemon/sampling.hpp"
#include "agent/daemon/script_events.hpp"
#include "agent/daemon/session.hpp"
#include "agent/daemon/slot_status.hpp"
#include "agent/daemon/status_server.hpp"
#include "agent/scan/scan_pipeline.hpp"
#include "agent/scan/sources.hpp"
#include "agent/store/dockings.hpp"
#include "agent/store/outbox.hpp"
#include "agent/store/retention.hpp"
#include "base/time.hpp"
#include "docking/ios_device/ios_device_connector.hpp"
#include "docking/usb/adb_connector.hpp"
#include "docking/usb/usb_seam.hpp"

#include <list>
#include <map>
#include <spdlog/spdlog.h>
#include <thread>

namespace dockscan::agent::daemon {
namespace {

// How often the main loop comes round when nothing happens (events, reaping, LEDs).
constexpr std::chrono::milliseconds k_tick{200};

Error from_docking(const docking::Error& e, std::string_view what) {
    return Error{ErrorCode::config, std::string(what) + ": " + e.message};
}

Expected<ConnectorTable> make_connectors(const DaemonConfig& config) {
    ConnectorTable table;
    docking::usb::AdbConnectorOptions adb;
    adb.authorise_timeout = config.authorise_timeout;
    adb.transfer_timeout = config.transfer_timeout;
    auto android = docking::usb::AdbConnector::create(adb);
    if (!android) {
        return tl::unexpected(
            from_docking(android.error(), "cannot prepare the station's ADB key"));
    }
    table[docking::PhoneKind::android_adb] = std::move(*android);

    docking::ios_device::IosConnectorOptions ios;
    ios.trust_timeout = std::chrono::duration_cast<std::chrono::seconds>(config.authorise_timeout);
    ios.passcode_timeout =
        std::chrono::duration_cast<std::chrono::seconds>(config.passcode_timeout);
    if (!config.ios_backup_password_file.empty()) {
        auto password = read_password_file(config.ios_backup_password_file.string());
        if (!password) {
            return tl::unexpected(Error{ErrorCode::config, "iphones.backup_password_file: " +
                                                               password.error().message});
        }
        ios.backup_password = std::move(*password);
    }
    table[docking::PhoneKind::iphone] = docking::ios_device::ios_device_connector(std::move(ios));
    return table;
}

Expected<std::unique_ptr<docking::DockEventSource>> open_events(const DaemonConfig& config) {
    if (config.events == EventSourceKind::script) {
        return open_script_events(config.event_script);
    }
    docking::usb::UsbEventOptions options;
    options.poll_interval = config.usb_poll_interval;
    options.watch = config.usb_force_polling ? docking::usb::UsbWatch::polling
                                             : docking::usb::UsbWatch::hotplug_where_supported;
    auto events = docking::usb::open_usb_dock_events(options);
    if (!events) {
        return tl::unexpected(from_docking(events.error(), "cannot watch the USB ports"));
    }
    return std::move(*events);
}

constexpr auto k_retention_interval = std::chrono::hours(24);

// Purges old evidence (agent/store/retention). A failure is logged and tried again the
// next day: it must not stop the station from scanning.
// Writes the audit log's newest row to the journal, at start and daily: a copy outside
// the store that `dockscan audit verify --anchor` checks against.
void log_audit_anchor(SharedStore& shared) {
    const auto anchor = shared.with([](Store& store) { return store.audit_anchor(); });
    if (anchor) {
        spdlog::info("audit anchor: {}:{}", anchor->id, anchor->mac);
    } else {
        spdlog::error("audit anchor: {}", anchor.error().message);
    }
}

void apply_retention(SharedStore& shared, int days) {
    const auto purged = shared.with(
        [days](Store& store) { return retention::purge(store, days, base::unix_now(), "system"); });
    if (!purged) {
        spdlog::error("retention: {}", purged.error().message);
    } else if (purged->findings > 0 || purged->thumbnails > 0) {
        spdlog::info("retention: purged the evidence of {} findings and {} thumbnails recorded "
                     "before {} ({} days)",
                     purged->findings, purged->thumbnails, purged->before, days);
    }
}

std::string status_line(const std::vector<SlotStatus>& slots) {
    int busy = 0;
    int waiting = 0;
    for (const SlotStatus& s : slots) {
        busy += s.state == SlotState::scanning || s.state == SlotState::identifying ? 1 : 0;
        waiting += s.state == SlotState::waiting ? 1 : 0;
    }
    return std::to_string(slots.size()) + " slots: " + std::to_string(busy) + " scanning, " +
           std::to_string(waiting) + " waiting for the phone";
}

} // namespace

Expected<void> run_daemon(const DaemonConfig& config, std::stop_token stop,
                          AnalyserFactory analysers) {
    if (auto models = detectors::image::check_models(config.analysis.image); !models) {
        return fail(ErrorCode::config, models.error().message);
    }
    auto key = config.key_file.empty() ? StoreKey::from_credentials()
                                       : StoreKey::from_file(config.key_file);
    if (!key) {
        return tl::unexpected(key.error());
    }
    DOCKSCAN_TRY_ASSIGN(Store store, Store::open(config.store, *key, OpenMode::existing));
    DOCKSCAN_TRY_ASSIGN(const std::int64_t interrupted, dockings::close_interrupted(store));
    if (interrupted > 0) {
        spdlog::warn("{} dockings were left running by an earlier daemon; recorded as partial",
                     interrupted);
    }
    std::vector<SlotStatus> slots;
    for (const auto& [port, slot] : config.slots) {
        SlotStatus s;
        s.slot = slot.number;
        s.label = slot.label;
        s.port = port;
        slots.push_back(std::move(s));
    }
    StatusBoard board(std::move(slots));
    // [central]: match hashes under the fleet key, and a sender thread with its own
    // store connection. Declared after the key and the board it uses, so it is joined
    // before they go.
    std::optional<std::jthread> central_sender;
    if (config.central) {
        auto keys = central::load_keys(*config.central);
        if (!keys) {
            return tl::unexpected(keys.error());
        }
        store.use_fleet_key(keys->fleet_key);
        board.set_sync({});
        central_sender.emplace([&config, &key, &board,
                                sender = central::OutboxSender(*config.central, std::move(*keys))](
                                   std::stop_token sender_stop) mutable {
            sender.run(
                sender_stop, [&] { return Store::open(config.store, *key, OpenMode::existing); },
                {}, [](const std::string& line) { spdlog::warn("{}", line); },
                [&board](Store& sender_store) {
                    if (const auto outbox = outbox::status(sender_store)) {
                        board.set_sync({outbox->last_sync, outbox->waiting, outbox->last_error});
                    }
                });
        });
        spdlog::info("central sync: sending to station '{}' in the central database",
                     config.central->station);
    }
    SharedStore shared(store);
    // Retention and the audit anchor: at start, and once a day after that.
    apply_retention(shared, config.retention_days);
    log_audit_anchor(shared);
    auto next_purge = std::chrono::steady_clock::now() + k_retention_interval;

    DOCKSCAN_TRY_ASSIGN(auto connectors, make_connectors(config));
    std::unique_ptr<Leds> leds;
    if (!config.leds.empty()) {
        DOCKSCAN_TRY_ASSIGN(leds, Leds::open(config.gpio_chip, config.leds));
    }
    DOCKSCAN_TRY_ASSIGN(auto status, StatusServer::start(config.status_socket, board));
    DOCKSCAN_TRY_ASSIGN(auto events, open_events(config));

    AnalysisPool pool(config.analysis, config.workers, std::move(analysers));
    Sampler sampler(config.sampling);
    SessionServices services{shared, pool, sampler, board, connectors};
    services.review_at_dock =
        config.show_review_at_dock ? ReviewAtDock::shown : ReviewAtDock::hidden;

    // Sessions by USB port; those whose phone left finish on their own and are reaped.
    std::map<std::string, std::unique_ptr<Session>> sessions;
    std::list<std::unique_ptr<Session>> leaving;

    const auto watchdog = watchdog_interval();
    auto next_ping = std::chrono::steady_clock::now();
    std::uint64_t shown = ~std::uint64_t{0};
    notify_ready();
    spdlog::info("dockscan run: ready with {} slots", config.slots.size());

    while (!stop.stop_requested()) {
        const auto wait = watchdog ? std::min(k_tick, *watchdog) : k_tick;
        auto event = events->next(wait, stop);
        if (watchdog && std::chrono::steady_clock::now() >= next_ping) {
            notify_watchdog();
            next_ping = std::chrono::steady_clock::now() + *watchdog;
        }
        if (std::chrono::steady_clock::now() >= next_purge) {
            apply_retention(shared, config.retention_days);
            log_audit_anchor(shared);
            next_purge = std::chrono::steady_clock::now() + k_retention_interval;
        }
        if (!event) {
            // The source broke (the USB stack, the script socket): log it, and retry
            // after a pause rather than in a tight loop.
            spdlog::warn("dock events: {}", event.error().message);
            std::this_thread::sleep_for(k_tick);
        } else if (*event) {
            const docking::DockEvent& e = **event;
            const auto slot = config.slots.find(e.port);
            if (slot == config.slots.end()) {
                spdlog::info("a phone on USB port {}, which is no slot: ignored", e.port);
            } else {
                if (auto it = sessions.find(e.port); it != sessions.end()) {
                    it->second->left();
                    leaving.push_back(std::move(it->second));
                    sessions.erase(it);
                }
                if (e.type == docking::DockEvent::Type::arrived) {
                    spdlog::info("slot {}: a phone arrived", slot->second.number);
                    const auto generation =
                        board.claim(slot->second.number, SlotState::identifying);
                    sessions[e.port] =
                        std::make_unique<Session>(services, e, slot->second, generation, stop);
                } else {
                    spdlog::info("slot {}: the phone left", slot->second.number);
                    (void)board.claim(slot->second.number, SlotState::idle);
                }
            }
        }
        leaving.remove_if([](const auto& s) { return s->finished(); });
        if (const auto version = board.version(); version != shown) {
            shown = version;
            const auto snapshot = board.snapshot();
            notify_status(status_line(snapshot));
            if (leds) {
                leds->show(snapshot);
            }
        }
    }

    notify_stopping();
    notify_status("stopping: recording the running sessions");
    spdlog::info("dockscan run: stopping {} sessions", sessions.size() + leaving.size());
    // Each session stops at its next item and records a partial docking.
    sessions.clear();
    leaving.clear();
    return {};
}

} // namespace dockscan::agent::daemon
