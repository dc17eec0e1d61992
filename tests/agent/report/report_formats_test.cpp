#include "agent/report/render.hpp"
#include "agent/report/report_model.hpp"
#include "tests/agent/report/report_fixture.hpp"
#include "tests/agent/store/store_test_support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <map>

using dockscan::agent::report_test::ReportStore;
using dockscan::agent::store_test::value_of;
using dockscan::testing::TempDir;
namespace reports = dockscan::agent::reports;
namespace report_test = dockscan::agent::report_test;

namespace {

constexpr reports::Quarter k_q4{2026, 4};
constexpr std::int64_t k_now = 1'799'748'000;

// Splits CSV text as Excel reads it: fields separated by ';', quoted fields with ""
// for a quote, records ending in CRLF.
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                rows.back().back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                rows.back().back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ';') {
            rows.back().emplace_back();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.emplace_back(1);
            ++i;
        } else {
            rows.back().back() += c;
        }
    }
    REQUIRE(rows.back() == std::vector<std::string>{""}); // the file ends with CRLF
    rows.pop_back();
    return rows;
}

using Record = std::map<std::string, std::string>;

std::vector<Record> records(const std::vector<std::vector<std::string>>& rows) {
    std::vector<Record> out;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        REQUIRE(rows[r].size() == rows[0].size());
        Record record;
        for (std::size_t i = 0; i < rows[0].size(); ++i) {
            record[rows[0][i]] = rows[r][i];
        }
        out.push_back(record);
    }
    return out;
}

void check_no_evidence(const std::string& text) {
    CHECK(text.find("-****") == std::string::npos);
    CHECK(text.find("450411") == std::string::npos);
    CHECK(text.find(report_test::k_excerpt) == std::string::npos);
    CHECK(text.find(report_test::k_item_label) == std::string::npos);
    CHECK(text.find("Karin") == std::string::npos);
    CHECK(text.find("Kontakt med MAS") == std::string::npos); // the text of "annat"
}

} // namespace

TEST_CASE("the CSV has a BOM, semicolons, one row per unit and a total, and reads back") {
    TempDir tmp;
    ReportStore fixture(tmp);
    const auto report = value_of(reports::build_report(fixture.store(), k_q4, {}, k_now));
    const std::string csv = reports::render_csv(report);
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    check_no_evidence(csv);

    const auto rows = parse_csv(std::string_view(csv).substr(3));
    // The header, 5 units, a subtotal for each of the three areas, the total.
    REQUIRE(rows.size() == 10);
    const auto& header = rows[0];
    REQUIRE(header.size() == 15 + reports::k_categories.size() + reports::k_actions.size() + 7);
    CHECK(header[0] == "Period");
    CHECK(header[1] == "Nivå");
    CHECK(header[2] == "Verksamhetsområde");
    CHECK(header[3] == "Enhet");
    CHECK(header[5] == "Skannade telefoner");
    CHECK(header[6] == "Genomförda kontroller");
    CHECK(header[8] == "Andel genomförda kontroller (%)");
    CHECK(header[14] == "Kvarstående fynd");
    CHECK(header[15] == "Fynd: Bilder på brukare");
    CHECK(header.back() == "Kommentar");

    const auto all = records(rows);
    std::map<std::string, Record> by_unit;
    for (const Record& record : all) {
        CHECK(record.at("Period") == "2026Q4");
        by_unit[record.at("Enhet")] = record;
    }
    const Record& syd = by_unit.at("Hemtjänst Syd");
    CHECK(syd.at("Nivå") == "enhet");
    CHECK(syd.at("Verksamhetsområde") == "Hemtjänst");
    CHECK(syd.at("Telefoner") == "8");
    CHECK(syd.at("Skannade telefoner") == "1");
    CHECK(syd.at("Genomförda kontroller") == "0");
    CHECK(syd.at("Andel genomförda kontroller (%)") == "0,0");
    CHECK(syd.at("Under 20 %") == "ja");
    CHECK(syd.at("Kontroller med avvikelse") == "1");
    CHECK(syd.at("Varav allvarlig avvikelse") == "1");
    CHECK(syd.at("Fynd: Hälsouppgifter") == "1");
    CHECK(syd.at("Åtgärd: Annan åtgärd") == "1");
    CHECK(syd.at("Planerade uppföljningar") == "2");
    CHECK(syd.at("Föregående period: skannade") == "1");
    CHECK(syd.at("Urval").find("10 skanningar gjordes för hand") != std::string::npos);

    const Record& nord = by_unit.at("Hemtjänst Nord");
    CHECK(nord.at("Skannade telefoner") == "6");
    CHECK(nord.at("Genomförda kontroller") == "5");
    CHECK(nord.at("Skannade endast delvis") == "1");
    CHECK(nord.at("Under 20 %") == "nej");
    CHECK(nord.at("Fynd: Övrigt") == "1");
    CHECK(nord.at("Åtgärd: Raderat från telefonen") == "2");

    const Record& sum = by_unit.at("Summa Hemtjänst");
    CHECK(sum.at("Nivå") == "verksamhetsområde");
    CHECK(sum.at("Telefoner") == "18");
    CHECK(sum.at("Skannade telefoner") == "7");
    CHECK(sum.at("Genomförda kontroller") == "5");

    CHECK(by_unit.at("Familjeenheten").at("Under 20 %") == "");
    CHECK(by_unit.at("Familjeenheten").at("Andel genomförda kontroller (%)") == "");
    CHECK(by_unit.at("Ej registrerad enhet").at("Nivå") == "ej registrerad");
    CHECK(by_unit.at("Ej registrerad enhet").at("Under 20 %") == "");

    const Record& total = all.back();
    CHECK(total.at("Nivå") == "totalt");
    CHECK(total.at("Enhet") == "Totalt");
    CHECK(total.at("Telefoner") == "23");
    CHECK(total.at("Skannade telefoner") == "9");
    CHECK(total.at("Genomförda kontroller") == "5");
    CHECK(total.at("Andel genomförda kontroller (%)") == "21,7");
    CHECK(total.at("Kontroller med avvikelse") == "5");
    CHECK(total.at("Varav allvarlig avvikelse") == "2");
    CHECK(total.at("Fynd") == "13");
    CHECK(total.at("Fynd ej bedömda") == "5");
    // The fixture records no sightings: nothing is left from earlier quarters.
    CHECK(total.at("Kvarstående fynd") == "0");
    CHECK(total.at("Fynd: Personnummer i meddelanden") == "3");
    CHECK(total.at("Planerade uppföljningar") == "4");
    CHECK(total.at("Föregående period: med avvikelse") == "2");
}

TEST_CASE("CSV fields with separators, quotes or a formula start read back as written") {
    TempDir tmp;
    auto key = dockscan::agent::store_test::new_key(tmp);
    auto store = dockscan::agent::store_test::open_store(tmp / "odd.db", key);
    report_test::exec(store, "INSERT INTO units (name, area) VALUES "
                             "('Enhet \"Ekan\"; kväll', 'SÄBO'), ('=1+1', 'SÄBO')");
    const auto report = value_of(reports::build_report(store, k_q4, {}, k_now));
    const auto csv = reports::render_csv(report);
    const auto all = records(parse_csv(std::string_view(csv).substr(3)));
    REQUIRE(all.size() == 4); // two units, the area's subtotal, the total
    CHECK(all[0].at("Enhet") == "'=1+1");
    CHECK(all[1].at("Enhet") == "Enhet \"Ekan\"; kväll");
    CHECK(all[2].at("Enhet") == "Summa SÄBO");
}

TEST_CASE("the HTML page has the numbers, the charts and no evidence") {
    TempDir tmp;
    ReportStore fixture(tmp);
    const auto report = value_of(reports::build_report(fixture.store(), k_q4, {}, k_now));
    const std::string html = reports::render_html(report);
    check_no_evidence(html);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<html lang=\"sv\">") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("http") == std::string::npos); // nothing fetched from anywhere
    CHECK(html.find("<h1>Sekretesskontroll 2026 kvartal 4</h1>") != std::string::npos);
    CHECK(html.find("Genomförd kontroll (varje fynd bedömt, eller inga fynd, inom kvartalet): "
                    "5 av 23 (22\u00a0%).") != std::string::npos);
    CHECK(html.find("5 kontroller innehåller avvikelse, varav 2 allvarliga avvikelser.") !=
          std::string::npos);
    // The per-unit row of Hemtjänst Syd, with its share marked as under 20 %.
    CHECK(html.find("<tr><td class=\"l\">Hemtjänst Syd</td><td>8</td><td>1</td><td "
                    "class=\"under\">0</td><td class=\"under\">0\u00a0%"
                    "</td><td class=\"under\">Ja</td><td>1</td><td>1</td><td>1</td>"
                    "<td>0 / 1 / 1</td></tr>") != std::string::npos);
    CHECK(html.find("<td class=\"l\">Ej registrerad enhet</td>") != std::string::npos);
    CHECK(html.find("<td class=\"l\">Personnummer i meddelanden</td><td>3</td>") !=
          std::string::npos);
    CHECK(html.find("<td class=\"l\">2026-10-20</td><td class=\"l\">Hemtjänst Syd</td>"
                    "<td class=\"l\">HS-02</td>") != std::string::npos);
    CHECK(html.find("HN-01, HN-04, HN-06, HN-09, HN-10") != std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("Kontroller med avvikelse per enhet") != std::string::npos);
}

TEST_CASE("names from the store are escaped in HTML") {
    TempDir tmp;
    auto key = dockscan::agent::store_test::new_key(tmp);
    auto store = dockscan::agent::store_test::open_store(tmp / "odd.db", key);
    report_test::exec(store, "INSERT INTO units (name, area) VALUES "
                             "('<b>Ekan</b> & \"kväll\"', 'SÄBO')");
    const auto html = reports::render_html(value_of(reports::build_report(store, k_q4, {}, k_now)));
    CHECK(html.find("<b>Ekan</b>") == std::string::npos);
    CHECK(html.find("&lt;b&gt;Ekan&lt;/b&gt; &amp; &quot;kväll&quot;") != std::string::npos);
}

TEST_CASE("the report's time is Swedish time on a server in UTC") {
    setenv("TZ", "UTC0", 1);
    tzset();
    TempDir tmp;
    auto key = dockscan::agent::store_test::new_key(tmp);
    auto store = dockscan::agent::store_test::open_store(tmp / "utc.db", key);
    struct Case {
        std::int64_t now;
        const char* shown;
    };
    // 07:53 UTC: 08:53 in Swedish winter time, 09:53 in summer time.
    const Case c = GENERATE(Case{1'796'111'580, "2026-12-01 08:53"},  // 2026-12-01T07:53:00Z
                            Case{1'781'509'980, "2026-06-15 09:53"}); // 2026-06-15T07:53:00Z
    const auto report = value_of(reports::build_report(store, k_q4, {}, c.now));
    CHECK(report.generated_at == c.shown);
    CHECK(reports::render_html(report).find(std::string("Skapad ") + c.shown) != std::string::npos);
}
