#include "docking/ios/keybag.hpp"

namespace dockscan::docking::ios {
namespace {

constexpr std::uint32_t k_wrap_passcode = 2;
constexpr std::size_t k_max_keybag_bytes = 64u << 10;

std::uint32_t big_endian32(std::string_view b) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[0])) << 24 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[1])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[2])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[3]));
}

std::uint32_t little_endian32(std::string_view b) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[3])) << 24 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[0]));
}

// A numeric record: 4 bytes, big-endian.
Expected<std::uint32_t> number(std::string_view tag, std::string_view value) {
    if (value.size() != 4) {
        return fail(ErrorCode::malformed,
                    "keybag record " + std::string(tag) + " is not a 32-bit number");
    }
    return big_endian32(value);
}

Expected<void> class_key_field(ClassKey& key, std::string_view tag, std::string_view value) {
    if (tag == "CLAS") {
        DOCKSCAN_TRY_ASSIGN(key.protection_class, number(tag, value));
    } else if (tag == "WRAP") {
        DOCKSCAN_TRY_ASSIGN(key.wrap, number(tag, value));
    } else if (tag == "KTYP") {
        DOCKSCAN_TRY_ASSIGN(key.key_type, number(tag, value));
    } else if (tag == "WPKY") {
        key.wrapped_key = std::string(value);
    }
    // Other records of a class (PBKY, a Curve25519 public key) are not needed.
    return {};
}

Expected<void> header_field(Keybag& bag, std::string_view tag, std::string_view value) {
    if (tag == "VERS") {
        DOCKSCAN_TRY_ASSIGN(bag.version, number(tag, value));
    } else if (tag == "TYPE") {
        DOCKSCAN_TRY_ASSIGN(bag.type, number(tag, value));
    } else if (tag == "WRAP") {
        DOCKSCAN_TRY_ASSIGN(bag.wrap, number(tag, value));
    } else if (tag == "ITER") {
        DOCKSCAN_TRY_ASSIGN(bag.iterations, number(tag, value));
    } else if (tag == "DPIC") {
        DOCKSCAN_TRY_ASSIGN(bag.dp_iterations, number(tag, value));
    } else if (tag == "SALT") {
        bag.salt = std::string(value);
    } else if (tag == "DPSL") {
        bag.dp_salt = std::string(value);
    }
    // HMCK (the keybag's HMAC key, wrapped) and DPWT are not needed to unlock.
    return {};
}

} // namespace

Expected<Keybag> parse_keybag(std::string_view blob) {
    if (blob.size() > k_max_keybag_bytes) {
        return fail(ErrorCode::too_large, "keybag of " + std::to_string(blob.size()) + " bytes");
    }
    Keybag bag;
    bool in_class = false;
    std::size_t pos = 0;
    while (pos < blob.size()) {
        if (blob.size() - pos < 8) {
            return fail(ErrorCode::malformed, "keybag ends inside a record header");
        }
        const std::string_view tag = blob.substr(pos, 4);
        const std::uint32_t length = big_endian32(blob.substr(pos + 4, 4));
        pos += 8;
        if (length > blob.size() - pos) {
            return fail(ErrorCode::malformed,
                        "keybag record " + std::string(tag) + " runs past the end of the keybag");
        }
        const std::string_view value = blob.substr(pos, length);
        pos += length;
        // The first UUID is the keybag's; every later one opens a class key.
        if (tag == "UUID") {
            if (bag.uuid.empty() && !in_class) {
                bag.uuid = std::string(value);
            } else {
                in_class = true;
                bag.class_keys.emplace_back();
            }
        } else if (in_class) {
            DOCKSCAN_TRY(class_key_field(bag.class_keys.back(), tag, value));
        } else {
            DOCKSCAN_TRY(header_field(bag, tag, value));
        }
    }
    if (bag.salt.empty() || bag.iterations == 0) {
        return fail(ErrorCode::malformed, "keybag has no SALT or ITER");
    }
    if (bag.class_keys.empty()) {
        return fail(ErrorCode::malformed, "keybag holds no class keys");
    }
    return bag;
}

Expected<ClassKeys> unlock_keybag(const Keybag& keybag, std::string_view password,
                                  const KeybagLimits& limits) {
    if (keybag.dp_iterations > limits.max_dp_iterations ||
        keybag.iterations > limits.max_iterations) {
        return fail(ErrorCode::unsupported, "keybag asks for more key derivation rounds than "
                                            "any iOS backup uses");
    }
    SecretBytes secret(std::string{password});
    // Since iOS 10.2 the password first goes through PBKDF2-SHA256 with DPSL and DPIC.
    if (keybag.dp_iterations > 0) {
        DOCKSCAN_TRY_ASSIGN(secret, pbkdf2(Digest::sha256, secret.view(), keybag.dp_salt,
                                           keybag.dp_iterations, 32));
    }
    DOCKSCAN_TRY_ASSIGN(const SecretBytes key,
                        pbkdf2(Digest::sha1, secret.view(), keybag.salt, keybag.iterations, 32));

    ClassKeys unlocked;
    for (const ClassKey& class_key : keybag.class_keys) {
        if ((class_key.wrap & k_wrap_passcode) == 0 || class_key.wrapped_key.empty()) {
            continue; // wrapped with a device key that a backup does not carry
        }
        DOCKSCAN_TRY_ASSIGN(auto unwrapped, aes_unwrap(key, class_key.wrapped_key));
        if (!unwrapped) {
            return fail(ErrorCode::wrong_password, "wrong backup password");
        }
        unlocked.keys.insert_or_assign(class_key.protection_class, std::move(*unwrapped));
    }
    if (unlocked.keys.empty()) {
        return fail(ErrorCode::unsupported, "keybag has no class key wrapped with the password");
    }
    return unlocked;
}

Expected<SecretBytes> ClassKeys::unwrap(std::string_view key_with_class) const {
    if (key_with_class.size() < 4 + 24) {
        return fail(ErrorCode::malformed, "wrapped key is too short");
    }
    const std::uint32_t protection_class = little_endian32(key_with_class.substr(0, 4));
    const auto it = keys.find(protection_class);
    if (it == keys.end()) {
        return fail(ErrorCode::unsupported,
                    "no key for protection class " + std::to_string(protection_class));
    }
    DOCKSCAN_TRY_ASSIGN(auto unwrapped, aes_unwrap(it->second, key_with_class.substr(4)));
    if (!unwrapped) {
        return fail(ErrorCode::malformed, "file key does not unwrap with its class key");
    }
    return std::move(*unwrapped);
}

} // namespace dockscan::docking::ios
