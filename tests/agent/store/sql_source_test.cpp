// The one place where the store's SQL and the central PostgreSQL's differ: each mark of
// a shared query in both dialects, as the report and review queries write them.

#include "agent/store/sql_source.hpp"

#include <catch2/catch.hpp>

namespace dockscan::agent {
namespace {

using sql::Dialect;
using sql::expand;

TEST_CASE("a shared query's marks expand to the station's SQL and to PostgreSQL's") {
    struct Case {
        const char* shared;
        const char* station;
        const char* central;
    };
    const Case c = GENERATE(
        // Parameters keep their numbers; PostgreSQL writes them with $.
        Case{"s.started_at >= ?1 AND s.started_at < ?2", "s.started_at >= ?1 AND s.started_at < ?2",
             "s.started_at >= $1 AND s.started_at < $2"},
        // A question mark in a literal is text, not a parameter.
        Case{"label = 'vem?1' AND x = ?1", "label = 'vem?1' AND x = ?1",
             "label = 'vem?1' AND x = $1"},
        // An id read by the caller: centrally the station's id and the local id, which
        // the PostgreSQL source reads as one number per row of the whole municipality.
        Case{"SELECT {key:s.phone_id}", "SELECT s.phone_id",
             "SELECT (s.station_id || '/' || s.phone_id)"},
        Case{"SELECT {key:id} FROM units", "SELECT id FROM units",
             "SELECT (station_id || '/' || local_id) FROM units"},
        // A join names the same station too, so the (station_id, local_id) index is used.
        Case{"JOIN scans s ON {join:s.id=f.scan_id}", "JOIN scans s ON s.id = f.scan_id",
             "JOIN scans s ON s.station_id = f.station_id AND s.local_id = f.scan_id"},
        Case{"WHERE {join:finding_id = f.id}", "WHERE finding_id = f.id",
             "WHERE station_id = f.station_id AND finding_id = f.local_id"},
        Case{"max({id:id}) ORDER BY {id:r.id}", "max(id) ORDER BY r.id",
             "max(local_id) ORDER BY r.local_id"},
        Case{"GROUP BY {group:f.id}, p.unit_id", "GROUP BY f.id, p.unit_id",
             "GROUP BY f.station_id, f.local_id, p.unit_id"},
        // An id given as a parameter: centrally the station whose number it carries.
        Case{"WHERE {is:f.id=?3}", "WHERE (f.id = ?3)",
             "WHERE (f.station_id = (SELECT st.id FROM stations st WHERE st.number = "
             "($3::bigint >> 40)) AND f.local_id = ($3::bigint & 1099511627775))"},
        Case{"AND {isnot:s.phone_id=?2}", "AND NOT (s.phone_id = ?2)",
             "AND NOT (s.station_id = (SELECT st.id FROM stations st WHERE st.number = "
             "($2::bigint >> 40)) AND s.phone_id = ($2::bigint & 1099511627775))"},
        // Decisions and controls: centrally with the review server's own, newest by time.
        Case{"FROM {table:reviews} r ORDER BY {newest:r}", "FROM reviews r ORDER BY r.id DESC",
             "FROM review_log r ORDER BY r.created_at DESC, r.local_id DESC"},
        Case{"FROM {table:controls} c", "FROM controls c", "FROM control_log c"},
        // Where a row came from: centrally its station.
        Case{"SELECT {station:f}", "SELECT ''", "SELECT f.station_id"},
        // Evidence is sealed centrally.
        Case{"SELECT {sealed:f.excerpt}, {sealed:ref}", "SELECT f.excerpt, ref",
             "SELECT f.excerpt_sealed, ref_sealed"},
        // An unknown mark is left for the database to refuse, not silently dropped.
        Case{"SELECT {nokey:id}", "SELECT {nokey:id}", "SELECT {nokey:id}"});
    CAPTURE(c.shared);
    CHECK(expand(Dialect::sqlite, c.shared) == c.station);
    CHECK(expand(Dialect::postgresql, c.shared) == c.central);
}

} // namespace
} // namespace dockscan::agent
