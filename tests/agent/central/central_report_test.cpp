// The quality lead's report for the whole municipality from the central PostgreSQL
// (`dockscan report --central`): two stations scan their phones, sync with
// `dockscan central sync`, and one report adds them up, a unit whose phones dock at
// both stations counted once.

#include "agent/central/central_schema.hpp"
#include "agent/report/quarter.hpp"
#include "agent/store/review_queries.hpp"
#include "agent/store/store.hpp"
#include "base/time.hpp"
#include "tests/agent/central/pg_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace dockscan::agent::central_test {
namespace {

using testing::dockscan_exe;
using testing::run_process;
using testing::TempDir;
using testing::write_file;

// A station's folder (central_test_support.hpp): its config's path.
std::string make_station(PgCluster& pg, const TempDir& dir, const std::string& name,
                         const std::string& role) {
    return (make_station_folder(pg, dir, name, role) / "dockscan.toml").string();
}

void ok(const std::vector<std::string>& args) {
    const auto done = run_process(args);
    INFO(done.err);
    REQUIRE(done.exit_code == 0);
}

// The CSV report's rows by level and name: "enhet/Hemtjänst Norr", "totalt/Totalt".
std::map<std::string, std::map<std::string, std::string>> parse_csv(std::string text) {
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
        text.erase(0, 3);
    }
    std::vector<std::vector<std::string>> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        std::vector<std::string> fields;
        std::string field;
        std::istringstream cells(line);
        while (std::getline(cells, field, ';')) {
            fields.push_back(field);
        }
        lines.push_back(fields);
    }
    REQUIRE(lines.size() > 1);
    std::map<std::string, std::map<std::string, std::string>> rows;
    for (std::size_t r = 1; r < lines.size(); ++r) {
        std::map<std::string, std::string> row;
        for (std::size_t c = 0; c < lines[0].size() && c < lines[r].size(); ++c) {
            row[lines[0][c]] = lines[r][c];
        }
        rows[row["Nivå"] + "/" + row["Enhet"]] = row;
    }
    return rows;
}

TEST_CASE("dockscan report --central counts every unit of two stations as one municipality") {
    PgCluster pg;
    TempDir dir;
    add_norr_and_soder(pg);
    // Skatteverket's test personnummer in a note; a phone with nothing to find.
    const auto with_number = dir / "phone-with-number";
    write_file(with_number / "Documents" / "anteckning.txt",
               "Ring anhörig till 450411-8359 i morgon");
    const auto clean = dir / "phone-clean";
    write_file(clean / "Documents" / "inkop.txt", "Mjölk, bröd och kaffe till fikat");

    // Norr: Hemtjänst Norr (HT-01 with a finding nobody decided, HT-02 not docked) and
    // Gruppbostad Linden (GB-01, never docked: under the 20 % rule).
    const std::string norr = make_station(pg, dir, "norr", "station_norr");
    ok({dockscan_exe(), "units", "add", "Hemtjänst Norr", "--area", "Hemtjänst", "--config", norr});
    ok({dockscan_exe(), "units", "add", "Gruppbostad Linden", "--area", "Funktionsstöd", "--config",
        norr});
    for (const auto& [label, unit] :
         {std::pair{"HT-01", "Hemtjänst Norr"}, std::pair{"HT-02", "Hemtjänst Norr"},
          std::pair{"GB-01", "Gruppbostad Linden"}}) {
        ok({dockscan_exe(), "phones", "add", label, "--serial", std::string("SER-") + label,
            "--unit", unit, "--config", norr});
    }
    ok({dockscan_exe(), "scan", with_number.string(), "--phone", "HT-01", "--config", norr});

    // Söder: the same unit Hemtjänst Norr (HT-03, clean; HT-02, registered at both
    // stations by its serial, docked here), and SÄBO Eken with five phones: SE-01 clean,
    // SE-02 with a finding decided as avvikelse.
    const std::string soder = make_station(pg, dir, "soder", "station_soder");
    ok({dockscan_exe(), "units", "add", "Hemtjänst Norr", "--area", "Hemtjänst", "--config",
        soder});
    ok({dockscan_exe(), "units", "add", "SÄBO Eken", "--area", "SÄBO", "--config", soder});
    for (const char* label : {"HT-02", "HT-03"}) {
        ok({dockscan_exe(), "phones", "add", label, "--serial", std::string("SER-") + label,
            "--unit", "Hemtjänst Norr", "--config", soder});
    }
    ok({dockscan_exe(), "scan", clean.string(), "--phone", "HT-02", "--config", soder});
    for (int i = 1; i <= 5; ++i) {
        const std::string label = "SE-0" + std::to_string(i);
        ok({dockscan_exe(), "phones", "add", label, "--serial", "SER-" + label, "--unit",
            "SÄBO Eken", "--config", soder});
    }
    ok({dockscan_exe(), "scan", clean.string(), "--phone", "HT-03", "--config", soder});
    ok({dockscan_exe(), "scan", clean.string(), "--phone", "SE-01", "--config", soder});
    ok({dockscan_exe(), "scan", with_number.string(), "--phone", "SE-02", "--config", soder});
    {
        auto key = StoreKey::from_file(dir / "soder" / "store.key");
        REQUIRE(key);
        auto store = Store::open(dir / "soder" / "store.db", *key, OpenMode::existing);
        REQUIRE(store);
        auto select = store->database().prepare("SELECT id FROM findings");
        REQUIRE(select);
        std::vector<std::int64_t> ids;
        while (*select->step()) {
            ids.push_back(select->column_int(0));
        }
        REQUIRE(ids.size() == 1);
        REQUIRE(review::add_decision(
            *store, {ids[0], "avvikelse", {"samtal_med_medarbetare"}, "", "", "", "chef.soder"}));
    }
    for (const std::string& config : {norr, soder}) {
        ok({dockscan_exe(), "central", "sync", "--once", "--config", config});
    }

    // The review server's own file: only its login.
    const std::filesystem::path review = review_config(pg, dir);
    const std::string quarter = reports::code(reports::quarter_of(base::unix_now()));
    const auto report =
        run_process({dockscan_exe(), "report", "--central", "--config", review.string(), "--period",
                     quarter, "--format", "csv", "--output", "-"});
    INFO(report.err);
    REQUIRE(report.exit_code == 0);
    const auto rows = parse_csv(report.out);
    INFO(report.out);

    // Hemtjänst Norr: three phones at two stations (HT-02 once), all scanned, the
    // controls of HT-02 and HT-03 completed (nothing found), HT-01's open finding keeps
    // its control open.
    const auto& hemtjanst = rows.at("enhet/Hemtjänst Norr");
    CHECK(hemtjanst.at("Telefoner") == "3");
    CHECK(hemtjanst.at("Skannade telefoner") == "3");
    CHECK(hemtjanst.at("Genomförda kontroller") == "2");
    CHECK(hemtjanst.at("Fynd") == "1");
    CHECK(hemtjanst.at("Fynd ej bedömda") == "1");
    CHECK(hemtjanst.at("Under 20 %") == "nej");
    // SÄBO Eken: two of five scanned and completed, one with avvikelse.
    const auto& eken = rows.at("enhet/SÄBO Eken");
    CHECK(eken.at("Telefoner") == "5");
    CHECK(eken.at("Genomförda kontroller") == "2");
    CHECK(eken.at("Kontroller med avvikelse") == "1");
    CHECK(eken.at("Åtgärd: Samtal med medarbetare") == "1");
    // Gruppbostad Linden: its one phone never docked.
    const auto& linden = rows.at("enhet/Gruppbostad Linden");
    CHECK(linden.at("Telefoner") == "1");
    CHECK(linden.at("Genomförda kontroller") == "0");
    CHECK(linden.at("Under 20 %") == "ja");
    // The municipality: both stations added up.
    REQUIRE(rows.contains("totalt/Totalt"));
    const auto& total = rows.at("totalt/Totalt");
    CHECK(total.at("Telefoner") == "9");
    CHECK(total.at("Skannade telefoner") == "5");
    CHECK(total.at("Genomförda kontroller") == "4");
    CHECK(total.at("Fynd") == "2");
    CHECK(total.at("Kontroller med avvikelse") == "1");

    // The PDF, the form the report is sent to the nämnd in, from the same database.
    const auto pdf = dir / "kommun.pdf";
    const auto written =
        run_process({dockscan_exe(), "report", "--central", "--config", review.string(), "--period",
                     quarter, "--output", pdf.string()});
    INFO(written.err);
    REQUIRE(written.exit_code == 0);
    std::ifstream in(pdf, std::ios::binary);
    std::string head(5, '\0');
    in.read(head.data(), 5);
    CHECK(head == "%PDF-");

    // A station's role is not the review role: its login, which may read its own rows,
    // gives no report rather than one station's passed off as the municipality's.
    const std::filesystem::path wrong = review_config(pg, dir, "station_norr");
    const auto refused =
        run_process({dockscan_exe(), "report", "--central", "--config", wrong.string(), "--period",
                     quarter, "--format", "csv", "--output", "-"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.out.empty());
    CHECK_THAT(refused.err, Catch::Contains("station_norr is not a review role"));
}

TEST_CASE("one station's report is the same from its store and from the central database") {
    PgCluster pg;
    TempDir dir;
    {
        auto owner = pg.owner();
        REQUIRE(central::add_station(owner, "norr", "station_norr"));
        REQUIRE(central::add_review_role(owner, "review_server"));
    }
    const auto with_number = dir / "phone-with-number";
    write_file(with_number / "Documents" / "anteckning.txt",
               "Ring anhörig till 450411-8359 i morgon");
    write_file(with_number / "Documents" / "lista.txt", "Besök hos 121212-1212 klockan tre");
    const auto clean = dir / "phone-clean";
    write_file(clean / "Documents" / "inkop.txt", "Mjölk, bröd och kaffe till fikat");

    const std::string config = make_station(pg, dir, "norr", "station_norr");
    ok({dockscan_exe(), "units", "add", "Hemtjänst Norr", "--area", "Hemtjänst", "--config",
        config});
    ok({dockscan_exe(), "units", "add", "IFO Barn", "--area", "IFO", "--config", config});
    for (const auto& [label, unit] :
         {std::pair{"HT-01", "Hemtjänst Norr"}, std::pair{"HT-02", "Hemtjänst Norr"},
          std::pair{"IF-01", "IFO Barn"}, std::pair{"IF-02", "IFO Barn"}}) {
        ok({dockscan_exe(), "phones", "add", label, "--serial", std::string("SER-") + label,
            "--unit", unit, "--config", config});
    }
    ok({dockscan_exe(), "scan", with_number.string(), "--phone", "HT-01", "--config", config});
    ok({dockscan_exe(), "scan", with_number.string(), "--phone", "IF-01", "--config", config});
    ok({dockscan_exe(), "scan", clean.string(), "--phone", "IF-02", "--config", config});
    // An unregistered phone scanned by hand, and decisions of every kind: a serious
    // deviation with a removal and a follow-up, one "ingen avvikelse", a control.
    ok({dockscan_exe(), "scan", clean.string(), "--config", config});
    {
        auto key = StoreKey::from_file(dir / "norr" / "store.key");
        REQUIRE(key);
        auto store = Store::open(dir / "norr" / "store.db", *key, OpenMode::existing);
        REQUIRE(store);
        auto select = store->database().prepare(
            "SELECT f.id, s.id, p.label FROM findings f JOIN scans s ON s.id = f.scan_id "
            "JOIN phones p ON p.id = s.phone_id ORDER BY f.id");
        REQUIRE(select);
        std::vector<std::pair<std::int64_t, std::string>> findings;
        std::int64_t if01_scan = 0;
        while (*select->step()) {
            findings.emplace_back(select->column_int(0), select->column_text(2));
            if (select->column_text(2) == "IF-01") {
                if01_scan = select->column_int(1);
            }
        }
        REQUIRE(findings.size() == 4);
        const std::string follow_up = base::iso8601_utc(base::unix_now() + 86400 * 7).substr(0, 10);
        for (const auto& [id, phone] : findings) {
            if (phone == "HT-01") {
                REQUIRE(review::add_decision(*store,
                                             {id,
                                              "allvarlig_avvikelse",
                                              {"raderat_fran_telefonen", "samtal_med_medarbetare"},
                                              "",
                                              follow_up,
                                              "",
                                              "chef.norr"}));
            }
        }
        REQUIRE(review::add_control(*store, {if01_scan, "ingen_avvikelse", "", "chef.norr"}));
    }
    ok({dockscan_exe(), "central", "sync", "--once", "--config", config});

    const std::string quarter = reports::code(reports::quarter_of(base::unix_now()));
    const auto at_station = run_process({dockscan_exe(), "report", "--config", config, "--period",
                                         quarter, "--format", "csv", "--output", "-"});
    REQUIRE(at_station.exit_code == 0);
    const auto centrally = run_process({dockscan_exe(), "report", "--central", "--config",
                                        review_config(pg, dir).string(), "--period", quarter,
                                        "--format", "csv", "--output", "-"});
    INFO(centrally.err);
    REQUIRE(centrally.exit_code == 0);
    // Not a report of nothing: the decisions, the control and the phone in no unit are in.
    const auto rows = parse_csv(at_station.out);
    CHECK(rows.at("enhet/Hemtjänst Norr").at("Varav allvarlig avvikelse") == "1");
    CHECK(rows.at("enhet/Hemtjänst Norr").at("Planerade uppföljningar") == "1");
    CHECK(rows.at("enhet/IFO Barn").at("Genomförda kontroller") == "2");
    CHECK(rows.at("ej registrerad/Ej registrerad enhet").at("Skannade telefoner") == "1");
    CHECK(rows.at("totalt/Totalt").at("Fynd") == "4");
    // The same figures, line for line, from the same queries on either database.
    CHECK(centrally.out == at_station.out);
}

} // namespace
} // namespace dockscan::agent::central_test
