#include "docking/adb/adb_source.hpp"

#include "docking/file_access.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace dockscan::docking::adb {
namespace {

constexpr const char* k_photo_roots[] = {"/sdcard/DCIM", "/sdcard/Pictures"};
// Android's `bu` streams an `adb backup` archive of the named packages to stdout;
// the telephony provider's backup agent writes the SMS and MMS.
constexpr const char* k_backup_command = "bu backup -noapk com.android.providers.telephony";
constexpr std::size_t k_max_property_bytes = 4096;

bool is_photo_name(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos) {
        return false;
    }
    std::string ext = name.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "heic" || ext == "heif";
}

std::string trimmed(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.pop_back();
    }
    return text;
}

// A property via `getprop`; empty when the phone does not say.
std::string property(AdbConnection& connection, const std::string& name) {
    auto value = connection.run("getprop " + name, k_max_property_bytes);
    return value ? trimmed(std::move(*value)) : std::string();
}

} // namespace

Expected<std::unique_ptr<AdbSource>>
AdbSource::open_tcp(const std::string& host, std::uint16_t port, AdbSourceOptions options) {
    DOCKSCAN_TRY_ASSIGN(auto transport, connect_tcp(host, port));
    return open(std::move(transport), "adb:" + host + ":" + std::to_string(port),
                std::move(options));
}

Expected<std::unique_ptr<AdbSource>> AdbSource::open(std::unique_ptr<ByteTransport> transport,
                                                     std::string location,
                                                     AdbSourceOptions options) {
    DOCKSCAN_TRY_ASSIGN(const StationKey key, StationKey::load_or_create(options.key_file));
    DOCKSCAN_TRY_ASSIGN(auto connection,
                        AdbConnection::connect(std::move(transport), key, options.connect));
    SourceInfo info;
    info.kind = "adb";
    info.location = std::move(location);
    info.name = connection->banner_property("ro.product.name");
    info.model = connection->banner_property("ro.product.model");
    info.serial = property(*connection, "ro.serialno");
    info.os_version = property(*connection, "ro.build.version.release");
    return std::unique_ptr<AdbSource>(
        new AdbSource(std::move(connection), std::move(info), std::move(options)));
}

AdbSource::~AdbSource() {
    m_backup.reset();
    if (!m_temp_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_temp_dir, ec);
    }
}

SourceInfo AdbSource::describe() const {
    return m_info;
}

Expected<SyncClient*> AdbSource::sync() {
    if (!m_sync) {
        DOCKSCAN_TRY_ASSIGN(SyncClient client, SyncClient::open(*m_connection));
        m_sync.emplace(std::move(client));
    }
    return &*m_sync;
}

Expected<void> AdbSource::list(ItemSink& sink, std::stop_token stop) {
    for (const char* root : k_photo_roots) {
        auto listed = list_photos(root, 0, sink, stop);
        if (!listed) {
            m_sync.reset(); // the sync stream may be mid-answer: never reuse it
            return listed;
        }
    }
    if (m_options.messages == MessageBackup::pull && !stop.stop_requested()) {
        DOCKSCAN_TRY(list_messages(sink, stop));
    }
    return {};
}

Expected<void> AdbSource::list_photos(const std::string& folder, std::size_t depth, ItemSink& sink,
                                      const std::stop_token& stop) {
    if (stop.stop_requested()) {
        return fail(ErrorCode::interrupted, "stopped");
    }
    DOCKSCAN_TRY_ASSIGN(SyncClient * client, sync());
    std::vector<SyncEntry> entries;
    DOCKSCAN_TRY(client->list(folder, m_options.limits.max_folder_entries,
                              [&](const SyncEntry& entry) { entries.push_back(entry); }));
    std::sort(entries.begin(), entries.end(),
              [](const SyncEntry& a, const SyncEntry& b) { return a.name < b.name; });
    for (const SyncEntry& entry : entries) {
        const std::string path = folder + "/" + entry.name;
        if (is_folder(entry.mode)) {
            if (depth + 1 >= m_options.limits.max_depth) {
                sink.problem({path, ErrorCode::too_large, "folders nested too deep"});
                continue;
            }
            DOCKSCAN_TRY(list_photos(path, depth + 1, sink, stop));
            continue;
        }
        // Links are not followed: a link in DCIM could point anywhere on the phone.
        if (!is_regular(entry.mode) || !is_photo_name(entry.name)) {
            continue;
        }
        if (m_photos.size() >= m_options.limits.max_items) {
            return fail(ErrorCode::too_large, "more than " +
                                                  std::to_string(m_options.limits.max_items) +
                                                  " photos on the phone");
        }
        m_photos.insert(path);
        sink.item(ItemInfo{ItemType::photo, path, entry.size, entry.mtime, "Bild " + path});
    }
    return {};
}

Expected<std::filesystem::path> AdbSource::pull_backup(const std::stop_token& stop) {
    // A second listing pulls a fresh backup; the first one's file goes first.
    m_backup.reset();
    if (!m_temp_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_temp_dir, ec);
        m_temp_dir.clear();
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "dockscan-adb-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        return fail(ErrorCode::unreadable,
                    std::string("cannot create a private temporary folder: ") +
                        std::strerror(errno));
    }
    m_temp_dir = pattern;
    const std::filesystem::path file = m_temp_dir / "telephony.ab";
    Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd) {
        return fail(ErrorCode::unreadable, "cannot create the temporary backup file");
    }
    DOCKSCAN_TRY_ASSIGN(AdbStream stream,
                        m_connection->open(std::string("exec:") + k_backup_command));
    std::uint64_t total = 0;
    while (true) {
        if (stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "stopped during the message backup");
        }
        auto chunk = stream.read_some();
        if (!chunk) {
            return fail(ErrorCode::interrupted,
                        chunk.error().message + " during the message backup");
        }
        if (chunk->empty()) {
            break;
        }
        total += chunk->size();
        if (total > m_options.limits.max_backup_bytes) {
            return fail(ErrorCode::too_large,
                        "the message backup is over " +
                            std::to_string(m_options.limits.max_backup_bytes) + " bytes");
        }
        if (::write(fd.get(), chunk->data(), chunk->size()) !=
            static_cast<ssize_t>(chunk->size())) {
            return fail(ErrorCode::unreadable, "cannot write the temporary backup file");
        }
    }
    // The phone closes the stream both when it is done and when it goes away.
    if (!m_connection->broken_reason().empty()) {
        return fail(ErrorCode::interrupted,
                    m_connection->broken_reason() + " during the message backup");
    }
    if (total == 0) {
        return fail(ErrorCode::not_found, "the phone sent no message backup");
    }
    return file;
}

Expected<void> AdbSource::list_messages(ItemSink& sink, const std::stop_token& stop) {
    auto file = pull_backup(stop);
    if (!file) {
        if (file.error().code == ErrorCode::interrupted) {
            return tl::unexpected(file.error());
        }
        // Photos stay scannable when the phone cannot or will not back up messages.
        sink.problem(
            {"backup:com.android.providers.telephony", file.error().code, file.error().message});
        return {};
    }
    auto backup = android::AndroidBackupSource::open(*file, std::nullopt);
    if (!backup) {
        sink.problem({"backup:com.android.providers.telephony", backup.error().code,
                      backup.error().message});
        return {};
    }
    m_backup = std::move(*backup);
    return m_backup->list(sink, stop);
}

Expected<ItemContent> AdbSource::read(const ItemInfo& item) {
    if (item.type == ItemType::photo && m_photos.contains(item.ref)) {
        if (item.size > m_options.limits.max_image_bytes) {
            return fail(ErrorCode::too_large, "the photo is over " +
                                                  std::to_string(m_options.limits.max_image_bytes) +
                                                  " bytes");
        }
        DOCKSCAN_TRY_ASSIGN(SyncClient * client, sync());
        auto data = client->pull(item.ref, m_options.limits.max_image_bytes);
        if (!data) {
            m_sync.reset(); // abandoned mid-transfer: the stream is out of step
            return tl::unexpected(data.error());
        }
        return ItemContent{ContentKind::image, std::move(*data)};
    }
    if (m_backup) {
        return m_backup->read(item);
    }
    return fail(ErrorCode::not_found, "not listed from this phone: " + item.ref);
}

} // namespace dockscan::docking::adb
