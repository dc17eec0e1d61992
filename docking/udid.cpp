#include "docking/udid.hpp"

#include <algorithm>

namespace dockscan::docking {
namespace {

constexpr std::string_view k_prefix = "usbmux:";

bool all_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

} // namespace

Expected<std::string> normalise_udid(std::string_view text) {
    if (text.substr(0, k_prefix.size()) == k_prefix) {
        text.remove_prefix(k_prefix.size());
    }
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\0')) {
        text.remove_suffix(1);
    }
    if (text.size() == 40 && all_hex(text)) {
        return std::string(text);
    }
    if (text.size() == 24 && all_hex(text)) {
        return std::string(text.substr(0, 8)) + "-" + std::string(text.substr(8));
    }
    if (text.size() == 25 && text[8] == '-' && all_hex(text.substr(0, 8)) &&
        all_hex(text.substr(9))) {
        return std::string(text);
    }
    return fail(ErrorCode::malformed,
                "not an iPhone UDID (40 hex digits, or 8 and 16 hex digits with a dash)");
}

} // namespace dockscan::docking
