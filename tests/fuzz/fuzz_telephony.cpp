// libFuzzer target: the telephony backup agent's message files (JSON), which the
// archive target seldom reaches intact through compression. The input is the JSON;
// it is deflated here as the agent does and parsed as both SMS and MMS.

#include "docking/android/message_item.hpp"
#include "docking/android/telephony_backup.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <zlib.h>

using namespace dockscan::docking;
using namespace dockscan::docking::android;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    uLongf compressed_size = compressBound(static_cast<uLong>(size));
    std::string compressed(compressed_size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size, data,
                  static_cast<uLong>(size), 1) != Z_OK) {
        return 0;
    }
    compressed.resize(compressed_size);
    for (const MessageKind kind : {MessageKind::sms, MessageKind::mms}) {
        const auto file = parse_telephony_file(kind, compressed, 1u << 20);
        if (!file) {
            continue;
        }
        for (const BackupMessage& message : file->messages) {
            const ItemInfo info = message_item_info(message);
            if (info.ref.size() > 64 || info.label.empty()) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
