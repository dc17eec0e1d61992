// The central review server's users in PostgreSQL (agent/central/central_users.*): the
// same rules as a station's users, units named as the stations synced them, and every
// change in review_audit.

#include "agent/central/central_users.hpp"
#include "tests/agent/central/pg_cluster.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace dockscan::agent::central_test {
namespace {

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

} // namespace
} // namespace dockscan::agent::central_test
