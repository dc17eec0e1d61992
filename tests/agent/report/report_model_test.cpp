#include "agent/report/report_model.hpp"
#include "agent/report/swedish.hpp"
#include "agent/store/follow_up.hpp"
#include "tests/agent/report/report_fixture.hpp"
#include "tests/agent/store/store_test_support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using dockscan::agent::report_test::ReportStore;
using dockscan::agent::store_test::value_of;
using dockscan::testing::TempDir;
namespace reports = dockscan::agent::reports;

namespace {

constexpr reports::Quarter k_q4{2026, 4};
// A fixed "now" (2027-01-12 10:00 UTC): the report is made after the quarter.
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

std::size_t category(std::string_view code) {
    for (std::size_t i = 0; i < reports::k_categories.size(); ++i) {
        if (reports::k_categories[i].code == code) {
            return i;
        }
    }
    FAIL("no category " << code);
    return 0;
}

} // namespace

TEST_CASE("the report counts phones, checks and deviations per unit by the documented rules") {
    TempDir tmp;
    ReportStore fixture(tmp);
    const auto report = value_of(reports::build_report(fixture.store(), k_q4, {}, k_now));
    CHECK(report.generated_at == "2027-01-12 11:00");

    // Areas in Swedish order, the unregistered phones last.
    REQUIRE(report.areas.size() == 4);
    CHECK(report.areas[0].name == "Funktionsstöd");
    CHECK(report.areas[1].name == "Hemtjänst");
    CHECK(report.areas[2].name == "IFO");
    CHECK(report.areas[3].name == "Ej registrerad enhet");
    REQUIRE(report.areas[1].units.size() == 2);
    CHECK(report.areas[1].units[0].name == "Hemtjänst Nord");
    CHECK(report.areas[1].units[1].name == "Hemtjänst Syd");

    const auto& nord = unit_named(report, "Hemtjänst Nord");
    CHECK(nord.current.phones == 10);
    // HN-01, 02, 03 (partial), 05 (00:30 on 1 October), 07 (twice), 08; not HN-04
    // (failed) nor HN-06 (00:30 on 1 January).
    CHECK(nord.current.checked == 6);
    CHECK(nord.current.partial_only == 1);
    // Completed within the quarter: HN-02, 03, 05 (no findings), 07, 08; not HN-01,
    // whose photo and unknown-category findings are still open.
    CHECK(nord.current.completed == 5);
    CHECK(*reports::share_percent(nord.current) == Approx(50.0));
    CHECK(*reports::scanned_percent(nord.current) == Approx(60.0));
    CHECK_FALSE(nord.under());
    // HN-01 allvarlig; HN-03 avvikelse; HN-05 by its newest control; HN-07 by its second
    // scan. Not HN-02 (changed to ingen) nor HN-08 (the control clears it).
    CHECK(nord.current.deviations == 4);
    CHECK(nord.current.serious == 1);
    CHECK(nord.current.findings == 9);
    CHECK(nord.current.open_findings == 2);
    CHECK(nord.current.follow_ups == 2);
    CHECK(nord.not_checked ==
          std::vector<std::string>{"HN-01", "HN-04", "HN-06", "HN-09", "HN-10"});

    const auto& syd = unit_named(report, "Hemtjänst Syd");
    CHECK(syd.current.phones == 8);
    CHECK(syd.current.checked == 1);
    CHECK(syd.current.completed == 0); // HS-01 has an open finding
    CHECK(syd.under());
    CHECK(syd.under_parts == std::vector<std::string>{"2026 K4"});
    CHECK(reports::share_text(syd.current) == "0\u00a0%");
    CHECK(syd.current.deviations == 1);
    CHECK(syd.current.serious == 1);
    CHECK(syd.not_checked.size() == 8);

    const auto& bjorken = unit_named(report, "Gruppbostad Björken");
    CHECK(bjorken.current.phones == 4);
    CHECK(bjorken.current.checked == 1);
    // Scanned 1 of 4 (25 %), but its finding is still open: no completed control, so
    // the unit is under the rule however many phones the station scanned.
    CHECK(bjorken.current.completed == 0);
    CHECK(bjorken.under());
    CHECK(bjorken.current.deviations == 0); // its only finding is still open
    CHECK(bjorken.current.open_findings == 1);
    CHECK(bjorken.not_checked == std::vector<std::string>{"GB-01", "GB-02", "GB-03", "GB-04"});

    const auto& familj = unit_named(report, "Familjeenheten");
    CHECK(familj.current.phones == 0);
    CHECK_FALSE(familj.under());
    CHECK(reports::share_text(familj.current) == "–");

    const auto& unregistered = unit_named(report, "Ej registrerad enhet");
    CHECK_FALSE(unregistered.registered);
    CHECK(unregistered.current.phones == 1);
    CHECK(unregistered.current.checked == 1);
    CHECK(unregistered.current.completed == 0);
    CHECK_FALSE(unregistered.under()); // the rule holds units
    CHECK(unregistered.not_checked == std::vector<std::string>{"Okänd telefon"});

    const auto& hemtjanst = report.areas[1];
    CHECK(hemtjanst.current.phones == 18);
    CHECK(hemtjanst.current.checked == 7);
    CHECK(hemtjanst.current.completed == 5);
    CHECK(hemtjanst.current.deviations == 5);
    CHECK(hemtjanst.current.serious == 2);
}

TEST_CASE("the report's total, categories, actions, follow-ups and trend") {
    TempDir tmp;
    ReportStore fixture(tmp);
    const auto report = value_of(reports::build_report(fixture.store(), k_q4, {}, k_now));
    const auto& total = report.total;
    CHECK(total.phones == 23);
    CHECK(total.checked == 9);
    CHECK(total.completed == 5);
    CHECK(reports::share_text(total) == "22\u00a0%");
    CHECK_FALSE(reports::under_rule(total));
    CHECK(total.deviations == 5);
    CHECK(total.serious == 2);
    CHECK(total.findings == 13);
    CHECK(total.open_findings == 5);

    const auto& c = total.categories;
    CHECK(c[category("personnummer_i_meddelande")].findings == 3);
    CHECK(c[category("personnummer_i_meddelande")].open == 1);
    CHECK(c[category("personnummer_i_meddelande")].deviation == 2);
    CHECK(c[category("personnummer_i_meddelande")].serious == 1);
    CHECK(c[category("bild_pa_brukare")].findings == 1); // not the failed scan's, nor 2027's
    CHECK(c[category("kontakt_med_fullstandigt_namn")].findings == 1);
    CHECK(c[category("kontakt_med_fullstandigt_namn")].deviation == 0);
    CHECK(c[category("sarbild")].findings == 1);
    CHECK(c[category("skarmbild")].deviation == 1);
    CHECK(c[category("dokumentbild")].deviation == 1);
    // A finding's own decision counts in its category even where a control overrides
    // the phone's result.
    CHECK(c[category("namn_i_meddelande")].serious == 1);
    CHECK(c[category("halsouppgift")].serious == 1);
    CHECK(c[category("personnummer_i_kontakt")].open == 1);
    CHECK(c[category("personnummer_i_bild")].open == 1);
    CHECK(c[category("ovrigt")].findings == 1); // "framtida_kategori"

    // Per control: HN-01 and HN-07 deleted; HN-01 and HS-01 talked; HN-03 reminded;
    // HS-01 other. HN-02's first decision had a deletion, but its newest has none.
    CHECK(total.actions == std::array<std::int64_t, 4>{2, 2, 1, 1});

    REQUIRE(report.follow_ups.size() == 4);
    CHECK(report.follow_ups[0].date == "2026-10-20");
    CHECK(report.follow_ups[0].unit == "Hemtjänst Syd");
    CHECK(report.follow_ups[0].phone == "HS-02");
    CHECK(report.follow_ups[1].date == "2026-11-20");
    CHECK(report.follow_ups[1].phone == "HS-01");
    CHECK(report.follow_ups[2].date == "2026-12-01");
    CHECK(report.follow_ups[2].phone == "HN-03");
    CHECK(report.follow_ups[3].date == "2027-01-15");
    CHECK(report.follow_ups[3].phone == "HN-01");

    REQUIRE(report.trend.size() == 4);
    CHECK(report.trend[0].label == "2026 K1");
    CHECK(report.trend[3].label == "2026 K4");
    CHECK_FALSE(report.trend[2].current);
    CHECK(report.trend[3].current);
    CHECK(report.trend[3].completed == 5);
    // Q3: HN-02 had no findings; HN-01's and HS-02's findings were decided in Q4, too
    // late for Q3.
    CHECK(report.trend[2].completed == 1);
    const auto checked = [&](std::size_t i) { return report.trend[i].checked; };
    const auto deviations = [&](std::size_t i) { return report.trend[i].deviations; };
    const auto serious = [&](std::size_t i) { return report.trend[i].serious; };
    CHECK((checked(0) == 0 && deviations(0) == 0 && serious(0) == 0));
    CHECK((checked(1) == 2 && deviations(1) == 0 && serious(1) == 0));
    CHECK((checked(2) == 3 && deviations(2) == 2 && serious(2) == 1));
    CHECK((checked(3) == 9 && deviations(3) == 5 && serious(3) == 2));
    CHECK(report.total_previous.checked == 3);
    CHECK(report.total_previous.deviations == 2);
    CHECK(report.total_previous.serious == 1);

    const auto sentences = reports::summary_sentences(report);
    REQUIRE(sentences.size() == 5);
    CHECK(sentences[0] == "Skannade telefoner: 9 av 23 telefoner. Genomförd kontroll (varje "
                          "fynd bedömt, eller inga fynd, inom kvartalet): 5 av 23 (22\u00a0%).");
    CHECK(sentences[1] == "1 telefon skannades bara delvis.");
    CHECK(sentences[2] == "5 kontroller innehåller avvikelse, varav 2 allvarliga avvikelser.");
    CHECK(sentences[3] ==
          "Under 20 procent: Gruppbostad Björken (0 av 4), Hemtjänst Syd (0 av 8).");
    CHECK(sentences[4] == "5 fynd är ännu inte bedömda.");
}

TEST_CASE("a report for named units leaves out the others and the unregistered phones") {
    TempDir tmp;
    ReportStore fixture(tmp);
    const auto report =
        value_of(reports::build_report(fixture.store(), k_q4, {"Hemtjänst Syd"}, k_now));
    REQUIRE(report.units().size() == 1);
    CHECK(report.total.phones == 8);
    CHECK(report.total.checked == 1);
    CHECK(reports::under_rule(report.total));
    CHECK(report.total.deviations == 1);
    CHECK(report.total_previous.checked == 1);
    CHECK(report.total_previous.serious == 1);
    REQUIRE(report.follow_ups.size() == 2);
    CHECK(reports::scope_text(report) == "Hemtjänst Syd");

    const auto unknown = reports::build_report(fixture.store(), k_q4, {"Hemtjänst Väst"}, k_now);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == dockscan::agent::ErrorCode::usage);
    CHECK(unknown.error().message.find("Hemtjänst Väst") != std::string::npos);
}

TEST_CASE("a store without units or scans gives a report of zeros, not an error") {
    TempDir tmp;
    auto key = dockscan::agent::store_test::new_key(tmp);
    auto store = dockscan::agent::store_test::open_store(tmp / "empty.db", key);
    const auto report = value_of(reports::build_report(store, k_q4, {}, k_now));
    CHECK(report.areas.empty());
    CHECK(report.total.phones == 0);
    CHECK(report.follow_ups.empty());
    const auto sentences = reports::summary_sentences(report);
    REQUIRE(sentences.size() == 2);
    CHECK(sentences[1] == "Ingen kontroll innehåller avvikelse.");
}

TEST_CASE("a phone retired before a quarter does not count among its unit's phones") {
    TempDir tmp;
    ReportStore fixture(tmp, dockscan::agent::report_test::Fill::nothing);
    const auto unit = fixture.unit("Hemtjänst Öst", "Hemtjänst");
    for (const char* label : {"HT-O-1", "HT-O-2", "HT-O-3", "HT-O-4", "HT-O-5"}) {
        fixture.phone(label, unit);
    }
    // Out of service from the quarter's first day: one of four; retired during the
    // quarter: still one of its phones.
    dockscan::agent::report_test::exec(fixture.store(),
                                       "UPDATE phones SET retired_on = '2026-10-01' WHERE label = "
                                       "'HT-O-1'; UPDATE phones SET retired_on = '2026-11-15' "
                                       "WHERE label = 'HT-O-2'");
    const auto report = value_of(reports::build_report(fixture.store(), k_q4, {}, k_now));
    REQUIRE(report.areas.size() == 1);
    REQUIRE(report.areas[0].units.size() == 1);
    CHECK(report.areas[0].units[0].current.phones == 4);
    CHECK(report.total.phones == 4);
}

TEST_CASE("a finding still on the phone in later quarters counts there as kvarstående, once a "
          "year") {
    TempDir tmp;
    ReportStore fixture(tmp, dockscan::agent::report_test::Fill::nothing);
    const auto unit = fixture.unit("Hemtjänst Öst", "Hemtjänst");
    const auto phone = fixture.phone("HT-O-1", unit);
    std::vector<std::int64_t> found;
    // Found in Q2, and seen again by a scan in Q3 and one in Q4.
    fixture.scan(phone, "2026-05-12T08:00:00Z", dockscan::agent::ScanStatus::complete,
                 {"personnummer_i_meddelande"}, &found);
    REQUIRE(found.size() == 1);
    // Recorded when it was found (the fixture dates scans, not findings).
    dockscan::agent::report_test::exec(fixture.store(),
                                       "UPDATE findings SET created_at = '2026-05-12T08:05:00Z' "
                                       "WHERE id = " +
                                           std::to_string(found[0]));
    const auto in_q3 =
        fixture.scan(phone, "2026-08-20T08:00:00Z", dockscan::agent::ScanStatus::complete, {});
    const auto in_q4 =
        fixture.scan(phone, "2026-11-20T08:00:00Z", dockscan::agent::ScanStatus::complete, {});
    value_of(dockscan::agent::follow_up::record_sightings(fixture.store(), in_q3, {found[0]}));
    value_of(dockscan::agent::follow_up::record_sightings(fixture.store(), in_q4, {found[0]}));

    auto remaining_in = [&](std::string_view period) {
        const auto parsed = value_of(reports::parse_period(period));
        const auto report = value_of(reports::build_report(fixture.store(), parsed, {}, k_now));
        REQUIRE(report.areas.size() == 1);
        CHECK(report.areas[0].units[0].current.remaining == report.total.remaining);
        return report;
    };
    CHECK(remaining_in("2026Q2").total.remaining == 0); // its own quarter
    CHECK(remaining_in("2026Q3").total.remaining == 1);
    const auto q4 = remaining_in("2026Q4");
    CHECK(q4.total.remaining == 1);
    const auto sentences = reports::summary_sentences(q4);
    CHECK(std::find(sentences.begin(), sentences.end(),
                    "1 fynd från ett tidigare kvartal fanns kvar på telefonen (kvarstående).") !=
          sentences.end());
    // Over the year it is one finding left on the phone, not two.
    CHECK(remaining_in("2026").total.remaining == 1);
}
