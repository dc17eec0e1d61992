#pragma once

// UTF-8 helpers shared by every module that handles text from a phone.

#include <cstddef>
#include <string>
#include <string_view>

namespace dockscan::base {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view text);

// Returns `text` with every ill-formed sequence replaced by U+FFFD, so that the
// byte offsets of well-formed parts are kept where the input was already valid.
[[nodiscard]] std::string to_valid_utf8(std::string_view text);

// Share of bytes that are control characters other than tab, CR and LF (0..1).
// Text files from a phone with a high share are binary content under a text name.
[[nodiscard]] double control_byte_share(std::string_view bytes);

// Text from a phone made safe to print on a terminal, on one line: control characters
// (C0, DEL, C1: escape sequences that could drive the terminal), line breaks, Unicode
// direction overrides and invalid UTF-8 are shown as `\x1b` or `\u{202e}` escapes;
// everything else, Swedish letters included, is kept.
[[nodiscard]] std::string printable(std::string_view text);

// Lower-cases ASCII and the letters Å, Ä, Ö, É, Ü in UTF-8.
[[nodiscard]] std::string to_lower_sv(std::string_view text);

// True when the character at byte `i` of UTF-8 `text` is a capital A-Z, Å, Ä, Ö, É or Ü
// (the capitals that start Swedish names).
[[nodiscard]] bool is_upper_sv_at(std::string_view text, std::size_t i);

// Escapes & < > " ' for HTML text and attribute values (the review UI and the report).
[[nodiscard]] std::string html_escape(std::string_view text);

// `text` without the spaces and tabs at either end.
[[nodiscard]] std::string_view trim_blanks(std::string_view text);

// The value of one hex digit (either case), or -1 for any other character.
[[nodiscard]] int hex_digit_value(char c);

} // namespace dockscan::base
