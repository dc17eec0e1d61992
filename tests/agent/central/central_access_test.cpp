// Access is decided in the database: TLS with client certificates, each station's role
// confined to its own rows by row-level security, evidence sealed to the review key.

#include "agent/central/central_schema.hpp"
#include "agent/central/outbox_sender.hpp"
#include "tests/agent/central/central_test_support.hpp"

#include <catch2/catch.hpp>

namespace dockscan::agent::central_test {
namespace {

using testing::TempDir;

OutboxSender make_sender(const CentralSettings& settings) {
    auto keys = load_keys(settings);
    if (!keys) {
        FAIL(keys.error().message);
    }
    return OutboxSender(settings, std::move(*keys));
}

// Two stations synced into one database, sharing the municipality's keys.
struct TwoStations {
    PgCluster pg;
    TempDir dir;
    StoreKey key_a = store_test::new_key(dir, "a.key");
    StoreKey key_b = store_test::new_key(dir, "b.key");
    Store a = store_test::open_store(dir / "a.db", key_a);
    Store b = store_test::open_store(dir / "b.db", key_b);
    CentralSettings settings_a;
    CentralSettings settings_b;

    TwoStations() {
        {
            auto owner = pg.owner();
            REQUIRE(central::add_station(owner, "station-a", "station_a"));
            REQUIRE(central::add_station(owner, "station-b", "station_b"));
            REQUIRE(central::add_review_role(owner, "review_server"));
        }
        settings_a = pg.station_settings("station-a", "station_a", dir / "keys");
        settings_b = pg.station_settings("station-b", "station_b", dir / "keys");
        const StoreKey fleet = value_of(StoreKey::from_file(settings_a.fleet_key));
        a.use_fleet_key(fleet);
        b.use_fleet_key(fleet);
        fill_store(a, "SER-A", 3);
        fill_store(b, "SER-B", 4);
        REQUIRE(value_of(make_sender(settings_a).sync(a)).caught_up);
        REQUIRE(value_of(make_sender(settings_b).sync(b)).caught_up);
    }
};

TEST_CASE("a station's role cannot write another station's rows") {
    TwoStations fleet;
    pg::Connection as_a = fleet.pg.connect("station_a");

    const auto insert = as_a.query(
        "INSERT INTO findings (station_id, local_id, scan_id, item_id, kind, category, severity, "
        "confidence, detector, created_at) VALUES ('station-b', 999, 1, 1, 'personnummer', "
        "'personnummer_i_meddelande', 'avvikelse', 1, 'x', '2026-01-01T00:00:00Z')");
    REQUIRE_FALSE(insert);
    CHECK(insert.error().code == ErrorCode::central_refused);
    CHECK_THAT(insert.error().message, Catch::Contains("row-level security"));

    const auto update =
        as_a.query("UPDATE findings SET severity = 'ingen' WHERE station_id = 'station-b'");
    REQUIRE(update);
    CHECK(update->affected == 0);
    const auto remove = as_a.query("DELETE FROM scans WHERE station_id = 'station-b'");
    REQUIRE(remove);
    CHECK(remove->affected == 0);
    // Nor move its own rows to the other station, nor touch the other's progress.
    const auto move = as_a.query("UPDATE scans SET station_id = 'station-b'");
    REQUIRE_FALSE(move);
    const auto progress =
        as_a.query("UPDATE stations SET applied_outbox_id = 0 WHERE id = 'station-b'");
    REQUIRE(progress);
    CHECK(progress->affected == 0);
    const auto rename = as_a.query("UPDATE stations SET role_name = 'station_b'");
    REQUIRE_FALSE(rename);
    CHECK_THAT(rename.error().message, Catch::Contains("permission denied"));
    // Nor write decisions.
    const auto decide = as_a.query("INSERT INTO decisions (station_id, finding_id, decision, "
                                   "reviewer) VALUES ('station-a', 1, 'ingen_avvikelse', 'x')");
    REQUIRE_FALSE(decide);

    // The register managed centrally is the review role's: a station reads it (its sync
    // receives it) and cannot add, move or retire a phone or unit in it.
    pg::Connection review = fleet.pg.connect("review_server");
    REQUIRE(review.query("INSERT INTO register_units (name, area) VALUES ('Hemtjänst Norr', "
                         "'Hemtjänst')"));
    REQUIRE(review.query("INSERT INTO register_phones (label, serial, unit_id, from_date) "
                         "SELECT 'HT-Norr-01', 'R58N-0001', id, '2026-09-01' FROM register_units"));
    CHECK(scalar(as_a, "SELECT count(*) FROM register_phones") == "1");
    const auto add_unit =
        as_a.query("INSERT INTO register_units (name, area) VALUES ('Egen enhet', 'Hemtjänst')");
    REQUIRE_FALSE(add_unit);
    CHECK_THAT(add_unit.error().message, Catch::Contains("permission denied"));
    const auto add_phone =
        as_a.query("INSERT INTO register_phones (label, serial, unit_id, from_date) SELECT "
                   "'Egen', 'X-1', id, '2026-09-01' FROM register_units");
    REQUIRE_FALSE(add_phone);
    CHECK_THAT(add_phone.error().message, Catch::Contains("permission denied"));
    const auto retire = as_a.query("UPDATE register_phones SET retired_on = '2026-10-01'");
    REQUIRE_FALSE(retire);
    CHECK_THAT(retire.error().message, Catch::Contains("permission denied"));
    CHECK_FALSE(as_a.query("UPDATE register_units SET name = 'Annan'"));
    CHECK_FALSE(as_a.query("DELETE FROM register_phones"));
    CHECK_FALSE(as_a.query("SELECT setval('register_version', 1)"));
    CHECK(scalar(review, "SELECT count(*) FROM register_phones WHERE retired_on IS NULL") == "1");

    pg::Connection owner = fleet.pg.owner();
    CHECK(central_counts(owner, "station-b") == store_counts(fleet.b));
}

TEST_CASE("a station's role reads only its own findings, and no evidence in clear") {
    TwoStations fleet;
    pg::Connection as_a = fleet.pg.connect("station_a");
    CHECK(scalar(as_a, "SELECT count(*) FROM findings") ==
          std::to_string(store_counts(fleet.a).at("findings")));
    CHECK(scalar(as_a, "SELECT count(*) FROM findings WHERE station_id = 'station-b'") == "0");
    CHECK(scalar(as_a, "SELECT count(*) FROM thumbnails WHERE station_id = 'station-b'") == "0");

    // The excerpt and the thumbnail are sealed: the station's own role, and the database,
    // hold bytes that only the review server's secret key opens.
    const auto sealed = as_a.query("SELECT f.excerpt_sealed, t.jpeg_sealed, i.label_sealed "
                                   "FROM findings f JOIN thumbnails t ON t.station_id = "
                                   "f.station_id AND t.local_id = f.item_id JOIN items i ON "
                                   "i.station_id = f.station_id AND i.local_id = f.item_id");
    REQUIRE(sealed);
    REQUIRE(sealed->rows.size() == 1);
    const auto thumbnail = pg::from_bytea(sealed->rows[0][1].value_or(""));
    REQUIRE(thumbnail);
    CHECK(thumbnail->find("blurred thumbnail") == std::string::npos);
    CHECK(thumbnail->substr(0, 2) != "\xff\xd8");

    const auto excerpts = as_a.query("SELECT excerpt_sealed FROM findings WHERE kind = "
                                     "'personnummer' ORDER BY local_id");
    REQUIRE(excerpts);
    REQUIRE(excerpts->rows.size() == 3);
    const auto excerpt = pg::from_bytea(excerpts->rows[0][0].value_or(""));
    REQUIRE(excerpt);
    CHECK(excerpt->find("850709") == std::string::npos);

    const auto review_public =
        value_of(central::read_review_public(fleet.settings_a.review_public_key));
    const auto review_secret =
        value_of(central::read_review_secret(fleet.dir / "keys" / "review_secret.key"));
    const auto opened = crypto::open_sealed(review_public, review_secret, *excerpt);
    REQUIRE(opened);
    CHECK(*opened == "född 850709-**** (0)");
    const auto picture = crypto::open_sealed(review_public, review_secret, *thumbnail);
    REQUIRE(picture);
    CHECK(picture->find("blurred thumbnail of SER-A") != std::string::npos);
    // No key but the review server's opens it.
    crypto::BoxPublicKey other_public{};
    crypto::BoxSecretKey other_secret{};
    crypto::box_keypair(other_public, other_secret);
    CHECK_FALSE(crypto::open_sealed(other_public, other_secret, *excerpt));

    // The stations' register of progress: its own row only.
    CHECK(scalar(as_a, "SELECT count(*) FROM stations") == "1");
    // Decisions themselves are the review server's, and so are its controls, its
    // users' password hashes and its audit trail.
    CHECK_FALSE(as_a.query("SELECT count(*) FROM decisions"));
    CHECK_FALSE(as_a.query("SELECT count(*) FROM central_controls"));
    CHECK_FALSE(as_a.query("SELECT count(*) FROM review_log"));
    CHECK_FALSE(as_a.query("SELECT count(*) FROM users"));
    CHECK_FALSE(as_a.query("SELECT count(*) FROM review_audit"));
}

TEST_CASE("the review role reads every station, and the same number matches across stations") {
    TwoStations fleet;
    pg::Connection review = fleet.pg.connect("review_server");
    CHECK(scalar(review, "SELECT count(DISTINCT station_id) FROM findings") == "2");
    // The same person's number at both stations: one hash under the fleet key.
    CHECK(scalar(review, "SELECT count(DISTINCT station_id) FROM findings WHERE match_hash = '" +
                             fleet.a.match_hash("198507099805") + "'") == "2");
    // It decides; it cannot write the stations' rows.
    REQUIRE(review.query("INSERT INTO decisions (station_id, finding_id, decision, reviewer) "
                         "VALUES ('station-a', 1, 'avvikelse', 'anna.berg')"));
    CHECK_FALSE(review.query("DELETE FROM findings"));
}

TEST_CASE("every table of stations' rows confines a station's role to its own rows") {
    // A table added later without its policies would let every station read every
    // other station's rows: each table with a station_id has row-level security on and
    // a policy for each of the two roles. Not `stations` (a station sees its own row by
    // its role's name) nor `decisions` and `central_controls` (the review server's
    // alone; stations read the removals for their phones through the view
    // removal_requests): they have their own policies, tested above.
    PgCluster pg;
    auto owner = pg.owner();
    const std::string unguarded =
        scalar(owner, "SELECT coalesce(string_agg(c.relname, ','), '') FROM pg_class c JOIN "
                      "pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = 'public' AND c.relkind = 'r' "
                      "AND c.relname NOT IN ('stations', 'decisions', 'central_controls') "
                      "AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
                      "AND a.attname = 'station_id' AND NOT a.attisdropped) "
                      "AND (NOT c.relrowsecurity "
                      "OR NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname "
                      "AND 'dockscan_station' = ANY (p.roles)) "
                      "OR NOT EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname "
                      "AND 'dockscan_review' = ANY (p.roles)))");
    const std::string guarded = scalar(
        owner, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
               "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity");
    CHECK(unguarded == "");
    // stations, decisions, central_controls and the twelve tables copied from the
    // stations.
    CHECK(guarded == "15");
}

TEST_CASE("only TLS with a certificate that names the role gets in") {
    PgCluster pg;
    {
        auto owner = pg.owner();
        REQUIRE(central::add_station(owner, "station-a", "station_a"));
        REQUIRE(central::add_station(owner, "station-b", "station_b"));
    }
    (void)pg.conninfo("station_b");
    std::string plain = pg.conninfo("station_a");
    plain.replace(plain.find("sslmode=verify-full"), 19, "sslmode=disable");
    const auto refused = pg::Connection::connect(plain);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::central_unavailable);

    // Station A's role with station B's certificate.
    std::string wrong = pg.conninfo("station_a");
    const auto at = wrong.find("station_a.crt");
    REQUIRE(at != std::string::npos);
    wrong.replace(at, 13, "station_b.crt");
    const auto key_at = wrong.find("station_a.key");
    wrong.replace(key_at, 13, "station_b.key");
    const auto mismatched = pg::Connection::connect(wrong);
    REQUIRE_FALSE(mismatched);
    CHECK_THAT(mismatched.error().message, Catch::Contains("certificate authentication failed"));

    // A server whose certificate does not name the host is refused by verify-full.
    std::string other_host = pg.conninfo("station_a");
    other_host.replace(other_host.find("host=localhost"), 14,
                       "host=localhost hostaddr=127.0.0.1 host=127.0.0.2");
    CHECK_FALSE(pg::Connection::connect(other_host));
}

} // namespace
} // namespace dockscan::agent::central_test
