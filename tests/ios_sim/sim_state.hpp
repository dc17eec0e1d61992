#pragma once

// Everything the simulated phone and its usbmuxd share between connections: the host's
// pair records (usbmuxd keeps them), the hosts the phone trusts (lockdownd keeps them),
// the Trust-dialog answers, started services, and whether the cable is still in.

#include "tests/ios_sim/device_key.hpp"
#include "tests/ios_sim/sim_options.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dockscan::testing::ios_sim {

// A host the phone has paired with (lockdownd's side of the pair record).
struct TrustedHost {
    std::string host_id;
    std::string system_buid;
    std::string host_certificate;   // PEM
    std::string root_certificate;   // PEM
    std::string device_certificate; // PEM, made by the host from DevicePublicKey
};

enum class PairAnswer { accept, pending, refuse };

// A usbmuxd client that sent Listen: it gets Attached / Detached events.
struct Listener {
    int fd = -1;
    std::mutex write_mutex;
    bool closed = false;
};

class SimState {
public:
    SimState(SimOptions options, DeviceKey key);

    [[nodiscard]] const SimOptions& options() const { return m_options; }
    [[nodiscard]] const DeviceKey& key() const { return m_key; }
    // The USB serial usbmuxd reports: newer UDIDs without their dash, as on a real dock.
    [[nodiscard]] std::string usb_serial() const;
    [[nodiscard]] std::uint32_t device_id() const { return 1; }

    // usbmuxd's store (the host side; libimobiledevice keeps pair records here).
    [[nodiscard]] const std::string& system_buid() const { return m_buid; }
    [[nodiscard]] std::optional<std::string> read_pair_record(const std::string& record_id);
    [[nodiscard]] bool save_pair_record(const std::string& record_id, const std::string& data);
    [[nodiscard]] bool delete_pair_record(const std::string& record_id);

    // lockdownd's store (the device side).
    [[nodiscard]] bool trust(const TrustedHost& host);
    [[nodiscard]] std::optional<TrustedHost> trusted_host(const std::string& host_id);
    void forget(const std::string& host_id);
    // The user's next answer to the Trust dialog (counts pending answers).
    [[nodiscard]] PairAnswer next_pair_answer();
    [[nodiscard]] const std::string& escrow_bag() const { return m_escrow_bag; }

    // Services that lockdownd started, by the port it handed out.
    [[nodiscard]] std::uint16_t open_service(const std::string& name);
    [[nodiscard]] std::optional<std::string> service_on(std::uint16_t port);

    // The cable.
    [[nodiscard]] bool attached() const { return m_attached.load(); }
    void add_listener(const std::shared_ptr<Listener>& listener);
    // Unplugs the phone: Detached to every listener, new connections refused; with
    // --reattach-after-ms it is plugged in again (Attached) that much later.
    void detach();
    // Device connections (lockdownd, services) that an unplug cuts.
    void add_connection(int fd);
    void remove_connection(int fd);
    // usbmuxd's "Paired" event, after a host saved the pair record for this phone.
    void announce_paired();
    // Counts file content sent to the host; false once --drop-after-bytes is passed
    // (the caller then cuts its connection and detaches). Drops once per run.
    [[nodiscard]] bool count_content_bytes(std::uint64_t size);

    // --trace: one line (or plist) per message, on stderr.
    void trace(const std::string& text);

private:
    [[nodiscard]] static bool safe_name(const std::string& name);
    void notify_listeners(const std::string& frame);

    SimOptions m_options;
    DeviceKey m_key;
    std::filesystem::path m_usbmuxd_dir;
    std::filesystem::path m_lockdown_dir;
    std::string m_buid;
    std::string m_escrow_bag;
    std::mutex m_mutex;
    int m_pending_given = 0;
    std::uint16_t m_next_port = 49152;
    std::map<std::uint16_t, std::string> m_services;
    std::vector<std::shared_ptr<Listener>> m_listeners;
    std::set<int> m_connections;
    std::atomic<bool> m_attached{true};
    std::atomic<std::uint64_t> m_content_bytes{0};
    std::atomic<bool> m_dropped{false};
    std::mutex m_trace_mutex;
};

} // namespace dockscan::testing::ios_sim
