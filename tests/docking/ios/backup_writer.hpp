#pragma once

// Writes iOS backup folders (iOS 10+ layout) as iTunes/Finder/idevicebackup2 do, for
// tests: Manifest.db with Files(fileID, domain, relativePath, flags, file) whose
// `file` column is an NSKeyedArchiver MBFile made with libplist, the files stored as
// `xx/<SHA-1 of "domain-relativePath">`, Info.plist (XML), Manifest.plist and
// Status.plist (binary). With a password the backup is encrypted as iOS 10.2+ does:
// a backup keybag whose class keys are wrapped (RFC 3394) with the key derived from
// the password (PBKDF2-SHA256, then PBKDF2-SHA1), every file and Manifest.db
// encrypted with AES-256-CBC (zero IV, PKCS#7) under its own wrapped key.
// Independent of the reader under test: libplist and OpenSSL are used directly.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::testing {

struct IosDeviceFixture {
    std::string udid = "00008110-000A1B2C3D4E801E";
    std::string serial = "F2LXK0ABCD12";
    std::string name = "Hemtjänst Norr 7";
    std::string product_type = "iPhone14,5";
    std::string product_version = "17.4.1";
};

struct IosBackupOptions {
    std::optional<std::string> password = std::nullopt; // encrypted when set
    // Real backups use 10,000,000 and 10,000 rounds; tests would take seconds.
    std::uint32_t dp_iterations = 1000;
    std::uint32_t iterations = 100;
    IosDeviceFixture device = {};
    std::string snapshot_state = "finished";
};

// 2026-11-20 14:02 in Sweden (CET, UTC+1), the default time of files.
inline constexpr std::int64_t k_ios_nov20_1402 = 1'795'179'720;

class IosBackupWriter {
public:
    // Creates `folder` (the backup's <UDID> folder).
    IosBackupWriter(std::filesystem::path folder, IosBackupOptions options = {});
    IosBackupWriter(const IosBackupWriter&) = delete;
    IosBackupWriter& operator=(const IosBackupWriter&) = delete;
    ~IosBackupWriter();

    // Adds a file as the phone backed it up (encrypted when the backup is) and returns
    // its fileID.
    std::string add_file(std::string_view domain, std::string_view relative_path,
                         std::string_view content, std::int64_t mtime = k_ios_nov20_1402);

    // A Manifest.db row exactly as given, nothing stored (for damaged backups).
    void add_row(std::string_view file_id, std::string_view domain, std::string_view relative_path,
                 std::string_view file_blob);

    // Writes Manifest.db and the plists. The folder is a complete backup afterwards.
    void finish();

    // The fileID iOS gives a file: SHA-1 hex of "<domain>-<relative_path>".
    [[nodiscard]] static std::string file_id(std::string_view domain,
                                             std::string_view relative_path);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// An NSKeyedArchiver MBFile as Manifest.db's `file` column holds it. `encryption_key`
// (4-byte class + wrapped key) is left out when empty.
[[nodiscard]] std::string mbfile_blob(std::string_view relative_path, std::uint64_t size,
                                      std::int64_t mtime, std::uint32_t protection_class,
                                      std::string_view encryption_key = {});

// A binary or XML plist of a dictionary with one string value, for plist tests.
[[nodiscard]] std::string string_plist(std::string_view key, std::string_view value, bool binary);

} // namespace dockscan::testing
