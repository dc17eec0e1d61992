#include "docking/android/android_backup_source.hpp"

#include "docking/android/message_item.hpp"
#include "docking/android/telephony_backup.hpp"

namespace dockscan::docking::android {

Expected<std::unique_ptr<AndroidBackupSource>>
AndroidBackupSource::open(const std::filesystem::path& file,
                          const std::optional<std::string>& password, AndroidBackupLimits limits) {
    DOCKSCAN_TRY_ASSIGN(FileStream stream, FileStream::open(file));
    DOCKSCAN_TRY_ASSIGN(AbArchive archive, AbArchive::open(stream, password, limits.archive));
    return std::unique_ptr<AndroidBackupSource>(
        new AndroidBackupSource(file, std::move(archive), limits));
}

SourceInfo AndroidBackupSource::describe() const {
    SourceInfo info;
    info.kind = "android-backup";
    info.location = m_file.string();
    return info;
}

Expected<void> AndroidBackupSource::list(ItemSink& sink, std::stop_token stop) {
    m_texts.clear();
    m_kept_bytes = 0;
    DOCKSCAN_TRY_ASSIGN(FileStream stream, FileStream::open(m_file));
    DOCKSCAN_TRY_ASSIGN(const AbHeader header, read_ab_header(stream));
    if (header != m_archive.header()) {
        return fail(ErrorCode::unreadable,
                    m_file.string() + ": the backup changed since it was opened");
    }
    return m_archive.read_entries(
        stream, [&](AbEntry& entry) { return handle_entry(entry, sink); }, stop);
}

Expected<void> AndroidBackupSource::handle_entry(AbEntry& entry, ItemSink& sink) {
    const auto kind = telephony_file_kind(entry.name());
    if (!kind || !entry.regular()) {
        return {};
    }
    auto data = entry.read();
    if (!data) {
        // When the archive itself broke, the listing ends with that error instead.
        if (!entry.archive_failed()) {
            sink.problem({entry.name(), data.error().code, data.error().message});
        }
        return {};
    }
    auto file = parse_telephony_file(*kind, *data, m_limits.max_message_file_bytes);
    if (!file) {
        sink.problem({entry.name(), file.error().code, file.error().message});
        return {};
    }
    if (file->skipped > 0) {
        sink.problem({entry.name(), ErrorCode::malformed,
                      std::to_string(file->skipped) + " messages in this file could not be read"});
    }
    for (BackupMessage& message : file->messages) {
        if (message.body.empty()) {
            continue; // nothing to scan
        }
        ItemInfo info = message_item_info(message);
        // The same message twice (same number, time and text) gets "#2", "#3"...
        if (m_texts.contains(info.ref)) {
            const std::string base = info.ref;
            for (int n = 2; m_texts.contains(info.ref); ++n) {
                info.ref = base + "#" + std::to_string(n);
            }
        }
        if (m_kept_bytes + message.body.size() > m_limits.max_kept_text_bytes) {
            sink.problem({info.ref, ErrorCode::too_large,
                          "message texts in this backup exceed the limit of " +
                              human_size(m_limits.max_kept_text_bytes)});
            continue;
        }
        if (m_texts.size() >= m_limits.max_items) {
            return fail(ErrorCode::too_large,
                        "backup has more than " + std::to_string(m_limits.max_items) + " messages");
        }
        m_kept_bytes += message.body.size();
        m_texts.emplace(info.ref, std::move(message.body));
        sink.item(info);
    }
    return {};
}

Expected<ItemContent> AndroidBackupSource::read(const ItemInfo& item) {
    const auto it = m_texts.find(item.ref);
    if (item.type != ItemType::message || it == m_texts.end()) {
        return fail(ErrorCode::not_found, "no message " + item.ref + " in this backup");
    }
    return ItemContent{ContentKind::text, it->second};
}

} // namespace dockscan::docking::android
