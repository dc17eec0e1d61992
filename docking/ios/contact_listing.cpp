// Contacts of an iOS backup: each person of AddressBook.sqlitedb is one item,
// ref "contact:<ROWID>", label "Kontakt nr <ROWID>" (no name), read as the folder
// source reads a vCard contact (vcard.hpp's contact_content: render_contact's text and
// the name field by field).

#include "docking/ios/address_book.hpp"
#include "docking/ios/backup_listing.hpp"

namespace dockscan::docking::ios {
namespace {

constexpr std::string_view k_home_domain = "HomeDomain";
constexpr std::string_view k_address_book = "Library/AddressBook/AddressBook.sqlitedb";

} // namespace

Expected<void> list_contacts(ListContext& context) {
    DOCKSCAN_TRY_ASSIGN(const auto found, context.files.find(k_home_domain, k_address_book));
    if (!found) {
        return {};
    }
    DOCKSCAN_TRY_ASSIGN(BackupDatabase book, context.files.open_database(*found));
    const std::int64_t book_mtime = found->meta.mtime.value_or(0);
    return each_person(book.db, [&](const AddressBookPerson& person) -> Expected<void> {
        DOCKSCAN_TRY(context.check_stop());
        const std::string text = render_contact(person.contact);
        if (text.empty()) {
            return {}; // a person with no field that can hold client data
        }
        const std::string number = std::to_string(person.rowid);
        const std::string ref = "contact:" + number;
        const ItemInfo info{ItemType::contact, ref, text.size(),
                            person.modified != 0 ? person.modified : book_mtime,
                            "Kontakt nr " + number};
        context.catalog.contacts.insert_or_assign(ref, person.contact);
        return context.emit(info);
    });
}

} // namespace dockscan::docking::ios
