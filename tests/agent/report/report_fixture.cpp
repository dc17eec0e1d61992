#include "tests/agent/report/report_fixture.hpp"

#include "tests/agent/store/store_test_support.hpp"

#include <catch2/catch.hpp>

namespace dockscan::agent::report_test {

namespace {

using store_test::value_of;

template <typename T>
T sql_value(base::sqlite::Expected<T> result) {
    if (!result) {
        FAIL("SQL failed: " << result.error().message);
    }
    return std::move(*result);
}

Store make_store(const testing::TempDir& dir) {
    const StoreKey key = store_test::new_key(dir, "store.key");
    return store_test::open_store(dir / "dockscan.db", key);
}

} // namespace

void exec(Store& store, const std::string& sql) {
    auto done = store.database().exec(sql);
    if (!done) {
        FAIL("SQL failed: " << done.error().message << "\n" << sql);
    }
}

std::int64_t ReportStore::unit(std::string_view name, std::string_view area) {
    auto insert =
        sql_value(m_store.database().prepare("INSERT INTO units (name, area) VALUES (?1, ?2)"));
    insert.bind_text(1, name);
    insert.bind_text(2, area);
    REQUIRE(insert.step().has_value());
    return m_store.database().last_insert_rowid();
}

std::int64_t ReportStore::phone(std::string_view label, std::optional<std::int64_t> unit_id) {
    PhoneIdentity identity;
    identity.label = std::string(label);
    const std::int64_t id = value_of(m_store.upsert_phone(identity));
    if (unit_id) {
        exec(m_store, "UPDATE phones SET unit_id = " + std::to_string(*unit_id) +
                          " WHERE id = " + std::to_string(id));
    }
    return id;
}

std::int64_t ReportStore::scan(std::int64_t phone_id, std::string_view started_at,
                               ScanStatus status,
                               std::initializer_list<std::string_view> categories,
                               std::vector<std::int64_t>* findings) {
    const std::int64_t scan_id = value_of(m_store.begin_scan(phone_id, "fixture"));
    std::vector<ItemResult> batch;
    for (const std::string_view category : categories) {
        NewFinding finding =
            store_test::personnummer_finding(std::string(k_masked), std::string(k_excerpt));
        finding.category = std::string(category);
        batch.push_back(ItemResult{"message",
                                   "sms:" + std::to_string(++m_items),
                                   std::string(k_item_label),
                                   100,
                                   1'790'000'000,
                                   ItemOutcome::scanned,
                                   {finding},
                                   {}});
    }
    value_of(m_store.write_batch(scan_id, phone_id, batch));
    value_of(m_store.finish_scan(scan_id, status, status == ScanStatus::complete ? "" : "unplugged",
                                 ItemCounts{}));
    exec(m_store, "UPDATE scans SET started_at = '" + std::string(started_at) +
                      "' WHERE id = " + std::to_string(scan_id));
    if (findings != nullptr) {
        findings->clear();
        for (const FindingRow& row : value_of(m_store.findings(scan_id))) {
            findings->insert(findings->begin(), row.id); // newest first -> oldest first
        }
    }
    return scan_id;
}

void ReportStore::review(std::int64_t finding_id, std::string_view decision,
                         std::string_view actions_json, std::string_view follow_up,
                         std::string_view other_action, std::string_view at) {
    auto insert = sql_value(m_store.database().prepare(
        "INSERT INTO reviews (finding_id, decision, actions, other_action, follow_up, reviewer, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'chef', ?6)"));
    insert.bind(1, finding_id);
    insert.bind_text(2, decision);
    insert.bind_text(3, actions_json);
    insert.bind_text(4, other_action);
    insert.bind_text(5, follow_up);
    insert.bind_text(6, at);
    REQUIRE(insert.step().has_value());
}

void ReportStore::control(std::int64_t scan_id, std::string_view result, std::string_view at) {
    exec(m_store, "INSERT INTO controls (scan_id, result, reviewer, created_at) VALUES (" +
                      std::to_string(scan_id) + ", '" + std::string(result) + "', 'chef', '" +
                      std::string(at) + "')");
}

ReportStore::ReportStore(const testing::TempDir& dir, Fill fill)
    : m_store_path(dir / "dockscan.db"), m_key_path(dir / "store.key"), m_store(make_store(dir)) {
    if (fill == Fill::nothing) {
        return;
    }
    const auto nord = unit("Hemtjänst Nord", "Hemtjänst");
    const auto syd = unit("Hemtjänst Syd", "Hemtjänst");
    const auto bjorken = unit("Gruppbostad Björken", "Funktionsstöd");
    unit("Familjeenheten", "IFO"); // no phones: no share, not under the rule

    std::vector<std::int64_t> hn;
    std::vector<std::int64_t> hs;
    std::vector<std::int64_t> gb;
    for (int i = 1; i <= 10; ++i) {
        hn.push_back(phone("HN-" + std::string(i < 10 ? "0" : "") + std::to_string(i), nord));
    }
    for (int i = 1; i <= 8; ++i) {
        hs.push_back(phone("HS-0" + std::to_string(i), syd));
    }
    for (int i = 1; i <= 4; ++i) {
        gb.push_back(phone("GB-0" + std::to_string(i), bjorken));
    }
    const auto unknown = phone("Okänd telefon", std::nullopt);

    std::vector<std::int64_t> f;
    // 2026 Q4 (from 2026-09-30T22:00:00Z to 2026-12-31T23:00:00Z in UTC).
    // HN-01: allvarlig (A), avvikelse (B), open photo (C), open unknown category (O).
    scan(hn[0], "2026-10-05T08:00:00Z", ScanStatus::complete,
         {"personnummer_i_meddelande", "personnummer_i_meddelande", "bild_pa_brukare",
          "framtida_kategori"},
         &f);
    review(f[0], "allvarlig_avvikelse", R"(["raderat_fran_telefonen","samtal_med_medarbetare"])",
           "2027-01-15");
    review(f[1], "avvikelse", R"(["raderat_fran_telefonen"])", "");
    // HN-02: decided avvikelse, then changed to ingen_avvikelse: the newest counts.
    scan(hn[1], "2026-10-06T08:00:00Z", ScanStatus::complete, {"kontakt_med_fullstandigt_namn"},
         &f);
    review(f[0], "avvikelse", R"(["raderat_fran_telefonen"])", "2026-10-10");
    review(f[0], "ingen_avvikelse", "[]", "");
    // HN-03: only a partial scan; it counts.
    scan(hn[2], "2026-11-02T10:00:00Z", ScanStatus::partial, {"sarbild"}, &f);
    review(f[0], "avvikelse", R"(["paminnelse_pa_apt"])", "2026-12-01");
    // HN-04: only a failed scan; neither the check nor its finding counts.
    scan(hn[3], "2026-11-03T10:00:00Z", ScanStatus::failed, {"bild_pa_brukare"}, &f);
    review(f[0], "avvikelse", "[]", "2026-12-24");
    // HN-05: 00:30 on 1 October in Sweden: Q4 (UTC says Q3). No findings; the newest
    // control says avvikelse.
    const auto s5 = scan(hn[4], "2026-09-30T22:30:00Z", ScanStatus::complete, {});
    control(s5, "ingen_avvikelse");
    control(s5, "avvikelse");
    // HN-06: 00:30 on 1 January 2027 in Sweden: 2027 Q1 (UTC says Q4).
    scan(hn[5], "2026-12-31T23:30:00Z", ScanStatus::complete, {"bild_pa_brukare"}, &f);
    review(f[0], "avvikelse", "[]", "2027-02-01", "", "2027-01-10T09:00:00Z");
    // HN-07: two scans, counted once; the control clears the first, the second has an
    // avvikelse.
    const auto s7 = scan(hn[6], "2026-11-10T09:00:00Z", ScanStatus::complete, {"skarmbild"}, &f);
    review(f[0], "avvikelse", "[]", "");
    control(s7, "ingen_avvikelse");
    scan(hn[6], "2026-12-01T09:00:00Z", ScanStatus::complete, {"dokumentbild"}, &f);
    review(f[0], "avvikelse", R"(["raderat_fran_telefonen"])", "");
    // HN-08: a finding decided allvarlig, but the control of the scan says no deviation.
    const auto s8 =
        scan(hn[7], "2026-12-15T09:00:00Z", ScanStatus::complete, {"namn_i_meddelande"}, &f);
    review(f[0], "allvarlig_avvikelse", "[]", "");
    control(s8, "ingen_avvikelse");
    // HS-01: allvarlig with two actions, and an open finding.
    scan(hs[0], "2026-11-15T12:00:00Z", ScanStatus::complete,
         {"halsouppgift", "personnummer_i_meddelande"}, &f);
    review(f[0], "allvarlig_avvikelse", R"(["samtal_med_medarbetare","annat"])", "2026-11-20",
           "Kontakt med MAS");
    // GB-01: one open finding: checked, no result yet.
    scan(gb[0], "2026-12-20T12:00:00Z", ScanStatus::complete, {"personnummer_i_kontakt"});
    // The phone that belongs to no unit.
    scan(unknown, "2026-10-20T12:00:00Z", ScanStatus::complete, {"personnummer_i_bild"});

    // 2026 Q3 (the previous quarter).
    scan(hn[0], "2026-08-10T08:00:00Z", ScanStatus::complete, {"personnummer_i_meddelande"}, &f);
    review(f[0], "avvikelse", R"(["raderat_fran_telefonen"])", "");
    // 00:30 on 1 July in Sweden: Q3 (UTC says Q2).
    scan(hn[1], "2026-06-30T22:30:00Z", ScanStatus::complete, {});
    scan(hs[1], "2026-09-01T08:00:00Z", ScanStatus::complete, {"sarbild", "sarbild"}, &f);
    review(f[0], "allvarlig_avvikelse", "[]", "2026-09-15"); // passed before Q4
    review(f[1], "allvarlig_avvikelse", "[]", "2026-10-20"); // still ahead at Q4

    // 2026 Q2.
    scan(hn[8], "2026-05-01T08:00:00Z", ScanStatus::complete, {});
    // 23:30 on 30 June in Sweden: still Q2.
    scan(hn[9], "2026-06-30T21:30:00Z", ScanStatus::complete, {});
}

} // namespace dockscan::agent::report_test
