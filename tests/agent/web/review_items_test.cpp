// One item, one decision: the findings of a photo are decided together, the browser goes
// on to the next open item, a scan's open findings can take one decision; a refused form
// keeps what was typed and points at the field.

#include "agent/web/decision_form.hpp"
#include "base/time.hpp"
#include "tests/agent/web/review_fixture.hpp"

#include <catch2/catch.hpp>
#include <cstdio>

using namespace dockscan::agent;
using namespace dockscan::agent::web;
using namespace dockscan::agent::web::test;

namespace {

std::string id(std::int64_t value) {
    return std::to_string(value);
}

std::string date_text(dockscan::base::Date d) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", d.year, d.month, d.day);
    return text;
}

std::string days_ahead(int days) {
    return date_text(dockscan::base::swedish_date(dockscan::base::unix_now() + days * 86400));
}

NewFinding image_finding(const std::string& category, const std::string& severity,
                         const std::string& detector) {
    NewFinding finding;
    finding.kind = category;
    finding.category = category;
    finding.severity = severity;
    finding.confidence = 0.8;
    finding.detector = detector;
    return finding;
}

// A photographed document with a personnummer on it (two findings of one item, with
// different proposed severities) and a second photo, in one scan of HT-Norr-01.
struct PhotoScan {
    std::int64_t scan = 0;
    std::int64_t document = 0; // the first photo's findings
    std::int64_t number = 0;
    std::int64_t second = 0; // the second photo's finding
};

PhotoScan photo_scan(ReviewFixture& f) {
    const auto phone = value_of(f.store.upsert_phone({"HT-Norr-01", "SER-A", "", "", ""}));
    PhotoScan s;
    s.scan = value_of(f.store.begin_scan(phone, "test"));
    NewFinding document = image_finding("dokumentbild", "avvikelse", "image/document");
    document.thumbnail = Thumbnail{std::string("\xff\xd8\xff\xe0", 4) + "blurred", 72, 96};
    NewFinding number = store_test::personnummer_finding("450411-****", "450411-**** Kim");
    number.category = "personnummer_i_bild";
    number.severity = "allvarlig_avvikelse";
    // 2026-11-20 10:15 in Sweden.
    const std::int64_t taken = 1795166100;
    value_of(f.store.write_batch(
        s.scan, phone,
        {ItemResult{"photo",
                    "DCIM/100APPLE/IMG_0101.JPG",
                    "Bild DCIM/100APPLE/IMG_0101.JPG",
                    100,
                    taken,
                    ItemOutcome::scanned,
                    {document, number},
                    {}},
         ItemResult{"photo",
                    "DCIM/100APPLE/IMG_0102.JPG",
                    "Bild DCIM/100APPLE/IMG_0102.JPG",
                    100,
                    taken,
                    ItemOutcome::scanned,
                    {image_finding("bild_pa_brukare", "avvikelse", "image/face")},
                    {}}}));
    value_of(f.store.finish_scan(s.scan, ScanStatus::complete, "", ItemCounts{}));
    const auto rows = value_of(f.store.findings(s.scan));
    REQUIRE(rows.size() == 3);
    for (const auto& row : rows) {
        (row.category == "dokumentbild"          ? s.document
         : row.category == "personnummer_i_bild" ? s.number
                                                 : s.second) = row.id;
    }
    return s;
}

} // namespace

TEST_CASE("a photo with a document and a personnummer is one row and one decision",
          "[web][items]") {
    ReviewFixture f;
    const PhotoScan s = photo_scan(f);
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);

    const Response queue = client.get("/granska");
    REQUIRE(queue.status == 200);
    // One link for the photo (by its first finding), none for its second finding.
    CHECK(contains(queue.body, "Granska<span class=\"sr-only\"> fynd " + id(s.document)));
    CHECK_FALSE(contains(queue.body, "fynd " + id(s.number) + "<"));
    CHECK(contains(queue.body, "Bild på dokument, Personnummer i bild"));
    // What it is, to find it in the phone's gallery: file name and date.
    CHECK(contains(queue.body, "<strong class=\"file\">IMG_0101.JPG</strong>"));
    CHECK(contains(queue.body, "daterad 2026-11-20 10:15"));
    // The blurred thumbnail instead of "Ingen bild".
    CHECK(contains(queue.body, "src=\"/fynd/" + id(s.document) + "?bild=1\""));

    const Response page = client.get("/fynd/" + id(s.number));
    REQUIRE(page.status == 200);
    // The proposed severity is the item's highest.
    CHECK(contains(page.body, "<dt>Föreslagen bedömning</dt><dd><span class=\"sev "
                              "sev-allvarlig_avvikelse\">"));
    CHECK(contains(page.body, "Beslutet gäller alla 2 fynd i samma sak."));

    const Response saved =
        client.post("/fynd/" + id(s.number) + "/beslut", {{"csrf", client.csrf()},
                                                          {"decision", "allvarlig_avvikelse"},
                                                          {"action", "raderat_fran_telefonen"}});
    REQUIRE(saved.status == 303);
    // On to the next open item: the other photo of the same scan.
    CHECK(Client::header(saved, "Location") == "/fynd/" + id(s.second) + "?sparat=nasta");
    CHECK(f.count("SELECT count(*) FROM reviews WHERE decision = 'allvarlig_avvikelse'") == 2);
    CHECK(f.count("SELECT count(DISTINCT finding_id) FROM reviews") == 2);
    const Response next = client.get("/fynd/" + id(s.second), {{"sparat", "nasta"}});
    CHECK(contains(next.body, "Här är nästa fynd som väntar på beslut."));

    // The decided item shows its decision once in the history, not once per finding.
    const Response decided = client.get("/fynd/" + id(s.document));
    std::size_t rows = 0;
    for (std::size_t at = 0; (at = decided.body.find("data-label=\"Av\"", at)) != std::string::npos;
         ++at) {
        ++rows;
    }
    CHECK(rows == 1);
}

TEST_CASE("after the last open item the decision shows on its own page", "[web][items]") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    client.get("/fynd/" + id(f.finding_a));
    const Response saved = client.post("/fynd/" + id(f.finding_a) + "/beslut",
                                       {{"csrf", client.csrf()}, {"decision", "avvikelse"}});
    CHECK(Client::header(saved, "Location") == "/fynd/" + id(f.finding_a) + "?sparat=1");
}

TEST_CASE("one decision for every open finding of a scan, decided ones left as they are",
          "[web][items]") {
    ReviewFixture f;
    const PhotoScan s = photo_scan(f);
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    client.get("/fynd/" + id(s.second));
    REQUIRE(client
                .post("/fynd/" + id(s.second) + "/beslut",
                      {{"csrf", client.csrf()}, {"decision", "ingen_avvikelse"}})
                .status == 303);

    const std::string path = "/skanningar/" + id(s.scan);
    const Response page = client.get(path);
    CHECK(contains(page.body, "Samma beslut för alla som väntar"));
    CHECK(contains(page.body, "Gäller 2 fynd i 1 sak som inte har något beslut."));
    const Response saved = client.post(path + "/beslut", {{"csrf", client.csrf()},
                                                          {"decision", "avvikelse"},
                                                          {"action", "samtal_med_medarbetare"},
                                                          {"follow_up", days_ahead(14)}});
    REQUIRE(saved.status == 303);
    CHECK(Client::header(saved, "Location") == path + "?sparat=alla");
    CHECK(f.count("SELECT count(*) FROM reviews WHERE decision = 'avvikelse' AND actions = "
                  "'[\"samtal_med_medarbetare\"]'") == 2);
    CHECK(f.count("SELECT count(*) FROM reviews WHERE follow_up = '" + days_ahead(14) + "'") == 2);
    CHECK(f.count("SELECT count(*) FROM reviews WHERE finding_id = " + id(s.second)) == 1);
    const Response after = client.get(path, {{"sparat", "alla"}});
    CHECK(contains(after.body, "Beslutet är sparat för alla fynd som väntade."));
    CHECK_FALSE(contains(after.body, "Samma beslut för alla som väntar"));
    bool audited = false;
    for (const auto& row : f.audit_rows()) {
        audited |= contains(row, "anna.berg decide_scan scan:" + id(s.scan) +
                                     " decision=avvikelse actions=samtal_med_medarbetare "
                                     "follow_up=" +
                                     days_ahead(14) + " findings=2");
    }
    CHECK(audited);
}

TEST_CASE("a refused decision keeps every typed field and points at the wrong one",
          "[web][items]") {
    ReviewFixture f;
    ReviewApp app(f.store, {});
    Client client(app);
    REQUIRE(client.login("anna.berg", k_supervisor_password).status == 303);
    const std::string path = "/fynd/" + id(f.finding_a);
    client.get(path);
    const Response refused = client.post(path + "/beslut", {{"csrf", client.csrf()},
                                                            {"decision", "avvikelse"},
                                                            {"action", "paminnelse_pa_apt"},
                                                            {"other_action", "Ny rutin på APT"},
                                                            {"follow_up", "2020-03-01"},
                                                            {"note", "Pratat med Kim i dag"}});
    CHECK(refused.status == 400);
    CHECK(f.count("SELECT count(*) FROM reviews") == 0);
    // The message stands next to the field, which names it for screen readers.
    CHECK(contains(refused.body, "<p class=\"field-error\" id=\"follow_up-fel\">Uppföljningen "
                                 "ska vara ett datum efter i dag.</p>"));
    CHECK(contains(refused.body, "id=\"follow_up\" name=\"follow_up\" value=\"2020-03-01\" "
                                 "aria-invalid=\"true\" aria-describedby=\"follow_up-fel\""));
    // Everything typed is still there.
    CHECK(contains(refused.body, "value=\"avvikelse\" required checked"));
    CHECK(contains(refused.body, "value=\"paminnelse_pa_apt\" checked"));
    CHECK(contains(refused.body, "value=\"annat\" checked"));
    CHECK(contains(refused.body, "value=\"Ny rutin på APT\""));
    CHECK(contains(refused.body, ">Pratat med Kim i dag</textarea>"));

    const Response removal = client.post(path + "/beslut", {{"csrf", client.csrf()},
                                                            {"decision", "ingen_avvikelse"},
                                                            {"action", "raderat_fran_telefonen"},
                                                            {"note", "Tomt"}});
    CHECK(removal.status == 400);
    CHECK(
        contains(removal.body, "<fieldset aria-invalid=\"true\" aria-describedby=\"action-fel\">"));
    CHECK(contains(removal.body, "går inte ihop med"));
    CHECK(f.count("SELECT count(*) FROM reviews") == 0);
}

TEST_CASE("the decision form's checks", "[web][items]") {
    const dockscan::base::Date today{2026, 12, 7};
    struct Case {
        DecisionForm form;
        std::string field; // empty: accepted
    };
    const Case c = GENERATE(
        Case{{"", {}, "", "", ""}, "decision"},
        Case{{"avvikelse", {"okand"}, "", "", ""}, "action"},
        Case{{"ingen_avvikelse", {"raderat_fran_telefonen"}, "", "", ""}, "action"},
        Case{{"ingen_avvikelse", {"samtal_med_medarbetare"}, "", "", ""}, ""},
        Case{{"avvikelse", {"annat"}, "", "", ""}, "other_action"},
        Case{{"avvikelse", {}, "", "2026-12-07", ""}, "follow_up"},
        Case{{"avvikelse", {}, "", "2020-01-10", ""}, "follow_up"},
        Case{{"avvikelse", {}, "", "7/1 2027", ""}, "follow_up"},
        Case{{"avvikelse", {}, "", "2027-02-30", ""}, "follow_up"},
        Case{{"avvikelse", {}, "", "2026-12-08", ""}, ""},
        Case{{"allvarlig_avvikelse", {"raderat_fran_telefonen"}, "", "", std::string(1001, 'x')},
             "note"});
    const auto error = check_decision_form(c.form, today);
    CAPTURE(c.form.decision, c.form.follow_up);
    CHECK((error ? error->field : std::string()) == c.field);
}
