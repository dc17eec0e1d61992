#pragma once

// The store's cryptography, on libsodium: sodium_seam.cpp is the one file that includes
// it. Everything else in the store sees these functions and plain byte arrays.

#include <array>
#include <cstddef>
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

} // namespace dockscan::agent::crypto
