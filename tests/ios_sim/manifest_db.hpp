#pragma once

// Manifest.db, the SQLite index of an iOS 10+ backup (table Files: fileID, domain,
// relativePath, flags, file), made by the simulated phone for its backups.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::testing::ios_sim {

struct ManifestEntry {
    std::string file_id; // SHA-1 of "domain-relativePath", hex
    std::string domain;
    std::string relative_path;
    int flags = 1; // 1 file, 2 directory
};

// The database's bytes, built in `scratch` (a file removed again).
[[nodiscard]] std::optional<std::string> make_manifest_db(const std::vector<ManifestEntry>& entries,
                                                          const std::filesystem::path& scratch);

} // namespace dockscan::testing::ios_sim
