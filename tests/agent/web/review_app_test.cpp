// The review app behind the socket: who sees what, what every form needs, and what
// the audit log records. Requests go straight to ReviewApp::handle.

#include "base/time.hpp"
#include "tests/agent/web/review_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>
#include <set>

using namespace dockscan::agent;
using namespace dockscan::agent::web;
using namespace dockscan::agent::web::test;

namespace {

bool any_row(const std::vector<std::string>& rows, const std::string& part) {
    return std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return contains(r, part); });
}

std::string id(std::int64_t value) {
    return std::to_string(value);
}

// A date `days` after today in Sweden, as the form takes it.
std::string days_ahead(int days) {
    const auto d = dockscan::base::swedish_date(dockscan::base::unix_now() + days * 86400);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    return text;
}

} // namespace

TEST_CASE("without a session every page leads to the login") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    for (const std::string path : {"/", "/granska", "/fynd/1", "/skanningar"}) {
        const Response r = client.get(path);
        CHECK(r.status == 303);
        CHECK(Client::header(r, "Location") == "/logga-in");
    }
    const Response post =
        client.post("/fynd/" + id(f.finding_a) + "/beslut", {{"decision", "avvikelse"}});
    CHECK(post.status == 303);
    CHECK(f.count("SELECT count(*) FROM reviews") == 0);
    const Response login = client.get("/logga-in");
    CHECK(login.status == 200);
    CHECK(contains(login.body, "Logga in"));
    CHECK(contains(Client::header(login, "Content-Security-Policy"), "default-src 'none'"));
    CHECK(Client::header(login, "Cache-Control") == "no-store");
}

TEST_CASE("a login sets an HttpOnly, SameSite=Strict session cookie and is audited") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    const Response r = client.login("anna.berg", k_supervisor_password);
    REQUIRE(r.status == 303);
    CHECK(Client::header(r, "Location") == "/granska");
    std::string cookie;
    for (const auto& [key, value] : r.headers) {
        if (key == "Set-Cookie" && value.rfind("dockscan_session=", 0) == 0) {
            cookie = value;
        }
    }
    CHECK(contains(cookie, "HttpOnly"));
    CHECK(contains(cookie, "SameSite=Strict"));
    CHECK_FALSE(contains(cookie, "Secure"));
    CHECK(any_row(f.audit_rows(), "anna.berg login user:anna.berg from 127.0.0.1"));

    ReviewApp tls_app(f.store, ReviewOptions{true, {}});
    Client tls_client(tls_app);
    const Response tls = tls_client.login("anna.berg", k_supervisor_password);
    bool secure = false;
    for (const auto& [key, value] : tls.headers) {
        secure = secure || (key == "Set-Cookie" && contains(value, "dockscan_session=") &&
                            contains(value, "; Secure"));
    }
    CHECK(secure);
}

TEST_CASE("a login needs the login form's own token") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    const Response r = client.post(
        "/logga-in",
        {{"name", "anna.berg"}, {"password", k_supervisor_password}, {"login_token", "00"}});
    CHECK(r.status == 403);
    CHECK_FALSE(client.cookies.count("dockscan_session"));
}

TEST_CASE("a supervisor sees their unit's findings and is refused another unit's") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);

    const Response queue = client.get("/granska");
    REQUIRE(queue.status == 200);
    CHECK(contains(queue.body, "HT-Norr-01"));
    CHECK(contains(queue.body, "Personnummer i meddelande"));
    CHECK(contains(queue.body, "<span class=\"sev sev-avvikelse\">Avvikelse</span>"));
    CHECK(contains(queue.body, "450411-****"));
    CHECK(contains(queue.body, "Ingen bild"));
    CHECK_FALSE(contains(queue.body, "LSS-Ekan-07"));
    CHECK_FALSE(contains(queue.body, "/fynd/" + id(f.finding_b) + "\""));

    const Response other = client.get("/fynd/" + id(f.finding_b));
    CHECK(other.status == 404);
    CHECK_FALSE(contains(other.body, "LSS-Ekan-07"));
    const Response other_scan = client.get("/skanningar/" + id(f.scan_b));
    CHECK(other_scan.status == 404);
    const Response missing = client.get("/fynd/999999");
    CHECK(missing.status == 404);

    client.get("/fynd/" + id(f.finding_a));
    const Response decide = client.post("/fynd/" + id(f.finding_b) + "/beslut",
                                        {{"csrf", client.csrf()}, {"decision", "avvikelse"}});
    CHECK(decide.status == 404);
    CHECK(f.count("SELECT count(*) FROM reviews") == 0);

    const auto rows = f.audit_rows();
    CHECK(any_row(rows, "anna.berg access_denied finding:" + id(f.finding_b)));
    CHECK(any_row(rows, "anna.berg access_denied scan:" + id(f.scan_b)));
    CHECK(any_row(rows, "anna.berg view_queue findings 1 findings shown"));
    CHECK(any_row(rows, "anna.berg view_finding finding:" + id(f.finding_a)));
    // A finding that does not exist is no one's: a 404, not a denial.
    CHECK_FALSE(any_row(rows, "finding:999999"));
}

TEST_CASE("the quality lead follows every unit, without the evidence") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("kerstin.q", k_lead_password).status == 303);
    const Response queue = client.get("/granska");
    CHECK(contains(queue.body, "HT-Norr-01"));
    CHECK(contains(queue.body, "LSS-Ekan-07"));
    CHECK(contains(queue.body, "Kvalitetsansvarig"));
    CHECK(contains(queue.body, "Personnummer i meddelande"));
    CHECK_FALSE(contains(queue.body, "450411-****"));
    CHECK_FALSE(contains(queue.body, "SMS från"));
    const Response finding = client.get("/fynd/" + id(f.finding_b));
    CHECK(finding.status == 200);
    CHECK_FALSE(contains(finding.body, "450411-****"));
    CHECK_FALSE(contains(finding.body, "Spara beslut"));
    CHECK_FALSE(contains(finding.body, "Skarpare vy"));
}

TEST_CASE("a decision needs the session's CSRF token, and is kept with its history") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    const std::string path = "/fynd/" + id(f.finding_a);
    REQUIRE(client.get(path).status == 200);
    const std::string csrf = client.csrf();
    REQUIRE(csrf.size() == 64);

    const Response forged = client.post(path + "/beslut", {{"decision", "avvikelse"}});
    CHECK(forged.status == 403);
    const Response wrong =
        client.post(path + "/beslut", {{"decision", "avvikelse"}, {"csrf", std::string(64, 'a')}});
    CHECK(wrong.status == 403);
    CHECK(f.count("SELECT count(*) FROM reviews") == 0);

    const Response incomplete = client.post(path + "/beslut", {{"csrf", csrf}});
    CHECK(incomplete.status == 400);
    CHECK(contains(incomplete.body, "Välj en bedömning."));
    const std::string follow_up = days_ahead(10);
    const Response bad_date = client.post(
        path + "/beslut", {{"csrf", csrf}, {"decision", "avvikelse"}, {"follow_up", "2026-02-30"}});
    CHECK(bad_date.status == 400);
    CHECK(f.count("SELECT count(*) FROM reviews") == 0);

    const Response saved = client.post(path + "/beslut", {{"csrf", csrf},
                                                          {"decision", "avvikelse"},
                                                          {"action", "raderat_fran_telefonen"},
                                                          {"action", "paminnelse_pa_apt"},
                                                          {"follow_up", follow_up},
                                                          {"note", "Pratat med Kim"}});
    REQUIRE(saved.status == 303);
    CHECK(Client::header(saved, "Location") == path + "?sparat=1");
    const Response shown = client.get(path, {{"sparat", "1"}});
    CHECK(contains(shown.body, "Beslutet är sparat."));
    CHECK(contains(shown.body, "Raderat från telefonen, Påminnelse på APT"));
    CHECK(contains(shown.body, follow_up));
    CHECK(contains(shown.body, "Ändra beslut"));

    // Changed: a second row, the newest counts, the first stays in the history.
    REQUIRE(client
                .post(path + "/beslut", {{"csrf", csrf},
                                         {"decision", "allvarlig_avvikelse"},
                                         {"other_action", "Anmält enligt rutin"}})
                .status == 303);
    CHECK(f.count("SELECT count(*) FROM reviews") == 2);
    CHECK(f.count("SELECT count(*) FROM reviews WHERE actions = '[\"annat\"]' AND "
                  "other_action = 'Anmält enligt rutin'") == 1);
    const Response history = client.get(path);
    CHECK(contains(history.body, "Annat (Anmält enligt rutin)"));
    CHECK(contains(history.body, "Raderat från telefonen"));

    CHECK_FALSE(contains(client.get("/granska").body, "HT-Norr-01"));
    const Response decided = client.get("/beslutade");
    CHECK(contains(decided.body, "HT-Norr-01"));
    // People by the name they go by, not their login.
    CHECK(contains(decided.body, "av Anna Berg"));
    CHECK_FALSE(contains(decided.body, "anna.berg,"));

    const auto rows = f.audit_rows();
    CHECK(any_row(rows, "anna.berg csrf_rejected path:" + path + "/beslut"));
    CHECK(any_row(rows, "anna.berg decide finding:" + id(f.finding_a) +
                            " decision=avvikelse actions=raderat_fran_telefonen,paminnelse_pa_apt "
                            "follow_up=" +
                            follow_up));
    // Free text may name people: it stays out of the audit log.
    CHECK_FALSE(any_row(rows, "Kim"));
    CHECK_FALSE(any_row(rows, "rutin"));
}

TEST_CASE("the sharper view needs a reason and is audited with it") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    const std::string path = "/fynd/" + id(f.finding_a);
    client.get(path);
    const std::string csrf = client.csrf();

    const Response no_reason = client.post(path + "/visa", {{"csrf", csrf}, {"reason", "  "}});
    CHECK(no_reason.status == 400);
    CHECK_FALSE(contains(no_reason.body, "sms:SER-A"));

    const Response shown = client.post(
        path + "/visa", {{"csrf", csrf}, {"reason", "Oklart om det är ett personnummer"}});
    REQUIRE(shown.status == 200);
    // Plain Swedish: no internal refs or detector codes, no percentage that reads as exact.
    CHECK_FALSE(contains(shown.body, "sms:SER-A"));
    CHECK_FALSE(contains(shown.body, "text/identity-number"));
    CHECK_FALSE(contains(shown.body, "90 %"));
    CHECK(contains(shown.body, "Textgranskning: personnummer"));
    CHECK(contains(shown.body, "Mycket trolig"));
    // The same keyed hash is on the other unit's phone; the count says so, nothing more.
    CHECK(contains(shown.body, "Finns på 1 andra telefon"));
    CHECK_FALSE(contains(shown.body, "LSS-Ekan-07"));
    CHECK(any_row(f.audit_rows(), "anna.berg reveal finding:" + id(f.finding_a) +
                                      " reason: Oklart om det är ett personnummer"));
}

TEST_CASE("kontroll genomförd is recorded per scan") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    const std::string path = "/skanningar/" + id(f.scan_a);
    const Response page = client.get(path);
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "Kontroll genomförd"));
    CHECK(contains(page.body, "Ingen kontroll registrerad."));

    const Response saved =
        client.post(path + "/kontroll",
                    {{"csrf", client.csrf()}, {"result", "avvikelse"}, {"note", "Raderat"}});
    REQUIRE(saved.status == 303);
    CHECK(f.count("SELECT count(*) FROM controls WHERE result = 'avvikelse' AND reviewer = "
                  "'anna.berg'") == 1);
    CHECK(contains(client.get(path).body, "Raderat"));
    const Response list = client.get("/skanningar");
    CHECK(contains(list.body, "HT-Norr-01"));
    CHECK_FALSE(contains(list.body, "LSS-Ekan-07"));

    // A refused control keeps the chosen result and the note, and marks the note.
    const std::string long_note(1001, 'x');
    const Response too_long = client.post(
        path + "/kontroll",
        {{"csrf", client.csrf()}, {"result", "allvarlig_avvikelse"}, {"note", long_note}});
    CHECK(too_long.status == 400);
    CHECK(contains(too_long.body, "value=\"allvarlig_avvikelse\" required checked"));
    CHECK(contains(too_long.body, ">" + long_note + "</textarea>"));
    CHECK(contains(too_long.body, "aria-describedby=\"control_note-fel\""));

    const Response other = client.post("/skanningar/" + id(f.scan_b) + "/kontroll",
                                       {{"csrf", client.csrf()}, {"result", "avvikelse"}});
    CHECK(other.status == 404);
    CHECK(f.count("SELECT count(*) FROM controls") == 1);
    CHECK(any_row(f.audit_rows(), "anna.berg control scan:" + id(f.scan_a) + " result=avvikelse"));
}

TEST_CASE("six wrong passwords lock the name, even for the right password") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    for (int i = 0; i < 5; ++i) {
        const Response r = client.login("anna.berg", "fel-losenord-" + std::to_string(i));
        CHECK(r.status == 401);
        CHECK(contains(r.body, "Fel användarnamn eller lösenord."));
    }
    const Response sixth = client.login("anna.berg", "fel-losenord-6");
    CHECK(sixth.status == 429);
    CHECK(contains(sixth.body, "För många misslyckade inloggningar. Försök igen om 5 minuter."));
    const Response right = client.login("anna.berg", k_supervisor_password);
    CHECK(right.status == 429);
    CHECK_FALSE(client.cookies.count("dockscan_session"));
    // Another user at the same workstation is not locked out.
    CHECK(client.login("kerstin.q", k_lead_password).status == 303);

    const auto rows = f.audit_rows();
    CHECK(std::count_if(rows.begin(), rows.end(), [](const auto& r) {
              return contains(r, "anna.berg login_failed user:anna.berg wrong password");
          }) == 5);
    CHECK(any_row(rows, "anna.berg login_locked"));
}

TEST_CASE("a script hammering a locked name writes one audit row, not one per attempt") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    for (int i = 0; i < 5; ++i) {
        REQUIRE(client.login("anna.berg", "fel-losenord-" + std::to_string(i)).status == 401);
    }
    for (int i = 0; i < 200; ++i) {
        REQUIRE(client.login("anna.berg", "fel-losenord-x" + std::to_string(i)).status == 429);
    }
    const auto rows = f.audit_rows();
    CHECK(std::count_if(rows.begin(), rows.end(), [](const auto& r) {
              return contains(r, "anna.berg login_locked user:anna.berg refused while locked");
          }) == 1);
    // The chain still holds, and the log grew by the five failures and one row.
    CHECK(value_of(f.store.verify_audit()).intact);
}

TEST_CASE("unknown names and disabled users are refused alike") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    REQUIRE(client.get("/granska").status == 200);
    value_of(users::disable(f.store, "anna.berg"));
    // The open session ends at the next request.
    const Response after = client.get("/granska");
    CHECK(after.status == 303);
    CHECK(Client::header(after, "Location") == "/logga-in");
    const Response disabled = client.login("anna.berg", k_supervisor_password);
    CHECK(disabled.status == 401);
    const Response unknown = client.login("hemligt-losen-typed-as-name", k_supervisor_password);
    CHECK(unknown.status == 401);
    CHECK(disabled.body.find("Fel användarnamn eller lösenord.") != std::string::npos);

    const auto rows = f.audit_rows();
    CHECK(any_row(rows, "anna.berg login_failed user:anna.berg account disabled"));
    CHECK(any_row(rows, "unknown login_failed user unknown user"));
    // What was typed as a name is not logged when it is no user's.
    CHECK_FALSE(any_row(rows, "hemligt"));
}

TEST_CASE("logout ends the session") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    const std::string session = client.cookies.at("dockscan_session");
    client.get("/granska");
    const Response out = client.post("/logga-ut", {{"csrf", client.csrf()}});
    CHECK(out.status == 303);
    CHECK(Client::header(out, "Location") == "/logga-in?utloggad=1");
    client.cookies["dockscan_session"] = session;
    CHECK(client.get("/granska").status == 303);
    CHECK(any_row(f.audit_rows(), "anna.berg logout user:anna.berg"));
}

TEST_CASE("text from a phone is escaped, and the audit log holds no evidence") {
    ReviewFixture f;
    f.scan("HT-Norr-02", "SER-C", "SMS från <script>alert(1)</script>");
    value_of(inventory::move_phone(f.store, "HT-Norr-02", "Hemtjänst Norr"));
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    const Response queue = client.get("/granska");
    CHECK_FALSE(contains(queue.body, "<script>"));
    CHECK(contains(queue.body, "SMS från &lt;script&gt;alert(1)&lt;/script&gt;"));
    client.get("/fynd/" + id(f.finding_a));
    client.post("/fynd/" + id(f.finding_a) + "/visa",
                {{"csrf", client.csrf()}, {"reason", "kontroll"}});
    for (const auto& row : f.audit_rows()) {
        CAPTURE(row);
        CHECK_FALSE(contains(row, "450411"));
        CHECK_FALSE(contains(row, "född"));
        CHECK_FALSE(contains(row, "sms:"));
    }
}

TEST_CASE("the scan page lists the items that could not be read, with the reason") {
    ReviewFixture f;
    const auto phone =
        store_test::value_of(f.store.upsert_phone({"HT-Norr-01", "SER-A", "", "", ""}));
    const auto scan = store_test::value_of(f.store.begin_scan(phone, "test"));
    store_test::value_of(
        f.store.write_batch(scan, phone,
                            {ItemResult{"photo",
                                        "DCIM/IMG_0042.HEIC",
                                        "Bild IMG_0042.HEIC",
                                        10,
                                        1,
                                        ItemOutcome::failed,
                                        {},
                                        "not an image dockscan can read (<broken> HEIC)"}}));
    store_test::value_of(
        f.store.finish_scan(scan, ScanStatus::partial, "1 item could not be read", ItemCounts{}));
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    const Response page = client.get("/skanningar/" + id(scan));
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "Kunde inte läsas (1)"));
    CHECK(contains(page.body, "Bild IMG_0042.HEIC"));
    // The reason is the phone's text too: escaped like everything else.
    CHECK(contains(page.body, "(&lt;broken&gt; HEIC)"));
    CHECK(contains(page.body, "Ofullständig"));
}

TEST_CASE("a long queue comes in pages of 50 items, an item's findings never split") {
    ReviewFixture f;
    // A phone with 120 more messages to review, the 50th with two numbers (two findings).
    const auto phone = value_of(f.store.upsert_phone({"HT-Norr-01", "SER-A", "", "", ""}));
    const auto scan = value_of(f.store.begin_scan(phone, "test"));
    std::vector<ItemResult> items;
    for (int i = 1; i <= 120; ++i) {
        NewFinding finding = store_test::personnummer_finding("450411-****", "född 450411-****");
        std::vector<NewFinding> found{finding};
        if (i == 50) {
            found.push_back(store_test::personnummer_finding("121212-****", "och 121212-****"));
        }
        items.push_back(ItemResult{"message",
                                   "sms:" + std::to_string(i),
                                   "Meddelande nr " + std::to_string(i) + ".",
                                   100,
                                   1,
                                   ItemOutcome::scanned,
                                   found,
                                   {}});
    }
    value_of(f.store.write_batch(scan, phone, items));
    value_of(f.store.finish_scan(scan, ScanStatus::complete, "", ItemCounts{}));

    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    // Which of the 120 messages (and the fixture's own) a page lists.
    auto listed = [&](const Response& page) {
        std::set<int> numbers;
        const std::regex label("Meddelande nr (\\d+)\\.");
        for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), label);
             it != std::sregex_iterator(); ++it) {
            numbers.insert(std::stoi((*it)[1]));
        }
        return numbers;
    };
    const Response first = client.get("/granska");
    const Response second = client.get("/granska", {{"sida", "2"}});
    const Response third = client.get("/granska", {{"sida", "3"}});
    REQUIRE(first.status == 200);
    REQUIRE(second.status == 200);
    REQUIRE(third.status == 200);
    const auto a = listed(first);
    const auto b = listed(second);
    const auto c = listed(third);
    CHECK(a.size() == 50);
    CHECK(b.size() == 50);
    // The third page: the last 20 messages and the fixture's older scan (not numbered).
    CHECK(c.size() == 20);
    CHECK(contains(third.body, "SMS från +46 70"));
    std::set<int> all(a);
    all.insert(b.begin(), b.end());
    all.insert(c.begin(), c.end());
    CHECK(all.size() == 120); // every message on exactly one page
    // Message 50's two findings stand on one page, together.
    CHECK(a.count(50) == 1);
    CHECK(contains(first.body, "121212-****"));
    CHECK_FALSE(contains(second.body, "121212-****"));
    // The links between the pages.
    CHECK(contains(first.body, "href=\"/granska?sida=2\">Nästa sida</a>"));
    CHECK_FALSE(contains(first.body, "Föregående sida"));
    CHECK(contains(second.body, "href=\"/granska?sida=1\">Föregående sida</a>"));
    CHECK(contains(second.body, "href=\"/granska?sida=3\">Nästa sida</a>"));
    CHECK(contains(third.body, "Sida 3"));
    CHECK_FALSE(contains(third.body, "Nästa sida"));
    // A page past the end, or not a number.
    CHECK(contains(client.get("/granska", {{"sida", "9"}}).body, "Sidan är tom."));
    CHECK(listed(client.get("/granska", {{"sida", "x"}})) == a);
}
