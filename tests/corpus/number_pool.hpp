#pragma once

// The identity numbers a corpus may contain: Skatteverket's test personnummer and
// samordningsnummer from the shared conformance data, never real people's.

#include "base/expected.hpp"
#include "tests/corpus/rng.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dockscan::corpus {

enum class CorpusError { unreadable, malformed };

[[nodiscard]] std::string_view to_string(CorpusError code);

class NumberPool {
public:
    // Loads allPins.json and allCoords.json from `meta_dir`
    // (shared/conformance/personnummer-meta).
    [[nodiscard]] static base::Expected<NumberPool, CorpusError>
    load(const std::filesystem::path& meta_dir);

    // A twelve-digit test personnummer of someone born in [first_year, last_year]; the
    // year is drawn first so that decades with many test numbers are not over-drawn.
    [[nodiscard]] const std::string& personnummer(Rng& rng, int first_year, int last_year) const;
    // A twelve-digit test samordningsnummer.
    [[nodiscard]] const std::string& samordningsnummer(Rng& rng) const;

private:
    NumberPool() = default;

    std::map<int, std::vector<std::string>> m_pins_by_year;
    std::vector<std::string> m_coords;
};

} // namespace dockscan::corpus
