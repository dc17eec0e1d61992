#include "tests/ios_sim/sim_state.hpp"

#include "tests/ios_sim/plist_util.hpp"
#include "tests/ios_sim/usbmux_server.hpp"

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace dockscan::testing::ios_sim {
namespace {

namespace fs = std::filesystem;

// Pair records and keys are secrets on a real station: files are 0600.
bool write_private(const fs::path& file, const std::string& data) {
    const fs::path temp = file.string() + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return false;
    }
    const bool written = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    ::close(fd);
    std::error_code error;
    fs::rename(temp, file, error);
    return written && !error;
}

std::optional<std::string> read_file(const fs::path& file, std::uintmax_t max_size) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(file, error);
    if (error || size > max_size) {
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A value kept in the state folder across runs, made on first use.
std::string persistent(const fs::path& file, const std::string& fresh) {
    if (auto existing = read_file(file, 4096); existing && !existing->empty()) {
        return *existing;
    }
    (void)write_private(file, fresh);
    return fresh;
}

constexpr std::uintmax_t k_max_record = 256 * 1024;

} // namespace

SimState::SimState(SimOptions options, DeviceKey key)
    : m_options(std::move(options)), m_key(std::move(key)) {
    const fs::path state = m_options.state_dir;
    m_usbmuxd_dir = state / "usbmuxd";
    m_lockdown_dir = state / "lockdown";
    fs::create_directories(m_usbmuxd_dir);
    fs::create_directories(m_lockdown_dir);
    m_buid = persistent(state / "SystemBUID", random_uuid());
    m_escrow_bag = persistent(state / "EscrowBag", random_bytes(48));
}

std::string SimState::usb_serial() const {
    std::string serial = m_options.udid;
    if (serial.size() == 25 && serial[8] == '-') {
        serial.erase(8, 1);
    }
    return serial;
}

bool SimState::safe_name(const std::string& name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    for (const char c : name) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                        (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> SimState::read_pair_record(const std::string& record_id) {
    if (!safe_name(record_id)) {
        return std::nullopt;
    }
    const std::lock_guard lock(m_mutex);
    return read_file(m_usbmuxd_dir / (record_id + ".plist"), k_max_record);
}

bool SimState::save_pair_record(const std::string& record_id, const std::string& data) {
    if (!safe_name(record_id) || data.empty() || data.size() > k_max_record) {
        return false;
    }
    const std::lock_guard lock(m_mutex);
    return write_private(m_usbmuxd_dir / (record_id + ".plist"), data);
}

bool SimState::delete_pair_record(const std::string& record_id) {
    if (!safe_name(record_id)) {
        return false;
    }
    const std::lock_guard lock(m_mutex);
    std::error_code error;
    return fs::remove(m_usbmuxd_dir / (record_id + ".plist"), error);
}

bool SimState::trust(const TrustedHost& host) {
    if (!safe_name(host.host_id)) {
        return false;
    }
    Plist record = new_dict();
    dict_set(record, "HostID", new_string(host.host_id));
    dict_set(record, "SystemBUID", new_string(host.system_buid));
    dict_set(record, "HostCertificate", new_data(host.host_certificate));
    dict_set(record, "RootCertificate", new_data(host.root_certificate));
    dict_set(record, "DeviceCertificate", new_data(host.device_certificate));
    const std::lock_guard lock(m_mutex);
    return write_private(m_lockdown_dir / (host.host_id + ".plist"), to_xml(record));
}

std::optional<TrustedHost> SimState::trusted_host(const std::string& host_id) {
    if (!safe_name(host_id)) {
        return std::nullopt;
    }
    std::optional<std::string> text;
    {
        const std::lock_guard lock(m_mutex);
        text = read_file(m_lockdown_dir / (host_id + ".plist"), k_max_record);
    }
    if (!text) {
        return std::nullopt;
    }
    const Plist record = parse_plist(*text);
    TrustedHost host;
    host.host_id = host_id;
    host.system_buid = dict_string(record.get(), "SystemBUID").value_or("");
    host.host_certificate = dict_data(record.get(), "HostCertificate").value_or("");
    host.root_certificate = dict_data(record.get(), "RootCertificate").value_or("");
    host.device_certificate = dict_data(record.get(), "DeviceCertificate").value_or("");
    if (host.device_certificate.empty()) {
        return std::nullopt;
    }
    return host;
}

void SimState::forget(const std::string& host_id) {
    if (!safe_name(host_id)) {
        return;
    }
    const std::lock_guard lock(m_mutex);
    std::error_code error;
    fs::remove(m_lockdown_dir / (host_id + ".plist"), error);
}

PairAnswer SimState::next_pair_answer() {
    switch (m_options.trust) {
    case TrustMode::refuse:
        return PairAnswer::refuse;
    case TrustMode::pending_then_accept: {
        const std::lock_guard lock(m_mutex);
        if (m_pending_given < m_options.pending_answers) {
            ++m_pending_given;
            return PairAnswer::pending;
        }
        return PairAnswer::accept;
    }
    case TrustMode::accept:
        break;
    }
    return PairAnswer::accept;
}

std::uint16_t SimState::open_service(const std::string& name) {
    const std::lock_guard lock(m_mutex);
    const std::uint16_t port = m_next_port;
    m_next_port = m_next_port == 65000 ? 49152 : static_cast<std::uint16_t>(m_next_port + 1);
    m_services[port] = name;
    return port;
}

std::optional<std::string> SimState::service_on(std::uint16_t port) {
    const std::lock_guard lock(m_mutex);
    const auto it = m_services.find(port);
    if (it == m_services.end()) {
        return std::nullopt;
    }
    return it->second;
}

void SimState::add_listener(const std::shared_ptr<Listener>& listener) {
    const std::lock_guard lock(m_mutex);
    m_listeners.push_back(listener);
}

void SimState::notify_listeners(const std::string& frame) {
    std::vector<std::shared_ptr<Listener>> listeners;
    {
        const std::lock_guard lock(m_mutex);
        std::erase_if(m_listeners, [](const std::shared_ptr<Listener>& l) {
            const std::lock_guard write_lock(l->write_mutex);
            return l->closed;
        });
        listeners = m_listeners;
    }
    for (const auto& listener : listeners) {
        const std::lock_guard lock(listener->write_mutex);
        if (!listener->closed) {
            (void)::send(listener->fd, frame.data(), frame.size(), MSG_NOSIGNAL);
        }
    }
}

void SimState::detach() {
    if (!m_attached.exchange(false)) {
        return;
    }
    trace("cable pulled: Detached");
    Plist message = new_dict();
    dict_set(message, "MessageType", new_string("Detached"));
    dict_set(message, "DeviceID", new_uint(device_id()));
    notify_listeners(usbmux_frame(0, message));
    {
        // Every connection to the phone ends with the cable.
        const std::lock_guard lock(m_mutex);
        for (const int fd : m_connections) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    if (m_options.reattach_after_ms) {
        const int delay = *m_options.reattach_after_ms;
        std::thread([this, delay] {
            std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            m_attached = true;
            trace("cable plugged in again: Attached");
            notify_listeners(usbmux_frame(0, attached_message(*this)));
        }).detach();
    }
}

void SimState::add_connection(int fd) {
    const std::lock_guard lock(m_mutex);
    m_connections.insert(fd);
}

void SimState::remove_connection(int fd) {
    const std::lock_guard lock(m_mutex);
    m_connections.erase(fd);
}

void SimState::announce_paired() {
    Plist message = new_dict();
    dict_set(message, "MessageType", new_string("Paired"));
    dict_set(message, "DeviceID", new_uint(device_id()));
    notify_listeners(usbmux_frame(0, message));
}

bool SimState::count_content_bytes(std::uint64_t size) {
    const std::uint64_t total = m_content_bytes.fetch_add(size) + size;
    if (!m_options.drop_after_bytes || total <= *m_options.drop_after_bytes) {
        return true;
    }
    return m_dropped.exchange(true);
}

void SimState::trace(const std::string& text) {
    if (!m_options.trace) {
        return;
    }
    const std::lock_guard lock(m_trace_mutex);
    std::fprintf(stderr, "ios-sim: %s\n", text.c_str());
}

} // namespace dockscan::testing::ios_sim
