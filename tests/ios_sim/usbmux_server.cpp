#include "tests/ios_sim/usbmux_server.hpp"

#include "tests/ios_sim/afc_service.hpp"
#include "tests/ios_sim/backup_service.hpp"
#include "tests/ios_sim/channel.hpp"
#include "tests/ios_sim/lockdownd.hpp"
#include "tests/ios_sim/notification_proxy.hpp"
#include "tests/ios_sim/sim_state.hpp"
#include "tests/support/socket_io.hpp"

#include <array>
#include <cerrno>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

namespace dockscan::testing::ios_sim {
namespace {

constexpr std::uint32_t k_header_size = 16;
constexpr std::uint32_t k_message_plist = 8;
constexpr std::uint32_t k_max_message = 1024 * 1024;
constexpr std::uint16_t k_lockdownd_port = 62078;

// usbmuxd's result codes (Number in a Result message).
constexpr std::uint64_t k_result_ok = 0;
constexpr std::uint64_t k_result_bad_command = 1;
constexpr std::uint64_t k_result_bad_device = 2;
constexpr std::uint64_t k_result_connection_refused = 3;
constexpr std::uint64_t k_result_bad_version = 6;
// Pair record requests answer errno values, as usbmuxd does.
constexpr std::uint64_t k_result_no_entry = 2; // ENOENT
constexpr std::uint64_t k_result_invalid = 22; // EINVAL

void put32(std::string& out, std::uint32_t value) {
    for (unsigned i = 0; i < 4; ++i) {
        out.push_back(static_cast<char>((value >> (8u * i)) & 0xffu));
    }
}

std::uint32_t get32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8u |
           static_cast<std::uint32_t>(p[2]) << 16u | static_cast<std::uint32_t>(p[3]) << 24u;
}

} // namespace

Plist attached_message(const SimState& state) {
    Plist properties = new_dict();
    dict_set(properties, "ConnectionSpeed", new_uint(480000000));
    dict_set(properties, "ConnectionType", new_string("USB"));
    dict_set(properties, "DeviceID", new_uint(state.device_id()));
    dict_set(properties, "LocationID", new_uint(0x14100000));
    dict_set(properties, "ProductID", new_uint(0x12a8));
    dict_set(properties, "SerialNumber", new_string(state.usb_serial()));
    Plist message = new_dict();
    dict_set(message, "MessageType", new_string("Attached"));
    dict_set(message, "DeviceID", new_uint(state.device_id()));
    dict_set(message, "Properties", std::move(properties));
    return message;
}

namespace {

class UsbmuxClient {
public:
    UsbmuxClient(int fd, SimState& state) : m_fd(fd), m_state(state) {}
    UsbmuxClient(const UsbmuxClient&) = delete;
    UsbmuxClient& operator=(const UsbmuxClient&) = delete;
    ~UsbmuxClient() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }

    void run() {
        while (true) {
            std::uint32_t tag = 0;
            Plist request = receive(tag);
            if (!request) {
                return;
            }
            const std::string type = dict_string(request.get(), "MessageType").value_or("");
            m_state.trace("usbmuxd <- " + type);
            if (type == "ListDevices") {
                Plist list = new_array();
                if (m_state.attached()) {
                    array_append(list, attached_message(m_state));
                }
                Plist reply = new_dict();
                dict_set(reply, "DeviceList", std::move(list));
                if (!send(tag, reply)) {
                    return;
                }
            } else if (type == "Listen") {
                listen(tag);
                return;
            } else if (type == "Connect") {
                connect(tag, request);
                return;
            } else if (type == "ReadBUID") {
                Plist reply = new_dict();
                dict_set(reply, "BUID", new_string(m_state.system_buid()));
                if (!send(tag, reply)) {
                    return;
                }
            } else if (type == "ReadPairRecord") {
                const auto id = dict_string(request.get(), "PairRecordID").value_or("");
                const auto record = m_state.read_pair_record(id);
                if (!record) {
                    if (!send_result(tag, k_result_no_entry)) {
                        return;
                    }
                    continue;
                }
                Plist reply = new_dict();
                dict_set(reply, "PairRecordData", new_data(*record));
                if (!send(tag, reply)) {
                    return;
                }
            } else if (type == "SavePairRecord") {
                const auto id = dict_string(request.get(), "PairRecordID").value_or("");
                const auto data = dict_data(request.get(), "PairRecordData");
                const bool saved = data && m_state.save_pair_record(id, *data);
                // As usbmuxd does: a record saved for the attached phone is announced.
                if (saved && dict_uint(request.get(), "DeviceID") == m_state.device_id()) {
                    m_state.announce_paired();
                }
                if (!send_result(tag, saved ? k_result_ok : k_result_invalid)) {
                    return;
                }
            } else if (type == "DeletePairRecord") {
                const auto id = dict_string(request.get(), "PairRecordID").value_or("");
                const bool deleted = m_state.delete_pair_record(id);
                if (!send_result(tag, deleted ? k_result_ok : k_result_no_entry)) {
                    return;
                }
            } else if (type == "ListListeners") {
                Plist reply = new_dict();
                dict_set(reply, "ListenerList", new_array());
                if (!send(tag, reply)) {
                    return;
                }
            } else {
                if (!send_result(tag, k_result_bad_command)) {
                    return;
                }
            }
        }
    }

private:
    Plist receive(std::uint32_t& tag) {
        std::array<unsigned char, k_header_size> header{};
        if (!read_exact(header.data(), header.size())) {
            return nullptr;
        }
        const std::uint32_t length = get32(header.data());
        const std::uint32_t version = get32(header.data() + 4);
        const std::uint32_t message = get32(header.data() + 8);
        tag = get32(header.data() + 12);
        if (length < k_header_size || length - k_header_size > k_max_message) {
            return nullptr;
        }
        std::string body(length - k_header_size, '\0');
        if (!read_exact(body.data(), body.size())) {
            return nullptr;
        }
        // Only the plist protocol (version 1) is simulated; libusbmuxd 2.x speaks it
        // first and falls back to the binary one only after a BADVERSION answer.
        if (version != 1 || message != k_message_plist) {
            m_state.trace("usbmuxd <- binary message " + std::to_string(message) + ": refused");
            (void)send_result(tag, k_result_bad_version);
            return nullptr;
        }
        Plist request = parse_plist(body);
        if (!is_dict(request.get())) {
            return nullptr;
        }
        return request;
    }

    bool read_exact(void* out, std::size_t size) { return testing::recv_exact(m_fd, out, size); }

    bool send(std::uint32_t tag, const Plist& body) {
        const std::string frame = usbmux_frame(tag, body);
        return testing::send_all(m_fd, frame.data(), frame.size());
    }

    bool send_result(std::uint32_t tag, std::uint64_t number) {
        Plist reply = new_dict();
        dict_set(reply, "MessageType", new_string("Result"));
        dict_set(reply, "Number", new_uint(number));
        return send(tag, reply);
    }

    void listen(std::uint32_t tag) {
        auto listener = std::make_shared<Listener>();
        listener->fd = m_fd;
        {
            const std::lock_guard lock(listener->write_mutex);
            if (!send_result(tag, k_result_ok)) {
                return;
            }
            if (m_state.attached() && !send(0, attached_message(m_state))) {
                return;
            }
            m_state.add_listener(listener);
        }
        // A listener sends nothing more; it stays until it hangs up.
        std::array<char, 256> ignored{};
        while (true) {
            const ssize_t n = ::recv(m_fd, ignored.data(), ignored.size(), 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
        }
        const std::lock_guard lock(listener->write_mutex);
        listener->closed = true;
        ::close(m_fd);
        m_fd = -1;
    }

    void connect(std::uint32_t tag, const Plist& request) {
        const auto device = dict_uint(request.get(), "DeviceID").value_or(0);
        // PortNumber is the port in network byte order read as a host integer.
        const auto raw_port =
            static_cast<std::uint16_t>(dict_uint(request.get(), "PortNumber").value_or(0));
        const auto port = static_cast<std::uint16_t>((raw_port >> 8u) | ((raw_port & 0xffu) << 8u));
        m_state.trace("usbmuxd <- Connect device " + std::to_string(device) + " port " +
                      std::to_string(port));
        if (device != m_state.device_id() || !m_state.attached()) {
            (void)send_result(tag, k_result_bad_device);
            return;
        }
        std::optional<std::string> service;
        if (port != k_lockdownd_port) {
            service = m_state.service_on(port);
            if (!service) {
                (void)send_result(tag, k_result_connection_refused);
                return;
            }
        }
        if (!send_result(tag, k_result_ok)) {
            return;
        }
        Channel channel(m_fd);
        m_fd = -1;
        // Registered for the length of the connection, so that an unplug can cut it;
        // removed before `channel` closes the descriptor.
        struct Registration {
            SimState& state;
            int fd;
            Registration(SimState& s, int f) : state(s), fd(f) { state.add_connection(fd); }
            Registration(const Registration&) = delete;
            Registration& operator=(const Registration&) = delete;
            ~Registration() { state.remove_connection(fd); }
        } registration(m_state, channel.fd());
        if (!service) {
            serve_lockdownd(channel, m_state);
        } else if (*service == k_afc_service) {
            serve_afc(channel, m_state);
        } else if (*service == k_backup_service) {
            serve_backup(channel, m_state);
        } else if (*service == k_notification_proxy_service) {
            serve_notification_proxy(channel, m_state);
        }
    }

    int m_fd;
    SimState& m_state;
};

} // namespace

std::string usbmux_frame(std::uint32_t tag, const Plist& body) {
    const std::string xml = to_xml(body);
    std::string frame;
    put32(frame, static_cast<std::uint32_t>(k_header_size + xml.size()));
    put32(frame, 1);
    put32(frame, k_message_plist);
    put32(frame, tag);
    frame += xml;
    return frame;
}

void serve_usbmux_client(int fd, SimState& state) {
    UsbmuxClient client(fd, state);
    client.run();
}

} // namespace dockscan::testing::ios_sim
