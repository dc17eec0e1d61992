#include "tests/adb_sim/sim_keys.hpp"

#include <mutex>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

namespace dockscan::testing::adb_sim {

struct KnownKeys::Impl {
    mutable std::mutex mutex;
    std::vector<EVP_PKEY*> keys;
};

KnownKeys::KnownKeys() : m_impl(std::make_unique<Impl>()) {}

KnownKeys::~KnownKeys() {
    for (EVP_PKEY* key : m_impl->keys) {
        EVP_PKEY_free(key);
    }
}

bool KnownKeys::add(const std::string& android_public_key) {
    const std::string b64 =
        android_public_key.substr(0, android_public_key.find_first_of(" \0", 0, 2));
    std::string raw(b64.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                                  reinterpret_cast<const unsigned char*>(b64.data()),
                                  static_cast<int>(b64.size()));
    // len, n0inv, n[64], rr[64], exponent: 524 bytes (EVP_DecodeBlock keeps padding).
    if (n < 524) {
        return false;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
    if (bytes[0] != 64 || bytes[1] != 0 || bytes[2] != 0 || bytes[3] != 0) {
        return false;
    }
    BIGNUM* modulus = BN_lebin2bn(bytes + 8, 256, nullptr);
    BIGNUM* exponent = BN_lebin2bn(bytes + 520, 4, nullptr);
    OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, modulus);
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, exponent);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* key = nullptr;
    const bool ok = ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
                    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(build);
    BN_free(modulus);
    BN_free(exponent);
    if (!ok) {
        return false;
    }
    const std::lock_guard lock(m_impl->mutex);
    m_impl->keys.push_back(key);
    return true;
}

bool KnownKeys::empty() const {
    const std::lock_guard lock(m_impl->mutex);
    return m_impl->keys.empty();
}

bool KnownKeys::verifies(const std::string& token, const std::string& signature) const {
    const std::lock_guard lock(m_impl->mutex);
    for (EVP_PKEY* key : m_impl->keys) {
        EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
        const bool ok =
            ctx != nullptr && EVP_PKEY_verify_init(ctx) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
            EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha1()) == 1 &&
            EVP_PKEY_verify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(token.data()),
                            token.size()) == 1;
        EVP_PKEY_CTX_free(ctx);
        if (ok) {
            return true;
        }
    }
    return false;
}

} // namespace dockscan::testing::adb_sim
