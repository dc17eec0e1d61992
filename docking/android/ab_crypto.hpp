#pragma once

// The cryptography of encrypted `adb backup` archives: unlocking the master key with
// the user's password, and decrypting the payload as a stream. This is the only
// place that uses OpenSSL in this module.

#include "docking/android/ab_header.hpp"
#include "docking/android/byte_stream.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dockscan::docking::android {

// The AES-256 key and IV that encrypt the payload. Wipes itself and never prints.
class MasterKey {
public:
    static constexpr std::size_t k_key_bytes = 32;
    static constexpr std::size_t k_iv_bytes = 16;

    MasterKey(const std::array<unsigned char, k_key_bytes>& key,
              const std::array<unsigned char, k_iv_bytes>& iv);
    MasterKey(const MasterKey& other);
    MasterKey& operator=(const MasterKey& other);
    ~MasterKey();

    [[nodiscard]] const unsigned char* key() const { return m_key.data(); }
    [[nodiscard]] const unsigned char* iv() const { return m_iv.data(); }

private:
    std::array<unsigned char, k_key_bytes> m_key{};
    std::array<unsigned char, k_iv_bytes> m_iv{};
};

// Derives the user key from `password` (UTF-8), decrypts the master key blob and
// verifies its checksum the way Android does for `header.version`: version 1 feeds the
// raw master key bytes to PBKDF2, later versions their Java char-wise UTF-8 form.
// A password that does not fit is `wrong_password`; more than `max_rounds` PBKDF2
// rounds is `too_large` (a hostile header must not keep the station busy for hours).
[[nodiscard]] Expected<MasterKey>
unlock_master_key(const AbHeader& header, std::string_view password, std::uint32_t max_rounds);

// The bytes Java's PBKDF2 sees for a master key: each byte taken as a signed Java char
// and UTF-8 encoded (0x80..0xff become three bytes). Exposed for tests.
[[nodiscard]] std::string java_char_utf8(std::string_view bytes);

// Decrypts AES-256-CBC with PKCS#7 padding from `inner` as it is read.
[[nodiscard]] std::unique_ptr<ByteStream> make_decrypt_stream(ByteStream& inner,
                                                              const MasterKey& key);

// The first `hex_digits` hex digits of SHA-256 over `data`: a short stable name for
// content that must not appear in clear.
[[nodiscard]] std::string short_digest(std::string_view data, std::size_t hex_digits = 12);

} // namespace dockscan::docking::android
