#include "tests/ios_sim/afc_service.hpp"

#include "tests/ios_sim/channel.hpp"
#include "tests/ios_sim/sim_state.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace dockscan::testing::ios_sim {
namespace {

constexpr char k_magic[] = "CFA6LPAA";
constexpr std::uint64_t k_header_size = 40;
constexpr std::uint64_t k_max_request = 64 * 1024 + k_header_size;
constexpr std::uint64_t k_max_read = 1024 * 1024; // per FileRead answer
constexpr std::size_t k_max_open_files = 64;

// Operations (libimobiledevice's afc.h names them the same way).
enum Op : std::uint64_t {
    op_status = 0x01,
    op_data = 0x02,
    op_read_dir = 0x03,
    op_get_file_info = 0x0a,
    op_get_device_info = 0x0b,
    op_file_open = 0x0d,
    op_file_open_result = 0x0e,
    op_file_read = 0x0f,
    op_file_seek = 0x11,
    op_file_tell = 0x12,
    op_file_tell_result = 0x13,
    op_file_close = 0x14,
    op_file_lock = 0x1b,
};

// Status codes.
enum Status : std::uint64_t {
    status_success = 0,
    status_unknown_packet_type = 6,
    status_invalid_arg = 7,
    status_object_not_found = 8,
    status_object_is_dir = 9,
    status_perm_denied = 10,
    status_no_resources = 3,
    status_op_not_supported = 15,
};

// The one file iTunes and idevicebackup2 open for writing: their sync lock.
constexpr const char* k_sync_lock = "com.apple.itunes.lock_sync";

void put64(std::string& out, std::uint64_t value) {
    for (unsigned i = 0; i < 8; ++i) {
        out.push_back(static_cast<char>((value >> (8u * i)) & 0xffu));
    }
}

std::uint64_t get64(const char* p) {
    std::uint64_t value = 0;
    for (unsigned i = 0; i < 8; ++i) {
        value |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8u * i);
    }
    return value;
}

struct OpenFile {
    int fd = -1; // -1 for the sync lock, which has no content
    std::uint64_t position = 0;
};

class Afc {
public:
    Afc(Channel& channel, SimState& state) : m_channel(channel), m_state(state) {}
    Afc(const Afc&) = delete;
    Afc& operator=(const Afc&) = delete;
    ~Afc() {
        for (auto& [handle, file] : m_files) {
            if (file.fd >= 0) {
                ::close(file.fd);
            }
        }
    }

    void run() {
        while (m_state.attached()) {
            std::array<char, k_header_size> header{};
            if (!m_channel.read_exact(header.data(), header.size())) {
                return;
            }
            if (std::memcmp(header.data(), k_magic, 8) != 0) {
                return;
            }
            const std::uint64_t entire = get64(header.data() + 8);
            const std::uint64_t this_length = get64(header.data() + 16);
            m_packet = get64(header.data() + 24);
            const std::uint64_t operation = get64(header.data() + 32);
            if (entire < k_header_size || entire > k_max_request || this_length > entire) {
                return;
            }
            std::string data(entire - k_header_size, '\0');
            if (!m_channel.read_exact(data.data(), data.size())) {
                return;
            }
            if (!handle(operation, data)) {
                return;
            }
        }
    }

private:
    bool handle(std::uint64_t operation, const std::string& data) {
        switch (operation) {
        case op_read_dir:
            return read_dir(path_argument(data, 0));
        case op_get_file_info:
            return file_info(path_argument(data, 0));
        case op_get_device_info:
            return device_info();
        case op_file_open:
            return open_file(data);
        case op_file_read:
            return read_file(data);
        case op_file_seek:
            return seek_file(data);
        case op_file_tell:
            return tell_file(data);
        case op_file_close:
            return close_file(data);
        case op_file_lock:
            return send_status(data.size() >= 8 && m_files.count(get64(data.data())) != 0
                                   ? status_success
                                   : status_invalid_arg);
        default:
            m_state.trace("afc <- operation " + std::to_string(operation) + ": not simulated");
            // Writes and the rest: the simulated media folder is read-only.
            return send_status(operation <= 0x28 ? status_perm_denied : status_unknown_packet_type);
        }
    }

    static std::string path_argument(const std::string& data, std::size_t offset) {
        if (offset >= data.size()) {
            return {};
        }
        const std::size_t end = data.find('\0', offset);
        return data.substr(offset, end == std::string::npos ? std::string::npos : end - offset);
    }

    // The host path under the media folder; empty when `path` leaves it.
    // The host path under the media folder; nothing when `path` would leave it, by
    // ".." or through a symlinked folder (the last name may be a symlink: it is shown
    // as one and never opened).
    std::optional<std::filesystem::path> resolve(const std::string& path) const {
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (start <= path.size()) {
            std::size_t end = path.find('/', start);
            if (end == std::string::npos) {
                end = path.size();
            }
            std::string part = path.substr(start, end - start);
            if (part == "..") {
                return std::nullopt;
            }
            if (!part.empty() && part != ".") {
                parts.push_back(std::move(part));
            }
            start = end + 1;
        }
        std::filesystem::path out = m_state.options().media_dir;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            out /= parts[i];
            struct stat info {};
            if (i + 1 < parts.size() && ::lstat(out.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
                return std::nullopt;
            }
        }
        return out;
    }

    static bool is_sync_lock(const std::string& path) {
        std::string trimmed = path;
        trimmed.erase(0, trimmed.find_first_not_of('/'));
        return trimmed == k_sync_lock;
    }

    bool send_packet(std::uint64_t operation, const std::string& header_data,
                     const std::string& payload) {
        std::string packet(k_magic, 8);
        put64(packet, k_header_size + header_data.size() + payload.size());
        put64(packet, k_header_size + header_data.size());
        put64(packet, m_packet);
        put64(packet, operation);
        packet += header_data;
        packet += payload;
        return m_channel.write_all(packet.data(), packet.size());
    }

    bool send_status(std::uint64_t status) {
        std::string code;
        put64(code, status);
        return send_packet(op_status, code, {});
    }

    bool send_strings(const std::vector<std::string>& strings) {
        std::string payload;
        for (const std::string& s : strings) {
            payload += s;
            payload.push_back('\0');
        }
        return send_packet(op_data, {}, payload);
    }

    bool read_dir(const std::string& path) {
        m_state.trace("afc <- ReadDirectory " + path);
        const auto host = resolve(path);
        struct stat info {};
        if (!host || ::lstat(host->c_str(), &info) != 0) {
            return send_status(status_object_not_found);
        }
        if (!S_ISDIR(info.st_mode)) {
            return send_status(status_object_not_found);
        }
        std::vector<std::string> names;
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator(*host, error)) {
            names.push_back(entry.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        names.insert(names.begin(), {".", ".."});
        return send_strings(names);
    }

    bool file_info(const std::string& path) {
        m_state.trace("afc <- GetFileInfo " + path);
        if (is_sync_lock(path)) {
            return send_strings({"st_size", "0", "st_blocks", "0", "st_nlink", "1", "st_ifmt",
                                 "S_IFREG", "st_mtime", "0", "st_birthtime", "0"});
        }
        const auto host = resolve(path);
        struct stat info {};
        if (!host || ::lstat(host->c_str(), &info) != 0) {
            return send_status(status_object_not_found);
        }
        const char* type = S_ISDIR(info.st_mode)   ? "S_IFDIR"
                           : S_ISLNK(info.st_mode) ? "S_IFLNK"
                                                   : "S_IFREG";
        const auto nanoseconds = [](const timespec& t) {
            return std::to_string(static_cast<std::uint64_t>(t.tv_sec) * 1000000000ULL +
                                  static_cast<std::uint64_t>(t.tv_nsec));
        };
        return send_strings({"st_size", std::to_string(info.st_size), "st_blocks",
                             std::to_string(info.st_blocks), "st_nlink",
                             std::to_string(info.st_nlink), "st_ifmt", type, "st_mtime",
                             nanoseconds(info.st_mtim), "st_birthtime", nanoseconds(info.st_mtim)});
    }

    bool device_info() {
        m_state.trace("afc <- GetDeviceInfo");
        return send_strings({"Model", m_state.options().product_type, "FSTotalBytes",
                             "127989493760", "FSFreeBytes", "52123456512", "FSBlockSize", "4096"});
    }

    bool open_file(const std::string& data) {
        if (data.size() < 9) {
            return send_status(status_invalid_arg);
        }
        const std::uint64_t mode = get64(data.data());
        const std::string path = path_argument(data, 8);
        m_state.trace("afc <- FileOpen " + path + " mode " + std::to_string(mode));
        if (m_files.size() >= k_max_open_files) {
            return send_status(status_no_resources);
        }
        OpenFile file;
        if (is_sync_lock(path)) {
            // Kept as an empty file that may be opened in any mode and locked.
        } else {
            if (mode != 1) { // AFC_FOPEN_RDONLY
                return send_status(status_perm_denied);
            }
            const auto host = resolve(path);
            struct stat info {};
            if (!host || ::lstat(host->c_str(), &info) != 0) {
                return send_status(status_object_not_found);
            }
            if (S_ISDIR(info.st_mode)) {
                return send_status(status_object_is_dir);
            }
            file.fd = ::open(host->c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            if (file.fd < 0) {
                return send_status(status_perm_denied);
            }
        }
        const std::uint64_t handle = m_next_handle++;
        m_files[handle] = file;
        std::string reply;
        put64(reply, handle);
        return send_packet(op_file_open_result, reply, {});
    }

    OpenFile* file_of(const std::string& data) {
        if (data.size() < 8) {
            return nullptr;
        }
        const auto it = m_files.find(get64(data.data()));
        return it == m_files.end() ? nullptr : &it->second;
    }

    bool read_file(const std::string& data) {
        OpenFile* file = file_of(data);
        if (file == nullptr || data.size() < 16) {
            return send_status(status_invalid_arg);
        }
        const std::uint64_t wanted = std::min(get64(data.data() + 8), k_max_read);
        std::string content(wanted, '\0');
        ssize_t n = 0;
        if (file->fd >= 0 && wanted > 0) {
            n = ::pread(file->fd, content.data(), wanted, static_cast<off_t>(file->position));
            if (n < 0) {
                return send_status(4 /* read error */);
            }
        }
        content.resize(static_cast<std::size_t>(n));
        file->position += static_cast<std::uint64_t>(n);
        if (!m_state.count_content_bytes(content.size())) {
            // The cable is pulled in the middle of this answer: the host sees a header
            // that promises more than ever arrives, then the connection ends.
            m_state.trace("afc: --drop-after-bytes reached, cutting the connection");
            std::string packet(k_magic, 8);
            put64(packet, k_header_size + content.size());
            put64(packet, k_header_size);
            put64(packet, m_packet);
            put64(packet, op_data);
            packet += content.substr(0, content.size() / 2);
            (void)m_channel.write_all(packet.data(), packet.size());
            m_channel.cut();
            m_state.detach();
            return false;
        }
        return send_packet(op_data, {}, content);
    }

    bool seek_file(const std::string& data) {
        OpenFile* file = file_of(data);
        if (file == nullptr || data.size() < 24) {
            return send_status(status_invalid_arg);
        }
        const std::uint64_t whence = get64(data.data() + 8);
        const auto offset = static_cast<std::int64_t>(get64(data.data() + 16));
        std::int64_t base = 0;
        if (whence == 1) { // SEEK_CUR
            base = static_cast<std::int64_t>(file->position);
        } else if (whence == 2) { // SEEK_END
            struct stat info {};
            if (file->fd >= 0 && ::fstat(file->fd, &info) == 0) {
                base = info.st_size;
            }
        }
        if (base + offset < 0) {
            return send_status(status_invalid_arg);
        }
        file->position = static_cast<std::uint64_t>(base + offset);
        return send_status(status_success);
    }

    bool tell_file(const std::string& data) {
        OpenFile* file = file_of(data);
        if (file == nullptr) {
            return send_status(status_invalid_arg);
        }
        std::string reply;
        put64(reply, file->position);
        return send_packet(op_file_tell_result, reply, {});
    }

    bool close_file(const std::string& data) {
        if (data.size() < 8) {
            return send_status(status_invalid_arg);
        }
        const auto it = m_files.find(get64(data.data()));
        if (it == m_files.end()) {
            return send_status(status_invalid_arg);
        }
        if (it->second.fd >= 0) {
            ::close(it->second.fd);
        }
        m_files.erase(it);
        return send_status(status_success);
    }

    Channel& m_channel;
    SimState& m_state;
    std::uint64_t m_packet = 0;
    std::uint64_t m_next_handle = 1;
    std::map<std::uint64_t, OpenFile> m_files;
};

} // namespace

void serve_afc(Channel& channel, SimState& state) {
    Afc afc(channel, state);
    afc.run();
}

} // namespace dockscan::testing::ios_sim
