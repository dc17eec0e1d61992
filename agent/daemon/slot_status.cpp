#include "agent/daemon/slot_status.hpp"

#include <array>

namespace dockscan::agent::daemon {
namespace {

std::string_view wait_name(docking::PhoneWait wait) {
    switch (wait) {
    case docking::PhoneWait::allow_usb_debugging:
        return "allow_usb_debugging";
    case docking::PhoneWait::trust_computer:
        return "trust_computer";
    case docking::PhoneWait::enter_passcode:
        return "enter_passcode";
    case docking::PhoneWait::confirm_backup:
        return "confirm_backup";
    }
    return "allow_usb_debugging";
}

std::string wait_text(docking::PhoneWait wait) {
    switch (wait) {
    case docking::PhoneWait::allow_usb_debugging:
        return "Tillåt USB-felsökning på telefonen";
    case docking::PhoneWait::trust_computer:
        return "Tryck på Lita på telefonen";
    case docking::PhoneWait::enter_passcode:
        return "Ange lösenkod på telefonen";
    case docking::PhoneWait::confirm_backup:
        return "Bekräfta säkerhetskopian på telefonen";
    }
    return "Titta på telefonen";
}

// What went wrong, as the next step for the person at the dock.
std::string trouble_text(Trouble trouble, SlotState state) {
    switch (trouble) {
    case Trouble::unplugged:
        return "Avbruten – docka igen för att fortsätta";
    case Trouble::shutdown:
        return "Stationen stängs – docka igen senare";
    case Trouble::not_answering:
        return "Telefonen svarar inte – docka igen";
    case Trouble::timed_out:
        return "Tiden gick ut – docka igen och svara";
    case Trouble::refused:
        return "Nekad – docka igen och godkänn";
    case Trouble::locked:
        return "Låst telefon – lås upp och docka igen";
    case Trouble::unsupported:
        return "Kan inte läsas – lämna till chefen";
    case Trouble::station_error:
        return "Fel i stationen – kontakta IT";
    case Trouble::retired:
        return "Avregistrerad – lämna till chefen";
    case Trouble::unreadable:
    case Trouble::none:
        break;
    }
    return state == SlotState::partial ? "Ofullständig – docka igen"
                                       : "Kunde inte läsas – docka igen";
}

constexpr std::array k_troubles = {
    Trouble::none,       Trouble::unplugged,     Trouble::shutdown, Trouble::not_answering,
    Trouble::timed_out,  Trouble::refused,       Trouble::locked,   Trouble::unsupported,
    Trouble::unreadable, Trouble::station_error, Trouble::retired};

} // namespace

std::string_view to_string(SlotState state) {
    switch (state) {
    case SlotState::idle:
        return "idle";
    case SlotState::identifying:
        return "identifying";
    case SlotState::waiting:
        return "waiting";
    case SlotState::scanning:
        return "scanning";
    case SlotState::done_clean:
        return "done_clean";
    case SlotState::done_review:
        return "done_review";
    case SlotState::partial:
        return "partial";
    case SlotState::not_sampled:
        return "not_sampled";
    case SlotState::unknown_phone:
        return "unknown_phone";
    case SlotState::failed:
        return "failed";
    }
    return "failed";
}

std::string_view to_string(Trouble trouble) {
    switch (trouble) {
    case Trouble::none:
        return "none";
    case Trouble::unplugged:
        return "unplugged";
    case Trouble::shutdown:
        return "shutdown";
    case Trouble::not_answering:
        return "not_answering";
    case Trouble::timed_out:
        return "timed_out";
    case Trouble::refused:
        return "refused";
    case Trouble::locked:
        return "locked";
    case Trouble::unsupported:
        return "unsupported";
    case Trouble::unreadable:
        return "unreadable";
    case Trouble::station_error:
        return "station_error";
    case Trouble::retired:
        return "retired";
    }
    return "none";
}

std::string slot_text(const SlotStatus& s) {
    switch (s.state) {
    case SlotState::idle:
        return "Ledig – docka en telefon";
    case SlotState::identifying:
        return "Ansluter – låt telefonen sitta";
    case SlotState::waiting:
        return s.wait ? wait_text(*s.wait) : std::string("Titta på telefonen");
    case SlotState::scanning: {
        // Long numbers first lose the words, never the progress.
        std::string text = "Skannar " + std::to_string(s.done) + "/" + std::to_string(s.total);
        return text.size() + 8 <= k_max_slot_text ? text + " – vänta" : text;
    }
    case SlotState::done_clean:
        return "Klar – ta telefonen";
    case SlotState::done_review:
        return "Klar, granskas – ta telefonen";
    case SlotState::not_sampled:
        return "Ingen kontroll i dag – ta telefonen";
    case SlotState::unknown_phone:
        return s.trouble == Trouble::retired ? trouble_text(s.trouble, s.state)
                                             : "Okänd telefon – lämna till chefen";
    case SlotState::partial:
    case SlotState::failed:
        return trouble_text(s.trouble, s.state);
    }
    return "";
}

nlohmann::json to_json(const SlotStatus& s) {
    nlohmann::json j = {{"type", "slot"},
                        {"slot", s.slot},
                        {"label", s.label},
                        {"port", s.port},
                        {"state", to_string(s.state)},
                        {"text", slot_text(s)}};
    if (s.wait) {
        j["wait"] = wait_name(*s.wait);
    }
    if (s.state == SlotState::scanning) {
        j["done"] = s.done;
        j["total"] = s.total;
    }
    if (!s.reason.empty()) {
        j["reason"] = s.reason;
    }
    if (s.trouble != Trouble::none) {
        j["trouble"] = to_string(s.trouble);
    }
    return j;
}

std::optional<SlotStatus> slot_from_json(const nlohmann::json& j) {
    if (!j.is_object() || j.value("type", "") != "slot" || !j.contains("slot") ||
        !j["slot"].is_number_integer()) {
        return std::nullopt;
    }
    SlotStatus s;
    s.slot = j["slot"].get<int>();
    s.label = j.value("label", "");
    s.port = j.value("port", "");
    const std::string state = j.value("state", "");
    bool known = false;
    for (SlotState candidate :
         {SlotState::idle, SlotState::identifying, SlotState::waiting, SlotState::scanning,
          SlotState::done_clean, SlotState::done_review, SlotState::partial, SlotState::not_sampled,
          SlotState::unknown_phone, SlotState::failed}) {
        if (to_string(candidate) == state) {
            s.state = candidate;
            known = true;
        }
    }
    if (!known) {
        return std::nullopt;
    }
    const std::string wait = j.value("wait", "");
    for (auto candidate :
         {docking::PhoneWait::allow_usb_debugging, docking::PhoneWait::trust_computer,
          docking::PhoneWait::enter_passcode, docking::PhoneWait::confirm_backup}) {
        if (wait_name(candidate) == wait) {
            s.wait = candidate;
        }
    }
    s.done = j.value("done", std::int64_t{0});
    s.total = j.value("total", std::int64_t{0});
    s.reason = j.value("reason", "");
    const std::string trouble = j.value("trouble", "");
    for (const Trouble candidate : k_troubles) {
        if (to_string(candidate) == trouble) {
            s.trouble = candidate;
        }
    }
    return s;
}

StatusBoard::StatusBoard(std::vector<SlotStatus> slots) {
    for (SlotStatus& s : slots) {
        const int number = s.slot;
        m_slots[number] = Entry{std::move(s), 0};
    }
}

std::uint64_t StatusBoard::claim(int slot, SlotState state) {
    std::lock_guard lock(m_mutex);
    auto it = m_slots.find(slot);
    if (it == m_slots.end()) {
        return 0;
    }
    Entry& e = it->second;
    e.generation = m_next_generation++;
    SlotStatus fresh;
    fresh.slot = e.status.slot;
    fresh.label = e.status.label;
    fresh.port = e.status.port;
    fresh.state = state;
    e.status = std::move(fresh);
    ++m_version;
    return e.generation;
}

void StatusBoard::update(int slot, std::uint64_t generation,
                         const std::function<void(SlotStatus&)>& change) {
    std::lock_guard lock(m_mutex);
    auto it = m_slots.find(slot);
    if (it == m_slots.end() || it->second.generation != generation) {
        return;
    }
    change(it->second.status);
    ++m_version;
}

std::vector<SlotStatus> StatusBoard::snapshot() const {
    std::lock_guard lock(m_mutex);
    std::vector<SlotStatus> out;
    for (const auto& [number, e] : m_slots) {
        out.push_back(e.status);
    }
    return out;
}

std::uint64_t StatusBoard::version() const {
    std::lock_guard lock(m_mutex);
    return m_version;
}

void StatusBoard::set_sync(const SyncStatus& sync) {
    std::lock_guard lock(m_mutex);
    if (m_sync != sync) {
        m_sync = sync;
        ++m_version;
    }
}

std::optional<SyncStatus> StatusBoard::sync() const {
    std::lock_guard lock(m_mutex);
    return m_sync;
}

nlohmann::json to_json(const SyncStatus& sync) {
    return {
        {"last_sync", sync.last_sync}, {"waiting", sync.waiting}, {"last_error", sync.last_error}};
}

std::optional<SyncStatus> sync_from_json(const nlohmann::json& json) {
    if (!json.is_object() || !json.contains("last_sync") || !json["last_sync"].is_string() ||
        !json.contains("waiting") || !json["waiting"].is_number_integer() ||
        !json.contains("last_error") || !json["last_error"].is_string()) {
        return std::nullopt;
    }
    return SyncStatus{json["last_sync"].get<std::string>(), json["waiting"].get<std::int64_t>(),
                      json["last_error"].get<std::string>()};
}

} // namespace dockscan::agent::daemon
