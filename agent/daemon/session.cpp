#include "agent/daemon/session.hpp"

#include "agent/store/dockings.hpp"
#include "agent/store/follow_up.hpp"
#include "base/time.hpp"

#include <cstdio>
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
    case ScanStatus::empty: // a phone that gave nothing is no completed control
        return Outcome::partial;
    case ScanStatus::running: // a finished scan is never running
    case ScanStatus::failed:
        return Outcome::failed;
    }
    return Outcome::failed;
}

// A docking that ends without a scan of its own.
DockingEnd ended(Outcome outcome, std::string reason, Trouble trouble = Trouble::none) {
    DockingEnd end;
    end.outcome = outcome;
    end.reason = std::move(reason);
    end.trouble = trouble;
    return end;
}

// Today's date in Sweden, as the register's dates are written (YYYY-MM-DD).
std::string swedish_today() {
    const base::Date d = base::swedish_date(base::unix_now());
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    return text;
}

// What the person at the dock can do about a phone that could not be connected.
Trouble trouble_of(docking::ErrorCode code) {
    switch (code) {
    case docking::ErrorCode::interrupted:
        return Trouble::not_answering;
    case docking::ErrorCode::timed_out:
        return Trouble::timed_out;
    case docking::ErrorCode::not_authorised:
        return Trouble::refused;
    case docking::ErrorCode::device_locked:
        return Trouble::locked;
    case docking::ErrorCode::unsupported:
    case docking::ErrorCode::password_needed:
    case docking::ErrorCode::wrong_password:
        return Trouble::unsupported;
    case docking::ErrorCode::not_found:
    case docking::ErrorCode::not_a_source:
    case docking::ErrorCode::unreadable:
    case docking::ErrorCode::too_large:
    case docking::ErrorCode::malformed:
    case docking::ErrorCode::not_text:
    case docking::ErrorCode::nested_source:
        break;
    }
    return Trouble::unreadable;
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

Trouble Session::stop_trouble() const {
    return m_left ? Trouble::unplugged : Trouble::shutdown;
}

void Session::show(const std::function<void(SlotStatus&)>& change) {
    m_services.board.update(m_slot.number, m_generation, change);
}

void Session::run(const std::stop_token& stop) {
    scan_docked(stop);
    m_finished = true;
}

// A docking's steps: identify → sample → connect → scan. Each step either goes on or says
// how the docking ends; record_end is the one place that records the end and shows it.
void Session::scan_docked(const std::stop_token& stop) {
    dockings::Start start;
    start.slot = m_slot.number;
    start.slot_label = m_slot.label;
    start.backend = m_event.kind == docking::PhoneKind::iphone ? "ios" : "adb";
    start.serial = m_event.serial;
    const SamplingConfig& sampling = m_services.sampler.config();
    start.selection = sampling.mode == SamplingMode::quota ? "quota" : "every_docking";
    if (sampling.mode == SamplingMode::quota) {
        start.selection_share = sampling.share;
    }

    auto end = dock(start, stop);
    if (!end) {
        return store_failed(end.error());
    }
    if (auto recorded = record_end(start, *end); !recorded) {
        return store_failed(recorded.error());
    }
    show_end(*end);
}

Expected<DockingEnd> Session::dock(dockings::Start& start, const std::stop_token& stop) {
    DOCKSCAN_TRY_ASSIGN(const auto phone, identify(start));
    if (!phone) {
        spdlog::info("slot {}: a phone that is registered to no unit; not scanned", m_slot.number);
        return ended(Outcome::unknown_phone, "not registered to a unit in the inventory");
    }
    if (!phone->retired_on.empty() && phone->retired_on <= swedish_today()) {
        spdlog::info("slot {}: a retired phone; not scanned", m_slot.number);
        return ended(Outcome::unknown_phone, "retired on " + phone->retired_on, Trouble::retired);
    }
    DOCKSCAN_TRY_ASSIGN(auto not_sampled, sample(*phone));
    if (not_sampled) {
        return ended(Outcome::not_sampled, std::move(*not_sampled));
    }
    DOCKSCAN_TRY_ASSIGN(m_docking_id,
                        m_services.store.with([&](Store& s) { return dockings::begin(s, start); }));
    // The source keeps telling the slot what the phone waits for while it is scanned (an
    // iPhone's passcode for its backup): the progress outlives it.
    SlotProgress progress([this](const std::function<void(SlotStatus&)>& change) { show(change); });
    auto source = connect(progress, stop);
    if (!source) {
        return std::move(source).error();
    }
    return scan(*phone, **source, stop);
}

Expected<std::optional<dockings::KnownPhone>> Session::identify(dockings::Start& start) {
    DOCKSCAN_TRY_ASSIGN(const auto known, m_services.store.with([&](Store& s) {
        return dockings::find_phone(s, m_event.serial);
    }));
    if (known) {
        start.phone_id = known->phone_id;
    }
    if (!known || !known->unit_id) {
        return std::nullopt;
    }
    return known;
}

Expected<std::optional<std::string>> Session::sample(const dockings::KnownPhone& phone) {
    // A decision asked for something to be removed from this phone: the next docking
    // checks it, whatever the quota says (follow_up.hpp).
    DOCKSCAN_TRY_ASSIGN(const auto pending, m_services.store.with([&](Store& s) {
        return follow_up::pending_removals(s, phone.phone_id);
    }));
    if (!pending.empty()) {
        return std::nullopt;
    }
    // The quarter is the one in Sweden: a docking just after midnight on 1 April counts in Q2.
    const Quarter quarter = quarter_of(base::swedish_date(base::unix_now()));
    DOCKSCAN_TRY_ASSIGN(const auto state, m_services.store.with([&](Store& s) {
        return dockings::unit_quarter(s, *phone.unit_id, phone.phone_id,
                                      quarter_start_iso(quarter));
    }));
    if (m_services.sampler.decide(state, quarter.days_left) == Decision::control) {
        return std::nullopt;
    }
    return std::string(state.phone_controlled ? "controlled already this quarter"
                                              : "not drawn by the sampling policy today");
}

tl::expected<std::unique_ptr<docking::PhoneSource>, DockingEnd>
Session::connect(docking::ConnectProgress& progress, const std::stop_token& stop) {
    const auto connector = m_services.connectors.find(m_event.kind);
    if (connector == m_services.connectors.end()) {
        return tl::unexpected(
            ended(Outcome::failed, k_iphone_missing_reason, Trouble::unsupported));
    }
    auto source = connector->second->connect(m_event, progress, stop);
    if (!source) {
        spdlog::info("slot {}: the phone could not be connected: {}", m_slot.number,
                     source.error().message);
        if (stop.stop_requested()) {
            return tl::unexpected(ended(Outcome::partial, stop_reason(), stop_trouble()));
        }
        return tl::unexpected(
            ended(Outcome::failed, source.error().message, trouble_of(source.error().code)));
    }
    return std::move(*source);
}

Expected<DockingEnd> Session::scan(const dockings::KnownPhone& phone, docking::PhoneSource& source,
                                   const std::stop_token& stop) {
    // What the phone says of itself; the inventory's label stays.
    const docking::SourceInfo info = source.describe();
    PhoneIdentity identity{phone.label, m_event.serial, info.name, info.model, info.os_version};
    if (auto updated = m_services.store.with([&](Store& s) { return s.upsert_phone(identity); });
        !updated) {
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
    auto summary =
        run_scan(source, m_services.store, m_services.pool, phone.phone_id, context, stop);
    if (!summary) {
        return DockingEnd{Outcome::failed,
                          "store error: " + summary.error().message,
                          {},
                          0,
                          StoreFailed::yes,
                          Trouble::station_error};
    }
    DockingEnd end =
        ended(outcome_of(summary->status), summary->reason,
              summary->status == ScanStatus::complete ? Trouble::none : Trouble::unreadable);
    end.scan_id = summary->scan_id;
    end.findings = summary->findings;
    if (end.outcome != Outcome::complete && (stop.stop_requested() || m_left)) {
        end.reason = stop_reason() + (end.reason.empty() ? "" : " (" + end.reason + ")");
        end.trouble = stop_trouble();
    }
    return end;
}

Expected<void> Session::record_end(const dockings::Start& start, const DockingEnd& end) {
    return m_services.store.with([&](Store& s) -> Expected<void> {
        if (!m_docking_id) {
            // Not scanned by policy (unknown phone, not sampled): a docking of its own.
            DOCKSCAN_TRY(dockings::record(s, start, end.outcome, end.reason));
            return {};
        }
        if (end.store_failed == StoreFailed::yes) {
            return dockings::finish(s, *m_docking_id, end.outcome, end.reason);
        }
        std::int64_t scan_id = 0;
        if (end.scan_id) {
            scan_id = *end.scan_id;
        } else {
            // A docking that ends before a scan began is still a scan record of the phone.
            DOCKSCAN_TRY_ASSIGN(scan_id, s.begin_scan(*start.phone_id, m_event.endpoint));
            DOCKSCAN_TRY(s.finish_scan(
                scan_id, end.outcome == Outcome::partial ? ScanStatus::partial : ScanStatus::failed,
                end.reason, ItemCounts{}));
        }
        return dockings::finish(s, *m_docking_id, end.outcome, end.reason, scan_id);
    });
}

// Staff see that the control ran, never what it found.
void Session::show_end(const DockingEnd& end) {
    if (end.store_failed == StoreFailed::yes) {
        return store_failed(Error{ErrorCode::store_io, end.reason});
    }
    show([&](SlotStatus& s) {
        s.wait.reset();
        switch (end.outcome) {
        case Outcome::unknown_phone:
            s.state = SlotState::unknown_phone;
            s.trouble = end.trouble;
            break;
        case Outcome::not_sampled:
            s.state = SlotState::not_sampled;
            break;
        case Outcome::complete:
            s.state = end.findings > 0 && m_services.review_at_dock == ReviewAtDock::shown
                          ? SlotState::done_review
                          : SlotState::done_clean;
            break;
        case Outcome::partial:
            s.state = SlotState::partial;
            s.reason = end.reason;
            s.trouble = end.trouble;
            break;
        default:
            s.state = SlotState::failed;
            s.reason = end.reason;
            s.trouble = end.trouble;
            break;
        }
    });
}

void Session::store_failed(const Error& error) {
    spdlog::error("slot {}: the store failed: {}", m_slot.number, error.message);
    show([](SlotStatus& s) {
        s.state = SlotState::failed;
        s.wait.reset();
        s.reason = "store error";
        s.trouble = Trouble::station_error;
    });
}

} // namespace dockscan::agent::daemon
