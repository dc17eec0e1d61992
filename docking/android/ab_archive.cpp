#include "docking/android/ab_archive.hpp"

#include "docking/android/inflate.hpp"

#include <memory>

namespace dockscan::docking::android {

Expected<std::string> AbEntry::read() {
    if (m_info.size && *m_info.size > m_max_bytes) {
        return fail(ErrorCode::too_large, "archive entry of " + human_size(*m_info.size) +
                                              " is larger than the limit of " +
                                              human_size(m_max_bytes));
    }
    return m_reader.read_data(m_max_bytes);
}

Expected<AbArchive> AbArchive::open(ByteStream& in, const std::optional<std::string>& password,
                                    AbLimits limits) {
    DOCKSCAN_TRY_ASSIGN(AbHeader header, read_ab_header(in));
    std::optional<MasterKey> key;
    if (header.encryption == AbEncryption::aes256) {
        if (!password) {
            return fail(ErrorCode::password_needed, "encrypted backup: password needed");
        }
        DOCKSCAN_TRY_ASSIGN(MasterKey unlocked,
                            unlock_master_key(header, *password, limits.max_pbkdf2_rounds));
        key.emplace(unlocked);
    }
    return AbArchive(std::move(header), std::move(key), limits);
}

Expected<void> AbArchive::read_entries(ByteStream& payload, const AbEntryHandler& handler,
                                       std::stop_token stop) const {
    // file -> [AES-256-CBC] -> [inflate] -> limit -> tar
    std::unique_ptr<ByteStream> decrypted;
    ByteStream* stream = &payload;
    if (m_key) {
        decrypted = make_decrypt_stream(*stream, *m_key);
        stream = decrypted.get();
    }
    std::unique_ptr<ByteStream> inflated;
    if (m_header.compressed) {
        inflated = make_inflate_stream(*stream);
        stream = inflated.get();
    }
    const std::string limit = human_size(m_limits.max_total_bytes);
    LimitedStream limited(*stream, m_limits.max_total_bytes,
                          m_header.compressed
                              ? "backup archive expands beyond the limit of " + limit +
                                    " (a compression bomb or a damaged archive)"
                              : "backup archive is larger than the limit of " + limit);

    DOCKSCAN_TRY_ASSIGN(const std::unique_ptr<TarReader> tar, TarReader::open(limited));
    std::uint64_t count = 0;
    while (true) {
        if (stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "stopped while reading the backup archive");
        }
        DOCKSCAN_TRY_ASSIGN(const std::optional<TarEntry> info, tar->next());
        if (!info) {
            return {};
        }
        if (++count > m_limits.max_entries) {
            return fail(ErrorCode::too_large, "backup archive has more than " +
                                                  std::to_string(m_limits.max_entries) +
                                                  " entries");
        }
        AbEntry entry(*tar, *info, m_limits.max_entry_bytes);
        // When the archive breaks inside this entry, the next call to next() returns
        // that error for the archive as a whole.
        DOCKSCAN_TRY(handler(entry));
    }
}

} // namespace dockscan::docking::android
