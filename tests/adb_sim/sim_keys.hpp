#pragma once

// The keys a simulated phone remembers once "Allow USB debugging" was tapped, and the
// check adbd makes of an AUTH SIGNATURE against them. OpenSSL is included here only.

#include <memory>
#include <string>
#include <vector>

namespace dockscan::testing::adb_sim {

class KnownKeys {
public:
    KnownKeys();
    KnownKeys(const KnownKeys&) = delete;
    KnownKeys& operator=(const KnownKeys&) = delete;
    ~KnownKeys();

    // Adds a key as AUTH RSAPUBLICKEY carries it (base64 of mincrypt's RSAPublicKey,
    // then " user@host"); false when it does not parse.
    bool add(const std::string& android_public_key);

    [[nodiscard]] bool empty() const;

    // Whether `signature` is one of the known keys' PKCS#1 v1.5 SHA-1 signature of
    // `token` (adbd: RSA_verify(NID_sha1, token, 20, ...)).
    [[nodiscard]] bool verifies(const std::string& token, const std::string& signature) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::testing::adb_sim
