// libFuzzer target: an `adb backup` archive in memory, through header, decryption
// (password "fuzz"), inflation, tar and the telephony message files.

#include "docking/android/ab_archive.hpp"
#include "docking/android/message_item.hpp"
#include "docking/android/telephony_backup.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace dockscan::docking;
using namespace dockscan::docking::android;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    MemoryStream in(std::string_view(reinterpret_cast<const char*>(data), size));
    AbLimits limits;
    limits.max_total_bytes = 16u << 20;
    limits.max_entry_bytes = 4u << 20;
    limits.max_entries = 10'000;
    // Few rounds, so that encrypted inputs get past the key in microseconds; the seed
    // corpus writes encrypted archives with 1 round.
    limits.max_pbkdf2_rounds = 16;
    const auto archive = AbArchive::open(in, std::string("fuzz"), limits);
    if (!archive) {
        return 0;
    }
    const auto result =
        archive->read_entries(in,
                              [](AbEntry& entry) -> Expected<void> {
                                  const auto kind = telephony_file_kind(entry.name());
                                  auto content = entry.read();
                                  if (!content || !kind) {
                                      return {};
                                  }
                                  const auto file = parse_telephony_file(*kind, *content, 4u << 20);
                                  if (file) {
                                      for (const BackupMessage& message : file->messages) {
                                          const ItemInfo info = message_item_info(message);
                                          if (info.ref.empty() || info.label.empty()) {
                                              __builtin_trap();
                                          }
                                      }
                                  }
                                  return {};
                              },
                              {});
    static_cast<void>(result);
    return 0;
}
