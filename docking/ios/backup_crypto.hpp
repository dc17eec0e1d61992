#pragma once

// The cryptography of encrypted iOS backups: PBKDF2, AES key unwrap (RFC 3394) and
// AES-256-CBC. The one seam to OpenSSL in docking/ios: only backup_crypto.cpp
// includes its headers.

#include "docking/error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::docking::ios {

// Key material: wiped when it goes, never printed.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::string bytes) : m_bytes(std::move(bytes)) {}
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    ~SecretBytes();

    [[nodiscard]] std::string_view view() const { return m_bytes; }
    [[nodiscard]] std::size_t size() const { return m_bytes.size(); }

private:
    void wipe();
    std::string m_bytes;
};

enum class Digest { sha1, sha256 };

// PBKDF2-HMAC with `digest`; `length` bytes of output.
[[nodiscard]] Expected<SecretBytes> pbkdf2(Digest digest, std::string_view secret,
                                           std::string_view salt, std::uint32_t iterations,
                                           std::size_t length);

// Unwraps `wrapped` (RFC 3394) with the 256-bit `kek`. Nothing when the integrity check
// fails, which is how a wrong key shows.
[[nodiscard]] Expected<std::optional<SecretBytes>> aes_unwrap(const SecretBytes& kek,
                                                              std::string_view wrapped);

// AES-256-CBC decryption with a zero IV and no padding handling, in pieces: the
// caller feeds whole 16-byte blocks and removes the padding of the last one.
class CbcDecryptor {
public:
    [[nodiscard]] static Expected<CbcDecryptor> create(const SecretBytes& key);

    CbcDecryptor(CbcDecryptor&&) noexcept;
    CbcDecryptor& operator=(CbcDecryptor&&) noexcept;
    ~CbcDecryptor();

    // Decrypts `cipher` (a multiple of 16 bytes) and appends the plain text to `out`.
    [[nodiscard]] Expected<void> update(std::string_view cipher, std::string& out);

private:
    struct Impl;
    explicit CbcDecryptor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

inline constexpr std::size_t k_aes_block = 16;

// The length of `plain` without its PKCS#7 padding, or nothing when the padding is
// not valid.
[[nodiscard]] std::optional<std::size_t> unpadded_length(std::string_view plain);

} // namespace dockscan::docking::ios
