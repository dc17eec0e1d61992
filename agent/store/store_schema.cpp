#include "agent/store/store_schema.hpp"

#include "agent/store/audit_log.hpp"
#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

#include <array>
#include <string>
#include <string_view>

namespace dockscan::agent::store_schema {

namespace {

using store_detail::Transaction;

// The marker that tells a dockscan store from any other database that happens to
// open with the same key.
constexpr std::string_view k_format = "dockscan-store";

constexpr std::string_view k_wrong_key = "cannot open store: wrong key or not a dockscan store";

// A step that edits a table's definition in place (SQLite's documented procedure for
// changes that leave the stored rows as they are, such as allowing one more value in a
// CHECK) must tell every connection that the schema changed.
enum class SchemaEdit { none, in_place };

// What a step does besides its SQL, in the same transaction.
enum class Step { sql_only, rekey_audit_log };

struct Migration {
    int version;
    std::string_view sql;
    SchemaEdit edit = SchemaEdit::none;
    Step step = Step::sql_only;
};

// Each step moves the schema from version - 1 to version. Steps are never edited once
// released: a change is a new step. The store keeps column names short because
// `dockscan findings --json` and the reports name them directly.
constexpr std::string_view k_v1 = R"sql(
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES
    ('format', 'dockscan-store'),
    ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    area TEXT NOT NULL DEFAULT ''
);

CREATE TABLE phones (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    serial TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    os_version TEXT NOT NULL DEFAULT '',
    unit_id INTEGER NULL REFERENCES units (id) ON DELETE SET NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX phones_serial ON phones (serial);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    phone_id INTEGER NOT NULL REFERENCES phones (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'partial', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    pid INTEGER NOT NULL,
    messages INTEGER NOT NULL DEFAULT 0,
    photos INTEGER NOT NULL DEFAULT 0,
    contacts INTEGER NOT NULL DEFAULT 0,
    files INTEGER NOT NULL DEFAULT 0,
    attachments INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    findings INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scans_phone ON scans (phone_id);
CREATE INDEX scans_status ON scans (status);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    phone_id INTEGER NOT NULL REFERENCES phones (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    ref TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    last_scan_id INTEGER NULL REFERENCES scans (id) ON DELETE SET NULL,
    outcome TEXT NOT NULL,
    UNIQUE (phone_id, type, ref)
);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    confidence REAL NOT NULL,
    masked TEXT NOT NULL DEFAULT '',
    match_hash TEXT NOT NULL DEFAULT '',
    excerpt TEXT NOT NULL DEFAULT '',
    detector TEXT NOT NULL,
    start INTEGER NOT NULL DEFAULT -1,
    "end" INTEGER NOT NULL DEFAULT -1,
    created_at TEXT NOT NULL
);
CREATE INDEX findings_scan ON findings (scan_id);
CREATE INDEX findings_item ON findings (item_id);
CREATE INDEX findings_match_hash ON findings (match_hash);

-- A decision is never edited: a changed decision is a new row, the newest counts.
-- actions: a JSON array of action codes (raderat_fran_telefonen,
-- samtal_med_medarbetare, paminnelse_pa_apt, annat); other_action: the text of 'annat'.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    decision TEXT NOT NULL
        CHECK (decision IN ('ingen_avvikelse', 'avvikelse', 'allvarlig_avvikelse')),
    actions TEXT NOT NULL DEFAULT '[]',
    other_action TEXT NOT NULL DEFAULT '',
    follow_up TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX reviews_finding ON reviews (finding_id);
CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews
BEGIN
    SELECT RAISE(ABORT, 'reviews are append-only: insert a new version');
END;

-- "Kontroll genomförd": the supervisor's record that one scan of a phone has been
-- checked, with its result, as the paper control has it. Append-only like reviews.
CREATE TABLE controls (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    result TEXT NOT NULL
        CHECK (result IN ('ingen_avvikelse', 'avvikelse', 'allvarlig_avvikelse')),
    note TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX controls_scan ON controls (scan_id);
CREATE TRIGGER controls_append_only BEFORE UPDATE ON controls
BEGIN
    SELECT RAISE(ABORT, 'controls are append-only: insert a new version');
END;

-- People who use the review UI. A supervisor sees the units in user_units; a quality
-- lead and an admin see all units. password_hash is libsodium's argon2id string.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('supervisor', 'quality_lead', 'admin')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE user_units (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, unit_id)
);

-- The triggers stop mistakes; the hash chain is what detects deliberate edits.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
)sql";

// The docking station: one row per docking of a phone in a slot, with what the daemon
// decided and how it ended, also for phones that were not scanned (unknown to the
// inventory, not drawn by the sampling policy). A scanned docking points at its scan.
constexpr std::string_view k_v2 = R"sql(
CREATE TABLE dockings (
    id INTEGER PRIMARY KEY,
    slot INTEGER NOT NULL,
    slot_label TEXT NOT NULL DEFAULT '',
    backend TEXT NOT NULL CHECK (backend IN ('adb', 'ios')),
    serial TEXT NOT NULL DEFAULT '',
    phone_id INTEGER NULL REFERENCES phones (id) ON DELETE SET NULL,
    scan_id INTEGER NULL REFERENCES scans (id) ON DELETE SET NULL,
    docked_at TEXT NOT NULL,
    finished_at TEXT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'unknown_phone', 'not_sampled',
                                             'complete', 'partial', 'failed')),
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dockings_phone ON dockings (phone_id);
CREATE INDEX dockings_docked_at ON dockings (docked_at);
)sql";

// Evidence thumbnails: a small, blurred picture of a flagged photo for the reviewer
// (faces and text unreadable), one per item.
constexpr std::string_view k_v3 = R"sql(
CREATE TABLE thumbnails (
    item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    jpeg BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
)sql";

// Retention: when a finding's evidence (masked number, keyed hash, excerpt, offsets,
// the item's thumbnail and label) was purged. What the reports count stays.
constexpr std::string_view k_v4 = R"sql(
ALTER TABLE findings ADD COLUMN purged_at TEXT NULL;
CREATE INDEX findings_created ON findings (created_at);
)sql";

// One finding per number per item: how often the same number stands in the item (a
// message that repeats it, a contact note with it on every line).
constexpr std::string_view k_v5 = R"sql(
ALTER TABLE findings ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
)sql";

// A scan that found nothing to read is `empty`, never `complete`: the scans table's CHECK
// allows one more status. Every stored row satisfies the new CHECK as it did the old.
constexpr std::string_view k_v6 = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''partial'', ''failed''))', '''partial'', ''failed'', ''empty''))')
WHERE type = 'table' AND name = 'scans';
PRAGMA writable_schema = OFF;
)sql";

// The phone confirms the action (issue 17). findings.content_hash: the SHA-256 of the
// bytes the finding was found in, so that the next docking can tell the same photo from
// another one under the same ref. removal_checks: what a later scan found of the item of
// a finding decided with a removal action ("Raderat från telefonen"): gone ('verified')
// or still there ('still_there', which reopens the finding); one row per decision,
// append-only. finding_sightings: a scan that found a finding's content still on the
// phone (listed unchanged, or still there when checked), so that a quarter can count
// what is left from earlier quarters ("kvarstående").
constexpr std::string_view k_v7 = R"sql(
ALTER TABLE findings ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE TABLE removal_checks (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    review_id INTEGER NOT NULL UNIQUE REFERENCES reviews (id) ON DELETE CASCADE,
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    result TEXT NOT NULL CHECK (result IN ('verified', 'still_there')),
    checked_at TEXT NOT NULL
);
CREATE INDEX removal_checks_finding ON removal_checks (finding_id);
CREATE TRIGGER removal_checks_append_only BEFORE UPDATE ON removal_checks
BEGIN
    SELECT RAISE(ABORT, 'removal checks are append-only');
END;
CREATE TABLE finding_sightings (
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    PRIMARY KEY (finding_id, scan_id)
);
CREATE INDEX finding_sightings_scan ON finding_sightings (scan_id);
-- The register's life cycle: the Swedish date from which a phone is out of service.
-- A retired phone keeps its scans and findings; docking it scans nothing, and it does
-- not count toward its unit's phones in later quarters.
ALTER TABLE phones ADD COLUMN retired_on TEXT NULL;
)sql";

// The report's history and the quality lead's words (issue 17):
// - phone_units: which unit a phone belonged to from which Swedish local date on, so a
//   past quarter counts a phone for the unit it had then. Phones registered before this
//   version get one row from '0000-01-01' (the store knew no history: today's unit).
// - dockings.selection and selection_share: the sampling rule the station applied to
//   that docking ('every_docking', or 'quota' with its share), so the report can say
//   how phones were selected. Rows from before this version keep ''.
// - report_comments: the quality lead's analysis per unit and period (a quarter
//   "2026Q4", a delår "2026-delar", a year "2026"), sent with the report. Append-only:
//   the newest row counts.
constexpr std::string_view k_v8 = R"sql(
CREATE TABLE phone_units (
    id INTEGER PRIMARY KEY,
    phone_id INTEGER NOT NULL REFERENCES phones (id) ON DELETE CASCADE,
    unit_id INTEGER NULL REFERENCES units (id) ON DELETE SET NULL,
    from_date TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX phone_units_phone ON phone_units (phone_id, from_date);
INSERT INTO phone_units (phone_id, unit_id, from_date, created_at)
    SELECT id, unit_id, '0000-01-01', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM phones WHERE unit_id IS NOT NULL;

ALTER TABLE dockings ADD COLUMN selection TEXT NOT NULL DEFAULT '';
ALTER TABLE dockings ADD COLUMN selection_share REAL NULL;

CREATE TABLE report_comments (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    comment TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX report_comments_unit ON report_comments (unit_id, period);
CREATE TRIGGER report_comments_append_only BEFORE UPDATE ON report_comments
BEGIN
    SELECT RAISE(ABORT, 'report comments are append-only: insert a new version');
END;
)sql";

// Every change of a user's password, or disabling them, counts up their generation: a
// review server notices at the next request that a session started under an older one
// belongs to credentials that no longer hold, and ends it. (Versions 7 and 8 are taken
// by work on other branches; a gap is fine, the steps run in order.)
constexpr std::string_view k_v9 = R"sql(
ALTER TABLE users ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
)sql";

// The audit log's chain becomes keyed (HMAC-SHA256 under the store key's "audit-mac"
// derivation): audit_log::rekey recomputes every row in this step's transaction.
constexpr std::string_view k_v10 = R"sql(
INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_chain', 'hmac-sha256');
)sql";

// The outbox to the municipality's central database (issue 18). Every insert, update
// and delete of a row the central side mirrors adds (table, rowid) here, in the same
// transaction as the write itself, by trigger: no writer can forget it, and a crash
// loses neither. The triggers write only once `dockscan central` has turned the outbox
// on (meta central_outbox = 'on'), so a station without [central] keeps no queue.
// AUTOINCREMENT: ids only grow, also after the sent rows are deleted, so the central
// side's "applied up to" stays meaningful.
constexpr std::string_view k_v11 = R"sql(
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl TEXT NOT NULL,
    local_id INTEGER NOT NULL
);
CREATE TRIGGER outbox_units_insert AFTER INSERT ON units
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('units', NEW.rowid);
END;
CREATE TRIGGER outbox_units_update AFTER UPDATE ON units
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('units', NEW.rowid);
END;
CREATE TRIGGER outbox_units_delete AFTER DELETE ON units
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('units', OLD.rowid);
END;
CREATE TRIGGER outbox_phones_insert AFTER INSERT ON phones
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('phones', NEW.rowid);
END;
CREATE TRIGGER outbox_phones_update AFTER UPDATE ON phones
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('phones', NEW.rowid);
END;
CREATE TRIGGER outbox_phones_delete AFTER DELETE ON phones
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('phones', OLD.rowid);
END;
CREATE TRIGGER outbox_phone_units_insert AFTER INSERT ON phone_units
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('phone_units', NEW.rowid);
END;
CREATE TRIGGER outbox_phone_units_update AFTER UPDATE ON phone_units
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('phone_units', NEW.rowid);
END;
CREATE TRIGGER outbox_phone_units_delete AFTER DELETE ON phone_units
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('phone_units', OLD.rowid);
END;
CREATE TRIGGER outbox_scans_insert AFTER INSERT ON scans
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('scans', NEW.rowid);
END;
CREATE TRIGGER outbox_scans_update AFTER UPDATE ON scans
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('scans', NEW.rowid);
END;
CREATE TRIGGER outbox_scans_delete AFTER DELETE ON scans
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('scans', OLD.rowid);
END;
CREATE TRIGGER outbox_items_insert AFTER INSERT ON items
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('items', NEW.rowid);
END;
CREATE TRIGGER outbox_items_update AFTER UPDATE ON items
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('items', NEW.rowid);
END;
CREATE TRIGGER outbox_items_delete AFTER DELETE ON items
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('items', OLD.rowid);
END;
CREATE TRIGGER outbox_findings_insert AFTER INSERT ON findings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('findings', NEW.rowid);
END;
CREATE TRIGGER outbox_findings_update AFTER UPDATE ON findings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('findings', NEW.rowid);
END;
CREATE TRIGGER outbox_findings_delete AFTER DELETE ON findings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('findings', OLD.rowid);
END;
CREATE TRIGGER outbox_thumbnails_insert AFTER INSERT ON thumbnails
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('thumbnails', NEW.rowid);
END;
CREATE TRIGGER outbox_thumbnails_update AFTER UPDATE ON thumbnails
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('thumbnails', NEW.rowid);
END;
CREATE TRIGGER outbox_thumbnails_delete AFTER DELETE ON thumbnails
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('thumbnails', OLD.rowid);
END;
CREATE TRIGGER outbox_reviews_insert AFTER INSERT ON reviews
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('reviews', NEW.rowid);
END;
CREATE TRIGGER outbox_reviews_update AFTER UPDATE ON reviews
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('reviews', NEW.rowid);
END;
CREATE TRIGGER outbox_reviews_delete AFTER DELETE ON reviews
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('reviews', OLD.rowid);
END;
CREATE TRIGGER outbox_controls_insert AFTER INSERT ON controls
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('controls', NEW.rowid);
END;
CREATE TRIGGER outbox_controls_update AFTER UPDATE ON controls
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('controls', NEW.rowid);
END;
CREATE TRIGGER outbox_controls_delete AFTER DELETE ON controls
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('controls', OLD.rowid);
END;
CREATE TRIGGER outbox_removal_checks_insert AFTER INSERT ON removal_checks
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('removal_checks', NEW.rowid);
END;
CREATE TRIGGER outbox_removal_checks_update AFTER UPDATE ON removal_checks
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('removal_checks', NEW.rowid);
END;
CREATE TRIGGER outbox_removal_checks_delete AFTER DELETE ON removal_checks
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('removal_checks', OLD.rowid);
END;
CREATE TRIGGER outbox_dockings_insert AFTER INSERT ON dockings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('dockings', NEW.rowid);
END;
CREATE TRIGGER outbox_dockings_update AFTER UPDATE ON dockings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('dockings', NEW.rowid);
END;
CREATE TRIGGER outbox_dockings_delete AFTER DELETE ON dockings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('dockings', OLD.rowid);
END;
CREATE TRIGGER outbox_finding_sightings_insert AFTER INSERT ON finding_sightings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('finding_sightings', NEW.rowid);
END;
CREATE TRIGGER outbox_finding_sightings_update AFTER UPDATE ON finding_sightings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('finding_sightings', NEW.rowid);
END;
CREATE TRIGGER outbox_finding_sightings_delete AFTER DELETE ON finding_sightings
WHEN (SELECT value FROM meta WHERE key = 'central_outbox') = 'on'
BEGIN
    INSERT INTO outbox (tbl, local_id) VALUES ('finding_sightings', OLD.rowid);
END;
)sql";

constexpr std::array k_migrations = {
    Migration{1, k_v1},   Migration{2, k_v2},
    Migration{3, k_v3},   Migration{4, k_v4},
    Migration{5, k_v5},   Migration{6, k_v6, SchemaEdit::in_place},
    Migration{7, k_v7},   Migration{8, k_v8},
    Migration{9, k_v9},   Migration{10, k_v10, SchemaEdit::none, Step::rekey_audit_log},
    Migration{11, k_v11},
};

Expected<int> user_version(base::sqlite::Database& db) {
    DOCKSCAN_STORE_TRY_ASSIGN(auto stmt, db.prepare("PRAGMA user_version"),
                              "cannot read the store's schema version");
    DOCKSCAN_STORE_TRY_ASSIGN(const bool row, stmt.step(),
                              "cannot read the store's schema version");
    return row ? static_cast<int>(stmt.column_int(0)) : 0;
}

} // namespace

int current_version() {
    return k_migrations.back().version;
}

Expected<int> check_identity(base::sqlite::Database& db, Fresh fresh) {
    DOCKSCAN_TRY_ASSIGN(const int version, user_version(db));
    DOCKSCAN_STORE_TRY_ASSIGN(auto count, db.prepare("SELECT count(*) FROM sqlite_master"),
                              "cannot read the store's schema");
    DOCKSCAN_STORE_TRY(count.step(), "cannot read the store's schema");
    if (count.column_int(0) == 0 && version == 0) {
        if (fresh == Fresh::refused) {
            return fail(ErrorCode::store_wrong_key, std::string(k_wrong_key));
        }
        return 0;
    }
    DOCKSCAN_STORE_TRY_ASSIGN(const bool has_meta, db.has_table("meta"),
                              "cannot read the store's schema");
    if (!has_meta) {
        return fail(ErrorCode::store_wrong_key, std::string(k_wrong_key));
    }
    DOCKSCAN_STORE_TRY_ASSIGN(auto marker,
                              db.prepare("SELECT value FROM meta WHERE key = 'format'"),
                              "cannot read the store's schema");
    DOCKSCAN_STORE_TRY_ASSIGN(const bool has_marker, marker.step(),
                              "cannot read the store's schema");
    if (!has_marker || marker.column_text(0) != k_format) {
        return fail(ErrorCode::store_wrong_key, std::string(k_wrong_key));
    }
    if (version > current_version()) {
        return fail(ErrorCode::store_schema,
                    "cannot open store: its schema version is " + std::to_string(version) +
                        " but this dockscan knows versions up to " +
                        std::to_string(current_version()) + "; update dockscan");
    }
    return version;
}

Expected<int> migrate(base::sqlite::Database& db, const StoreKey& audit_key) {
    DOCKSCAN_TRY_ASSIGN(int version, user_version(db));
    for (const Migration& step : k_migrations) {
        if (step.version <= version) {
            continue;
        }
        DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
        // Another process may have migrated while this one waited for the write lock.
        DOCKSCAN_TRY_ASSIGN(version, user_version(db));
        if (step.version <= version) {
            continue;
        }
        const std::string context =
            "cannot migrate the store to schema version " + std::to_string(step.version);
        DOCKSCAN_STORE_TRY(db.exec(step.sql), context);
        if (step.step == Step::rekey_audit_log) {
            DOCKSCAN_TRY(audit_log::rekey(db, audit_key, base::iso8601_utc(base::unix_now())));
        }
        if (step.edit == SchemaEdit::in_place) {
            DOCKSCAN_STORE_TRY_ASSIGN(auto read, db.prepare("PRAGMA schema_version"), context);
            DOCKSCAN_STORE_TRY_ASSIGN(const bool has, read.step(), context);
            const std::int64_t schema = has ? read.column_int(0) : 0;
            read.reset();
            DOCKSCAN_STORE_TRY(db.exec("PRAGMA schema_version = " + std::to_string(schema + 1)),
                               context);
        }
        DOCKSCAN_STORE_TRY(db.exec("PRAGMA user_version = " + std::to_string(step.version)),
                           context);
        DOCKSCAN_TRY(transaction.commit());
        version = step.version;
    }
    return version;
}

} // namespace dockscan::agent::store_schema
