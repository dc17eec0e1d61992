#include "agent/web/random.hpp"

#include <cerrno>
#include <cstdlib>
#include <sys/random.h>
#include <vector>

namespace dockscan::agent::web {

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    std::size_t filled = 0;
    while (filled < bytes) {
        const ssize_t n = ::getrandom(buffer.data() + filled, bytes - filled, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            // Only a kernel without getrandom fails here. Without randomness there are
            // no safe sessions: stop rather than hand out guessable ones.
            std::abort();
        }
        filled += static_cast<std::size_t>(n);
    }
    constexpr char k_hex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes * 2);
    for (const unsigned char byte : buffer) {
        hex += k_hex[byte >> 4];
        hex += k_hex[byte & 0x0f];
    }
    return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return difference == 0;
}

} // namespace dockscan::agent::web
