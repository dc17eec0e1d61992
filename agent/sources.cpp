#include "agent/sources.hpp"

#include <array>
#include <charconv>
#include <fstream>
#include <sys/stat.h>
#include <system_error>

#include "docking/adb/adb_source.hpp"
#include "docking/android/android_backup_source.hpp"
#include "docking/folder_source.hpp"
#include "docking/sms_export_source.hpp"
#include "docking/ios/ios_backup_source.hpp"

namespace dockscan::agent {
namespace {

using SourcePtr = std::unique_ptr<docking::PhoneSource>;
namespace fs = std::filesystem;

// Each backend says whether a path is its kind and opens it. Tried in order: the
// folder source comes last because any folder is a folder.
struct Backend {
    const char* name;
    bool (*accepts)(const fs::path& path);
    docking::Expected<SourcePtr> (*open)(const fs::path& path, const SourceOptions& options);
};

template <typename T>
docking::Expected<SourcePtr> as_source(docking::Expected<std::unique_ptr<T>> opened) {
    if (!opened) {
        return tl::unexpected(opened.error());
    }
    return SourcePtr(std::move(*opened));
}

bool is_ios_backup(const fs::path& path) {
    return docking::ios::IosBackupSource::looks_like_ios_backup(path);
}

docking::Expected<SourcePtr> open_ios_backup(const fs::path& path, const SourceOptions& options) {
    return as_source(docking::ios::IosBackupSource::open(path, options.backup_password));
}

// An `adb backup` archive starts with this line, whatever the file is called.
bool is_android_backup(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return false;
    }
    constexpr std::string_view k_magic = "ANDROID BACKUP\n";
    std::array<char, 15> head{};
    std::ifstream in(path, std::ios::binary);
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    return in && std::string_view(head.data(), head.size()) == k_magic;
}

docking::Expected<SourcePtr> open_android_backup(const fs::path& path,
                                                 const SourceOptions& options) {
    return as_source(docking::android::AndroidBackupSource::open(path, options.backup_password));
}

bool is_sms_export(const fs::path& path) {
    return docking::SmsExportSource::looks_like_export(path);
}

docking::Expected<SourcePtr> open_sms_export(const fs::path& path, const SourceOptions&) {
    return as_source(docking::SmsExportSource::open(path));
}

bool is_folder(const fs::path& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

docking::Expected<SourcePtr> open_folder(const fs::path& path, const SourceOptions&) {
    return as_source(docking::FolderSource::open(path));
}

// A live phone over ADB's TCP transport: "adb:HOST:PORT" names it, never a file.
bool is_adb_address(const fs::path& path) {
    return path.native().rfind("adb:", 0) == 0;
}

docking::Expected<SourcePtr> open_adb(const fs::path& path, const SourceOptions&) {
    const std::string address = path.native().substr(4);
    const auto colon = address.rfind(':');
    std::uint16_t port = 0;
    const char* digits = address.c_str() + (colon == std::string::npos ? 0 : colon + 1);
    const auto [end, ec] = std::from_chars(digits, address.c_str() + address.size(), port);
    if (colon == std::string::npos || colon == 0 || ec != std::errc{} || *end != '\0' ||
        port == 0) {
        return docking::fail(docking::ErrorCode::not_found,
                             "give the phone as adb:HOST:PORT, e.g. adb:127.0.0.1:5555");
    }
    return as_source(docking::adb::AdbSource::open_tcp(address.substr(0, colon), port));
}

const Backend k_backends[] = {
    {"Android phone over ADB", is_adb_address, open_adb},
    {"iOS backup", is_ios_backup, open_ios_backup},
    {"Android backup", is_android_backup, open_android_backup},
    {"SMS export", is_sms_export, open_sms_export},
    {"folder", is_folder, open_folder},
};

} // namespace

Expected<std::unique_ptr<docking::PhoneSource>> open_source(const std::string& source,
                                                            const SourceOptions& options) {
    const fs::path path(source);
    std::error_code ec;
    if (!is_adb_address(path) && !fs::exists(path, ec)) {
        return fail(ErrorCode::input, "cannot scan " + source + ": no such file or folder");
    }
    for (const Backend& backend : k_backends) {
        if (!backend.accepts(path)) {
            continue;
        }
        auto opened = backend.open(path, options);
        if (!opened) {
            return fail(ErrorCode::input, "cannot scan " + source + " as " + backend.name +
                                              ": " + opened.error().message);
        }
        return std::move(*opened);
    }
    return fail(ErrorCode::input,
                "cannot scan " + source +
                    ": not a phone source dockscan reads (an iOS backup folder, an adb backup "
                    "archive .ab, an SMS Backup & Restore export .xml, a folder copy of a "
                    "phone's storage, or adb:HOST:PORT for a phone over ADB)");
}

Expected<std::string> read_password_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return fail(ErrorCode::config, "cannot read the backup password file " + path);
    }
    if ((st.st_mode & 077) != 0) {
        return fail(ErrorCode::config, "the backup password file " + path +
                                           " is readable by others; chmod 600 it");
    }
    std::ifstream in(path);
    std::string password;
    std::getline(in, password);
    if (!password.empty() && password.back() == '\r') {
        password.pop_back();
    }
    if (password.empty()) {
        return fail(ErrorCode::config, "the backup password file " + path + " is empty");
    }
    return password;
}

} // namespace dockscan::agent
