#pragma once

// An `adb backup` archive (.ab): header, optional AES-256 encryption, optional zlib
// compression, and a tar stream of the backed-up files. Entries are streamed one by
// one; only those a caller asks for are held in memory, within limits.

#include "docking/android/ab_crypto.hpp"
#include "docking/android/ab_header.hpp"
#include "docking/android/byte_stream.hpp"
#include "docking/android/tar_reader.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

namespace dockscan::docking::android {

// Limits against hostile or broken archives. Everything from a phone is untrusted.
struct AbLimits {
    std::uint64_t max_total_bytes = std::uint64_t{2} << 30; // the tar stream, after inflation
    std::uint64_t max_entry_bytes = 64u << 20;              // one entry read into memory
    std::uint64_t max_entries = 1'000'000;                  // entries in the tar stream
    std::uint32_t max_pbkdf2_rounds = 200'000;              // Android itself uses 10,000
};

// One entry of the tar stream, offered to a handler while the stream is there.
class AbEntry {
public:
    AbEntry(TarReader& reader, const TarEntry& info, std::uint64_t max_bytes)
        : m_reader(reader), m_info(info), m_max_bytes(max_bytes) {}

    // The name in the archive, e.g. "apps/com.android.providers.telephony/d_f/000000_sms_backup".
    // Never a host path: nothing is ever written to disk.
    [[nodiscard]] const std::string& name() const { return m_info.name; }
    [[nodiscard]] std::optional<std::uint64_t> size() const { return m_info.size; }
    [[nodiscard]] bool regular() const { return m_info.regular; }
    [[nodiscard]] std::int64_t mtime() const { return m_info.mtime; }

    // Reads the whole entry, up to the per-entry limit.
    [[nodiscard]] Expected<std::string> read();

    // True when read() failed because the archive itself broke (not only this entry);
    // the listing ends with that error.
    [[nodiscard]] bool archive_failed() const { return m_reader.failed(); }

private:
    TarReader& m_reader;
    const TarEntry& m_info;
    std::uint64_t m_max_bytes;
};

// Handles one entry; an error stops the reading and is what read_entries() returns.
using AbEntryHandler = std::function<Expected<void>(AbEntry&)>;

class AbArchive {
public:
    // Reads the header from `in` and, for an encrypted archive, unlocks the master key
    // with `password` (`password_needed` without one, `wrong_password`). Leaves `in`
    // at the payload. The password is not kept; the unlocked key is.
    [[nodiscard]] static Expected<AbArchive>
    open(ByteStream& in, const std::optional<std::string>& password, AbLimits limits = {});

    [[nodiscard]] const AbHeader& header() const { return m_header; }

    // Streams the payload that follows the header in `payload` (the stream open() read
    // the header from, or a new one past an identical header) and offers every entry
    // to `handler`. An error means the archive could not be read to its end; entries
    // handled before it stay valid.
    [[nodiscard]] Expected<void> read_entries(ByteStream& payload, const AbEntryHandler& handler,
                                              std::stop_token stop) const;

private:
    AbArchive(AbHeader header, std::optional<MasterKey> key, AbLimits limits)
        : m_header(std::move(header)), m_key(std::move(key)), m_limits(limits) {}

    AbHeader m_header;
    std::optional<MasterKey> m_key;
    AbLimits m_limits;
};

} // namespace dockscan::docking::android
