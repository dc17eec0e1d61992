#pragma once

// The station's RSA-2048 key that phones remember when staff tap "Allow USB
// debugging" (and "Always allow from this computer"). The only file that includes
// OpenSSL here is station_key.cpp.

#include "docking/error.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace dockscan::docking::adb {

class StationKey {
public:
    // Loads the PEM private key at `path`, or creates one (mode 0600, parent folder
    // 0700 when it is created) when there is none.
    [[nodiscard]] static Expected<StationKey> load_or_create(const std::filesystem::path& path);

    StationKey(StationKey&&) noexcept;
    StationKey& operator=(StationKey&&) noexcept;
    ~StationKey();

    // Signs adbd's 20-byte AUTH token as adbd verifies it: RSA PKCS#1 v1.5 with the
    // token taken as a SHA-1 digest (RSA_sign(NID_sha1, ...)).
    [[nodiscard]] Expected<std::string> sign_token(std::string_view token) const;

    // The public key as adbd stores it in adb_keys: base64 of mincrypt's RSAPublicKey
    // struct, then " user@host" and a NUL, ready for AUTH RSAPUBLICKEY.
    [[nodiscard]] std::string android_public_key() const;

private:
    struct Impl;
    explicit StationKey(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Where the station key lives: $STATE_DIRECTORY/adbkey under systemd, else
// $HOME/.local/state/dockscan/adbkey.
[[nodiscard]] std::filesystem::path default_station_key_path();

} // namespace dockscan::docking::adb
