#include "docking/ios_device/imd_seam.hpp"

#include "base/owned.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <libimobiledevice/afc.h>
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <libimobiledevice/mobilebackup2.h>
#include <limits>
#include <plist/plist.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

namespace dockscan::docking::ios_device {
namespace {

// What the station sends, as a libplist node (the caller owns it).
plist_t to_node(const ios::PlistValue& value) {
    using Kind = ios::PlistValue::Kind;
    switch (value.kind) {
    case Kind::boolean:
        return plist_new_bool(value.boolean ? 1 : 0);
    case Kind::integer:
        return plist_new_uint(static_cast<std::uint64_t>(value.integer));
    case Kind::real:
        return plist_new_real(value.real);
    case Kind::string:
        return plist_new_string(value.bytes.c_str());
    case Kind::data:
        return plist_new_data(value.bytes.data(), value.bytes.size());
    case Kind::uid:
        return plist_new_uid(static_cast<std::uint64_t>(value.integer));
    case Kind::array: {
        plist_t array = plist_new_array();
        for (const ios::PlistValue& item : value.items) {
            plist_array_append_item(array, to_node(item));
        }
        return array;
    }
    case Kind::none:
    case Kind::date: // the station sends no dates
    case Kind::dict:
        break;
    }
    plist_t dict = plist_new_dict();
    for (std::size_t i = 0; i < value.keys.size() && i < value.items.size(); ++i) {
        plist_dict_set_item(dict, value.keys[i].c_str(), to_node(value.items[i]));
    }
    return dict;
}

// What the phone sent, through the bounded parser that reads every plist of a backup:
// the protocol code sees values, never libplist.
Expected<ios::PlistValue> to_value(plist_t node) {
    char* raw = nullptr;
    std::uint32_t length = 0;
    plist_to_bin(node, &raw, &length);
    const base::Owned<char, plist_to_bin_free> bytes(raw);
    if (!bytes) {
        return fail(ErrorCode::malformed, "the phone sent a backup message that is no plist");
    }
    return ios::parse_plist(std::string_view(bytes.get(), length));
}

// How the station names itself to lockdownd (the phone may show it in its logs).
constexpr const char* k_label = "dockscan";

// Strings the library allocates with malloc.
using CString = base::Owned<char, ::free>;
using PlistPtr = base::Owned<void, plist_free>;

// The NULL-terminated string arrays of AFC (directory listings, file info).
using AfcList = base::Owned<char*, afc_dictionary_free>;

// For the person at the dock, in Swedish (as the slot shows it) and English.
constexpr const char* k_unplugged = "Telefonen kopplades ur / the phone disconnected (unplugged?)";
constexpr const char* k_denied = "Telefonen litar inte på stationen (Lita inte på valdes) / "
                                 "the phone does not trust the station (Don't Trust was chosen)";
constexpr const char* k_locked = "Lås upp telefonen och docka den igen / "
                                 "the phone is locked: unlock it and dock it again";
constexpr const char* k_forgot = "Telefonen känner inte igen stationen: docka igen och tryck på "
                                 "Lita på / the phone does not know this station (trust was "
                                 "removed): dock again and tap Trust";

std::string step_name(Step step) {
    switch (step) {
    case Step::lookup:
        return "finding the iPhone through usbmuxd";
    case Step::connect:
        return "connecting to lockdownd";
    case Step::pair:
        return "pairing";
    case Step::validate:
        return "validating the pairing";
    case Step::session:
        return "opening the lockdownd session";
    case Step::value:
        return "reading the phone's identity";
    case Step::start_service:
        return "starting a service on the phone";
    case Step::afc:
        return "reading files (AFC)";
    case Step::backup:
        return "the backup (mobilebackup2)";
    }
    return "talking to the phone";
}

// The reason first (the slot shows the start of it), then what was being done.
Error with_step(ErrorCode code, Step step, const std::string& reason) {
    return Error{code, reason + " (while " + step_name(step) + ")"};
}

// libimobiledevice writes to the phone's TLS connections through OpenSSL, which uses
// plain write(): a phone unplugged at that moment raises SIGPIPE, whose default action
// ends the daemon. Every call through this seam blocks SIGPIPE on its thread and
// discards one raised meanwhile, so a vanished phone is an error like any other.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;
    ~SigpipeGuard() {
        if (!m_was_pending) {
            sigset_t pending;
            sigemptyset(&pending);
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                const timespec zero{0, 0};
                sigtimedwait(&m_pipe, nullptr, &zero);
            }
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }

private:
    sigset_t m_pipe{};
    sigset_t m_old{};
    bool m_was_pending = false;
};

} // namespace

void IdeviceFree::operator()(idevice_private* handle) const noexcept {
    const SigpipeGuard guard;
    idevice_free(handle);
}
void LockdownFree::operator()(lockdownd_client_private* handle) const noexcept {
    const SigpipeGuard guard;
    lockdownd_client_free(handle);
}
void ServiceFree::operator()(lockdownd_service_descriptor* handle) const noexcept {
    const SigpipeGuard guard;
    lockdownd_service_descriptor_free(handle);
}
void AfcFree::operator()(afc_client_private* handle) const noexcept {
    const SigpipeGuard guard;
    afc_client_free(handle);
}
void Backup2Free::operator()(mobilebackup2_client_private* handle) const noexcept {
    const SigpipeGuard guard;
    mobilebackup2_client_free(handle);
}

Error idevice_error(int code, Step step) {
    switch (static_cast<idevice_error_t>(code)) {
    case IDEVICE_E_SUCCESS:
        return with_step(ErrorCode::unreadable, step, "no error");
    case IDEVICE_E_NO_DEVICE:
        return with_step(ErrorCode::not_found, step,
                         "usbmuxd does not see the iPhone (is usbmuxd running, is the cable in?)");
    case IDEVICE_E_SSL_ERROR:
        return with_step(ErrorCode::not_authorised, step,
                         "the TLS connection to the phone failed (pair again)");
    case IDEVICE_E_TIMEOUT:
        return with_step(ErrorCode::timed_out, step, "the phone did not answer in time");
    case IDEVICE_E_NOT_ENOUGH_DATA:
        return with_step(ErrorCode::interrupted, step, k_unplugged);
    case IDEVICE_E_INVALID_ARG:
    case IDEVICE_E_UNKNOWN_ERROR:
        break;
    }
    return with_step(ErrorCode::unreadable, step, "libimobiledevice error " + std::to_string(code));
}

Error lockdown_error(int code, Step step) {
    switch (static_cast<lockdownd_error_t>(code)) {
    case LOCKDOWN_E_MUX_ERROR:
        return with_step(ErrorCode::interrupted, step, k_unplugged);
    case LOCKDOWN_E_RECEIVE_TIMEOUT:
        return with_step(ErrorCode::timed_out, step, "lockdownd on the phone did not answer");
    case LOCKDOWN_E_SSL_ERROR:
        return with_step(ErrorCode::not_authorised, step,
                         "the TLS session was refused: the phone may no longer trust the "
                         "station (pair again)");
    case LOCKDOWN_E_PASSWORD_PROTECTED:
    case LOCKDOWN_E_ESCROW_LOCKED:
        return with_step(ErrorCode::device_locked, step, k_locked);
    case LOCKDOWN_E_USER_DENIED_PAIRING:
        return with_step(ErrorCode::not_authorised, step, k_denied);
    case LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING:
        return with_step(ErrorCode::timed_out, step,
                         "Ingen tryckte på Lita på i tid / nobody answered \"Trust this "
                         "computer?\" on the phone in time");
    case LOCKDOWN_E_INVALID_HOST_ID:
    case LOCKDOWN_E_MISSING_HOST_ID:
    case LOCKDOWN_E_MISSING_PAIR_RECORD:
    case LOCKDOWN_E_INVALID_PAIR_RECORD:
        return with_step(ErrorCode::not_authorised, step, k_forgot);
    case LOCKDOWN_E_PAIRING_PROHIBITED_OVER_THIS_CONNECTION:
    case LOCKDOWN_E_MC_PROTECTED:
    case LOCKDOWN_E_MC_CHALLENGE_REQUIRED:
        return with_step(ErrorCode::not_authorised, step,
                         "the phone's management profile (MDM) forbids pairing with this "
                         "station: allow host pairing for the station in the MDM");
    case LOCKDOWN_E_FMIP_PROTECTED:
        return with_step(ErrorCode::not_authorised, step, "Find My iPhone protects the phone");
    case LOCKDOWN_E_SERVICE_PROHIBITED:
    case LOCKDOWN_E_GET_PROHIBITED:
        return with_step(ErrorCode::not_authorised, step,
                         "the phone refused the request (a management profile may forbid it)");
    case LOCKDOWN_E_INVALID_SERVICE:
    case LOCKDOWN_E_MISSING_SERVICE:
        return with_step(ErrorCode::unsupported, step, "the phone does not offer this service");
    case LOCKDOWN_E_SERVICE_LIMIT:
        return with_step(ErrorCode::unreadable, step,
                         "the phone runs too many services: unplug it and dock it again");
    case LOCKDOWN_E_SAVE_PAIR_RECORD_FAILED:
        return with_step(ErrorCode::unreadable, step,
                         "usbmuxd could not save the pair record (check /var/lib/lockdown)");
    case LOCKDOWN_E_INVALID_CONF:
        return with_step(ErrorCode::unreadable, step,
                         "the station's pair record for this phone is broken: remove it "
                         "(idevicepair unpair) and pair again");
    case LOCKDOWN_E_PLIST_ERROR:
    case LOCKDOWN_E_DICT_ERROR:
    case LOCKDOWN_E_INVALID_RESPONSE:
    case LOCKDOWN_E_MISSING_KEY:
    case LOCKDOWN_E_MISSING_VALUE:
        return with_step(ErrorCode::malformed, step, "lockdownd sent an answer we do not read");
    case LOCKDOWN_E_PAIRING_FAILED:
        return with_step(ErrorCode::not_authorised, step, "the phone refused to pair");
    case LOCKDOWN_E_SUCCESS:
    case LOCKDOWN_E_INVALID_ARG:
    case LOCKDOWN_E_NO_RUNNING_SESSION:
    case LOCKDOWN_E_SET_PROHIBITED:
    case LOCKDOWN_E_REMOVE_PROHIBITED:
    case LOCKDOWN_E_IMMUTABLE_VALUE:
    case LOCKDOWN_E_SESSION_ACTIVE:
    case LOCKDOWN_E_SESSION_INACTIVE:
    case LOCKDOWN_E_MISSING_SESSION_ID:
    case LOCKDOWN_E_INVALID_SESSION_ID:
    case LOCKDOWN_E_INVALID_ACTIVATION_RECORD:
    case LOCKDOWN_E_MISSING_ACTIVATION_RECORD:
    case LOCKDOWN_E_UNKNOWN_ERROR:
        break;
    }
    return with_step(ErrorCode::unreadable, step, "lockdownd error " + std::to_string(code));
}

Error afc_error(int code) {
    switch (static_cast<afc_error_t>(code)) {
    case AFC_E_MUX_ERROR:
    case AFC_E_SERVICE_NOT_CONNECTED:
    case AFC_E_NOT_ENOUGH_DATA:
    case AFC_E_OP_INTERRUPTED:
        return with_step(ErrorCode::interrupted, Step::afc, k_unplugged);
    case AFC_E_OP_TIMEOUT:
        return with_step(ErrorCode::timed_out, Step::afc, "the phone did not answer in time");
    case AFC_E_OBJECT_NOT_FOUND:
        return with_step(ErrorCode::not_found, Step::afc, "no such file on the phone");
    case AFC_E_PERM_DENIED:
        return with_step(ErrorCode::unreadable, Step::afc, "the phone denied access");
    case AFC_E_TOO_MUCH_DATA:
        return with_step(ErrorCode::too_large, Step::afc, "too much data");
    case AFC_E_READ_ERROR:
    case AFC_E_IO_ERROR:
        return with_step(ErrorCode::unreadable, Step::afc, "the phone could not read the file");
    case AFC_E_OP_HEADER_INVALID:
    case AFC_E_UNKNOWN_PACKET_TYPE:
        return with_step(ErrorCode::malformed, Step::afc, "the phone sent a packet we do not read");
    case AFC_E_OBJECT_IS_DIR:
        return with_step(ErrorCode::unreadable, Step::afc, "a folder, not a file");
    case AFC_E_SUCCESS:
    case AFC_E_UNKNOWN_ERROR:
    case AFC_E_NO_RESOURCES:
    case AFC_E_WRITE_ERROR:
    case AFC_E_INVALID_ARG:
    case AFC_E_END_OF_DATA:
    case AFC_E_OP_NOT_SUPPORTED:
    case AFC_E_OBJECT_EXISTS:
    case AFC_E_OBJECT_BUSY:
    case AFC_E_NO_SPACE_LEFT:
    case AFC_E_OP_WOULD_BLOCK:
    case AFC_E_OP_IN_PROGRESS:
    case AFC_E_INTERNAL_ERROR:
    case AFC_E_NO_MEM:
    case AFC_E_DIR_NOT_EMPTY:
    case AFC_E_FORCE_SIGNED_TYPE:
        break;
    }
    return with_step(ErrorCode::unreadable, Step::afc, "AFC error " + std::to_string(code));
}

Error backup_error(int code) {
    switch (static_cast<mobilebackup2_error_t>(code)) {
    case MOBILEBACKUP2_E_MUX_ERROR:
    case MOBILEBACKUP2_E_SSL_ERROR:
        return with_step(ErrorCode::interrupted, Step::backup, k_unplugged);
    case MOBILEBACKUP2_E_RECEIVE_TIMEOUT:
        return with_step(ErrorCode::timed_out, Step::backup, "the phone did not answer in time");
    case MOBILEBACKUP2_E_BAD_VERSION:
    case MOBILEBACKUP2_E_NO_COMMON_VERSION:
        return with_step(ErrorCode::unsupported, Step::backup,
                         "the phone speaks a backup protocol version we do not");
    case MOBILEBACKUP2_E_REPLY_NOT_OK:
        return with_step(ErrorCode::not_authorised, Step::backup,
                         "Telefonen nekade säkerhetskopian / the phone refused the backup");
    case MOBILEBACKUP2_E_PLIST_ERROR:
        return with_step(ErrorCode::malformed, Step::backup,
                         "the phone sent a message we do not read");
    case MOBILEBACKUP2_E_SUCCESS:
    case MOBILEBACKUP2_E_INVALID_ARG:
    case MOBILEBACKUP2_E_UNKNOWN_ERROR:
        break;
    }
    return with_step(ErrorCode::unreadable, Step::backup,
                     "mobilebackup2 error " + std::to_string(code));
}

Expected<Device> Device::open(const std::string& udid) {
    const SigpipeGuard guard;
    idevice_t raw = nullptr;
    const idevice_error_t err = idevice_new_with_options(&raw, udid.c_str(), IDEVICE_LOOKUP_USBMUX);
    std::unique_ptr<idevice_private, IdeviceFree> handle(raw);
    if (err != IDEVICE_E_SUCCESS || !handle) {
        return tl::unexpected(idevice_error(err, Step::lookup));
    }
    return Device(std::move(handle), udid);
}

Expected<Lockdown::Handshake> Lockdown::handshake(const Device& device) {
    const SigpipeGuard guard;
    lockdownd_client_t raw = nullptr;
    const lockdownd_error_t err = lockdownd_client_new_with_handshake(device.get(), &raw, k_label);
    std::unique_ptr<lockdownd_client_private, LockdownFree> handle(raw);
    switch (err) {
    case LOCKDOWN_E_SUCCESS:
        return Handshake{PairState::paired, Lockdown(std::move(handle))};
    case LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING:
        return Handshake{PairState::dialog_pending, std::nullopt};
    case LOCKDOWN_E_PASSWORD_PROTECTED:
        return Handshake{PairState::passcode_needed, std::nullopt};
    case LOCKDOWN_E_INVALID_HOST_ID:
    case LOCKDOWN_E_MISSING_HOST_ID:
    case LOCKDOWN_E_INVALID_PAIR_RECORD:
    case LOCKDOWN_E_MISSING_PAIR_RECORD:
        return Handshake{PairState::not_paired, std::nullopt};
    default:
        return tl::unexpected(lockdown_error(err, Step::session));
    }
}

Expected<PairState> Lockdown::pair(const Device& device) {
    const SigpipeGuard guard;
    lockdownd_client_t raw = nullptr;
    lockdownd_error_t err = lockdownd_client_new(device.get(), &raw, k_label);
    std::unique_ptr<lockdownd_client_private, LockdownFree> handle(raw);
    if (err != LOCKDOWN_E_SUCCESS) {
        return tl::unexpected(lockdown_error(err, Step::connect));
    }
    err = lockdownd_pair(handle.get(), nullptr);
    switch (err) {
    case LOCKDOWN_E_SUCCESS:
        return PairState::paired;
    case LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING:
        return PairState::dialog_pending;
    case LOCKDOWN_E_PASSWORD_PROTECTED:
        return PairState::passcode_needed;
    default:
        return tl::unexpected(lockdown_error(err, Step::pair));
    }
}

Expected<PairState> Lockdown::validate_pair() {
    const SigpipeGuard guard;
    const lockdownd_error_t err = lockdownd_validate_pair(m_handle.get(), nullptr);
    switch (err) {
    case LOCKDOWN_E_SUCCESS:
        return PairState::paired;
    case LOCKDOWN_E_INVALID_HOST_ID:
    case LOCKDOWN_E_MISSING_HOST_ID:
    case LOCKDOWN_E_INVALID_PAIR_RECORD:
    case LOCKDOWN_E_MISSING_PAIR_RECORD:
        return PairState::not_paired;
    case LOCKDOWN_E_PASSWORD_PROTECTED:
        return PairState::passcode_needed;
    default:
        return tl::unexpected(lockdown_error(err, Step::validate));
    }
}

namespace {

Expected<PlistPtr> get_value(lockdownd_client_t client, std::string_view domain,
                             std::string_view key) {
    const std::string domain_s(domain);
    const std::string key_s(key);
    plist_t raw = nullptr;
    const lockdownd_error_t err = lockdownd_get_value(
        client, domain_s.empty() ? nullptr : domain_s.c_str(), key_s.c_str(), &raw);
    PlistPtr value(raw);
    if (err == LOCKDOWN_E_MISSING_VALUE || err == LOCKDOWN_E_MISSING_KEY) {
        return PlistPtr();
    }
    if (err != LOCKDOWN_E_SUCCESS) {
        return tl::unexpected(lockdown_error(err, Step::value));
    }
    return value;
}

// The string of a plist node, at most `limit` bytes; nothing when the node is no string
// or a longer one (a device's answers are bounded before they are used).
std::optional<std::string> node_string(void* node, std::size_t limit) {
    if (node == nullptr || plist_get_node_type(node) != PLIST_STRING) {
        return std::nullopt;
    }
    char* raw = nullptr;
    plist_get_string_val(node, &raw);
    const CString text(raw);
    if (!text) {
        return std::nullopt;
    }
    const std::size_t length = ::strnlen(text.get(), limit + 1);
    if (length > limit) {
        return std::nullopt;
    }
    return std::string(text.get(), length);
}

} // namespace

Expected<std::optional<std::string>> Lockdown::string_value(std::string_view domain,
                                                            std::string_view key) {
    const SigpipeGuard guard;
    DOCKSCAN_TRY_ASSIGN(const PlistPtr value, get_value(m_handle.get(), domain, key));
    return node_string(value.get(), 4096);
}

Expected<std::optional<bool>> Lockdown::bool_value(std::string_view domain, std::string_view key) {
    const SigpipeGuard guard;
    DOCKSCAN_TRY_ASSIGN(const PlistPtr value, get_value(m_handle.get(), domain, key));
    if (!value || plist_get_node_type(value.get()) != PLIST_BOOLEAN) {
        return std::nullopt;
    }
    std::uint8_t b = 0;
    plist_get_bool_val(value.get(), &b);
    return b != 0;
}

Expected<Service> Lockdown::start_service(const char* name, Escrow escrow) {
    const SigpipeGuard guard;
    lockdownd_service_descriptor_t raw = nullptr;
    const lockdownd_error_t err =
        escrow == Escrow::with ? lockdownd_start_service_with_escrow_bag(m_handle.get(), name, &raw)
                               : lockdownd_start_service(m_handle.get(), name, &raw);
    std::unique_ptr<lockdownd_service_descriptor, ServiceFree> handle(raw);
    if (err != LOCKDOWN_E_SUCCESS || !handle) {
        Error error = lockdown_error(err, Step::start_service);
        error.message += std::string(" (") + name + ")";
        return tl::unexpected(std::move(error));
    }
    return Service(std::move(handle));
}

Expected<Afc> Afc::open(const Device& device, Lockdown& lockdown) {
    const SigpipeGuard guard;
    DOCKSCAN_TRY_ASSIGN(const Service service,
                        lockdown.start_service(AFC_SERVICE_NAME, Lockdown::Escrow::without));
    afc_client_t raw = nullptr;
    const afc_error_t err = afc_client_new(device.get(), service.get(), &raw);
    std::unique_ptr<afc_client_private, AfcFree> handle(raw);
    if (err != AFC_E_SUCCESS || !handle) {
        return tl::unexpected(afc_error(err));
    }
    return Afc(std::move(handle));
}

Expected<std::vector<std::string>> Afc::read_directory(const std::string& path,
                                                       std::size_t max_entries) {
    const SigpipeGuard guard;
    char** raw = nullptr;
    const afc_error_t err = afc_read_directory(m_handle.get(), path.c_str(), &raw);
    const AfcList list(raw);
    if (err != AFC_E_SUCCESS) {
        return tl::unexpected(afc_error(err));
    }
    std::vector<std::string> names;
    for (char** entry = list.get(); entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view name(*entry, ::strnlen(*entry, 1024));
        if (name == "." || name == "..") {
            continue;
        }
        if (names.size() >= max_entries) {
            return fail(ErrorCode::too_large, "a folder on the phone has more than " +
                                                  std::to_string(max_entries) + " entries");
        }
        names.emplace_back(name);
    }
    return names;
}

Expected<AfcStat> Afc::stat(const std::string& path) {
    const SigpipeGuard guard;
    char** raw = nullptr;
    const afc_error_t err = afc_get_file_info(m_handle.get(), path.c_str(), &raw);
    const AfcList info(raw);
    if (err != AFC_E_SUCCESS) {
        return tl::unexpected(afc_error(err));
    }
    AfcStat stat;
    // Key and value alternate; the phone's numbers are decimal text.
    for (char** entry = info.get(); entry != nullptr && entry[0] != nullptr && entry[1] != nullptr;
         entry += 2) {
        const std::string_view key(entry[0], ::strnlen(entry[0], 64));
        const std::string value(entry[1], ::strnlen(entry[1], 64));
        if (key == "st_size") {
            stat.size = std::strtoull(value.c_str(), nullptr, 10);
        } else if (key == "st_mtime") {
            // Nanoseconds since 1970.
            stat.mtime = static_cast<std::int64_t>(std::strtoull(value.c_str(), nullptr, 10) /
                                                   1'000'000'000u);
        } else if (key == "st_ifmt") {
            if (value == "S_IFREG") {
                stat.kind = AfcStat::Kind::file;
            } else if (value == "S_IFDIR") {
                stat.kind = AfcStat::Kind::folder;
            } else if (value == "S_IFLNK") {
                stat.kind = AfcStat::Kind::link;
            }
        }
    }
    return stat;
}

namespace {

// An open AFC file handle, closed when this goes.
class AfcFile {
public:
    AfcFile(afc_client_t client, std::uint64_t handle) : m_client(client), m_handle(handle) {}
    AfcFile(const AfcFile&) = delete;
    AfcFile& operator=(const AfcFile&) = delete;
    ~AfcFile() { afc_file_close(m_client, m_handle); }
    [[nodiscard]] std::uint64_t get() const { return m_handle; }

private:
    afc_client_t m_client;
    std::uint64_t m_handle;
};

} // namespace

Expected<std::uint64_t>
Afc::read_file(const std::string& path, std::uint64_t limit,
               const std::function<Expected<void>(std::string_view)>& chunk) {
    const SigpipeGuard guard;
    DOCKSCAN_TRY_ASSIGN(const AfcStat info, stat(path));
    if (info.kind != AfcStat::Kind::file) {
        return fail(ErrorCode::unreadable, "not a regular file on the phone");
    }
    if (info.size > limit) {
        return fail(ErrorCode::too_large, "the file has " + std::to_string(info.size) +
                                              " bytes, over the limit of " + std::to_string(limit));
    }
    std::uint64_t handle = 0;
    const afc_error_t open_err =
        afc_file_open(m_handle.get(), path.c_str(), AFC_FOPEN_RDONLY, &handle);
    if (open_err != AFC_E_SUCCESS) {
        return tl::unexpected(afc_error(open_err));
    }
    const AfcFile file(m_handle.get(), handle);
    std::string buffer(64 * 1024, '\0');
    std::uint64_t total = 0;
    for (;;) {
        std::uint32_t got = 0;
        const afc_error_t err = afc_file_read(m_handle.get(), file.get(), buffer.data(),
                                              static_cast<std::uint32_t>(buffer.size()), &got);
        if (err != AFC_E_SUCCESS) {
            return tl::unexpected(afc_error(err));
        }
        if (got == 0) {
            return total;
        }
        total += got;
        // The file may have grown since GetFileInfo: the limit holds all the same.
        if (total > limit) {
            return fail(ErrorCode::too_large,
                        "the file grew over the limit of " + std::to_string(limit) + " bytes");
        }
        DOCKSCAN_TRY(chunk(std::string_view(buffer.data(), got)));
    }
}

Expected<Backup2> Backup2::open(const Device& device, Lockdown& lockdown) {
    const SigpipeGuard guard;
    // With the escrow bag the phone can start the backup service while it is locked
    // (it still asks for the passcode before it sends anything, iOS 16.1 and later).
    auto service = lockdown.start_service(MOBILEBACKUP2_SERVICE_NAME, Lockdown::Escrow::with);
    if (!service) {
        service = lockdown.start_service(MOBILEBACKUP2_SERVICE_NAME, Lockdown::Escrow::without);
    }
    if (!service) {
        return tl::unexpected(service.error());
    }
    mobilebackup2_client_t raw = nullptr;
    const mobilebackup2_error_t err = mobilebackup2_client_new(device.get(), service->get(), &raw);
    std::unique_ptr<mobilebackup2_client_private, Backup2Free> handle(raw);
    if (err != MOBILEBACKUP2_E_SUCCESS || !handle) {
        return tl::unexpected(backup_error(err));
    }
    return Backup2(std::move(handle));
}

Expected<void> Backup2::version_exchange() {
    const SigpipeGuard guard;
    double versions[] = {2.0, 2.1};
    double remote = 0.0;
    const mobilebackup2_error_t err =
        mobilebackup2_version_exchange(m_handle.get(), versions, 2, &remote);
    if (err != MOBILEBACKUP2_E_SUCCESS) {
        return tl::unexpected(backup_error(err));
    }
    return {};
}

Expected<void> Backup2::send_request(const char* request, const std::string& udid) {
    const SigpipeGuard guard;
    const mobilebackup2_error_t err =
        mobilebackup2_send_request(m_handle.get(), request, udid.c_str(), udid.c_str(), nullptr);
    if (err != MOBILEBACKUP2_E_SUCCESS) {
        return tl::unexpected(backup_error(err));
    }
    return {};
}

Expected<std::optional<DlMessage>> Backup2::receive() {
    const SigpipeGuard guard;
    plist_t raw = nullptr;
    char* name_raw = nullptr;
    const mobilebackup2_error_t err =
        mobilebackup2_receive_message(m_handle.get(), &raw, &name_raw);
    PlistPtr message(raw);
    const CString name(name_raw);
    if (err == MOBILEBACKUP2_E_RECEIVE_TIMEOUT) {
        return std::nullopt;
    }
    if (err != MOBILEBACKUP2_E_SUCCESS) {
        return tl::unexpected(backup_error(err));
    }
    if (!name || !message) {
        return fail(ErrorCode::malformed, "the phone sent a backup message without a name");
    }
    DOCKSCAN_TRY_ASSIGN(auto value, to_value(message.get()));
    return DlMessage{std::string(name.get(), ::strnlen(name.get(), 256)), std::move(value)};
}

Expected<std::size_t> Backup2::receive_raw(char* data, std::size_t length) {
    const SigpipeGuard guard;
    const auto want = static_cast<std::uint32_t>(
        std::min<std::size_t>(length, std::numeric_limits<std::uint32_t>::max()));
    std::uint32_t got = 0;
    const auto started = std::chrono::steady_clock::now();
    const mobilebackup2_error_t err = mobilebackup2_receive_raw(m_handle.get(), data, want, &got);
    if (err != MOBILEBACKUP2_E_SUCCESS) {
        return tl::unexpected(backup_error(err));
    }
    // libimobiledevice 1.3.0 answers "success, 0 bytes" both when the phone sent nothing
    // for 30 s and when the connection is gone. A live connection waits before it
    // comes back empty; one that returns empty at once has been closed (unplugged).
    if (got == 0 && std::chrono::steady_clock::now() - started < std::chrono::seconds(5)) {
        return tl::unexpected(backup_error(MOBILEBACKUP2_E_MUX_ERROR));
    }
    return static_cast<std::size_t>(got);
}

Expected<void> Backup2::send_raw(std::string_view bytes) {
    const SigpipeGuard guard;
    while (!bytes.empty()) {
        const auto len = static_cast<std::uint32_t>(
            std::min<std::size_t>(bytes.size(), std::numeric_limits<std::uint32_t>::max()));
        std::uint32_t sent = 0;
        const mobilebackup2_error_t err =
            mobilebackup2_send_raw(m_handle.get(), bytes.data(), len, &sent);
        if (err != MOBILEBACKUP2_E_SUCCESS) {
            return tl::unexpected(backup_error(err));
        }
        if (sent == 0) {
            return tl::unexpected(backup_error(MOBILEBACKUP2_E_MUX_ERROR));
        }
        bytes.remove_prefix(sent);
    }
    return {};
}

Expected<void> Backup2::send_status(int code, const char* status1, const ios::PlistValue& status2) {
    const SigpipeGuard guard;
    const PlistPtr node(to_node(status2));
    const mobilebackup2_error_t err =
        mobilebackup2_send_status_response(m_handle.get(), code, status1, node.get());
    if (err != MOBILEBACKUP2_E_SUCCESS) {
        return tl::unexpected(backup_error(err));
    }
    return {};
}

} // namespace dockscan::docking::ios_device
