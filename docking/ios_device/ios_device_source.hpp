#pragma once

// A docked iPhone as a phone source, once it trusts the station.
//
// Items, their refs and labels:
//   photo    every image below DCIM, listed and read through AFC (com.apple.afc, rooted
//            at /var/mobile/Media): ref "DCIM/100APPLE/IMG_0001.HEIC" (the path on the
//            phone, escaped as ref_path.hpp says; never a host path), label
//            "Bild DCIM/100APPLE/IMG_0001.HEIC", size and time from AFC's GetFileInfo,
//            photo_hints from PhotoData/Photos.sqlite (copied into a private 0700
//            folder, read with docking/ios's reader, removed with the source).
//            A photo kept only in iCloud is a problem (photo_availability.hpp): a
//            file of zero bytes, one AFC cannot read, or one the library lists in
//            DCIM that AFC does not show.
//   message, attachment, contact
//            from a mobilebackup2 backup staged in a private folder (mobile_backup.hpp)
//            and read by docking::ios::IosBackupSource, as that source names them.
//
// Photos are read only when read() asks (the scan's incremental state decides). A phone
// unplugged while listing ends the listing with `interrupted`; the items already listed
// stay valid. Not thread-safe: list and read from one thread.

#include "docking/ios/ios_backup_source.hpp"
#include "docking/ios/private_temp.hpp"
#include "docking/ios_device/imd_seam.hpp"
#include "docking/ios_device/ios_device_options.hpp"
#include "docking/phone_connector.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace dockscan::docking::ios_device {

class IosDeviceSource final : public PhoneSource {
public:
    // A source for a phone with an open, trusted lockdownd session. `progress` must
    // outlive the source (the backup may wait for the passcode during list()).
    [[nodiscard]] static std::unique_ptr<IosDeviceSource> create(Device device, Lockdown lockdown,
                                                                 SourceInfo info,
                                                                 IosConnectorOptions options,
                                                                 ConnectProgress& progress);

    IosDeviceSource(const IosDeviceSource&) = delete;
    IosDeviceSource& operator=(const IosDeviceSource&) = delete;
    ~IosDeviceSource() override;

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

private:
    IosDeviceSource(Device device, Lockdown lockdown, SourceInfo info, IosConnectorOptions options,
                    ConnectProgress& progress);

    [[nodiscard]] Expected<Afc*> afc();
    [[nodiscard]] std::map<std::string, PhotoHints> photo_hints(ItemSink& sink);
    [[nodiscard]] Expected<void> list_photos(const std::string& folder, std::size_t depth,
                                             const std::map<std::string, PhotoHints>& hints,
                                             ItemSink& sink, const std::stop_token& stop);
    [[nodiscard]] Expected<void> list_backup(ItemSink& sink, const std::stop_token& stop);

    Device m_device;
    Lockdown m_lockdown;
    SourceInfo m_info;
    IosConnectorOptions m_options;
    ConnectProgress* m_progress;
    std::optional<Afc> m_afc;
    // Listed photos: ref -> path on the phone (below /var/mobile/Media).
    std::map<std::string, std::string> m_photos;
    // Image files seen below DCIM (paths on the phone), readable or not.
    std::set<std::string> m_seen;
    // The staged backup; m_backup goes before the folder it reads.
    std::optional<ios::PrivateTempDir> m_staging;
    std::unique_ptr<ios::IosBackupSource> m_backup;
};

} // namespace dockscan::docking::ios_device
