#pragma once

// A copy of a phone's storage on disk (e.g. an `adb pull` of /sdcard): photos anywhere
// under it, `*.txt` notes, `*.vcf` contacts and SMS Backup & Restore exports
// (`sms-*.xml`).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "docking/phone_source.hpp"

namespace dockscan::docking {

// Limits against hostile or broken content. Everything from a phone is untrusted.
struct FolderLimits {
    std::uint64_t max_text_bytes = 4u << 20;    // a note larger than this is not read
    std::uint64_t max_vcf_bytes = 32u << 20;    // a contacts file
    std::uint64_t max_xml_bytes = 256u << 20;   // an SMS export (images inline as base64)
    std::uint64_t max_image_bytes = 64u << 20;  // a photo
    std::size_t max_depth = 32;                 // folder nesting
    std::size_t max_items = 1'000'000;          // items in one source
};

class FolderSource final : public PhoneSource {
public:
    // Opens `root`, which must be a readable folder.
    [[nodiscard]] static Expected<std::unique_ptr<FolderSource>> open(
        const std::filesystem::path& root, FolderLimits limits = {});

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

private:
    FolderSource(std::filesystem::path root, FolderLimits limits);

    std::filesystem::path m_root;
    FolderLimits m_limits;
    // Texts of items that live inside container files (contacts in a .vcf, messages
    // in an SMS export), kept from listing until they are read.
    std::map<std::string, std::string> m_embedded_text;
};

} // namespace dockscan::docking
