#pragma once

// One connection to the simulated phone: a socket that lockdownd can switch to TLS and
// back, as the real lockdownd does on StartSession / StopSession.

#include "tests/ios_sim/plist_util.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace dockscan::testing::ios_sim {

class Channel {
public:
    explicit Channel(int fd); // takes the descriptor
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;
    ~Channel();

    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] bool read_exact(void* out, std::size_t size);
    [[nodiscard]] bool write_all(const void* data, std::size_t size);

    // Server side of TLS on this socket with the device certificate the host made and
    // the device's own key (both PEM); asks for the host's certificate and returns it
    // (PEM) in `peer_certificate`.
    [[nodiscard]] bool start_tls(const std::string& certificate_pem, const std::string& key_pem,
                                 std::string& peer_certificate);
    // Ends TLS after StopSession: libimobiledevice sends close_notify and goes on in
    // plain text without waiting for ours, so ours is never sent.
    void stop_tls();
    [[nodiscard]] bool tls_active() const { return m_ssl != nullptr; }

    // Cuts the connection (a cable pulled): both directions, at once.
    void cut();

private:
    int m_fd = -1;
    void* m_ctx = nullptr; // SSL_CTX*
    void* m_ssl = nullptr; // SSL*
};

enum class PlistFormat { xml, binary };

// The 4-byte big-endian length + plist framing of lockdownd and its services.
[[nodiscard]] bool send_plist(Channel& channel, const Plist& message, PlistFormat format);
// Null on a closed connection, a message over `max_size` or one that is not a plist.
[[nodiscard]] Plist receive_plist(Channel& channel, std::uint32_t max_size);

// True when both PEM texts hold the same X.509 certificate.
[[nodiscard]] bool same_certificate(const std::string& pem_a, const std::string& pem_b);

} // namespace dockscan::testing::ios_sim
