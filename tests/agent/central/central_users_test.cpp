// The central review server's users in PostgreSQL (agent/central/central_users.*) and
// `dockscan users --central`: the same rules as a station's users, units named as the
// stations synced them, and every change in review_audit.

#include "agent/central/central_users.hpp"
#include "tests/agent/central/pg_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pwd.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace dockscan::agent::central_test {
namespace {

using testing::dockscan_exe;
using testing::run_process;
using testing::TempDir;
using testing::write_file;

constexpr const char* k_actor = "cli:test-admin";

// The rows of review_audit as "action object detail (actor)", oldest first.
std::vector<std::string> audit_rows(pg::Connection& conn) {
    const auto rows =
        conn.query("SELECT action, object, detail, actor FROM review_audit ORDER BY id");
    REQUIRE(rows);
    std::vector<std::string> lines;
    for (const auto& row : rows->rows) {
        std::string line = row[0].value_or("") + " " + row[1].value_or("");
        if (!row[2].value_or("").empty()) {
            line += " " + *row[2];
        }
        lines.push_back(line + " (" + row[3].value_or("") + ")");
    }
    return lines;
}

const users::User& user_named(const std::vector<users::User>& all, const std::string& name) {
    for (const auto& user : all) {
        if (user.name == name) {
            return user;
        }
    }
    FAIL("no user " << name);
    return all.front();
}

// The user and password hash of `name`, who must exist.
users::Credentials fetch(pg::Connection& conn, const std::string& name) {
    auto found = central::credentials(conn, name);
    REQUIRE(found);
    REQUIRE(found->has_value());
    return std::move(**found);
}

TEST_CASE("central users: units by name across stations, the station's rules, every change "
          "audited") {
    PgCluster pg;
    add_norr_and_soder(pg);
    {
        // The register as two stations synced it: Hemtjänst Norr at both.
        auto owner = pg.owner();
        REQUIRE(owner.exec("INSERT INTO units (station_id, local_id, name, area) VALUES "
                           "('norr', 1, 'Hemtjänst Norr', 'Hemtjänst'), "
                           "('soder', 4, 'Hemtjänst Norr', 'Hemtjänst'), "
                           "('soder', 5, 'SÄBO Eken', 'SÄBO')"));
    }
    auto conn = pg.connect("review_server");

    const users::NewUser anna{
        "chef.norr", "Anna Berg", users::Role::supervisor, {"SÄBO Eken", "Hemtjänst Norr"}};
    const auto id = central::add_user(conn, anna, "första-lösenordet", k_actor);
    REQUIRE(id);
    REQUIRE(central::add_user(conn, {"kvalitet", "Karin Lund", users::Role::quality_lead, {}},
                              "kvalitetens-lösen", k_actor));

    const auto all = central::list(conn);
    REQUIRE(all);
    REQUIRE(all->size() == 2);
    const auto& listed = user_named(*all, "chef.norr");
    CHECK(listed.id == *id);
    CHECK(listed.display_name == "Anna Berg");
    CHECK(listed.role == users::Role::supervisor);
    // One unit Hemtjänst Norr, though two stations have it; in byte order.
    CHECK(listed.units == std::vector<std::string>{"Hemtjänst Norr", "SÄBO Eken"});
    CHECK_FALSE(listed.disabled);
    CHECK(listed.generation == 0);
    CHECK(user_named(*all, "kvalitet").units.empty());

    // What the review server's login checks: the argon2id hash of the password.
    auto login = fetch(conn, "chef.norr");
    CHECK(users::verify_password(login.password_hash, "första-lösenordet"));
    CHECK_FALSE(users::verify_password(login.password_hash, "fel-lösenord-helt"));
    CHECK(login.user.units == listed.units);
    const auto nobody = central::credentials(conn, "ingen.alls");
    REQUIRE(nobody);
    CHECK_FALSE(nobody->has_value());

    SECTION("refused: an unknown unit, a name taken, a supervisor without units") {
        const auto unknown = central::add_user(
            conn, {"chef.soder", "", users::Role::supervisor, {"SÄBO Eken", "Gruppbostad Ek"}},
            "ett-bra-lösenord", k_actor);
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().code == ErrorCode::config);
        CHECK_THAT(unknown.error().message, Catch::Contains("unknown unit 'Gruppbostad Ek'"));
        // Nothing of the refused user stays: no user, no unit link, no audit row.
        const auto after = central::credentials(conn, "chef.soder");
        REQUIRE(after);
        CHECK_FALSE(after->has_value());
        CHECK(scalar(conn, "SELECT count(*) FROM user_units") == "2");

        const auto taken = central::add_user(conn, {"chef.norr", "", users::Role::admin, {}},
                                             "ett-bra-lösenord", k_actor);
        REQUIRE_FALSE(taken);
        CHECK(taken.error().code == ErrorCode::config);
        CHECK_THAT(taken.error().message, Catch::Contains("already exists"));

        const auto no_units = central::add_user(conn, {"chef.x", "", users::Role::supervisor, {}},
                                                "ett-bra-lösenord", k_actor);
        REQUIRE_FALSE(no_units);
        CHECK(no_units.error().code == ErrorCode::usage);
        // The station's own checks of names and passwords apply.
        const auto bad_name = central::add_user(conn, {"Chef Norr", "", users::Role::admin, {}},
                                                "ett-bra-lösenord", k_actor);
        REQUIRE_FALSE(bad_name);
        CHECK(bad_name.error().code == ErrorCode::usage);
        const auto short_password =
            central::add_user(conn, {"admin", "", users::Role::admin, {}}, "kort", k_actor);
        REQUIRE_FALSE(short_password);
        CHECK(short_password.error().code == ErrorCode::usage);
        CHECK(audit_rows(conn).size() == 2);
    }

    SECTION("a new password and disabling end sessions; units change for supervisors only") {
        REQUIRE(central::set_password(conn, "chef.norr", "andra-lösenordet", k_actor));
        login = fetch(conn, "chef.norr");
        CHECK(login.user.generation == 1);
        CHECK(users::verify_password(login.password_hash, "andra-lösenordet"));
        CHECK_FALSE(users::verify_password(login.password_hash, "första-lösenordet"));

        REQUIRE(central::disable(conn, "chef.norr", k_actor));
        login = fetch(conn, "chef.norr");
        CHECK(login.user.disabled);
        CHECK(login.user.generation == 2);
        REQUIRE(central::enable(conn, "chef.norr", k_actor));
        login = fetch(conn, "chef.norr");
        CHECK_FALSE(login.user.disabled);
        CHECK(login.user.generation == 2);

        const auto unknown_user = central::disable(conn, "ingen.alls", k_actor);
        REQUIRE_FALSE(unknown_user);
        CHECK(unknown_user.error().code == ErrorCode::config);
        const auto unknown_passwd =
            central::set_password(conn, "ingen.alls", "ett-bra-lösenord", k_actor);
        REQUIRE_FALSE(unknown_passwd);
        CHECK(unknown_passwd.error().code == ErrorCode::config);

        const auto lead = central::set_units(conn, "kvalitet", {"SÄBO Eken"}, k_actor);
        REQUIRE_FALSE(lead);
        CHECK(lead.error().code == ErrorCode::config);
        CHECK_THAT(lead.error().message, Catch::Contains("no supervisor"));
        const auto unknown_unit =
            central::set_units(conn, "chef.norr", {"SÄBO Eken", "Okänd"}, k_actor);
        REQUIRE_FALSE(unknown_unit);
        CHECK_THAT(unknown_unit.error().message, Catch::Contains("unknown unit 'Okänd'"));
        // The refused change left the units as they were.
        login = fetch(conn, "chef.norr");
        CHECK(login.user.units == std::vector<std::string>{"Hemtjänst Norr", "SÄBO Eken"});

        REQUIRE(central::set_units(conn, "chef.norr", {"SÄBO Eken"}, k_actor));
        login = fetch(conn, "chef.norr");
        CHECK(login.user.units == std::vector<std::string>{"SÄBO Eken"});

        // Every change once, in order, by who made it; the refused ones not at all.
        CHECK(audit_rows(conn) ==
              std::vector<std::string>{
                  "user_add user:chef.norr role=supervisor units=SÄBO Eken,Hemtjänst Norr "
                  "(cli:test-admin)",
                  "user_add user:kvalitet role=quality_lead (cli:test-admin)",
                  "user_passwd user:chef.norr (cli:test-admin)",
                  "user_disable user:chef.norr (cli:test-admin)",
                  "user_enable user:chef.norr (cli:test-admin)",
                  "user_units user:chef.norr units=SÄBO Eken (cli:test-admin)",
              });
        // No password or hash in the audit trail.
        CHECK(scalar(conn, "SELECT count(*) FROM review_audit WHERE detail LIKE '%lösenord%' "
                           "OR detail LIKE '%argon2%'") == "0");
    }
}

void ok(const std::vector<std::string>& args, const std::string& input = {}) {
    const auto done = run_process(args, input);
    INFO(done.err);
    REQUIRE(done.exit_code == 0);
}

std::string os_user() {
    const passwd* pw = getpwuid(getuid());
    return pw != nullptr ? std::string(pw->pw_name) : "uid" + std::to_string(getuid());
}

TEST_CASE("dockscan users --central manages the review server's users with units two stations "
          "synced") {
    PgCluster pg;
    TempDir dir;
    add_norr_and_soder(pg);
    // Two stations register their units and sync them: Hemtjänst Norr at both.
    const auto norr = (make_station_folder(pg, dir, "norr", "station_norr") / "dockscan.toml");
    const auto soder = (make_station_folder(pg, dir, "soder", "station_soder") / "dockscan.toml");
    ok({dockscan_exe(), "units", "add", "Hemtjänst Norr", "--area", "Hemtjänst", "--config",
        norr.string()});
    ok({dockscan_exe(), "units", "add", "Hemtjänst Norr", "--area", "Hemtjänst", "--config",
        soder.string()});
    ok({dockscan_exe(), "units", "add", "SÄBO Eken", "--area", "SÄBO", "--config", soder.string()});
    for (const auto& config : {norr, soder}) {
        ok({dockscan_exe(), "central", "sync", "--once", "--config", config.string()});
    }
    const std::string review = review_config(pg, dir, "review_server").string();

    // The IT admin's first users: the password on stdin, never on the command line;
    // --central before or after the subcommand.
    const auto added = run_process({dockscan_exe(), "users", "--central", "--config", review, "add",
                                    "chef.norr", "--role", "supervisor", "--unit", "Hemtjänst Norr",
                                    "--unit", "SÄBO Eken", "--display-name", "Anna Berg"},
                                   "första-lösenordet\n");
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    CHECK(added.out == "added user chef.norr (supervisor)\n");
    ok({dockscan_exe(), "users", "add", "kvalitet", "--role", "quality_lead", "--central",
        "--config", review},
       "kvalitetens-lösen\n");

    const auto json =
        run_process({dockscan_exe(), "users", "--central", "--config", review, "list", "--json"});
    REQUIRE(json.exit_code == 0);
    const auto listed = nlohmann::json::parse(json.out);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0]["name"] == "chef.norr");
    CHECK(listed[0]["display_name"] == "Anna Berg");
    CHECK(listed[0]["role"] == "supervisor");
    CHECK(listed[0]["units"] == nlohmann::json::array({"Hemtjänst Norr", "SÄBO Eken"}));
    CHECK(listed[0]["disabled"] == false);
    CHECK(listed[1]["name"] == "kvalitet");
    CHECK(listed[1]["role"] == "quality_lead");
    const auto table =
        run_process({dockscan_exe(), "users", "--central", "--config", review, "list"});
    REQUIRE(table.exit_code == 0);
    CHECK_THAT(table.out, Catch::Contains("Hemtjänst Norr, SÄBO Eken"));
    CHECK_THAT(table.out, Catch::Contains("(all units)"));
    // The station's own users are another list: still none.
    const auto station = run_process({dockscan_exe(), "users", "list", "--config", norr.string()});
    REQUIRE(station.exit_code == 0);
    CHECK(station.out == "no users\n");

    // A unit no station synced is refused by name, and no user is added.
    const auto unknown =
        run_process({dockscan_exe(), "users", "--central", "--config", review, "add", "chef.linden",
                     "--role", "supervisor", "--unit", "Gruppbostad Linden"},
                    "ett-bra-lösenord\n");
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown unit 'Gruppbostad Linden'"));
    // No password on stdin: nothing is added.
    const auto no_password = run_process({dockscan_exe(), "users", "--central", "--config", review,
                                          "add", "admin", "--role", "admin"},
                                         "");
    CHECK(no_password.exit_code == 2);
    CHECK_THAT(no_password.err, Catch::Contains("no password on stdin"));

    ok({dockscan_exe(), "users", "--central", "--config", review, "passwd", "chef.norr"},
       "andra-lösenordet\n");
    ok({dockscan_exe(), "users", "--central", "--config", review, "units", "chef.norr", "--unit",
        "SÄBO Eken"});
    ok({dockscan_exe(), "users", "--central", "--config", review, "disable", "kvalitet"});
    {
        auto conn = pg.connect("review_server");
        const auto anna = fetch(conn, "chef.norr");
        CHECK(users::verify_password(anna.password_hash, "andra-lösenordet"));
        CHECK(anna.user.generation == 1);
        CHECK(anna.user.units == std::vector<std::string>{"SÄBO Eken"});
        CHECK(fetch(conn, "kvalitet").user.disabled);

        // Who did what, as the station's audit log names a command's user.
        const std::string actor = " (cli:" + os_user() + ")";
        CHECK(audit_rows(conn) ==
              std::vector<std::string>{
                  "user_add user:chef.norr role=supervisor units=Hemtjänst Norr,SÄBO Eken" + actor,
                  "user_add user:kvalitet role=quality_lead" + actor,
                  "user_passwd user:chef.norr" + actor,
                  "user_units user:chef.norr units=SÄBO Eken" + actor,
                  "user_disable user:kvalitet" + actor,
              });
    }

    // A station's login is no review role: refused, nothing listed.
    const auto refused = run_process({dockscan_exe(), "users", "--central", "--config",
                                      review_config(pg, dir, "station_norr").string(), "list"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.out.empty());
    CHECK_THAT(refused.err, Catch::Contains("station_norr is not a review role"));
    // --central and a station's store together are a mistake, said so.
    const auto mixed = run_process({dockscan_exe(), "users", "--central", "--config", review,
                                    "list", "--store", (dir / "norr" / "store.db").string()});
    CHECK(mixed.exit_code == 2);
    CHECK_THAT(mixed.err, Catch::Contains("--central"));
}

} // namespace
} // namespace dockscan::agent::central_test
