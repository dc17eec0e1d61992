#include "tests/adb_sim/adb_sim.hpp"

#include "tests/adb_sim/sim_keys.hpp"
#include "tests/support/socket_io.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <random>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace dockscan::testing::adb_sim {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t id_of(const char (&n)[5]) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(n[0])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(n[1])) << 8u |
           static_cast<std::uint32_t>(static_cast<unsigned char>(n[2])) << 16u |
           static_cast<std::uint32_t>(static_cast<unsigned char>(n[3])) << 24u;
}

constexpr std::uint32_t A_CNXN = id_of("CNXN");
constexpr std::uint32_t A_AUTH = id_of("AUTH");
constexpr std::uint32_t A_OPEN = id_of("OPEN");
constexpr std::uint32_t A_OKAY = id_of("OKAY");
constexpr std::uint32_t A_WRTE = id_of("WRTE");
constexpr std::uint32_t A_CLSE = id_of("CLSE");
constexpr std::uint32_t k_device_max_data = 256 * 1024;
constexpr std::size_t k_chunk = 64 * 1024; // adbd's sync DATA size, and our WRTE size

void put32(std::string& out, std::uint32_t v) {
    for (unsigned i = 0; i < 4; ++i) {
        out.push_back(static_cast<char>(v >> (8u * i)));
    }
}
void put64(std::string& out, std::uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) {
        out.push_back(static_cast<char>(v >> (8u * i)));
    }
}
std::uint32_t get32(const char* p) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) {
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])) << (8u * i);
    }
    return v;
}

struct Packet {
    std::uint32_t command = 0;
    std::uint32_t arg0 = 0;
    std::uint32_t arg1 = 0;
    std::string data;
};

// One queued WRTE payload; `content` of its bytes are file content (for dropping).
struct OutChunk {
    std::string data;
    std::size_t content = 0;
};

enum class Kind { shell, shell_v2, sync, stream };

struct Stream {
    std::uint32_t remote = 0;
    Kind kind = Kind::stream;
    std::deque<OutChunk> out;
    bool waiting_okay = false;
    bool close_when_sent = false;
    std::string in;
};

class Connection {
public:
    Connection(int fd, const SimOptions& options, KnownKeys& keys)
        : m_fd(fd), m_options(options), m_keys(keys) {}
    ~Connection() { ::close(m_fd); }

    void run() {
        while (auto packet = read_packet()) {
            if (!handle(*packet)) {
                return;
            }
        }
    }

private:
    std::optional<Packet> read_packet() {
        std::array<char, 24> h{};
        if (!testing::recv_exact(m_fd, h.data(), h.size())) {
            return std::nullopt;
        }
        Packet p{get32(&h[0]), get32(&h[4]), get32(&h[8]), {}};
        const std::uint32_t length = get32(&h[12]);
        if (get32(&h[20]) != (p.command ^ 0xffffffffu) || length > 1024 * 1024) {
            return std::nullopt;
        }
        p.data.resize(length);
        if (!testing::recv_exact(m_fd, p.data.data(), length)) {
            return std::nullopt;
        }
        return p;
    }

    bool send_packet(std::uint32_t command, std::uint32_t arg0, std::uint32_t arg1,
                     const std::string& data = {}) {
        std::string bytes;
        put32(bytes, command);
        put32(bytes, arg0);
        put32(bytes, arg1);
        put32(bytes, static_cast<std::uint32_t>(data.size()));
        // Version 0x01000001 lets the device leave the checksum out, as adbd does.
        put32(bytes, 0);
        put32(bytes, command ^ 0xffffffffu);
        bytes += data;
        return testing::send_all(m_fd, bytes.data(), bytes.size());
    }

    std::string banner() const {
        return "device::ro.product.name=" + m_options.product +
               ";ro.product.model=" + m_options.model + ";ro.product.device=" + m_options.product +
               ";features=shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir";
    }

    bool send_token() {
        std::random_device rd;
        std::string token;
        for (int i = 0; i < 20; ++i) {
            token.push_back(static_cast<char>(rd() & 0xffu));
        }
        m_token = token;
        return send_packet(A_AUTH, 1, 0, token);
    }

    bool handle(const Packet& p) {
        if (p.command == A_CNXN) {
            m_streams.clear();
            if (m_options.auth == AuthMode::none) {
                m_online = true;
                return send_packet(A_CNXN, 0x01000001, k_device_max_data, banner());
            }
            return send_token();
        }
        if (p.command == A_AUTH) {
            if (m_options.trace) {
                std::fprintf(stderr, "dockscan-adb-sim: AUTH type %u\n", p.arg0);
            }
            if (p.arg0 == 2) { // SIGNATURE: good when made with a key allowed before
                if (m_options.auth != AuthMode::withhold && m_keys.verifies(m_token, p.data)) {
                    m_online = true;
                    return send_packet(A_CNXN, 0x01000001, k_device_max_data, banner());
                }
                return send_token();
            }
            if (p.arg0 == 3 && (m_options.auth == AuthMode::accept ||
                                (m_options.auth == AuthMode::accept_once && m_keys.empty()))) {
                // The person taps Allow with "Always allow from this computer".
                if (!m_keys.add(p.data)) {
                    return true; // a key adbd cannot parse is never offered for Allow
                }
                m_online = true;
                return send_packet(A_CNXN, 0x01000001, k_device_max_data, banner());
            }
            return true; // withheld: nobody taps Allow, so the phone says nothing
        }
        if (!m_online) {
            return true;
        }
        if (p.command == A_OPEN) {
            return open_stream(p.arg0, p.data.substr(0, p.data.find('\0')));
        }
        const auto found = m_streams.find(p.arg1);
        if (found == m_streams.end()) {
            return true;
        }
        if (p.command == A_OKAY) {
            found->second.waiting_okay = false;
            return flush(found->first);
        }
        if (p.command == A_CLSE) {
            m_streams.erase(found);
            return true;
        }
        if (p.command == A_WRTE) {
            if (!send_packet(A_OKAY, found->first, found->second.remote)) {
                return false;
            }
            if (found->second.kind == Kind::sync) {
                found->second.in += p.data;
                return sync_requests(found->first);
            }
            return true; // shell stdin: nothing we run reads it
        }
        return true;
    }

    bool open_stream(std::uint32_t remote, const std::string& service) {
        const std::uint32_t local = m_next_id++;
        if (m_options.trace) {
            std::fprintf(stderr, "dockscan-adb-sim: OPEN %s\n", service.c_str());
        }
        Stream s;
        s.remote = remote;
        std::string command;
        if (service == "sync:") {
            s.kind = Kind::sync;
        } else if (service.rfind("shell", 0) == 0 && service.find(':') != std::string::npos) {
            const std::string args = service.substr(5, service.find(':') - 5);
            s.kind = args.find("v2") != std::string::npos ? Kind::shell_v2 : Kind::shell;
            command = service.substr(service.find(':') + 1);
        } else if (service.rfind("exec:", 0) == 0) {
            s.kind = Kind::stream;
            command = service.substr(5);
        } else if (service.rfind("backup:", 0) == 0) {
            s.kind = Kind::stream;
            command = "bu backup";
        } else {
            return send_packet(A_CLSE, 0, remote); // adbd refuses unknown services so
        }
        m_streams[local] = std::move(s);
        if (!send_packet(A_OKAY, local, remote)) {
            return false;
        }
        if (m_streams[local].kind != Kind::sync) {
            run_command(local, command);
            m_streams[local].close_when_sent = true;
            return flush(local);
        }
        return true;
    }

    // Output of a command as the stream kind frames it.
    void emit(std::uint32_t local, int fd, const std::string& data, std::size_t content = 0) {
        Stream& s = m_streams[local];
        for (std::size_t pos = 0; pos < data.size(); pos += k_chunk) {
            std::string piece = data.substr(pos, k_chunk);
            OutChunk chunk{{}, content > 0 ? piece.size() : 0};
            if (s.kind == Kind::shell_v2) {
                chunk.data.push_back(static_cast<char>(fd));
                put32(chunk.data, static_cast<std::uint32_t>(piece.size()));
            }
            chunk.data += piece;
            s.out.push_back(std::move(chunk));
        }
    }

    void exit_code(std::uint32_t local, int code) {
        Stream& s = m_streams[local];
        if (s.kind == Kind::shell_v2) {
            OutChunk chunk;
            chunk.data.push_back(3);
            put32(chunk.data, 1);
            chunk.data.push_back(static_cast<char>(code));
            s.out.push_back(std::move(chunk));
        }
    }

    std::optional<fs::path> host_path(const std::string& device_path) const {
        std::string rest;
        if (device_path == "/sdcard" || device_path == "/sdcard/") {
            rest = "";
        } else if (device_path.rfind("/sdcard/", 0) == 0) {
            rest = device_path.substr(8);
        } else {
            return std::nullopt;
        }
        const fs::path relative(rest);
        for (const auto& part : relative) {
            if (part == "..") {
                return std::nullopt;
            }
        }
        return m_options.storage / relative;
    }

    void run_command(std::uint32_t local, const std::string& command) {
        std::istringstream words(command);
        std::string verb;
        words >> verb;
        if (verb == "ls") {
            std::string path;
            std::string word;
            while (words >> word) {
                if (word[0] != '-') {
                    path = word;
                }
            }
            const auto host = host_path(path);
            std::error_code ec;
            if (!host || !fs::is_directory(*host, ec)) {
                emit(local, 2, "ls: " + path + ": No such file or directory\n");
                exit_code(local, 1);
                return;
            }
            std::vector<std::string> names;
            for (const auto& entry : fs::directory_iterator(*host, ec)) {
                names.push_back(entry.path().filename().string());
            }
            std::sort(names.begin(), names.end());
            std::string out;
            for (const auto& name : names) {
                out += name + "\n";
            }
            emit(local, 1, out);
            exit_code(local, 0);
            return;
        }
        if (verb == "getprop") {
            std::string name;
            words >> name;
            std::string value;
            if (name == "ro.serialno") {
                value = m_options.serial;
            } else if (name == "ro.product.model") {
                value = m_options.model;
            } else if (name == "ro.build.version.release") {
                value = "13";
            }
            emit(local, 1, value + "\n");
            exit_code(local, 0);
            return;
        }
        if (verb == "bu") {
            std::string content;
            if (m_options.backup) {
                std::ifstream in(*m_options.backup, std::ios::binary);
                content.assign(std::istreambuf_iterator<char>(in), {});
            }
            emit(local, 1, content, content.size());
            exit_code(local, 0);
            return;
        }
        emit(local, 2, "/system/bin/sh: " + verb + ": inaccessible or not found\n");
        exit_code(local, 127);
    }

    // Sends queued output, one WRTE at a time, each after the host's OKAY.
    bool flush(std::uint32_t local) {
        auto found = m_streams.find(local);
        if (found == m_streams.end()) {
            return true;
        }
        Stream& s = found->second;
        if (s.waiting_okay) {
            return true;
        }
        if (s.out.empty()) {
            if (s.close_when_sent) {
                const std::uint32_t remote = s.remote;
                m_streams.erase(found);
                return send_packet(A_CLSE, local, remote);
            }
            return true;
        }
        OutChunk chunk = std::move(s.out.front());
        s.out.pop_front();
        if (m_options.drop_after_bytes && chunk.content > 0 &&
            m_content_sent + chunk.content > *m_options.drop_after_bytes) {
            // The phone goes away mid-transfer: part of this chunk, then nothing.
            const std::size_t header = chunk.data.size() - chunk.content;
            const std::size_t allowed =
                static_cast<std::size_t>(*m_options.drop_after_bytes - m_content_sent);
            (void)send_packet(A_WRTE, local, s.remote, chunk.data.substr(0, header + allowed));
            ::shutdown(m_fd, SHUT_RDWR);
            return false;
        }
        m_content_sent += chunk.content;
        s.waiting_okay = true;
        return send_packet(A_WRTE, local, s.remote, chunk.data);
    }

    void sync_status(Stream& s, const char* id, const std::string& message) {
        std::string out(id, 4);
        put32(out, static_cast<std::uint32_t>(message.size()));
        out += message;
        s.out.push_back({out, 0});
    }

    bool sync_requests(std::uint32_t local) {
        Stream& s = m_streams[local];
        while (s.in.size() >= 8) {
            const std::string id = s.in.substr(0, 4);
            const std::uint32_t length = get32(&s.in[4]);
            if (length > 1024) {
                sync_status(s, "FAIL", "path too long");
                s.close_when_sent = true;
                break;
            }
            if (s.in.size() < 8 + length) {
                break;
            }
            const std::string path = s.in.substr(8, length);
            s.in.erase(0, 8 + length);
            if (id == "QUIT") {
                s.close_when_sent = true;
                break;
            }
            if (m_options.trace) {
                std::fprintf(stderr, "dockscan-adb-sim: sync %s %s\n", id.c_str(), path.c_str());
            }
            sync_one(s, id, path);
        }
        return flush(local);
    }

    void sync_one(Stream& s, const std::string& id, const std::string& path) {
        const auto host = host_path(path);
        struct stat st {};
        const bool exists = host && ::lstat(host->c_str(), &st) == 0;
        if (id == "STAT") {
            std::string out = "STAT";
            put32(out, exists ? st.st_mode : 0);
            put32(out, exists ? static_cast<std::uint32_t>(st.st_size) : 0);
            put32(out, exists ? static_cast<std::uint32_t>(st.st_mtime) : 0);
            s.out.push_back({out, 0});
        } else if (id == "STA2" || id == "LST2") {
            if (exists && id == "STA2") {
                ::stat(host->c_str(), &st);
            }
            std::string out = id;
            put32(out, exists ? 0 : ENOENT);
            append_stat_v2(out, exists ? &st : nullptr);
            s.out.push_back({out, 0});
        } else if (id == "LIST" || id == "LIS2") {
            const bool v2 = id == "LIS2";
            std::error_code ec;
            std::vector<fs::path> entries;
            if (exists && S_ISDIR(st.st_mode)) {
                for (const auto& e : fs::directory_iterator(*host, ec)) {
                    entries.push_back(e.path());
                }
            }
            std::sort(entries.begin(), entries.end());
            for (const auto& e : entries) {
                struct stat es {};
                if (::lstat(e.c_str(), &es) != 0) {
                    continue;
                }
                const std::string name = e.filename().string();
                std::string out = v2 ? "DNT2" : "DENT";
                if (v2) {
                    put32(out, 0);
                    append_stat_v2(out, &es);
                } else {
                    put32(out, es.st_mode);
                    put32(out, static_cast<std::uint32_t>(es.st_size));
                    put32(out, static_cast<std::uint32_t>(es.st_mtime));
                }
                put32(out, static_cast<std::uint32_t>(name.size()));
                out += name;
                s.out.push_back({out, 0});
            }
            std::string done = "DONE";
            done.append(v2 ? 72 : 16, '\0');
            s.out.push_back({done, 0});
        } else if (id == "RECV") {
            std::ifstream in;
            if (exists && S_ISREG(st.st_mode)) {
                in.open(*host, std::ios::binary);
            }
            if (!in) {
                sync_status(s, "FAIL", "open failed: No such file or directory");
                return;
            }
            std::string buffer(k_chunk, '\0');
            while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
                   in.gcount() > 0) {
                const auto n = static_cast<std::size_t>(in.gcount());
                std::string out = "DATA";
                put32(out, static_cast<std::uint32_t>(n));
                out.append(buffer, 0, n);
                s.out.push_back({out, n});
            }
            std::string done = "DONE";
            put32(done, static_cast<std::uint32_t>(st.st_mtime));
            s.out.push_back({done, 0});
        } else {
            sync_status(s, "FAIL", "unsupported sync request: " + id.substr(0, 4));
        }
    }

    static void append_stat_v2(std::string& out, const struct stat* st) {
        put64(out, st ? st->st_dev : 0);
        put64(out, st ? st->st_ino : 0);
        put32(out, st ? st->st_mode : 0);
        put32(out, st ? static_cast<std::uint32_t>(st->st_nlink) : 0);
        put32(out, st ? st->st_uid : 0);
        put32(out, st ? st->st_gid : 0);
        put64(out, st ? static_cast<std::uint64_t>(st->st_size) : 0);
        put64(out, st ? static_cast<std::uint64_t>(st->st_atime) : 0);
        put64(out, st ? static_cast<std::uint64_t>(st->st_mtime) : 0);
        put64(out, st ? static_cast<std::uint64_t>(st->st_ctime) : 0);
    }

    int m_fd;
    const SimOptions& m_options;
    KnownKeys& m_keys;
    std::string m_token;
    bool m_online = false;
    std::uint32_t m_next_id = 1;
    std::uint64_t m_content_sent = 0;
    std::map<std::uint32_t, Stream> m_streams;
};

} // namespace

int serve(const SimOptions& options) {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(options.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 8) != 0) {
        std::fprintf(stderr, "dockscan-adb-sim: cannot listen: %s\n", std::strerror(errno));
        return 1;
    }
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    std::printf("%u\n", static_cast<unsigned>(ntohs(address.sin_port)));
    std::fflush(stdout);
    KnownKeys keys;
    while (true) {
        const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR) {
                continue;
            }
            return 1;
        }
        std::thread([fd, &options, &keys] { Connection(fd, options, keys).run(); }).detach();
    }
}

} // namespace dockscan::testing::adb_sim
