#include "tests/agent/central/pg_cluster.hpp"

#include "agent/central/central_schema.hpp"
#include "agent/store/store_key.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>
#include <sstream>

namespace dockscan::agent::central_test {

namespace {

std::string script() {
    return std::string(DOCKSCAN_SOURCE_DIR) + "/tests/agent/central/pg-cluster";
}

testing::ProcessResult run_script(const std::vector<std::string>& args) {
    std::vector<std::string> argv{script()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_process(argv);
}

} // namespace

PgCluster::PgCluster() {
    const auto created = run_script({"create"});
    if (created.exit_code != 0) {
        FAIL("cannot start PostgreSQL: " << created.err);
    }
    std::istringstream lines(created.out);
    std::string word;
    while (lines >> word) {
        if (word == "DIR") {
            lines >> word;
            m_dir = word;
        } else if (word == "PORT") {
            lines >> m_port;
        }
    }
    REQUIRE(!m_dir.empty());
    REQUIRE(m_port > 0);
}

PgCluster::~PgCluster() {
    (void)run_script({"destroy", m_dir.string()});
}

void PgCluster::stop() {
    const auto stopped = run_script({"stop", m_dir.string()});
    REQUIRE(stopped.exit_code == 0);
}

void PgCluster::start() {
    const auto started = run_script({"start", m_dir.string()});
    REQUIRE(started.exit_code == 0);
}

std::string PgCluster::conninfo(const std::string& role) {
    const std::filesystem::path cert = m_certs / (role + ".crt");
    if (!std::filesystem::exists(cert)) {
        const auto made = run_script({"client", m_dir.string(), role, m_certs.path().string()});
        REQUIRE(made.exit_code == 0);
    }
    CentralSettings settings;
    settings.conninfo = "host=localhost port=" + std::to_string(m_port) + " dbname=dockscan";
    settings.role = role;
    settings.sslrootcert = m_certs / "ca.crt";
    settings.sslcert = cert;
    settings.sslkey = m_certs / (role + ".key");
    return connection_string(settings);
}

pg::Connection PgCluster::connect(const std::string& role) {
    auto conn = pg::Connection::connect(conninfo(role));
    if (!conn) {
        FAIL(conn.error().message);
    }
    return std::move(*conn);
}

pg::Connection PgCluster::owner() {
    pg::Connection conn = connect("dockscan_owner");
    if (!m_migrated) {
        const auto version = central::migrate(conn);
        if (!version) {
            FAIL(version.error().message);
        }
        REQUIRE(*version == central::schema_version());
        m_migrated = true;
    }
    return conn;
}

CentralSettings PgCluster::station_settings(const std::string& station, const std::string& role,
                                            const std::filesystem::path& keys) {
    make_keys(keys);
    (void)conninfo(role);
    CentralSettings settings;
    settings.conninfo = "host=localhost port=" + std::to_string(m_port) + " dbname=dockscan";
    settings.station = station;
    settings.role = role;
    settings.sslrootcert = m_certs / "ca.crt";
    settings.sslcert = m_certs / (role + ".crt");
    settings.sslkey = m_certs / (role + ".key");
    settings.review_public_key = keys / "review_public.key";
    settings.fleet_key = keys / "fleet.key";
    return settings;
}

void make_keys(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    if (!std::filesystem::exists(dir / "review_public.key")) {
        const auto written =
            central::write_review_keypair(dir / "review_public.key", dir / "review_secret.key");
        REQUIRE(written);
    }
    if (!std::filesystem::exists(dir / "fleet.key")) {
        REQUIRE(StoreKey::create_file(dir / "fleet.key"));
    }
}

std::string scalar(pg::Connection& conn, const std::string& sql) {
    const auto rows = conn.query(sql);
    if (!rows) {
        FAIL(rows.error().message);
    }
    REQUIRE(rows->rows.size() == 1);
    return rows->rows[0][0].value_or("NULL");
}

void add_norr_and_soder(PgCluster& pg) {
    auto owner = pg.owner();
    REQUIRE(central::add_station(owner, "norr", "station_norr"));
    REQUIRE(central::add_station(owner, "soder", "station_soder"));
    REQUIRE(central::add_review_role(owner, "review_server"));
}

std::filesystem::path review_config(PgCluster& pg, const testing::TempDir& dir,
                                    const std::string& role,
                                    const std::filesystem::path& secret_key) {
    (void)pg.conninfo(role);
    const std::filesystem::path path = dir / (role + ".toml");
    testing::write_file(
        path, "[central_review]\nconninfo = \"host=localhost port=" + std::to_string(pg.port()) +
                  " dbname=dockscan\"\nrole = \"" + role + "\"\nsslrootcert = \"" +
                  (pg.certs() / "ca.crt").string() + "\"\nsslcert = \"" +
                  (pg.certs() / (role + ".crt")).string() + "\"\nsslkey = \"" +
                  (pg.certs() / (role + ".key")).string() + "\"\n" +
                  (secret_key.empty() ? std::string()
                                      : "review_secret_key = \"" + secret_key.string() + "\"\n"));
    return path;
}

std::filesystem::path make_station_folder(PgCluster& pg, const testing::TempDir& dir,
                                          const std::string& name, const std::string& role) {
    const auto station = dir / name;
    std::filesystem::create_directories(station);
    REQUIRE(testing::run_process({testing::dockscan_exe(), "init", "--store",
                                  (station / "store.db").string(), "--key-file",
                                  (station / "store.key").string()})
                .exit_code == 0);
    const CentralSettings c = pg.station_settings(name, role, dir / "keys");
    testing::write_file(station / "dockscan.toml",
                        "[store]\npath = \"store.db\"\nkey_file = \"store.key\"\n\n"
                        "[[slots]]\nport = \"1-1.1\"\nnumber = 1\nlabel = \"Plats 1\"\n\n"
                        "[central]\nconninfo = \"" +
                            c.conninfo + "\"\nstation = \"" + name + "\"\nrole = \"" + role +
                            "\"\nsslrootcert = \"" + c.sslrootcert.string() + "\"\nsslcert = \"" +
                            c.sslcert.string() + "\"\nsslkey = \"" + c.sslkey.string() +
                            "\"\nreview_public_key = \"" + c.review_public_key.string() +
                            "\"\nfleet_key = \"" + c.fleet_key.string() + "\"\n");
    return station;
}

} // namespace dockscan::agent::central_test
