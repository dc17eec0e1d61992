#pragma once

// The parts of an iOS backup's listing (messages and their image attachments, the
// camera roll, contacts), shared by IosBackupSource and the files that list each part.

#include "docking/ios/backup_files.hpp"
#include "docking/ios/keybag.hpp"
#include "docking/phone_source.hpp"
#include "docking/vcard.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <stop_token>
#include <string>

namespace dockscan::docking::ios {

// Limits against hostile or broken backups. Everything in a backup folder is untrusted.
struct IosBackupLimits {
    BackupLimits backup;
    KeybagLimits keybag;
    std::uint64_t max_image_bytes = 64u << 20;  // a photo or an attachment
    std::uint64_t max_message_bytes = 4u << 20; // one message's text
    std::size_t max_items = 1'000'000;          // items in one backup
};

// What a listing found that read() needs again, by ref.
struct BackupCatalog {
    std::map<std::string, std::int64_t> messages; // message ROWID in sms.db
    std::map<std::string, BackupFile> files;      // attachments and photos
    std::map<std::string, Contact> contacts;      // read as vcard.hpp's contact_content
    // Declared last so that it closes before anything else here goes.
    std::optional<BackupDatabase> sms;
};

struct ListContext {
    BackupFiles& files;
    BackupCatalog& catalog;
    ItemSink& sink;
    std::stop_token stop;
    const IosBackupLimits& limits;
    std::size_t listed = 0;
    // Set when the listing as a whole must end (stopped, or too many items), so that
    // the error is not taken for a problem of one part.
    bool ended = false;

    // Hands `info` to the sink; too_large past max_items, interrupted when stopped.
    [[nodiscard]] Expected<void> emit(const ItemInfo& info);
    [[nodiscard]] Expected<void> check_stop();
    void problem(std::string ref, const Error& error) {
        sink.problem(ItemProblem{std::move(ref), error.code, error.message});
    }
};

// Messages of sms.db and the images attached to them (message_listing.cpp).
[[nodiscard]] Expected<void> list_messages(ListContext& context);
// The text of a listed message.
[[nodiscard]] Expected<std::string>
read_message_text(BackupCatalog& catalog, const std::string& ref, std::uint64_t max_bytes);

// Photos in Media/DCIM with the photo library's hints (photo_listing.cpp).
[[nodiscard]] Expected<void> list_camera_roll(ListContext& context);

// Contacts of the address book (contact_listing.cpp).
[[nodiscard]] Expected<void> list_contacts(ListContext& context);

// True for the names of image files dockscan scans (jpg, jpeg, png, heic, heif, gif).
[[nodiscard]] bool is_image_name(std::string_view name);

// A path from the phone as a ref: names kept, escaped as ref_path.hpp says.
// `malformed` for paths that could leave their folder ("..", ".", empty names).
[[nodiscard]] Expected<std::string> phone_path_ref(std::string_view relative_path);

} // namespace dockscan::docking::ios
