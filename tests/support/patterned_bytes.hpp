#pragma once

// Bytes that are the same in every run (xorshift from `seed`): file contents for
// transfer tests, where a byte in the wrong place must show.

#include <cstddef>
#include <cstdint>
#include <string>

namespace dockscan::testing {

inline std::string patterned_bytes(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    std::uint32_t x = seed * 2654435761u + 1u;
    for (auto& b : bytes) {
        x ^= x << 13u;
        x ^= x >> 17u;
        x ^= x << 5u;
        b = static_cast<char>(x & 0xffu);
    }
    return bytes;
}

} // namespace dockscan::testing
