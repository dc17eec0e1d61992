#pragma once

// The files of an iOS backup (iOS 10 and later): Manifest.db's table
// Files(fileID, domain, relativePath, flags, file) names each file the phone backed up,
// and its content lies in the backup folder as `<first two hex digits>/<fileID>`
// (fileID = SHA-1 of "<domain>-<relativePath>"). In an encrypted backup Manifest.db
// itself and every file are AES-256-CBC encrypted, each with its own key.
//
// Paths from the phone are never host paths: a file is found only through its
// fileID, which must be 40 hex digits, and opened below the backup folder's
// descriptor without following links (file_access.hpp).

#include "base/sqlite.hpp"
#include "docking/error.hpp"
#include "docking/file_access.hpp"
#include "docking/ios/keybag.hpp"
#include "docking/ios/mbfile.hpp"
#include "docking/ios/private_temp.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking::ios {

// A database error as our error, `what` naming the database ("sms.db: ..."). The host
// path of the file, when given, is taken out of the message: messages are stored
// beside the item's ref, and host paths must not reach the store.
[[nodiscard]] Error database_error(std::string_view what, const base::sqlite::Error& error,
                                   const std::filesystem::path& host_path = {});

struct BackupLimits {
    std::uint64_t max_database_bytes = 8ull << 30; // a database copied out to decrypt it
    std::uint64_t max_plist_bytes = 64u << 20;
};

// One row of Manifest.db's Files.
struct BackupFile {
    std::string file_id;
    std::string domain;
    std::string relative_path;
    MbFile meta;                     // empty when the row has no readable record
    std::optional<Error> meta_error; // why the record could not be read
};

// A database from the backup, opened read-only; together with its copies in the
// private temp folder when it needed them (decrypted, or with its -wal/-shm side
// files), which go with it.
struct BackupDatabase {
    std::vector<TempFile> copies; // declared first: the database closes before they go
    base::sqlite::Database db;
};

class BackupFiles {
public:
    // Opens Manifest.db in `folder` (opened as `root`). With `keys` the backup is
    // encrypted, and Manifest.db is decrypted with `manifest_key` (empty for backups
    // from before iOS 10.2, whose Manifest.db is not encrypted).
    [[nodiscard]] static Expected<BackupFiles> open(const std::filesystem::path& folder, Fd root,
                                                    std::optional<ClassKeys> keys,
                                                    std::string_view manifest_key,
                                                    BackupLimits limits);

    [[nodiscard]] bool encrypted() const { return m_keys.has_value(); }

    // The regular file at `relative_path` in `domain`, or nothing when the backup has none.
    [[nodiscard]] Expected<std::optional<BackupFile>> find(std::string_view domain,
                                                           std::string_view relative_path);

    // Every regular file of `domain` whose relative path starts with `prefix`, by path.
    // An error of `visit` ends the walk with that error.
    [[nodiscard]] Expected<void> each_file(std::string_view domain, std::string_view prefix,
                                           const std::function<Expected<void>(BackupFile)>& visit);

    // The content of `file`, decrypted; `too_large` over `limit` bytes (decided before
    // reading when the size is known).
    [[nodiscard]] Expected<std::string> read(const BackupFile& file, std::uint64_t limit);

    // Size and modification time of the stored file as the host sees it.
    [[nodiscard]] Expected<EntryStat> stat(const BackupFile& file);

    // Opens a SQLite database of the backup. As the phone left it: when the backup
    // holds its "-wal" (iOS keeps recent changes there, and Manifest.db lists it beside
    // the database), the database, its -wal and -shm are copied (decrypted) into the
    // private temp folder and the copy is opened there, so that SQLite applies the WAL
    // and the backup's files stay untouched. Otherwise the stored file is opened
    // read-only and immutable (decrypted into the temp folder when encrypted).
    [[nodiscard]] Expected<BackupDatabase> open_database(const BackupFile& file);

private:
    BackupFiles(std::filesystem::path folder, Fd root, std::optional<ClassKeys> keys,
                BackupLimits limits);

    [[nodiscard]] Expected<OpenFile> open_stored(const BackupFile& file);
    [[nodiscard]] Expected<SecretBytes> file_key(const BackupFile& file) const;
    // Writes `file`'s plain content (decrypted when the backup is encrypted) to `out`.
    [[nodiscard]] Expected<void> copy_plain(const BackupFile& file, const Fd& out);
    [[nodiscard]] Expected<BackupDatabase> open_with_side_files(const BackupFile& file);
    [[nodiscard]] Expected<BackupDatabase> decrypt_database(std::string_view what,
                                                            const OpenFile& stored,
                                                            const SecretBytes& key,
                                                            std::optional<std::uint64_t> size);

    std::filesystem::path m_folder;
    Fd m_root;
    std::optional<ClassKeys> m_keys;
    BackupLimits m_limits;
    std::optional<PrivateTempDir> m_temp; // declared before m_manifest: it goes last
    std::optional<BackupDatabase> m_manifest;
    std::uint64_t m_side_copies = 0; // names each copy with side files apart
};

// True for a fileID that can name a stored file: 40 hex digits.
[[nodiscard]] bool valid_file_id(std::string_view file_id);

} // namespace dockscan::docking::ios
