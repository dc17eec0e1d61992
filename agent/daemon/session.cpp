#include "agent/daemon/session.hpp"

#include "agent/store/dockings.hpp"

#include <spdlog/spdlog.h>

namespace dockscan::agent::daemon {
namespace {

using dockings::Outcome;

// Tells the slot what the phone waits for.
class SlotProgress final : public docking::ConnectProgress {
public:
    explicit SlotProgress(std::function<void(const std::function<void(SlotStatus&)>&)> show)
        : m_show(std::move(show)) {}
    void waiting(docking::PhoneWait what) override {
        m_show([&](SlotStatus& s) {
            s.state = SlotState::waiting;
            s.wait = what;
        });
    }
    void resumed() override {
        m_show([](SlotStatus& s) {
            s.state = SlotState::identifying;
            s.wait.reset();
        });
    }

private:
    std::function<void(const std::function<void(SlotStatus&)>&)> m_show;
};

Outcome outcome_of(ScanStatus status) {
    switch (status) {
    case ScanStatus::complete:
        return Outcome::complete;
    case ScanStatus::partial:
        return Outcome::partial;
    case ScanStatus::running: // a finished scan is never running
    case ScanStatus::failed:
        return Outcome::failed;
    }
    return Outcome::failed;
}

} // namespace

Session::Session(SessionServices& services, docking::DockEvent event, Slot slot,
                 std::uint64_t generation, std::stop_token shutdown)
    : m_services(services), m_event(std::move(event)), m_slot(std::move(slot)),
      m_generation(generation), m_shutdown(std::move(shutdown)),
      m_on_shutdown(m_shutdown, std::function<void()>([this] { m_stop.request_stop(); })),
      m_thread([this] { run(m_stop.get_token()); }) {}

Session::~Session() {
    m_stop.request_stop();
    m_thread.join();
}

void Session::left() {
    m_left = true;
    m_stop.request_stop();
}

std::string Session::stop_reason() const {
    return m_left ? k_unplugged_reason : k_shutdown_reason;
}

void Session::show(const std::function<void(SlotStatus&)>& change) {
    m_services.board.update(m_slot.number, m_generation, change);
}

void Session::run(const std::stop_token& stop) {
    scan_docked(stop);
    m_finished = true;
}

void Session::scan_docked(const std::stop_token& stop) {
    SharedStore& store = m_services.store;
    auto fail_slot = [&](const std::string& reason) {
        show([&](SlotStatus& s) {
            s.state = SlotState::failed;
            s.wait.reset();
            s.reason = reason;
        });
    };
    auto store_failed = [&](const Error& error) {
        spdlog::error("slot {}: the store failed: {}", m_slot.number, error.message);
        fail_slot("lagringsfel / store error");
    };

    dockings::Start start;
    start.slot = m_slot.number;
    start.slot_label = m_slot.label;
    start.backend = m_event.kind == docking::PhoneKind::iphone ? "ios" : "adb";
    start.serial = m_event.serial;

    auto known = store.with([&](Store& s) { return dockings::find_phone(s, m_event.serial); });
    if (!known) {
        return store_failed(known.error());
    }
    if (!*known || !(*known)->unit_id) {
        if (*known) {
            start.phone_id = (*known)->phone_id;
        }
        spdlog::info("slot {}: a phone that is registered to no unit; not scanned", m_slot.number);
        auto recorded = store.with([&](Store& s) {
            return dockings::record(s, start, Outcome::unknown_phone,
                                    "not registered to a unit in the inventory");
        });
        if (!recorded) {
            return store_failed(recorded.error());
        }
        show([](SlotStatus& s) { s.state = SlotState::unknown_phone; });
        return;
    }
    const dockings::KnownPhone phone = **known;
    start.phone_id = phone.phone_id;

    const Quarter quarter = quarter_of(base::today_utc());
    auto state = store.with([&](Store& s) {
        return dockings::unit_quarter(s, *phone.unit_id, phone.phone_id,
                                      quarter_start_iso(quarter));
    });
    if (!state) {
        return store_failed(state.error());
    }
    if (m_services.sampler.decide(*state, quarter.days_left) == Decision::not_sampled) {
        auto recorded = store.with([&](Store& s) {
            return dockings::record(s, start, Outcome::not_sampled,
                                    state->phone_controlled
                                        ? "controlled already this quarter"
                                        : "not drawn by the sampling policy today");
        });
        if (!recorded) {
            return store_failed(recorded.error());
        }
        show([](SlotStatus& s) { s.state = SlotState::not_sampled; });
        return;
    }

    auto docking_id = store.with([&](Store& s) { return dockings::begin(s, start); });
    if (!docking_id) {
        return store_failed(docking_id.error());
    }
    // A docking that ends before a scan began is still a scan record of the phone.
    auto end_unscanned = [&](Outcome outcome, const std::string& reason) {
        auto recorded = store.with([&](Store& s) -> Expected<void> {
            DOCKSCAN_TRY_ASSIGN(const std::int64_t scan_id,
                                s.begin_scan(phone.phone_id, m_event.endpoint));
            DOCKSCAN_TRY(s.finish_scan(
                scan_id, outcome == Outcome::partial ? ScanStatus::partial : ScanStatus::failed,
                reason, ItemCounts{}));
            return dockings::finish(s, *docking_id, outcome, reason, scan_id);
        });
        if (!recorded) {
            return store_failed(recorded.error());
        }
        if (outcome == Outcome::partial) {
            show([&](SlotStatus& s) {
                s.state = SlotState::partial;
                s.wait.reset();
                s.reason = reason;
            });
        } else {
            fail_slot(reason);
        }
    };

    const auto connector = m_services.connectors.find(m_event.kind);
    if (connector == m_services.connectors.end()) {
        return end_unscanned(Outcome::failed, k_iphone_missing_reason);
    }
    SlotProgress progress([this](const std::function<void(SlotStatus&)>& change) { show(change); });
    auto source = connector->second->connect(m_event, progress, stop);
    if (!source) {
        spdlog::info("slot {}: the phone could not be connected: {}", m_slot.number,
                     source.error().message);
        if (stop.stop_requested()) {
            return end_unscanned(Outcome::partial, stop_reason());
        }
        return end_unscanned(Outcome::failed, source.error().message);
    }

    // What the phone says of itself; the inventory's label stays.
    const docking::SourceInfo info = (*source)->describe();
    PhoneIdentity identity{phone.label, m_event.serial, info.name, info.model, info.os_version};
    if (auto updated = store.with([&](Store& s) { return s.upsert_phone(identity); }); !updated) {
        spdlog::warn("slot {}: could not update the phone's details: {}", m_slot.number,
                     updated.error().message);
    }

    ScanContext context;
    context.batch_size = m_services.batch_size;
    context.progress = [&](const ScanProgress& p) {
        show([&](SlotStatus& s) {
            s.state = SlotState::scanning;
            s.wait.reset();
            s.done = p.done;
            s.total = p.total;
        });
    };
    show([](SlotStatus& s) {
        s.state = SlotState::scanning;
        s.wait.reset();
    });
    auto summary = run_scan(**source, store, m_services.pool, phone.phone_id, context, stop);
    source->reset(); // the phone's connection and temporary files go now
    if (!summary) {
        (void)store.with([&](Store& s) {
            return dockings::finish(s, *docking_id, Outcome::failed,
                                    "store error: " + summary.error().message);
        });
        return store_failed(summary.error());
    }
    const Outcome outcome = outcome_of(summary->status);
    std::string reason = summary->reason;
    if (outcome != Outcome::complete && (stop.stop_requested() || m_left)) {
        reason = stop_reason() + (reason.empty() ? "" : " (" + reason + ")");
    }
    auto recorded = store.with([&](Store& s) {
        return dockings::finish(s, *docking_id, outcome, reason, summary->scan_id);
    });
    if (!recorded) {
        return store_failed(recorded.error());
    }
    // Staff see that the control ran, never what it found.
    show([&](SlotStatus& s) {
        s.wait.reset();
        switch (outcome) {
        case Outcome::complete:
            s.state = summary->findings > 0 ? SlotState::done_review : SlotState::done_clean;
            break;
        case Outcome::partial:
            s.state = SlotState::partial;
            s.reason = reason;
            break;
        default:
            s.state = SlotState::failed;
            s.reason = reason;
            break;
        }
    });
}

} // namespace dockscan::agent::daemon
