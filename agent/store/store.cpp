#include "agent/store/store.hpp"

#include "agent/store/audit_log.hpp"
#include "agent/store/sodium_seam.hpp"
#include "agent/store/store_internal.hpp"
#include "agent/store/store_schema.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <signal.h>
#include <system_error>
#include <unistd.h>

namespace dockscan::agent {

namespace {

namespace sqlite = base::sqlite;
using store_detail::Transaction;

constexpr std::string_view k_interrupted =
    "interrupted: the scan did not finish (the process stopped)";

std::string now_iso() {
    return base::iso8601_utc(base::unix_now());
}

// Translates a failure to open the file itself. A wrong key and a file that is not a
// store look the same to SQLCipher, and the message says so.
Error open_error(const sqlite::Error& error, const std::filesystem::path& path) {
    switch (error.code) {
    case sqlite::ErrorCode::not_a_database:
        return Error{ErrorCode::store_wrong_key,
                     "cannot open store: wrong key or not a dockscan store"};
    case sqlite::ErrorCode::corrupt:
        return Error{ErrorCode::store_schema,
                     "cannot open store: " + path.string() + " is damaged (" + error.message + ")"};
    default:
        return Error{ErrorCode::store_io, "cannot open store: " + error.message};
    }
}

// Checks what can be said about the path before SQLite turns it into "unable to
// open database file".
Expected<void> check_path(const std::filesystem::path& path, OpenMode mode) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (ec) {
        return fail(ErrorCode::store_io,
                    "cannot open store: " + path.string() + ": " + ec.message());
    }
    if (exists) {
        return {};
    }
    if (mode == OpenMode::existing) {
        return fail(ErrorCode::store_missing,
                    "cannot open store: " + path.string() + " does not exist");
    }
    const std::filesystem::path parent =
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    if (!std::filesystem::is_directory(parent, ec)) {
        return fail(ErrorCode::store_missing,
                    "cannot create store " + path.string() + ": the folder " + parent.string() +
                        " does not exist (create it first, e.g. install -d -m 700 " +
                        parent.string() + ")");
    }
    return {};
}

Expected<void> configure(sqlite::Database& db) {
    // WAL: the review server reads while a scan writes. synchronous=NORMAL is durable
    // to the last checkpoint-safe commit in WAL mode, which is what a scan needs.
    // secure_delete: purged findings are overwritten, not left in free pages.
    // temp_store=MEMORY: sorts and temporary tables never reach the disk.
    DOCKSCAN_STORE_TRY(db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                               "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; "
                               "PRAGMA temp_store = MEMORY"),
                       "cannot configure the store");
    return {};
}

bool process_alive(std::int64_t pid) {
    // kill(0, 0) and kill(-1, 0) would ask about groups of processes, not one.
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) {
        return false;
    }
    // EPERM means the process exists but belongs to someone else.
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

// Scans left `running` by a process that is gone did not finish; say so, and keep
// what their committed batches recorded.
Expected<void> close_interrupted_scans(sqlite::Database& db) {
    constexpr std::string_view k_context = "cannot close interrupted scans";
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto running, db.prepare("SELECT id, pid FROM scans WHERE status = 'running'"), k_context);
    std::vector<std::int64_t> interrupted;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool row, running.step(), k_context);
        if (!row) {
            break;
        }
        if (!process_alive(running.column_int(1))) {
            interrupted.push_back(running.column_int(0));
        }
    }
    DOCKSCAN_STORE_TRY_ASSIGN(auto update,
                              db.prepare("UPDATE scans SET status = 'partial', reason = ?2 "
                                         "WHERE id = ?1 AND status = 'running'"),
                              k_context);
    for (const std::int64_t id : interrupted) {
        update.bind(1, id);
        update.bind_text(2, k_interrupted);
        DOCKSCAN_STORE_TRY(update.step(), k_context);
        update.reset();
    }
    return transaction.commit();
}

} // namespace

std::string_view to_string(ScanStatus status) {
    switch (status) {
    case ScanStatus::running:
        return "running";
    case ScanStatus::complete:
        return "complete";
    case ScanStatus::partial:
        return "partial";
    case ScanStatus::failed:
        return "failed";
    case ScanStatus::empty:
        return "empty";
    }
    return "unknown";
}

std::optional<ScanStatus> parse_scan_status(std::string_view text) {
    for (const ScanStatus status : {ScanStatus::running, ScanStatus::complete, ScanStatus::partial,
                                    ScanStatus::failed, ScanStatus::empty}) {
        if (to_string(status) == text) {
            return status;
        }
    }
    return std::nullopt;
}

Expected<Store> Store::open(const std::filesystem::path& path, const StoreKey& key, OpenMode mode) {
    if (!crypto::ready()) {
        return fail(ErrorCode::internal, "libsodium could not be initialised");
    }
    DOCKSCAN_TRY(check_path(path, mode));
    if (mode == OpenMode::create) {
        // SQLite would create the file with the umask's mode (often 0644), and its
        // -wal and -shm files copy the main file's mode: make it 0600 first.
        const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
        }
    }
    auto db = sqlite::Database::open(
        path, mode == OpenMode::create ? sqlite::Access::create : sqlite::Access::read_write,
        key.bytes());
    if (!db) {
        return tl::unexpected(open_error(db.error(), path));
    }
    // Identity first, so that nothing is written to a database that is not ours.
    DOCKSCAN_TRY(store_schema::check_identity(*db, mode == OpenMode::create
                                                       ? store_schema::Fresh::allowed
                                                       : store_schema::Fresh::refused));
    DOCKSCAN_TRY(configure(*db));
    const StoreKey audit_key = key.derive("audit-mac");
    DOCKSCAN_TRY_ASSIGN(const int version, store_schema::migrate(*db, audit_key));
    // A migration may have edited a table's definition in place (SchemaEdit::in_place),
    // which this connection's cached schema would not see: go on with a fresh one.
    db = sqlite::Database::open(path, sqlite::Access::read_write, key.bytes());
    if (!db) {
        return tl::unexpected(open_error(db.error(), path));
    }
    DOCKSCAN_TRY(configure(*db));
    DOCKSCAN_TRY(close_interrupted_scans(*db));
    return Store(std::make_unique<Impl>(
        Impl{std::move(*db), key.derive("identity-hmac"), key.derive("audit-mac"), version}));
}

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

base::sqlite::Database& Store::database() {
    return m_impl->db;
}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

int Store::schema_version() const {
    return m_impl->schema_version;
}

Expected<std::int64_t> Store::upsert_phone(const PhoneIdentity& phone) {
    constexpr std::string_view k_context = "cannot record the phone";
    auto& db = m_impl->db;
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    // The serial is what identifies the hardware; the label is the admin's name for it.
    DOCKSCAN_STORE_TRY_ASSIGN(auto find,
                              db.prepare("SELECT id, serial, 0 AS rank FROM phones WHERE "
                                         "serial = ?1 AND ?1 <> '' UNION ALL SELECT id, serial, "
                                         "1 FROM phones WHERE label = ?2 ORDER BY rank LIMIT 1"),
                              k_context);
    find.bind_text(1, phone.serial);
    find.bind_text(2, phone.label);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, find.step(), k_context);
    const std::string now = now_iso();
    std::int64_t id = 0;
    if (found) {
        id = find.column_int(0);
        const std::string known_serial = find.column_text(1);
        if (!phone.serial.empty() && !known_serial.empty() && known_serial != phone.serial) {
            return fail(ErrorCode::config, "phone label '" + phone.label +
                                               "' belongs to another phone (serial " +
                                               known_serial + "); choose another label");
        }
        // What a source does not know (empty) does not erase what an earlier one knew.
        // The label of a phone found by its serial stays as the admin registered it.
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto update,
            db.prepare("UPDATE phones SET serial = CASE WHEN ?2 <> '' THEN ?2 ELSE serial END, "
                       "name = CASE WHEN ?3 <> '' THEN ?3 ELSE name END, "
                       "model = CASE WHEN ?4 <> '' THEN ?4 ELSE model END, "
                       "os_version = CASE WHEN ?5 <> '' THEN ?5 ELSE os_version END, "
                       "last_seen = ?6 WHERE id = ?1"),
            k_context);
        update.bind(1, id);
        update.bind_text(2, phone.serial);
        update.bind_text(3, phone.name);
        update.bind_text(4, phone.model);
        update.bind_text(5, phone.os_version);
        update.bind_text(6, now);
        DOCKSCAN_STORE_TRY(update.step(), k_context);
    } else {
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto insert,
            db.prepare("INSERT INTO phones (label, serial, name, model, os_version, first_seen, "
                       "last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"),
            k_context);
        insert.bind_text(1, phone.label);
        insert.bind_text(2, phone.serial);
        insert.bind_text(3, phone.name);
        insert.bind_text(4, phone.model);
        insert.bind_text(5, phone.os_version);
        insert.bind_text(6, now);
        DOCKSCAN_STORE_TRY(insert.step(), k_context);
        id = db.last_insert_rowid();
    }
    DOCKSCAN_TRY(transaction.commit());
    return id;
}

Expected<std::int64_t> Store::begin_scan(std::int64_t phone_id, std::string_view source) {
    constexpr std::string_view k_context = "cannot record the start of the scan";
    auto& db = m_impl->db;
    // Committed on its own (autocommit), before any item is read: if the process dies,
    // the next open finds this row and marks the scan as interrupted.
    DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                              db.prepare("INSERT INTO scans (phone_id, source, started_at, "
                                         "status, pid) VALUES (?1, ?2, ?3, 'running', ?4)"),
                              k_context);
    insert.bind(1, phone_id);
    insert.bind_text(2, source);
    insert.bind_text(3, now_iso());
    insert.bind(4, static_cast<std::int64_t>(::getpid()));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    return db.last_insert_rowid();
}

Expected<void> Store::finish_scan(std::int64_t scan_id, ScanStatus status, std::string_view reason,
                                  const ItemCounts& counts) {
    constexpr std::string_view k_context = "cannot record the end of the scan";
    if (status == ScanStatus::running) {
        return fail(ErrorCode::internal, "a scan cannot be finished as running");
    }
    auto& db = m_impl->db;
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update,
        db.prepare("UPDATE scans SET status = ?2, reason = ?3, finished_at = ?4, messages = ?5, "
                   "photos = ?6, contacts = ?7, files = ?8, attachments = ?9, errors = ?10, "
                   "unchanged = ?11, findings = (SELECT count(*) FROM findings WHERE scan_id = "
                   "?1) WHERE id = ?1"),
        k_context);
    update.bind(1, scan_id);
    update.bind_text(2, to_string(status));
    update.bind_text(3, reason);
    update.bind_text(4, now_iso());
    update.bind(5, counts.messages);
    update.bind(6, counts.photos);
    update.bind(7, counts.contacts);
    update.bind(8, counts.files);
    update.bind(9, counts.attachments);
    update.bind(10, counts.errors);
    update.bind(11, counts.unchanged);
    DOCKSCAN_STORE_TRY(update.step(), k_context);
    if (db.changes() != 1) {
        return fail(ErrorCode::internal, "no scan with id " + std::to_string(scan_id));
    }
    return {};
}

Expected<std::optional<ScanRow>> Store::scan(std::int64_t scan_id) {
    constexpr std::string_view k_context = "cannot read the scan";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        m_impl->db.prepare("SELECT id, phone_id, source, started_at, coalesce(finished_at, ''), "
                           "status, reason, messages, photos, contacts, files, attachments, "
                           "errors, unchanged, findings FROM scans WHERE id = ?1"),
        k_context);
    select.bind(1, scan_id);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (!found) {
        return std::nullopt;
    }
    const auto status = parse_scan_status(select.column_text(5));
    if (!status) {
        return fail(ErrorCode::store_schema, "scan " + std::to_string(scan_id) +
                                                 " has an unknown status '" +
                                                 select.column_text(5) + "'");
    }
    ItemCounts counts;
    counts.messages = select.column_int(7);
    counts.photos = select.column_int(8);
    counts.contacts = select.column_int(9);
    counts.files = select.column_int(10);
    counts.attachments = select.column_int(11);
    counts.errors = select.column_int(12);
    counts.unchanged = select.column_int(13);
    return ScanRow{select.column_int(0),  select.column_int(1),
                   select.column_text(2), select.column_text(3),
                   select.column_text(4), *status,
                   select.column_text(6), counts,
                   select.column_int(14)};
}

std::string Store::match_hash(std::string_view normalized) const {
    crypto::Key key{};
    std::copy(m_impl->identity_key.bytes().begin(), m_impl->identity_key.bytes().end(),
              key.begin());
    const std::string hex = crypto::to_hex(crypto::hmac_sha256(key, normalized));
    crypto::wipe(key);
    return hex;
}

void Store::use_fleet_key(const StoreKey& fleet_key) {
    m_impl->identity_key = fleet_key.derive("identity-hmac");
}

Expected<void> Store::append_audit(const AuditEntry& entry) {
    return audit_log::append(m_impl->db, m_impl->audit_key, entry, now_iso());
}

Expected<AuditCheck> Store::verify_audit(const std::optional<AuditAnchor>& anchor) {
    return audit_log::verify(m_impl->db, m_impl->audit_key, anchor);
}

Expected<AuditAnchor> Store::audit_anchor() {
    return audit_log::anchor(m_impl->db);
}

} // namespace dockscan::agent
