#include "tests/docking/android/ab_writer.hpp"

#include <array>
#include <cstdio>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdexcept>
#include <vector>
#include <zlib.h>

namespace dockscan::testing {
namespace {

constexpr std::size_t k_block = 512;

const unsigned char* ubytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

std::string hex_upper(std::string_view bytes) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out += k_hex[b >> 4];
        out += k_hex[b & 0x0f];
    }
    return out;
}

std::string pbkdf2(std::string_view secret, std::string_view salt, std::uint32_t rounds) {
    std::string out(32, '\0');
    if (PKCS5_PBKDF2_HMAC_SHA1(secret.data(), static_cast<int>(secret.size()), ubytes(salt),
                               static_cast<int>(salt.size()), static_cast<int>(rounds), 32,
                               reinterpret_cast<unsigned char*>(out.data())) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return out;
}

// What Java's PBKDF2WithHmacSHA1 sees for a byte[] turned into char[] one by one:
// (char) of a signed byte, UTF-8 encoded.
std::string java_chars_as_utf8(std::string_view bytes) {
    std::string out;
    for (const char c : bytes) {
        const int signed_byte = static_cast<signed char>(c);
        const auto ch = static_cast<std::uint16_t>(signed_byte); // Java's (char) b
        if (ch < 0x80) {
            out += static_cast<char>(ch);
        } else {
            out += static_cast<char>(0xe0 | (ch >> 12));
            out += static_cast<char>(0x80 | ((ch >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (ch & 0x3f));
        }
    }
    return out;
}

std::string aes_cbc_encrypt(std::string_view plain, std::string_view key, std::string_view iv) {
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        &EVP_CIPHER_CTX_free);
    std::string out(plain.size() + 32, '\0');
    int n = 0;
    int tail = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, ubytes(key), ubytes(iv)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), o, &n, ubytes(plain), static_cast<int>(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), o + n, &tail) != 1) {
        throw std::runtime_error("AES encryption failed");
    }
    out.resize(static_cast<std::size_t>(n + tail));
    return out;
}

void put_octal(char* field, std::size_t width, std::uint64_t value) {
    // width - 1 digits and a NUL, as ustar wants.
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                  static_cast<unsigned long long>(value));
}

std::string ustar_header(std::string_view name, std::uint64_t size, char type) {
    std::array<char, k_block> h{};
    name.copy(h.data(), std::min<std::size_t>(name.size(), 100));
    put_octal(h.data() + 100, 8, 0600);
    put_octal(h.data() + 108, 8, 10123); // an app uid, as Android writes
    put_octal(h.data() + 116, 8, 10123);
    put_octal(h.data() + 124, 12, size);
    put_octal(h.data() + 136, 12, 1'795'000'000);
    h[156] = type;
    std::string_view("ustar").copy(h.data() + 257, 5); // with the NUL after it
    h[263] = '0';
    h[264] = '0';
    std::fill(h.data() + 148, h.data() + 156, ' ');
    unsigned sum = 0;
    for (const char c : h) {
        sum += static_cast<unsigned char>(c);
    }
    std::snprintf(h.data() + 148, 8, "%06o", sum);
    h[155] = ' ';
    return std::string(h.data(), h.size());
}

// A pax record "<len> path=<name>\n", where <len> counts the whole record.
std::string pax_path_record(std::string_view name) {
    const std::string body = " path=" + std::string(name) + "\n";
    std::size_t len = body.size() + 1;
    while (std::to_string(len).size() + body.size() != len) {
        ++len;
    }
    return std::to_string(len) + body;
}

} // namespace

struct AbWriter::Impl {
    std::FILE* file = nullptr;
    AbOptions options;
    std::size_t header_size = 0;
    std::string master_key;
    std::string master_iv;
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> cipher{nullptr,
                                                                           &EVP_CIPHER_CTX_free};
    z_stream z{};
    bool deflating = false;
    std::uint64_t entry_left = 0;
    std::uint64_t entry_size = 0;

    void to_file(std::string_view data) {
        if (!data.empty() && std::fwrite(data.data(), 1, data.size(), file) != data.size()) {
            throw std::runtime_error("cannot write the .ab fixture");
        }
    }

    void to_cipher(std::string_view data) {
        if (!cipher) {
            to_file(data);
            return;
        }
        std::string out(data.size() + 32, '\0');
        int n = 0;
        if (EVP_EncryptUpdate(cipher.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                              ubytes(data), static_cast<int>(data.size())) != 1) {
            throw std::runtime_error("EVP_EncryptUpdate failed");
        }
        to_file(std::string_view(out).substr(0, static_cast<std::size_t>(n)));
    }

    void to_deflate(std::string_view data, int flush) {
        std::vector<char> out(64 * 1024);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        z.avail_in = static_cast<uInt>(data.size());
        do {
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, flush);
            to_cipher(std::string_view(out.data(), out.size() - z.avail_out));
        } while (z.avail_out == 0 || (flush == Z_FINISH && z.avail_in != 0));
    }

    void tar_bytes(std::string_view data) {
        if (options.compressed) {
            // Large pieces in slices that fit zlib's uInt.
            for (std::size_t pos = 0; pos < data.size(); pos += 1u << 20) {
                to_deflate(data.substr(pos, 1u << 20), Z_NO_FLUSH);
            }
        } else {
            to_cipher(data);
        }
    }

    void header_for(std::string_view name, std::uint64_t size, char type) {
        if (name.size() > 100) {
            const std::string record = pax_path_record(name);
            tar_bytes(ustar_header("PaxHeader/long-name", record.size(), 'x'));
            tar_bytes(record);
            tar_bytes(std::string(k_block - record.size() % k_block, '\0'));
        }
        tar_bytes(ustar_header(name, size, type));
    }
};

AbWriter::AbWriter(const std::filesystem::path& path, AbOptions options)
    : m_impl(std::make_unique<Impl>()) {
    Impl& im = *m_impl;
    im.options = std::move(options);
    im.file = std::fopen(path.c_str(), "wb");
    if (im.file == nullptr) {
        throw std::runtime_error("cannot create " + path.string());
    }
    std::string header = "ANDROID BACKUP\n" + std::to_string(im.options.version) + "\n" +
                         (im.options.compressed ? "1" : "0") + "\n";
    if (!im.options.password) {
        header += "none\n";
    } else {
        const bool v1 = im.options.version == 1;
        const std::string user_salt = random_bytes(64);
        const std::string checksum_salt = random_bytes(64);
        const std::string user_iv = random_bytes(16);
        im.master_key = random_bytes(32);
        im.master_iv = random_bytes(16);
        // The fixtures use ASCII passwords, for which Java's 8-bit and UTF-8 forms agree.
        const std::string user_key = pbkdf2(*im.options.password, user_salt, im.options.rounds);
        const bool raw = im.options.checksum == ChecksumStyle::raw_bytes ||
                         (im.options.checksum == ChecksumStyle::as_android && v1);
        const std::string checksum = pbkdf2(raw ? im.master_key : java_chars_as_utf8(im.master_key),
                                            checksum_salt, im.options.rounds);
        const std::string blob_plain =
            std::string(1, '\x10') + im.master_iv + '\x20' + im.master_key + '\x20' + checksum;
        header += "AES-256\n" + hex_upper(user_salt) + "\n" + hex_upper(checksum_salt) + "\n" +
                  std::to_string(im.options.rounds) + "\n" + hex_upper(user_iv) + "\n" +
                  hex_upper(aes_cbc_encrypt(blob_plain, user_key, user_iv)) + "\n";
        im.cipher.reset(EVP_CIPHER_CTX_new());
        if (EVP_EncryptInit_ex(im.cipher.get(), EVP_aes_256_cbc(), nullptr, ubytes(im.master_key),
                               ubytes(im.master_iv)) != 1) {
            throw std::runtime_error("EVP_EncryptInit_ex failed");
        }
    }
    im.to_file(header);
    im.header_size = header.size();
    if (im.options.compressed) {
        if (deflateInit(&im.z, Z_DEFAULT_COMPRESSION) != Z_OK) {
            throw std::runtime_error("deflateInit failed");
        }
        im.deflating = true;
    }
}

AbWriter::~AbWriter() {
    if (m_impl->deflating) {
        deflateEnd(&m_impl->z);
    }
    if (m_impl->file != nullptr) {
        std::fclose(m_impl->file);
    }
}

void AbWriter::add_file(std::string_view name, std::string_view content) {
    begin_file(name, content.size());
    write(content);
    end_file();
}

void AbWriter::add_directory(std::string_view name) {
    m_impl->header_for(name, 0, '5');
}

void AbWriter::begin_file(std::string_view name, std::uint64_t size) {
    m_impl->header_for(name, size, '0');
    m_impl->entry_left = size;
    m_impl->entry_size = size;
}

void AbWriter::write(std::string_view data) {
    if (data.size() > m_impl->entry_left) {
        throw std::logic_error("more data than the entry's size");
    }
    m_impl->entry_left -= data.size();
    m_impl->tar_bytes(data);
}

void AbWriter::end_file() {
    if (m_impl->entry_left != 0) {
        throw std::logic_error("less data than the entry's size");
    }
    const std::uint64_t rest = m_impl->entry_size % k_block;
    if (rest != 0) {
        m_impl->tar_bytes(std::string(k_block - rest, '\0'));
    }
}

void AbWriter::finish() {
    Impl& im = *m_impl;
    im.tar_bytes(std::string(2 * k_block, '\0'));
    if (im.options.compressed) {
        im.to_deflate({}, Z_FINISH);
        deflateEnd(&im.z);
        im.deflating = false;
    }
    if (im.cipher) {
        std::string out(32, '\0');
        int n = 0;
        if (EVP_EncryptFinal_ex(im.cipher.get(), reinterpret_cast<unsigned char*>(out.data()),
                                &n) != 1) {
            throw std::runtime_error("EVP_EncryptFinal_ex failed");
        }
        im.to_file(std::string_view(out).substr(0, static_cast<std::size_t>(n)));
    }
    std::fclose(im.file);
    im.file = nullptr;
}

std::size_t AbWriter::header_size() const {
    return m_impl->header_size;
}

std::string AbWriter::master_key_hex() const {
    return hex_upper(m_impl->master_key);
}

std::string AbWriter::master_iv_hex() const {
    return hex_upper(m_impl->master_iv);
}

std::string zlib_compress(std::string_view data) {
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, ubytes(data),
                  static_cast<uLong>(data.size()), Z_DEFAULT_COMPRESSION) != Z_OK) {
        throw std::runtime_error("compress2 failed");
    }
    out.resize(size);
    return out;
}

std::string zlib_compress_repeated(char byte, std::uint64_t count) {
    z_stream z{};
    if (deflateInit(&z, Z_BEST_COMPRESSION) != Z_OK) {
        throw std::runtime_error("deflateInit failed");
    }
    const std::string chunk(1u << 20, byte);
    std::vector<char> out_buf(64 * 1024);
    std::string out;
    std::uint64_t left = count;
    int flush = Z_NO_FLUSH;
    do {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
        left -= n;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
        z.avail_in = static_cast<uInt>(n);
        do {
            z.next_out = reinterpret_cast<Bytef*>(out_buf.data());
            z.avail_out = static_cast<uInt>(out_buf.size());
            deflate(&z, flush);
            out.append(out_buf.data(), out_buf.size() - z.avail_out);
        } while (z.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&z);
    return out;
}

} // namespace dockscan::testing
