#pragma once

// Full names in a contact list: the seed reports count a contact saved with a client's
// first and last name as a deviation of its own. A contact is given field by field;
// whether the fields make a person's full name is decided here.

#include "detectors/signal.hpp"

#include <optional>
#include <string_view>

namespace dockscan::detectors {

struct ContactName {
    std::string_view given;
    std::string_view family;
    std::string_view formatted; // as the phone shows it
};

// A `full_name` signal when the contact holds a person's first and last name: from
// the structured fields, or else (a field missing or failing the name test) from a
// shown name of two to four name-shaped words.
// Role and organisation contacts ("Maria SSK", "Apoteket Kronan", "Planeringen") are
// not full names. `text` is the contact's rendering: the signal's offsets point at
// the shown name in it when it is there. `masked` holds the initials ("K. L.").
[[nodiscard]] std::optional<Signal> find_full_name(const ContactName& name, std::string_view text);

} // namespace dockscan::detectors
