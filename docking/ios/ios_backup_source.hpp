#pragma once

// The folder of one iPhone's backup as iTunes, Finder or idevicebackup2 write it
// (`<UDID>/` with Manifest.db, Manifest.plist, Info.plist, Status.plist and the
// files as `xx/<fileID>`; iOS 10 and later), plain or encrypted, as a phone source.
//
// Items, their refs and labels (labels name no person and hold no full number):
//   message     sms.db messages with text   ref "sms:<guid>"
//               label "SMS från +46 70… 2026-11-20 14:02", "iMessage till …"
//   attachment  their images                ref "sms:<guid>/attachment:<k>"
//               label "Bild i SMS från +46 70… 2026-11-20 14:02"
//   photo       images below Media/DCIM     ref "Media/DCIM/100APPLE/IMG_1.HEIC"
//               label "Bild DCIM/100APPLE/IMG_1.HEIC"; photo_hints from Photos.sqlite
//               where the backup has it
//   contact     AddressBook persons         ref "contact:<ROWID>"  label "Kontakt nr <ROWID>"
// See message_listing.cpp for why a message's ref is its guid.
//
// A part that cannot be read (a damaged sms.db, a missing stored file, a broken
// Info.plist) is a problem of the listing; the rest is listed all the same.
//
// Encrypted backups (Manifest.plist IsEncrypted) are unlocked at open(): without a
// password `password_needed`, with a wrong one `wrong_password`. Their databases
// are decrypted into a private temporary folder while the source lives
// (private_temp.hpp); photos and attachments are decrypted in memory when read.
//
// Messages, attachments and photos can only be read after list(). Not thread-safe:
// list and read from one thread, as the scan pipeline does.

#include "docking/ios/backup_files.hpp"
#include "docking/ios/backup_listing.hpp"
#include "docking/phone_source.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::docking::ios {

class IosBackupSource final : public PhoneSource {
public:
    // Opens the backup in `folder`; an encrypted one is unlocked with `password`.
    [[nodiscard]] static Expected<std::unique_ptr<IosBackupSource>>
    open(const std::filesystem::path& folder, const std::optional<std::string>& password,
         IosBackupLimits limits = {});

    // True for a folder with Manifest.db or Manifest.plist: the sources table asks
    // this before it opens a folder as a plain copy of a phone.
    [[nodiscard]] static bool looks_like_ios_backup(const std::filesystem::path& path);

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

private:
    IosBackupSource(std::filesystem::path folder, BackupFiles files, SourceInfo info,
                    std::vector<ItemProblem> open_problems, IosBackupLimits limits);

    std::filesystem::path m_folder;
    IosBackupLimits m_limits;
    SourceInfo m_info;
    // Problems found at open (a broken Info.plist, an unfinished backup), reported by
    // every listing.
    std::vector<ItemProblem> m_open_problems;
    BackupFiles m_files; // before m_catalog: its temporary folder goes last
    std::unique_ptr<BackupCatalog> m_catalog;
};

} // namespace dockscan::docking::ios
