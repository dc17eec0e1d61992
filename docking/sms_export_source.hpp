#pragma once

// One SMS Backup & Restore export file (`sms-<date>.xml`) as a phone source, for when
// the export itself is what was copied off the phone. Read in chunks: memory is
// bounded by one message and the texts kept until they are read, not by the file. In a folder copy
// of a phone the folder source reads the same files.

#include "docking/phone_source.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace dockscan::docking {

class SmsExportSource final : public PhoneSource {
public:
    // Where an attachment's base64 data stands in the file.
    struct DataPlace {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };

    // Opens `file`, which must be a regular file no larger than `max_bytes` whose root
    // element is <smses>.
    [[nodiscard]] static Expected<std::unique_ptr<SmsExportSource>>
    open(const std::filesystem::path& file, std::uint64_t max_bytes = 1u << 30);

    // True for a regular file whose first element is <smses>.
    [[nodiscard]] static bool looks_like_export(const std::filesystem::path& path);

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

private:
    SmsExportSource(std::filesystem::path file, std::uint64_t max_bytes)
        : m_file(std::move(file)), m_max_bytes(max_bytes) {}

    [[nodiscard]] Expected<void> check_size() const;
    [[nodiscard]] Expected<std::string> read_in_place(const DataPlace& place) const;

    std::filesystem::path m_file;
    std::uint64_t m_max_bytes;
    // Message texts from listing until they are read; attachments are read again from
    // where they stand in the file, so that no image is held in memory for long.
    std::map<std::string, std::string> m_texts;
    std::map<std::string, DataPlace> m_places;
};

} // namespace dockscan::docking
