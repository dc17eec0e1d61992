#pragma once

// Turns the bytes of a text file from a phone into the UTF-8 the detectors read.
//
// Encodings, in this order:
// - a UTF-8 byte order mark is dropped and the rest read as UTF-8;
// - a UTF-16 LE or BE byte order mark selects UTF-16 (unpaired surrogates → U+FFFD);
// - without a mark, well-formed UTF-8 is taken as it is;
// - otherwise, when no byte above 0x7F is part of a well-formed UTF-8 sequence, the text
//   is Windows-1252 (a superset of Latin-1 in its printable range). Old notes written
//   on Windows are Latin-1 or Windows-1252, and a Swedish name in them ("Åsa Öberg")
//   would otherwise turn into U+FFFD and escape the name detector. Latin-1 text is
//   practically never accidentally well-formed UTF-8, so the test is safe;
// - mixed content (some well-formed sequences, some not) is broken UTF-8: ill-formed
//   bytes become U+FFFD (base::to_valid_utf8).
// UTF-16 without a byte order mark is not recognised; it looks binary (NUL bytes).

#include "docking/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace dockscan::docking {

// The share of control bytes above which a file under a text name is binary content.
inline constexpr double k_max_control_share = 0.10;
// As git does, a NUL byte among the first bytes means binary content.
inline constexpr std::size_t k_nul_probe_bytes = 8000;

// Length of the well-formed UTF-8 sequence that starts at `i` when the byte there is
// above 0x7F, or 0 when none starts there.
[[nodiscard]] std::size_t utf8_sequence_at(std::string_view bytes, std::size_t i);

// Windows-1252 to UTF-8; its five unassigned bytes become U+FFFD.
[[nodiscard]] std::string windows1252_to_utf8(std::string_view bytes);

// UTF-16 (without byte order mark) to UTF-8.
enum class Utf16Order { little_endian, big_endian };
[[nodiscard]] std::string utf16_to_utf8(std::string_view bytes, Utf16Order order);

// Bytes of no declared encoding to UTF-8: UTF-8 when it is, Windows-1252 when no
// byte forms a UTF-8 sequence, broken UTF-8 repaired otherwise (see above).
[[nodiscard]] std::string legacy_to_utf8(std::string_view bytes);

// A whole text file to UTF-8, byte order marks honoured (see above).
[[nodiscard]] std::string text_file_to_utf8(std::string_view bytes);

// True for binary content: a NUL among the first k_nul_probe_bytes, or more than
// k_max_control_share control bytes.
[[nodiscard]] bool looks_binary(std::string_view bytes);

// A note's bytes as text; not_text ("binary content, not text") for binary content.
[[nodiscard]] Expected<std::string> decode_note(std::string_view bytes);

} // namespace dockscan::docking
