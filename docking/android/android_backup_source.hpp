#pragma once

// An `adb backup` archive (.ab) as a phone source: the SMS and MMS texts that
// Android's telephony backup agent put into it. Plain and AES-256 encrypted archives,
// compressed or not, format versions 1 to 5.

#include "docking/android/ab_archive.hpp"
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

    std::filesystem::path m_file;
    AbArchive m_archive;
    AndroidBackupLimits m_limits;
    // The archive is one stream that takes seconds to decrypt and inflate: message
    // texts are kept from listing until they are read rather than read again.
    std::map<std::string, std::string> m_texts;
    std::uint64_t m_kept_bytes = 0;
};

} // namespace dockscan::docking::android
