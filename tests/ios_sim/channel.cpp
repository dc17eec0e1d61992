#include "tests/ios_sim/channel.hpp"

#include "base/owned.hpp"
#include "tests/support/socket_io.hpp"

#include <array>
#include <cerrno>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dockscan::testing::ios_sim {
namespace {

using BioPtr = base::Owned<BIO, BIO_free>;
using X509Ptr = base::Owned<X509, X509_free>;
using KeyPtr = base::Owned<EVP_PKEY, EVP_PKEY_free>;

X509Ptr read_certificate(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        return nullptr;
    }
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string write_certificate(X509* certificate) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) {
        return {};
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

SSL* ssl_of(void* p) {
    return static_cast<SSL*>(p);
}

// The host's certificate is self-made (libimobiledevice's root certificate): it is
// checked against the pair record after the handshake, not against a CA.
int accept_any_certificate(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) {
    return 1;
}

} // namespace

Channel::Channel(int fd) : m_fd(fd) {}

Channel::~Channel() {
    if (m_ssl != nullptr) {
        SSL_free(ssl_of(m_ssl));
    }
    if (m_ctx != nullptr) {
        SSL_CTX_free(static_cast<SSL_CTX*>(m_ctx));
    }
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

bool Channel::read_exact(void* out, std::size_t size) {
    if (m_ssl == nullptr) {
        return testing::recv_exact(m_fd, out, size);
    }
    auto* p = static_cast<char*>(out);
    std::size_t done = 0;
    while (done < size) {
        const std::size_t want = std::min<std::size_t>(size - done, 1 << 30);
        const int n = SSL_read(ssl_of(m_ssl), p + done, static_cast<int>(want));
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool Channel::write_all(const void* data, std::size_t size) {
    if (m_ssl == nullptr) {
        return testing::send_all(m_fd, data, size);
    }
    const auto* p = static_cast<const char*>(data);
    std::size_t done = 0;
    while (done < size) {
        const std::size_t want = std::min<std::size_t>(size - done, 1 << 30);
        const int n = SSL_write(ssl_of(m_ssl), p + done, static_cast<int>(want));
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool Channel::start_tls(const std::string& certificate_pem, const std::string& key_pem,
                        std::string& peer_certificate) {
    if (m_ssl != nullptr) {
        return false;
    }
    X509Ptr certificate = read_certificate(certificate_pem);
    BioPtr key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
    KeyPtr key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr)
                       : nullptr);
    if (!certificate || !key) {
        return false;
    }
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) {
        return false;
    }
    m_ctx = ctx;
    // The host signs the device certificate with SHA-1, as libimobiledevice does, and
    // sets its own security level to 0: so must we, or OpenSSL 3 refuses the chain.
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_num_tickets(ctx, 0);
    if (SSL_CTX_use_certificate(ctx, certificate.get()) != 1 ||
        SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        return false;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_certificate);
    SSL* ssl = SSL_new(ctx);
    if (ssl == nullptr) {
        return false;
    }
    SSL_set_fd(ssl, m_fd);
    if (SSL_accept(ssl) != 1) {
        ERR_clear_error();
        SSL_free(ssl);
        return false;
    }
    X509Ptr peer(SSL_get1_peer_certificate(ssl));
    peer_certificate = peer ? write_certificate(peer.get()) : std::string();
    m_ssl = ssl;
    return true;
}

void Channel::stop_tls() {
    if (m_ssl == nullptr) {
        return;
    }
    // Consume the host's close_notify so that the plain text after it is not taken for
    // TLS records; a peer that just goes on (or hangs up) is fine too.
    std::array<char, 1> byte{};
    (void)SSL_read(ssl_of(m_ssl), byte.data(), 1);
    ERR_clear_error();
    SSL_free(ssl_of(m_ssl));
    m_ssl = nullptr;
    SSL_CTX_free(static_cast<SSL_CTX*>(m_ctx));
    m_ctx = nullptr;
}

void Channel::cut() {
    ::shutdown(m_fd, SHUT_RDWR);
}

bool send_plist(Channel& channel, const Plist& message, PlistFormat format) {
    const std::string body = format == PlistFormat::xml ? to_xml(message) : to_binary(message);
    const auto length = static_cast<std::uint32_t>(body.size());
    std::string frame;
    frame.reserve(4 + body.size());
    for (int shift = 24; shift >= 0; shift -= 8) {
        frame.push_back(static_cast<char>((length >> static_cast<unsigned>(shift)) & 0xffu));
    }
    frame += body;
    return channel.write_all(frame.data(), frame.size());
}

Plist receive_plist(Channel& channel, std::uint32_t max_size) {
    std::array<unsigned char, 4> head{};
    if (!channel.read_exact(head.data(), head.size())) {
        return nullptr;
    }
    const std::uint32_t length = static_cast<std::uint32_t>(head[0]) << 24u |
                                 static_cast<std::uint32_t>(head[1]) << 16u |
                                 static_cast<std::uint32_t>(head[2]) << 8u | head[3];
    if (length == 0 || length > max_size) {
        return nullptr;
    }
    std::string body(length, '\0');
    if (!channel.read_exact(body.data(), body.size())) {
        return nullptr;
    }
    return parse_plist(body);
}

bool same_certificate(const std::string& pem_a, const std::string& pem_b) {
    X509Ptr a = read_certificate(pem_a);
    X509Ptr b = read_certificate(pem_b);
    return a && b && X509_cmp(a.get(), b.get()) == 0;
}

} // namespace dockscan::testing::ios_sim
