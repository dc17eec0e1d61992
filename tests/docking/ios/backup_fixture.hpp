#pragma once

// One realistic iPhone backup for the IosBackupSource tests: a care worker's phone
// with messages (SMS with text, iMessage with only attributedBody, a group chat),
// image attachments, camera-roll photos with the phone's own photo library, and
// contacts. Names are invented; identity numbers are Skatteverket's test numbers.

#include "docking/phone_source.hpp"
#include "tests/docking/ios/backup_writer.hpp"
#include "tests/docking/ios/phone_db_fixtures.hpp"

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::testing {

// 2026-11-20 14:02 and 2026-11-21 09:15 in Sweden (CET, UTC+1).
inline constexpr std::int64_t k_nov20_1402 = k_ios_nov20_1402;
inline constexpr std::int64_t k_nov21_0915 = 1'795'248'900;

inline const std::string k_guid_sms = "5B2E1C9A-8D4F-4A61-9E3B-0C7D2F1A6B01";
inline const std::string k_guid_imessage = "5B2E1C9A-8D4F-4A61-9E3B-0C7D2F1A6B02";
inline const std::string k_guid_group = "5B2E1C9A-8D4F-4A61-9E3B-0C7D2F1A6B03";
inline const std::string k_guid_image_only = "5B2E1C9A-8D4F-4A61-9E3B-0C7D2F1A6B04";
inline const std::string k_guid_escape = "5B2E1C9A-8D4F-4A61-9E3B-0C7D2F1A6B05";
inline const std::string k_guid_video = "5B2E1C9A-8D4F-4A61-9E3B-0C7D2F1A6B06";
inline const std::string k_guid_broken = "5B2E1C9A-8D4F-4A61-9E3B-0C7D2F1A6B07";

inline const std::string k_text_sms = "Hej, här är pnr till Elsa: 198001022386";
inline const std::string k_text_imessage = "Elsa har fått ny medicin, personnummer 19800102-2394";
inline const std::string k_text_group = "Bild på såret i morse";

inline const std::string k_sms_path = "Library/SMS/sms.db";
inline const std::string k_heic_attachment = "Library/SMS/Attachments/0c/12/8E1F/IMG_0042.HEIC";
inline const std::string k_jpeg_attachment = "Library/SMS/Attachments/3a/07/91C2/IMG_0043.jpeg";

// Stand-ins for image files: the reader passes bytes through, it does not decode them.
inline const std::string k_heic_bytes = std::string("\0\0\0\x18"
                                                    "ftypheic",
                                                    12) +
                                        "HEIC-data-1";
inline const std::string k_jpeg_bytes = "\xFF\xD8\xFF\xE0"
                                        "JFIF-attachment-jpeg";
inline const std::string k_photo_heic = std::string("\0\0\0\x18"
                                                    "ftypheic-camera-roll-1",
                                                    26);

struct StandardBackup {
    IosBackupOptions options = {};
    PhotosSchema photos = PhotosSchema::ios17;
    // Store only this many bytes of sms.db (a truncated copy).
    std::optional<std::size_t> sms_bytes = std::nullopt;
    // Damage added before the backup is finished.
    std::function<void(IosBackupWriter&)> extra = {};
};

// Writes the backup into `folder`.
void write_standard_backup(const std::filesystem::path& folder, const StandardBackup& spec = {});

// The contact text expected for person 1 (see render_contact).
[[nodiscard]] std::string expected_contact_text();

struct Recorder final : docking::ItemSink {
    std::vector<docking::ItemInfo> items;
    std::vector<docking::ItemProblem> problems;
    void item(const docking::ItemInfo& info) override { items.push_back(info); }
    void problem(const docking::ItemProblem& p) override { problems.push_back(p); }

    [[nodiscard]] const docking::ItemInfo* find(std::string_view ref) const {
        for (const auto& item : items) {
            if (item.ref == ref) {
                return &item;
            }
        }
        return nullptr;
    }
    [[nodiscard]] const docking::ItemProblem* find_problem(std::string_view ref) const {
        for (const auto& p : problems) {
            if (p.ref == ref) {
                return &p;
            }
        }
        return nullptr;
    }
    [[nodiscard]] std::size_t count(docking::ItemType type) const {
        std::size_t n = 0;
        for (const auto& item : items) {
            n += item.type == type ? 1 : 0;
        }
        return n;
    }
};

// Labels use the station's local time: the tests run in Swedish time.
struct SwedishTime {
    SwedishTime() {
        setenv("TZ", "Europe/Stockholm", 1);
        tzset();
    }
};

} // namespace dockscan::testing
