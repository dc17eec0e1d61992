#pragma once

// The text header of an `adb backup` archive (.ab), as Android's BackupManagerService
// writes it: "ANDROID BACKUP", format version, compression flag, encryption, and for
// AES-256 the key derivation parameters and the encrypted master key blob.

#include "docking/android/byte_stream.hpp"

#include <cstdint>
#include <string>

namespace dockscan::docking::android {

enum class AbEncryption { none, aes256 };

struct AbHeader {
    int version = 0; // 1..5
    bool compressed = false;
    AbEncryption encryption = AbEncryption::none;
    // Only for AES-256; all binary (decoded from hex).
    std::string user_salt;
    std::string checksum_salt;
    std::uint32_t rounds = 0;
    std::string user_iv;
    std::string master_key_blob;

    bool operator==(const AbHeader&) const = default;
};

// Reads the header from the start of `in` and leaves `in` at the first payload byte.
// A file that does not start with "ANDROID BACKUP" is `not_a_source`; versions and
// ciphers we do not know are `unsupported`.
[[nodiscard]] Expected<AbHeader> read_ab_header(ByteStream& in);

// Decodes lower- or upper-case hex; nothing on odd length or a non-hex character.
[[nodiscard]] Expected<std::string> decode_hex(std::string_view hex, std::string_view what);

} // namespace dockscan::docking::android
