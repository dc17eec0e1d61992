#include "tests/docking/ios/backup_writer.hpp"

#include "base/sqlite.hpp"
#include "tests/support/temp_dir.hpp"

#include <climits>
#include <map>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <plist/plist.h>
#include <stdexcept>
#include <utility>
#include <vector>

namespace dockscan::testing {
namespace {

namespace sqlite = base::sqlite;

// The classes iOS keybags carry keys for (NSFileProtection*, kSecAttrAccessible*).
constexpr std::uint32_t k_class_keys[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
// Most files are "complete until first user authentication"; Manifest.db uses class 4.
constexpr std::uint32_t k_file_class = 3;
constexpr std::uint32_t k_manifest_class = 4;

void check(bool ok, const char* what) {
    if (!ok) {
        throw std::runtime_error(std::string("backup fixture: ") + what);
    }
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    check(RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) == 1,
          "RAND_bytes");
    return out;
}

std::string pbkdf2(const EVP_MD* md, std::string_view secret, std::string_view salt,
                   std::uint32_t rounds) {
    std::string out(32, '\0');
    check(PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()),
                            reinterpret_cast<const unsigned char*>(salt.data()),
                            static_cast<int>(salt.size()), static_cast<int>(rounds), md, 32,
                            reinterpret_cast<unsigned char*>(out.data())) == 1,
          "PBKDF2");
    return out;
}

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

std::string run_cipher(const EVP_CIPHER* cipher, std::string_view key, std::string_view data,
                       bool wrap_flag) {
    std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    check(ctx != nullptr, "cipher context");
    if (wrap_flag) {
        EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    }
    const unsigned char iv[16] = {};
    check(EVP_EncryptInit_ex(ctx.get(), cipher, nullptr,
                             reinterpret_cast<const unsigned char*>(key.data()),
                             wrap_flag ? nullptr : iv) == 1,
          "cipher init");
    std::string out(data.size() + 32, '\0');
    int n = 0;
    check(EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                            reinterpret_cast<const unsigned char*>(data.data()),
                            static_cast<int>(data.size())) == 1,
          "cipher update");
    int tail = 0;
    check(EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail) ==
              1,
          "cipher final");
    out.resize(static_cast<std::size_t>(n + tail));
    return out;
}

std::string aes_wrap(std::string_view kek, std::string_view key) {
    return run_cipher(EVP_aes_256_wrap(), kek, key, true);
}

// AES-256-CBC, zero IV, PKCS#7: how iOS encrypts backed-up files.
std::string aes_cbc(std::string_view key, std::string_view plain) {
    return run_cipher(EVP_aes_256_cbc(), key, plain, false);
}

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string le32(std::uint32_t v) {
    return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
            static_cast<char>(v >> 24)};
}

std::string tlv(std::string_view tag, std::string_view value) {
    return std::string(tag) + be32(static_cast<std::uint32_t>(value.size())) + std::string(value);
}

struct PlistFree {
    void operator()(void* p) const { plist_free(p); }
};
using Plist = std::unique_ptr<void, PlistFree>;

std::string to_bytes(plist_t root, bool binary) {
    char* out = nullptr;
    std::uint32_t length = 0;
    if (binary) {
        plist_to_bin(root, &out, &length);
    } else {
        plist_to_xml(root, &out, &length);
    }
    check(out != nullptr, "plist export");
    std::string bytes(out, length);
    binary ? plist_to_bin_free(out) : plist_to_xml_free(out);
    return bytes;
}

void set(plist_t dict, const char* key, plist_t value) {
    plist_dict_set_item(dict, key, value);
}

plist_t data_node(std::string_view bytes) {
    return plist_new_data(bytes.data(), bytes.size());
}

plist_t class_object(std::initializer_list<const char*> classes) {
    plist_t object = plist_new_dict();
    set(object, "$classname", plist_new_string(*classes.begin()));
    plist_t chain = plist_new_array();
    for (const char* c : classes) {
        plist_array_append_item(chain, plist_new_string(c));
    }
    set(object, "$classes", chain);
    return object;
}

struct Row {
    std::string file_id;
    std::string domain;
    std::string relative_path;
    std::string blob;
};

} // namespace

std::string mbfile_blob(std::string_view relative_path, std::uint64_t size, std::int64_t mtime,
                        std::uint32_t protection_class, std::string_view encryption_key) {
    const Plist root(plist_new_dict());
    set(root.get(), "$version", plist_new_uint(100000));
    set(root.get(), "$archiver", plist_new_string("NSKeyedArchiver"));
    plist_t top = plist_new_dict();
    set(top, "root", plist_new_uid(1));
    set(root.get(), "$top", top);

    plist_t objects = plist_new_array();
    plist_array_append_item(objects, plist_new_string("$null"));
    plist_t file = plist_new_dict();
    const bool keyed = !encryption_key.empty();
    set(file, "$class", plist_new_uid(keyed ? 5 : 3));
    set(file, "Size", plist_new_uint(size));
    set(file, "LastModified", plist_new_uint(static_cast<std::uint64_t>(mtime)));
    set(file, "LastStatusChange", plist_new_uint(static_cast<std::uint64_t>(mtime)));
    set(file, "Birth", plist_new_uint(static_cast<std::uint64_t>(mtime)));
    set(file, "Mode", plist_new_uint(0100644));
    set(file, "UserID", plist_new_uint(501));
    set(file, "GroupID", plist_new_uint(501));
    set(file, "InodeNumber", plist_new_uint(424242));
    set(file, "Flags", plist_new_uint(0));
    set(file, "ProtectionClass", plist_new_uint(protection_class));
    set(file, "RelativePath", plist_new_uid(2));
    if (keyed) {
        set(file, "EncryptionKey", plist_new_uid(3));
    }
    plist_array_append_item(objects, file);
    plist_array_append_item(objects, plist_new_string(std::string(relative_path).c_str()));
    if (keyed) {
        plist_t key = plist_new_dict();
        set(key, "NS.data", data_node(encryption_key));
        set(key, "$class", plist_new_uid(4));
        plist_array_append_item(objects, key);
        plist_array_append_item(objects, class_object({"NSMutableData", "NSData", "NSObject"}));
    }
    plist_array_append_item(objects, class_object({"MBFile", "NSObject"}));
    set(root.get(), "$objects", objects);
    return to_bytes(root.get(), true);
}

std::string string_plist(std::string_view key, std::string_view value, bool binary) {
    const Plist root(plist_new_dict());
    set(root.get(), std::string(key).c_str(), plist_new_string(std::string(value).c_str()));
    return to_bytes(root.get(), binary);
}

struct IosBackupWriter::Impl {
    std::filesystem::path folder;
    IosBackupOptions options;
    std::vector<Row> rows;
    std::map<std::uint32_t, std::string> class_keys; // encrypted backups
    std::string keybag;

    void make_keybag() {
        const std::string dp_salt = random_bytes(20);
        const std::string salt = random_bytes(20);
        const std::string round1 =
            pbkdf2(EVP_sha256(), *options.password, dp_salt, options.dp_iterations);
        const std::string key = pbkdf2(EVP_sha1(), round1, salt, options.iterations);
        keybag = tlv("VERS", be32(4)) + tlv("TYPE", be32(1)) + tlv("UUID", random_bytes(16)) +
                 tlv("HMCK", random_bytes(40)) + tlv("WRAP", be32(0)) + tlv("SALT", salt) +
                 tlv("ITER", be32(options.iterations)) + tlv("DPWT", be32(1)) +
                 tlv("DPIC", be32(options.dp_iterations)) + tlv("DPSL", dp_salt);
        for (const std::uint32_t c : k_class_keys) {
            class_keys[c] = random_bytes(32);
            keybag += tlv("UUID", random_bytes(16)) + tlv("CLAS", be32(c)) + tlv("WRAP", be32(2)) +
                      tlv("KTYP", be32(0)) + tlv("WPKY", aes_wrap(key, class_keys[c]));
        }
    }

    // A fresh file key, wrapped with the class key and prefixed with the class.
    std::pair<std::string, std::string> new_file_key(std::uint32_t protection_class) {
        std::string key = random_bytes(32);
        std::string stored =
            le32(protection_class) + aes_wrap(class_keys.at(protection_class), key);
        return {std::move(key), std::move(stored)};
    }

    void write_plists(const std::string& manifest_key) {
        const IosDeviceFixture& d = options.device;
        const Plist info(plist_new_dict());
        set(info.get(), "Device Name", plist_new_string(d.name.c_str()));
        set(info.get(), "Display Name", plist_new_string(d.name.c_str()));
        set(info.get(), "Unique Identifier", plist_new_string(d.udid.c_str()));
        set(info.get(), "Target Identifier", plist_new_string(d.udid.c_str()));
        set(info.get(), "Serial Number", plist_new_string(d.serial.c_str()));
        set(info.get(), "Product Type", plist_new_string(d.product_type.c_str()));
        set(info.get(), "Product Version", plist_new_string(d.product_version.c_str()));
        set(info.get(), "Build Version", plist_new_string("21E236"));
        set(info.get(), "Last Backup Date", plist_new_date(817'000'000, 0));
        write_file(folder / "Info.plist", to_bytes(info.get(), false));

        const Plist manifest(plist_new_dict());
        set(manifest.get(), "Version", plist_new_string("10.0"));
        set(manifest.get(), "IsEncrypted", plist_new_bool(options.password ? 1 : 0));
        set(manifest.get(), "WasPasscodeSet", plist_new_bool(1));
        set(manifest.get(), "Date", plist_new_date(817'000'000, 0));
        set(manifest.get(), "Applications", plist_new_dict());
        if (options.password) {
            set(manifest.get(), "BackupKeyBag", data_node(keybag));
            set(manifest.get(), "ManifestKey", data_node(manifest_key));
        }
        plist_t lockdown = plist_new_dict();
        set(lockdown, "DeviceName", plist_new_string(d.name.c_str()));
        set(lockdown, "UniqueDeviceID", plist_new_string(d.udid.c_str()));
        set(lockdown, "SerialNumber", plist_new_string(d.serial.c_str()));
        set(lockdown, "ProductType", plist_new_string(d.product_type.c_str()));
        set(lockdown, "ProductVersion", plist_new_string(d.product_version.c_str()));
        set(lockdown, "BuildVersion", plist_new_string("21E236"));
        set(manifest.get(), "Lockdown", lockdown);
        write_file(folder / "Manifest.plist", to_bytes(manifest.get(), true));

        const Plist status(plist_new_dict());
        set(status.get(), "BackupState", plist_new_string("new"));
        set(status.get(), "IsFullBackup", plist_new_bool(0));
        set(status.get(), "SnapshotState", plist_new_string(options.snapshot_state.c_str()));
        set(status.get(), "UUID", plist_new_string("6A1F3E4B-2C5D-4E6F-8A9B-0C1D2E3F4A5B"));
        set(status.get(), "Version", plist_new_string("3.3"));
        write_file(folder / "Status.plist", to_bytes(status.get(), true));
    }

    std::string manifest_db() const {
        const TempDir scratch;
        const auto path = scratch / "Manifest.db";
        {
            auto db = sqlite::Database::open(path, sqlite::Access::create);
            check(db.has_value(), "create Manifest.db");
            check(db->exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;"
                           "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, "
                           "relativePath TEXT, flags INTEGER, file BLOB);"
                           "CREATE INDEX FilesDomainIdx ON Files(domain);"
                           "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);"
                           "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);")
                      .has_value(),
                  "Manifest.db schema");
            auto insert = db->prepare("INSERT INTO Files VALUES (?, ?, ?, 1, ?)");
            check(insert.has_value(), "Manifest.db insert");
            for (const Row& row : rows) {
                insert->reset();
                insert->bind_text(1, row.file_id);
                insert->bind_text(2, row.domain);
                insert->bind_text(3, row.relative_path);
                insert->bind_blob(4, row.blob);
                check(insert->step().has_value(), "Manifest.db row");
            }
            check(db->exec("COMMIT;").has_value(), "Manifest.db commit");
        } // the database is closed here, before its bytes are read
        return read_file(path);
    }
};

IosBackupWriter::IosBackupWriter(std::filesystem::path folder, IosBackupOptions options)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->folder = std::move(folder);
    m_impl->options = std::move(options);
    std::filesystem::create_directories(m_impl->folder);
    if (m_impl->options.password) {
        m_impl->make_keybag();
    }
}

IosBackupWriter::~IosBackupWriter() = default;

std::string IosBackupWriter::file_id(std::string_view domain, std::string_view relative_path) {
    const std::string name = std::string(domain) + "-" + std::string(relative_path);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    check(EVP_Digest(name.data(), name.size(), digest, &length, EVP_sha1(), nullptr) == 1, "SHA-1");
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += k_hex[digest[i] >> 4];
        out += k_hex[digest[i] & 0x0f];
    }
    return out;
}

std::string IosBackupWriter::add_file(std::string_view domain, std::string_view relative_path,
                                      std::string_view content, std::int64_t mtime) {
    const std::string id = file_id(domain, relative_path);
    std::string stored(content);
    std::string wrapped;
    if (m_impl->options.password) {
        auto [key, with_class] = m_impl->new_file_key(k_file_class);
        stored = aes_cbc(key, content);
        wrapped = std::move(with_class);
    }
    write_file(m_impl->folder / id.substr(0, 2) / id, stored);
    add_row(id, domain, relative_path,
            mbfile_blob(relative_path, content.size(), mtime, k_file_class, wrapped));
    return id;
}

void IosBackupWriter::add_row(std::string_view file_id, std::string_view domain,
                              std::string_view relative_path, std::string_view file_blob) {
    m_impl->rows.push_back(Row{std::string(file_id), std::string(domain),
                               std::string(relative_path), std::string(file_blob)});
}

void IosBackupWriter::finish() {
    std::string manifest = m_impl->manifest_db();
    std::string manifest_key;
    if (m_impl->options.password) {
        auto [key, with_class] = m_impl->new_file_key(k_manifest_class);
        manifest = aes_cbc(key, manifest);
        manifest_key = std::move(with_class);
    }
    write_file(m_impl->folder / "Manifest.db", manifest);
    m_impl->write_plists(manifest_key);
}

} // namespace dockscan::testing
