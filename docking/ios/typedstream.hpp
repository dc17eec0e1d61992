#pragma once

// Apple's typedstream format (NSArchiver), as iOS keeps message text in sms.db's
// `message.attributedBody`: an archived NSAttributedString or
// NSMutableAttributedString whose string holds the text.

#include "docking/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace dockscan::docking::ios {

// Limits against hostile or broken blobs. Everything from a phone is untrusted.
struct TypedStreamLimits {
    std::size_t max_blob_bytes = 64u << 20; // a whole attributedBody
    std::size_t max_depth = 32;             // objects, arrays and structs inside each other
    std::size_t max_references = 1u << 16;  // shared strings, and objects and classes
    std::size_t max_values = 1'000'000;     // values decoded, array elements included
};

// Returns the text of the string archived in `blob` (an NSAttributedString or an
// NSString), made valid UTF-8. A blob that is no typedstream or breaks off is
// `malformed`; one that holds another kind of object is `unsupported`.
[[nodiscard]] Expected<std::string> extract_text(std::string_view blob,
                                                 const TypedStreamLimits& limits = {});

} // namespace dockscan::docking::ios
