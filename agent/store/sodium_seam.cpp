#include "agent/store/sodium_seam.hpp"

#include <cstdint>
#include <sodium.h>

namespace dockscan::agent::crypto {

static_assert(crypto_auth_hmacsha256_KEYBYTES == k_key_size);
static_assert(crypto_auth_hmacsha256_BYTES == k_mac_size);
static_assert(crypto_hash_sha256_BYTES == k_mac_size);

bool ready() {
    return sodium_init() >= 0;
}

void random_bytes(std::span<unsigned char> out) {
    randombytes_buf(out.data(), out.size());
}

void wipe(std::span<unsigned char> bytes) {
    sodium_memzero(bytes.data(), bytes.size());
}

Mac hmac_sha256(const Key& key, std::string_view data) {
    Mac mac{};
    crypto_auth_hmacsha256(mac.data(), reinterpret_cast<const unsigned char*>(data.data()),
                           data.size(), key.data());
    return mac;
}

namespace {

// Each field with its length as 8 bytes big-endian before it.
template <typename Update>
void length_prefixed(const std::vector<std::string_view>& fields, Update update) {
    for (const std::string_view field : fields) {
        std::array<unsigned char, 8> length{};
        auto n = static_cast<std::uint64_t>(field.size());
        for (std::size_t i = 0; i < length.size(); ++i) {
            length[length.size() - 1 - i] = static_cast<unsigned char>(n & 0xff);
            n >>= 8;
        }
        update(length.data(), length.size());
        update(reinterpret_cast<const unsigned char*>(field.data()), field.size());
    }
}

} // namespace

Mac sha256_of_fields(const std::vector<std::string_view>& fields) {
    crypto_hash_sha256_state state{};
    crypto_hash_sha256_init(&state);
    length_prefixed(fields, [&state](const unsigned char* data, std::size_t size) {
        crypto_hash_sha256_update(&state, data, size);
    });
    Mac digest{};
    crypto_hash_sha256_final(&state, digest.data());
    return digest;
}

Mac hmac_of_fields(std::span<const unsigned char, k_key_size> key,
                   const std::vector<std::string_view>& fields) {
    crypto_auth_hmacsha256_state state{};
    crypto_auth_hmacsha256_init(&state, key.data(), key.size());
    length_prefixed(fields, [&state](const unsigned char* data, std::size_t size) {
        crypto_auth_hmacsha256_update(&state, data, size);
    });
    Mac mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    sodium_memzero(&state, sizeof(state));
    return mac;
}

std::string to_hex(std::span<const unsigned char> bytes) {
    std::string hex(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    hex.pop_back();
    return hex;
}

std::string hash_password(std::string_view password) {
    std::string hash(crypto_pwhash_STRBYTES, '\0');
    // Interactive limits: a login costs about a tenth of a second and 64 MiB, which a
    // station can afford and which makes guessing offline expensive.
    if (crypto_pwhash_str(hash.data(), password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return {};
    }
    hash.resize(hash.find('\0'));
    return hash;
}

bool verify_password(const std::string& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

static_assert(crypto_box_PUBLICKEYBYTES == k_box_public_key_size);
static_assert(crypto_box_SECRETKEYBYTES == k_box_secret_key_size);

void box_keypair(BoxPublicKey& public_key, BoxSecretKey& secret_key) {
    crypto_box_keypair(public_key.data(), secret_key.data());
}

std::string seal(const BoxPublicKey& public_key, std::string_view plain) {
    std::string sealed(plain.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                    reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                    public_key.data());
    return sealed;
}

std::optional<std::string> open_sealed(const BoxPublicKey& public_key,
                                       const BoxSecretKey& secret_key, std::string_view sealed) {
    if (sealed.size() < crypto_box_SEALBYTES) {
        return std::nullopt;
    }
    std::string plain(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                             reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                             public_key.data(), secret_key.data()) != 0) {
        return std::nullopt;
    }
    return plain;
}

BoxPublicKey box_public_key(const BoxSecretKey& secret_key) {
    BoxPublicKey public_key{};
    crypto_scalarmult_base(public_key.data(), secret_key.data());
    return public_key;
}

} // namespace dockscan::agent::crypto
