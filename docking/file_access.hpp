#pragma once

// POSIX file access for sources that read a copy of a phone's storage. Everything is
// opened relative to a folder descriptor with O_NOFOLLOW, so a symbolic link planted
// in the copy (or swapped in while we scan) can never lead outside the root, and
// nothing that is not a regular file is ever opened: opening a FIFO would block.

#include "base/fd.hpp"
#include "docking/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking {

using Fd = base::Fd;

// What lstat says about a folder entry.
enum class EntryKind { regular, folder, symlink, other };

struct EntryStat {
    EntryKind kind = EntryKind::other;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
};

// A regular file opened for reading, with what fstat said when it was opened.
struct OpenFile {
    Fd fd;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
};

// Turns an errno value into our error. Messages name no path: the caller records
// the item's ref beside them, and host paths must not reach the store.
[[nodiscard]] Error errno_error(int error_number);

// Opens a folder the user named on the command line (a host path; links followed).
[[nodiscard]] Expected<Fd> open_root_folder(const std::string& path);

// Opens the subfolder `name` of `parent` without following a link.
[[nodiscard]] Expected<Fd> open_subfolder(const Fd& parent, const std::string& name);

// The names in a folder (without "." and ".."), sorted bytewise.
[[nodiscard]] Expected<std::vector<std::string>> folder_names(const Fd& folder);

// lstat of `name` in `parent`.
[[nodiscard]] Expected<EntryStat> stat_entry(const Fd& parent, const std::string& name);

// Opens the regular file at `components` below `root`, following no link on the way.
// Refuses links ("symbolic link not followed") and anything that is not a regular
// file ("not a regular file") before opening it.
[[nodiscard]] Expected<OpenFile> open_regular(const Fd& root,
                                              const std::vector<std::string>& components);

// Reads the whole file when fstat says it is at most `limit` bytes; too_large otherwise,
// without reading a byte.
[[nodiscard]] Expected<std::string> read_all(const OpenFile& file, std::uint64_t limit);

// Reads up to `length` bytes at `offset` (fewer at the end of the file).
[[nodiscard]] Expected<std::string> read_range(const OpenFile& file, std::uint64_t offset,
                                               std::uint64_t length);

} // namespace dockscan::docking
