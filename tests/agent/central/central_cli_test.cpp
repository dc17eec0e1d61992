// Two stations, each with its own store and config, scan a phone with the same person's
// number and sync with `dockscan central sync` into one database: the number matches by
// its hash across stations; `dockscan status` shows the sync.

#include "agent/central/central_schema.hpp"
#include "tests/agent/central/pg_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dockscan::agent::central_test {
namespace {

using testing::dockscan_exe;
using testing::run_process;
using testing::TempDir;
using testing::write_file;

// A station's folder (central_test_support.hpp) with a phone copy to scan.
std::filesystem::path make_station(PgCluster& pg, const TempDir& dir, const std::string& name,
                                   const std::string& role) {
    const auto station = make_station_folder(pg, dir, name, role);
    // Skatteverket's test personnummer, the same person at both stations.
    write_file(station / "phone" / "Documents" / "anteckning.txt",
               "Ring anhörig till 450411-8359 i morgon");
    return station;
}

TEST_CASE("two stations sync with dockscan central sync, and one number matches across them") {
    PgCluster pg;
    TempDir dir;
    add_norr_and_soder(pg);
    for (const auto& [name, role] :
         {std::pair{"norr", "station_norr"}, std::pair{"soder", "station_soder"}}) {
        const auto station = make_station(pg, dir, name, role);
        const std::string config = (station / "dockscan.toml").string();
        const auto scanned =
            run_process({dockscan_exe(), "scan", (station / "phone").string(), "--config", config});
        INFO(scanned.err);
        REQUIRE(scanned.exit_code == 0);

        const auto synced =
            run_process({dockscan_exe(), "central", "sync", "--once", "--config", config});
        INFO(synced.err);
        REQUIRE(synced.exit_code == 0);
        CHECK_THAT(synced.out, Catch::Contains("0 rows waiting"));

        const auto status = run_process({dockscan_exe(), "status", "--config", config, "--json"});
        const auto json = nlohmann::json::parse(status.out);
        CHECK(json["central"]["waiting"] == 0);
        CHECK(json["central"]["last_error"] == "");
        CHECK_FALSE(json["central"]["last_sync"].get<std::string>().empty());
    }

    pg::Connection review = pg.connect("review_server");
    CHECK(scalar(review, "SELECT count(DISTINCT station_id) FROM findings "
                         "WHERE kind = 'personnummer'") == "2");
    CHECK(scalar(review, "SELECT count(DISTINCT match_hash) FROM findings "
                         "WHERE kind = 'personnummer'") == "1");
    CHECK(scalar(review, "SELECT min(masked) FROM findings WHERE kind = 'personnummer'") ==
          "450411-****");
    // Neither the number nor the note's words are in the database in clear.
    CHECK(scalar(review, "SELECT count(*) FROM findings WHERE excerpt_sealed::text LIKE "
                         "'%8359%' OR masked LIKE '%8359%'") == "0");
    CHECK(scalar(review, "SELECT count(*) FROM items WHERE ref_hash <> '' AND "
                         "encode(ref_sealed, 'escape') NOT LIKE '%anteckning%'") == "2");

    // The station is down: the admin's sync says why and exits 1 (try again).
    pg.stop();
    const auto away = run_process({dockscan_exe(), "central", "sync", "--once", "--config",
                                   (dir / "norr" / "dockscan.toml").string()});
    CHECK(away.exit_code == 1);
    CHECK_THAT(away.err, Catch::Contains("cannot connect to the central database"));
    const auto status = run_process(
        {dockscan_exe(), "status", "--config", (dir / "norr" / "dockscan.toml").string()});
    CHECK_THAT(status.out, Catch::Contains("central sync  last sync"));
    CHECK_THAT(status.out, Catch::Contains("last attempt failed"));
    pg.start();
}

TEST_CASE("a removal decided centrally on station A's finding is verified at station B") {
    PgCluster pg;
    TempDir dir;
    add_norr_and_soder(pg);
    // One phone, registered at both stations, docked first at B (söder), then at A (norr).
    const auto phone = dir / "phone";
    write_file(phone / "Documents" / "anteckning.txt", "Ring anhörig till 450411-8359 i morgon");
    std::map<std::string, std::string> configs;
    for (const auto& [name, role] :
         {std::pair{"soder", "station_soder"}, std::pair{"norr", "station_norr"}}) {
        const std::string config = (make_station(pg, dir, name, role) / "dockscan.toml").string();
        configs[name] = config;
        REQUIRE(run_process({dockscan_exe(), "units", "add", "Hemtjänst Norr", "--area",
                             "Hemtjänst", "--config", config})
                    .exit_code == 0);
        REQUIRE(run_process({dockscan_exe(), "phones", "add", "HT-01", "--serial", "SER-HT-01",
                             "--unit", "Hemtjänst Norr", "--config", config})
                    .exit_code == 0);
        const auto scanned = run_process(
            {dockscan_exe(), "scan", phone.string(), "--phone", "HT-01", "--config", config});
        INFO(scanned.err);
        REQUIRE(scanned.exit_code == 0);
        REQUIRE(run_process({dockscan_exe(), "central", "sync", "--once", "--config", config})
                    .exit_code == 0);
    }

    // The supervisor decides norr's finding centrally: delete it from the phone.
    pg::Connection review = pg.connect("review_server");
    const std::string finding = scalar(review, "SELECT local_id FROM findings WHERE station_id "
                                               "= 'norr' AND kind = 'personnummer'");
    REQUIRE(review.query("INSERT INTO decisions (station_id, finding_id, decision, actions, "
                         "reviewer) VALUES ('norr', $1, 'avvikelse', "
                         "'[\"raderat_fran_telefonen\"]', 'anna.berg')",
                         {finding}));

    // Söder fetches it: the same content on the same phone is its own finding there.
    const auto fetched =
        run_process({dockscan_exe(), "central", "sync", "--once", "--config", configs["soder"]});
    INFO(fetched.err);
    REQUIRE(fetched.exit_code == 0);
    CHECK_THAT(fetched.out, Catch::Contains("1 central decisions fetched, 1 recorded"));

    // The phone docks next at söder, with the note deleted: the removal is verified there.
    std::filesystem::remove(phone / "Documents" / "anteckning.txt");
    write_file(phone / "Documents" / "inkop.txt", "mjölk, bröd");
    const auto rescanned = run_process({dockscan_exe(), "scan", phone.string(), "--phone", "HT-01",
                                        "--config", configs["soder"], "--json"});
    INFO(rescanned.err);
    REQUIRE(rescanned.exit_code == 0);
    const auto summary = nlohmann::json::parse(rescanned.out);
    CHECK(summary["removals_verified"] == 1);
    REQUIRE(run_process({dockscan_exe(), "central", "sync", "--once", "--config", configs["soder"]})
                .exit_code == 0);
    CHECK(scalar(review, "SELECT count(*) FROM removal_checks WHERE station_id = 'soder' AND "
                         "result = 'verified'") == "1");
    // Norr, which never saw the phone again, has nothing to verify yet, and its sync
    // records the decision on its own finding.
    const auto norr =
        run_process({dockscan_exe(), "central", "sync", "--once", "--config", configs["norr"]});
    CHECK_THAT(norr.out, Catch::Contains("1 central decisions fetched, 1 recorded"));
    CHECK(scalar(review, "SELECT count(*) FROM reviews WHERE station_id = 'norr' AND "
                         "finding_id = " +
                             finding) == "1");
}

using testing::eventually;

// The sections `dockscan run` needs beside [central] in a station folder's config: no
// OCR, one worker, the status socket and a script event source in the folder. Returns
// the config's path.
std::string add_daemon_sections(const std::filesystem::path& station) {
    write_file(station / "dockscan.toml",
               testing::read_file(station / "dockscan.toml") +
                   "\n[detectors]\nocr = false\nworkers = 1\n[status]\nsocket = \"" +
                   (station / "status.sock").string() +
                   "\"\n[events]\nsource = \"script\"\nscript = \"" +
                   (station / "events.sock").string() + "\"\n");
    return (station / "dockscan.toml").string();
}

TEST_CASE("dockscan run with [central] sends on its own, and catches up after an outage") {
    PgCluster pg;
    TempDir dir;
    {
        auto owner = pg.owner();
        REQUIRE(central::add_station(owner, "norr", "station_norr"));
    }
    const auto station = make_station(pg, dir, "norr", "station_norr");
    const std::string config = add_daemon_sections(station);
    const auto phone = station / "phone";
    REQUIRE(run_process({dockscan_exe(), "scan", phone.string(), "--config", config}).exit_code ==
            0);

    testing::DockscanProcess daemon({"run", "--config", config}, station / "daemon.log");
    auto central_findings = [&] {
        auto conn = pg::Connection::connect(pg.conninfo("dockscan_owner"));
        if (!conn) {
            return std::string("unreachable");
        }
        return scalar(*conn, "SELECT count(*) FROM findings WHERE station_id = 'norr'");
    };
    REQUIRE(eventually([&] { return central_findings() == "1"; }, std::chrono::seconds(60)));

    // The database goes away; the station scans on.
    pg.stop();
    write_file(phone / "Documents" / "lista.txt", "Besök hos 450411-8359 kl 10");
    REQUIRE(run_process({dockscan_exe(), "scan", phone.string(), "--config", config}).exit_code ==
            0);
    REQUIRE(eventually(
        [&] {
            const auto status =
                run_process({dockscan_exe(), "status", "--config", config, "--json"});
            const auto json = nlohmann::json::parse(status.out, nullptr, false);
            return json.is_object() && json["central"].is_object() &&
                   !json["central"]["last_error"].get<std::string>().empty() &&
                   json["central"]["waiting"].get<std::int64_t>() > 0;
        },
        std::chrono::seconds(60)));

    // The station's own display says so too: `dockscan slots` asks the running daemon.
    const auto slots_during = run_process({dockscan_exe(), "slots", "--config", config});
    CAPTURE(slots_during.out);
    CHECK(slots_during.exit_code == 0);
    CHECK_THAT(slots_during.out, Catch::Contains("Central databas: senast synkad "));
    CHECK_THAT(slots_during.out, Catch::Contains("senaste försöket misslyckades"));
    CHECK_THAT(slots_during.out, !Catch::Contains(" 0 rader väntar"));

    // Back: the daemon catches up by itself, with nothing doubled.
    pg.start();
    REQUIRE(eventually([&] { return central_findings() == "2"; }, std::chrono::seconds(60)));
    REQUIRE(eventually(
        [&] {
            const auto slots = run_process({dockscan_exe(), "slots", "--config", config, "--json"});
            const auto last = slots.out.substr(slots.out.rfind('\n', slots.out.size() - 2) + 1);
            const auto json = nlohmann::json::parse(last, nullptr, false);
            return json.is_object() && json.contains("central") &&
                   json["central"]["waiting"] == 0 && json["central"]["last_error"] == "";
        },
        std::chrono::seconds(60)));
    CHECK(daemon.terminate() == 0);
    const std::string log = testing::read_file(station / "daemon.log");
    CHECK_THAT(log, Catch::Contains("trying again with backoff"));
    CHECK_THAT(log, Catch::Contains("the central database answers again"));
}

TEST_CASE("two stations' daemons sync at once through a PostgreSQL restart: every row once") {
    PgCluster pg;
    TempDir dir;
    add_norr_and_soder(pg);
    struct Station {
        std::string name;
        std::filesystem::path folder;
        std::string config;
    };
    std::vector<Station> stations;
    constexpr int k_notes = 240;
    for (const auto& [name, role] :
         {std::pair{"norr", "station_norr"}, std::pair{"soder", "station_soder"}}) {
        const auto folder = make_station(pg, dir, name, role);
        const std::string config = add_daemon_sections(folder);
        stations.push_back({name, folder, config});
    }
    std::vector<std::unique_ptr<testing::DockscanProcess>> daemons;
    for (const Station& s : stations) {
        daemons.push_back(std::make_unique<testing::DockscanProcess>(
            std::vector<std::string>{"run", "--config", s.config}, s.folder / "daemon.log"));
    }
    auto central_count = [&](const std::string& table, const std::string& station) -> std::int64_t {
        auto conn = pg::Connection::connect(pg.conninfo("dockscan_owner"));
        if (!conn) {
            return std::int64_t{-1};
        }
        return std::stoll(scalar(*conn, "SELECT count(*) FROM " + table + " WHERE station_id = '" +
                                            station + "'"));
    };

    // A phone with many notes, each naming Skatteverket's test number, docks at both
    // stations (several outbox batches each); the second half arrives at the next docking.
    auto add_notes = [&](int from, int to) {
        for (const Station& st : stations) {
            for (int i = from; i < to; ++i) {
                write_file(st.folder / "phone" / "Documents" /
                               ("besok-" + std::to_string(i) + ".txt"),
                           "Besök " + std::to_string(i) + " hos 450411-8359 kl 10");
            }
        }
    };
    // Both stations scan at once while their daemons send.
    auto scan_both = [&] {
        std::vector<std::thread> scans;
        std::vector<int> exits(stations.size(), -1);
        for (std::size_t i = 0; i < stations.size(); ++i) {
            scans.emplace_back([&, i] {
                exits[i] =
                    run_process({dockscan_exe(), "scan", (stations[i].folder / "phone").string(),
                                 "--config", stations[i].config})
                        .exit_code;
            });
        }
        for (auto& scan : scans) {
            scan.join();
        }
        CHECK(exits == std::vector<int>{0, 0});
    };
    add_notes(0, k_notes / 2);
    scan_both();
    REQUIRE(eventually(
        [&] {
            return central_count("findings", "norr") > 0 && central_count("findings", "soder") > 0;
        },
        std::chrono::seconds(60)));

    // The database goes away; the phone docks again at both stations, with more notes.
    pg.stop();
    add_notes(k_notes / 2, k_notes);
    scan_both();
    // Each daemon's sender meets the outage (and says so in `dockscan status`).
    for (const Station& st : stations) {
        CAPTURE(st.name);
        REQUIRE(eventually(
            [&] {
                const auto status =
                    run_process({dockscan_exe(), "status", "--config", st.config, "--json"});
                const auto json = nlohmann::json::parse(status.out, nullptr, false);
                return json.is_object() && json["central"].is_object() &&
                       !json["central"]["last_error"].get<std::string>().empty() &&
                       json["central"]["waiting"].get<std::int64_t>() > 0;
            },
            std::chrono::seconds(60)));
    }
    pg.start();
    // Both catch up by themselves.
    for (const Station& st : stations) {
        REQUIRE(eventually(
            [&] {
                return testing::read_file(st.folder / "daemon.log")
                           .find("the central database answers again") != std::string::npos;
            },
            std::chrono::seconds(90)));
    }

    // Every row of each station's store arrives once: the same counts as the store.
    for (const Station& s : stations) {
        const auto listed =
            run_process({dockscan_exe(), "findings", "--config", s.config, "--json"});
        REQUIRE(listed.exit_code == 0);
        const auto findings = nlohmann::json::parse(listed.out);
        REQUIRE(findings.size() == k_notes + 1);
        CAPTURE(s.name);
        REQUIRE(eventually(
            [&] {
                return central_count("findings", s.name) ==
                       static_cast<std::int64_t>(findings.size());
            },
            std::chrono::seconds(90)));
        CHECK(central_count("items", s.name) == k_notes + 1);
        CHECK(central_count("scans", s.name) == 2);
    }
    // The matching number is one person across both stations and all their notes.
    auto review = pg.connect("review_server");
    CHECK(scalar(review, "SELECT count(DISTINCT match_hash) FROM findings") == "1");
    CHECK(scalar(review, "SELECT count(DISTINCT station_id) FROM findings") == "2");
    for (auto& daemon : daemons) {
        CHECK(daemon->terminate() == 0);
    }
}

TEST_CASE("a [central] section with a key missing is refused with its line") {
    TempDir dir;
    write_file(dir / "dockscan.toml",
               "[store]\npath = \"store.db\"\n\n[[slots]]\nport = \"1-1.1\"\nnumber = 1\n"
               "label = \"Plats 1\"\n\n[central]\nconninfo = \"host=db\"\nstation = \"norr\"\n");
    const auto checked = run_process(
        {dockscan_exe(), "run", "--check", "--config", (dir / "dockscan.toml").string()});
    CHECK(checked.exit_code == 2);
    CHECK_THAT(checked.err, Catch::Contains("dockscan.toml:9: central.role is required"));
}

} // namespace
} // namespace dockscan::agent::central_test
