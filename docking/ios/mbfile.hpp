#pragma once

// The `file` column of an iOS backup's Manifest.db: an MBFile object archived with
// NSKeyedArchiver into a binary property list. It holds what the backup knows about
// a file beyond its name: size, times, protection class and, in encrypted backups,
// the file's own key, wrapped with its protection class's key.

#include "docking/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::docking::ios {

struct MbFile {
    std::optional<std::uint64_t> size;
    std::optional<std::int64_t> mtime; // LastModified, Unix seconds
    std::optional<std::uint32_t> protection_class;
    // EncryptionKey as stored: a 4-byte little-endian protection class, then the
    // wrapped key. Empty when the file is not encrypted.
    std::string encryption_key;
};

// Reads an archived MBFile. `malformed` when the blob is no keyed archive, or its root
// object is not a dictionary.
[[nodiscard]] Expected<MbFile> parse_mbfile(std::string_view blob);

} // namespace dockscan::docking::ios
