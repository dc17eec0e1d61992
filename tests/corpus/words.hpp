#pragma once

// Names and places for the corpus: common Swedish ones, no one in particular.

#include <span>
#include <string_view>

namespace dockscan::corpus {

[[nodiscard]] std::span<const std::string_view> first_names();
[[nodiscard]] std::span<const std::string_view> last_names();
[[nodiscard]] std::span<const std::string_view> street_names();
[[nodiscard]] std::span<const std::string_view> cities();
[[nodiscard]] std::span<const std::string_view> care_units();
[[nodiscard]] std::span<const std::string_view> weekdays();

} // namespace dockscan::corpus
