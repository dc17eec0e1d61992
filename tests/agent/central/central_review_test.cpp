// The central review's database (agent/central/central_review.*): the station's review
// queries on PostgreSQL, scoped by unit name across stations, evidence opened only with
// the review key, and `dockscan serve --central` refusing a config it cannot serve from.

#include "agent/central/central_review.hpp"
#include "agent/central/central_users.hpp"
#include "tests/agent/central/pg_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

namespace dockscan::agent::central_test {
namespace {

using testing::dockscan_exe;
using testing::run_process;
using testing::TempDir;
using testing::write_file;

void ok(const std::vector<std::string>& args) {
    const auto done = run_process(args);
    INFO(done.err);
    REQUIRE(done.exit_code == 0);
}

// Two stations, each with "Hemtjänst Norr" and a phone in it that has a note with
// Skatteverket's test number, and "SÄBO Eken" at norr only; both synced.
void two_stations_synced(PgCluster& pg, const TempDir& dir) {
    add_norr_and_soder(pg);
    for (const auto& [name, role] :
         {std::pair{"norr", "station_norr"}, std::pair{"soder", "station_soder"}}) {
        const auto station = make_station_folder(pg, dir, name, role);
        const std::string config = (station / "dockscan.toml").string();
        write_file(station / "phone" / "Documents" / "anteckning.txt",
                   "Ring anhörig till 450411-8359 i morgon");
        ok({dockscan_exe(), "units", "add", "Hemtjänst Norr", "--area", "Hemtjänst", "--config",
            config});
        if (std::string(name) == "norr") {
            ok({dockscan_exe(), "units", "add", "SÄBO Eken", "--area", "SÄBO", "--config", config});
        }
        ok({dockscan_exe(), "phones", "add", "HT-01", "--serial", "SER-" + std::string(name),
            "--unit", "Hemtjänst Norr", "--config", config});
        ok({dockscan_exe(), "scan", (station / "phone").string(), "--phone", "HT-01", "--config",
            config});
        ok({dockscan_exe(), "central", "sync", "--once", "--config", config});
    }
}

TEST_CASE("the central review scopes a supervisor by unit name across stations") {
    PgCluster pg;
    TempDir dir;
    two_stations_synced(pg, dir);
    const auto keys = dir / "keys";
    auto settings_file = review_config(pg, dir, "review_server", keys / "review_secret.key");
    auto conn = pg.connect("review_server");
    REQUIRE(central::add_user(conn, {"chef.norr", "", users::Role::supervisor, {"Hemtjänst Norr"}},
                              "ett-langt-losenord", "cli:test"));
    REQUIRE(central::add_user(conn, {"chef.eken", "", users::Role::supervisor, {"SÄBO Eken"}},
                              "ett-langt-losenord", "cli:test"));
    const auto norr = central::credentials(conn, "chef.norr").value().value().user;
    const auto eken = central::credentials(conn, "chef.eken").value().value().user;

    ReviewSettings settings;
    settings.conninfo = "host=localhost port=" + std::to_string(pg.port()) + " dbname=dockscan";
    settings.role = "review_server";
    settings.sslrootcert = pg.certs() / "ca.crt";
    settings.sslcert = pg.certs() / "review_server.crt";
    settings.sslkey = pg.certs() / "review_server.key";
    settings.review_secret_key = keys / "review_secret.key";
    auto database = central::CentralDatabase::open(settings);
    INFO((database ? "" : database.error().message));
    REQUIRE(database);
    sql::Source& source = (*database)->source();

    // Hemtjänst Norr's supervisor sees the finding of both stations, each with its own
    // number, and the evidence opened with the review key.
    const auto seen = review::findings(source, {norr.id, false}, review::Filter::open).value();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].row.id != seen[1].row.id);
    for (const auto& f : seen) {
        CHECK(f.unit == "Hemtjänst Norr");
        CHECK(f.row.masked == "450411-****");
        CHECK(f.row.excerpt.find("450411-****") != std::string::npos);
        CHECK(f.row.item_ref.find("anteckning.txt") != std::string::npos);
        // Looked up by that number, the same finding.
        const auto lookup = review::finding(source, {norr.id, false}, f.row.id).value();
        CHECK(lookup.access == review::Access::visible);
        REQUIRE(lookup.finding);
        CHECK(lookup.finding->row.excerpt == f.row.excerpt);
        // The same number at the other station's phone counts as another phone.
        CHECK(review::other_phones_with_number(source, f.row.match_hash, f.phone_id).value() == 1);
    }
    // SÄBO Eken's supervisor sees none, and a finding of another unit is denied, not missing.
    CHECK(review::findings(source, {eken.id, false}, review::Filter::all).value().empty());
    CHECK(review::finding(source, {eken.id, false}, seen[0].row.id).value().access ==
          review::Access::denied);
    CHECK(review::finding(source, {eken.id, false}, seen[0].row.id + 1000).value().access ==
          review::Access::missing);

    // A decision recorded centrally is the finding's newest, its note sealed in the
    // database and read back in clear only through the review key.
    review::NewDecision decision;
    decision.decision = "avvikelse";
    decision.actions = {"raderat_fran_telefonen"};
    decision.note = "Samtal med Lisa bokat";
    decision.reviewer = "chef.norr";
    REQUIRE((*database)->add_decisions(decision, {seen[0].row.id}).value() == 1);
    const auto history = review::decisions(source, seen[0].row.id).value();
    REQUIRE(history.size() == 1);
    CHECK(history[0].note == "Samtal med Lisa bokat");
    CHECK(history[0].actions == std::vector<std::string>{"raderat_fran_telefonen"});
    CHECK(scalar(conn, "SELECT count(*) FROM decisions WHERE position(convert_to('Lisa', 'UTF8') "
                       "IN note_sealed) = 0") == "1");
    CHECK(review::findings(source, {norr.id, false}, review::Filter::open).value().size() == 1);
    // A finding number the database does not know is refused, nothing written.
    review::NewDecision stray = decision;
    CHECK_FALSE((*database)->add_decisions(stray, {seen[0].row.id + 1000}));
    CHECK(scalar(conn, "SELECT count(*) FROM decisions") == "1");

    // "Kontroll genomförd" on one station's scan: recorded centrally, shown on that scan.
    const auto scans = review::scans(source, {norr.id, false}, 10).value();
    REQUIRE(scans.size() == 2);
    CHECK_FALSE(scans[0].latest_control);
    REQUIRE(
        (*database)->add_control({scans[0].scan_id, "ingen_avvikelse", "Inget kvar", "chef.norr"}));
    const auto checked = review::scan(source, {norr.id, false}, scans[0].scan_id).value();
    REQUIRE(checked.scan);
    REQUIRE(checked.scan->latest_control);
    CHECK(checked.scan->latest_control->result == "ingen_avvikelse");
    CHECK(checked.scan->latest_control->note == "Inget kvar");
    CHECK_FALSE(
        review::scan(source, {norr.id, false}, scans[1].scan_id).value().scan->latest_control);
    CHECK(review::scan(source, {eken.id, false}, scans[0].scan_id).value().access ==
          review::Access::denied);

    // PostgreSQL restarts (an update, a failover): the request during the outage fails,
    // the next one after it connects again by itself.
    pg.stop();
    CHECK_FALSE((*database)->credentials("chef.norr"));
    pg.start();
    const auto again = (*database)->credentials("chef.norr");
    INFO((again ? "" : again.error().message));
    REQUIRE(again);
    CHECK(again->has_value());
    CHECK(review::findings(source, {norr.id, false}, review::Filter::all).value().size() == 2);
}

TEST_CASE("dockscan serve --central refuses a config without the review key") {
    PgCluster pg;
    TempDir dir;
    add_norr_and_soder(pg);
    const auto refused = run_process({dockscan_exe(), "serve", "--central", "--config",
                                      review_config(pg, dir).string(), "--listen", "127.0.0.1:0"});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("review_secret_key"));
}

} // namespace
} // namespace dockscan::agent::central_test
