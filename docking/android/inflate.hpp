#pragma once

// zlib inflation (deflate with a zlib header, as java.util.zip.DeflaterOutputStream
// writes it): as a stream for the backup payload, and whole for small embedded files.
// This is the only place that uses zlib in this module.

#include "docking/android/byte_stream.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dockscan::docking::android {

// Inflates `inner` as it is read. The end of `inner` before the end of the
// compressed stream is a `malformed` "truncated" error.
[[nodiscard]] std::unique_ptr<ByteStream> make_inflate_stream(ByteStream& inner);

// Inflates all of `compressed`; more than `max_output` bytes is `too_large`.
[[nodiscard]] Expected<std::string> inflate_all(std::string_view compressed,
                                                std::uint64_t max_output);

} // namespace dockscan::docking::android
