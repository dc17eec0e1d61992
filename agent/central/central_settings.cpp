#include "agent/central/central_settings.hpp"

#include "base/fd.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace dockscan::agent::central {

namespace {

// A value in libpq's connection string syntax: single-quoted, with \ and ' escaped.
std::string conninfo_value(const std::string& value) {
    std::string quoted = "'";
    for (const char c : value) {
        if (c == '\\' || c == '\'') {
            quoted.push_back('\\');
        }
        quoted.push_back(c);
    }
    quoted.push_back('\'');
    return quoted;
}

template <std::size_t N>
Expected<std::array<unsigned char, N>> read_exact(const std::filesystem::path& path,
                                                  std::string_view what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::config, "cannot read the " + std::string(what) + " " +
                                           path.string() + ": " + std::strerror(errno));
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() != N) {
        return fail(ErrorCode::config, "the " + std::string(what) + " " + path.string() +
                                           " must be exactly " + std::to_string(N) + " bytes");
    }
    std::array<unsigned char, N> key{};
    std::memcpy(key.data(), bytes.data(), N);
    return key;
}

Expected<void> write_new(const std::filesystem::path& path, std::span<const unsigned char> bytes,
                         mode_t mode) {
    const int raw = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (raw < 0) {
        return fail(ErrorCode::config,
                    "cannot create " + path.string() + ": " + std::strerror(errno));
    }
    base::Fd fd(raw);
    if (::write(fd.get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
        return fail(ErrorCode::config,
                    "cannot write " + path.string() + ": " + std::strerror(errno));
    }
    return {};
}

// libpq's string with TLS verify-full and a client certificate.
std::string tls_connection_string(const std::string& conninfo, const std::string& role,
                                  const std::filesystem::path& sslrootcert,
                                  const std::filesystem::path& sslcert,
                                  const std::filesystem::path& sslkey) {
    std::string text = conninfo;
    text += " sslmode=verify-full";
    text += " user=" + conninfo_value(role);
    text += " sslrootcert=" + conninfo_value(sslrootcert.string());
    text += " sslcert=" + conninfo_value(sslcert.string());
    text += " sslkey=" + conninfo_value(sslkey.string());
    text += " application_name=dockscan connect_timeout=10";
    return text;
}

} // namespace

std::string connection_string(const CentralSettings& settings) {
    return tls_connection_string(settings.conninfo, settings.role, settings.sslrootcert,
                                 settings.sslcert, settings.sslkey);
}

std::string connection_string(const ReviewSettings& settings) {
    return tls_connection_string(settings.conninfo, settings.role, settings.sslrootcert,
                                 settings.sslcert, settings.sslkey);
}

Expected<CentralKeys> load_keys(const CentralSettings& settings) {
    DOCKSCAN_TRY_ASSIGN(auto review, read_review_public(settings.review_public_key));
    DOCKSCAN_TRY_ASSIGN(auto fleet, StoreKey::from_file(settings.fleet_key));
    return CentralKeys{review, std::move(fleet)};
}

Expected<void> write_review_keypair(const std::filesystem::path& public_key,
                                    const std::filesystem::path& secret_key) {
    if (!crypto::ready()) {
        return fail(ErrorCode::internal, "libsodium cannot run here");
    }
    crypto::BoxPublicKey pk{};
    crypto::BoxSecretKey sk{};
    crypto::box_keypair(pk, sk);
    auto written = write_new(secret_key, sk, 0600);
    crypto::wipe(sk);
    DOCKSCAN_TRY(written);
    return write_new(public_key, pk, 0644);
}

Expected<crypto::BoxSecretKey> read_review_secret(const std::filesystem::path& path) {
    return read_exact<crypto::k_box_secret_key_size>(path, "review secret key");
}

Expected<crypto::BoxPublicKey> read_review_public(const std::filesystem::path& path) {
    return read_exact<crypto::k_box_public_key_size>(path, "review public key");
}

} // namespace dockscan::agent::central
