#pragma once

// A copy of a phone's storage on disk (e.g. an `adb pull` of /sdcard): photos anywhere
// under it, `*.txt` notes, `*.vcf` contacts and SMS Backup & Restore exports
// (`sms-*.xml`, or any `*.xml` whose root element is <smses>).
//
// Items, their refs and labels (labels are stored: they name no person and hold no
// full number):
//   photo   *.jpg *.jpeg *.png *.heic *.heif   ref "DCIM/Camera/a.jpg"   "Bild <ref>"
//   file    *.txt                               ref "Documents/a.txt"     "Anteckning <ref>"
//   contact each card of a *.vcf                ref "<vcf ref>#<n>" (n from 1, in file
//           order)                              "Kontakt nr <n> i <vcf ref>"
//   attachment a card's embedded PHOTO          ref "<vcf ref>#<n>/photo"
//                                               "Bild i kontakt nr <n> i <vcf ref>"
//           (read as an image, within max_image_bytes like any photo)
//   message each <sms>/<mms> of an export       see sms_export.hpp
//   attachment each image part of an <mms>      see sms_export.hpp
// Paths in refs are relative to the root with '/' and escaped as ref_path.hpp says.
// Extensions are matched without regard to case; other files are not listed.
//
// Phone sources inside the folder, which people point at instead of the source itself
// (the folder above an iOS backup's <UDID>/ folder, an AndroidQF acquisition folder
// with its backup.ab), are not read as part of the folder: each is a problem with
// ErrorCode::nested_source on the source's own ref, whose reason names it for a person
// ("this folder holds an iOS backup in 00008030-…/: scan that folder"), so that a
// scan never looks complete when it read nothing of the phone; nested_sources() gives
// them to a caller that would rather scan them.
//   iOS backup   a folder with Manifest.db beside Info.plist or Manifest.plist
//   Android      *.ab (an `adb backup` archive; in an AndroidQF folder: backup.ab)
//
// Never followed or opened: symbolic links ("symbolic link not followed") and FIFOs,
// sockets and devices ("not a regular file"); both are problems of the listing.
// Reading a note: over max_text_bytes → too_large (decided from the size, nothing is
// read); binary content → not_text; encodings as text_decode.hpp says.
//
// Contacts files and SMS exports are read in chunks (memory bounded by one card or
// one message, not by the file); contacts' and
// messages' texts are kept in memory from list() until they are read;
// attachments are not: their position in the export is kept and read again, and the
// export is parsed again only when it changed since it was listed. A message can only
// be read after list() (its ref names no file). Not thread-safe: list and read from
// one thread, as the scan pipeline does.

#include "docking/file_access.hpp"
#include "docking/phone_source.hpp"
#include "docking/vcard.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace dockscan::docking {

struct WalkedFile;

enum class NestedKind { ios_backup, android_backup };

// A phone source found inside a folder source.
struct NestedSource {
    NestedKind kind;
    std::string ref;            // below the root, as in items' refs ("" for the root itself)
    std::filesystem::path path; // on the host: the root joined with the raw names
    std::string reason;         // what the problem of the listing says
};

// Limits against hostile or broken content. Everything from a phone is untrusted.
struct FolderLimits {
    std::uint64_t max_text_bytes = 4u << 20;   // a note larger than this is not read
    std::uint64_t max_vcf_bytes = 1u << 30;    // a contacts file (read in chunks)
    std::uint64_t max_xml_bytes = 1u << 30;    // an SMS export (read in chunks)
    std::uint64_t max_image_bytes = 64u << 20; // a photo
    std::size_t max_depth = 32;                // folder nesting
    std::size_t max_items = 1'000'000;         // items in one source
};

class FolderSource final : public PhoneSource {
public:
    // Opens `root`, which must be a readable folder.
    [[nodiscard]] static Expected<std::unique_ptr<FolderSource>>
    open(const std::filesystem::path& root, FolderLimits limits = {});

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

    // The phone sources the last list() found inside the folder (each also reported
    // to the sink as a nested_source problem), in the order of the walk.
    [[nodiscard]] const std::vector<NestedSource>& nested_sources() const { return m_nested; }

private:
    // Where an item of an SMS export came from, to read it again.
    struct ExportPart {
        std::vector<std::string> file; // the export's path below the root
        std::uint64_t data_offset = 0; // attachments: the base64 data in the file,
        std::uint64_t data_length = 0; // when it is there verbatim (length > 0)
        std::uint64_t file_size = 0;   // the export as listed, to notice a change
        std::int64_t file_mtime = 0;
    };
    struct ListContext;
    // Where a card of a contacts file was listed, to read it (or its photo) again.
    struct CardPlace {
        std::vector<std::string> file; // the contacts file's path below the root
        std::uint64_t offset = 0;      // of its BEGIN:VCARD (0 for UTF-16 files)
        std::size_t number = 1;        // the card's number counted from `offset`
        std::uint64_t file_size = 0;   // the file as listed, to notice a change
        std::int64_t file_mtime = 0;
    };

    FolderSource(std::filesystem::path root, Fd root_fd, FolderLimits limits);

    [[nodiscard]] Expected<void> list_file(ListContext& context, const WalkedFile& file);
    void note_backup_file(ListContext& context, const WalkedFile& file);
    void report_nested(ListContext& context);
    [[nodiscard]] Expected<void> list_contacts(ListContext& context, const WalkedFile& file);
    [[nodiscard]] Expected<void> list_export(ListContext& context, const WalkedFile& file);
    [[nodiscard]] Expected<void> emit(ListContext& context, const ItemInfo& info);

    [[nodiscard]] Expected<ItemContent> read_file_item(const ItemInfo& item);
    [[nodiscard]] Expected<ItemContent> read_contact(const ItemInfo& item);
    [[nodiscard]] Expected<ItemContent> read_contact_photo(const ItemInfo& item);
    [[nodiscard]] Expected<Contact> find_card(const std::string& ref, VcardOptions options);
    // What reading a contacts file saw of it.
    struct CardFile {
        std::uint64_t size = 0;
        std::int64_t mtime = 0;
        bool blank = true;  // nothing but white space
        bool utf16 = false; // converted whole, offsets are not the file's
    };
    // Reads the contacts file `components` in chunks, from `from` when given (which
    // must still describe the file), giving every card to `visit`; `seen` (when given)
    // is filled before the first card.
    [[nodiscard]] Expected<void> each_card(const std::vector<std::string>& components,
                                           const CardPlace* from, VcardOptions options,
                                           const VcardVisitor& visit, CardFile* seen);
    [[nodiscard]] Expected<ItemContent> read_export_item(const ItemInfo& item);
    [[nodiscard]] Expected<std::string> read_attachment_in_place(const ExportPart& part);

    std::filesystem::path m_root;
    Fd m_root_fd;
    FolderLimits m_limits;
    // Texts of items that live inside container files (contacts in a .vcf, messages
    // in an SMS export), kept from listing until they are read.
    std::map<std::string, ItemContent> m_embedded;
    // Every message and attachment listed from an export, by ref.
    std::map<std::string, ExportPart> m_export_parts;
    std::vector<NestedSource> m_nested;
    std::map<std::string, CardPlace> m_card_places; // by contact ref
};

} // namespace dockscan::docking
