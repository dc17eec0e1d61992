#include "docking/ios/address_book.hpp"

#include "base/text.hpp"
#include "docking/ios/apple_time.hpp"
#include "docking/ios/backup_files.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace dockscan::docking::ios {
namespace {

namespace sqlite = base::sqlite;

constexpr std::int64_t k_phone = 3;
constexpr std::int64_t k_email = 4;
constexpr std::int64_t k_address = 5;

// ABPerson's columns, in the order the query selects them.
constexpr std::string_view k_person_columns[] = {"First",    "Middle",       "Last",
                                                 "Nickname", "Organization", "JobTitle",
                                                 "Note",     "Birthday",     "ModificationDate"};

Error book_error(const sqlite::Error& error) {
    return database_error("AddressBook.sqlitedb", error);
}

std::string text_at(const sqlite::Statement& row, int column) {
    return row.is_null(column) ? std::string() : base::to_valid_utf8(row.column_text(column));
}

std::string join_names(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) {
        if (!part.empty()) {
            out += out.empty() ? part : " " + part;
        }
    }
    return out;
}

// The values of one person's ABMultiValue rows into `contact`.
Expected<void> read_multi_values(sqlite::Statement& values, sqlite::Statement* entries,
                                 std::int64_t rowid, Contact& contact) {
    values.reset();
    values.bind(1, rowid);
    for (;;) {
        auto row = values.step();
        if (!row) {
            return tl::unexpected(book_error(row.error()));
        }
        if (!*row) {
            return {};
        }
        const std::int64_t property = values.column_int(0);
        std::string value = text_at(values, 1);
        if (property == k_address && entries != nullptr) {
            entries->reset();
            entries->bind(1, values.column_int(2));
            std::vector<std::string> parts;
            for (auto entry = entries->step(); entry && *entry; entry = entries->step()) {
                if (std::string part = text_at(*entries, 0); !part.empty()) {
                    parts.push_back(std::move(part));
                }
            }
            for (const std::string& part : parts) {
                value += value.empty() ? part : ", " + part;
            }
        }
        if (value.empty()) {
            continue;
        }
        if (property == k_phone) {
            contact.phones.push_back(std::move(value));
        } else if (property == k_email) {
            contact.emails.push_back(std::move(value));
        } else if (property == k_address) {
            contact.addresses.push_back(std::move(value));
        }
    }
}

} // namespace

std::string birthday_text(const std::string& value) {
    if (value.empty()) {
        return value;
    }
    char* end = nullptr;
    errno = 0;
    const double seconds = std::strtod(value.c_str(), &end);
    if (errno != 0 || end == value.c_str() || *end != '\0' || !std::isfinite(seconds) ||
        std::fabs(seconds) > 1e11) {
        return value;
    }
    // A birthday is a date without a time, stored as a moment on that day: noon UTC as
    // iOS writes it, or midnight in the phone's zone from older imports, which in
    // Sweden is 22:00 or 23:00 UTC the day before. Reading the UTC date six hours
    // later gets both right (and midnight anywhere west of Sweden's zone too).
    const auto t = static_cast<std::time_t>(apple_seconds_to_unix(seconds) + 6 * 3600);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

Expected<void> each_person(sqlite::Database& db,
                           const std::function<Expected<void>(const AddressBookPerson&)>& visit) {
    for (const std::string_view table : {"ABPerson", "ABMultiValue"}) {
        auto has = db.has_table(table);
        if (!has) {
            return tl::unexpected(book_error(has.error()));
        }
        if (!*has) {
            return fail(ErrorCode::malformed,
                        "AddressBook.sqlitedb has no table " + std::string(table));
        }
    }
    std::string sql = "SELECT ROWID";
    for (const std::string_view column : k_person_columns) {
        auto has = db.has_column("ABPerson", column);
        if (!has) {
            return tl::unexpected(book_error(has.error()));
        }
        sql += *has ? ", " + std::string(column) : std::string(", NULL");
    }
    sql += " FROM ABPerson ORDER BY ROWID";
    auto people = db.prepare(sql);
    auto values = db.prepare(
        "SELECT property, value, UID FROM ABMultiValue WHERE record_id = ? ORDER BY UID");
    if (!people || !values) {
        return tl::unexpected(book_error(!people ? people.error() : values.error()));
    }
    std::optional<sqlite::Statement> entries;
    if (auto has = db.has_table("ABMultiValueEntry"); has && *has) {
        auto prepared =
            db.prepare("SELECT value FROM ABMultiValueEntry WHERE parent_id = ? ORDER BY key");
        if (prepared) {
            entries = std::move(*prepared);
        }
    }
    for (;;) {
        auto row = people->step();
        if (!row) {
            return tl::unexpected(book_error(row.error()));
        }
        if (!*row) {
            return {};
        }
        const sqlite::Statement& r = *people;
        AddressBookPerson person;
        person.rowid = r.column_int(0);
        Contact& c = person.contact;
        c.given_name = text_at(r, 1);
        c.additional_names = text_at(r, 2);
        c.family_name = text_at(r, 3);
        c.formatted_name = join_names({c.given_name, c.additional_names, c.family_name});
        c.nickname = text_at(r, 4);
        c.organization = text_at(r, 5);
        c.title = text_at(r, 6);
        if (std::string note = text_at(r, 7); !note.empty()) {
            c.notes.push_back(std::move(note));
        }
        c.birthday = birthday_text(text_at(r, 8));
        if (!r.is_null(9)) {
            person.modified = apple_seconds_to_unix(r.column_double(9));
        }
        DOCKSCAN_TRY(read_multi_values(*values, entries ? &*entries : nullptr, person.rowid, c));
        DOCKSCAN_TRY(visit(person));
    }
}

} // namespace dockscan::docking::ios
