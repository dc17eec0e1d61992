#include "docking/ios_device/mobile_backup.hpp"

#include "docking/file_access.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace dockscan::docking::ios_device {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Codes of the blocks of DLMessageUploadFiles and DLMessageDownloadFiles.
constexpr char k_code_success = 0x00;
constexpr char k_code_error_local = 0x06;
constexpr char k_code_error_remote = 0x0b;
constexpr char k_code_file_data = 0x0c;

constexpr std::uint32_t k_max_name = 4096;       // a file name the phone sends
constexpr std::uint32_t k_max_block = 16u << 20; // one data block
constexpr std::uint32_t k_max_error_text = 64u << 10;
constexpr std::size_t k_max_list_entries = 100'000; // one DLContentsOfDirectory
// How long the phone may stay silent once the backup has started.
constexpr auto k_idle_timeout = std::chrono::minutes(10);
// Status codes DeviceLink expects in answers (errno-like, negative).
constexpr int k_status_multi = -13;
constexpr int k_status_not_found = -6;

using ios::PlistValue;

// The string of a value, at most `limit` bytes; nothing for any other kind.
std::optional<std::string> string_of(const PlistValue* value, std::size_t limit = k_max_name) {
    if (value == nullptr) {
        return std::nullopt;
    }
    auto text = value->as_string();
    if (!text || text->size() > limit) {
        return std::nullopt;
    }
    return text;
}

Error malformed(const std::string& what) {
    return Error{ErrorCode::malformed, "the backup (mobilebackup2): " + what};
}

std::uint32_t be32(const std::array<char, 4>& bytes) {
    return (std::uint32_t{static_cast<unsigned char>(bytes[0])} << 24u) |
           (std::uint32_t{static_cast<unsigned char>(bytes[1])} << 16u) |
           (std::uint32_t{static_cast<unsigned char>(bytes[2])} << 8u) |
           std::uint32_t{static_cast<unsigned char>(bytes[3])};
}

std::string be32_bytes(std::uint32_t value) {
    return std::string{static_cast<char>((value >> 24u) & 0xffu),
                       static_cast<char>((value >> 16u) & 0xffu),
                       static_cast<char>((value >> 8u) & 0xffu), static_cast<char>(value & 0xffu)};
}

class Session {
public:
    Session(Backup2& channel, const fs::path& staging, const BackupRequest& request,
            const std::stop_token& stop)
        : m_channel(channel), m_staging(staging), m_request(request), m_stop(stop) {}

    [[nodiscard]] Expected<void> run(ConnectProgress& progress);

private:
    [[nodiscard]] Expected<void> receive_exact(char* data, std::size_t length);
    [[nodiscard]] Expected<std::uint32_t> receive_u32();
    [[nodiscard]] Expected<std::optional<std::string>> receive_name();
    [[nodiscard]] Expected<void> upload_files();
    [[nodiscard]] Expected<void> download_files(const PlistValue& message);
    [[nodiscard]] Expected<void> free_disk_space();
    [[nodiscard]] Expected<void> contents_of_directory(const PlistValue& message);
    [[nodiscard]] Expected<void> create_directory(const PlistValue& message);
    [[nodiscard]] Expected<void> move_items(const PlistValue& message);
    [[nodiscard]] Expected<void> remove_items(const PlistValue& message);
    [[nodiscard]] Expected<void> copy_item(const PlistValue& message);
    [[nodiscard]] Expected<void> result(const PlistValue& message);
    [[nodiscard]] Expected<void> ok() { return m_channel.send_status(0, nullptr); }

    Backup2& m_channel;
    const fs::path& m_staging;
    const BackupRequest& m_request;
    const std::stop_token& m_stop;
    std::uint64_t m_bytes = 0;
    std::size_t m_files = 0;
};

Expected<void> Session::receive_exact(char* data, std::size_t length) {
    auto last = Clock::now();
    while (length > 0) {
        if (m_stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "the backup was stopped");
        }
        DOCKSCAN_TRY_ASSIGN(const std::size_t got, m_channel.receive_raw(data, length));
        if (got == 0) {
            if (Clock::now() - last > k_idle_timeout) {
                return fail(ErrorCode::timed_out, "the phone stopped sending its backup");
            }
            continue;
        }
        last = Clock::now();
        data += got;
        length -= got;
    }
    return {};
}

Expected<std::uint32_t> Session::receive_u32() {
    std::array<char, 4> bytes{};
    DOCKSCAN_TRY(receive_exact(bytes.data(), bytes.size()));
    return be32(bytes);
}

// A file name of DLMessageUploadFiles; nothing at the end of the list (length 0).
Expected<std::optional<std::string>> Session::receive_name() {
    DOCKSCAN_TRY_ASSIGN(const std::uint32_t length, receive_u32());
    if (length == 0) {
        return std::nullopt;
    }
    if (length > k_max_name) {
        return tl::unexpected(malformed("a file name of " + std::to_string(length) + " bytes"));
    }
    std::string name(length, '\0');
    DOCKSCAN_TRY(receive_exact(name.data(), name.size()));
    return name;
}

Expected<void> Session::upload_files() {
    for (;;) {
        DOCKSCAN_TRY_ASSIGN(const auto device_name, receive_name());
        if (!device_name) {
            break;
        }
        DOCKSCAN_TRY_ASSIGN(const auto name, receive_name());
        if (!name) {
            break;
        }
        DOCKSCAN_TRY_ASSIGN(const fs::path target, phone_backup_path(m_staging, *name));
        if (++m_files > m_request.limits.max_backup_files) {
            return fail(ErrorCode::too_large,
                        "the backup has more than " +
                            std::to_string(m_request.limits.max_backup_files) + " files");
        }
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        fs::remove(target, ec);
        const Fd out(
            ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!out) {
            return fail(errno_error(errno).code,
                        "cannot write the staged backup: " + errno_error(errno).message);
        }
        DOCKSCAN_TRY_ASSIGN(std::uint32_t length, receive_u32());
        if (length == 0) {
            break;
        }
        char code = 0;
        DOCKSCAN_TRY(receive_exact(&code, 1));
        char last_code = k_code_success;
        std::string block;
        while (code == k_code_file_data) {
            const std::uint32_t size = length - 1;
            if (size > k_max_block) {
                return tl::unexpected(malformed("a block of " + std::to_string(size) + " bytes"));
            }
            m_bytes += size;
            if (m_bytes > m_request.limits.max_backup_bytes) {
                return fail(ErrorCode::too_large,
                            "the backup is larger than " +
                                std::to_string(m_request.limits.max_backup_bytes) + " bytes");
            }
            block.resize(size);
            DOCKSCAN_TRY(receive_exact(block.data(), block.size()));
            for (std::size_t done = 0; done < block.size();) {
                const ssize_t wrote = ::write(out.get(), block.data() + done, block.size() - done);
                if (wrote < 0) {
                    if (errno == EINTR) {
                        continue;
                    }
                    return fail(errno_error(errno).code,
                                "cannot write the staged backup: " + errno_error(errno).message);
                }
                done += static_cast<std::size_t>(wrote);
            }
            DOCKSCAN_TRY_ASSIGN(length, receive_u32());
            if (length == 0) {
                break;
            }
            last_code = code;
            DOCKSCAN_TRY(receive_exact(&code, 1));
        }
        if (length == 0) {
            break;
        }
        // What follows the code: nothing for "done", the phone's text for an error.
        if (length - 1 > k_max_error_text) {
            return tl::unexpected(
                malformed("an error text of " + std::to_string(length) + " bytes"));
        }
        std::string rest(length - 1, '\0');
        DOCKSCAN_TRY(receive_exact(rest.data(), rest.size()));
        // After file data an "error" block only ends the file; otherwise the phone could
        // not send it, and a partial copy must not be read as the file.
        if (code == k_code_error_remote && last_code != k_code_file_data) {
            fs::remove(target, ec);
        }
    }
    return ok();
}

Expected<void> Session::download_files(const PlistValue& message) {
    // The phone asks for files of an earlier backup; the staging folder is always new,
    // so none exist: each is answered "not found", which makes the backup a full one.
    const PlistValue* files = message.at(1);
    PlistValue errors = PlistValue::make_dict();
    const std::string text = "No such file or directory";
    if (files != nullptr && files->kind == PlistValue::Kind::array) {
        const std::size_t count = std::min(files->items.size(), k_max_list_entries);
        for (std::size_t i = 0; i < count; ++i) {
            const auto path = string_of(files->at(i));
            if (!path) {
                continue;
            }
            DOCKSCAN_TRY(
                m_channel.send_raw(be32_bytes(static_cast<std::uint32_t>(path->size())) + *path));
            DOCKSCAN_TRY(
                m_channel.send_raw(be32_bytes(static_cast<std::uint32_t>(text.size() + 1)) +
                                   k_code_error_local + text));
            PlistValue entry = PlistValue::make_dict();
            entry.set("DLFileErrorString", PlistValue::make_string(text));
            entry.set("DLFileErrorCode", PlistValue::make_integer(k_status_not_found));
            errors.set(*path, std::move(entry));
        }
    }
    DOCKSCAN_TRY(m_channel.send_raw(be32_bytes(0)));
    if (errors.items.empty()) {
        return ok();
    }
    return m_channel.send_status(k_status_multi, "Multi status", errors);
}

Expected<void> Session::free_disk_space() {
    struct statvfs fs_info {};
    std::uint64_t free_bytes = 0;
    int status = -1;
    if (::statvfs(m_staging.c_str(), &fs_info) == 0) {
        free_bytes = std::min<std::uint64_t>(std::uint64_t{fs_info.f_bavail} * fs_info.f_frsize,
                                             m_request.limits.max_backup_bytes);
        status = 0;
    }
    return m_channel.send_status(status, nullptr,
                                 PlistValue::make_integer(static_cast<std::int64_t>(free_bytes)));
}

Expected<void> Session::contents_of_directory(const PlistValue& message) {
    const auto path = string_of(message.at(1));
    if (!path) {
        return tl::unexpected(malformed("DLContentsOfDirectory without a path"));
    }
    DOCKSCAN_TRY_ASSIGN(const fs::path folder, phone_backup_path(m_staging, *path));
    PlistValue listing = PlistValue::make_dict();
    std::error_code ec;
    std::size_t n = 0;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end && n < k_max_list_entries;
         it.increment(ec), ++n) {
        const auto status = it->symlink_status(ec);
        const bool folder_entry = fs::is_directory(status);
        const bool regular = fs::is_regular_file(status);
        PlistValue entry = PlistValue::make_dict();
        entry.set("DLFileType", PlistValue::make_string(folder_entry ? "DLFileTypeDirectory"
                                                        : regular    ? "DLFileTypeRegular"
                                                                     : "DLFileTypeUnknown"));
        entry.set("DLFileSize", PlistValue::make_integer(
                                    regular ? static_cast<std::int64_t>(it->file_size(ec)) : 0));
        listing.set(it->path().filename().string(), std::move(entry));
    }
    return m_channel.send_status(0, nullptr, listing);
}

Expected<void> Session::create_directory(const PlistValue& message) {
    const auto path = string_of(message.at(1));
    if (!path) {
        return tl::unexpected(malformed("DLMessageCreateDirectory without a path"));
    }
    DOCKSCAN_TRY_ASSIGN(const fs::path folder, phone_backup_path(m_staging, *path));
    std::error_code ec;
    fs::create_directories(folder, ec);
    return ok();
}

Expected<void> Session::move_items(const PlistValue& message) {
    const PlistValue* moves = message.at(1);
    if (moves == nullptr || moves->kind != PlistValue::Kind::dict) {
        return tl::unexpected(malformed("DLMessageMoveItems without moves"));
    }
    const std::size_t count = std::min(moves->keys.size(), k_max_list_entries);
    for (std::size_t n = 0; n < count; ++n) {
        const std::string& from = moves->keys[n];
        const auto to = string_of(&moves->items[n]);
        if (!to || from.size() > k_max_name) {
            continue;
        }
        DOCKSCAN_TRY_ASSIGN(const fs::path from_path, phone_backup_path(m_staging, from));
        DOCKSCAN_TRY_ASSIGN(const fs::path to_path, phone_backup_path(m_staging, *to));
        std::error_code ec;
        fs::remove_all(to_path, ec);
        fs::create_directories(to_path.parent_path(), ec);
        fs::rename(from_path, to_path, ec);
    }
    return ok();
}

Expected<void> Session::remove_items(const PlistValue& message) {
    const PlistValue* paths = message.at(1);
    if (paths != nullptr && paths->kind == PlistValue::Kind::array) {
        const std::size_t count = std::min(paths->items.size(), k_max_list_entries);
        for (std::size_t i = 0; i < count; ++i) {
            const auto path = string_of(paths->at(i));
            if (!path) {
                continue;
            }
            DOCKSCAN_TRY_ASSIGN(const fs::path target, phone_backup_path(m_staging, *path));
            std::error_code ec;
            fs::remove_all(target, ec);
        }
    }
    return ok();
}

Expected<void> Session::copy_item(const PlistValue& message) {
    const auto from = string_of(message.at(1));
    const auto to = string_of(message.at(2));
    if (!from || !to) {
        return tl::unexpected(malformed("DLMessageCopyItem without its paths"));
    }
    DOCKSCAN_TRY_ASSIGN(const fs::path from_path, phone_backup_path(m_staging, *from));
    DOCKSCAN_TRY_ASSIGN(const fs::path to_path, phone_backup_path(m_staging, *to));
    std::error_code ec;
    fs::remove_all(to_path, ec);
    fs::copy(from_path, to_path, fs::copy_options::recursive, ec);
    return ok();
}

bool mentions_lock(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return text.find("lock") != std::string::npos || text.find("passcode") != std::string::npos;
}

// MBErrorDomain's code for a backup refused because the phone is locked.
constexpr std::uint64_t k_mb_device_locked = 208;

Expected<void> Session::result(const PlistValue& message) {
    const PlistValue* dict = message.at(1);
    if (dict == nullptr || dict->kind != PlistValue::Kind::dict) {
        return tl::unexpected(malformed("the result is no dictionary"));
    }
    const PlistValue* code_node = dict->find("ErrorCode");
    const auto code =
        static_cast<std::uint64_t>(code_node != nullptr ? code_node->as_integer().value_or(0) : 0);
    if (code == 0) {
        return {};
    }
    const std::string description = string_of(dict->find("ErrorDescription"), 512).value_or("");
    const std::string detail =
        " (" + std::to_string(code) + (description.empty() ? "" : ": " + description) + ")";
    if (code == k_mb_device_locked || mentions_lock(description)) {
        return fail(ErrorCode::device_locked,
                    "Telefonen är låst: lås upp den och docka igen / the phone is locked and "
                    "refused the backup" +
                        detail);
    }
    return fail(ErrorCode::not_authorised,
                "Telefonen nekade säkerhetskopian / the phone refused the backup" + detail);
}

Expected<void> Session::run(ConnectProgress& progress) {
    DOCKSCAN_TRY(m_channel.version_exchange());
    DOCKSCAN_TRY(m_channel.send_request("Backup", m_request.udid));
    bool waiting = m_request.asks_passcode;
    if (waiting) {
        progress.waiting(PhoneWait::enter_passcode);
    }
    const auto deadline = Clock::now() + m_request.passcode_timeout;
    auto last = Clock::now();
    for (;;) {
        if (m_stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "the backup was stopped");
        }
        DOCKSCAN_TRY_ASSIGN(auto message, m_channel.receive());
        if (!message) {
            if (waiting && Clock::now() > deadline) {
                return fail(ErrorCode::timed_out,
                            "Ingen angav lösenkoden på telefonen i tid / nobody entered the "
                            "passcode on the phone in time for the backup");
            }
            if (!waiting && Clock::now() - last > k_idle_timeout) {
                return fail(ErrorCode::timed_out, "the phone stopped sending its backup");
            }
            continue;
        }
        if (waiting) {
            waiting = false;
            progress.resumed();
        }
        last = Clock::now();
        const std::string& name = message->name;
        if (name == "DLMessageUploadFiles") {
            DOCKSCAN_TRY(upload_files());
        } else if (name == "DLMessageDownloadFiles") {
            DOCKSCAN_TRY(download_files(message->message));
        } else if (name == "DLMessageGetFreeDiskSpace") {
            DOCKSCAN_TRY(free_disk_space());
        } else if (name == "DLContentsOfDirectory") {
            DOCKSCAN_TRY(contents_of_directory(message->message));
        } else if (name == "DLMessageCreateDirectory") {
            DOCKSCAN_TRY(create_directory(message->message));
        } else if (name == "DLMessageMoveItems" || name == "DLMessageMoveFiles") {
            DOCKSCAN_TRY(move_items(message->message));
        } else if (name == "DLMessageRemoveItems" || name == "DLMessageRemoveFiles") {
            DOCKSCAN_TRY(remove_items(message->message));
        } else if (name == "DLMessageCopyItem") {
            DOCKSCAN_TRY(copy_item(message->message));
        } else if (name == "DLMessagePurgeDiskSpace") {
            DOCKSCAN_TRY(m_channel.send_status(-1, "Operation not supported"));
        } else if (name == "DLMessageProcessMessage") {
            return result(message->message);
        } else if (name == "DLMessageDisconnect") {
            return fail(ErrorCode::interrupted, "the phone ended the backup without a result");
        } else {
            return tl::unexpected(malformed("unknown message " + name.substr(0, 64)));
        }
    }
}

} // namespace

Expected<fs::path> phone_backup_path(const fs::path& root, std::string_view phone_path) {
    if (phone_path.empty() || phone_path.front() == '/') {
        return tl::unexpected(malformed("a path that is empty or absolute"));
    }
    fs::path out = root;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = phone_path.find('/', start);
        const std::string_view name = phone_path.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (name.empty() || name == "." || name == ".." ||
            name.find('\0') != std::string_view::npos) {
            // Trailing slashes of folder names are harmless; anything else is not.
            if (!(name.empty() && slash == std::string_view::npos && start > 0)) {
                return tl::unexpected(malformed("a path that could leave the backup folder"));
            }
            return out;
        }
        out /= std::string(name);
        if (slash == std::string_view::npos) {
            return out;
        }
        start = slash + 1;
    }
}

fs::path default_staging_parent() {
    std::error_code ec;
    if (const char* runtime = std::getenv("RUNTIME_DIRECTORY"); runtime != nullptr && *runtime) {
        // systemd passes several folders separated by ':' when the unit names several.
        std::string first(runtime);
        first = first.substr(0, first.find(':'));
        if (fs::is_directory(first, ec)) {
            return first;
        }
    }
    if (fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK | X_OK) == 0) {
        return "/dev/shm";
    }
    auto temp = fs::temp_directory_path(ec);
    return ec ? fs::path("/tmp") : temp;
}

Expected<fs::path> run_backup(const Device& device, Lockdown& lockdown, const fs::path& staging,
                              const BackupRequest& request, ConnectProgress& progress,
                              const std::stop_token& stop) {
    DOCKSCAN_TRY_ASSIGN(Backup2 channel, Backup2::open(device, lockdown));
    Session session(channel, staging, request, stop);
    DOCKSCAN_TRY(session.run(progress));
    return staging / request.udid;
}

} // namespace dockscan::docking::ios_device
