#include "docking/android/tar_reader.hpp"

#include "base/owned.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <vector>

namespace dockscan::docking::android {
namespace {

constexpr std::size_t k_chunk = 64 * 1024;

} // namespace

struct TarReader::State {
    explicit State(ByteStream& stream) : in(stream), buffer(k_chunk) {}

    ByteStream& in;
    std::vector<char> buffer;
    // The error of our own stream (decryption, inflation, limits) when libarchive
    // reports a failure: ours says why, libarchive's only that reading failed.
    std::optional<Error> in_error;
    base::Owned<archive, archive_read_free> handle;

    static la_ssize_t read_callback(archive* a, void* client, const void** out) {
        auto* self = static_cast<State*>(client);
        auto got = self->in.read(self->buffer);
        if (!got) {
            self->in_error = std::move(got).error();
            archive_set_error(a, EIO, "%s", self->in_error->message.c_str());
            return -1;
        }
        *out = self->buffer.data();
        return static_cast<la_ssize_t>(*got);
    }
};

TarReader::TarReader(std::unique_ptr<State> state) : m_state(std::move(state)) {}

TarReader::~TarReader() = default;

Expected<std::unique_ptr<TarReader>> TarReader::open(ByteStream& in) {
    auto state = std::make_unique<State>(in);
    state->handle.reset(archive_read_new());
    if (!state->handle) {
        return fail(ErrorCode::unsupported, "libarchive could not start");
    }
    archive* a = state->handle.get();
    // Only tar, and an empty payload as an archive with no entries; the payload is
    // already decrypted and inflated, so no filters.
    archive_read_support_format_tar(a);
    archive_read_support_format_empty(a);
    std::unique_ptr<TarReader> reader(new TarReader(std::move(state)));
    if (archive_read_open(a, reader->m_state.get(), nullptr, &State::read_callback, nullptr) !=
        ARCHIVE_OK) {
        return tl::unexpected(reader->stream_error("opening the tar stream"));
    }
    return reader;
}

Error TarReader::stream_error(std::string_view doing) {
    m_failed = true;
    if (m_state->in_error) {
        return *m_state->in_error;
    }
    const char* text = archive_error_string(m_state->handle.get());
    return Error{ErrorCode::malformed, "tar stream is truncated or damaged while " +
                                           std::string(doing) + ": " +
                                           (text != nullptr ? text : "unknown error")};
}

Expected<std::optional<TarEntry>> TarReader::next() {
    if (m_failed) {
        return tl::unexpected(stream_error("reading the next entry"));
    }
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(m_state->handle.get(), &entry);
    if (rc == ARCHIVE_EOF) {
        return std::optional<TarEntry>{};
    }
    // ARCHIVE_WARN is a name that does not convert to the locale and the like; the
    // entry is still whole.
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
        return tl::unexpected(stream_error("reading an entry header"));
    }
    TarEntry result;
    const char* name = archive_entry_pathname_utf8(entry);
    if (name == nullptr) {
        name = archive_entry_pathname(entry);
    }
    result.name = name != nullptr ? name : "";
    if (archive_entry_size_is_set(entry) != 0 && archive_entry_size(entry) >= 0) {
        result.size = static_cast<std::uint64_t>(archive_entry_size(entry));
    }
    result.regular = archive_entry_filetype(entry) == AE_IFREG;
    if (archive_entry_mtime_is_set(entry) != 0) {
        result.mtime = static_cast<std::int64_t>(archive_entry_mtime(entry));
    }
    return result;
}

Expected<std::string> TarReader::read_data(std::uint64_t max_bytes) {
    std::string data;
    std::vector<char> chunk(k_chunk);
    while (true) {
        const la_ssize_t n = archive_read_data(m_state->handle.get(), chunk.data(), chunk.size());
        if (n == 0) {
            return data;
        }
        if (n < 0) {
            return tl::unexpected(stream_error("reading entry data"));
        }
        const auto got = static_cast<std::size_t>(n);
        if (data.size() + got > max_bytes) {
            return fail(ErrorCode::too_large,
                        "archive entry is larger than the limit of " + human_size(max_bytes));
        }
        data.append(chunk.data(), got);
    }
}

} // namespace dockscan::docking::android
