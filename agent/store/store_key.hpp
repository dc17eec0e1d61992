#pragma once

// The store key: 256 random bits from a key file or a systemd credential.
// It lives only in this type, which wipes itself and never prints.

#include "agent/error.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>

namespace dockscan::agent {

class StoreKey {
public:
    static constexpr std::size_t k_size = 32;

    // Reads a raw 32-byte key file. Refuses a file readable or writable by group or
    // others, and one that is not exactly 32 bytes (ErrorCode::config).
    [[nodiscard]] static Expected<StoreKey> from_file(const std::filesystem::path& path);

    // Reads `$CREDENTIALS_DIRECTORY/dockscan-store-key` (systemd LoadCredential=).
    [[nodiscard]] static Expected<StoreKey> from_credentials();

    // Makes a fresh random key and writes it to `path` with mode 0600; refuses to
    // overwrite an existing file.
    [[nodiscard]] static Expected<StoreKey> create_file(const std::filesystem::path& path);

    StoreKey(const StoreKey&) = delete;
    StoreKey& operator=(const StoreKey&) = delete;
    StoreKey(StoreKey&& other) noexcept;
    StoreKey& operator=(StoreKey&& other) noexcept;
    ~StoreKey();

    [[nodiscard]] std::span<const std::uint8_t, k_size> bytes() const { return m_bytes; }

    // A key derived from this one for a named purpose ("identity-hmac", ...), so the
    // raw store key is used for nothing but the database.
    [[nodiscard]] StoreKey derive(std::string_view purpose) const;

private:
    StoreKey() = default;
    std::array<std::uint8_t, k_size> m_bytes{};
};

} // namespace dockscan::agent
