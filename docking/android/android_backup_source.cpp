#include "docking/android/android_backup_source.hpp"

#include "docking/android/message_item.hpp"
#include "docking/android/telephony_backup.hpp"
#include "docking/ref_path.hpp"

#include <string_view>

namespace dockscan::docking::android {
namespace {

// Shared storage in an `adb backup -shared` archive: "shared/0/DCIM/Camera/IMG_1.jpg".
constexpr std::string_view k_shared_prefix = "shared/";

bool is_shared_photo(std::string_view name) {
    if (!name.starts_with(k_shared_prefix)) {
        return false;
    }
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || name.find('/', dot) != std::string_view::npos) {
        return false;
    }
    std::string ext(name.substr(dot + 1));
    for (char& c : ext) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "heic" || ext == "heif";
}

// The archive's name as a ref: each component as ref_path.hpp escapes names.
std::string photo_ref(std::string_view name) {
    std::string ref;
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto slash = name.find('/', start);
        const auto end = slash == std::string_view::npos ? name.size() : slash;
        if (end > start) {
            // Two appends, not `(… ? "" : "/") + encode_name(…)`: at -O3 GCC 12 reports a
            // false -Wrestrict in that (see in_quotes in agent/store/users.cpp).
            if (!ref.empty()) {
                ref += '/';
            }
            ref += encode_name(name.substr(start, end - start));
        }
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return ref;
}

} // namespace

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
    m_photos.clear();
    m_spool.reset();
    DOCKSCAN_TRY_ASSIGN(FileStream stream, FileStream::open(m_file));
    DOCKSCAN_TRY_ASSIGN(const AbHeader header, read_ab_header(stream));
    if (header != m_archive.header()) {
        return fail(ErrorCode::unreadable,
                    m_file.string() + ": the backup changed since it was opened");
    }
    return m_archive.read_entries(
        stream, [&](AbEntry& entry) { return handle_entry(entry, sink); }, stop);
}

Expected<void> AndroidBackupSource::handle_photo(AbEntry& entry, ItemSink& sink) {
    const std::string ref = photo_ref(entry.name());
    if (m_photos.contains(ref)) {
        return {};
    }
    ItemInfo info{ItemType::photo, ref, entry.size().value_or(0), entry.mtime(), "Bild " + ref};
    SpooledPhoto photo;
    const auto too_large = [&](std::uint64_t size, std::uint64_t limit, std::string_view what) {
        return Error{ErrorCode::too_large, std::to_string(size) + " bytes, over the limit of " +
                                               std::to_string(limit) + std::string(what)};
    };
    if (info.size > m_limits.max_image_bytes) {
        photo.error = too_large(info.size, m_limits.max_image_bytes, "");
    } else if ((m_spool ? m_spool->size() : 0) + info.size > m_limits.max_spooled_bytes) {
        photo.error =
            too_large(info.size, m_limits.max_spooled_bytes, " for the photos of one backup");
    } else {
        auto data = entry.read();
        if (!data) {
            if (entry.archive_failed()) {
                return {}; // the listing ends with the archive's error
            }
            photo.error = data.error();
        } else {
            if (!m_spool) {
                DOCKSCAN_TRY_ASSIGN(m_spool, Spool::create());
            }
            DOCKSCAN_TRY_ASSIGN(photo.offset, m_spool->append(*data));
            photo.length = data->size();
            info.size = photo.length;
        }
    }
    if (m_photos.size() + m_texts.size() >= m_limits.max_items) {
        return fail(ErrorCode::too_large,
                    "backup has more than " + std::to_string(m_limits.max_items) + " items");
    }
    m_photos.emplace(ref, std::move(photo));
    sink.item(info);
    return {};
}

Expected<void> AndroidBackupSource::handle_entry(AbEntry& entry, ItemSink& sink) {
    if (entry.regular() && is_shared_photo(entry.name())) {
        return handle_photo(entry, sink);
    }
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
    if (item.type == ItemType::photo) {
        const auto photo = m_photos.find(item.ref);
        if (photo == m_photos.end()) {
            return fail(ErrorCode::not_found, "no photo " + item.ref + " in this backup");
        }
        if (photo->second.error) {
            return tl::unexpected(*photo->second.error);
        }
        DOCKSCAN_TRY_ASSIGN(std::string bytes,
                            m_spool->read(photo->second.offset, photo->second.length));
        return ItemContent{ContentKind::image, std::move(bytes)};
    }
    const auto it = m_texts.find(item.ref);
    if (item.type != ItemType::message || it == m_texts.end()) {
        return fail(ErrorCode::not_found, "no message " + item.ref + " in this backup");
    }
    return ItemContent{ContentKind::text, it->second};
}

} // namespace dockscan::docking::android
