#include "docking/sms_export_source.hpp"

#include "docking/sms_export.hpp"

#include <fstream>
#include <optional>
#include <system_error>

namespace dockscan::docking {
namespace {

constexpr std::size_t k_chunk_bytes = 1u << 20;

class Lister final : public SmsExportSink {
public:
    Lister(ItemSink& sink, std::stop_token stop, std::map<std::string, std::string>& texts,
           std::map<std::string, SmsExportSource::DataPlace>& places, std::string file_ref)
        : m_sink(sink), m_stop(std::move(stop)), m_texts(texts), m_places(places),
          m_file_ref(std::move(file_ref)) {}

    Expected<void> item(const SmsItem& item) override {
        if (m_stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "listing stopped");
        }
        if (!m_seen.emplace(item.key, true).second) {
            return {}; // the same message twice in one export
        }
        if (item.type == ItemType::message) {
            m_texts[item.key] = item.text;
        } else if (item.data_offset != k_no_offset) {
            m_places[item.key] = SmsExportSource::DataPlace{item.data_offset, item.data_length};
        }
        m_sink.item(ItemInfo{item.type, item.key, item.size, item.mtime, item.label});
        return {};
    }

    void problem(const std::string& key, ErrorCode code, std::string reason) override {
        m_sink.problem(ItemProblem{key.empty() ? m_file_ref : key, code, std::move(reason)});
    }

private:
    ItemSink& m_sink;
    std::stop_token m_stop;
    std::map<std::string, std::string>& m_texts;
    std::map<std::string, SmsExportSource::DataPlace>& m_places;
    std::string m_file_ref;
    std::map<std::string, bool> m_seen;
};

// Reads the export in chunks into `reader`: memory is bounded by one message.
Expected<void> stream_file(const std::filesystem::path& file, SmsExportReader& reader) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::unreadable, "cannot read the export");
    }
    std::string chunk(k_chunk_bytes, '\0');
    for (;;) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) {
            break;
        }
        DOCKSCAN_TRY(reader.feed(std::string_view(chunk).substr(0, got)));
    }
    if (in.bad()) {
        return fail(ErrorCode::unreadable, "cannot read the export");
    }
    return reader.finish();
}

// Finds one attachment's base64 data by its key.
class AttachmentFinder final : public SmsExportSink {
public:
    explicit AttachmentFinder(std::string key) : m_key(std::move(key)) {}

    Expected<void> item(const SmsItem& item) override {
        if (item.type == ItemType::attachment && item.key == m_key && !found) {
            found = decode_base64(item.data);
        }
        return {};
    }
    void problem(const std::string&, ErrorCode, std::string) override {}

    std::optional<Expected<std::string>> found;

private:
    std::string m_key;
};

} // namespace

bool SmsExportSource::looks_like_export(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return looks_like_sms_export(head);
}

Expected<std::unique_ptr<SmsExportSource>> SmsExportSource::open(const std::filesystem::path& file,
                                                                 std::uint64_t max_bytes) {
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(file, ec);
    if (ec || !std::filesystem::exists(status)) {
        return fail(ErrorCode::not_found, "no such file");
    }
    if (!std::filesystem::is_regular_file(status)) {
        return fail(ErrorCode::not_a_source, "not a regular file");
    }
    if (!looks_like_export(file)) {
        return fail(ErrorCode::not_a_source, "not an SMS Backup & Restore export (<smses>)");
    }
    return std::unique_ptr<SmsExportSource>(new SmsExportSource(file, max_bytes));
}

SourceInfo SmsExportSource::describe() const {
    SourceInfo info;
    info.kind = "sms-export";
    info.location = m_file.string();
    return info;
}

Expected<void> SmsExportSource::check_size() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(m_file, ec);
    if (ec) {
        return fail(ErrorCode::unreadable, "cannot read the export: " + ec.message());
    }
    if (size > m_max_bytes) {
        return fail(ErrorCode::too_large, "the export is larger than the limit of " +
                                              std::to_string(m_max_bytes >> 20) + " MiB");
    }
    return {};
}

Expected<void> SmsExportSource::list(ItemSink& sink, std::stop_token stop) {
    DOCKSCAN_TRY(check_size());
    m_texts.clear();
    m_places.clear();
    Lister lister(sink, std::move(stop), m_texts, m_places, m_file.filename().string());
    SmsExportReader reader(lister);
    return stream_file(m_file, reader);
}

Expected<std::string> SmsExportSource::read_in_place(const DataPlace& place) const {
    std::ifstream in(m_file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(place.offset));
    // The data plus the quote that must close it: anything else means the file changed.
    std::string raw(static_cast<std::size_t>(place.length) + 1, '\0');
    in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    if (!in || (raw.back() != '"' && raw.back() != '\'')) {
        return fail(ErrorCode::unreadable, "attachment not where it was listed");
    }
    raw.pop_back();
    return decode_base64(raw);
}

Expected<ItemContent> SmsExportSource::read(const ItemInfo& item) {
    if (item.type == ItemType::message) {
        const auto kept = m_texts.find(item.ref);
        if (kept == m_texts.end()) {
            return fail(ErrorCode::not_found, "message not listed by this source");
        }
        ItemContent content{ContentKind::text, std::move(kept->second)};
        m_texts.erase(kept);
        return content;
    }
    if (item.type != ItemType::attachment) {
        return fail(ErrorCode::unsupported, "an export holds messages and attachments only");
    }
    if (const auto place = m_places.find(item.ref); place != m_places.end()) {
        if (auto bytes = read_in_place(place->second)) {
            return ItemContent{ContentKind::image, std::move(*bytes)};
        }
    }
    // Not listed here, or the export changed: read it again for this one part.
    DOCKSCAN_TRY(check_size());
    AttachmentFinder finder(item.ref);
    SmsExportReader reader(finder);
    (void)stream_file(m_file, reader);
    if (!finder.found) {
        return fail(ErrorCode::not_found, "attachment not in the export");
    }
    DOCKSCAN_TRY_ASSIGN(std::string bytes, std::move(*finder.found));
    return ItemContent{ContentKind::image, std::move(bytes)};
}

} // namespace dockscan::docking
