// libFuzzer target: Apple typedstream blobs (iOS message.attributedBody).

#include "docking/ios/typedstream.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view blob(reinterpret_cast<const char*>(data), size);
    // Smaller limits than the defaults keep each run fast; the checks are the same.
    dockscan::docking::ios::TypedStreamLimits limits;
    limits.max_values = 100'000;
    const auto text = dockscan::docking::ios::extract_text(blob, limits);
    if (text) {
        // The text is a part of the blob; it can never be longer than three times
        // the blob (every byte replaced by U+FFFD).
        if (text->size() > 3 * size) {
            __builtin_trap();
        }
    }
    return 0;
}
