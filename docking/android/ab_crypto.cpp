#include "docking/android/ab_crypto.hpp"

#include "base/owned.hpp"

#include <algorithm>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <vector>

namespace dockscan::docking::android {
namespace {

constexpr std::size_t k_derived_bytes = 32; // PBKDF2 key size of Android's backup code

// A byte buffer for secrets that wipes itself.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size) : m_bytes(size) {}
    explicit SecretBytes(std::string_view bytes) : m_bytes(bytes.begin(), bytes.end()) {}
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    // A moved-from vector is empty, so only the new owner holds (and wipes) the bytes.
    SecretBytes(SecretBytes&&) = default;
    SecretBytes& operator=(SecretBytes&&) = delete;
    ~SecretBytes() { OPENSSL_cleanse(m_bytes.data(), m_bytes.size()); }

    [[nodiscard]] unsigned char* data() { return m_bytes.data(); }
    [[nodiscard]] const unsigned char* data() const { return m_bytes.data(); }
    [[nodiscard]] std::size_t size() const { return m_bytes.size(); }
    [[nodiscard]] std::string_view view() const {
        return {reinterpret_cast<const char*>(m_bytes.data()), m_bytes.size()};
    }
    void resize(std::size_t size) { m_bytes.resize(size); }
    void push_back(unsigned char byte) { m_bytes.push_back(byte); }

private:
    std::vector<unsigned char> m_bytes;
};

using CipherCtx = base::Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

int int_size(std::size_t size) {
    return static_cast<int>(size);
}

Expected<void> pbkdf2_sha1(std::string_view secret, std::string_view salt, std::uint32_t rounds,
                           SecretBytes& out) {
    out.resize(k_derived_bytes);
    if (PKCS5_PBKDF2_HMAC_SHA1(secret.data(), int_size(secret.size()), bytes_of(salt),
                               int_size(salt.size()), static_cast<int>(rounds),
                               int_size(out.size()), out.data()) != 1) {
        return fail(ErrorCode::unsupported, "PBKDF2 failed in OpenSSL");
    }
    return {};
}

// Java's "PBKDF2WithHmacSHA1And8bit" (backup version 1) keeps the low 8 bits of each
// UTF-16 code unit of the password; decode our UTF-8 into those units.
SecretBytes password_8bit(std::string_view utf8) {
    SecretBytes out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b0 = static_cast<unsigned char>(utf8[i]);
        std::size_t len = 1;
        std::uint32_t cp = b0;
        if (b0 >= 0xf0) {
            len = 4;
            cp = b0 & 0x07u;
        } else if (b0 >= 0xe0) {
            len = 3;
            cp = b0 & 0x0fu;
        } else if (b0 >= 0xc0) {
            len = 2;
            cp = b0 & 0x1fu;
        }
        if (i + len > utf8.size()) {
            // A cut-off sequence: take the byte as it is rather than fail.
            len = 1;
            cp = b0;
        }
        for (std::size_t k = 1; k < len; ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3fu);
        }
        if (cp >= 0x10000) {
            const std::uint32_t v = cp - 0x10000;
            out.push_back(static_cast<unsigned char>((0xd800u + (v >> 10)) & 0xffu));
            out.push_back(static_cast<unsigned char>((0xdc00u + (v & 0x3ffu)) & 0xffu));
        } else {
            out.push_back(static_cast<unsigned char>(cp & 0xffu));
        }
        i += len;
    }
    return out;
}

// Decrypts the whole blob (it is about a hundred bytes); false on bad padding.
bool decrypt_blob(std::string_view blob, const SecretBytes& key, std::string_view iv,
                  SecretBytes& plain) {
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), bytes_of(iv)) != 1) {
        return false;
    }
    plain.resize(blob.size() + 16);
    int n = 0;
    int tail = 0;
    if (EVP_DecryptUpdate(ctx.get(), plain.data(), &n, bytes_of(blob), int_size(blob.size())) !=
            1 ||
        EVP_DecryptFinal_ex(ctx.get(), plain.data() + n, &tail) != 1) {
        return false;
    }
    plain.resize(static_cast<std::size_t>(n + tail));
    return true;
}

class DecryptStream final : public ByteStream {
public:
    DecryptStream(ByteStream& inner, CipherCtx ctx) : m_inner(inner), m_ctx(std::move(ctx)) {}

    Expected<std::size_t> read(std::span<char> buffer) override {
        while (m_out_pos == m_out.size()) {
            if (m_finished) {
                return 0;
            }
            DOCKSCAN_TRY(refill());
        }
        const std::size_t n = std::min(buffer.size(), m_out.size() - m_out_pos);
        std::copy_n(m_out.data() + m_out_pos, n, buffer.data());
        m_out_pos += n;
        return n;
    }

private:
    static constexpr std::size_t k_chunk = 64 * 1024;

    Expected<void> refill() {
        m_in.resize(k_chunk);
        DOCKSCAN_TRY_ASSIGN(const std::size_t got, m_inner.read(m_in));
        m_out.resize(k_chunk + 32);
        m_out_pos = 0;
        int n = 0;
        if (got == 0) {
            m_finished = true;
            if (EVP_DecryptFinal_ex(m_ctx.get(), reinterpret_cast<unsigned char*>(m_out.data()),
                                    &n) != 1) {
                m_out.clear();
                return fail(ErrorCode::malformed, "encrypted backup data is truncated or damaged "
                                                  "(the last block does not decrypt)");
            }
        } else if (EVP_DecryptUpdate(m_ctx.get(), reinterpret_cast<unsigned char*>(m_out.data()),
                                     &n, reinterpret_cast<const unsigned char*>(m_in.data()),
                                     int_size(got)) != 1) {
            m_out.clear();
            return fail(ErrorCode::malformed, "encrypted backup data does not decrypt");
        }
        m_out.resize(static_cast<std::size_t>(n));
        return {};
    }

    ByteStream& m_inner;
    CipherCtx m_ctx;
    std::vector<char> m_in;
    std::vector<char> m_out;
    std::size_t m_out_pos = 0;
    bool m_finished = false;
};

// Fails every read: the stream could not be set up.
class FailedStream final : public ByteStream {
public:
    explicit FailedStream(std::string reason) : m_reason(std::move(reason)) {}
    Expected<std::size_t> read(std::span<char>) override {
        return fail(ErrorCode::unsupported, m_reason);
    }

private:
    std::string m_reason;
};

} // namespace

MasterKey::MasterKey(const std::array<unsigned char, k_key_bytes>& key,
                     const std::array<unsigned char, k_iv_bytes>& iv)
    : m_key(key), m_iv(iv) {}

MasterKey::MasterKey(const MasterKey& other) = default;
MasterKey& MasterKey::operator=(const MasterKey& other) = default;

MasterKey::~MasterKey() {
    OPENSSL_cleanse(m_key.data(), m_key.size());
    OPENSSL_cleanse(m_iv.data(), m_iv.size());
}

std::string java_char_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 3);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x80) {
            out += c;
            continue;
        }
        // (char) of a negative Java byte is 0xff80..0xffff: three UTF-8 bytes.
        const std::uint32_t ch = 0xff00u | b;
        out += static_cast<char>(0xe0u | (ch >> 12));
        out += static_cast<char>(0x80u | ((ch >> 6) & 0x3fu));
        out += static_cast<char>(0x80u | (ch & 0x3fu));
    }
    return out;
}

Expected<MasterKey> unlock_master_key(const AbHeader& header, std::string_view password,
                                      std::uint32_t max_rounds) {
    if (header.rounds > max_rounds) {
        return fail(ErrorCode::too_large,
                    "backup header asks for " + std::to_string(header.rounds) +
                        " PBKDF2 rounds, more than the limit of " + std::to_string(max_rounds));
    }
    const bool legacy = header.version == 1;
    SecretBytes user_key;
    if (legacy) {
        const SecretBytes pw = password_8bit(password);
        DOCKSCAN_TRY(pbkdf2_sha1(pw.view(), header.user_salt, header.rounds, user_key));
    } else {
        DOCKSCAN_TRY(pbkdf2_sha1(password, header.user_salt, header.rounds, user_key));
    }

    const auto wrong = [] { return fail(ErrorCode::wrong_password, "wrong backup password"); };
    SecretBytes plain;
    if (!decrypt_blob(header.master_key_blob, user_key, header.user_iv, plain)) {
        return wrong();
    }
    // [length][IV][length][key][length][checksum], each length one byte.
    std::size_t pos = 0;
    const auto take = [&](std::size_t expected, std::string_view& out) {
        if (pos >= plain.size() || static_cast<std::size_t>(plain.data()[pos]) != expected ||
            plain.size() - pos - 1 < expected) {
            return false;
        }
        out = plain.view().substr(pos + 1, expected);
        pos += 1 + expected;
        return true;
    };
    std::string_view iv;
    std::string_view key;
    std::string_view checksum;
    if (!take(MasterKey::k_iv_bytes, iv) || !take(MasterKey::k_key_bytes, key) ||
        !take(k_derived_bytes, checksum)) {
        return wrong();
    }

    SecretBytes computed;
    if (legacy) {
        DOCKSCAN_TRY(pbkdf2_sha1(key, header.checksum_salt, header.rounds, computed));
    } else {
        const SecretBytes java_key(java_char_utf8(key));
        DOCKSCAN_TRY(pbkdf2_sha1(java_key.view(), header.checksum_salt, header.rounds, computed));
    }
    if (CRYPTO_memcmp(computed.data(), checksum.data(), k_derived_bytes) != 0) {
        return wrong();
    }

    std::array<unsigned char, MasterKey::k_key_bytes> key_bytes{};
    std::array<unsigned char, MasterKey::k_iv_bytes> iv_bytes{};
    std::copy_n(bytes_of(key), key_bytes.size(), key_bytes.begin());
    std::copy_n(bytes_of(iv), iv_bytes.size(), iv_bytes.begin());
    MasterKey result(key_bytes, iv_bytes);
    OPENSSL_cleanse(key_bytes.data(), key_bytes.size());
    OPENSSL_cleanse(iv_bytes.data(), iv_bytes.size());
    return result;
}

std::unique_ptr<ByteStream> make_decrypt_stream(ByteStream& inner, const MasterKey& key) {
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.key(), key.iv()) != 1) {
        return std::make_unique<FailedStream>("AES-256-CBC is not available in OpenSSL");
    }
    return std::make_unique<DecryptStream>(inner, std::move(ctx));
}

std::string short_digest(std::string_view data, std::size_t hex_digits) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(bytes_of(data), data.size(), digest.data());
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : digest) {
        out += k_hex[b >> 4];
        out += k_hex[b & 0x0f];
    }
    out.resize(std::min(hex_digits, out.size()));
    return out;
}

} // namespace dockscan::docking::android
