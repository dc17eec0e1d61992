#pragma once

// The simulated phone's own RSA key: its public half is the DevicePublicKey that
// lockdownd hands out before pairing, the host puts it into the device certificate,
// and the TLS session is served with it. Kept in the state folder (mode 0600).

#include <filesystem>
#include <optional>
#include <string>

namespace dockscan::testing::ios_sim {

class DeviceKey {
public:
    [[nodiscard]] static std::optional<DeviceKey> load_or_create(const std::filesystem::path& file);

    // PKCS#1 "RSA PUBLIC KEY" PEM, the form libimobiledevice reads.
    [[nodiscard]] const std::string& public_key_pem() const { return m_public_pem; }
    [[nodiscard]] const std::string& private_key_pem() const { return m_private_pem; }
    // True when the certificate (PEM) carries this key: a host that made the device
    // certificate from another key did not pair with this phone.
    [[nodiscard]] bool certifies(const std::string& certificate_pem) const;

private:
    DeviceKey() = default;
    std::string m_public_pem;
    std::string m_private_pem;
};

// Random bytes and an upper-case UUID as iOS writes them.
[[nodiscard]] std::string random_bytes(std::size_t size);
[[nodiscard]] std::string random_uuid();

} // namespace dockscan::testing::ios_sim
