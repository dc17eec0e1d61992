#pragma once

// An `adb backup` archive (.ab) as a phone source: the SMS and MMS texts that
// Android's telephony backup agent put into it, and the photos of shared storage that
// `adb backup -shared` puts under "shared/0/" (*.jpg *.jpeg *.png *.heic *.heif,
// ref "shared/0/DCIM/Camera/IMG_1.jpg", label "Bild <ref>"). Plain and AES-256
// encrypted archives, compressed or not, format versions 1 to 5.
//
// Photos are copied into an unnamed temporary file (spool.hpp) while the archive is
// listed, and read from there: the archive is one stream. A photo over
// max_image_bytes is listed all the same and its read is too_large, as for any photo.

#include "docking/android/ab_archive.hpp"
#include "docking/android/spool.hpp"
#include "docking/phone_source.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace dockscan::docking::android {

struct AndroidBackupLimits {
    AbLimits archive;
    std::uint64_t max_message_file_bytes = 64u << 20; // one message file, inflated
    std::uint64_t max_kept_text_bytes = 512u << 20;   // texts kept from listing until read
    std::size_t max_items = 1'000'000;                // messages in one backup
    std::uint64_t max_image_bytes = 64u << 20;        // a photo, as in every source
    std::uint64_t max_spooled_bytes = 8ull << 30;     // photos kept until they are read
};

class AndroidBackupSource final : public PhoneSource {
public:
    // Opens `file` and checks its header; an encrypted backup is unlocked with
    // `password` here (`password_needed`, `wrong_password`), so that a wrong password
    // is known before anything is listed.
    [[nodiscard]] static Expected<std::unique_ptr<AndroidBackupSource>>
    open(const std::filesystem::path& file, const std::optional<std::string>& password,
         AndroidBackupLimits limits = {});

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

private:
    AndroidBackupSource(std::filesystem::path file, AbArchive archive, AndroidBackupLimits limits)
        : m_file(std::move(file)), m_archive(std::move(archive)), m_limits(limits) {}

    [[nodiscard]] Expected<void> handle_entry(AbEntry& entry, ItemSink& sink);
    [[nodiscard]] Expected<void> handle_photo(AbEntry& entry, ItemSink& sink);

    // Where a listed photo lies in the spool, or why it cannot be read.
    struct SpooledPhoto {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        std::optional<Error> error;
    };

    std::filesystem::path m_file;
    AbArchive m_archive;
    AndroidBackupLimits m_limits;
    // The archive is one stream that takes seconds to decrypt and inflate: message
    // texts are kept from listing until they are read rather than read again.
    std::map<std::string, std::string> m_texts;
    std::uint64_t m_kept_bytes = 0;
    std::optional<Spool> m_spool;
    std::map<std::string, SpooledPhoto> m_photos;
};

} // namespace dockscan::docking::android
