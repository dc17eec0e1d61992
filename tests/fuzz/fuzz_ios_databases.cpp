// libFuzzer target: the SQLite databases of an iOS backup, mutated as files. The first
// byte picks the reader: 0 Manifest.db (BackupFiles: find, each_file, the MBFile
// records, refs of phone paths), 1 sms.db (messages, attachments, text by ROWID),
// 2 AddressBook.sqlitedb, 3 Photos.sqlite. The rest is the database file, written to a
// temporary folder and opened read-only through base/sqlite, as the readers open the
// files of an unencrypted backup.

#include "base/text.hpp"
#include "docking/file_access.hpp"
#include "docking/ios/address_book.hpp"
#include "docking/ios/backup_files.hpp"
#include "docking/ios/backup_listing.hpp"
#include "docking/ios/photo_library.hpp"
#include "docking/ios/sms_db.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>

namespace {

using namespace dockscan::docking;
using namespace dockscan::docking::ios;
namespace sqlite = dockscan::base::sqlite;

// One private folder per process, removed at exit.
class Scratch {
public:
    Scratch() {
        std::string pattern = (std::filesystem::temp_directory_path() / "dockscan-fuzz-XXXXXX");
        if (::mkdtemp(pattern.data()) == nullptr) {
            std::abort();
        }
        m_path = pattern;
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

void write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void check_utf8(const std::string& text) {
    if (dockscan::base::to_valid_utf8(text) != text) {
        __builtin_trap();
    }
}

void manifest(const std::filesystem::path& folder) {
    auto root = open_root_folder(folder.string());
    if (!root) {
        std::abort();
    }
    auto files = BackupFiles::open(folder, std::move(*root), std::nullopt, {}, BackupLimits{});
    if (!files) {
        return;
    }
    const auto visit = [&](BackupFile file) -> Expected<void> {
        // The folder holds Manifest.db alone: whatever fileID a row names, no stored
        // file may be found (a fileID is never a path).
        if (files->stat(file)) {
            __builtin_trap();
        }
        // A ref made of a phone's path has no name that could leave its folder.
        if (auto ref = phone_path_ref(file.relative_path)) {
            std::size_t start = 0;
            for (;;) {
                const std::size_t slash = ref->find('/', start);
                const std::string_view name = std::string_view(*ref).substr(
                    start, slash == std::string::npos ? std::string::npos : slash - start);
                if (name.empty() || name == "." || name == "..") {
                    __builtin_trap();
                }
                if (slash == std::string::npos) {
                    break;
                }
                start = slash + 1;
            }
        }
        return {};
    };
    (void)files->each_file("CameraRollDomain", "Media/DCIM/", visit);
    (void)files->each_file("MediaDomain", "Library/SMS/Attachments/", visit);
    if (auto sms = files->find("HomeDomain", "Library/SMS/sms.db"); sms && *sms) {
        (void)visit(**sms);
    }
}

void messages(sqlite::Database& db) {
    SmsDatabase sms(db, 1u << 20);
    (void)sms.each_message([](const SmsMessage& message) -> Expected<void> {
        // Text reaches the detectors and excerpts: valid UTF-8, attachment marks out.
        check_utf8(message.text);
        if (message.text.find("\xef\xbf\xbc") != std::string::npos) {
            __builtin_trap();
        }
        if (message.text.size() > (1u << 20)) {
            __builtin_trap();
        }
        return {};
    });
    if (auto all = sms.attachments(10'000)) {
        std::size_t count = 0;
        for (const auto& [rowid, list] : *all) {
            count += list.size();
        }
        if (count > 10'000) {
            __builtin_trap();
        }
    }
    (void)sms.text_of(1);
}

void contacts(sqlite::Database& db) {
    (void)each_person(db, [](const AddressBookPerson& person) -> Expected<void> {
        (void)render_contact(person.contact);
        (void)contact_content(person.contact);
        return {};
    });
}

void photos(sqlite::Database& db) {
    if (auto hints = read_photo_hints(db, 10'000); hints && hints->size() > 10'000) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Scratch scratch;
    if (size < 2) {
        return 0;
    }
    const int reader = data[0] % 4;
    const std::string_view file(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (reader == 0) {
        write_file(scratch.path() / "Manifest.db", file);
        manifest(scratch.path());
        return 0;
    }
    const auto path = scratch.path() / "phone.db";
    write_file(path, file);
    auto db = sqlite::Database::open(path, sqlite::Access::read_only_immutable);
    if (!db) {
        return 0;
    }
    if (reader == 1) {
        messages(*db);
    } else if (reader == 2) {
        contacts(*db);
    } else {
        photos(*db);
    }
    return 0;
}
