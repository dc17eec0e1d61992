#pragma once

// Demo data for `dockscan demo`: units, phones registered to them, and the people who
// review (a supervisor and a quality lead). The demo phone's findings are left open, for
// the newcomer to decide in the review UI. Labels and names are made up.

#include "agent/error.hpp"
#include "agent/store/store.hpp"
#include "agent/store/users.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::demo_inventory {

// Adds "Hemtjänst Nord" (Hemtjänst) with the demo phone and five more phones that
// were never checked, and "Gruppbostad Björken" (Funktionsstöd) with three phones.
[[nodiscard]] Expected<void> seed(Store& store, std::string_view demo_phone_label);

// A person the demo registers for the review UI, with the password generated for them
// (shown once by `dockscan demo`, stored only as its argon2id hash).
struct DemoUser {
    std::string name;
    std::string display_name;
    users::Role role;
    std::string password;
};

// Adds a supervisor of "Hemtjänst Nord" (demo.chef), who decides the demo phone's
// findings, and a quality lead (demo.kvalitet), each with a random password.
[[nodiscard]] Expected<std::vector<DemoUser>> add_users(Store& store);

} // namespace dockscan::agent::demo_inventory
