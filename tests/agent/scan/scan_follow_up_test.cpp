// The phone confirms the action: a finding decided with "Raderat från telefonen" is
// checked at the phone's next scan, by its ref and the hash of its content, even when
// the item looks unchanged by size and mtime.

#include "agent/scan/scan_pipeline.hpp"
#include "agent/scan/sources.hpp"
#include "agent/store/follow_up.hpp"
#include "agent/store/review_queries.hpp"
#include "agent/store/sql_source.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

using namespace dockscan;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;

namespace {

// Skatteverket's published test numbers (see shared/conformance/personnummer-meta).
constexpr const char* k_note = "Överlämning: Gunnar pnr 19320102-7723 har ny medicin.\n";
constexpr const char* k_other_note = "Handla mjölk och ringa apoteket i morgon.\n";
constexpr const char* k_sms = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
                              "<smses count=\"1\">\n"
                              "<sms address=\"+46701234502\" date=\"1795161720000\" type=\"1\" "
                              "body=\"Hennes personnummer är 120506-2399 om ni behöver det.\" />\n"
                              "</smses>\n";

const agent::review::Viewer k_everyone{0, true};

struct Station {
    TempDir tmp;
    agent::Store store;
    std::int64_t phone_id = 0;

    static agent::Store make_store(const TempDir& tmp) {
        auto key = agent::StoreKey::create_file(tmp / "store.key");
        REQUIRE(key);
        auto store = agent::Store::open(tmp / "dockscan.db", *key, agent::OpenMode::create);
        REQUIRE(store);
        return std::move(*store);
    }

    Station() : store(make_store(tmp)) {
        agent::PhoneIdentity phone;
        phone.label = "Telefon 1";
        auto id = store.upsert_phone(phone);
        REQUIRE(id);
        phone_id = *id;
    }

    agent::ScanSummary scan(const std::filesystem::path& folder) {
        auto source = agent::open_source(folder.string());
        REQUIRE(source);
        auto summary =
            agent::run_scan(**source, store, phone_id, agent::ScanOptions{}, std::stop_token{});
        INFO((summary ? std::string() : summary.error().message));
        REQUIRE(summary);
        return *summary;
    }

    // The review's reads, on this store.
    agent::sql::StoreSource& source() {
        if (!m_source) {
            m_source.emplace(store);
        }
        return *m_source;
    }
    std::optional<agent::sql::StoreSource> m_source;

    std::vector<agent::review::ReviewFinding> open_findings() {
        auto rows = agent::review::findings(source(), k_everyone, agent::review::Filter::open);
        REQUIRE(rows);
        return *rows;
    }

    void decide(std::int64_t finding_id, std::vector<std::string> actions) {
        agent::review::NewDecision d;
        d.finding_id = finding_id;
        d.decision = "avvikelse";
        d.actions = std::move(actions);
        d.reviewer = "anna.berg";
        REQUIRE(agent::review::add_decision(store, d));
    }

    std::vector<agent::follow_up::Entry> follow_ups() {
        auto rows = agent::follow_up::entries(store, k_everyone, "2026-12-07");
        REQUIRE(rows);
        return *rows;
    }
};

// A phone folder with one note that holds a personnummer: one finding.
std::int64_t scan_note_and_remove_it(Station& station, const std::filesystem::path& phone) {
    write_file(phone / "Documents" / "overlamning.txt", k_note);
    write_file(phone / "Documents" / "inkop.txt", k_other_note);
    const agent::ScanSummary first = station.scan(phone);
    REQUIRE(first.findings == 1);
    const auto open = station.open_findings();
    REQUIRE(open.size() == 1);
    station.decide(open.front().row.id, {"raderat_fran_telefonen"});
    REQUIRE(station.open_findings().empty());
    return open.front().row.id;
}

} // namespace

TEST_CASE("a removal is verified when the next scan no longer lists the item") {
    Station station;
    const auto phone = station.tmp / "phone";
    const std::int64_t id = scan_note_and_remove_it(station, phone);
    REQUIRE(station.follow_ups().at(0).state == agent::follow_up::State::awaiting_check);

    std::filesystem::remove(phone / "Documents" / "overlamning.txt");
    const agent::ScanSummary second = station.scan(phone);
    CHECK(second.removals_verified == 1);
    CHECK(second.removals_still_there == 0);

    const auto entries = station.follow_ups();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].finding_id == id);
    CHECK(entries[0].state == agent::follow_up::State::verified);
    CHECK(entries[0].check_scan_id == second.scan_id);
    CHECK(entries[0].checked_at.size() == 20);
    CHECK(station.open_findings().empty());

    // Checked once: a third docking does not check the same decision again.
    const agent::ScanSummary third = station.scan(phone);
    CHECK(third.removals_verified == 0);
}

TEST_CASE("an unchanged item whose removal was decided is read again and reopens as still "
          "there") {
    Station station;
    const auto phone = station.tmp / "phone";
    const std::int64_t id = scan_note_and_remove_it(station, phone);

    // Nothing changed on the phone: size and mtime would skip the note.
    const agent::ScanSummary second = station.scan(phone);
    CHECK(second.removals_still_there == 1);
    CHECK(second.removals_verified == 0);
    CHECK(second.counts.unchanged == 2); // re-read and compared, not analysed again
    CHECK(second.findings == 0);         // no duplicate finding

    const auto open = station.open_findings();
    REQUIRE(open.size() == 1);
    CHECK(open[0].row.id == id);
    CHECK_FALSE(open[0].still_there_at.empty());
    REQUIRE(open[0].latest);
    CHECK(open[0].latest->actions == std::vector<std::string>{"raderat_fran_telefonen"});
    const auto entries = station.follow_ups();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].state == agent::follow_up::State::still_there);

    // The supervisor decides again: closed, and the new decision is checked at the next
    // docking, where the note is finally gone.
    station.decide(id, {"raderat_fran_telefonen", "samtal_med_medarbetare"});
    CHECK(station.open_findings().empty());
    CHECK(station.follow_ups().at(0).state == agent::follow_up::State::awaiting_check);
    std::filesystem::remove(phone / "Documents" / "overlamning.txt");
    CHECK(station.scan(phone).removals_verified == 1);
    CHECK(station.follow_ups().at(0).state == agent::follow_up::State::verified);
}

TEST_CASE("other content under the same ref counts as removed, and is analysed as new") {
    // What a supervisor expects: the note they decided on is gone; if the edited note
    // still holds a personnummer, that is a new finding to decide, not an old one
    // silently "verified" or silently kept open.
    Station station;
    const auto phone = station.tmp / "phone";
    const std::int64_t id = scan_note_and_remove_it(station, phone);

    SECTION("the number was taken out of the note") {
        write_file(phone / "Documents" / "overlamning.txt",
                   "Överlämning: Gunnar har ny medicin.\n");
        const agent::ScanSummary second = station.scan(phone);
        CHECK(second.removals_verified == 1);
        CHECK(second.findings == 0);
        CHECK(station.open_findings().empty());
    }
    SECTION("the note was rewritten and still holds a number") {
        write_file(phone / "Documents" / "overlamning.txt",
                   "Gunnar 19320102-7723: medicinen är hämtad, se listan.\n");
        const agent::ScanSummary second = station.scan(phone);
        CHECK(second.removals_verified == 1);
        CHECK(second.findings == 1);
        const auto open = station.open_findings();
        REQUIRE(open.size() == 1);
        CHECK(open[0].row.id != id);
        CHECK(open[0].still_there_at.empty());
    }
    CHECK(station.follow_ups().at(0).state == agent::follow_up::State::verified);
}

TEST_CASE("a source that cannot see the item's type leaves the removal to be checked") {
    Station station;
    write_file(station.tmp / "full" / "SMSBackupRestore" / "sms-20261120.xml", k_sms);
    REQUIRE(station.scan(station.tmp / "full").findings == 1);
    const auto open = station.open_findings();
    REQUIRE(open.size() == 1);
    station.decide(open[0].row.id, {"raderat_fran_telefonen"});

    // A folder copy of the notes only says nothing about the messages.
    write_file(station.tmp / "notes" / "Documents" / "inkop.txt", k_other_note);
    const agent::ScanSummary notes = station.scan(station.tmp / "notes");
    CHECK(notes.removals_verified == 0);
    CHECK(station.follow_ups().at(0).state == agent::follow_up::State::awaiting_check);

    // The same source again, without the message: now it is known to be gone.
    std::filesystem::remove(station.tmp / "full" / "SMSBackupRestore" / "sms-20261120.xml");
    write_file(station.tmp / "full" / "Documents" / "inkop.txt", k_other_note);
    CHECK(station.scan(station.tmp / "full").removals_verified == 1);
    CHECK(station.follow_ups().at(0).state == agent::follow_up::State::verified);
}

TEST_CASE("a decision without a removal action is not checked, but its follow-up date is "
          "listed") {
    Station station;
    const auto phone = station.tmp / "phone";
    write_file(phone / "Documents" / "overlamning.txt", k_note);
    station.scan(phone);
    const auto open = station.open_findings();
    REQUIRE(open.size() == 1);
    agent::review::NewDecision d;
    d.finding_id = open[0].row.id;
    d.decision = "avvikelse";
    d.actions = {"samtal_med_medarbetare"};
    d.follow_up = "2026-12-01";
    d.reviewer = "anna.berg";
    REQUIRE(agent::review::add_decision(station.store, d));

    const agent::ScanSummary second = station.scan(phone);
    CHECK(second.removals_still_there == 0);
    CHECK(second.counts.unchanged == 1);
    CHECK(station.open_findings().empty());
    const auto entries = station.follow_ups();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].state == agent::follow_up::State::overdue); // today is 2026-12-07 here
}
