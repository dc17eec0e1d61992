#pragma once

// One SMS Backup & Restore export file (`sms-<date>.xml`) as a phone source, for when
// the export itself is what was copied off the phone. In a folder copy of a phone the
// folder source reads the same files.

#include "docking/phone_source.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace dockscan::docking {

class SmsExportSource final : public PhoneSource {
public:
    // Opens `file`, which must be a regular file no larger than `max_bytes` whose root
    // element is <smses>.
    [[nodiscard]] static Expected<std::unique_ptr<SmsExportSource>>
    open(const std::filesystem::path& file, std::uint64_t max_bytes = 256u << 20);

    // True for a regular file whose first element is <smses>.
    [[nodiscard]] static bool looks_like_export(const std::filesystem::path& path);

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

private:
    SmsExportSource(std::filesystem::path file, std::uint64_t max_bytes)
        : m_file(std::move(file)), m_max_bytes(max_bytes) {}

    [[nodiscard]] Expected<std::string> load() const;

    std::filesystem::path m_file;
    std::uint64_t m_max_bytes;
    // Message texts from listing until they are read; attachments are decoded again
    // from the file when read, so that no image is held in memory for long.
    std::map<std::string, std::string> m_texts;
};

} // namespace dockscan::docking
