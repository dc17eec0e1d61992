#pragma once

// The one seam to libimobiledevice: only imd_seam.cpp includes its headers. Everything
// else in docking/ios_device sees these move-only wrappers, our ErrorCode, and (for the
// backup protocol only) libplist nodes as opaque pointers.
//
// Every libimobiledevice handle is owned by a std::unique_ptr whose deleter calls the
// library's free function, in the statement that acquires it. Errors are translated
// once, here, into ErrorCode and a reason a person can act on.

#include "docking/error.hpp"
#include "docking/ios/plist.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// libimobiledevice's handle types, declared so that no header here includes it.
struct idevice_private;
struct lockdownd_client_private;
struct lockdownd_service_descriptor;
struct afc_client_private;
struct mobilebackup2_client_private;

namespace dockscan::docking::ios_device {

// The handles' deleters are declared here and defined in imd_seam.cpp, so that the
// vendor's headers stay out of this one; each free runs with SIGPIPE blocked.
struct IdeviceFree {
    void operator()(idevice_private* handle) const noexcept;
};
struct LockdownFree {
    void operator()(lockdownd_client_private* handle) const noexcept;
};
struct ServiceFree {
    void operator()(lockdownd_service_descriptor* handle) const noexcept;
};
struct AfcFree {
    void operator()(afc_client_private* handle) const noexcept;
};
struct Backup2Free {
    void operator()(mobilebackup2_client_private* handle) const noexcept;
};

// What a libimobiledevice call was doing when it failed: the reason names it.
enum class Step { lookup, connect, pair, validate, session, value, start_service, afc, backup };

// Translations of libimobiledevice's error enums (passed as their int value so that
// tests need not include the vendor headers). Every reason is for a person.
[[nodiscard]] Error idevice_error(int code, Step step);
[[nodiscard]] Error lockdown_error(int code, Step step);
[[nodiscard]] Error afc_error(int code);
[[nodiscard]] Error backup_error(int code);

// The phone behind usbmuxd with this UDID.
class Device {
public:
    // Looks the UDID up through usbmuxd only (no network devices); not_found when
    // usbmuxd does not (yet) know it.
    [[nodiscard]] static Expected<Device> open(const std::string& udid);

    [[nodiscard]] idevice_private* get() const { return m_handle.get(); }
    [[nodiscard]] const std::string& udid() const { return m_udid; }

private:
    Device(std::unique_ptr<idevice_private, IdeviceFree> handle, std::string udid)
        : m_handle(std::move(handle)), m_udid(std::move(udid)) {}
    std::unique_ptr<idevice_private, IdeviceFree> m_handle;
    std::string m_udid;
};

// Where pairing stands after one attempt.
enum class PairState {
    paired,          // the station's pair record is valid on the phone
    dialog_pending,  // the phone shows "Trust this computer?"
    passcode_needed, // the phone must be unlocked before it shows the dialog
    not_paired,      // the phone does not know the station (or forgot it): pair again
};

class Service {
public:
    [[nodiscard]] lockdownd_service_descriptor* get() const { return m_handle.get(); }
    explicit Service(std::unique_ptr<lockdownd_service_descriptor, ServiceFree> handle)
        : m_handle(std::move(handle)) {}

private:
    std::unique_ptr<lockdownd_service_descriptor, ServiceFree> m_handle;
};

// A lockdownd client: with a session (handshake) for values and services, or without
// one for pairing.
class Lockdown {
public:
    struct Handshake;

    // Connects with the station's pair record (usbmuxd keeps it) and opens a TLS
    // session. Without a record libimobiledevice asks the phone to pair at once. A
    // refused Trust is ErrorCode::not_authorised.
    [[nodiscard]] static Expected<Handshake> handshake(const Device& device);

    // Connects without a session and asks the phone to pair (a new pair record is
    // generated, and saved through usbmuxd when the phone accepts).
    [[nodiscard]] static Expected<PairState> pair(const Device& device);

    // Asks the phone whether the station's pair record is still valid.
    [[nodiscard]] Expected<PairState> validate_pair();

    // A string value (domain may be empty for the default domain); nothing when the
    // phone has no such value or it is no string. At most 4 KiB.
    [[nodiscard]] Expected<std::optional<std::string>> string_value(std::string_view domain,
                                                                    std::string_view key);
    [[nodiscard]] Expected<std::optional<bool>> bool_value(std::string_view domain,
                                                           std::string_view key);

    // Starts a service on the phone; with the escrow bag when asked (mobilebackup2
    // on a locked phone).
    enum class Escrow { without, with };
    [[nodiscard]] Expected<Service> start_service(const char* name, Escrow escrow);

    [[nodiscard]] lockdownd_client_private* get() const { return m_handle.get(); }

private:
    explicit Lockdown(std::unique_ptr<lockdownd_client_private, LockdownFree> handle)
        : m_handle(std::move(handle)) {}
    std::unique_ptr<lockdownd_client_private, LockdownFree> m_handle;
};

struct Lockdown::Handshake {
    PairState state = PairState::not_paired;
    std::optional<Lockdown> client; // set when state is paired
};

// What AFC's GetFileInfo says about a path.
struct AfcStat {
    enum class Kind { file, folder, link, other };
    Kind kind = Kind::other;
    std::uint64_t size = 0;
    std::int64_t mtime = 0; // Unix seconds
};

// The AFC service (com.apple.afc), rooted at /var/mobile/Media.
class Afc {
public:
    [[nodiscard]] static Expected<Afc> open(const Device& device, Lockdown& lockdown);

    // The names in a folder without "." and ".."; too_large beyond `max_entries`.
    [[nodiscard]] Expected<std::vector<std::string>> read_directory(const std::string& path,
                                                                    std::size_t max_entries);
    [[nodiscard]] Expected<AfcStat> stat(const std::string& path);

    // Reads a whole file of at most `limit` bytes (too_large beyond, nothing read),
    // handing each piece to `chunk`; returns the bytes read.
    [[nodiscard]] Expected<std::uint64_t>
    read_file(const std::string& path, std::uint64_t limit,
              const std::function<Expected<void>(std::string_view)>& chunk);

private:
    explicit Afc(std::unique_ptr<afc_client_private, AfcFree> handle)
        : m_handle(std::move(handle)) {}
    std::unique_ptr<afc_client_private, AfcFree> m_handle;
};

// One DeviceLink message from mobilebackup2: its name ("DLMessageUploadFiles") and the
// whole message array, read through the same bounded parser as every backup plist.
struct DlMessage {
    std::string name;
    ios::PlistValue message;
};

// The mobilebackup2 service, at the level of DeviceLink messages and raw bytes; the
// backup protocol itself is in mobile_backup.cpp.
class Backup2 {
public:
    [[nodiscard]] static Expected<Backup2> open(const Device& device, Lockdown& lockdown);

    // Agrees on the protocol version (2.0 or 2.1).
    [[nodiscard]] Expected<void> version_exchange();
    // Sends a request ("Backup") for the phone `udid`, without options.
    [[nodiscard]] Expected<void> send_request(const char* request, const std::string& udid);
    // The next message; nothing when the phone sent none within libimobiledevice's
    // receive timeout (30 s).
    [[nodiscard]] Expected<std::optional<DlMessage>> receive();
    // Receives up to `length` bytes; 0 when the phone sent nothing for 30 s, and
    // `interrupted` when the connection is gone.
    [[nodiscard]] Expected<std::size_t> receive_raw(char* data, std::size_t length);
    [[nodiscard]] Expected<void> send_raw(std::string_view bytes);
    // A status response; `status1` may be null; `status2` is sent as a libplist node.
    [[nodiscard]] Expected<void>
    send_status(int code, const char* status1,
                const ios::PlistValue& status2 = ios::PlistValue::make_dict());

private:
    explicit Backup2(std::unique_ptr<mobilebackup2_client_private, Backup2Free> handle)
        : m_handle(std::move(handle)) {}
    std::unique_ptr<mobilebackup2_client_private, Backup2Free> m_handle;
};

} // namespace dockscan::docking::ios_device
