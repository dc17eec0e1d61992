#pragma once

// Sends the station's outbox to the central database: in order, in batches, each batch
// in one PostgreSQL transaction that also advances the station's applied_outbox_id, so
// a batch is applied exactly once however often it is sent. Resumes from what the
// central side says it applied; waits out an absent server with exponential backoff.

#include "agent/central/central_settings.hpp"
#include "agent/central/pg_seam.hpp"
#include "agent/central/register_apply.hpp"
#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

namespace dockscan::agent::central {

struct SyncReport {
    std::int64_t batches = 0;    // transactions committed centrally
    std::int64_t rows = 0;       // rows written or deleted centrally
    std::int64_t applied_id = 0; // the newest outbox row the central side applied
    bool caught_up = false;      // nothing left in the outbox
    // Downward: central decisions fetched, and those recorded on this station's own
    // findings of the same content (to be verified at the phone's next docking here).
    std::int64_t decisions_fetched = 0;
    std::int64_t decisions_recorded = 0;
    // Downward: what changed in the register managed centrally, applied here.
    RegisterApplied register_applied{};
};

struct SyncLimits {
    std::size_t batch_rows = 500;
    // Stop after this many batches (nothing: until the outbox is empty).
    std::optional<std::int64_t> max_batches;
};

// How the sender thread paces itself.
struct Pace {
    std::size_t batch_rows = 500;
    std::chrono::milliseconds first = std::chrono::seconds(1);
    std::chrono::milliseconds max = std::chrono::minutes(5);
    // How long to wait when caught up before looking at the outbox again.
    std::chrono::milliseconds idle = std::chrono::seconds(10);
};

class OutboxSender {
public:
    OutboxSender(CentralSettings settings, CentralKeys keys);
    OutboxSender(OutboxSender&&) noexcept;
    OutboxSender& operator=(OutboxSender&&) noexcept;
    ~OutboxSender();

    // Turns the store's outbox on (the first time: queues its history) and sends what is
    // queued; then fetches the decisions made centrally for the phones this station knows
    // and records each on this station's findings of the same content on the same phone
    // (matched by serial, item type, the ref's keyed hash and the content's hash), so
    // that a removal decided on another station's finding is checked here; and applies what
    // changed in the central register (register_apply.hpp). Connects (again) when
    // needed. On failure nothing of the failed batch is applied centrally, and the store records
    // the reason for `dockscan status`.
    [[nodiscard]] Expected<SyncReport> sync(Store& store, const SyncLimits& limits = {});

    // The sender thread of `dockscan run`: syncs until `stop`, backing off from
    // `pace.first` to `pace.max` while the server is away. `open_store` opens the
    // sender's own store connection.
    // `log` hears of a failure (once per outage) and of the recovery; `after` is called
    // with the sender's store after every attempt (to show the outbox's state).
    void run(std::stop_token stop, const std::function<Expected<Store>()>& open_store,
             const Pace& pace = {}, const std::function<void(const std::string&)>& log = {},
             const std::function<void(Store&)>& after = {});

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::agent::central
