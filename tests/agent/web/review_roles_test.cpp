// Least privilege, route by route and role by role: what the server answers (not which
// links it shows), what it writes, and that the refusals are audited. And the end of
// every session of a user whose password changed or who was disabled.

#include "tests/agent/web/review_fixture.hpp"

#include <catch2/catch.hpp>

using namespace dockscan::agent;
using namespace dockscan::agent::web;
using namespace dockscan::agent::web::test;

namespace {

constexpr const char* k_admin_password = "admin-losenord-3";

std::string id(std::int64_t value) {
    return std::to_string(value);
}

struct Route {
    const char* method;
    std::string path;
    std::multimap<std::string, std::string> params;
};

std::vector<Route> routes(const ReviewFixture& f) {
    const std::string finding = "/fynd/" + id(f.finding_a);
    const std::string scan = "/skanningar/" + id(f.scan_a);
    return {
        {"GET", "/granska", {}},
        {"GET", "/beslutade", {}},
        {"GET", "/skanningar", {}},
        {"GET", scan, {}},
        {"GET", finding, {}},
        {"GET", finding, {{"bild", "1"}}},
        {"POST", finding + "/beslut", {{"decision", "avvikelse"}}},
        {"POST", finding + "/visa", {{"reason", "kontroll"}}},
        {"POST", scan + "/kontroll", {{"result", "avvikelse"}}},
        {"POST", scan + "/beslut", {{"decision", "avvikelse"}}},
    };
}

Response send(Client& client, const Route& route) {
    auto params = route.params;
    if (std::string(route.method) == "POST") {
        // Every page behind the login carries the token in its logout form, refusals too.
        client.get("/granska");
        params.emplace("csrf", client.csrf());
        return client.post(route.path, params);
    }
    return client.get(route.path, params);
}

} // namespace

TEST_CASE("every route answers each role as the role allows", "[web][roles]") {
    ReviewFixture f;
    value_of(users::add_user(f.store, {"it.admin", "Ida Admin", users::Role::admin, {}},
                             k_admin_password));
    struct Expect {
        const char* user;
        const char* password;
        // The status of each route in routes(), in order.
        std::vector<int> statuses;
    };
    // The supervisor's thumbnail route is a 404 only because a message has no picture;
    // the thumbnail test covers a photo. Her POSTs end in a redirect (303).
    const Expect expect = GENERATE(
        Expect{
            "anna.berg", k_supervisor_password, {200, 200, 200, 200, 200, 404, 303, 200, 303, 303}},
        Expect{"kerstin.q", k_lead_password, {200, 200, 200, 200, 200, 403, 403, 403, 403, 403}},
        Expect{"it.admin", k_admin_password, {403, 403, 403, 403, 403, 403, 403, 403, 403, 403}});
    CAPTURE(expect.user);
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login(expect.user, expect.password).status == 303);
    const auto all = routes(f);
    REQUIRE(all.size() == expect.statuses.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        CAPTURE(all[i].method, all[i].path);
        const Response r = send(client, all[i]);
        CHECK(r.status == expect.statuses[i]);
        if (std::string(expect.user) != "anna.berg") {
            // Neither the quality lead nor the admin sees evidence on any route.
            CHECK_FALSE(contains(r.body, "450411-****"));
            CHECK_FALSE(contains(r.body, "född"));
            CHECK_FALSE(contains(r.body, "SMS från"));
        }
        if (std::string(expect.user) == "it.admin") {
            // The admin sees no client data at all: not even which phones had findings.
            CHECK_FALSE(contains(r.body, "HT-Norr-01"));
        }
    }
    const std::int64_t reviews = f.count("SELECT count(*) FROM reviews");
    const std::int64_t controls = f.count("SELECT count(*) FROM controls");
    if (std::string(expect.user) == "anna.berg") {
        CHECK(reviews >= 1);
        CHECK(controls == 1);
    } else {
        CHECK(reviews == 0);
        CHECK(controls == 0);
        bool audited = false;
        for (const auto& row : f.audit_rows()) {
            audited |= contains(row, std::string(expect.user) + " access_denied path:/fynd/" +
                                         id(f.finding_a) + "/beslut role ");
        }
        CHECK(audited);
    }
}

TEST_CASE("the admin starts on a page without findings, and has no links to them", "[web][roles]") {
    ReviewFixture f;
    value_of(users::add_user(f.store, {"it.admin", "Ida Admin", users::Role::admin, {}},
                             k_admin_password));
    ReviewApp app(f.store, {});
    Client client(app);
    const Response login = client.login("it.admin", k_admin_password);
    REQUIRE(login.status == 303);
    CHECK(Client::header(login, "Location") == "/start");
    const Response start = client.get("/start");
    CHECK(start.status == 200);
    CHECK(contains(start.body, "Administration"));
    CHECK(contains(start.body, "Ida Admin (Administratör)"));
    CHECK_FALSE(contains(start.body, "href=\"/granska\""));
    CHECK(Client::header(client.get("/"), "Location") == "/start");
}

TEST_CASE("a password change ends every session of the user, also one in another browser",
          "[web][sessions]") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client office(app);
    Client phone(app);
    Client lead(app);
    REQUIRE(office.login("anna.berg", k_supervisor_password).status == 303);
    REQUIRE(phone.login("anna.berg", k_supervisor_password).status == 303);
    REQUIRE(lead.login("kerstin.q", k_lead_password).status == 303);
    REQUIRE(office.get("/granska").status == 200);
    REQUIRE(phone.get("/granska").status == 200);

    // As `dockscan users passwd` does it: on the store, from another process.
    value_of(users::set_password(f.store, "anna.berg", "ett-helt-nytt-losen"));
    // The first request after the change ends every session of the user at once.
    const Response first = office.get("/granska");
    CHECK(first.status == 303);
    CHECK(Client::header(first, "Location") == "/logga-in?avslutad=1");
    const Response second = phone.get("/granska");
    CHECK(second.status == 303);
    CHECK(Client::header(second, "Location") == "/logga-in");
    CHECK(office.get("/granska").status == 303);
    CHECK(contains(office.get("/logga-in", {{"avslutad", "1"}}).body, "lösenordet har ändrats"));
    // Someone else's session goes on.
    CHECK(lead.get("/granska").status == 200);
    // The new password opens a new session; the old one does not.
    CHECK(office.login("anna.berg", k_supervisor_password).status == 401);
    CHECK(office.login("anna.berg", "ett-helt-nytt-losen").status == 303);
    CHECK(office.get("/granska").status == 200);
    bool audited = false;
    for (const auto& row : f.audit_rows()) {
        audited |= contains(row, "anna.berg session_ended user:anna.berg");
    }
    CHECK(audited);
}

TEST_CASE("disabling a user ends their sessions", "[web][sessions]") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("kerstin.q", k_lead_password).status == 303);
    REQUIRE(client.get("/granska").status == 200);
    value_of(users::disable(f.store, "kerstin.q"));
    CHECK(value_of(users::credentials(f.store, "kerstin.q"))->user.generation == 1);
    CHECK(client.get("/granska").status == 303);
    CHECK(client.login("kerstin.q", k_lead_password).status == 401);
}
