#pragma once

// Minimised evidence: what the store keeps of the text around a finding, so that a
// supervisor can recognise the item without the store holding the message itself.

#include <cstddef>
#include <string>
#include <string_view>

namespace dockscan::agent {

struct ExcerptOptions {
    std::size_t context_bytes = 28; // of text kept on each side of the match
};

// A short redacted excerpt of `text` around the match [start, end): the match is
// replaced by `masked`, every other digit by '#', and every capitalised word that is
// not a common Swedish word by its initial ("Anna" -> "A."), since capitalised words
// in these messages are mostly names. Cut at character boundaries, with "…" where
// text was left out.
[[nodiscard]] std::string redacted_excerpt(std::string_view text, std::size_t start,
                                           std::size_t end, std::string_view masked,
                                           const ExcerptOptions& options = {});

} // namespace dockscan::agent
