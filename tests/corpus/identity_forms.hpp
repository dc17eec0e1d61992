#pragma once

// The ways people write an identity number in a message.

#include "base/time.hpp"
#include "tests/corpus/rng.hpp"

#include <span>
#include <string>
#include <string_view>

namespace dockscan::corpus {

enum class Form {
    ten_hyphen,     // 451203-1235 (or 451203+1235 for someone aged 100 or more)
    ten_bare,       // 4512031235
    ten_space,      // 451203 1235
    ten_en_dash,    // 451203–1235
    twelve_hyphen,  // 19451203-1235
    twelve_bare,    // 194512031235
    twelve_space,   // 19451203 1235
    twelve_en_dash, // 19451203–1235
};

struct FormWeight {
    Form form;
    int weight;
};

// Every form, as people use them after a keyword.
[[nodiscard]] std::span<const FormWeight> any_form_mix();
// The forms people write without a keyword: mostly hyphenated.
[[nodiscard]] std::span<const FormWeight> plain_form_mix();
// Someone aged 100 or more: the `+` form or twelve digits.
[[nodiscard]] std::span<const FormWeight> old_form_mix();

// The form's name, for breaking results down by it ("ten_hyphen").
[[nodiscard]] std::string_view to_string(Form form);

[[nodiscard]] Form pick_form(Rng& rng, std::span<const FormWeight> mix);

// Writes `twelve` ("YYYYMMDDNNNC", the serial may start with a letter) in `form`. The
// ten-digit forms with a separator use `+` when the person is 100 or older on `today`.
[[nodiscard]] std::string write_identity(std::string_view twelve, Form form, base::Date today);

// The same number with another check digit.
[[nodiscard]] std::string with_wrong_check_digit(std::string_view twelve, Rng& rng);

// An interim number on the birth date of `twelve`: a letter, two digits and the check digit.
[[nodiscard]] std::string make_interim(std::string_view twelve, Rng& rng);

} // namespace dockscan::corpus
