#pragma once

// A live Android phone over ADB as a phone source: the photos under /sdcard/DCIM and
// /sdcard/Pictures (listed and pulled with the sync service), and the SMS and MMS
// texts of a telephony backup that the phone streams with `bu backup` (read through
// AndroidBackupSource from a private temporary file, removed with the source).
//
// Items and refs: photos have the phone's own path as ref ("/sdcard/DCIM/Camera/
// IMG_1.jpg"); it is never used as a host path. Messages are as AndroidBackupSource
// lists them. A phone that goes away mid-scan fails what was being read with "the
// phone disconnected"; what was already listed stays valid. Not thread-safe.

#include "docking/adb/adb_connection.hpp"
#include "docking/adb/sync_client.hpp"
#include "docking/android/android_backup_source.hpp"
#include "docking/phone_source.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace dockscan::docking::adb {

struct AdbLimits {
    std::uint64_t max_image_bytes = 64u << 20;   // one photo
    std::uint64_t max_backup_bytes = 2ull << 30; // the telephony backup archive
    std::size_t max_items = 1'000'000;           // photos listed
    std::size_t max_folder_entries = 200'000;    // entries of one folder
    std::size_t max_depth = 32;                  // folder nesting below DCIM, Pictures
};

// Whether to ask the phone for its message backup while listing.
enum class MessageBackup { pull, skip };

struct AdbSourceOptions {
    std::filesystem::path key_file = default_station_key_path();
    ConnectOptions connect{};
    AdbLimits limits{};
    MessageBackup messages = MessageBackup::pull;
};

class AdbSource final : public PhoneSource {
public:
    // Connects to adbd at `host`:`port` (adb's TCP transport) and authenticates.
    [[nodiscard]] static Expected<std::unique_ptr<AdbSource>>
    open_tcp(const std::string& host, std::uint16_t port, AdbSourceOptions options = {});

    // The same over any transport (USB later); `location` is what describe() reports.
    [[nodiscard]] static Expected<std::unique_ptr<AdbSource>>
    open(std::unique_ptr<ByteTransport> transport, std::string location,
         AdbSourceOptions options = {});

    AdbSource(const AdbSource&) = delete;
    AdbSource& operator=(const AdbSource&) = delete;
    ~AdbSource() override;

    [[nodiscard]] SourceInfo describe() const override;
    [[nodiscard]] Expected<void> list(ItemSink& sink, std::stop_token stop) override;
    [[nodiscard]] Expected<ItemContent> read(const ItemInfo& item) override;

private:
    AdbSource(std::unique_ptr<AdbConnection> connection, SourceInfo info, AdbSourceOptions options)
        : m_connection(std::move(connection)), m_info(std::move(info)),
          m_options(std::move(options)) {}

    [[nodiscard]] Expected<SyncClient*> sync();
    [[nodiscard]] Expected<void> list_photos(const std::string& folder, std::size_t depth,
                                             ItemSink& sink, const std::stop_token& stop);
    [[nodiscard]] Expected<void> list_messages(ItemSink& sink, const std::stop_token& stop);
    [[nodiscard]] Expected<std::filesystem::path> pull_backup(const std::stop_token& stop);

    std::unique_ptr<AdbConnection> m_connection;
    SourceInfo m_info;
    AdbSourceOptions m_options;
    std::optional<SyncClient> m_sync;
    std::set<std::string> m_photos;
    // The private folder (0700) of the pulled backup; removed after m_backup closed it.
    std::filesystem::path m_temp_dir;
    std::unique_ptr<android::AndroidBackupSource> m_backup;
};

} // namespace dockscan::docking::adb
