#pragma once

// One ADB connection to a phone: the CNXN/AUTH handshake and the streams (OPEN, OKAY,
// WRTE, CLSE) multiplexed over it. Single-threaded: whoever reads a stream pumps the
// connection; data for other streams is queued for them.

#include "docking/adb/adb_message.hpp"
#include "docking/adb/byte_transport.hpp"
#include "docking/adb/station_key.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace dockscan::docking::adb {

struct ConnectOptions {
    // How long the phone may take to show and answer "Allow USB debugging?" after it
    // got our public key.
    std::chrono::milliseconds allow_timeout = std::chrono::seconds(30);
    // Queued, unread stream data for one stream; more means a broken or hostile phone.
    std::size_t max_queued_bytes = 16u << 20;
    // Called when the phone got our public key and asks the person holding it to
    // allow USB debugging (the daemon shows it on the slot); may be empty.
    std::function<void()> on_waiting_for_allow;
};

// The reason given when the phone never accepts the station's key.
inline constexpr const char* k_not_allowed_reason =
    "USB-felsökning är inte tillåten på telefonen (tryck Tillåt) / "
    "USB debugging not allowed on the phone (tap Allow)";

class AdbConnection;

// One open service on the phone ("sync:", "exec:..."). Closed when destroyed.
class AdbStream {
public:
    AdbStream(AdbConnection& connection, std::uint32_t local_id)
        : m_connection(&connection), m_local_id(local_id) {}
    AdbStream(AdbStream&& other) noexcept
        : m_connection(other.m_connection), m_local_id(other.m_local_id) {
        other.m_connection = nullptr;
    }
    AdbStream& operator=(AdbStream&&) = delete;
    AdbStream(const AdbStream&) = delete;
    AdbStream& operator=(const AdbStream&) = delete;
    ~AdbStream();

    // Sends `data`, in WRTE messages of at most the agreed size, each after the phone
    // said OKAY to the one before.
    [[nodiscard]] Expected<void> write(std::string_view data);
    // Reads exactly `size` bytes; `interrupted` when the phone closed the stream first.
    [[nodiscard]] Expected<std::string> read_exact(std::size_t size);
    // Reads what arrives next (empty when the phone closed the stream).
    [[nodiscard]] Expected<std::string> read_some();

private:
    AdbConnection* m_connection;
    std::uint32_t m_local_id;
};

class AdbConnection {
public:
    // Connects over `transport`: CNXN, then AUTH with `key` when the phone asks.
    [[nodiscard]] static Expected<std::unique_ptr<AdbConnection>>
    connect(std::unique_ptr<ByteTransport> transport, const StationKey& key,
            ConnectOptions options = {});

    // "device::ro.product.name=...;ro.product.model=...;features=..."
    [[nodiscard]] const std::string& banner() const { return m_banner; }
    // A property from the banner ("ro.product.model"), empty when absent.
    [[nodiscard]] std::string banner_property(std::string_view name) const;

    // Opens `service` on the phone; `unsupported` when the phone refuses it.
    [[nodiscard]] Expected<AdbStream> open(const std::string& service);

    // Runs `command` with exec: and returns its output, at most `limit` bytes.
    [[nodiscard]] Expected<std::string> run(const std::string& command, std::size_t limit);

    // The reason the connection broke, or empty while it works.
    [[nodiscard]] const std::string& broken_reason() const { return m_broken; }

private:
    friend class AdbStream;
    struct Stream {
        std::uint32_t remote_id = 0;
        std::deque<std::string> inbound;
        std::size_t queued = 0;
        bool remote_closed = false;
        bool write_acknowledged = true;
        std::string partial; // the unread rest of the chunk read_exact took last
    };

    AdbConnection(std::unique_ptr<ByteTransport> transport, ConnectOptions options)
        : m_transport(std::move(transport)), m_options(options) {}

    [[nodiscard]] Expected<void> handshake(const StationKey& key);
    [[nodiscard]] Expected<void> send(std::uint32_t command, std::uint32_t arg0, std::uint32_t arg1,
                                      std::string data = {});
    // Reads one message and files it with its stream.
    [[nodiscard]] Expected<void> pump();
    [[nodiscard]] Expected<void> fail_connection(Error error);
    void close_stream(std::uint32_t local_id);

    std::unique_ptr<ByteTransport> m_transport;
    ConnectOptions m_options;
    std::string m_banner;
    std::uint32_t m_max_data = k_max_data;
    std::uint32_t m_next_id = 1;
    std::map<std::uint32_t, Stream> m_streams;
    std::string m_broken;
};

} // namespace dockscan::docking::adb
