#include "docking/file_access.hpp"

#include "base/owned.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace dockscan::docking {
namespace {

using DirPtr = base::Owned<DIR, closedir>;

EntryKind kind_of(mode_t mode) {
    if (S_ISREG(mode)) {
        return EntryKind::regular;
    }
    if (S_ISDIR(mode)) {
        return EntryKind::folder;
    }
    if (S_ISLNK(mode)) {
        return EntryKind::symlink;
    }
    return EntryKind::other;
}

EntryStat to_entry_stat(const struct stat& st) {
    EntryStat out;
    out.kind = kind_of(st.st_mode);
    out.size = st.st_size > 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    out.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec);
    out.device = static_cast<std::uint64_t>(st.st_dev);
    out.inode = static_cast<std::uint64_t>(st.st_ino);
    return out;
}

// Why an entry that is not a regular file is refused; the same words for listing and
// reading, so that a reviewer sees one reason for one cause.
Error refusal(EntryKind kind) {
    if (kind == EntryKind::symlink) {
        return Error{ErrorCode::unsupported, "symbolic link not followed"};
    }
    return Error{ErrorCode::unsupported, "not a regular file"};
}

} // namespace

Error errno_error(int error_number) {
    switch (error_number) {
    case ENOENT:
        return Error{ErrorCode::not_found, "no such file or folder"};
    case ENOTDIR:
        return Error{ErrorCode::not_found, "a part of the path is not a folder"};
    case EACCES:
    case EPERM:
        return Error{ErrorCode::unreadable, "permission denied"};
    case ELOOP:
        // O_NOFOLLOW reports a link as ELOOP.
        return Error{ErrorCode::unsupported, "symbolic link not followed"};
    default:
        return Error{ErrorCode::unreadable,
                     std::error_code(error_number, std::generic_category()).message()};
    }
}

Expected<Fd> open_root_folder(const std::string& path) {
    Fd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) {
        return tl::unexpected(errno_error(errno));
    }
    return fd;
}

Expected<Fd> open_subfolder(const Fd& parent, const std::string& name) {
    Fd fd(openat(parent.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) {
        const int error_number = errno;
        // O_DIRECTORY reports a link as ENOTDIR; say what it really is.
        struct stat st {};
        if (error_number == ENOTDIR &&
            fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(st.st_mode)) {
            return tl::unexpected(refusal(EntryKind::symlink));
        }
        return tl::unexpected(errno_error(error_number));
    }
    return fd;
}

Expected<std::vector<std::string>> folder_names(const Fd& folder) {
    // A fresh descriptor of the same folder: fdopendir takes ownership, and a dup would
    // share the read position with `folder`.
    Fd own(openat(folder.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!own) {
        return tl::unexpected(errno_error(errno));
    }
    DirPtr dir(fdopendir(own.get()));
    if (!dir) {
        return tl::unexpected(errno_error(errno));
    }
    static_cast<void>(own.release()); // closedir closes it now
    std::vector<std::string> names;
    for (;;) {
        errno = 0;
        const dirent* entry = readdir(dir.get());
        if (entry == nullptr) {
            if (errno != 0) {
                return tl::unexpected(errno_error(errno));
            }
            break;
        }
        const std::string_view name = entry->d_name;
        if (name != "." && name != "..") {
            names.emplace_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

Expected<EntryStat> stat_entry(const Fd& parent, const std::string& name) {
    struct stat st {};
    if (fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return tl::unexpected(errno_error(errno));
    }
    return to_entry_stat(st);
}

Expected<OpenFile> open_regular(const Fd& root, const std::vector<std::string>& components) {
    if (components.empty()) {
        return fail(ErrorCode::not_found, "empty path");
    }
    // Folders on the way are opened one by one with O_NOFOLLOW: a link among them fails.
    Fd folder;
    const Fd* current = &root;
    for (std::size_t i = 0; i + 1 < components.size(); ++i) {
        DOCKSCAN_TRY_ASSIGN(folder, open_subfolder(*current, components[i]));
        current = &folder;
    }
    const std::string& name = components.back();
    DOCKSCAN_TRY_ASSIGN(const EntryStat before, stat_entry(*current, name));
    if (before.kind != EntryKind::regular) {
        return tl::unexpected(refusal(before.kind));
    }
    // O_NONBLOCK: should the entry become a FIFO between lstat and open, the open
    // returns at once instead of waiting for a writer; fstat below then refuses it.
    Fd fd(openat(current->get(), name.c_str(),
                 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!fd) {
        return tl::unexpected(errno_error(errno));
    }
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) {
        return tl::unexpected(errno_error(errno));
    }
    const EntryStat after = to_entry_stat(st);
    if (after.kind != EntryKind::regular) {
        return tl::unexpected(refusal(after.kind));
    }
    if (after.device != before.device || after.inode != before.inode) {
        return fail(ErrorCode::unreadable, "file replaced while it was opened");
    }
    OpenFile file;
    file.fd = std::move(fd);
    file.size = after.size;
    file.mtime = after.mtime;
    return file;
}

Expected<std::string> read_all(const OpenFile& file, std::uint64_t limit) {
    if (file.size > limit) {
        return fail(ErrorCode::too_large, std::to_string(file.size) + " bytes, over the limit of " +
                                              std::to_string(limit));
    }
    // The file may have grown since fstat: read one byte past the size to notice.
    DOCKSCAN_TRY_ASSIGN(std::string data, read_range(file, 0, file.size + 1));
    if (data.size() > file.size) {
        return fail(ErrorCode::unreadable, "file changed while it was read");
    }
    return data;
}

Expected<std::string> read_range(const OpenFile& file, std::uint64_t offset, std::uint64_t length) {
    std::string data;
    data.resize(static_cast<std::size_t>(length));
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = pread(file.fd.get(), data.data() + done, data.size() - done,
                                static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return tl::unexpected(errno_error(errno));
        }
        if (n == 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    data.resize(done);
    return data;
}

} // namespace dockscan::docking
