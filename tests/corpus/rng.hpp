#pragma once

// A small seeded PRNG whose output is the same on every platform and standard
// library (std::uniform_int_distribution is not), so a seed names one corpus.

#include <cstddef>
#include <cstdint>
#include <span>

namespace dockscan::corpus {

class Rng {
public:
    explicit Rng(std::uint64_t seed);

    // The next 64 random bits (xoshiro256**).
    [[nodiscard]] std::uint64_t next();
    // A uniform integer in [low, high].
    [[nodiscard]] int between(int low, int high);
    // A uniform index in [0, count).
    [[nodiscard]] std::size_t index(std::size_t count);
    // True with probability `p`.
    [[nodiscard]] bool chance(double p);

    template <typename T>
    [[nodiscard]] const T& pick(std::span<const T> items) {
        return items[index(items.size())];
    }

private:
    std::uint64_t m_state[4];
};

} // namespace dockscan::corpus
