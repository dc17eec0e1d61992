#include "tests/corpus/rng.hpp"

namespace dockscan::corpus {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
    x += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

} // namespace

Rng::Rng(std::uint64_t seed) {
    // xoshiro must not start from all zeros; splitmix64 spreads any seed over the state.
    for (std::uint64_t& word : m_state) {
        word = splitmix64(seed);
    }
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
}

std::size_t Rng::index(std::size_t count) {
    // The modulo bias is below 2^-40 for the small counts used here.
    return static_cast<std::size_t>(next() % static_cast<std::uint64_t>(count));
}

int Rng::between(int low, int high) {
    return low + static_cast<int>(index(static_cast<std::size_t>(high - low + 1)));
}

bool Rng::chance(double p) {
    // 53 random bits give a uniform double in [0, 1).
    const double u = static_cast<double>(next() >> 11) * 0x1.0p-53;
    return u < p;
}

} // namespace dockscan::corpus
