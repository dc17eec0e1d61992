// Issue 17's report rules against a real store: scanned vs completed controls across a
// quarter boundary, a phone that moved units mid-year, the delår and the helår, the
// selection rule and the quality lead's comment.

#include "agent/report/period.hpp"
#include "agent/report/render.hpp"
#include "agent/report/report_model.hpp"
#include "agent/report/report_tables.hpp"
#include "agent/report/swedish.hpp"
#include "agent/store/inventory.hpp"
#include "agent/store/report_comments.hpp"
#include "tests/agent/report/report_fixture.hpp"
#include "tests/agent/store/store_test_support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using dockscan::agent::report_test::ReportStore;
using dockscan::agent::store_test::value_of;
using dockscan::testing::TempDir;
namespace agent = dockscan::agent;
namespace reports = dockscan::agent::reports;
namespace report_comments = dockscan::agent::report_comments;
using agent::ScanStatus;

namespace {

constexpr reports::Quarter k_q4{2026, 4};
// 2027-01-12 10:00 UTC: every period below is over.
constexpr std::int64_t k_now = 1'799'748'000;

const reports::UnitReport& unit_named(const reports::Report& report, std::string_view name) {
    for (const reports::UnitReport* unit : report.units()) {
        if (unit->name == name) {
            return *unit;
        }
    }
    FAIL("no unit " << name);
    throw std::logic_error("unreachable");
}

reports::Period period(std::string_view text) {
    return value_of(reports::parse_period(text));
}

} // namespace

TEST_CASE("periods: quarter, delår (January–August) and year, with their parts") {
    CHECK(period("2026Q4") == reports::period_of(k_q4));
    CHECK(period("2026-delår") == reports::Period{reports::PeriodKind::delar, 2026, 1});
    CHECK(period("2026-delar") == period("2026-delår"));
    CHECK(period("2026") == reports::Period{reports::PeriodKind::year, 2026, 1});
    CHECK_FALSE(reports::parse_period("2026-halvår"));
    CHECK_FALSE(reports::parse_period("26"));
    CHECK(reports::parse_period("2026Q5").error().message.find("2026-delår") != std::string::npos);

    CHECK(reports::code(period("2026-delår")) == "2026-delar");
    CHECK(reports::long_name(period("2026")) == "helår 2026");
    CHECK(reports::period_text(period("2026-delår")) == "1 januari–31 augusti 2026");
    CHECK(reports::previous(period("2026")) == period("2025"));
    CHECK(reports::default_file_name(period("2026-delår"), reports::Format::csv) ==
          "sekretesskontroll-2026-delar.csv");

    const auto delar = reports::parts(period("2026-delår"));
    REQUIRE(delar.size() == 3);
    CHECK(delar[2].label == "2026 K3 (jul–aug)");
    // Midnight on 1 September in Sweden (CEST) is 22:00 UTC on 31 August.
    CHECK(delar[2].to_utc == "2026-08-31T22:00:00Z");
    CHECK(delar[2].last_day == "2026-08-31");
    const auto year = reports::parts(period("2026"));
    REQUIRE(year.size() == 4);
    CHECK(year.front().from_utc == "2025-12-31T23:00:00Z");
    CHECK(year.back().to_utc == "2026-12-31T23:00:00Z");
}

TEST_CASE("a control is completed only when its findings were decided within the quarter") {
    TempDir tmp;
    ReportStore fixture(tmp);
    auto& store = fixture.store();
    const auto bjorken = fixture.unit("Gruppbostad Linden", "Funktionsstöd");
    std::vector<std::int64_t> f;
    // Decided on 5 January: the Q4 control was not done in time.
    const auto late = fixture.phone("GL-01", bjorken);
    fixture.scan(late, "2026-12-10T09:00:00Z", ScanStatus::complete, {"bild_pa_brukare"}, &f);
    fixture.review(f[0], "avvikelse", R"(["raderat_fran_telefonen"])", "", "",
                   "2027-01-05T09:00:00Z");
    // 23:59:59 on 31 December in Sweden: still in time.
    const auto last_second = fixture.phone("GL-02", bjorken);
    fixture.scan(last_second, "2026-12-11T09:00:00Z", ScanStatus::complete, {"skarmbild"}, &f);
    fixture.review(f[0], "ingen_avvikelse", "[]", "", "", "2026-12-31T22:59:59Z");
    // 00:00 on 1 January in Sweden: the next quarter.
    const auto midnight = fixture.phone("GL-03", bjorken);
    fixture.scan(midnight, "2026-12-12T09:00:00Z", ScanStatus::complete, {"skarmbild"}, &f);
    fixture.review(f[0], "ingen_avvikelse", "[]", "", "", "2026-12-31T23:00:00Z");
    // Decided in time first, changed in February: it was decided in time.
    const auto changed = fixture.phone("GL-04", bjorken);
    fixture.scan(changed, "2026-12-13T09:00:00Z", ScanStatus::complete, {"dokumentbild"}, &f);
    fixture.review(f[0], "avvikelse", "[]", "", "", "2026-12-20T09:00:00Z");
    fixture.review(f[0], "allvarlig_avvikelse", "[]", "", "", "2027-02-01T09:00:00Z");
    // Findings decided late, but the supervisor recorded "kontroll genomförd" in time.
    const auto controlled = fixture.phone("GL-05", bjorken);
    const auto s5 =
        fixture.scan(controlled, "2026-12-14T09:00:00Z", ScanStatus::complete, {"sarbild"}, &f);
    fixture.control(s5, "avvikelse", "2026-12-30T09:00:00Z");
    fixture.review(f[0], "avvikelse", "[]", "", "", "2027-01-03T09:00:00Z");
    fixture.phone("GL-06", bjorken);

    const auto report = value_of(reports::build_report(store, k_q4, {}, k_now));
    const auto& linden = unit_named(report, "Gruppbostad Linden");
    CHECK(linden.current.phones == 6);
    CHECK(linden.current.checked == 5);
    CHECK(linden.current.completed == 3); // GL-02, GL-04, GL-05
    CHECK(linden.not_checked == std::vector<std::string>{"GL-01", "GL-03", "GL-06"});
    // The late decision still gives the control its result.
    CHECK(linden.current.deviations == 3); // GL-01, GL-04 (newest: allvarlig), GL-05
    CHECK(linden.current.serious == 1);
    CHECK_FALSE(linden.under()); // 3 of 6

    // The next quarter does not take the late control over: the phone was not scanned in it.
    const auto q1 = value_of(
        reports::build_report(store, reports::Quarter{2027, 1}, {"Gruppbostad Linden"}, k_now));
    CHECK(q1.total.checked == 0);
    CHECK(q1.total.completed == 0);
    CHECK(q1.total.deviations == 0);
}

TEST_CASE("a phone that moved units mid-year counts for the old unit before and the new after") {
    TempDir tmp;
    ReportStore fixture(tmp, agent::report_test::Fill::nothing);
    auto& store = fixture.store();
    const auto nord = fixture.unit("Hemtjänst Nord", "Hemtjänst");
    fixture.unit("Hemtjänst Syd", "Hemtjänst");
    const auto moved = fixture.phone("HN-01", nord);
    const auto stays = fixture.phone("HN-02", nord);
    // Registered without history (as before version 8), moved on 15 May.
    value_of(agent::inventory::move_phone(store, "HN-01", "Hemtjänst Syd", "2026-05-15"));
    const auto history = value_of(agent::inventory::unit_history(store, "HN-01"));
    REQUIRE(history.size() == 2);
    CHECK(history[0].unit == "Hemtjänst Nord");
    CHECK(history[0].from_date == "0000-01-01");
    CHECK(history[1].unit == "Hemtjänst Syd");
    CHECK(history[1].from_date == "2026-05-15");

    std::vector<std::int64_t> f;
    fixture.scan(moved, "2026-02-10T09:00:00Z", ScanStatus::complete, {});
    fixture.scan(stays, "2026-04-10T09:00:00Z", ScanStatus::complete, {});
    fixture.scan(moved, "2026-08-10T09:00:00Z", ScanStatus::complete, {"bild_pa_brukare"}, &f);
    fixture.review(f[0], "avvikelse", R"(["raderat_fran_telefonen"])", "", "",
                   "2026-08-12T09:00:00Z");
    // September: in the year, after the delår.
    fixture.scan(stays, "2026-09-10T09:00:00Z", ScanStatus::complete, {"skarmbild"});

    SECTION("quarter by quarter") {
        const auto q1 =
            value_of(reports::build_report(store, reports::Quarter{2026, 1}, {}, k_now));
        CHECK(unit_named(q1, "Hemtjänst Nord").current.phones == 2);
        CHECK(unit_named(q1, "Hemtjänst Nord").current.completed == 1);
        CHECK(unit_named(q1, "Hemtjänst Syd").current.phones == 0);
        const auto q3 =
            value_of(reports::build_report(store, reports::Quarter{2026, 3}, {}, k_now));
        CHECK(unit_named(q3, "Hemtjänst Nord").current.phones == 1);
        CHECK(unit_named(q3, "Hemtjänst Nord").current.checked == 1);
        CHECK(unit_named(q3, "Hemtjänst Nord").current.completed == 0); // open finding
        CHECK(unit_named(q3, "Hemtjänst Syd").current.phones == 1);
        CHECK(unit_named(q3, "Hemtjänst Syd").current.completed == 1);
        CHECK(unit_named(q3, "Hemtjänst Syd").current.deviations == 1);
    }
    SECTION("the year: distinct phones, summed controls, the rule per quarter") {
        const auto year = value_of(reports::build_report(store, period("2026"), {}, k_now));
        const auto& n = unit_named(year, "Hemtjänst Nord");
        CHECK(n.current.phones == 2); // HN-01 until May, HN-02 all year
        CHECK(n.current.checked == 2);
        CHECK(n.current.completed == 2);
        CHECK(n.current.findings == 1); // HN-02's September finding
        CHECK(n.under_parts == std::vector<std::string>{"2026 K3", "2026 K4"});
        const auto& s = unit_named(year, "Hemtjänst Syd");
        CHECK(s.current.phones == 1);
        CHECK(s.current.completed == 1);
        CHECK(s.current.deviations == 1);
        CHECK(s.under_parts == std::vector<std::string>{"2026 K2", "2026 K4"});
        CHECK(s.under());
        // A phone in two units of one area counts once in the area and the total.
        CHECK(year.areas.at(0).current.phones == 2);
        CHECK(year.total.phones == 2);
        CHECK(year.total.checked == 2);
        CHECK(year.total.findings == 2);
        REQUIRE(year.trend.size() == 4);
        CHECK(year.trend[0].label == "2026 K1");
        CHECK(year.trend[3].label == "2026 K4");
        CHECK(year.trend[0].completed == 1);
        CHECK(year.trend[1].completed == 1);
        CHECK(year.trend[2].completed == 1);
        CHECK(year.trend[2].checked == 2);
        CHECK(year.trend[3].completed == 0);
        CHECK(reports::report_title(year) == "Sekretesskontroll helår 2026");
        // The total is held to the rule per quarter as well; the summary names the
        // quarters a unit was under in.
        CHECK(year.total_under_parts == std::vector<std::string>{"2026 K4"});
        // The table's rule cell names those quarters; the year's share is not marked.
        const auto table = reports::unit_table(year);
        const auto syd = std::find_if(table.rows.begin(), table.rows.end(), [](const auto& row) {
            return row.cells[0] == "Hemtjänst Syd";
        });
        REQUIRE(syd != table.rows.end());
        CHECK(syd->cells[4] == "100\u00a0%");
        CHECK(syd->cells[5] == "K2, K4");
        CHECK_FALSE(syd->alert[4]);
        CHECK(syd->alert[5]);
        CHECK(table.rows.back().cells[5] == "K4");
        const auto sentences = reports::summary_sentences(year);
        CHECK(std::find(sentences.begin(), sentences.end(),
                        "Under 20 procent: Hemtjänst Nord (2026 K3, 2026 K4), Hemtjänst Syd "
                        "(2026 K2, 2026 K4).") != sentences.end());
    }
    SECTION("the delår ends with August") {
        const auto delar = value_of(reports::build_report(store, period("2026-delår"), {}, k_now));
        REQUIRE(delar.trend.size() == 3);
        CHECK(delar.trend[2].label == "2026 K3 (jul–aug)");
        CHECK(delar.total.findings == 1); // not September's
        CHECK(delar.total.completed == 2);
        CHECK(unit_named(delar, "Hemtjänst Nord").current.checked == 2);
        const std::string csv = reports::render_csv(delar);
        CHECK(csv.find("\r\n2026-delar;enhet;Hemtjänst;Hemtjänst Nord;2;2;2;") !=
              std::string::npos);
        CHECK(csv.find("\r\n2026-delar;verksamhetsområde;Hemtjänst;Summa Hemtjänst;2;2;2;") !=
              std::string::npos);
    }
    SECTION("a move is refused for a date ahead or not a date") {
        const auto ahead =
            agent::inventory::move_phone(store, "HN-02", "Hemtjänst Syd", "2999-01-01");
        REQUIRE_FALSE(ahead);
        CHECK(ahead.error().code == agent::ErrorCode::usage);
        CHECK_FALSE(agent::inventory::move_phone(store, "HN-02", "Hemtjänst Syd", "2026-02-30"));
        CHECK(value_of(agent::inventory::unit_history(store, "HN-02")).empty());
    }
}

TEST_CASE("the report states how phones were selected and carries the unit's comment") {
    TempDir tmp;
    ReportStore fixture(tmp);
    auto& store = fixture.store();
    agent::report_test::exec(
        store, "INSERT INTO dockings (slot, backend, serial, phone_id, scan_id, docked_at, "
               "outcome, selection, selection_share) SELECT 1, 'adb', 'S1', phone_id, id, "
               "started_at, 'complete', 'quota', 0.2 FROM scans WHERE started_at >= "
               "'2026-11-01' AND started_at < '2026-12-01'");
    agent::report_test::exec(
        store, "INSERT INTO dockings (slot, backend, serial, phone_id, docked_at, outcome, "
               "selection, selection_share) VALUES (2, 'adb', 'S2', 1, '2026-11-20T10:00:00Z', "
               "'not_sampled', 'quota', 0.2)");
    value_of(report_comments::set(store, "Hemtjänst Syd", "2026Q4",
                                  "Två telefoner saknades; åtgärdat på APT.", "karin"));
    value_of(report_comments::set(store, "Hemtjänst Syd", "2026", "Helårets text.", "karin"));
    const auto report = value_of(reports::build_report(store, k_q4, {}, k_now));
    CHECK(reports::selection_text(report) ==
          "Urval: slumpvis urval med kvot, minst 20\u00a0% av varje enhets telefoner per "
          "kvartal (5 dockningar). 7 skanningar gjordes för hand (dockscan scan), utan "
          "stationens urval.");
    CHECK(unit_named(report, "Hemtjänst Syd").comment ==
          "Två telefoner saknades; åtgärdat på APT.");
    CHECK(unit_named(report, "Hemtjänst Nord").comment.empty());
    const std::string csv = reports::render_csv(report);
    CHECK(csv.find(";\"Två telefoner saknades; åtgärdat på APT.\"\r\n") != std::string::npos);

    // Cleared with an empty text; the old wording stays in the append-only table.
    value_of(report_comments::set(store, "Hemtjänst Syd", "2026Q4", "", "karin"));
    const auto cleared = value_of(reports::build_report(store, k_q4, {}, k_now));
    CHECK(unit_named(cleared, "Hemtjänst Syd").comment.empty());
    const auto unknown = report_comments::set(store, "Hemtjänst Väst", "2026Q4", "x", "karin");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == agent::ErrorCode::config);
    const auto long_text =
        report_comments::set(store, "Hemtjänst Syd", "2026Q4",
                             std::string(report_comments::k_max_comment + 1, 'a'), "karin");
    REQUIRE_FALSE(long_text);
    CHECK(long_text.error().code == agent::ErrorCode::usage);
}
