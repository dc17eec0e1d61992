#pragma once

// The backup keybag of an encrypted iOS backup (Manifest.plist's BackupKeyBag): a
// list of tag-length-value records (4-byte tag, 4-byte big-endian length). The
// header (VERS, TYPE, UUID, HMCK, WRAP, SALT, ITER, DPWT, DPIC, DPSL) says how the
// backup password becomes a key; then one group per protection class, each opened by
// its own UUID record (CLAS, WRAP, KTYP, WPKY), holds that class's wrapped key.
//
// Unlocking: PBKDF2-HMAC-SHA256(password, DPSL, DPIC), then PBKDF2-HMAC-SHA1 of that
// (SALT, ITER), 32 bytes; every class key wrapped with the password (WRAP & 2) is
// unwrapped with it (RFC 3394). A failed unwrap means the password is wrong.

#include "docking/error.hpp"
#include "docking/ios/backup_crypto.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking::ios {

struct ClassKey {
    std::uint32_t protection_class = 0;
    std::uint32_t wrap = 0;     // 1: with the device key, 2: with the backup password
    std::uint32_t key_type = 0; // 0: AES, 1: Curve25519
    std::string wrapped_key;    // WPKY
};

struct Keybag {
    std::uint32_t version = 0;
    std::uint32_t type = 0; // 1: backup keybag
    std::string uuid;
    std::uint32_t wrap = 0;
    std::string salt;
    std::uint32_t iterations = 0;
    std::string dp_salt;
    std::uint32_t dp_iterations = 0; // 0 on backups from before iOS 10.2: no first round
    std::vector<ClassKey> class_keys;
};

// Reads a keybag; `malformed` for a broken record structure or missing fields.
[[nodiscard]] Expected<Keybag> parse_keybag(std::string_view blob);

// Limits against a keybag that asks for more work than any real one does (iOS asks
// for 10,000,000 SHA-256 rounds and 10,000 SHA-1 rounds).
struct KeybagLimits {
    std::uint32_t max_dp_iterations = 50'000'000;
    std::uint32_t max_iterations = 10'000'000;
};

// The class keys of an unlocked keybag, by protection class.
class ClassKeys {
public:
    // Unwraps a key stored with its class: a 4-byte little-endian protection class, then
    // the wrapped key (Manifest.plist's ManifestKey, a file's EncryptionKey).
    [[nodiscard]] Expected<SecretBytes> unwrap(std::string_view key_with_class) const;

    std::map<std::uint32_t, SecretBytes> keys;
};

// Unlocks `keybag` with the backup password: `wrong_password` when it does not fit.
[[nodiscard]] Expected<ClassKeys> unlock_keybag(const Keybag& keybag, std::string_view password,
                                                const KeybagLimits& limits = {});

} // namespace dockscan::docking::ios
