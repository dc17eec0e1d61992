#include "docking/ios/ios_backup_source.hpp"

#include "base/text.hpp"
#include "docking/file_access.hpp"
#include "docking/ios/backup_info.hpp"
#include "docking/ios/keybag.hpp"
#include "docking/vcard.hpp"

#include <system_error>
#include <utility>

namespace dockscan::docking::ios {
namespace {

// The file `name` at the top of the backup folder, or nothing when there is none.
Expected<std::optional<std::string>> read_top_file(const Fd& root, const std::string& name,
                                                   std::uint64_t limit) {
    auto opened = open_regular(root, {name});
    if (!opened) {
        if (opened.error().code == ErrorCode::not_found) {
            return std::nullopt;
        }
        return fail(opened.error().code, name + ": " + opened.error().message);
    }
    auto bytes = read_all(*opened, limit);
    if (!bytes) {
        return fail(bytes.error().code, name + ": " + bytes.error().message);
    }
    return std::move(*bytes);
}

bool has_entry(const std::filesystem::path& folder, const char* name) {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::symlink_status(folder / name, ec));
}

struct TopFiles {
    DeviceIdentity identity;
    BackupManifest manifest;
    std::vector<ItemProblem> problems;
    std::optional<Error> manifest_error; // Manifest.plist could not be read
};

// Info.plist, Manifest.plist and Status.plist. What is wrong with them is recorded as
// problems of the listing: an unencrypted backup can be listed without any of them.
TopFiles read_top_files(const Fd& root, const IosBackupLimits& limits) {
    TopFiles top;
    const auto problem = [&](const char* ref, const Error& error) {
        top.problems.push_back(ItemProblem{ref, error.code, error.message});
    };
    const std::uint64_t limit = limits.backup.max_plist_bytes;
    auto info = read_top_file(root, "Info.plist", limit);
    if (info && *info) {
        auto parsed = parse_info_plist(**info);
        if (parsed) {
            top.identity = std::move(*parsed);
        } else {
            problem("Info.plist", parsed.error());
        }
    } else if (!info) {
        problem("Info.plist", info.error());
    }

    auto manifest = read_top_file(root, "Manifest.plist", limit);
    if (manifest && *manifest) {
        auto parsed = parse_manifest_plist(**manifest);
        if (parsed) {
            top.manifest = std::move(*parsed);
        } else {
            top.manifest_error = parsed.error();
        }
    } else if (!manifest) {
        top.manifest_error = manifest.error();
    } else {
        top.manifest_error = Error{ErrorCode::not_found, "Manifest.plist is missing"};
    }
    if (top.manifest_error) {
        problem("Manifest.plist", *top.manifest_error);
    }
    top.identity.complete_from(top.manifest.lockdown);

    auto status = read_top_file(root, "Status.plist", limit);
    if (status && *status) {
        auto state = parse_status_plist(**status);
        if (!state) {
            problem("Status.plist", state.error());
        } else if (*state && **state != "finished") {
            problem("Status.plist",
                    Error{ErrorCode::interrupted, "the backup did not finish (SnapshotState " +
                                                      base::to_valid_utf8(**state) + ")"});
        }
    } else if (!status) {
        problem("Status.plist", status.error());
    }
    return top;
}

} // namespace

IosBackupSource::IosBackupSource(std::filesystem::path folder, BackupFiles files, SourceInfo info,
                                 std::vector<ItemProblem> open_problems, IosBackupLimits limits)
    : m_folder(std::move(folder)), m_limits(limits), m_info(std::move(info)),
      m_open_problems(std::move(open_problems)), m_files(std::move(files)),
      m_catalog(std::make_unique<BackupCatalog>()) {}

bool IosBackupSource::looks_like_ios_backup(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec) &&
           (has_entry(path, "Manifest.db") || has_entry(path, "Manifest.plist"));
}

Expected<std::unique_ptr<IosBackupSource>>
IosBackupSource::open(const std::filesystem::path& folder,
                      const std::optional<std::string>& password, IosBackupLimits limits) {
    std::error_code ec;
    const auto status = std::filesystem::status(folder, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
        return fail(ErrorCode::not_found, "no such folder");
    }
    if (status.type() != std::filesystem::file_type::directory) {
        return fail(ErrorCode::not_a_source, "not a folder");
    }
    DOCKSCAN_TRY_ASSIGN(Fd root, open_root_folder(folder.string()));
    if (!has_entry(folder, "Manifest.db")) {
        if (has_entry(folder, "Manifest.mbdb")) {
            return fail(ErrorCode::unsupported, "backup from iOS 9 or older (Manifest.mbdb)");
        }
        return fail(ErrorCode::not_a_source, "no Manifest.db: not an iOS backup folder");
    }
    TopFiles top = read_top_files(root, limits);

    std::optional<ClassKeys> keys;
    if (top.manifest.encrypted) {
        if (!password) {
            return fail(ErrorCode::password_needed, "encrypted backup: password needed");
        }
        auto keybag = parse_keybag(top.manifest.keybag);
        if (!keybag) {
            return fail(keybag.error().code, "BackupKeyBag: " + keybag.error().message);
        }
        DOCKSCAN_TRY_ASSIGN(keys, unlock_keybag(*keybag, *password, limits.keybag));
    }
    auto files = BackupFiles::open(folder, std::move(root), std::move(keys),
                                   top.manifest.manifest_key, limits.backup);
    if (!files) {
        // An unreadable Manifest.plist may be why: it would have said "encrypted".
        std::string message = files.error().message;
        if (top.manifest_error) {
            message += "; Manifest.plist: " + top.manifest_error->message;
        }
        return fail(files.error().code, std::move(message));
    }

    SourceInfo info;
    info.kind = "ios-backup";
    info.location = folder.string();
    info.udid = top.identity.udid;
    info.serial = top.identity.serial.empty() ? top.identity.udid : top.identity.serial;
    info.name = top.identity.name;
    info.model = top.identity.product_type;
    info.os_version = top.identity.product_version;
    return std::unique_ptr<IosBackupSource>(new IosBackupSource(
        folder, std::move(*files), std::move(info), std::move(top.problems), limits));
}

SourceInfo IosBackupSource::describe() const {
    return m_info;
}

Expected<void> IosBackupSource::list(ItemSink& sink, std::stop_token stop) {
    // A new listing supersedes the last one (and closes its databases first).
    m_catalog.reset();
    m_catalog = std::make_unique<BackupCatalog>();
    for (const ItemProblem& problem : m_open_problems) {
        sink.problem(problem);
    }
    ListContext context{m_files, *m_catalog, sink, stop, m_limits};
    struct Part {
        const char* ref;
        Expected<void> (*list)(ListContext&);
    };
    for (const Part part :
         {Part{"Library/SMS/sms.db", list_messages}, Part{"Media/DCIM", list_camera_roll},
          Part{"Library/AddressBook/AddressBook.sqlitedb", list_contacts}}) {
        auto listed = part.list(context);
        if (!listed) {
            if (context.ended) {
                return listed;
            }
            context.problem(part.ref, listed.error());
        }
    }
    return {};
}

Expected<ItemContent> IosBackupSource::read(const ItemInfo& item) {
    switch (item.type) {
    case ItemType::message: {
        DOCKSCAN_TRY_ASSIGN(std::string text,
                            read_message_text(*m_catalog, item.ref, m_limits.max_message_bytes));
        return ItemContent{ContentKind::text, std::move(text)};
    }
    case ItemType::contact: {
        const auto it = m_catalog->contacts.find(item.ref);
        if (it == m_catalog->contacts.end()) {
            break;
        }
        return contact_content(it->second);
    }
    case ItemType::attachment:
    case ItemType::photo: {
        const auto it = m_catalog->files.find(item.ref);
        if (it == m_catalog->files.end()) {
            break;
        }
        DOCKSCAN_TRY_ASSIGN(std::string bytes, m_files.read(it->second, m_limits.max_image_bytes));
        return ItemContent{ContentKind::image, std::move(bytes)};
    }
    case ItemType::file:
        break;
    }
    return fail(ErrorCode::not_found,
                "no " + std::string(to_string(item.type)) + " " + item.ref + " in this backup");
}

} // namespace dockscan::docking::ios
