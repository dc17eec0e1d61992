#include "agent/scan/sources.hpp"

#include "docking/adb/adb_source.hpp"
#include "docking/android/android_backup_source.hpp"
#include "docking/folder_source.hpp"
#include "docking/ios/ios_backup_source.hpp"
#include "docking/ios_device/ios_device_connector.hpp"
#include "docking/phone_connector.hpp"
#include "docking/sms_export_source.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sys/stat.h>
#include <system_error>

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

docking::Expected<SourcePtr> open_adb(const fs::path& path, const SourceOptions& options) {
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
    docking::adb::AdbSourceOptions adb;
    if (options.phone_wait) {
        adb.connect.allow_timeout = *options.phone_wait;
    }
    return as_source(docking::adb::AdbSource::open_tcp(address.substr(0, colon), port, adb));
}

// An iPhone through usbmuxd: "usbmux:UDID", as the station's dock events name it.
bool is_usbmux_address(const fs::path& path) {
    return path.native().rfind("usbmux:", 0) == 0;
}

// What the iPhone asks of the person at it, on stderr: `dockscan scan` by hand has no
// slot to show it on.
class ConsoleProgress final : public docking::ConnectProgress {
public:
    void waiting(docking::PhoneWait what) override {
        const char* text = what == docking::PhoneWait::trust_computer
                               ? "Tryck på Lita på telefonen / tap Trust on the phone"
                           : what == docking::PhoneWait::enter_passcode
                               ? "Ange lösenkod på telefonen / enter the passcode on the phone"
                               : "Svara på frågan på telefonen / answer the phone's question";
        std::fprintf(stderr, "dockscan: %s\n", text);
    }
    void resumed() override {}
};

docking::Expected<SourcePtr> open_usbmux(const fs::path& path, const SourceOptions& options) {
    // The progress must outlive the source (an iPhone asks for its passcode while it is
    // listed); one for the process is enough for a command that scans one phone.
    static ConsoleProgress progress;
    docking::ios_device::IosConnectorOptions ios;
    ios.backup_password = options.backup_password;
    if (options.phone_wait) {
        ios.trust_timeout = *options.phone_wait;
        ios.passcode_timeout = *options.phone_wait;
    }
    docking::DockEvent event;
    event.kind = docking::PhoneKind::iphone;
    event.endpoint = path.native();
    event.serial = path.native().substr(7);
    return docking::ios_device::ios_device_connector(std::move(ios))
        ->connect(event, progress, std::stop_token{});
}

const Backend k_backends[] = {
    {"Android phone over ADB", is_adb_address, open_adb},
    {"iPhone through usbmuxd", is_usbmux_address, open_usbmux},
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
    if (!is_adb_address(path) && !is_usbmux_address(path) && !fs::exists(path, ec)) {
        return fail(ErrorCode::input, "cannot scan " + source + ": no such file or folder");
    }
    for (const Backend& backend : k_backends) {
        if (!backend.accepts(path)) {
            continue;
        }
        auto opened = backend.open(path, options);
        if (!opened) {
            return fail(ErrorCode::input, "cannot scan " + source + " as " + backend.name + ": " +
                                              opened.error().message);
        }
        return std::move(*opened);
    }
    return fail(
        ErrorCode::input,
        "cannot scan " + source +
            ": not a phone source dockscan reads (an iOS backup folder, an adb backup "
            "archive .ab, an SMS Backup & Restore export .xml, a folder copy of a "
            "phone's storage, adb:HOST:PORT for a phone over ADB, or usbmux:UDID for an iPhone)");
}

Expected<std::string> read_password_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return fail(ErrorCode::config, "cannot read the backup password file " + path);
    }
    if ((st.st_mode & 077) != 0) {
        return fail(ErrorCode::config,
                    "the backup password file " + path + " is readable by others; chmod 600 it");
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
