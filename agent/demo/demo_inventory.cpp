#include "agent/demo/demo_inventory.hpp"

#include "agent/store/inventory.hpp"
#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace dockscan::agent::demo_inventory {

namespace {

using store_detail::Transaction;

constexpr std::string_view k_context = "cannot write the demo data";

struct DemoPhone {
    std::string_view label;
    std::string_view serial;
};

constexpr std::array k_nord_phones = {
    DemoPhone{"Hemtjänst Nord 1", "DEMO-HN-01"}, DemoPhone{"Hemtjänst Nord 2", "DEMO-HN-02"},
    DemoPhone{"Hemtjänst Nord 4", "DEMO-HN-04"}, DemoPhone{"Hemtjänst Nord 5", "DEMO-HN-05"},
    DemoPhone{"Hemtjänst Nord 6", "DEMO-HN-06"},
};
constexpr std::array k_bjorken_phones = {
    DemoPhone{"Björken 1", "DEMO-GB-01"},
    DemoPhone{"Björken 2", "DEMO-GB-02"},
    DemoPhone{"Björken 3", "DEMO-GB-03"},
};

// The demo registers its units and phones the way an IT admin does (`dockscan units
// add`, `dockscan phones add`), so the demo shows what the real inventory looks like.
template <std::size_t N>
Expected<void> add_phones(Store& store, std::string_view unit,
                          const std::array<DemoPhone, N>& phones) {
    for (const DemoPhone& phone : phones) {
        DOCKSCAN_TRY(inventory::add_phone(
            store, inventory::PhoneRegistration{std::string(phone.label), std::string(phone.serial),
                                                std::string(unit)}));
    }
    return {};
}

bool is_serious(std::string_view category) {
    return category.starts_with("personnummer_") || category == "halsouppgift" ||
           category == "sarbild";
}

} // namespace

Expected<void> seed(Store& store, std::string_view demo_phone_label) {
    DOCKSCAN_TRY(inventory::add_unit(store, "Hemtjänst Nord", "Hemtjänst"));
    DOCKSCAN_TRY(inventory::add_unit(store, "Gruppbostad Björken", "Funktionsstöd"));
    DOCKSCAN_TRY(inventory::add_phone(
        store, inventory::PhoneRegistration{std::string(demo_phone_label), "", "Hemtjänst Nord"}));
    DOCKSCAN_TRY(add_phones(store, "Hemtjänst Nord", k_nord_phones));
    return add_phones(store, "Gruppbostad Björken", k_bjorken_phones);
}

Expected<void> decide(Store& store, std::int64_t scan_id, std::string_view follow_up) {
    auto& db = store.database();
    std::vector<std::pair<std::int64_t, std::string>> findings;
    {
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto select,
            db.prepare("SELECT id, category FROM findings WHERE scan_id = ?1 ORDER BY id"),
            k_context);
        select.bind(1, scan_id);
        while (true) {
            DOCKSCAN_STORE_TRY_ASSIGN(const bool row, select.step(), k_context);
            if (!row) {
                break;
            }
            findings.emplace_back(select.column_int(0), select.column_text(1));
        }
    }
    if (findings.size() < 2) {
        return {};
    }
    findings.pop_back(); // left open on purpose
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert,
        db.prepare("INSERT INTO reviews (finding_id, decision, actions, follow_up, note, "
                   "reviewer, created_at) VALUES (?1, ?2, ?3, ?4, 'demodata', 'demo', ?5)"),
        k_context);
    const std::string now = base::iso8601_utc(base::unix_now());
    for (const auto& [id, category] : findings) {
        const bool serious = is_serious(category);
        insert.bind(1, id);
        insert.bind_text(2, serious ? "allvarlig_avvikelse" : "avvikelse");
        insert.bind_text(3, serious ? R"(["raderat_fran_telefonen","samtal_med_medarbetare"])"
                                    : R"(["raderat_fran_telefonen"])");
        insert.bind_text(4, serious ? follow_up : std::string_view());
        insert.bind_text(5, now);
        DOCKSCAN_STORE_TRY(insert.step(), k_context);
        insert.reset();
    }
    DOCKSCAN_TRY(transaction.commit());
    return store.append_audit(AuditEntry{"demo", "decide", "scan:" + std::to_string(scan_id),
                                         std::to_string(findings.size()) + " demo decisions"});
}

} // namespace dockscan::agent::demo_inventory
