#include "tests/ios_sim/backup_service.hpp"

#include "tests/ios_sim/channel.hpp"
#include "tests/ios_sim/device_key.hpp"
#include "tests/ios_sim/device_values.hpp"
#include "tests/ios_sim/manifest_db.hpp"
#include "tests/ios_sim/sim_state.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <openssl/evp.h>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace dockscan::testing::ios_sim {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t k_max_message = 4 * 1024 * 1024;
constexpr std::uint64_t k_device_link_major = 300;
constexpr std::size_t k_chunk = 64 * 1024;
constexpr std::size_t k_max_backup_files = 2000;
constexpr std::uintmax_t k_max_backup_file = 256ULL * 1024 * 1024;
constexpr std::uint32_t k_max_host_file = 16 * 1024 * 1024; // what the host may send us

// The framing codes of file transfers in both directions.
constexpr unsigned char k_code_success = 0x00;
constexpr unsigned char k_code_file_data = 0x0c;

// One file of the backup: where its bytes come from and where the host stores them.
struct BackupItem {
    std::string device_path; // "Domain/relative/path"
    std::string host_path;   // "<target>/<xx>/<fileID>"
    std::string content;     // set for generated files (Manifest.db, plists)
    fs::path source;         // set for the phone's files
};

std::string sha1_hex(const std::string& text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha1(), nullptr);
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(k_hex[digest[i] >> 4u]);
        out.push_back(k_hex[digest[i] & 0x0fu]);
    }
    return out;
}

bool safe_identifier(const std::string& id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-';
    });
}

void put_be32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xffu));
    }
}

class Backup {
public:
    Backup(Channel& channel, SimState& state) : m_channel(channel), m_state(state) {}

    void run() {
        if (!version_exchange()) {
            return;
        }
        while (true) {
            Plist message = receive_plist(m_channel, k_max_message);
            const std::string name = dl_name(message.get());
            m_state.trace("mobilebackup2 <- " + name);
            if (name != "DLMessageProcessMessage") {
                return; // DLMessageDisconnect, or the host went away
            }
            const void* body = array_get(message.get(), 1);
            const std::string request = dict_string(body, "MessageName").value_or("");
            m_state.trace("mobilebackup2 <- " + request);
            bool going_on = true;
            if (request == "Hello") {
                going_on = hello(body);
            } else if (request == "Backup") {
                going_on = backup(body);
            } else {
                going_on = respond(1, "Operation not simulated (MBErrorDomain/1)");
            }
            if (!going_on) {
                return;
            }
        }
    }

private:
    static std::string dl_name(const void* message) {
        return string_value(array_get(message, 0)).value_or("");
    }

    bool send(const Plist& message) { return send_plist(m_channel, message, PlistFormat::binary); }

    bool version_exchange() {
        Plist offer = new_array();
        array_append(offer, new_string("DLMessageVersionExchange"));
        array_append(offer, new_uint(k_device_link_major));
        array_append(offer, new_uint(0));
        if (!send(offer)) {
            return false;
        }
        Plist answer = receive_plist(m_channel, k_max_message);
        if (dl_name(answer.get()) != "DLMessageVersionExchange" ||
            string_value(array_get(answer.get(), 1)).value_or("") != "DLVersionsOk") {
            return false;
        }
        Plist ready = new_array();
        array_append(ready, new_string("DLMessageDeviceReady"));
        return send(ready);
    }

    bool process_message(Plist body) {
        Plist message = new_array();
        array_append(message, new_string("DLMessageProcessMessage"));
        array_append(message, std::move(body));
        return send(message);
    }

    bool respond(std::uint64_t code, const std::string& description) {
        Plist body = new_dict();
        dict_set(body, "ErrorCode", new_uint(code));
        if (!description.empty()) {
            dict_set(body, "ErrorDescription", new_string(description));
        }
        dict_set(body, "MessageName", new_string("Response"));
        return process_message(std::move(body));
    }

    bool hello(const void* body) {
        const void* versions = dict_get(body, "SupportedProtocolVersions");
        if (array_size(versions) == 0) {
            return respond(1, "No common protocol version (MBErrorDomain/1)");
        }
        Plist reply = new_dict();
        dict_set(reply, "ErrorCode", new_uint(0));
        dict_set(reply, "MessageName", new_string("Response"));
        dict_set(reply, "ProtocolVersion", new_real(2.1));
        return process_message(std::move(reply));
    }

    // The code of the host's DLMessageStatusResponse to a device request; nothing when
    // the host sent something else or went away.
    std::optional<std::uint64_t> host_status() {
        Plist status = receive_plist(m_channel, k_max_message);
        if (dl_name(status.get()) != "DLMessageStatusResponse") {
            return std::nullopt;
        }
        // The host writes negative codes as unsigned integers: any non-zero is a failure.
        return uint_value(array_get(status.get(), 1)).value_or(1);
    }

    // True when the host answered and did what was asked.
    bool host_succeeded() {
        const auto code = host_status();
        if (code && *code != 0) {
            m_state.trace("mobilebackup2: host failed with status " + std::to_string(*code));
        }
        return code == 0u;
    }

    bool read_be32(std::uint32_t& value) {
        std::array<unsigned char, 4> bytes{};
        if (!m_channel.read_exact(bytes.data(), bytes.size())) {
            return false;
        }
        value = static_cast<std::uint32_t>(bytes[0]) << 24u |
                static_cast<std::uint32_t>(bytes[1]) << 16u |
                static_cast<std::uint32_t>(bytes[2]) << 8u | bytes[3];
        return true;
    }

    // DLMessageDownloadFiles: the host sends its copies of earlier backup files (or an
    // error for each it lacks), the way a phone reads the last Status/Manifest.
    bool download(const std::vector<std::string>& paths) {
        Plist files = new_array();
        for (const std::string& path : paths) {
            array_append(files, new_string(path));
        }
        Plist message = new_array();
        array_append(message, new_string("DLMessageDownloadFiles"));
        array_append(message, std::move(files));
        array_append(message, new_dict());
        array_append(message, new_real(0.0));
        if (!send(message)) {
            return false;
        }
        while (true) {
            std::uint32_t length = 0;
            if (!read_be32(length)) {
                return false;
            }
            if (length == 0) {
                break;
            }
            if (length > 4096) {
                return false;
            }
            std::string path(length, '\0');
            if (!m_channel.read_exact(path.data(), path.size())) {
                return false;
            }
            std::uint64_t received = 0;
            while (true) {
                std::uint32_t block = 0;
                unsigned char code = 0;
                if (!read_be32(block) || block == 0 || block > k_max_host_file ||
                    !m_channel.read_exact(&code, 1)) {
                    return false;
                }
                std::string data(block - 1, '\0');
                if (!m_channel.read_exact(data.data(), data.size())) {
                    return false;
                }
                received += data.size();
                if (code != k_code_file_data) {
                    m_state.trace("mobilebackup2: host sent " + path + " (" +
                                  std::to_string(received) + " bytes" +
                                  (code == k_code_success ? ")" : ", error: " + data + ")"));
                    break;
                }
            }
        }
        // A first backup finds nothing: the host answers "Multi status" with the files
        // it lacks, which is no reason to stop.
        return host_status().has_value();
    }

    // DLMessageGetFreeDiskSpace: the host's free bytes for the backup.
    bool free_disk_space() {
        Plist message = new_array();
        array_append(message, new_string("DLMessageGetFreeDiskSpace"));
        if (!send(message)) {
            return false;
        }
        Plist status = receive_plist(m_channel, k_max_message);
        if (dl_name(status.get()) != "DLMessageStatusResponse") {
            return false;
        }
        m_state.trace("mobilebackup2: host has " +
                      std::to_string(uint_value(array_get(status.get(), 3)).value_or(0)) +
                      " bytes free");
        return true;
    }

    // DLContentsOfDirectory: what the host has of an earlier backup.
    bool contents_of_directory(const std::string& path) {
        Plist message = new_array();
        array_append(message, new_string("DLContentsOfDirectory"));
        array_append(message, new_string(path));
        return send(message) && host_status().has_value();
    }

    bool create_directory(const std::string& path) {
        Plist message = new_array();
        array_append(message, new_string("DLMessageCreateDirectory"));
        array_append(message, new_string(path));
        array_append(message, new_dict());
        array_append(message, new_real(0.0));
        return send(message) && host_succeeded();
    }

    bool write_raw(const std::string& bytes) {
        return m_channel.write_all(bytes.data(), bytes.size());
    }

    // One file's bytes in upload framing; false when the cable was pulled meanwhile.
    bool upload_content(const std::string& content) {
        for (std::size_t at = 0; at < content.size(); at += k_chunk) {
            const std::size_t size = std::min(k_chunk, content.size() - at);
            std::string block;
            put_be32(block, static_cast<std::uint32_t>(size + 1));
            block.push_back(static_cast<char>(k_code_file_data));
            block.append(content, at, size);
            if (!m_state.count_content_bytes(size)) {
                m_state.trace("mobilebackup2: --drop-after-bytes reached, cutting the connection");
                (void)write_raw(block.substr(0, block.size() / 2));
                m_channel.cut();
                m_state.detach();
                return false;
            }
            if (!write_raw(block)) {
                return false;
            }
        }
        std::string end;
        put_be32(end, 1);
        end.push_back(static_cast<char>(k_code_success));
        return write_raw(end);
    }

    bool upload(const std::vector<BackupItem>& items, double progress) {
        std::uint64_t total = 0;
        for (const BackupItem& item : items) {
            std::error_code error;
            total += item.source.empty() ? item.content.size() : fs::file_size(item.source, error);
        }
        Plist message = new_array();
        array_append(message, new_string("DLMessageUploadFiles"));
        array_append(message, new_dict());
        array_append(message, new_real(progress));
        array_append(message, new_uint(total));
        if (!send(message)) {
            return false;
        }
        for (const BackupItem& item : items) {
            std::string names;
            put_be32(names, static_cast<std::uint32_t>(item.device_path.size()));
            names += item.device_path;
            put_be32(names, static_cast<std::uint32_t>(item.host_path.size()));
            names += item.host_path;
            if (!write_raw(names)) {
                return false;
            }
            std::string content = item.content;
            if (!item.source.empty()) {
                std::ifstream in(item.source, std::ios::binary);
                content.assign(std::istreambuf_iterator<char>(in),
                               std::istreambuf_iterator<char>());
            }
            m_state.trace("mobilebackup2 -> " + item.host_path + " (" +
                          std::to_string(content.size()) + " bytes)");
            if (!upload_content(content)) {
                return false;
            }
        }
        std::string done;
        put_be32(done, 0);
        return write_raw(done) && host_succeeded();
    }

    // The phone's files: every regular file under --backup-data, by domain.
    std::vector<ManifestEntry> phone_files() const {
        std::vector<ManifestEntry> out;
        const std::string& root = m_state.options().backup_data_dir;
        std::error_code error;
        if (root.empty() || !fs::is_directory(root, error)) {
            return out;
        }
        for (const auto& domain : fs::directory_iterator(root, error)) {
            if (!domain.is_directory() || domain.is_symlink()) {
                continue;
            }
            const std::string name = domain.path().filename().string();
            for (auto it = fs::recursive_directory_iterator(domain.path(), error);
                 it != fs::recursive_directory_iterator() && out.size() < k_max_backup_files;
                 it.increment(error)) {
                if (!it->is_regular_file() || it->is_symlink() ||
                    it->file_size(error) > k_max_backup_file) {
                    continue;
                }
                const std::string relative =
                    fs::relative(it->path(), domain.path(), error).generic_string();
                out.push_back({sha1_hex(name + "-" + relative), name, relative, 1});
            }
        }
        std::sort(out.begin(), out.end(), [](const ManifestEntry& a, const ManifestEntry& b) {
            return a.file_id < b.file_id;
        });
        return out;
    }

    std::string manifest_plist() const {
        Plist values = domain_values(m_state, "", Session::active);
        Plist lockdown = new_dict();
        for (const char* key : {"BuildVersion", "DeviceName", "ProductType", "ProductVersion",
                                "SerialNumber", "UniqueDeviceID"}) {
            if (void* value = dict_get(values.get(), key)) {
                dict_set(lockdown, key, copy(value));
            }
        }
        Plist manifest = new_dict();
        dict_set(manifest, "Applications", new_dict());
        dict_set(manifest, "Date", new_date_now());
        dict_set(manifest, "IsEncrypted", new_bool(false));
        dict_set(manifest, "Lockdown", std::move(lockdown));
        dict_set(manifest, "SystemDomainsVersion", new_string("24.0"));
        dict_set(manifest, "Version", new_string("10.0"));
        dict_set(manifest, "WasPasscodeSet", new_bool(true));
        return to_binary(manifest);
    }

    static std::string status_plist() {
        Plist status = new_dict();
        dict_set(status, "BackupState", new_string("new"));
        dict_set(status, "Date", new_date_now());
        dict_set(status, "IsFullBackup", new_bool(true));
        dict_set(status, "SnapshotState", new_string("finished"));
        dict_set(status, "UUID", new_string(random_uuid()));
        dict_set(status, "Version", new_string("3.3"));
        return to_binary(status);
    }

    bool backup(const void* request) {
        const std::string target = dict_string(request, "TargetIdentifier").value_or("");
        if (!safe_identifier(target)) {
            return respond(1, "Invalid target identifier (MBErrorDomain/1)");
        }
        switch (m_state.options().backup) {
        case BackupMode::locked:
            // iOS 16.1 and later ask for the passcode first; a phone left locked answers,
            // after its prompt times out, exactly this.
            m_state.trace("mobilebackup2: waiting for a passcode that never comes");
            std::this_thread::sleep_for(
                std::chrono::milliseconds(m_state.options().passcode_wait_ms));
            return respond(208, "Device locked (MBErrorDomain/208)");
        case BackupMode::refuse:
            return respond(1, "Backup refused by the device (simulated) (MBErrorDomain/1)");
        case BackupMode::ok:
            break;
        }
        // The phone reads what the host kept of the last backup first.
        if (!download({target + "/Status.plist", target + "/Manifest.plist"}) ||
            !contents_of_directory(target) || !free_disk_space()) {
            return false;
        }
        const std::vector<ManifestEntry> entries = phone_files();
        std::set<std::string> folders;
        std::vector<BackupItem> items;
        for (const ManifestEntry& entry : entries) {
            const std::string folder = target + "/" + entry.file_id.substr(0, 2);
            folders.insert(folder);
            items.push_back(
                {entry.domain + "/" + entry.relative_path,
                 folder + "/" + entry.file_id,
                 {},
                 fs::path(m_state.options().backup_data_dir) / entry.domain / entry.relative_path});
        }
        for (const std::string& folder : folders) {
            if (!create_directory(folder)) {
                return false;
            }
        }
        if (!items.empty() && !upload(items, 50.0)) {
            return false;
        }
        const auto database = make_manifest_db(entries, fs::path(m_state.options().state_dir) /
                                                            ("Manifest-" + random_uuid() + ".db"));
        if (!database) {
            return respond(100, "Error writing the manifest (MBErrorDomain/100)");
        }
        std::vector<BackupItem> index = {
            {"Manifest.db", target + "/Manifest.db", *database, {}},
            {"Manifest.plist", target + "/Manifest.plist", manifest_plist(), {}},
            {"Status.plist", target + "/Status.plist", status_plist(), {}},
        };
        if (!upload(index, 100.0)) {
            return false;
        }
        return respond(0, "");
    }

    Channel& m_channel;
    SimState& m_state;
};

} // namespace

void serve_backup(Channel& channel, SimState& state) {
    Backup backup(channel, state);
    backup.run();
}

} // namespace dockscan::testing::ios_sim
