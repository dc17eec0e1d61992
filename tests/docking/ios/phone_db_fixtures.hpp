#pragma once

// The SQLite databases an iPhone keeps, with the tables and columns iOS creates, for
// backup fixtures: sms.db, AddressBook.sqlitedb and Photos.sqlite (in its iOS 13,
// 14-16 and 17+ shapes). Each function returns the bytes of a finished database file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::testing {

struct SmsHandleRow {
    std::int64_t rowid;
    std::string id; // "+46701740605" or an e-mail address
    std::string service = "SMS";
};

struct SmsChatRow {
    std::int64_t rowid;
    std::string identifier;
    std::int64_t style = 45; // 43: group chat
    std::vector<std::int64_t> members;
};

struct SmsMessageRow {
    std::int64_t rowid;
    std::string guid;
    std::optional<std::string> text;
    std::optional<std::string> attributed_body;
    std::int64_t date = 0; // Apple epoch: seconds, or nanoseconds since iOS 11
    bool from_me = false;
    std::int64_t handle = 0;
    std::int64_t chat = 0;
    std::string service = "SMS";
};

struct SmsAttachmentRow {
    std::int64_t rowid;
    std::int64_t message;
    std::string filename; // "~/Library/SMS/Attachments/…"
    std::string mime_type;
    std::string transfer_name;
    std::int64_t total_bytes = 0;
};

struct SmsDbFixture {
    std::vector<SmsHandleRow> handles;
    std::vector<SmsChatRow> chats;
    std::vector<SmsMessageRow> messages;
    std::vector<SmsAttachmentRow> attachments;
};

[[nodiscard]] std::string sms_db(const SmsDbFixture& fixture);

struct AbPersonRow {
    std::int64_t rowid;
    std::string first;
    std::string middle;
    std::string last;
    std::string nickname;
    std::string organization;
    std::string job_title;
    std::string note;
    std::string birthday;    // as iOS stores it: seconds since 2001 as text
    double modification = 0; // seconds since 2001
    std::vector<std::string> phones;
    std::vector<std::string> emails;
    std::vector<std::vector<std::string>> addresses; // Street, City, ZIP, Country
};

[[nodiscard]] std::string address_book_db(const std::vector<AbPersonRow>& people);

// A database as the phone leaves it while in use: journal_mode WAL, its content still
// in the -wal; the main file alone has not even the tables.
struct WalDatabase {
    std::string main;
    std::string wal;
    std::string shm;
};
[[nodiscard]] WalDatabase address_book_wal(const std::vector<AbPersonRow>& people);

// sms.db with the `message` table alone (no handle, chat or attachments).
[[nodiscard]] std::string sms_db_message_only(const std::vector<SmsMessageRow>& messages);

enum class PhotosSchema {
    ios13, // ZGENERICASSET, screenshots by ZKINDSUBTYPE, ZDETECTEDFACE.ZASSET
    ios16, // ZASSET with ZISDETECTEDSCREENSHOT, ZDETECTEDFACE.ZASSET
    ios17, // ZASSET with ZISDETECTEDSCREENSHOT, ZDETECTEDFACE.ZASSETFORFACE
};

struct PhotoAssetRow {
    std::int64_t pk;
    std::string directory; // "DCIM/100APPLE"
    std::string filename;  // "IMG_0001.HEIC"
    bool screenshot = false;
    int faces = 0;
};

[[nodiscard]] std::string photos_db(PhotosSchema schema, const std::vector<PhotoAssetRow>& assets);

} // namespace dockscan::testing
