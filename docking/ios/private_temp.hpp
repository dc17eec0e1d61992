#pragma once

// A private folder for the decrypted copies of an encrypted backup's databases.
//
// SQLite reads files, not memory, so Manifest.db, sms.db, AddressBook.sqlitedb and
// Photos.sqlite of an encrypted backup are decrypted into files here. The folder is
// made by mkdtemp (mode 0700) below $TMPDIR or /tmp, each file by mkstemp (mode 0600);
// both are removed when their owner goes (the source that opened the backup), so
// decrypted client data stays on disk only while the scan that needs it runs. The
// station should keep $TMPDIR on tmpfs (systemd PrivateTmp=yes does) so that it never
// reaches a disk at all.

#include "docking/error.hpp"
#include "docking/file_access.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace dockscan::docking::ios {

// One file in a PrivateTempDir, removed when this goes.
class TempFile {
public:
    TempFile(std::filesystem::path path, Fd fd) : m_path(std::move(path)), m_fd(std::move(fd)) {}
    TempFile(TempFile&& other) noexcept;
    TempFile& operator=(TempFile&& other) noexcept;
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile();

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    // Open for writing until close_for_writing().
    [[nodiscard]] const Fd& fd() const { return m_fd; }
    void close_for_writing() { m_fd = Fd(); }

private:
    void remove();
    std::filesystem::path m_path;
    Fd m_fd;
};

class PrivateTempDir {
public:
    [[nodiscard]] static Expected<PrivateTempDir> create();
    // The same below `parent` (a tmpfs such as $RUNTIME_DIRECTORY or /dev/shm).
    [[nodiscard]] static Expected<PrivateTempDir> create_in(const std::filesystem::path& parent);

    PrivateTempDir(PrivateTempDir&& other) noexcept;
    PrivateTempDir& operator=(PrivateTempDir&& other) noexcept;
    PrivateTempDir(const PrivateTempDir&) = delete;
    PrivateTempDir& operator=(const PrivateTempDir&) = delete;
    ~PrivateTempDir();

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

    // A new, empty file in the folder, open for writing. It must go before the folder.
    [[nodiscard]] Expected<TempFile> new_file();
    // A new, empty file of that name (no '/'), for files whose names matter: SQLite
    // finds a database's "-wal" and "-shm" by name beside it. Fails when it exists.
    [[nodiscard]] Expected<TempFile> new_named_file(const std::string& name);

private:
    explicit PrivateTempDir(std::filesystem::path path) : m_path(std::move(path)) {}
    void remove();
    std::filesystem::path m_path;
};

} // namespace dockscan::docking::ios
