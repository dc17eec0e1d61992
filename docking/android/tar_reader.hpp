#pragma once

// Reads a tar stream (ustar, pax, GNU) entry by entry from a ByteStream, without ever
// touching the host's file system: entry names are only strings to compare. This is
// the only place that uses libarchive.

#include "docking/android/byte_stream.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace dockscan::docking::android {

struct TarEntry {
    std::string name;                  // as stored in the archive; never a host path
    std::optional<std::uint64_t> size; // from the header, when it has one
    bool regular = false;              // a regular file (not a folder, link, device)
    std::int64_t mtime = 0;            // Unix seconds, 0 when the header has none
};

class TarReader {
public:
    // Starts reading `in`, which must outlive the reader.
    [[nodiscard]] static Expected<std::unique_ptr<TarReader>> open(ByteStream& in);

    TarReader(const TarReader&) = delete;
    TarReader& operator=(const TarReader&) = delete;
    ~TarReader();

    // The next entry's header, skipping the data of the current one; nothing at the end.
    [[nodiscard]] Expected<std::optional<TarEntry>> next();

    // Reads the current entry's data into memory; more than `max_bytes` is `too_large`
    // and leaves the rest of the entry to be skipped by next().
    [[nodiscard]] Expected<std::string> read_data(std::uint64_t max_bytes);

    // True once the stream itself failed (truncated, damaged, over a limit): no
    // further entry can be read.
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    struct State;
    explicit TarReader(std::unique_ptr<State> state);

    [[nodiscard]] Error stream_error(std::string_view doing);

    std::unique_ptr<State> m_state;
    bool m_failed = false;
};

} // namespace dockscan::docking::android
