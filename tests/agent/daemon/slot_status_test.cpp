// What the slots show (Swedish, never what was found), the status lines' JSON, and the
// scripted dock events' lines.

#include "agent/daemon/script_events.hpp"
#include "agent/daemon/slot_status.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

using namespace dockscan::agent::daemon;
using dockscan::docking::DockEvent;
using dockscan::docking::PhoneKind;
using dockscan::docking::PhoneWait;

TEST_CASE("slot texts in Swedish", "[daemon][status]") {
    SlotStatus s;
    CHECK(slot_text(s) == "Ledig – docka en telefon");
    s.state = SlotState::waiting;
    s.wait = PhoneWait::allow_usb_debugging;
    CHECK(slot_text(s) == "Tillåt USB-felsökning på telefonen");
    s.wait = PhoneWait::trust_computer;
    CHECK(slot_text(s) == "Tryck på Lita på telefonen");
    s.wait = PhoneWait::enter_passcode;
    CHECK(slot_text(s) == "Ange lösenkod på telefonen");
    s.state = SlotState::scanning;
    s.done = 120;
    s.total = 300;
    CHECK(slot_text(s) == "Skannar 120/300 – vänta");
    s.state = SlotState::done_clean;
    CHECK(slot_text(s) == "Klar – ta telefonen");
    s.state = SlotState::done_review;
    CHECK(slot_text(s) == "Klar, granskas – ta telefonen");
    s.state = SlotState::unknown_phone;
    CHECK(slot_text(s) == "Okänd telefon – lämna till chefen");
    s.state = SlotState::failed;
    s.reason = "reading from the phone: the phone stopped answering";
    s.trouble = Trouble::not_answering;
    CHECK(slot_text(s) == "Telefonen svarar inte – docka igen");
    s.state = SlotState::partial;
    s.trouble = Trouble::unplugged;
    CHECK(slot_text(s) == "Avbruten – docka igen för att fortsätta");
}

namespace {

std::size_t characters(const std::string& utf8) {
    std::size_t n = 0;
    for (const char c : utf8) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

} // namespace

TEST_CASE("every slot text is short Swedish with the next step, never the English reason",
          "[daemon][status]") {
    // Every state the dock can show, with every wait and every trouble.
    std::vector<SlotStatus> all;
    for (const SlotState state :
         {SlotState::idle, SlotState::identifying, SlotState::waiting, SlotState::scanning,
          SlotState::done_clean, SlotState::done_review, SlotState::partial, SlotState::not_sampled,
          SlotState::unknown_phone, SlotState::failed}) {
        for (const Trouble trouble :
             {Trouble::none, Trouble::unplugged, Trouble::shutdown, Trouble::not_answering,
              Trouble::timed_out, Trouble::refused, Trouble::locked, Trouble::unsupported,
              Trouble::unreadable, Trouble::station_error, Trouble::retired}) {
            for (const auto wait :
                 {std::optional<PhoneWait>{}, std::optional{PhoneWait::allow_usb_debugging},
                  std::optional{PhoneWait::trust_computer},
                  std::optional{PhoneWait::enter_passcode},
                  std::optional{PhoneWait::confirm_backup}}) {
                SlotStatus s;
                s.state = state;
                s.trouble = trouble;
                s.wait = wait;
                s.reason = "stopped: the phone stopped answering (timed out)";
                // The longest progress a phone gives: 99 999 items.
                s.done = 99'999;
                s.total = 99'999;
                all.push_back(s);
            }
        }
    }
    // Words of the failure reasons the daemon and the phones' backends write in English.
    const std::vector<std::string> english = {"phone",  "stopped", "failed", "error",  "the ",
                                              "answer", "timed",   "store",  "backend"};
    for (const SlotStatus& s : all) {
        const std::string text = slot_text(s);
        INFO(to_string(s.state) << " / " << to_string(s.trouble) << ": " << text);
        CHECK(characters(text) <= k_max_slot_text);
        CHECK_FALSE(text.empty());
        for (const std::string& word : english) {
            CHECK(text.find(word) == std::string::npos);
        }
        // The next step: a wait names what to do on the phone; every other text says
        // what to do after the dash ("– docka igen", "– ta telefonen", "– vänta").
        const bool instruction = s.state == SlotState::waiting;
        CHECK((instruction || text.find(" – ") != std::string::npos));
    }
}

TEST_CASE("a slot's JSON line comes back as the same slot", "[daemon][status]") {
    SlotStatus s;
    s.slot = 3;
    s.label = "Höger";
    s.port = "1-1.3";
    s.state = SlotState::scanning;
    s.done = 5;
    s.total = 9;
    const auto j = to_json(s);
    CHECK(j["text"] == "Skannar 5/9 – vänta");
    auto back = slot_from_json(nlohmann::json::parse(j.dump()));
    REQUIRE(back);
    CHECK(back->slot == 3);
    CHECK(back->label == "Höger");
    CHECK(back->state == SlotState::scanning);
    CHECK(back->done == 5);
    CHECK(back->total == 9);
    s.state = SlotState::failed;
    s.trouble = Trouble::refused;
    s.reason = "USB debugging was refused on the phone";
    const auto failed = slot_from_json(nlohmann::json::parse(to_json(s).dump()));
    REQUIRE(failed);
    CHECK(failed->trouble == Trouble::refused);
    CHECK(slot_text(*failed) == "Nekad – docka igen och godkänn");
    CHECK_FALSE(slot_from_json(nlohmann::json{{"type", "slot"}, {"slot", 1}, {"state", "odd"}}));
}

TEST_CASE("a board ignores a session that no longer owns its slot", "[daemon][status]") {
    StatusBoard board({SlotStatus{1, "A", "1-1", SlotState::idle, {}, 0, 0, {}}});
    const auto first = board.claim(1, SlotState::identifying);
    board.update(1, first, [](SlotStatus& s) { s.state = SlotState::scanning; });
    CHECK(board.snapshot()[0].state == SlotState::scanning);
    // The phone left; the old session's last word does not reach the slot.
    (void)board.claim(1, SlotState::idle);
    board.update(1, first, [](SlotStatus& s) { s.state = SlotState::partial; });
    CHECK(board.snapshot()[0].state == SlotState::idle);
}

TEST_CASE("scripted dock events", "[daemon][events]") {
    auto arrived = parse_script_event(
        R"({"event":"arrived","port":"1-1.2","kind":"adb","serial":"SIM1","endpoint":"tcp:127.0.0.1:40001"})");
    REQUIRE(arrived);
    CHECK(arrived->type == DockEvent::Type::arrived);
    CHECK(arrived->port == "1-1.2");
    CHECK(arrived->kind == PhoneKind::android_adb);
    CHECK(arrived->serial == "SIM1");
    CHECK(arrived->endpoint == "tcp:127.0.0.1:40001");

    auto iphone =
        parse_script_event(R"({"event":"arrived","port":"1-1.3","kind":"iphone","serial":"U"})");
    REQUIRE(iphone);
    CHECK(iphone->kind == PhoneKind::iphone);

    auto left = parse_script_event(R"({"event":"left","port":"1-1.2"})");
    REQUIRE(left);
    CHECK(left->type == DockEvent::Type::left);

    CHECK_FALSE(parse_script_event("not json"));
    CHECK_FALSE(parse_script_event(R"({"event":"arrived"})"));
    CHECK_FALSE(parse_script_event(R"({"event":"exploded","port":"1-1"})"));
    CHECK_FALSE(parse_script_event(R"({"event":"arrived","port":"1-1","kind":"nokia"})"));
}
