// The register managed centrally (agent/central/central_register.*, register_apply.*):
// units and phones kept in PostgreSQL by the review role with the station's rules, every
// change audited, `dockscan units/phones --central`, and two stations that receive the
// register at their sync: new phones in their units, a move and a retirement, and the
// same rows applied twice changing nothing.

#include "agent/central/central_register.hpp"
#include "agent/store/outbox.hpp"
#include "tests/agent/central/pg_cluster.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dockscan::agent::central_test {
namespace {

using testing::dockscan_exe;
using testing::run_process;
using testing::TempDir;
using testing::write_file;

constexpr const char* k_actor = "cli:test-admin";

// The rows of review_audit as "action object detail", oldest first.
std::vector<std::string> audit_rows(pg::Connection& conn) {
    const auto rows = conn.query("SELECT action, object, detail FROM review_audit ORDER BY id");
    REQUIRE(rows);
    std::vector<std::string> lines;
    for (const auto& row : rows->rows) {
        lines.push_back(row[0].value_or("") + " " + row[1].value_or("") + " " +
                        row[2].value_or(""));
    }
    return lines;
}

// The register's phones as "label serial unit from retired_on".
std::vector<std::string> register_phones(pg::Connection& conn) {
    const auto all = central::registry::phones(conn);
    REQUIRE(all);
    std::vector<std::string> lines;
    for (const auto& p : *all) {
        lines.push_back(p.label + " " + p.serial + " " + p.unit + " " + p.from_date +
                        (p.retired_on.empty() ? "" : " retired " + p.retired_on));
    }
    return lines;
}

TEST_CASE("central register: units and phones with the station's rules, each change audited "
          "and numbered") {
    PgCluster pg;
    add_norr_and_soder(pg);
    auto conn = pg.connect("review_server");
    namespace reg = central::registry;

    REQUIRE(reg::add_unit(conn, "Hemtjänst Norr", "hemtjänst", k_actor));
    REQUIRE(reg::add_unit(conn, "SÄBO Eken", "SÄBO", k_actor));
    // The stations know a unit by its name: a name is taken whatever the area.
    const auto taken = reg::add_unit(conn, "Hemtjänst Norr", "SÄBO", k_actor);
    REQUIRE_FALSE(taken);
    CHECK(taken.error().code == ErrorCode::config);
    CHECK_THAT(taken.error().message, Catch::Contains("already exists"));
    const auto area = reg::add_unit(conn, "Gruppbostad Ek", "Skola", k_actor);
    REQUIRE_FALSE(area);
    CHECK(area.error().code == ErrorCode::config);
    CHECK_THAT(area.error().message, Catch::Contains("unknown verksamhetsområde 'Skola'"));
    const auto blank = reg::add_unit(conn, "   ", "SÄBO", k_actor);
    REQUIRE_FALSE(blank);
    CHECK(blank.error().code == ErrorCode::usage);

    REQUIRE(
        reg::add_phone(conn, {"HT-Norr-01", "R58N-0001", "Hemtjänst Norr", "2025-09-01"}, k_actor));
    REQUIRE(
        reg::add_phone(conn, {"HT-Norr-02", "R58N-0002", "Hemtjänst Norr", "2025-09-01"}, k_actor));
    const auto no_serial = reg::add_phone(conn, {"HT-Norr-03", "", "Hemtjänst Norr", {}}, k_actor);
    REQUIRE_FALSE(no_serial);
    CHECK(no_serial.error().code == ErrorCode::usage);
    CHECK_THAT(no_serial.error().message, Catch::Contains("by serial"));
    const auto no_unit = reg::add_phone(conn, {"HT-Norr-03", "R58N-0003", "Okänd", {}}, k_actor);
    REQUIRE_FALSE(no_unit);
    CHECK(no_unit.error().code == ErrorCode::config);
    CHECK_THAT(no_unit.error().message, Catch::Contains("unknown unit 'Okänd'"));
    const auto same_serial =
        reg::add_phone(conn, {"HT-Norr-09", "R58N-0001", "SÄBO Eken", {}}, k_actor);
    REQUIRE_FALSE(same_serial);
    CHECK(same_serial.error().code == ErrorCode::config);
    CHECK_THAT(same_serial.error().message, Catch::Contains("is registered as phone 'HT-Norr-01'"));
    const auto same_label =
        reg::add_phone(conn, {"HT-Norr-01", "R58N-0009", "SÄBO Eken", {}}, k_actor);
    REQUIRE_FALSE(same_label);
    CHECK(same_label.error().code == ErrorCode::config);
    const auto ahead =
        reg::add_phone(conn, {"HT-Norr-03", "R58N-0003", "Hemtjänst Norr", "2999-01-01"}, k_actor);
    REQUIRE_FALSE(ahead);
    CHECK(ahead.error().code == ErrorCode::usage);

    const auto first = reg::changes_since(conn, 0);
    REQUIRE(first);
    CHECK(first->units.size() == 2);
    CHECK(first->phones.size() == 2);
    const std::int64_t seen = first->newest;
    const auto nothing = reg::changes_since(conn, seen);
    REQUIRE(nothing);
    CHECK(nothing->units.empty());
    CHECK(nothing->phones.empty());
    CHECK(nothing->newest == seen);

    // A move by label, a retirement by serial: each is the one change after `seen`.
    REQUIRE(reg::move_phone(conn, "HT-Norr-02", "SÄBO Eken", "2025-10-01", k_actor));
    const auto moved = reg::changes_since(conn, seen);
    REQUIRE(moved);
    REQUIRE(moved->phones.size() == 1);
    CHECK(moved->phones[0].label == "HT-Norr-02");
    CHECK(moved->phones[0].unit == "SÄBO Eken");
    CHECK(moved->phones[0].area == "SÄBO");
    CHECK(moved->phones[0].from_date == "2025-10-01");
    CHECK(moved->units.empty());
    const auto back_dated =
        reg::move_phone(conn, "HT-Norr-02", "Hemtjänst Norr", "2025-09-15", k_actor);
    REQUIRE_FALSE(back_dated);
    CHECK(back_dated.error().code == ErrorCode::usage);
    const auto already = reg::move_phone(conn, "HT-Norr-02", "SÄBO Eken", {}, k_actor);
    REQUIRE_FALSE(already);
    CHECK(already.error().code == ErrorCode::config);
    const auto unknown = reg::move_phone(conn, "HT-Norr-77", "SÄBO Eken", {}, k_actor);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::config);

    REQUIRE(reg::retire_phone(conn, "R58N-0001", "2025-11-30", k_actor));
    const auto again = reg::retire_phone(conn, "HT-Norr-01", "2025-12-01", k_actor);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::config);
    CHECK_THAT(again.error().message, Catch::Contains("was retired on 2025-11-30"));
    const auto bad_date = reg::retire_phone(conn, "HT-Norr-02", "2025-02-30", k_actor);
    REQUIRE_FALSE(bad_date);
    CHECK(bad_date.error().code == ErrorCode::usage);
    const auto retired = reg::changes_since(conn, moved->newest);
    REQUIRE(retired);
    REQUIRE(retired->phones.size() == 1);
    CHECK(retired->phones[0].retired_on == "2025-11-30");

    CHECK(register_phones(conn) ==
          std::vector<std::string>{
              "HT-Norr-01 R58N-0001 Hemtjänst Norr 2025-09-01 retired 2025-11-30",
              "HT-Norr-02 R58N-0002 SÄBO Eken 2025-10-01",
          });
    const auto units = reg::units(conn);
    REQUIRE(units);
    REQUIRE(units->size() == 2);
    CHECK(units->at(0).name == "Hemtjänst Norr");
    CHECK(units->at(0).area == "Hemtjänst");
    CHECK(units->at(0).phones == 0); // its one phone is retired
    CHECK(units->at(1).phones == 1);

    // Every change once, in order; the refused ones not at all.
    CHECK(audit_rows(conn) == std::vector<std::string>{
                                  "unit_add unit:Hemtjänst Norr area=Hemtjänst",
                                  "unit_add unit:SÄBO Eken area=SÄBO",
                                  "phone_add phone:HT-Norr-01 unit=Hemtjänst Norr; from=2025-09-01",
                                  "phone_add phone:HT-Norr-02 unit=Hemtjänst Norr; from=2025-09-01",
                                  "phone_move phone:HT-Norr-02 unit=SÄBO Eken; from=2025-10-01",
                                  "phone_retire phone:HT-Norr-01 from=2025-11-30",
                              });

    SECTION("an import is all lines or none") {
        const std::vector<inventory::ImportLine> with_error = {
            {2, "HT-Norr-03", "R58N-0003", "Hemtjänst Norr"},
            {3, "HT-Norr-04", "R58N-0004", "Gruppbostad Ek"},
            {4, "HT-Norr-05", "", "Hemtjänst Norr"},
        };
        const auto refused = reg::import_phones(conn, with_error, "2025-09-01", true, k_actor);
        REQUIRE(refused);
        REQUIRE(refused->size() == 3);
        CHECK(refused->at(0).error.empty());
        CHECK_THAT(refused->at(1).error, Catch::Contains("unknown unit 'Gruppbostad Ek'"));
        CHECK_THAT(refused->at(2).error, Catch::Contains("no serial"));
        CHECK(register_phones(conn).size() == 2);

        const std::vector<inventory::ImportLine> clean = {
            {2, "HT-Norr-03", "R58N-0003", "Hemtjänst Norr"},
            {3, "HT-Norr-02", "R58N-0002", "Hemtjänst Norr"},
            {4, "HT-Norr-01", "R58N-0001", "Hemtjänst Norr"},
        };
        const auto dry = reg::import_phones(conn, clean, "2025-12-01", false, k_actor);
        REQUIRE(dry);
        CHECK(register_phones(conn).size() == 2);
        const auto imported = reg::import_phones(conn, clean, "2025-12-01", true, k_actor);
        REQUIRE(imported);
        CHECK(imported->at(0).action == inventory::ImportAction::add);
        CHECK(imported->at(1).action == inventory::ImportAction::move);
        CHECK(imported->at(2).action == inventory::ImportAction::unchanged);
        CHECK(register_phones(conn) ==
              std::vector<std::string>{
                  "HT-Norr-01 R58N-0001 Hemtjänst Norr 2025-09-01 retired 2025-11-30",
                  "HT-Norr-02 R58N-0002 Hemtjänst Norr 2025-12-01",
                  "HT-Norr-03 R58N-0003 Hemtjänst Norr 2025-12-01",
              });
        const auto audit = audit_rows(conn);
        REQUIRE(audit.size() == 8);
        CHECK(audit[6] == "phone_add phone:HT-Norr-03 unit=Hemtjänst Norr; from=2025-12-01; "
                          "import line 2");
        CHECK(audit[7] == "phone_move phone:HT-Norr-02 unit=Hemtjänst Norr; from=2025-12-01; "
                          "import line 3");
    }
}

std::string ok(const std::vector<std::string>& args, const std::string& input = {}) {
    const auto done = run_process(args, input);
    INFO(done.err);
    REQUIRE(done.exit_code == 0);
    return done.out;
}

// A station's phones (`dockscan phones list --json`) as "label serial unit [retired]".
std::vector<std::string> station_phones(const std::filesystem::path& config) {
    const auto listed = nlohmann::json::parse(
        ok({dockscan_exe(), "phones", "list", "--json", "--config", config.string()}));
    std::vector<std::string> lines;
    for (const auto& p : listed) {
        std::string line = p["label"].get<std::string>() + " " + p["serial"].get<std::string>() +
                           " " + (p["unit"].is_null() ? "-" : p["unit"].get<std::string>());
        if (!p["retired_on"].is_null()) {
            line += " retired " + p["retired_on"].get<std::string>();
        }
        lines.push_back(line);
    }
    return lines;
}

TEST_CASE("dockscan units/phones --central keep the register, and both stations receive it at "
          "their sync") {
    PgCluster pg;
    TempDir dir;
    add_norr_and_soder(pg);
    const auto norr_folder = make_station_folder(pg, dir, "norr", "station_norr");
    const auto norr = norr_folder / "dockscan.toml";
    const auto soder = make_station_folder(pg, dir, "soder", "station_soder") / "dockscan.toml";
    const std::string review = review_config(pg, dir, "review_server").string();
    // A phone norr registered itself, which the register does not name.
    ok({dockscan_exe(), "units", "add", "Egen enhet", "--area", "IFO", "--config", norr.string()});
    ok({dockscan_exe(), "phones", "add", "Eget-01", "--serial", "OWN-0001", "--unit", "Egen enhet",
        "--config", norr.string()});

    // --central before or after the subcommand.
    CHECK(ok({dockscan_exe(), "units", "--central", "--config", review, "add", "Hemtjänst Norr",
              "--area", "Hemtjänst"}) ==
          "added unit Hemtjänst Norr (Hemtjänst) to the central register\n");
    ok({dockscan_exe(), "units", "add", "SÄBO Eken", "--area", "säbo", "--central", "--config",
        review});
    ok({dockscan_exe(), "phones", "--central", "--config", review, "add", "HT-Norr-01", "--serial",
        "R58N-0001", "--unit", "Hemtjänst Norr", "--from", "2025-09-01"});
    // The MDM export, as for a station: all lines or none.
    write_file(dir / "mdm.csv", "Device name;Serial number;Enhet\n"
                                "HT-Norr-02;R58N-0002;Hemtjänst Norr\n"
                                "SÄBO-Eken-01;R58N-0101;SÄBO Eken\n"
                                "SÄBO-Eken-02;R58N-0102;Gruppbostad Ek\n");
    const auto refused =
        run_process({dockscan_exe(), "phones", "--central", "--config", review, "import",
                     (dir / "mdm.csv").string(), "--from", "2025-09-01"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("line 4: unknown unit 'Gruppbostad Ek'"));
    CHECK_THAT(refused.err, Catch::Contains("nothing imported"));
    write_file(dir / "mdm.csv", "Device name;Serial number;Enhet\n"
                                "HT-Norr-02;R58N-0002;Hemtjänst Norr\n"
                                "SÄBO-Eken-01;R58N-0101;SÄBO Eken\n");
    CHECK_THAT(ok({dockscan_exe(), "phones", "--central", "--config", review, "import",
                   (dir / "mdm.csv").string(), "--from", "2025-09-01"}),
               Catch::Contains("registered 2 new"));

    const auto units_json = nlohmann::json::parse(
        ok({dockscan_exe(), "units", "--central", "--config", review, "list", "--json"}));
    REQUIRE(units_json.size() == 2);
    CHECK(units_json[0]["name"] == "Hemtjänst Norr");
    CHECK(units_json[0]["phones"] == 2);
    CHECK(units_json[1]["area"] == "SÄBO");
    const auto phones_json = nlohmann::json::parse(
        ok({dockscan_exe(), "phones", "--central", "--config", review, "list", "--json"}));
    REQUIRE(phones_json.size() == 3);
    CHECK(phones_json[0]["label"] == "HT-Norr-01");
    CHECK(phones_json[0]["unit"] == "Hemtjänst Norr");
    CHECK(phones_json[0]["from"] == "2025-09-01");
    CHECK(phones_json[2]["label"] == "SÄBO-Eken-01");
    CHECK(phones_json[2]["unit"] == "SÄBO Eken");

    // What only a station answers is said so, and changes nothing.
    for (const std::vector<std::string>& station_only :
         {std::vector<std::string>{"phones", "history", "HT-Norr-01"},
          std::vector<std::string>{"phones", "unknown"},
          std::vector<std::string>{"units", "rename", "SÄBO Eken", "SÄBO Ekbacken"}}) {
        std::vector<std::string> args{dockscan_exe()};
        args.insert(args.end(), station_only.begin(), station_only.end());
        args.insert(args.end(), {"--central", "--config", review});
        const auto done = run_process(args);
        INFO(station_only[1]);
        CHECK(done.exit_code == 2);
        CHECK_THAT(done.err,
                   Catch::Contains("at each station") || Catch::Contains("at the station"));
    }
    // A station's login is no review role: it cannot change the register.
    const auto as_station = run_process({dockscan_exe(), "units", "--central", "--config",
                                         review_config(pg, dir, "station_norr").string(), "add",
                                         "Egen", "--area", "IFO"});
    CHECK(as_station.exit_code == 2);
    CHECK_THAT(as_station.err, Catch::Contains("is not a review role"));

    // Both stations receive the register at their sync.
    for (const auto& config : {norr, soder}) {
        CHECK_THAT(ok({dockscan_exe(), "central", "sync", "--once", "--config", config.string()}),
                   Catch::Contains("5 changes fetched; 2 units added, 3 phones registered, 0 "
                                   "moved, 0 retired"));
    }
    CHECK(station_phones(norr) == std::vector<std::string>{
                                      "Eget-01 OWN-0001 Egen enhet",
                                      "HT-Norr-01 R58N-0001 Hemtjänst Norr",
                                      "HT-Norr-02 R58N-0002 Hemtjänst Norr",
                                      "SÄBO-Eken-01 R58N-0101 SÄBO Eken",
                                  });
    CHECK(station_phones(soder) == std::vector<std::string>{
                                       "HT-Norr-01 R58N-0001 Hemtjänst Norr",
                                       "HT-Norr-02 R58N-0002 Hemtjänst Norr",
                                       "SÄBO-Eken-01 R58N-0101 SÄBO Eken",
                                   });
    CHECK_THAT(ok({dockscan_exe(), "units", "list", "--config", soder.string()}),
               Catch::Contains("SÄBO Eken") && Catch::Contains("SÄBO"));

    // A move and a retirement reach them at the next sync.
    ok({dockscan_exe(), "phones", "--central", "--config", review, "move", "HT-Norr-02", "--unit",
        "SÄBO Eken", "--from", "2025-10-01"});
    ok({dockscan_exe(), "phones", "--central", "--config", review, "retire", "R58N-0001", "--date",
        "2025-11-30"});
    const std::vector<std::string> received{
        "HT-Norr-01 R58N-0001 Hemtjänst Norr retired 2025-11-30",
        "HT-Norr-02 R58N-0002 SÄBO Eken",
        "SÄBO-Eken-01 R58N-0101 SÄBO Eken",
    };
    for (const auto& config : {norr, soder}) {
        CHECK_THAT(ok({dockscan_exe(), "central", "sync", "--once", "--config", config.string()}),
                   Catch::Contains("2 changes fetched; 0 units added, 0 phones registered, 1 "
                                   "moved, 1 retired"));
    }
    CHECK(station_phones(soder) == received);
    // Norr's own phone is left alone.
    std::vector<std::string> at_norr{"Eget-01 OWN-0001 Egen enhet"};
    at_norr.insert(at_norr.end(), received.begin(), received.end());
    CHECK(station_phones(norr) == at_norr);
    // The station keeps the history: reports count HT-Norr-02 for Hemtjänst Norr before
    // the move.
    const auto history = nlohmann::json::parse(ok(
        {dockscan_exe(), "phones", "history", "HT-Norr-02", "--json", "--config", soder.string()}));
    REQUIRE(history.size() == 2);
    CHECK(history[0]["unit"] == "Hemtjänst Norr");
    CHECK(history[0]["from"] == "2025-09-01");
    CHECK(history[1]["unit"] == "SÄBO Eken");
    CHECK(history[1]["from"] == "2025-10-01");

    // Nothing new: nothing applied. The same rows applied again (the station forgets the
    // version it saw) change nothing either.
    CHECK_THAT(ok({dockscan_exe(), "central", "sync", "--once", "--config", soder.string()}),
               Catch::Contains("0 changes fetched"));
    const auto phones_before = station_phones(norr);
    const std::string history_before =
        ok({dockscan_exe(), "phones", "history", "HT-Norr-02", "--config", norr.string()});
    {
        const StoreKey key = store_test::value_of(StoreKey::from_file(norr_folder / "store.key"));
        auto store =
            store_test::value_of(Store::open(norr_folder / "store.db", key, OpenMode::existing));
        REQUIRE(outbox::set_register_seen(store, 0));
    }
    CHECK_THAT(ok({dockscan_exe(), "central", "sync", "--once", "--config", norr.string()}),
               Catch::Contains("5 changes fetched; 0 units added, 0 phones registered, 0 moved, "
                               "0 retired"));
    CHECK(station_phones(norr) == phones_before);
    CHECK(ok({dockscan_exe(), "phones", "history", "HT-Norr-02", "--config", norr.string()}) ==
          history_before);
}

} // namespace
} // namespace dockscan::agent::central_test
