#pragma once

// A store with two units, a phone and a finding in each, a supervisor of the first
// unit and a quality lead; and a cookie-keeping client for the review app.

#include "agent/store/inventory.hpp"
#include "agent/store/users.hpp"
#include "agent/web/review_app.hpp"
#include "tests/agent/store/store_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <string>

namespace dockscan::agent::web::test {

// Whether a page (or any text) has `part` in it.
inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

using store_test::value_of;

inline constexpr const char* k_supervisor_password = "anna-losenord-1";
inline constexpr const char* k_lead_password = "kerstin-losen-22";

struct ReviewFixture {
    testing::TempDir dir;
    StoreKey key = store_test::new_key(dir);
    Store store = store_test::open_store(dir / "store.db", key);
    std::int64_t scan_a = 0;
    std::int64_t scan_b = 0;
    std::int64_t finding_a = 0;
    std::int64_t finding_b = 0;

    ReviewFixture() {
        value_of(inventory::add_unit(store, "Hemtjänst Norr", "Hemtjänst"));
        value_of(inventory::add_unit(store, "LSS Ekan", "Funktionsstöd"));
        value_of(inventory::add_phone(store, {"HT-Norr-01", "SER-A", "Hemtjänst Norr"}));
        value_of(inventory::add_phone(store, {"LSS-Ekan-07", "SER-B", "LSS Ekan"}));
        scan_a = scan("HT-Norr-01", "SER-A", "SMS från +46 70… 2026-11-20 14:02");
        scan_b = scan("LSS-Ekan-07", "SER-B", "Anteckning Notes/ekan.txt");
        finding_a = value_of(store.findings(scan_a)).front().id;
        finding_b = value_of(store.findings(scan_b)).front().id;
        value_of(users::add_user(
            store, {"anna.berg", "Anna Berg", users::Role::supervisor, {"Hemtjänst Norr"}},
            k_supervisor_password));
        value_of(users::add_user(
            store, {"kerstin.q", "Kerstin Qvist", users::Role::quality_lead, {}}, k_lead_password));
    }

    // One scan of a phone with one personnummer finding (both phones share the keyed
    // hash: the same person's number on two phones).
    std::int64_t scan(const std::string& label, const std::string& serial,
                      const std::string& item_label) {
        const auto phone = value_of(store.upsert_phone({label, serial, "", "", ""}));
        const auto id = value_of(store.begin_scan(phone, "test"));
        NewFinding finding = store_test::personnummer_finding("450411-****", "född 450411-****");
        finding.match_hash = "5a5a";
        value_of(store.write_batch(id, phone,
                                   {ItemResult{"message",
                                               "sms:" + serial,
                                               item_label,
                                               100,
                                               1,
                                               ItemOutcome::scanned,
                                               {finding},
                                               {}}}));
        value_of(store.finish_scan(id, ScanStatus::complete, "", ItemCounts{}));
        return id;
    }

    // Every audit row as "actor action object detail".
    std::vector<std::string> audit_rows() {
        auto select =
            value_of_sql("SELECT actor, action, object, detail FROM audit_log ORDER BY id");
        std::vector<std::string> rows;
        while (*select.step()) {
            rows.push_back(select.column_text(0) + " " + select.column_text(1) + " " +
                           select.column_text(2) + " " + select.column_text(3));
        }
        return rows;
    }

    std::int64_t count(const std::string& sql) {
        auto select = value_of_sql(sql);
        REQUIRE(*select.step());
        return select.column_int(0);
    }

    base::sqlite::Statement value_of_sql(const std::string& sql) {
        auto stmt = store.database().prepare(sql);
        REQUIRE(stmt);
        return std::move(*stmt);
    }
};

// A browser in miniature: keeps cookies, finds the CSRF token in the last page.
struct Client {
    explicit Client(ReviewApp& review_app) : app(review_app) {}

    ReviewApp& app;
    std::string address = "127.0.0.1";
    std::map<std::string, std::string> cookies;
    Response last;

    Response get(const std::string& path, std::multimap<std::string, std::string> params = {}) {
        return send("GET", path, std::move(params));
    }

    Response post(const std::string& path, std::multimap<std::string, std::string> params) {
        return send("POST", path, std::move(params));
    }

    // The session's CSRF token, from the last page shown.
    std::string csrf() const { return field(last.body, "csrf"); }

    Response login(const std::string& name, const std::string& password) {
        get("/logga-in");
        const std::string token = field(last.body, "login_token");
        return post("/logga-in", {{"name", name}, {"password", password}, {"login_token", token}});
    }

    static std::string field(const std::string& html, const std::string& name) {
        const std::regex pattern("name=\"" + name + "\" value=\"([0-9a-f]*)\"");
        std::smatch match;
        return std::regex_search(html, match, pattern) ? match[1].str() : std::string();
    }

    static std::string header(const Response& response, const std::string& name) {
        for (const auto& [key, value] : response.headers) {
            if (key == name) {
                return value;
            }
        }
        return {};
    }

private:
    Response send(const std::string& method, const std::string& path,
                  std::multimap<std::string, std::string> params) {
        const Request request{method, path, std::move(params), cookies, address};
        Response response = app.handle(request);
        for (const auto& [key, value] : response.headers) {
            if (key != "Set-Cookie") {
                continue;
            }
            const auto eq = value.find('=');
            const auto end = value.find(';');
            const std::string cookie = value.substr(0, eq);
            if (value.find("Max-Age=0") != std::string::npos) {
                cookies.erase(cookie);
            } else {
                cookies[cookie] = value.substr(eq + 1, end - eq - 1);
            }
        }
        if (response.status != 303) {
            last = response;
        }
        return response;
    }
};

} // namespace dockscan::agent::web::test
