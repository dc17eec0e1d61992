#pragma once

// Contacts in iOS's AddressBook.sqlitedb (HomeDomain
// Library/AddressBook/AddressBook.sqlitedb): `ABPerson` (First, Middle, Last,
// Nickname, Organization, JobTitle, Note, Birthday) and its `ABMultiValue` rows
// (property 3: phone number, 4: e-mail address, 5: postal address, whose parts are
// rows of `ABMultiValueEntry`). Columns that an iOS version lacks are read as empty.

#include "base/sqlite.hpp"
#include "docking/error.hpp"
#include "docking/vcard.hpp"

#include <cstdint>
#include <functional>

namespace dockscan::docking::ios {

struct AddressBookPerson {
    std::int64_t rowid = 0;
    Contact contact;           // as vcard.hpp's render_contact renders it
    std::int64_t modified = 0; // ModificationDate, Unix seconds; 0 when unknown
};

// Every person, by ROWID. An error of `visit` ends the walk with that error.
[[nodiscard]] Expected<void>
each_person(base::sqlite::Database& db,
            const std::function<Expected<void>(const AddressBookPerson&)>& visit);

// ABPerson.Birthday (seconds since 2001 as text, noon UTC of the day) as "YYYY-MM-DD";
// other text as it is.
[[nodiscard]] std::string birthday_text(const std::string& value);

} // namespace dockscan::docking::ios
