#pragma once

// The station's `[central]` section: where the municipality's PostgreSQL is, who this
// station is there, its TLS files, the review server's public key (evidence is sealed to
// it) and the fleet key (match hashes that agree across stations).

#include "agent/error.hpp"
#include "agent/store/sodium_seam.hpp"
#include "agent/store/store_key.hpp"

#include <filesystem>
#include <string>

namespace dockscan::agent::central {

struct CentralSettings {
    // libpq's "host=... port=... dbname=..."; TLS and the user come from the keys below.
    std::string conninfo;
    std::string station; // this station's id in the central database
    std::string role;    // its login role: the CN of its client certificate
    std::filesystem::path sslrootcert;
    std::filesystem::path sslcert;
    std::filesystem::path sslkey;
    std::filesystem::path review_public_key; // 32 bytes, from `dockscan central keygen`
    std::filesystem::path fleet_key;         // 32 bytes, mode 0600, one per municipality
};

// The central review server's `[central_review]` section (`dockscan report --central`,
// and the central review): the review role's login and TLS files, and the review
// server's secret key, which opens the stations' sealed evidence.
struct ReviewSettings {
    std::string conninfo; // libpq's "host=... port=... dbname=..."
    std::string role;     // the review role: the CN of the client certificate
    std::filesystem::path sslrootcert;
    std::filesystem::path sslcert;
    std::filesystem::path sslkey;
    std::filesystem::path review_secret_key; // 32 bytes, mode 0600; empty: evidence stays sealed
};

// The full connection string: TLS with verify-full (the server's certificate must
// name the host and chain to sslrootcert) and this station's client certificate.
[[nodiscard]] std::string connection_string(const CentralSettings& settings);
// The same for the review server's role.
[[nodiscard]] std::string connection_string(const ReviewSettings& settings);

// What the sender needs besides the connection: the keys, read from their files.
struct CentralKeys {
    crypto::BoxPublicKey review_key{};
    StoreKey fleet_key;
};
// ErrorCode::config when a file is missing, has the wrong size, or (the fleet key) is
// readable by others.
[[nodiscard]] Expected<CentralKeys> load_keys(const CentralSettings& settings);

// Writes a fresh review key pair: the public key (32 bytes, 0644) for the stations'
// configs, the secret key (32 bytes, 0600) for the review server only. Refuses to
// overwrite either file.
[[nodiscard]] Expected<void> write_review_keypair(const std::filesystem::path& public_key,
                                                  const std::filesystem::path& secret_key);
// Reads a review secret key written by write_review_keypair.
[[nodiscard]] Expected<crypto::BoxSecretKey> read_review_secret(const std::filesystem::path& path);
// Reads a review public key.
[[nodiscard]] Expected<crypto::BoxPublicKey> read_review_public(const std::filesystem::path& path);

} // namespace dockscan::agent::central
