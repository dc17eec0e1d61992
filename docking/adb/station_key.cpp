#include "docking/adb/station_key.hpp"

#include "base/owned.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace dockscan::docking::adb {
namespace {

using PkeyPtr = base::Owned<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = base::Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using BnPtr = base::Owned<BIGNUM, BN_free>;
using BnCtxPtr = base::Owned<BN_CTX, BN_CTX_free>;
using BioPtr = base::Owned<BIO, BIO_free>;

constexpr int k_bits = 2048;
constexpr std::size_t k_words = k_bits / 32;

Error key_error(const std::string& what) {
    return Error{ErrorCode::unreadable, "the station's ADB key: " + what};
}

Expected<std::string> read_small_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return tl::unexpected(
            key_error("cannot read " + path.string() + ": " + std::strerror(errno)));
    }
    std::string content;
    std::array<char, 4096> buffer{};
    ssize_t n = 0;
    while ((n = ::read(fd, buffer.data(), buffer.size())) > 0 && content.size() < 65536) {
        content.append(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return content;
}

Expected<PkeyPtr> create_key(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path.parent_path(), ec)) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
            return tl::unexpected(key_error("cannot create " + path.parent_path().string()));
        }
        ::chmod(path.parent_path().c_str(), 0700);
    }
    PkeyPtr key(EVP_RSA_gen(k_bits));
    if (!key) {
        return tl::unexpected(key_error("cannot generate an RSA key"));
    }
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1) {
        return tl::unexpected(key_error("cannot encode the key"));
    }
    char* pem = nullptr;
    const long pem_size = BIO_get_mem_data(bio.get(), &pem);
    // O_EXCL: two stations' processes racing must not overwrite each other's key.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return tl::unexpected(
            key_error("cannot create " + path.string() + ": " + std::strerror(errno)));
    }
    const bool written = ::write(fd, pem, static_cast<std::size_t>(pem_size)) == pem_size;
    const bool closed = ::close(fd) == 0;
    if (!written || !closed) {
        ::unlink(path.c_str());
        return tl::unexpected(key_error("cannot write " + path.string()));
    }
    return key;
}

void append_le_words(std::string& out, const BIGNUM* value) {
    std::array<unsigned char, k_words * 4> bytes{};
    BN_bn2lebinpad(value, bytes.data(), static_cast<int>(bytes.size()));
    out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void append_u32(std::string& out, std::uint32_t value) {
    for (unsigned i = 0; i < 4; ++i) {
        out.push_back(static_cast<char>(value >> (8u * i)));
    }
}

} // namespace

struct StationKey::Impl {
    PkeyPtr key;
};

StationKey::StationKey(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
StationKey::StationKey(StationKey&&) noexcept = default;
StationKey& StationKey::operator=(StationKey&&) noexcept = default;
StationKey::~StationKey() = default;

Expected<StationKey> StationKey::load_or_create(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        DOCKSCAN_TRY_ASSIGN(impl->key, create_key(path));
        return StationKey(std::move(impl));
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
        return tl::unexpected(key_error(path.string() + " is readable by others; chmod 600 it"));
    }
    DOCKSCAN_TRY_ASSIGN(const std::string pem, read_small_file(path));
    const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    impl->key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!impl->key || EVP_PKEY_get_base_id(impl->key.get()) != EVP_PKEY_RSA ||
        EVP_PKEY_get_bits(impl->key.get()) != k_bits) {
        return tl::unexpected(key_error(path.string() + " holds no RSA-2048 private key"));
    }
    return StationKey(std::move(impl));
}

Expected<std::string> StationKey::sign_token(std::string_view token) const {
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new(m_impl->key.get(), nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha1()) != 1) {
        return tl::unexpected(key_error("cannot set up signing"));
    }
    // The token is signed as if it were a SHA-1 digest, so it must be 20 bytes.
    if (token.size() != 20) {
        return fail(ErrorCode::malformed, "the phone sent an AUTH token of " +
                                              std::to_string(token.size()) + " bytes, not 20");
    }
    std::size_t size = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(token.data());
    if (EVP_PKEY_sign(ctx.get(), nullptr, &size, in, token.size()) != 1) {
        return tl::unexpected(key_error("cannot sign"));
    }
    std::string signature(size, '\0');
    if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, in,
                      token.size()) != 1) {
        return tl::unexpected(key_error("cannot sign"));
    }
    signature.resize(size);
    return signature;
}

std::string StationKey::android_public_key() const {
    BIGNUM* n_raw = nullptr;
    BIGNUM* e_raw = nullptr;
    EVP_PKEY_get_bn_param(m_impl->key.get(), OSSL_PKEY_PARAM_RSA_N, &n_raw);
    EVP_PKEY_get_bn_param(m_impl->key.get(), OSSL_PKEY_PARAM_RSA_E, &e_raw);
    const BnPtr n(n_raw);
    const BnPtr e(e_raw);
    const BnCtxPtr ctx(BN_CTX_new());
    // mincrypt's Montgomery constants: n0inv = -1 / n[0] mod 2^32, rr = (2^2048)^2 mod n.
    const BnPtr r32(BN_new());
    BN_set_bit(r32.get(), 32);
    const BnPtr n0(BN_new());
    BN_mod(n0.get(), n.get(), r32.get(), ctx.get());
    const BnPtr n0inv(BN_mod_inverse(nullptr, n0.get(), r32.get(), ctx.get()));
    BN_sub(n0inv.get(), r32.get(), n0inv.get());
    const BnPtr rr(BN_new());
    BN_set_bit(rr.get(), 2 * k_bits);
    BN_mod(rr.get(), rr.get(), n.get(), ctx.get());

    std::string raw;
    append_u32(raw, static_cast<std::uint32_t>(k_words));
    append_u32(raw, static_cast<std::uint32_t>(BN_get_word(n0inv.get())));
    append_le_words(raw, n.get());
    append_le_words(raw, rr.get());
    append_u32(raw, static_cast<std::uint32_t>(BN_get_word(e.get())));

    std::string encoded(4 * ((raw.size() + 2) / 3) + 1, '\0');
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                       reinterpret_cast<const unsigned char*>(raw.data()),
                                       static_cast<int>(raw.size()));
    encoded.resize(static_cast<std::size_t>(length));
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0) {
        std::strcpy(host.data(), "station");
    }
    encoded += " dockscan@";
    encoded += host.data();
    encoded.push_back('\0');
    return encoded;
}

std::filesystem::path default_station_key_path() {
    if (const char* state = std::getenv("STATE_DIRECTORY"); state != nullptr && *state != '\0') {
        // systemd may list several folders separated by ':'; the first is ours.
        const std::string first = std::string(state).substr(0, std::string(state).find(':'));
        return std::filesystem::path(first) / "adbkey";
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr ? home : "/root") / ".local/state/dockscan/adbkey";
}

} // namespace dockscan::docking::adb
