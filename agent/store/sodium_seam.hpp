#pragma once

// The store's cryptography, on libsodium: sodium_seam.cpp is the one file that includes
// it. Everything else in the store sees these functions and plain byte arrays.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent::crypto {

inline constexpr std::size_t k_key_size = 32;
inline constexpr std::size_t k_mac_size = 32;
using Key = std::array<unsigned char, k_key_size>;
using Mac = std::array<unsigned char, k_mac_size>;

// Initialises libsodium once for the process; false when it cannot run here.
[[nodiscard]] bool ready();

// Fills `out` with random bytes from the kernel.
void random_bytes(std::span<unsigned char> out);

// Overwrites `bytes` with zeros in a way the compiler does not remove.
void wipe(std::span<unsigned char> bytes);

// HMAC-SHA256 of `data` under `key`.
[[nodiscard]] Mac hmac_sha256(const Key& key, std::string_view data);

// SHA-256 of the fields, each prefixed with its length as 8 bytes big-endian, so that
// moving bytes from one field to the next ("ab" + "c" vs "a" + "bc") changes the hash.
[[nodiscard]] Mac sha256_of_fields(const std::vector<std::string_view>& fields);

// HMAC-SHA256 under `key` of the fields, length-prefixed as above.
[[nodiscard]] Mac hmac_of_fields(std::span<const unsigned char, k_key_size> key,
                                 const std::vector<std::string_view>& fields);

// Lower-case hexadecimal.
[[nodiscard]] std::string to_hex(std::span<const unsigned char> bytes);

// An argon2id password hash (interactive limits), or empty when out of memory.
[[nodiscard]] std::string hash_password(std::string_view password);
[[nodiscard]] bool verify_password(const std::string& hash, std::string_view password);

// Sealed boxes (X25519 and XSalsa20-Poly1305): anyone with the public key seals, only
// the holder of the secret key opens. The central side keeps evidence sealed to the
// review server's key, so neither the database nor another station can read it.
inline constexpr std::size_t k_box_public_key_size = 32;
inline constexpr std::size_t k_box_secret_key_size = 32;
using BoxPublicKey = std::array<unsigned char, k_box_public_key_size>;
using BoxSecretKey = std::array<unsigned char, k_box_secret_key_size>;

// A fresh key pair.
void box_keypair(BoxPublicKey& public_key, BoxSecretKey& secret_key);
// The public key of `secret_key`.
[[nodiscard]] BoxPublicKey box_public_key(const BoxSecretKey& secret_key);
// `plain` sealed to `public_key` (48 bytes longer than `plain`).
[[nodiscard]] std::string seal(const BoxPublicKey& public_key, std::string_view plain);
// The plain bytes of a sealed box, or nothing when the keys do not open it.
[[nodiscard]] std::optional<std::string> open_sealed(const BoxPublicKey& public_key,
                                                     const BoxSecretKey& secret_key,
                                                     std::string_view sealed);

} // namespace dockscan::agent::crypto
