#pragma once

// Unguessable tokens (session ids, CSRF tokens) and comparing them without leaking
// through timing how much of a guess was right.

#include <cstddef>
#include <string>
#include <string_view>

namespace dockscan::agent::web {

// `bytes` random bytes from the kernel (getrandom), as lower-case hex.
[[nodiscard]] std::string random_hex(std::size_t bytes);

// Compares in time that depends only on the lengths.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace dockscan::agent::web
