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
    REQUIRE(rows.size() == 7); // header, 5 units, total
    const auto& header = rows[0];
    REQUIRE(header.size() == 13 + reports::k_categories.size() + reports::k_actions.size() + 4);
    CHECK(header[0] == "kvartal");
    CHECK(header[3] == "enhet");
    CHECK(header[7] == "andel_kontrollerade_procent");
    CHECK(header[13] == "fynd_bild_pa_brukare");
    CHECK(header.back() == "foregaende_kvartal_allvarlig_avvikelse");

    const auto all = records(rows);
    std::map<std::string, Record> by_unit;
    for (const Record& record : all) {
        CHECK(record.at("kvartal") == "2026Q4");
        by_unit[record.at("enhet")] = record;
    }
    const Record& syd = by_unit.at("Hemtjänst Syd");
    CHECK(syd.at("niva") == "enhet");
    CHECK(syd.at("verksamhetsomrade") == "Hemtjänst");
    CHECK(syd.at("telefoner") == "8");
    CHECK(syd.at("kontrollerade") == "1");
    CHECK(syd.at("andel_kontrollerade_procent") == "12,5");
    CHECK(syd.at("under_20_procent") == "ja");
    CHECK(syd.at("kontroller_med_avvikelse") == "1");
    CHECK(syd.at("varav_allvarlig_avvikelse") == "1");
    CHECK(syd.at("fynd_halsouppgift") == "1");
    CHECK(syd.at("atgard_annat") == "1");
    CHECK(syd.at("planerade_uppfoljningar") == "2");
    CHECK(syd.at("foregaende_kvartal_kontrollerade") == "1");

    const Record& nord = by_unit.at("Hemtjänst Nord");
    CHECK(nord.at("kontrollerade") == "6");
    CHECK(nord.at("kontrollerade_endast_delvis") == "1");
    CHECK(nord.at("under_20_procent") == "nej");
    CHECK(nord.at("fynd_ovrigt") == "1");
    CHECK(nord.at("atgard_raderat_fran_telefonen") == "2");

    CHECK(by_unit.at("Familjeenheten").at("under_20_procent") == "");
    CHECK(by_unit.at("Familjeenheten").at("andel_kontrollerade_procent") == "");
    CHECK(by_unit.at("Ej registrerad enhet").at("niva") == "ej_registrerad");
    CHECK(by_unit.at("Ej registrerad enhet").at("under_20_procent") == "");

    const Record& total = all.back();
    CHECK(total.at("niva") == "totalt");
    CHECK(total.at("enhet") == "Totalt");
    CHECK(total.at("telefoner") == "23");
    CHECK(total.at("kontrollerade") == "9");
    CHECK(total.at("andel_kontrollerade_procent") == "39,1");
    CHECK(total.at("kontroller_med_avvikelse") == "5");
    CHECK(total.at("varav_allvarlig_avvikelse") == "2");
    CHECK(total.at("fynd") == "13");
    CHECK(total.at("fynd_ej_bedomda") == "5");
    CHECK(total.at("fynd_personnummer_i_meddelande") == "3");
    CHECK(total.at("planerade_uppfoljningar") == "4");
    CHECK(total.at("foregaende_kvartal_med_avvikelse") == "2");
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
    REQUIRE(all.size() == 3);
    CHECK(all[0].at("enhet") == "'=1+1");
    CHECK(all[1].at("enhet") == "Enhet \"Ekan\"; kväll");
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
    CHECK(html.find("Kontroll av bild och meddelande har gjorts i 9 av 23 telefoner "
                    "(39\u00a0%).") != std::string::npos);
    CHECK(html.find("5 kontroller innehåller avvikelse, varav 2 allvarliga avvikelser.") !=
          std::string::npos);
    // The per-unit row of Hemtjänst Syd, with its share marked as under 20 %.
    CHECK(html.find("<tr><td class=\"l\">Hemtjänst Syd</td><td>8</td><td>1</td><td "
                    "class=\"under\">13\u00a0%"
                    "</td><td class=\"under\">Ja</td><td>1</td><td>1</td><td>1</td>"
                    "<td>1 / 1 / 1</td></tr>") != std::string::npos);
    CHECK(html.find("<td class=\"l\">Ej registrerad enhet</td>") != std::string::npos);
    CHECK(html.find("<td class=\"l\">Personnummer i meddelanden</td><td>3</td>") !=
          std::string::npos);
    CHECK(html.find("<td class=\"l\">2026-10-20</td><td class=\"l\">Hemtjänst Syd</td>"
                    "<td class=\"l\">HS-02</td>") != std::string::npos);
    CHECK(html.find("HN-04, HN-06, HN-09, HN-10") != std::string::npos);
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
