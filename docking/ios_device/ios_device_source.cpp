#include "docking/ios_device/ios_device_source.hpp"

#include "base/sqlite.hpp"
#include "docking/file_access.hpp"
#include "docking/ios/backup_listing.hpp"
#include "docking/ios/photo_library.hpp"
#include "docking/ios_device/mobile_backup.hpp"
#include "docking/ios_device/photo_availability.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace dockscan::docking::ios_device {
namespace {

constexpr const char* k_dcim = "DCIM";
constexpr const char* k_photo_library = "PhotoData/Photos.sqlite";
// Where problems with the backup (messages, contacts) are recorded.
constexpr const char* k_messages_ref = "sms.db";

// Whether the phone asks for its passcode before a backup (iOS 16.1 and later).
bool asks_passcode(const std::string& version) {
    int major = 0;
    int minor = 0;
    if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) < 1) {
        return true; // unknown: expect the question rather than miss it
    }
    return major > 16 || (major == 16 && minor >= 1);
}

// Passes the backup's items on, except its photos: AFC lists the camera roll.
class BackupSink final : public ItemSink {
public:
    explicit BackupSink(ItemSink& sink) : m_sink(sink) {}
    void item(const ItemInfo& info) override {
        if (info.type != ItemType::photo) {
            m_sink.item(info);
        }
    }
    void problem(const ItemProblem& problem) override {
        if (problem.ref.rfind("Media/", 0) != 0) {
            m_sink.problem(problem);
        }
    }

private:
    ItemSink& m_sink;
};

} // namespace

IosDeviceSource::IosDeviceSource(Device device, Lockdown lockdown, SourceInfo info,
                                 IosConnectorOptions options, ConnectProgress& progress)
    : m_device(std::move(device)), m_lockdown(std::move(lockdown)), m_info(std::move(info)),
      m_options(std::move(options)), m_progress(&progress) {}

IosDeviceSource::~IosDeviceSource() = default;

std::unique_ptr<IosDeviceSource> IosDeviceSource::create(Device device, Lockdown lockdown,
                                                         SourceInfo info,
                                                         IosConnectorOptions options,
                                                         ConnectProgress& progress) {
    return std::unique_ptr<IosDeviceSource>(new IosDeviceSource(
        std::move(device), std::move(lockdown), std::move(info), std::move(options), progress));
}

SourceInfo IosDeviceSource::describe() const {
    return m_info;
}

Expected<Afc*> IosDeviceSource::afc() {
    if (!m_afc) {
        DOCKSCAN_TRY_ASSIGN(Afc afc, Afc::open(m_device, m_lockdown));
        m_afc.emplace(std::move(afc));
    }
    return &*m_afc;
}

std::map<std::string, PhotoHints> IosDeviceSource::photo_hints(ItemSink& sink) {
    // SQLite reads files: the library is copied into a private folder (0700, removed
    // when this returns) and read from there. The phone's -wal file is not copied, so
    // the newest analysis may be missing; the hints are hints.
    const auto problem = [&](const Error& error) {
        sink.problem(ItemProblem{k_photo_library, error.code, error.message});
        return std::map<std::string, PhotoHints>{};
    };
    auto afc_client = afc();
    if (!afc_client) {
        return problem(afc_client.error());
    }
    auto folder = ios::PrivateTempDir::create();
    if (!folder) {
        return problem(folder.error());
    }
    auto file = folder->new_file();
    if (!file) {
        return problem(file.error());
    }
    const int fd = file->fd().get();
    auto copied = (*afc_client)
                      ->read_file(k_photo_library, m_options.limits.max_photo_library_bytes,
                                  [fd](std::string_view bytes) -> Expected<void> {
                                      while (!bytes.empty()) {
                                          const ssize_t wrote =
                                              ::write(fd, bytes.data(), bytes.size());
                                          if (wrote < 0) {
                                              if (errno == EINTR) {
                                                  continue;
                                              }
                                              return tl::unexpected(errno_error(errno));
                                          }
                                          bytes.remove_prefix(static_cast<std::size_t>(wrote));
                                      }
                                      return {};
                                  });
    file->close_for_writing();
    if (!copied) {
        if (copied.error().code == ErrorCode::not_found) {
            return {}; // a phone that never opened Photos has no library yet
        }
        return problem(copied.error());
    }
    auto db = base::sqlite::Database::open(file->path(), base::sqlite::Access::read_only_immutable);
    if (!db) {
        return problem(Error{ErrorCode::malformed, "Photos.sqlite: " + db.error().message});
    }
    auto hints = ios::read_photo_hints(*db, m_options.limits.max_items);
    if (!hints) {
        return problem(hints.error());
    }
    return std::move(*hints);
}

Expected<void> IosDeviceSource::list_photos(const std::string& folder, std::size_t depth,
                                            const std::map<std::string, PhotoHints>& hints,
                                            ItemSink& sink, const std::stop_token& stop) {
    DOCKSCAN_TRY_ASSIGN(Afc * client, afc());
    auto names = client->read_directory(folder, m_options.limits.max_folder_entries);
    if (!names) {
        if (names.error().code == ErrorCode::interrupted ||
            names.error().code == ErrorCode::timed_out) {
            return tl::unexpected(names.error());
        }
        if (names.error().code != ErrorCode::not_found || depth > 0) {
            sink.problem(ItemProblem{folder, names.error().code, names.error().message});
        }
        return {};
    }
    std::sort(names->begin(), names->end());
    for (const std::string& name : *names) {
        if (stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "the scan was stopped");
        }
        const std::string path = folder + "/" + name;
        auto ref = ios::phone_path_ref(path);
        if (!ref || name.find('/') != std::string::npos) {
            sink.problem(ItemProblem{folder, ErrorCode::malformed,
                                     "a name on the phone that "
                                     "could leave its folder"});
            continue;
        }
        auto info = client->stat(path);
        if (!info) {
            if (info.error().code == ErrorCode::interrupted ||
                info.error().code == ErrorCode::timed_out) {
                return tl::unexpected(info.error());
            }
            sink.problem(ItemProblem{*ref, info.error().code, info.error().message});
            continue;
        }
        if (info->kind == AfcStat::Kind::folder) {
            if (depth + 1 >= m_options.limits.max_depth) {
                sink.problem(ItemProblem{*ref, ErrorCode::too_large, "folders nested too deep"});
                continue;
            }
            DOCKSCAN_TRY(list_photos(path, depth + 1, hints, sink, stop));
            continue;
        }
        if (info->kind != AfcStat::Kind::file || !ios::is_image_name(name)) {
            continue;
        }
        m_seen.insert(path);
        if (m_photos.size() >= m_options.limits.max_items) {
            return fail(ErrorCode::too_large, "the phone has more than " +
                                                  std::to_string(m_options.limits.max_items) +
                                                  " photos");
        }
        if (const auto problem = listed_photo_problem(info->size)) {
            sink.problem(ItemProblem{*ref, problem->code, problem->message});
            continue;
        }
        ItemInfo item{ItemType::photo, *ref, info->size, info->mtime, "Bild " + *ref};
        if (const auto it = hints.find(path); it != hints.end()) {
            item.photo_hints = it->second;
        }
        m_photos.insert_or_assign(*ref, path);
        sink.item(item);
    }
    return {};
}

Expected<void> IosDeviceSource::list_backup(ItemSink& sink, const std::stop_token& stop) {
    const auto not_fetched = [&](const Error& error) -> Expected<void> {
        // A backup that cannot be read leaves no copy behind; one that was opened stays
        // while its items may still be read.
        if (!m_backup) {
            m_staging.reset();
        }
        // The person at the dock can act on these: the scan records them as its outcome.
        if (error.code == ErrorCode::interrupted || error.code == ErrorCode::device_locked ||
            error.code == ErrorCode::not_authorised || error.code == ErrorCode::timed_out) {
            return tl::unexpected(error);
        }
        sink.problem(ItemProblem{k_messages_ref, error.code,
                                 "meddelanden och kontakter hämtades inte / messages and "
                                 "contacts not fetched: " +
                                     error.message});
        return {};
    };
    auto encrypted = m_lockdown.bool_value("com.apple.mobile.backup", "WillEncrypt");
    if (!encrypted) {
        return not_fetched(encrypted.error());
    }
    if (encrypted->value_or(false) && !m_options.backup_password) {
        return not_fetched(Error{ErrorCode::password_needed,
                                 "the phone encrypts its backups and the station has no backup "
                                 "password (config)"});
    }
    m_backup.reset();
    m_staging.reset();
    auto staging =
        ios::PrivateTempDir::create_in(m_options.staging_parent.value_or(default_staging_parent()));
    if (!staging) {
        return not_fetched(staging.error());
    }
    m_staging.emplace(std::move(*staging));
    BackupRequest request{m_info.udid, asks_passcode(m_info.os_version), m_options.passcode_timeout,
                          m_options.limits};
    auto folder = run_backup(m_device, m_lockdown, m_staging->path(), request, *m_progress, stop);
    if (!folder) {
        return not_fetched(folder.error());
    }
    auto backup = ios::IosBackupSource::open(
        *folder, encrypted->value_or(false) ? m_options.backup_password : std::nullopt);
    if (!backup) {
        return not_fetched(backup.error());
    }
    m_backup = std::move(*backup);
    BackupSink filtered(sink);
    auto listed = m_backup->list(filtered, stop);
    if (!listed) {
        return not_fetched(listed.error());
    }
    return {};
}

Expected<void> IosDeviceSource::list(ItemSink& sink, std::stop_token stop) {
    m_photos.clear();
    m_seen.clear();
    DOCKSCAN_TRY(afc());
    const auto hints = photo_hints(sink);
    DOCKSCAN_TRY(list_photos(k_dcim, 0, hints, sink, stop));
    // Photos the library knows in DCIM but AFC does not show: with "Optimise iPhone
    // Storage" the original is only in iCloud. Not checked, so not clean either.
    for (const auto& entry : hints) {
        const std::string& path = entry.first;
        if (path.rfind("DCIM/", 0) != 0 || !ios::is_image_name(path) || m_seen.count(path) != 0) {
            continue;
        }
        if (auto ref = ios::phone_path_ref(path)) {
            sink.problem(ItemProblem{*ref, ErrorCode::unreadable, std::string(k_icloud_only)});
        }
    }
    if (m_options.messages == MessageBackup::pull) {
        DOCKSCAN_TRY(list_backup(sink, stop));
    }
    return {};
}

Expected<ItemContent> IosDeviceSource::read(const ItemInfo& item) {
    const auto photo = m_photos.find(item.ref);
    if (photo == m_photos.end()) {
        if (m_backup && item.type != ItemType::photo) {
            return m_backup->read(item);
        }
        return fail(ErrorCode::not_found, "not listed from this phone");
    }
    DOCKSCAN_TRY_ASSIGN(Afc * client, afc());
    std::string data;
    auto read = client->read_file(photo->second, m_options.limits.max_photo_bytes,
                                  [&data](std::string_view bytes) -> Expected<void> {
                                      data.append(bytes);
                                      return {};
                                  });
    if (!read) {
        return tl::unexpected(photo_read_failure(read.error()));
    }
    if (data.empty()) {
        return tl::unexpected(empty_photo_read());
    }
    return ItemContent{ContentKind::image, std::move(data)};
}

} // namespace dockscan::docking::ios_device
