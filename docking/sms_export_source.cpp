#include "docking/sms_export_source.hpp"

#include "docking/sms_export.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

namespace dockscan::docking {
namespace {

class Lister final : public SmsExportSink {
public:
    Lister(ItemSink& sink, std::stop_token stop, std::map<std::string, std::string>& texts,
           std::string file_ref)
        : m_sink(sink), m_stop(std::move(stop)), m_texts(texts), m_file_ref(std::move(file_ref)) {}

    Expected<void> item(const SmsItem& item) override {
        if (m_stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "listing stopped");
        }
        if (!m_seen.emplace(item.key, true).second) {
            return {}; // the same message twice in one export
        }
        if (item.type == ItemType::message) {
            m_texts[item.key] = item.text;
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
    std::string m_file_ref;
    std::map<std::string, bool> m_seen;
};

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

Expected<std::string> SmsExportSource::load() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(m_file, ec);
    if (ec) {
        return fail(ErrorCode::unreadable, "cannot read the export: " + ec.message());
    }
    if (size > m_max_bytes) {
        return fail(ErrorCode::too_large, "the export is larger than the limit of " +
                                              std::to_string(m_max_bytes >> 20) + " MiB");
    }
    std::ifstream in(m_file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        return fail(ErrorCode::unreadable, "cannot read the export");
    }
    return bytes.str();
}

Expected<void> SmsExportSource::list(ItemSink& sink, std::stop_token stop) {
    DOCKSCAN_TRY_ASSIGN(std::string buffer, load());
    m_texts.clear();
    Lister lister(sink, std::move(stop), m_texts, m_file.filename().string());
    return parse_sms_export(buffer, lister);
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
    DOCKSCAN_TRY_ASSIGN(std::string buffer, load());
    AttachmentFinder finder(item.ref);
    (void)parse_sms_export(buffer, finder);
    if (!finder.found) {
        return fail(ErrorCode::not_found, "attachment not in the export");
    }
    DOCKSCAN_TRY_ASSIGN(std::string bytes, std::move(*finder.found));
    return ItemContent{ContentKind::image, std::move(bytes)};
}

} // namespace dockscan::docking
