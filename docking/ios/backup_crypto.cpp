#include "docking/ios/backup_crypto.hpp"

#include "base/owned.hpp"

#include <climits>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace dockscan::docking::ios {
namespace {

using CipherCtx = base::Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* bytes_of(std::string& s) {
    return reinterpret_cast<unsigned char*>(s.data());
}

Error crypto_error(std::string what) {
    return Error{ErrorCode::unreadable, "cryptography failed: " + std::move(what)};
}

} // namespace

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : m_bytes(std::move(other.m_bytes)) {
    other.wipe();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        wipe();
        m_bytes = std::move(other.m_bytes);
        other.wipe();
    }
    return *this;
}

SecretBytes::~SecretBytes() {
    wipe();
}

void SecretBytes::wipe() {
    if (!m_bytes.empty()) {
        OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
    }
    m_bytes.clear();
}

Expected<SecretBytes> pbkdf2(Digest digest, std::string_view secret, std::string_view salt,
                             std::uint32_t iterations, std::size_t length) {
    if (secret.size() > INT_MAX || salt.size() > INT_MAX || iterations == 0 ||
        iterations > INT_MAX || length > 1024) {
        return fail(ErrorCode::malformed, "key derivation parameters out of range");
    }
    std::string out(length, '\0');
    const EVP_MD* md = digest == Digest::sha1 ? EVP_sha1() : EVP_sha256();
    if (PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()), bytes_of(salt),
                          static_cast<int>(salt.size()), static_cast<int>(iterations), md,
                          static_cast<int>(length), bytes_of(out)) != 1) {
        OPENSSL_cleanse(out.data(), out.size());
        return tl::unexpected(crypto_error("PBKDF2"));
    }
    return SecretBytes(std::move(out));
}

Expected<std::optional<SecretBytes>> aes_unwrap(const SecretBytes& kek, std::string_view wrapped) {
    if (kek.size() != 32) {
        return fail(ErrorCode::malformed, "key-encryption key is not 256 bits");
    }
    // RFC 3394: at least two 64-bit blocks of key plus the integrity block.
    if (wrapped.size() < 24 || wrapped.size() % 8 != 0 || wrapped.size() > 1024) {
        return fail(ErrorCode::malformed,
                    "wrapped key of " + std::to_string(wrapped.size()) + " bytes");
    }
    const CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx) {
        return tl::unexpected(crypto_error("no cipher context"));
    }
    // OpenSSL refuses the wrap modes through EVP unless the caller opts in.
    EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_wrap(), nullptr, bytes_of(kek.view()), nullptr) !=
        1) {
        return tl::unexpected(crypto_error("AES key unwrap set-up"));
    }
    std::string out(wrapped.size(), '\0');
    int written = 0;
    if (EVP_DecryptUpdate(ctx.get(), bytes_of(out), &written, bytes_of(wrapped),
                          static_cast<int>(wrapped.size())) != 1 ||
        written <= 0) {
        OPENSSL_cleanse(out.data(), out.size());
        return std::optional<SecretBytes>();
    }
    int tail = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), bytes_of(out) + written, &tail) != 1) {
        OPENSSL_cleanse(out.data(), out.size());
        return std::optional<SecretBytes>();
    }
    out.resize(static_cast<std::size_t>(written + tail));
    return std::optional<SecretBytes>(SecretBytes(std::move(out)));
}

struct CbcDecryptor::Impl {
    CipherCtx ctx;
};

CbcDecryptor::CbcDecryptor(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CbcDecryptor::CbcDecryptor(CbcDecryptor&&) noexcept = default;
CbcDecryptor& CbcDecryptor::operator=(CbcDecryptor&&) noexcept = default;
CbcDecryptor::~CbcDecryptor() = default;

Expected<CbcDecryptor> CbcDecryptor::create(const SecretBytes& key) {
    if (key.size() != 32) {
        return fail(ErrorCode::malformed, "file key is not 256 bits");
    }
    auto impl = std::make_unique<Impl>();
    impl->ctx.reset(EVP_CIPHER_CTX_new());
    const unsigned char zero_iv[k_aes_block] = {};
    if (!impl->ctx ||
        EVP_DecryptInit_ex(impl->ctx.get(), EVP_aes_256_cbc(), nullptr, bytes_of(key.view()),
                           zero_iv) != 1 ||
        EVP_CIPHER_CTX_set_padding(impl->ctx.get(), 0) != 1) {
        return tl::unexpected(crypto_error("AES-CBC set-up"));
    }
    return CbcDecryptor(std::move(impl));
}

Expected<void> CbcDecryptor::update(std::string_view cipher, std::string& out) {
    if (cipher.size() % k_aes_block != 0 || cipher.size() > INT_MAX - k_aes_block) {
        return fail(ErrorCode::malformed, "encrypted data is not a whole number of AES blocks");
    }
    const std::size_t start = out.size();
    out.resize(start + cipher.size() + k_aes_block);
    int written = 0;
    if (EVP_DecryptUpdate(m_impl->ctx.get(), bytes_of(out) + start, &written, bytes_of(cipher),
                          static_cast<int>(cipher.size())) != 1) {
        out.resize(start);
        return tl::unexpected(crypto_error("AES-CBC"));
    }
    out.resize(start + static_cast<std::size_t>(written));
    return {};
}

std::optional<std::size_t> unpadded_length(std::string_view plain) {
    if (plain.empty() || plain.size() % k_aes_block != 0) {
        return std::nullopt;
    }
    const auto pad = static_cast<unsigned char>(plain.back());
    if (pad == 0 || pad > k_aes_block) {
        return std::nullopt;
    }
    for (std::size_t i = plain.size() - pad; i < plain.size(); ++i) {
        if (static_cast<unsigned char>(plain[i]) != pad) {
            return std::nullopt;
        }
    }
    return plain.size() - pad;
}

} // namespace dockscan::docking::ios
