#include "tests/ios_sim/device_key.hpp"

#include "base/owned.hpp"

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <openssl/bio.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <sstream>
#include <unistd.h>

namespace dockscan::testing::ios_sim {
namespace {

using BioPtr = base::Owned<BIO, BIO_free>;
using KeyPtr = base::Owned<EVP_PKEY, EVP_PKEY_free>;
using X509Ptr = base::Owned<X509, X509_free>;
using EncoderPtr = base::Owned<OSSL_ENCODER_CTX, OSSL_ENCODER_CTX_free>;

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::string encode(EVP_PKEY* key, int selection, const char* structure) {
    EncoderPtr encoder(OSSL_ENCODER_CTX_new_for_pkey(key, selection, "PEM", structure, nullptr));
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!encoder || !bio || OSSL_ENCODER_to_bio(encoder.get(), bio.get()) != 1) {
        return {};
    }
    return bio_text(bio.get());
}

KeyPtr read_private(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return KeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

} // namespace

std::optional<DeviceKey> DeviceKey::load_or_create(const std::filesystem::path& file) {
    std::string pem;
    {
        std::ifstream in(file, std::ios::binary);
        if (in) {
            std::ostringstream text;
            text << in.rdbuf();
            pem = text.str();
        }
    }
    KeyPtr key = pem.empty() ? nullptr : read_private(pem);
    if (!key) {
        key.reset(EVP_RSA_gen(2048));
        if (!key) {
            return std::nullopt;
        }
        pem = encode(key.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "PrivateKeyInfo");
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            return std::nullopt;
        }
        const bool written =
            ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
        ::close(fd);
        if (!written) {
            return std::nullopt;
        }
    }
    DeviceKey out;
    out.m_private_pem = pem;
    out.m_public_pem = encode(key.get(), OSSL_KEYMGMT_SELECT_PUBLIC_KEY, "type-specific");
    if (out.m_public_pem.empty()) {
        return std::nullopt;
    }
    return out;
}

bool DeviceKey::certifies(const std::string& certificate_pem) const {
    BioPtr bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
    X509Ptr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    KeyPtr key = read_private(m_private_pem);
    if (!certificate || !key) {
        return false;
    }
    EVP_PKEY* certified = X509_get0_pubkey(certificate.get());
    return certified != nullptr && EVP_PKEY_eq(certified, key.get()) == 1;
}

std::string random_bytes(std::size_t size) {
    std::string out(size, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1) {
        out.clear();
    }
    return out;
}

std::string random_uuid() {
    std::string bytes = random_bytes(16);
    bytes.resize(16, '\0');
    bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0fu) | 0x40u);
    bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3fu) | 0x80u);
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out.push_back('-');
        }
        const auto b = static_cast<unsigned char>(bytes[i]);
        out.push_back(k_hex[b >> 4u]);
        out.push_back(k_hex[b & 0x0fu]);
    }
    return out;
}

} // namespace dockscan::testing::ios_sim
