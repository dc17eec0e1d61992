#pragma once

// Photos that "Optimise iPhone Storage" keeps only in iCloud: the camera roll still
// lists them, but AFC shows a file of zero bytes or cannot read it. Such a photo was
// not checked, so it is recorded as a problem with this reason, never as clean.

#include "docking/error.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace dockscan::docking::ios_device {

inline constexpr std::string_view k_icloud_only =
    "finns bara i iCloud – kan inte kontrolleras / only in iCloud: not checkable";

// The problem to record for a listed photo of `size` bytes, or nothing when it can be
// read.
[[nodiscard]] std::optional<Error> listed_photo_problem(std::uint64_t size);

// What a failed read of a photo means: the phone going away stays an interruption (and
// a limit stays a limit); any other failure, or a photo that read as zero bytes though
// listed with more, is a photo only in iCloud.
[[nodiscard]] Error photo_read_failure(const Error& error);
[[nodiscard]] Error empty_photo_read();

} // namespace dockscan::docking::ios_device
