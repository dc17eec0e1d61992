// What the slots show (Swedish, never what was found), the status lines' JSON, and the
// scripted dock events' lines.

#include "agent/daemon/script_events.hpp"
#include "agent/daemon/slot_status.hpp"

#include <catch2/catch.hpp>

using namespace dockscan::agent::daemon;
using dockscan::docking::DockEvent;
using dockscan::docking::PhoneKind;
using dockscan::docking::PhoneWait;

TEST_CASE("slot texts in Swedish", "[daemon][status]") {
    SlotStatus s;
    CHECK(slot_text(s) == "Ledig");
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
    CHECK(slot_text(s) == "Skannar 120/300");
    s.state = SlotState::done_clean;
    CHECK(slot_text(s) == "Klar");
    s.state = SlotState::done_review;
    CHECK(slot_text(s) == "Klar – granskas");
    s.state = SlotState::unknown_phone;
    CHECK(slot_text(s) == "Okänd telefon – inte registrerad");
    s.state = SlotState::failed;
    s.reason = "telefonen svarar inte";
    CHECK(slot_text(s) == "Misslyckades: telefonen svarar inte");
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
    CHECK(j["text"] == "Skannar 5/9");
    auto back = slot_from_json(nlohmann::json::parse(j.dump()));
    REQUIRE(back);
    CHECK(back->slot == 3);
    CHECK(back->label == "Höger");
    CHECK(back->state == SlotState::scanning);
    CHECK(back->done == 5);
    CHECK(back->total == 9);
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
