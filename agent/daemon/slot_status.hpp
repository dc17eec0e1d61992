#pragma once

// What each slot shows: idle, the phone's wait, scanning with progress, or how the
// docking ended, in short Swedish with the next step for the person at the dock (at
// most k_max_slot_text characters). Staff see that the control ran, never what it
// found: a scan with findings shows as done unless the station's config asks for
// "Klar, granskas" ([status] show_review). The board is shared by the sessions, the
// status socket, the LEDs and sd_notify's status line.

#include "docking/phone_connector.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::agent::daemon {

enum class SlotState {
    idle,
    identifying,   // a phone arrived; looking it up
    waiting,       // the phone waits for the person at the dock (see `wait`)
    scanning,      // `done` of `total` items
    done_clean,    // complete, nothing found
    done_review,   // complete or partial with something for the supervisor to review
    partial,       // interrupted (unplugged, timed out): dock again to continue
    not_sampled,   // the sampling policy did not draw the phone today
    unknown_phone, // not registered in the inventory: not scanned
    failed,        // see `reason`
};

[[nodiscard]] std::string_view to_string(SlotState state);

// Why a docking did not end as done, as the person at the dock can act on it. The
// English reason stays in the journal and the docking's record.
enum class Trouble {
    none,
    unplugged,     // the phone left the slot: dock again to continue
    shutdown,      // the station is stopping
    not_answering, // the phone went silent mid-transfer
    timed_out,     // nobody answered Allow / Trust / the passcode in time
    refused,       // USB debugging, Trust or the backup was refused on the phone
    locked,        // the phone must be unlocked
    unsupported,   // a phone or variant the station cannot read
    unreadable,    // the phone could not be read, or only in part
    station_error, // the store or the station itself failed
    retired,       // a phone the register retired: not scanned
};
[[nodiscard]] std::string_view to_string(Trouble trouble);

// The longest text a slot shows (characters, not bytes): what fits a small display.
inline constexpr std::size_t k_max_slot_text = 40;

struct SlotStatus {
    int slot = 0;
    std::string label;
    std::string port;
    SlotState state = SlotState::idle;
    std::optional<docking::PhoneWait> wait;
    std::int64_t done = 0;
    std::int64_t total = 0;
    std::string reason; // failed or partial: why, in English, for the admin (never shown)
    Trouble trouble = Trouble::none; // failed or partial: what the slot text says
};

// The Swedish text the slot shows ("Ledig – docka en telefon", "Skannar 120/300 – vänta",
// "Okänd telefon – lämna till chefen", ...): at most k_max_slot_text characters.
[[nodiscard]] std::string slot_text(const SlotStatus& status);

// A JSON line object for the status socket.
[[nodiscard]] nlohmann::json to_json(const SlotStatus& status);
// Back from the socket's JSON (for `dockscan slots`); nothing when malformed.
[[nodiscard]] std::optional<SlotStatus> slot_from_json(const nlohmann::json& line);

// The station's sync to the central database as `dockscan slots` shows it.
struct SyncStatus {
    std::string last_sync;    // ISO 8601 UTC of the last batch the central side applied, or ""
    std::int64_t waiting = 0; // outbox rows not yet applied centrally
    std::string last_error;   // why the last attempt failed; "" when it did not
    bool operator==(const SyncStatus&) const = default;
};
[[nodiscard]] nlohmann::json to_json(const SyncStatus& sync);
[[nodiscard]] std::optional<SyncStatus> sync_from_json(const nlohmann::json& json);

// The slots' current state. Each docking owns its slot through a generation number:
// a session that outlives its phone (unplugged) cannot overwrite the next docking's
// state. Thread-safe.
class StatusBoard {
public:
    explicit StatusBoard(std::vector<SlotStatus> slots);

    // A new docking (or the phone left: idle); returns the generation the docking's
    // session must pass to `update`.
    std::uint64_t claim(int slot, SlotState state);
    // Updates the slot when `generation` still owns it.
    void update(int slot, std::uint64_t generation, const std::function<void(SlotStatus&)>& change);

    [[nodiscard]] std::vector<SlotStatus> snapshot() const;
    // Counts every change: listeners compare it to what they last saw.
    [[nodiscard]] std::uint64_t version() const;

    // The sync to the central database, when the station has [central]: set by the
    // sender after every attempt (a change counts as a change of the board).
    void set_sync(const SyncStatus& sync);
    [[nodiscard]] std::optional<SyncStatus> sync() const;

private:
    struct Entry {
        SlotStatus status;
        std::uint64_t generation = 0;
    };
    mutable std::mutex m_mutex;
    std::map<int, Entry> m_slots;
    std::optional<SyncStatus> m_sync;
    std::uint64_t m_version = 0;
    std::uint64_t m_next_generation = 1;
};

} // namespace dockscan::agent::daemon
