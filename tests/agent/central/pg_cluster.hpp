#pragma once

// A real PostgreSQL 15 for a test (tests/agent/central/pg-cluster): TLS with a CA made in
// the test, client certificates per role, the dockscan database migrated by its owner
// role. Removed when the test ends.

#include "agent/central/central_settings.hpp"
#include "agent/central/pg_seam.hpp"
#include "tests/support/temp_dir.hpp"

#include <filesystem>
#include <string>

namespace dockscan::agent::central_test {

using namespace dockscan::agent::central;

class PgCluster {
public:
    PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;
    ~PgCluster();

    // Stops the server (fast: open sessions end) and starts it again.
    void stop();
    void start();

    // The connection string for `role` with its own client certificate (made once).
    [[nodiscard]] std::string conninfo(const std::string& role);
    // A connection as `role`, which must succeed.
    [[nodiscard]] pg::Connection connect(const std::string& role);
    // The owner's connection, with the schema migrated.
    [[nodiscard]] pg::Connection owner();

    // A station's [central] settings: its role (registered with add_station), the
    // keys in `keys` (review_public.key, fleet.key; made once per folder).
    [[nodiscard]] CentralSettings station_settings(const std::string& station,
                                                   const std::string& role,
                                                   const std::filesystem::path& keys);

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] const std::filesystem::path& certs() const { return m_certs.path(); }

private:
    std::filesystem::path m_dir; // the cluster's own folder (owned by postgres)
    int m_port = 0;
    testing::TempDir m_certs;
    bool m_migrated = false;
};

// Makes review_public.key, review_secret.key and fleet.key in `dir` unless there.
void make_keys(const std::filesystem::path& dir);

// The one value of a one-row, one-column query.
[[nodiscard]] std::string scalar(pg::Connection& conn, const std::string& sql);

// Registers stations "norr" (role station_norr) and "soder" (station_soder) and the
// review role review_server: the municipality of two stations most tests use.
void add_norr_and_soder(PgCluster& pg);

// A review server's config in `dir` (ROLE.toml) with only its [central_review] login as
// `role` (its client certificate made here); `secret_key` for `serve --central`.
[[nodiscard]] std::filesystem::path review_config(PgCluster& pg, const testing::TempDir& dir,
                                                  const std::string& role = "review_server",
                                                  const std::filesystem::path& secret_key = {});

// A station's folder in `dir`: an initialised store and key (`dockscan init`), and a
// config (dockscan.toml) with one slot and [central] for station `name` logging in as
// `role`. Returns the folder.
[[nodiscard]] std::filesystem::path make_station_folder(PgCluster& pg, const testing::TempDir& dir,
                                                        const std::string& name,
                                                        const std::string& role);

} // namespace dockscan::agent::central_test
