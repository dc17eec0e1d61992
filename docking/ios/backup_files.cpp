#include "docking/ios/backup_files.hpp"

#include "docking/ios/backup_crypto.hpp"

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace dockscan::docking::ios {
namespace {

namespace sqlite = base::sqlite;

// Decryption reads this much at a time, so that a large database never sits in memory.
constexpr std::uint64_t k_chunk_bytes = 1u << 20;
// SQLite pages are multiples of this; a database's plain text is a whole number of them.
constexpr std::uint64_t k_min_page_bytes = 512;

enum class Plain { file, database_without_size };

Expected<void> write_all(const Fd& fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd.get(), bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const Error error = errno_error(errno);
            return fail(error.code, "cannot write a decrypted copy: " + error.message);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// Decrypts the stored file in chunks into `emit`. Padding: PKCS#7 as iOS writes it, and
// then the plain text is cut to `size` when the record gives one. Manifest.db has no
// record; its padding is taken off only when that leaves whole SQLite pages, so that a
// copy written without padding is read as well.
Expected<void> decrypt_stored(const OpenFile& stored, const SecretBytes& key,
                              std::optional<std::uint64_t> size, Plain kind,
                              const std::function<Expected<void>(std::string_view)>& emit) {
    const std::uint64_t total = stored.size;
    if (total == 0) {
        return {};
    }
    if (total % k_aes_block != 0) {
        return fail(ErrorCode::malformed, "encrypted file is not a whole number of AES blocks "
                                          "(truncated?)");
    }
    DOCKSCAN_TRY_ASSIGN(CbcDecryptor decryptor, CbcDecryptor::create(key));
    std::uint64_t emitted = 0;
    std::string plain;
    for (std::uint64_t offset = 0; offset < total;) {
        const std::uint64_t want = std::min(k_chunk_bytes, total - offset);
        DOCKSCAN_TRY_ASSIGN(const std::string cipher, read_range(stored, offset, want));
        if (cipher.size() != want) {
            return fail(ErrorCode::unreadable, "stored file changed while it was read");
        }
        offset += want;
        DOCKSCAN_TRY(decryptor.update(cipher, plain));
        // Keep the last block back until it is known whether it holds the padding.
        const std::size_t keep = offset < total ? k_aes_block : plain.size();
        const std::size_t ready = plain.size() - std::min(keep, plain.size());
        if (ready > 0) {
            DOCKSCAN_TRY(emit(std::string_view(plain).substr(0, ready)));
            emitted += ready;
            plain.erase(0, ready);
        }
    }
    // `plain` now holds the last chunk's plain text, padding included.
    std::uint64_t length = emitted + plain.size();
    const std::string_view last_block = std::string_view(plain).substr(plain.size() - k_aes_block);
    if (const auto unpadded = unpadded_length(last_block)) {
        const std::uint64_t pad = k_aes_block - *unpadded;
        if (kind == Plain::file || (length - pad) % k_min_page_bytes == 0) {
            length -= pad;
        }
    }
    if (size) {
        if (*size > length) {
            return fail(ErrorCode::malformed, "decrypted " + std::to_string(length) +
                                                  " bytes, but the backup says " +
                                                  std::to_string(*size) + " (truncated?)");
        }
        length = *size;
    }
    const std::uint64_t tail = length > emitted ? length - emitted : 0;
    return emit(std::string_view(plain).substr(0, static_cast<std::size_t>(tail)));
}

// The last name of a relative path: "sms.db" for "Library/SMS/sms.db".
std::string file_name(std::string_view relative_path) {
    const auto slash = relative_path.rfind('/');
    return std::string(slash == std::string_view::npos ? relative_path
                                                       : relative_path.substr(slash + 1));
}

// A row of Files: its fileID and the record in column `record`, when there is one.
BackupFile row_file(const sqlite::Statement& row, int file_id, std::string_view domain,
                    std::string relative_path, int record) {
    BackupFile file{
        row.column_text(file_id), std::string(domain), std::move(relative_path), {}, std::nullopt};
    if (!row.is_null(record)) {
        auto meta = parse_mbfile(row.column_blob(record));
        if (meta) {
            file.meta = std::move(*meta);
        } else {
            file.meta_error = meta.error();
        }
    }
    return file;
}

} // namespace

Error database_error(std::string_view what, const sqlite::Error& error,
                     const std::filesystem::path& host_path) {
    std::string message = error.message;
    if (const std::string path = host_path.string(); !path.empty()) {
        for (auto at = message.find(path); at != std::string::npos; at = message.find(path, at)) {
            message.erase(at, path.size());
        }
        // "cannot open : reason" reads better without the gap the path left.
        for (auto at = message.find(" :"); at != std::string::npos; at = message.find(" :", at)) {
            message.erase(at, 1);
        }
    }
    ErrorCode code = ErrorCode::unreadable;
    switch (error.code) {
    case sqlite::ErrorCode::not_a_database:
    case sqlite::ErrorCode::corrupt:
        code = ErrorCode::malformed;
        break;
    case sqlite::ErrorCode::cannot_open:
    case sqlite::ErrorCode::busy:
    case sqlite::ErrorCode::io:
    case sqlite::ErrorCode::constraint:
    case sqlite::ErrorCode::misuse:
    case sqlite::ErrorCode::other:
        break;
    }
    return Error{code, std::string(what) + ": " + message};
}

bool valid_file_id(std::string_view file_id) {
    return file_id.size() == 40 && std::all_of(file_id.begin(), file_id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

BackupFiles::BackupFiles(std::filesystem::path folder, Fd root, std::optional<ClassKeys> keys,
                         BackupLimits limits)
    : m_folder(std::move(folder)), m_root(std::move(root)), m_keys(std::move(keys)),
      m_limits(limits) {}

Expected<BackupFiles> BackupFiles::open(const std::filesystem::path& folder, Fd root,
                                        std::optional<ClassKeys> keys,
                                        std::string_view manifest_key, BackupLimits limits) {
    BackupFiles files(folder, std::move(root), std::move(keys), limits);
    const auto fail_manifest = [](const Error& error) {
        return tl::unexpected(Error{error.code, "Manifest.db: " + error.message});
    };
    auto stored = open_regular(files.m_root, {"Manifest.db"});
    if (!stored) {
        return fail_manifest(stored.error());
    }
    if (files.m_keys && !manifest_key.empty()) {
        auto key = files.m_keys->unwrap(manifest_key);
        if (!key) {
            return fail(key.error().code, "ManifestKey: " + key.error().message);
        }
        DOCKSCAN_TRY_ASSIGN(files.m_manifest,
                            files.decrypt_database("Manifest.db", *stored, *key, std::nullopt));
    } else {
        const auto path = folder / "Manifest.db";
        auto db = sqlite::Database::open(path, sqlite::Access::read_only_immutable);
        if (!db) {
            return tl::unexpected(database_error("Manifest.db", db.error(), path));
        }
        files.m_manifest = BackupDatabase{{}, std::move(*db)};
    }
    auto has_files = files.m_manifest->db.has_table("Files");
    if (!has_files) {
        return tl::unexpected(database_error("Manifest.db", has_files.error()));
    }
    if (!*has_files) {
        return fail(ErrorCode::malformed, "Manifest.db has no table Files");
    }
    return files;
}

Expected<std::optional<BackupFile>> BackupFiles::find(std::string_view domain,
                                                      std::string_view relative_path) {
    std::optional<BackupFile> found;
    auto statement = m_manifest->db.prepare(
        "SELECT fileID, file FROM Files WHERE domain = ?1 AND relativePath = ?2 AND flags = 1 "
        "ORDER BY fileID LIMIT 1");
    if (!statement) {
        return tl::unexpected(database_error("Manifest.db", statement.error()));
    }
    statement->bind_text(1, domain);
    statement->bind_text(2, relative_path);
    auto row = statement->step();
    if (!row) {
        return tl::unexpected(database_error("Manifest.db", row.error()));
    }
    if (*row) {
        found = row_file(*statement, 0, domain, std::string(relative_path), 1);
    }
    return found;
}

Expected<void> BackupFiles::each_file(std::string_view domain, std::string_view prefix,
                                      const std::function<Expected<void>(BackupFile)>& visit) {
    auto statement = m_manifest->db.prepare(
        "SELECT fileID, relativePath, file FROM Files WHERE domain = ?1 AND flags = 1 AND "
        "substr(relativePath, 1, length(?2)) = ?2 ORDER BY relativePath, fileID");
    if (!statement) {
        return tl::unexpected(database_error("Manifest.db", statement.error()));
    }
    statement->bind_text(1, domain);
    statement->bind_text(2, prefix);
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return tl::unexpected(database_error("Manifest.db", row.error()));
        }
        if (!*row) {
            return {};
        }
        DOCKSCAN_TRY(visit(row_file(*statement, 0, domain, statement->column_text(1), 2)));
    }
}

Expected<OpenFile> BackupFiles::open_stored(const BackupFile& file) {
    if (!valid_file_id(file.file_id)) {
        return fail(ErrorCode::malformed, "Manifest.db names the file with an invalid fileID");
    }
    auto opened = open_regular(m_root, {file.file_id.substr(0, 2), file.file_id});
    if (!opened) {
        if (opened.error().code == ErrorCode::not_found) {
            return fail(ErrorCode::not_found,
                        "file missing from the backup folder (fileID " + file.file_id + ")");
        }
        return tl::unexpected(opened.error());
    }
    return opened;
}

Expected<SecretBytes> BackupFiles::file_key(const BackupFile& file) const {
    if (file.meta_error) {
        return fail(file.meta_error->code, "no key: " + file.meta_error->message);
    }
    if (file.meta.encryption_key.empty()) {
        return fail(ErrorCode::malformed, "encrypted backup, but the file has no key");
    }
    return m_keys->unwrap(file.meta.encryption_key);
}

Expected<EntryStat> BackupFiles::stat(const BackupFile& file) {
    DOCKSCAN_TRY_ASSIGN(const OpenFile opened, open_stored(file));
    EntryStat out;
    out.kind = EntryKind::regular;
    out.size = opened.size;
    out.mtime = opened.mtime;
    return out;
}

Expected<std::string> BackupFiles::read(const BackupFile& file, std::uint64_t limit) {
    const auto too_large = [&](std::uint64_t size) {
        return fail(ErrorCode::too_large,
                    std::to_string(size) + " bytes, over the limit of " + std::to_string(limit));
    };
    if (file.meta.size && *file.meta.size > limit) {
        return too_large(*file.meta.size);
    }
    DOCKSCAN_TRY_ASSIGN(const OpenFile stored, open_stored(file));
    if (!m_keys) {
        return read_all(stored, limit);
    }
    // Padding adds at most one block to the plain text.
    if (stored.size > limit + k_aes_block) {
        return too_large(stored.size);
    }
    DOCKSCAN_TRY_ASSIGN(const SecretBytes key, file_key(file));
    std::string out;
    DOCKSCAN_TRY(decrypt_stored(stored, key, file.meta.size, Plain::file,
                                [&](std::string_view bytes) -> Expected<void> {
                                    out.append(bytes);
                                    return {};
                                }));
    if (out.size() > limit) {
        return too_large(out.size());
    }
    return out;
}

Expected<BackupDatabase> BackupFiles::open_database(const BackupFile& file) {
    DOCKSCAN_TRY_ASSIGN(const OpenFile stored, open_stored(file));
    DOCKSCAN_TRY_ASSIGN(const auto wal, find(file.domain, file.relative_path + "-wal"));
    if (wal && wal->meta.size.value_or(1) != 0) {
        return open_with_side_files(file);
    }
    if (m_keys) {
        DOCKSCAN_TRY_ASSIGN(const SecretBytes key, file_key(file));
        return decrypt_database(file_name(file.relative_path), stored, key, file.meta.size);
    }
    // The stored file was just checked to be a regular file, not a link.
    const auto path = m_folder / file.file_id.substr(0, 2) / file.file_id;
    auto db = sqlite::Database::open(path, sqlite::Access::read_only_immutable);
    if (!db) {
        return tl::unexpected(database_error(file_name(file.relative_path), db.error(), path));
    }
    return BackupDatabase{{}, std::move(*db)};
}

Expected<void> BackupFiles::copy_plain(const BackupFile& file, const Fd& out) {
    DOCKSCAN_TRY_ASSIGN(const OpenFile stored, open_stored(file));
    if (stored.size > m_limits.max_database_bytes) {
        return fail(ErrorCode::too_large, std::to_string(stored.size) +
                                              " bytes, over the limit of " +
                                              std::to_string(m_limits.max_database_bytes));
    }
    if (m_keys) {
        DOCKSCAN_TRY_ASSIGN(const SecretBytes key, file_key(file));
        return decrypt_stored(stored, key, file.meta.size, Plain::file,
                              [&](std::string_view bytes) { return write_all(out, bytes); });
    }
    for (std::uint64_t offset = 0; offset < stored.size; offset += k_chunk_bytes) {
        DOCKSCAN_TRY_ASSIGN(const std::string bytes, read_range(stored, offset, k_chunk_bytes));
        if (bytes.empty()) {
            break;
        }
        DOCKSCAN_TRY(write_all(out, bytes));
    }
    return {};
}

Expected<BackupDatabase> BackupFiles::open_with_side_files(const BackupFile& file) {
    const std::string what = file_name(file.relative_path);
    if (!m_temp) {
        DOCKSCAN_TRY_ASSIGN(m_temp, PrivateTempDir::create());
    }
    // A new name for every copy (SQLite may leave a -shm of an earlier one until the
    // folder goes); SQLite finds "<name>-wal" and "<name>-shm" beside "<name>".
    const std::string name = "db-" + std::to_string(++m_side_copies);
    std::vector<TempFile> copies;
    for (const std::string_view suffix : {"", "-wal", "-shm"}) {
        std::optional<BackupFile> part;
        if (suffix.empty()) {
            part = file;
        } else {
            DOCKSCAN_TRY_ASSIGN(part, find(file.domain, file.relative_path + std::string(suffix)));
        }
        if (!part) {
            continue; // no -shm: SQLite builds it again from the -wal
        }
        DOCKSCAN_TRY_ASSIGN(TempFile copy, m_temp->new_named_file(name + std::string(suffix)));
        const auto copied = copy_plain(*part, copy.fd());
        if (!copied) {
            return fail(copied.error().code,
                        what + std::string(suffix) + ": " + copied.error().message);
        }
        copy.close_for_writing();
        copies.push_back(std::move(copy));
    }
    // Read-write on our own copy: SQLite must be able to read the WAL (and rebuild the
    // -shm). The phone's files are never opened this way.
    const auto path = copies.front().path();
    auto db = sqlite::Database::open(path, sqlite::Access::read_write);
    if (!db) {
        return tl::unexpected(database_error(what, db.error(), path));
    }
    return BackupDatabase{std::move(copies), std::move(*db)};
}

Expected<BackupDatabase> BackupFiles::decrypt_database(std::string_view what,
                                                       const OpenFile& stored,
                                                       const SecretBytes& key,
                                                       std::optional<std::uint64_t> size) {
    if (stored.size > m_limits.max_database_bytes) {
        return fail(ErrorCode::too_large, "database of " + std::to_string(stored.size) +
                                              " bytes, over the limit of " +
                                              std::to_string(m_limits.max_database_bytes));
    }
    if (!m_temp) {
        DOCKSCAN_TRY_ASSIGN(m_temp, PrivateTempDir::create());
    }
    DOCKSCAN_TRY_ASSIGN(TempFile copy, m_temp->new_file());
    const auto decrypted =
        decrypt_stored(stored, key, size, size ? Plain::file : Plain::database_without_size,
                       [&](std::string_view bytes) { return write_all(copy.fd(), bytes); });
    if (!decrypted) {
        return fail(decrypted.error().code, std::string(what) + ": " + decrypted.error().message);
    }
    copy.close_for_writing();
    auto db = sqlite::Database::open(copy.path(), sqlite::Access::read_only_immutable);
    if (!db) {
        return tl::unexpected(database_error(what, db.error(), copy.path()));
    }
    std::vector<TempFile> copies;
    copies.push_back(std::move(copy));
    return BackupDatabase{std::move(copies), std::move(*db)};
}

} // namespace dockscan::docking::ios
