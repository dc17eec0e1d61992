#include "agent/demo/demo_inventory.hpp"

#include "agent/store/inventory.hpp"
#include "agent/store/store_internal.hpp"
#include "agent/store/users.hpp"
#include "base/time.hpp"

#include <array>
#include <random>
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

// Four groups of four from an alphabet without look-alikes (no 0/O, 1/l/I): about 90
// bits, typed from the terminal once.
std::string random_password() {
    constexpr std::string_view k_alphabet =
        "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::random_device random;
    std::uniform_int_distribution<std::size_t> pick(0, k_alphabet.size() - 1);
    std::string password;
    for (int i = 0; i < 16; ++i) {
        if (i > 0 && i % 4 == 0) {
            password += '-';
        }
        password += k_alphabet[pick(random)];
    }
    return password;
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

Expected<std::vector<DemoUser>> add_users(Store& store) {
    std::vector<DemoUser> added = {
        DemoUser{"demo.chef", "Demo Enhetschef", users::Role::supervisor, random_password()},
        DemoUser{"demo.kvalitet", "Demo Kvalitetsansvarig", users::Role::quality_lead,
                 random_password()},
    };
    for (const DemoUser& user : added) {
        std::vector<std::string> units;
        if (user.role == users::Role::supervisor) {
            units.emplace_back("Hemtjänst Nord");
        }
        DOCKSCAN_TRY(users::add_user(
            store, users::NewUser{user.name, user.display_name, user.role, units}, user.password));
        DOCKSCAN_TRY(
            store.append_audit(AuditEntry{"demo", "user_add", "user:" + user.name,
                                          "role=" + std::string(users::to_string(user.role))}));
    }
    return added;
}

} // namespace dockscan::agent::demo_inventory
