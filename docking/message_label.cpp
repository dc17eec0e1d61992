#include "docking/message_label.hpp"

#include "base/time.hpp"

#include <cstdint>

namespace dockscan::docking {
namespace {

constexpr std::string_view k_ellipsis = "\xe2\x80\xa6";

// The first `count` code points of valid UTF-8 `s`.
std::string_view prefix_code_points(std::string_view s, std::size_t count) {
    std::size_t i = 0;
    for (std::size_t seen = 0; i < s.size() && seen < count; ++seen) {
        ++i;
        while (i < s.size() && (static_cast<std::uint8_t>(s[i]) & 0xc0) == 0x80) {
            ++i;
        }
    }
    return s.substr(0, i);
}

} // namespace

std::string shorten_address(std::string_view address) {
    const auto separator = address.find_first_of("~,;");
    const bool several = separator != std::string_view::npos &&
                         address.find_first_not_of(" ~,;", separator) != std::string_view::npos;
    std::string compact;
    for (const char c : address.substr(0, separator)) {
        if (std::string_view(" -().").find(c) == std::string_view::npos) {
            compact += c;
        }
    }
    std::string shown;
    if (compact.empty()) {
        shown = "okänt nummer";
    } else if (compact.size() <= 5) {
        shown = compact;
    } else if (compact.starts_with("+46")) {
        shown = "+46 " + compact.substr(3, 2) + std::string(k_ellipsis);
    } else if (compact.starts_with("+")) {
        shown = compact.substr(0, 4) + std::string(k_ellipsis);
    } else {
        shown = std::string(prefix_code_points(compact, 3)) + std::string(k_ellipsis);
    }
    return several ? shown + " m.fl." : shown;
}

std::string label_time(std::int64_t unix_seconds) {
    return base::swedish_time_text(unix_seconds);
}

} // namespace dockscan::docking
