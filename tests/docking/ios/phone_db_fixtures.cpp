#include "tests/docking/ios/phone_db_fixtures.hpp"

#include "base/sqlite.hpp"
#include "tests/support/temp_dir.hpp"

#include <functional>
#include <optional>
#include <stdexcept>
#include <variant>
#include <vector>

namespace dockscan::testing {
namespace {

namespace sqlite = base::sqlite;

void check(bool ok, const std::string& what) {
    if (!ok) {
        throw std::runtime_error("database fixture: " + what);
    }
}

// Creates a database, lets `fill` write it, and returns the closed file's bytes.
std::string database_bytes(const std::string& schema,
                           const std::function<void(sqlite::Database&)>& fill) {
    const TempDir scratch;
    const auto path = scratch / "fixture.db";
    {
        auto db = sqlite::Database::open(path, sqlite::Access::create);
        check(db.has_value(), "create");
        // One transaction: without it every row is a synced write, and tests crawl.
        const auto created =
            db->exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;" + schema);
        check(created.has_value(), created ? "" : created.error().message);
        fill(*db);
        check(db->exec("COMMIT;").has_value(), "commit");
    }
    return read_file(path);
}

// Like database_bytes, but as a phone leaves a database it is using: journal_mode WAL
// and everything, schema and rows, still in the -wal (no checkpoint yet). The files
// are copied while the connection is open, before SQLite folds the WAL in at close.
WalDatabase wal_database_bytes(const std::string& schema,
                               const std::function<void(sqlite::Database&)>& fill) {
    const TempDir scratch;
    const auto path = scratch / "fixture.db";
    WalDatabase out;
    auto db = sqlite::Database::open(path, sqlite::Access::create);
    check(db.has_value(), "create");
    const auto wal = db->exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;");
    check(wal.has_value(), wal ? "" : wal.error().message);
    const auto created = db->exec("BEGIN;" + schema);
    check(created.has_value(), created ? "" : created.error().message);
    fill(*db);
    check(db->exec("COMMIT;").has_value(), "commit");
    out.main = read_file(path);
    out.wal = read_file(scratch / "fixture.db-wal");
    out.shm = read_file(scratch / "fixture.db-shm");
    return out;
}

// Runs one INSERT with its values bound in order (nullopt as NULL).
using Value = std::variant<std::int64_t, double, std::string, std::nullopt_t>;

void insert(sqlite::Database& db, const std::string& sql, const std::vector<Value>& values,
            const std::vector<bool>& blobs = {}) {
    auto statement = db.prepare(sql);
    check(statement.has_value(), statement ? "" : statement.error().message);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int index = static_cast<int>(i + 1);
        if (const auto* n = std::get_if<std::int64_t>(&values[i])) {
            statement->bind(index, *n);
        } else if (const auto* d = std::get_if<double>(&values[i])) {
            statement->bind(index, *d);
        } else if (const auto* s = std::get_if<std::string>(&values[i])) {
            if (i < blobs.size() && blobs[i]) {
                statement->bind_blob(index, *s);
            } else {
                statement->bind_text(index, *s);
            }
        } else {
            statement->bind_null(index);
        }
    }
    const auto stepped = statement->step();
    check(stepped.has_value(), sql);
}

Value optional_value(const std::optional<std::string>& s) {
    return s ? Value(*s) : Value(std::nullopt);
}

// The tables of sms.db as iOS 10-17 create them (the columns this reader and the
// common forensic tools touch, with iOS's types and defaults).
constexpr const char* k_sms_schema = R"sql(
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
  message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0,
  PRIMARY KEY (chat_id, message_id));
CREATE TABLE message_attachment_join (
  message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE,
  attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE,
  UNIQUE(message_id, attachment_id));
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL,
  country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT,
  UNIQUE (id, service));
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT,
  replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT,
  country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0,
  service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER,
  date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0,
  is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0,
  is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0,
  is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0,
  is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0,
  is_service_message INTEGER DEFAULT 0, is_forward INTEGER DEFAULT 0,
  was_downgraded INTEGER DEFAULT 0, is_archive INTEGER DEFAULT 0,
  cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT,
  was_data_detected INTEGER DEFAULT 0, was_deduplicated INTEGER DEFAULT 0,
  is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0,
  date_played INTEGER, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0,
  group_title TEXT, group_action_type INTEGER DEFAULT 0, share_status INTEGER DEFAULT 0,
  share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0,
  message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0,
  associated_message_guid TEXT DEFAULT NULL, associated_message_type INTEGER DEFAULT 0,
  balloon_bundle_id TEXT DEFAULT NULL, payload_data BLOB,
  expressive_send_style_id TEXT DEFAULT NULL, associated_message_range_location INTEGER DEFAULT 0,
  associated_message_range_length INTEGER DEFAULT 0,
  time_expressive_send_played INTEGER DEFAULT 0, message_summary_info BLOB DEFAULT NULL,
  thread_originator_guid TEXT DEFAULT NULL, thread_originator_part TEXT DEFAULT NULL,
  date_retracted INTEGER DEFAULT 0, date_edited INTEGER DEFAULT 0, part_count INTEGER DEFAULT 0);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT,
  service_name TEXT,
  room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT,
  display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0, successful_query INTEGER);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT,
  mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0, user_info BLOB,
  transfer_name TEXT, total_bytes INTEGER DEFAULT 0, is_sticker INTEGER DEFAULT 0,
  sticker_user_info BLOB, attribution_info BLOB, hide_attachment INTEGER DEFAULT 0);
)sql";

constexpr const char* k_address_book_schema = R"sql(
CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Middle TEXT,
  FirstPhonetic TEXT, MiddlePhonetic TEXT, LastPhonetic TEXT, Organization TEXT, Department TEXT,
  Note TEXT, Kind INTEGER, Birthday TEXT, JobTitle TEXT, Nickname TEXT, Prefix TEXT, Suffix TEXT,
  FirstSort TEXT, LastSort TEXT, CreationDate INTEGER, ModificationDate INTEGER,
  CompositeNameFallback TEXT, ExternalIdentifier TEXT, StoreID INTEGER, DisplayName TEXT,
  ExternalRepresentation BLOB, FirstSortSection TEXT, LastSortSection TEXT,
  FirstSortLanguageIndex INTEGER DEFAULT 2147483647,
  LastSortLanguageIndex INTEGER DEFAULT 2147483647,
  PersonLink INTEGER DEFAULT -1, ImageURI TEXT, IsPreferredName INTEGER DEFAULT 1, guid TEXT,
  PhonemeData TEXT, AlternateBirthday TEXT, MapsData TEXT, FirstPronunciation TEXT,
  MiddlePronunciation TEXT, LastPronunciation TEXT, OrganizationPhonetic TEXT,
  OrganizationPronunciation TEXT, PreviousFamilyName TEXT, PreferredLikenessSource TEXT,
  PreferredPersonaIdentifier TEXT);
CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER,
  identifier INTEGER, label INTEGER, value TEXT, guid TEXT);
CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT, UNIQUE(parent_id, key));
CREATE TABLE ABMultiValueEntryKey (value TEXT, UNIQUE(value));
CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value));
INSERT INTO ABMultiValueLabel VALUES ('_$!<Mobile>!$_');
INSERT INTO ABMultiValueLabel VALUES ('_$!<Home>!$_');
INSERT INTO ABMultiValueEntryKey VALUES ('Street');
INSERT INTO ABMultiValueEntryKey VALUES ('City');
INSERT INTO ABMultiValueEntryKey VALUES ('ZIP');
INSERT INTO ABMultiValueEntryKey VALUES ('Country');
)sql";

void fill_address_book(sqlite::Database& db, const std::vector<AbPersonRow>& people) {
    std::int64_t uid = 0;
    for (const AbPersonRow& p : people) {
        insert(db,
               "INSERT INTO ABPerson (ROWID, First, Middle, Last, Nickname, Organization, "
               "JobTitle, Note, Birthday, ModificationDate, CreationDate, Kind) VALUES "
               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
               {p.rowid, p.first, p.middle, p.last, p.nickname, p.organization, p.job_title, p.note,
                p.birthday.empty() ? Value(std::nullopt) : Value(p.birthday), p.modification,
                p.modification});
        for (const std::string& phone : p.phones) {
            insert(db, "INSERT INTO ABMultiValue VALUES (?, ?, 3, 0, 1, ?, NULL)",
                   {++uid, p.rowid, phone});
        }
        for (const std::string& email : p.emails) {
            insert(db, "INSERT INTO ABMultiValue VALUES (?, ?, 4, 0, 2, ?, NULL)",
                   {++uid, p.rowid, email});
        }
        for (const auto& address : p.addresses) {
            insert(db, "INSERT INTO ABMultiValue VALUES (?, ?, 5, 0, 2, NULL, NULL)",
                   {++uid, p.rowid});
            for (std::size_t k = 0; k < address.size(); ++k) {
                insert(db, "INSERT INTO ABMultiValueEntry VALUES (?, ?, ?)",
                       {uid, static_cast<std::int64_t>(k + 1), address[k]});
            }
        }
    }
}

// sms.db as some extracts keep it: the `message` table alone, no handle or chat.
constexpr const char* k_sms_message_only_schema = R"sql(
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
  text TEXT, attributedBody BLOB, handle_id INTEGER DEFAULT 0, service TEXT,
  date INTEGER, is_from_me INTEGER DEFAULT 0);
)sql";

} // namespace

std::string sms_db(const SmsDbFixture& fixture) {
    return database_bytes(k_sms_schema, [&](sqlite::Database& db) {
        for (const SmsHandleRow& h : fixture.handles) {
            insert(db, "INSERT INTO handle (ROWID, id, country, service) VALUES (?, ?, 'se', ?)",
                   {h.rowid, h.id, h.service});
        }
        for (const SmsChatRow& c : fixture.chats) {
            insert(db,
                   "INSERT INTO chat (ROWID, guid, style, state, chat_identifier, service_name) "
                   "VALUES (?, ?, ?, 3, ?, 'SMS')",
                   {c.rowid, "SMS;-;" + c.identifier, c.style, c.identifier});
            for (const std::int64_t member : c.members) {
                insert(db, "INSERT INTO chat_handle_join VALUES (?, ?)", {c.rowid, member});
            }
        }
        for (const SmsMessageRow& m : fixture.messages) {
            insert(db,
                   "INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, "
                   "date, is_from_me, is_finished, is_sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                   {m.rowid, m.guid, optional_value(m.text), optional_value(m.attributed_body),
                    m.handle, m.service, m.date, std::int64_t{m.from_me}, std::int64_t{m.from_me}},
                   {false, false, false, true});
            if (m.chat != 0) {
                insert(db, "INSERT INTO chat_message_join VALUES (?, ?, ?)",
                       {m.chat, m.rowid, m.date});
            }
        }
        for (const SmsAttachmentRow& a : fixture.attachments) {
            insert(db,
                   "INSERT INTO attachment (ROWID, guid, filename, uti, mime_type, transfer_state, "
                   "transfer_name, total_bytes) VALUES (?, ?, ?, 'public.jpeg', ?, 5, ?, ?)",
                   {a.rowid, "at_0_" + std::to_string(a.rowid), a.filename, a.mime_type,
                    a.transfer_name, a.total_bytes});
            insert(db, "INSERT INTO message_attachment_join VALUES (?, ?)", {a.message, a.rowid});
        }
    });
}

std::string address_book_db(const std::vector<AbPersonRow>& people) {
    return database_bytes(k_address_book_schema,
                          [&](sqlite::Database& db) { fill_address_book(db, people); });
}

WalDatabase address_book_wal(const std::vector<AbPersonRow>& people) {
    return wal_database_bytes(k_address_book_schema,
                              [&](sqlite::Database& db) { fill_address_book(db, people); });
}

std::string sms_db_message_only(const std::vector<SmsMessageRow>& messages) {
    return database_bytes(k_sms_message_only_schema, [&](sqlite::Database& db) {
        for (const SmsMessageRow& m : messages) {
            insert(db,
                   "INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, "
                   "date, is_from_me) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   {m.rowid, m.guid, optional_value(m.text), optional_value(m.attributed_body),
                    m.handle, m.service, m.date, std::int64_t{m.from_me}},
                   {false, false, false, true});
        }
    });
}

std::string photos_db(PhotosSchema schema, const std::vector<PhotoAssetRow>& assets) {
    const bool old = schema == PhotosSchema::ios13;
    const std::string table = old ? "ZGENERICASSET" : "ZASSET";
    const std::string face_column = schema == PhotosSchema::ios17 ? "ZASSETFORFACE" : "ZASSET";
    const std::string sql =
        "CREATE TABLE " + table +
        " (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZKIND INTEGER, "
        "ZKINDSUBTYPE INTEGER, ZTRASHEDSTATE INTEGER, ZHIDDEN INTEGER, ZFAVORITE INTEGER, " +
        (old ? "" : "ZISDETECTEDSCREENSHOT INTEGER, ") +
        "ZDATECREATED TIMESTAMP, ZMODIFICATIONDATE TIMESTAMP, ZDIRECTORY VARCHAR, "
        "ZFILENAME VARCHAR, ZUNIFORMTYPEIDENTIFIER VARCHAR, ZUUID VARCHAR);"
        "CREATE TABLE ZDETECTEDFACE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
        "ZAGETYPE INTEGER, ZHIDDEN INTEGER, ZMANUAL INTEGER, ZPERSONFORFACE INTEGER, " +
        face_column + " INTEGER, ZCENTERX FLOAT, ZCENTERY FLOAT, ZSIZE FLOAT);";
    return database_bytes(sql, [&](sqlite::Database& db) {
        std::int64_t face = 0;
        for (const PhotoAssetRow& a : assets) {
            // Screenshots are ZKINDSUBTYPE 10; iOS 14+ also sets ZISDETECTEDSCREENSHOT.
            const std::int64_t subtype = old && a.screenshot ? 10 : 0;
            if (old) {
                insert(db,
                       "INSERT INTO " + table +
                           " (Z_PK, Z_ENT, Z_OPT, ZKIND, ZKINDSUBTYPE, ZDIRECTORY, ZFILENAME)"
                           " VALUES (?, 33, 1, 0, ?, ?, ?)",
                       {a.pk, subtype, a.directory, a.filename});
            } else {
                insert(db,
                       "INSERT INTO " + table +
                           " (Z_PK, Z_ENT, Z_OPT, ZKIND, ZKINDSUBTYPE, ZISDETECTEDSCREENSHOT,"
                           " ZDIRECTORY, ZFILENAME) VALUES (?, 3, 1, 0, 0, ?, ?, ?)",
                       {a.pk, std::int64_t{a.screenshot}, a.directory, a.filename});
            }
            for (int i = 0; i < a.faces; ++i) {
                insert(db,
                       "INSERT INTO ZDETECTEDFACE (Z_PK, Z_ENT, Z_OPT, " + face_column +
                           ") VALUES (?, 14, 1, ?)",
                       {++face, a.pk});
            }
        }
    });
}

} // namespace dockscan::testing
