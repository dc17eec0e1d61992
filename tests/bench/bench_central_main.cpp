// dockscan-bench-central: a quarter of a municipality's stations pushed into one real
// PostgreSQL (tests/agent/central/pg-cluster) by concurrent client processes, each a
// station with its own store, role and certificate. Prints rows per second, the time of
// a municipality-wide report query, of `dockscan report --central`'s report (the report
// model on PostgreSQL, and its PDF) and of one unit's review queue, and the database's
// size per 100,000 findings. A tool that prints figures, not a test (README.md).
//
//   dockscan-bench-central [STATIONS [SCANS_PER_STATION [FINDINGS_PER_SCAN [DECIDED_PCT]]]]
//   (default 50 600 7 0: 30,000 dockings and 210,000 findings, none decided; with
//   DECIDED_PCT, that share of the scans has every finding decided at the station)

#include "agent/central/central_schema.hpp"
#include "agent/central/central_settings.hpp"
#include "agent/central/central_users.hpp"
#include "agent/central/outbox_sender.hpp"
#include "agent/central/pg_source.hpp"
#include "agent/report/render.hpp"
#include "agent/report/report_model.hpp"
#include "agent/store/dockings.hpp"
#include "agent/store/review_queries.hpp"
#include "agent/store/store.hpp"
#include "base/time.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace dockscan;
using namespace dockscan::agent;
using Clock = std::chrono::steady_clock;

namespace {

const std::string k_script = std::string(DOCKSCAN_SOURCE_DIR) + "/tests/agent/central/pg-cluster";

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "dockscan-bench-central: %s\n", message.c_str());
    std::exit(1);
}

template <typename T>
T must(Expected<T> value) {
    if (!value) {
        die(value.error().message);
    }
    if constexpr (!std::is_void_v<T>) {
        return std::move(*value);
    }
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// One station's quarter: ten phones in two units, `scans` dockings with a scan each,
// `per_scan` messages with a finding each (masked number, keyed hash, excerpt);
// `decided_pct` % of the scans with each finding decided (a review row each).
void fill(const std::filesystem::path& path, const StoreKey& key, const StoreKey& fleet,
          int station, int scans, int per_scan, int decided_pct) {
    Store store = must(Store::open(path, key, OpenMode::create));
    store.use_fleet_key(fleet);
    must(store.database()
             .exec("INSERT INTO units (name, area) VALUES ('Enhet A', "
                   "'Hemtjänst'), ('Enhet B', 'SÄBO')")
             .map_error([](const auto& e) {
                 return Error{ErrorCode::store_io, e.message};
             }));
    std::vector<std::int64_t> phones;
    for (int p = 0; p < 10; ++p) {
        const std::string serial = "S" + std::to_string(station) + "-" + std::to_string(p);
        phones.push_back(must(store.upsert_phone({"phone-" + serial, serial, "", "", ""})));
        must(store.database()
                 .exec("UPDATE phones SET unit_id = " + std::to_string(1 + p % 2) +
                       " WHERE id = " + std::to_string(phones.back()))
                 .map_error([](const auto& e) {
                     return Error{ErrorCode::store_io, e.message};
                 }));
    }
    for (int s = 0; s < scans; ++s) {
        const std::int64_t phone = phones[static_cast<std::size_t>(s) % phones.size()];
        const std::int64_t docking = must(dockings::begin(store, {1, "Plats 1", "adb", "", phone}));
        const std::int64_t scan = must(store.begin_scan(phone, "adb:bench"));
        std::vector<ItemResult> batch;
        for (int f = 0; f < per_scan; ++f) {
            const std::string tag = std::to_string(s) + "-" + std::to_string(f);
            NewFinding finding;
            finding.kind = "personnummer";
            finding.category =
                f % 3 == 0 ? "personnummer_i_anteckning" : "personnummer_i_meddelande";
            finding.severity = f % 5 == 0 ? "allvarlig_avvikelse" : "avvikelse";
            finding.confidence = 0.9;
            finding.masked = "850709-****";
            finding.match_hash = store.match_hash("19850709980" + std::to_string(f % 10));
            finding.excerpt = "ring om B. A., född 850709-**** (" + tag + ")";
            finding.detector = "text/identity-number";
            finding.content_hash = content_hash(tag);
            batch.push_back(ItemResult{"message",
                                       "sms:" + tag,
                                       "SMS " + tag,
                                       120,
                                       s,
                                       ItemOutcome::scanned,
                                       {finding},
                                       {}});
        }
        must(store.write_batch(scan, phone, batch));
        if (s % 100 < decided_pct) {
            std::vector<std::int64_t> ids;
            auto select = store.database().prepare("SELECT id FROM findings WHERE scan_id = ?1");
            if (!select) {
                die(select.error().message);
            }
            select->bind(1, scan);
            while (select->step().value_or(false)) {
                ids.push_back(select->column_int(0));
            }
            must(review::add_decisions(store,
                                       {0,
                                        s % 7 == 0 ? "allvarlig_avvikelse" : "avvikelse",
                                        {"samtal_med_medarbetare"},
                                        "",
                                        "",
                                        "",
                                        "chef"},
                                       ids));
        }
        must(store.finish_scan(scan, ScanStatus::complete, "", {}));
        must(dockings::finish(store, docking, dockings::Outcome::complete, "", scan));
    }
}

central::CentralSettings settings_for(const std::filesystem::path& certs, int port,
                                      const std::filesystem::path& keys, int station) {
    const std::string role = "station_" + std::to_string(station);
    central::CentralSettings s;
    s.conninfo = "host=localhost port=" + std::to_string(port) + " dbname=dockscan";
    s.station = "station-" + std::to_string(station);
    s.role = role;
    s.sslrootcert = certs / "ca.crt";
    s.sslcert = certs / (role + ".crt");
    s.sslkey = certs / (role + ".key");
    s.review_public_key = keys / "review_public.key";
    s.fleet_key = keys / "fleet.key";
    return s;
}

std::string scalar(pg::Connection& conn, const std::string& sql) {
    const auto rows = must(conn.query(sql));
    return rows.rows.at(0).at(0).value_or("");
}

double time_query(pg::Connection& conn, const std::string& sql, const std::vector<pg::Param>& p,
                  std::size_t& rows) {
    // The best of three: the first also reads the pages into the cache.
    double best = 1e9;
    for (int i = 0; i < 3; ++i) {
        const auto start = Clock::now();
        rows = must(conn.query(sql, p)).rows.size();
        best = std::min(best, seconds_since(start));
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    const int stations = argc > 1 ? std::atoi(argv[1]) : 50;
    const int scans = argc > 2 ? std::atoi(argv[2]) : 600;
    const int per_scan = argc > 3 ? std::atoi(argv[3]) : 7;
    const int decided_pct = argc > 4 ? std::atoi(argv[4]) : 0;
    testing::TempDir dir;

    const auto created = testing::run_process({k_script, "create"});
    if (created.exit_code != 0) {
        die("cannot start PostgreSQL: " + created.err);
    }
    std::istringstream words(created.out);
    std::string word, cluster;
    int port = 0;
    while (words >> word) {
        if (word == "DIR") {
            words >> cluster;
        } else if (word == "PORT") {
            words >> port;
        }
    }
    // DOCKSCAN_BENCH_KEEP_CLUSTER=1 keeps the database for a look at the plans
    // (`pg-cluster psql DIR`, then `pg-cluster destroy DIR`).
    struct Cleanup {
        std::string cluster;
        ~Cleanup() {
            if (std::getenv("DOCKSCAN_BENCH_KEEP_CLUSTER") != nullptr) {
                std::printf("cluster kept: %s\n", cluster.c_str());
                return;
            }
            (void)testing::run_process({k_script, "destroy", cluster});
        }
    } cleanup{cluster};
    const auto certs = dir / "certs";
    auto client = [&](const std::string& role) {
        if (testing::run_process({k_script, "client", cluster, role, certs.string()}).exit_code !=
            0) {
            die("cannot make a certificate for " + role);
        }
    };
    client("dockscan_owner");
    client("review_server");
    const auto keys = dir / "keys";
    std::filesystem::create_directories(keys);
    must(central::write_review_keypair(keys / "review_public.key", keys / "review_secret.key"));
    const StoreKey fleet = must(StoreKey::create_file(keys / "fleet.key"));
    const StoreKey store_key = must(StoreKey::create_file(dir / "store.key"));

    central::CentralSettings owner_settings = settings_for(certs, port, keys, 0);
    owner_settings.role = "dockscan_owner";
    owner_settings.sslcert = certs / "dockscan_owner.crt";
    owner_settings.sslkey = certs / "dockscan_owner.key";
    pg::Connection owner =
        must(pg::Connection::connect(central::connection_string(owner_settings)));
    must(central::migrate(owner));
    must(central::add_review_role(owner, "review_server"));
    for (int s = 0; s < stations; ++s) {
        client("station_" + std::to_string(s));
        must(central::add_station(owner, "station-" + std::to_string(s),
                                  "station_" + std::to_string(s)));
    }

    std::printf("%d stations, %d dockings each, %d findings per docking, %d %% of the dockings' "
                "findings decided\n",
                stations, scans, per_scan, decided_pct);
    auto start = Clock::now();
    std::vector<pid_t> children;
    auto wait_all = [&](const char* what) {
        for (const pid_t child : children) {
            int status = 0;
            if (::waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
                WEXITSTATUS(status) != 0) {
                die(std::string("a station failed to ") + what);
            }
        }
        children.clear();
    };
    // The stores first (two processes at a time: the machine has two cores), untimed.
    for (int s = 0; s < stations; ++s) {
        const pid_t child = ::fork();
        if (child == 0) {
            fill(dir / ("station-" + std::to_string(s) + ".db"), store_key, fleet, s, scans,
                 per_scan, decided_pct);
            std::_Exit(0);
        }
        children.push_back(child);
        if (children.size() == 2) {
            wait_all("fill its store");
        }
    }
    wait_all("fill its store");
    std::printf("stores filled in %.1f s\n", seconds_since(start));

    // Every station syncs at once: one client process each.
    start = Clock::now();
    for (int s = 0; s < stations; ++s) {
        const pid_t child = ::fork();
        if (child == 0) {
            const auto settings = settings_for(certs, port, keys, s);
            Store store = must(Store::open(dir / ("station-" + std::to_string(s) + ".db"),
                                           store_key, OpenMode::existing));
            central::OutboxSender sender(settings, must(central::load_keys(settings)));
            const auto sent = must(sender.sync(store));
            std::_Exit(sent.caught_up ? 0 : 1);
        }
        children.push_back(child);
    }
    wait_all("sync");
    const double push = seconds_since(start);

    pg::Connection review = must(pg::Connection::connect(central::connection_string([&] {
        auto s = owner_settings;
        s.role = "review_server";
        s.sslcert = certs / "review_server.crt";
        s.sslkey = certs / "review_server.key";
        return s;
    }())));
    (void)owner.exec("VACUUM ANALYZE");
    long long rows = 0;
    for (const char* table : {"units", "phones", "phone_units", "scans", "items", "findings",
                              "thumbnails", "dockings", "reviews"}) {
        rows += std::stoll(scalar(review, std::string("SELECT count(*) FROM ") + table));
    }
    const long long findings = std::stoll(scalar(review, "SELECT count(*) FROM findings"));
    const long long dockings_n = std::stoll(scalar(review, "SELECT count(*) FROM dockings"));
    std::printf("pushed %lld rows (%lld dockings, %lld findings) in %.1f s: %.0f rows/s, "
                "%.0f findings/s\n",
                rows, dockings_n, findings, push, static_cast<double>(rows) / push,
                static_cast<double>(findings) / push);

    std::size_t n = 0;
    const double report = time_query(
        review,
        "SELECT s.station_id, p.unit_id, f.category, f.severity, count(*) AS findings, "
        "count(DISTINCT s.phone_id) AS phones, count(DISTINCT f.match_hash) AS people "
        "FROM findings f JOIN scans s ON s.station_id = f.station_id AND s.local_id = f.scan_id "
        "JOIN phones p ON p.station_id = s.station_id AND p.local_id = s.phone_id "
        "WHERE f.created_at >= '2000-01-01' GROUP BY 1, 2, 3, 4",
        {}, n);
    std::printf("report query, the whole municipality (per station, unit, category, "
                "severity): %.3f s, %zu rows\n",
                report, n);
    // The report itself, as `dockscan report --central` makes it: the quarter of the
    // scans (made now), every unit of every station, best of three.
    {
        central::PgSource source(review);
        const std::int64_t now = base::unix_now();
        const auto quarter = reports::period_of(reports::quarter_of(now));
        double best = 1e9;
        double best_pdf = 1e9;
        reports::Report model;
        for (int i = 0; i < 3; ++i) {
            const auto begun = Clock::now();
            model = must(reports::build_report(source, quarter, {}, now, {}));
            best = std::min(best, seconds_since(begun));
            const auto rendered = Clock::now();
            const std::string pdf = must(reports::render(model, reports::Format::pdf));
            best_pdf = std::min(best_pdf, seconds_since(rendered));
        }
        std::printf("dockscan report --central, the whole municipality's quarter: %.3f s to "
                    "count (%lld phones, %lld scanned, %lld findings), %.3f s for its PDF\n",
                    best, static_cast<long long>(model.total.phones),
                    static_cast<long long>(model.total.checked),
                    static_cast<long long>(model.total.findings), best_pdf);
    }
    // The review queue as `dockscan serve --central` reads it (review::findings_page through
    // PgSource, the review key in memory to open each excerpt): the first page (50 items)
    // of open findings for a supervisor of "Enhet A" (that unit at every station: one
    // unit centrally) and for a quality lead (every unit), best of three.
    {
        must(central::add_user(review, {"chef.a", "Chef A", users::Role::supervisor, {"Enhet A"}},
                               "bench-password-1", "bench"));
        must(central::add_user(review, {"kvalitet", "Kvalitet", users::Role::quality_lead, {}},
                               "bench-password-2", "bench"));
        const auto chef = must(central::credentials(review, "chef.a"));
        const auto lead = must(central::credentials(review, "kvalitet"));
        central::PgSource source(review);
        source.set_review_key(must(central::read_review_secret(keys / "review_secret.key")));
        for (const auto& [who, viewer] :
             {std::pair{"a supervisor of one unit (Enhet A at every station)",
                        review::Viewer{chef->user.id, false}},
              std::pair{"a quality lead (every unit)", review::Viewer{lead->user.id, true}}}) {
            double best = 1e9;
            std::size_t shown = 0;
            for (int i = 0; i < 3; ++i) {
                const auto begun = Clock::now();
                const auto page =
                    must(review::findings_page(source, viewer, review::Filter::open, 1, 50));
                best = std::min(best, seconds_since(begun));
                shown = page.rows.size();
            }
            std::printf("review queue, first page for %s: %.1f ms, %zu findings\n", who,
                        best * 1000, shown);
        }
    }
    const double bytes = std::stod(scalar(review, "SELECT pg_database_size('dockscan')"));
    const double findings_bytes =
        std::stod(scalar(review, "SELECT pg_total_relation_size('findings')"));
    std::printf("database %.0f MB; per 100,000 findings: %.0f MB in all, %.0f MB the "
                "findings table with its indexes\n",
                bytes / 1e6, bytes / 1e6 * 100000.0 / static_cast<double>(findings),
                findings_bytes / 1e6 * 100000.0 / static_cast<double>(findings));
    return 0;
}
