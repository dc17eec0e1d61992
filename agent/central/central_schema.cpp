#include "agent/central/central_schema.hpp"

#include <array>
#include <string>

namespace dockscan::agent::central {

namespace {

// Each step moves the schema from version - 1 to version; released steps are never
// edited. Table and column names are the station's (agent/store/store_schema.cpp), each
// row with the station's id and its id there (local_id), so the review and report
// queries can run on both. What names a person is sealed to the review server's key
// (columns *_sealed); items' refs also travel as a keyed hash under the fleet key
// (ref_hash). Times stay text in ISO 8601 UTC, as on the station.
constexpr std::string_view k_v1 = R"sql(
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dockscan_station') THEN
        CREATE ROLE dockscan_station NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dockscan_review') THEN
        CREATE ROLE dockscan_review NOLOGIN;
    END IF;
END
$roles$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO dockscan_station, dockscan_review;

-- One row per station: its id (from its config), the login role its client certificate
-- names, and the newest outbox row the central side applied, advanced in the same
-- transaction as the rows themselves: a batch is applied once or not at all.
CREATE TABLE stations (
    id text PRIMARY KEY,
    role_name text NOT NULL UNIQUE,
    applied_outbox_id bigint NOT NULL DEFAULT 0,
    last_sync timestamptz NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE stations ENABLE ROW LEVEL SECURITY;
CREATE POLICY stations_own ON stations TO dockscan_station USING (role_name = current_user);
CREATE POLICY stations_review ON stations FOR SELECT TO dockscan_review USING (true);
GRANT SELECT ON stations TO dockscan_station, dockscan_review;
GRANT UPDATE (applied_outbox_id, last_sync) ON stations TO dockscan_station;

-- The station of the role logged in (session_user: this function runs as its owner).
CREATE FUNCTION dockscan_station_id() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$ SELECT id FROM stations WHERE role_name = session_user $$;
REVOKE ALL ON FUNCTION dockscan_station_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dockscan_station_id() TO dockscan_station;

CREATE TABLE units (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    name text NOT NULL,
    area text NOT NULL DEFAULT '',
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE phones (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    label text NOT NULL,
    serial text NOT NULL DEFAULT '',
    name_sealed bytea,
    model text NOT NULL DEFAULT '',
    os_version text NOT NULL DEFAULT '',
    unit_id bigint NULL,
    first_seen text NOT NULL,
    last_seen text NOT NULL,
    retired_on text NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE phone_units (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    phone_id bigint NOT NULL,
    unit_id bigint NULL,
    from_date text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE scans (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    phone_id bigint NOT NULL,
    source_sealed bytea,
    started_at text NOT NULL,
    finished_at text NULL,
    status text NOT NULL,
    reason text NOT NULL DEFAULT '',
    messages bigint NOT NULL DEFAULT 0,
    photos bigint NOT NULL DEFAULT 0,
    contacts bigint NOT NULL DEFAULT 0,
    files bigint NOT NULL DEFAULT 0,
    attachments bigint NOT NULL DEFAULT 0,
    errors bigint NOT NULL DEFAULT 0,
    unchanged bigint NOT NULL DEFAULT 0,
    findings bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE items (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    phone_id bigint NOT NULL,
    type text NOT NULL,
    ref_sealed bytea,
    ref_hash text NOT NULL DEFAULT '',
    label_sealed bytea,
    size bigint NOT NULL,
    mtime bigint NOT NULL,
    last_scan_id bigint NULL,
    outcome text NOT NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE findings (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    item_id bigint NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    severity text NOT NULL,
    confidence double precision NOT NULL,
    masked text NOT NULL DEFAULT '',
    match_hash text NOT NULL DEFAULT '',
    excerpt_sealed bytea,
    detector text NOT NULL,
    start bigint NOT NULL DEFAULT -1,
    "end" bigint NOT NULL DEFAULT -1,
    created_at text NOT NULL,
    purged_at text NULL,
    occurrences bigint NOT NULL DEFAULT 1,
    content_hash text NOT NULL DEFAULT '',
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE thumbnails (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    jpeg_sealed bytea,
    width integer NOT NULL,
    height integer NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE reviews (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    finding_id bigint NOT NULL,
    decision text NOT NULL,
    actions text NOT NULL DEFAULT '[]',
    other_action_sealed bytea,
    follow_up text NOT NULL DEFAULT '',
    note_sealed bytea,
    reviewer text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE controls (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    result text NOT NULL,
    note_sealed bytea,
    reviewer text NOT NULL,
    created_at text NOT NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE removal_checks (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    finding_id bigint NOT NULL,
    review_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    result text NOT NULL,
    checked_at text NOT NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE dockings (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    slot bigint NOT NULL,
    slot_label text NOT NULL DEFAULT '',
    backend text NOT NULL,
    serial text NOT NULL DEFAULT '',
    phone_id bigint NULL,
    scan_id bigint NULL,
    docked_at text NOT NULL,
    finished_at text NULL,
    outcome text NOT NULL,
    reason text NOT NULL DEFAULT '',
    selection text NOT NULL DEFAULT '',
    selection_share double precision NULL,
    PRIMARY KEY (station_id, local_id)
);
CREATE TABLE finding_sightings (
    station_id text NOT NULL REFERENCES stations (id),
    local_id bigint NOT NULL,
    finding_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    PRIMARY KEY (station_id, local_id)
);

CREATE INDEX findings_scan ON findings (station_id, scan_id);
CREATE INDEX findings_item ON findings (station_id, item_id);
CREATE INDEX findings_match_hash ON findings (match_hash) WHERE match_hash <> '';
CREATE INDEX scans_phone ON scans (station_id, phone_id);
CREATE INDEX items_ref_hash ON items (ref_hash);
CREATE INDEX phones_serial ON phones (serial);
CREATE INDEX dockings_docked_at ON dockings (docked_at);
CREATE INDEX reviews_finding ON reviews (station_id, finding_id);

-- Decisions made centrally (the review server), for a finding of one station. A
-- decision is never edited: a changed decision is a new row.
-- Every table a station copies up: the station's role reads and writes only its own
-- rows (its station_id), the review server's role reads them all.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['units', 'phones', 'phone_units', 'scans', 'items', 'findings',
                             'thumbnails', 'reviews', 'controls', 'removal_checks',
                             'dockings', 'finding_sightings'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I TO dockscan_station '
                       'USING (station_id = (SELECT dockscan_station_id())) '
                       'WITH CHECK (station_id = (SELECT dockscan_station_id()))',
                       t || '_station', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO dockscan_review USING (true)',
                       t || '_review', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO dockscan_station', t);
        EXECUTE format('GRANT SELECT ON %I TO dockscan_review', t);
    END LOOP;
END $$;
CREATE TABLE decisions (
    id bigserial PRIMARY KEY,
    station_id text NOT NULL REFERENCES stations (id),
    finding_id bigint NOT NULL,
    decision text NOT NULL
        CHECK (decision IN ('ingen_avvikelse', 'avvikelse', 'allvarlig_avvikelse')),
    actions text NOT NULL DEFAULT '[]',
    follow_up text NOT NULL DEFAULT '',
    note_sealed bytea,
    reviewer text NOT NULL,
    created_at text NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);
CREATE INDEX decisions_finding ON decisions (station_id, finding_id);
ALTER TABLE decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY decisions_review ON decisions TO dockscan_review USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON decisions TO dockscan_review;
GRANT USAGE ON SEQUENCE decisions_id_seq TO dockscan_review;

-- What a station needs to check a central decision's removal at a phone's next docking,
-- wherever the decision's finding was made: the phone's serial, the item by its type and
-- keyed ref hash, the content's hash. No evidence. A station sees the requests for the
-- phones it knows (those that docked there). The view runs as its owner; the station's
-- role has no access to other stations' findings themselves.
CREATE VIEW removal_requests WITH (security_barrier) AS
SELECT d.id AS decision_id, d.station_id AS origin_station, d.finding_id AS origin_finding_id,
       d.decision, d.actions, d.follow_up, d.reviewer, d.created_at,
       p.serial, i.type AS item_type, i.ref_hash, f.content_hash, f.kind, f.category,
       f.masked, f.match_hash
FROM decisions d
JOIN findings f ON f.station_id = d.station_id AND f.local_id = d.finding_id
JOIN items i ON i.station_id = f.station_id AND i.local_id = f.item_id
JOIN scans s ON s.station_id = f.station_id AND s.local_id = f.scan_id
JOIN phones p ON p.station_id = s.station_id AND p.local_id = s.phone_id
WHERE p.serial <> ''
  AND p.serial IN (SELECT own.serial FROM phones own
                   WHERE own.station_id = dockscan_station_id());
GRANT SELECT ON removal_requests TO dockscan_station;
)sql";

// The central report and review (issue 18) run the station's queries
// (agent/store/sql_source.hpp), which join by scan: those joins get their indexes.
constexpr std::string_view k_v2 = R"sql(
CREATE INDEX controls_scan ON controls (station_id, scan_id);
CREATE INDEX dockings_scan ON dockings (station_id, scan_id);
CREATE INDEX finding_sightings_scan ON finding_sightings (station_id, scan_id);
CREATE INDEX phone_units_phone ON phone_units (station_id, phone_id);
CREATE INDEX scans_started_at ON scans (started_at);
)sql";

// The central review server (issue 18): its users, its audit trail, the decisions and
// controls it records beside the stations' own, and a stable number per station so that
// a finding's id in the review's addresses stays the same across restarts.
constexpr std::string_view k_v3 = R"sql(
ALTER TABLE stations ADD COLUMN number bigint GENERATED BY DEFAULT AS IDENTITY;
ALTER TABLE stations ADD CONSTRAINT stations_number UNIQUE (number);

-- People who use the central review, as on a station (agent/store/store_schema.cpp).
-- A supervisor's units are named: the same unit at two stations is one unit (units with
-- the same name are merged, as in the central report).
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    display_name text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('supervisor', 'quality_lead', 'admin')),
    password_hash text NOT NULL,
    disabled integer NOT NULL DEFAULT 0,
    generation bigint NOT NULL DEFAULT 0,
    created_at text NOT NULL
);
CREATE TABLE user_units (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unit_name text NOT NULL,
    PRIMARY KEY (user_id, unit_name)
);
GRANT SELECT, INSERT, UPDATE ON users TO dockscan_review;
GRANT SELECT, INSERT, DELETE ON user_units TO dockscan_review;
GRANT USAGE ON SEQUENCE users_id_seq TO dockscan_review;

-- What the review server's users did (logins, views of evidence, decisions). Append-only
-- for the review role: it may insert and read, never update or delete.
CREATE TABLE review_audit (
    id bigserial PRIMARY KEY,
    at text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    object text NOT NULL,
    detail text NOT NULL
);
GRANT SELECT, INSERT ON review_audit TO dockscan_review;
GRANT USAGE ON SEQUENCE review_audit_id_seq TO dockscan_review;

-- "Kontroll genomförd" recorded centrally for a station's scan.
CREATE TABLE central_controls (
    id bigserial PRIMARY KEY,
    station_id text NOT NULL REFERENCES stations (id),
    scan_id bigint NOT NULL,
    result text NOT NULL
        CHECK (result IN ('ingen_avvikelse', 'avvikelse', 'allvarlig_avvikelse')),
    note_sealed bytea,
    reviewer text NOT NULL,
    created_at text NOT NULL
);
CREATE INDEX central_controls_scan ON central_controls (station_id, scan_id);
ALTER TABLE central_controls ENABLE ROW LEVEL SECURITY;
CREATE POLICY central_controls_review ON central_controls TO dockscan_review
    USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON central_controls TO dockscan_review;
GRANT USAGE ON SEQUENCE central_controls_id_seq TO dockscan_review;
ALTER TABLE decisions ADD COLUMN other_action_sealed bytea;

-- The review reads one history per finding and per scan: the stations' own rows and
-- the central ones. Central rows have negative local ids, so the two never meet; the
-- newest is the one created last (agent/store/sql_source.hpp, {newest:}).
CREATE VIEW review_log AS
SELECT station_id, local_id, finding_id, decision, actions, other_action_sealed, follow_up,
       note_sealed, reviewer, created_at
FROM reviews
UNION ALL
SELECT station_id, -id, finding_id, decision, actions, other_action_sealed, follow_up,
       note_sealed, reviewer, created_at
FROM decisions;
CREATE VIEW control_log AS
SELECT station_id, local_id, scan_id, result, note_sealed, reviewer, created_at FROM controls
UNION ALL
SELECT station_id, -id, scan_id, result, note_sealed, reviewer, created_at FROM central_controls;
GRANT SELECT ON review_log, control_log TO dockscan_review;
)sql";

// The register managed centrally (issue 18): units, and phones with their unit, that
// every station receives at its sync. Each change takes the next number of
// register_version, so a station fetches only what changed since the number it last saw;
// the review role's changes take an advisory lock first (agent/central/central_register),
// so the numbers are committed in order and no change is skipped. A unit is one by its
// name and area, a phone by its serial, as the central report merges the stations'.
constexpr std::string_view k_v4 = R"sql(
CREATE SEQUENCE register_version;
CREATE FUNCTION register_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := nextval('register_version');
    RETURN NEW;
END
$$;

CREATE TABLE register_units (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    area text NOT NULL,
    version bigint NOT NULL,
    UNIQUE (name, area)
);
CREATE TABLE register_phones (
    id bigserial PRIMARY KEY,
    label text NOT NULL UNIQUE,
    serial text NOT NULL UNIQUE,
    unit_id bigint NOT NULL REFERENCES register_units (id),
    from_date text NOT NULL,
    retired_on text NULL,
    version bigint NOT NULL
);
CREATE INDEX register_units_version ON register_units (version);
CREATE INDEX register_phones_version ON register_phones (version);
CREATE TRIGGER register_units_version BEFORE INSERT OR UPDATE ON register_units
    FOR EACH ROW EXECUTE FUNCTION register_next_version();
CREATE TRIGGER register_phones_version BEFORE INSERT OR UPDATE ON register_phones
    FOR EACH ROW EXECUTE FUNCTION register_next_version();

GRANT SELECT, INSERT, UPDATE ON register_units, register_phones TO dockscan_review;
GRANT USAGE ON SEQUENCE register_units_id_seq, register_phones_id_seq, register_version
    TO dockscan_review;
GRANT SELECT ON register_units, register_phones TO dockscan_station;
)sql";

struct Migration {
    int version;
    std::string_view sql;
};

constexpr std::array k_migrations = {Migration{1, k_v1}, Migration{2, k_v2}, Migration{3, k_v3},
                                     Migration{4, k_v4}};

} // namespace

int schema_version() {
    return k_migrations.back().version;
}

Expected<int> migrate(pg::Connection& owner) {
    DOCKSCAN_TRY(owner.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                            "version integer PRIMARY KEY, "
                            "applied_at timestamptz NOT NULL DEFAULT now())"));
    int version = 0;
    for (const Migration& step : k_migrations) {
        DOCKSCAN_TRY(owner.exec("BEGIN"));
        // Two admins migrating at once: the second waits, then sees the step applied.
        auto applied = owner.exec("SELECT pg_advisory_xact_lock(724118)").and_then([&] {
            return owner.query("SELECT coalesce(max(version), 0) FROM schema_migrations");
        });
        if (!applied) {
            (void)owner.exec("ROLLBACK");
            return tl::unexpected(applied.error());
        }
        version = std::stoi(applied->rows.at(0).at(0).value_or("0"));
        if (step.version <= version) {
            DOCKSCAN_TRY(owner.exec("COMMIT"));
            continue;
        }
        auto ran = owner.exec(step.sql);
        if (ran) {
            ran = owner
                      .query("INSERT INTO schema_migrations (version) VALUES ($1)",
                             {std::to_string(step.version)})
                      .map([](const pg::Rows&) {});
        }
        if (!ran) {
            (void)owner.exec("ROLLBACK");
            return fail(ran.error().code, "cannot migrate the central database to version " +
                                              std::to_string(step.version) + ": " +
                                              ran.error().message);
        }
        DOCKSCAN_TRY(owner.exec("COMMIT"));
        version = step.version;
    }
    return version;
}

Expected<void> add_station(pg::Connection& owner, std::string_view station_id,
                           std::string_view role) {
    DOCKSCAN_TRY(owner.exec("BEGIN"));
    auto done = [&]() -> Expected<void> {
        DOCKSCAN_TRY_ASSIGN(
            const pg::Rows exists,
            owner.query("SELECT 1 FROM pg_roles WHERE rolname = $1", {std::string(role)}));
        if (exists.rows.empty()) {
            DOCKSCAN_TRY(owner.exec("CREATE ROLE " + pg::quote_identifier(role) + " LOGIN"));
        }
        DOCKSCAN_TRY(owner.exec("GRANT dockscan_station TO " + pg::quote_identifier(role)));
        DOCKSCAN_TRY(owner
                         .query("INSERT INTO stations (id, role_name) VALUES ($1, $2) "
                                "ON CONFLICT (id) DO UPDATE SET role_name = EXCLUDED.role_name",
                                {std::string(station_id), std::string(role)})
                         .map([](const pg::Rows&) {}));
        return {};
    }();
    if (!done) {
        (void)owner.exec("ROLLBACK");
        return done;
    }
    return owner.exec("COMMIT");
}

Expected<void> add_review_role(pg::Connection& owner, std::string_view role) {
    DOCKSCAN_TRY_ASSIGN(
        const pg::Rows exists,
        owner.query("SELECT 1 FROM pg_roles WHERE rolname = $1", {std::string(role)}));
    if (exists.rows.empty()) {
        DOCKSCAN_TRY(owner.exec("CREATE ROLE " + pg::quote_identifier(role) + " LOGIN"));
    }
    return owner.exec("GRANT dockscan_review TO " + pg::quote_identifier(role));
}

Expected<void> require_review_role(pg::Connection& conn) {
    DOCKSCAN_TRY_ASSIGN(const pg::Rows member,
                        conn.query("SELECT current_user, "
                                   "pg_has_role(current_user, 'dockscan_review', 'MEMBER')"));
    const auto& row = member.rows.at(0);
    if (row.at(1).value_or("f") != "t") {
        return fail(ErrorCode::config,
                    "the central database's role " + row.at(0).value_or("") +
                        " is not a review role (dockscan central add-review-role): it would "
                        "read only its own station's rows");
    }
    return {};
}

} // namespace dockscan::agent::central
