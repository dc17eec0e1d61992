#include "tests/corpus/number_pool.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace dockscan::corpus {
namespace {

base::Expected<std::vector<std::string>, CorpusError>
read_number_list(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) {
        return base::fail(CorpusError::unreadable, "cannot read " + path.string());
    }
    const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (!json.is_array() || json.empty()) {
        return base::fail(CorpusError::malformed, path.string() + " is not a list of numbers");
    }
    std::vector<std::string> numbers;
    numbers.reserve(json.size());
    for (const auto& item : json) {
        if (!item.is_string() || item.get_ref<const std::string&>().size() != 12) {
            return base::fail(CorpusError::malformed,
                              path.string() + " holds an entry that is not 12 digits");
        }
        numbers.push_back(item.get<std::string>());
    }
    return numbers;
}

} // namespace

std::string_view to_string(CorpusError code) {
    switch (code) {
    case CorpusError::unreadable:
        return "unreadable";
    case CorpusError::malformed:
        return "malformed";
    }
    return "unknown";
}

base::Expected<NumberPool, CorpusError> NumberPool::load(const std::filesystem::path& meta_dir) {
    DOCKSCAN_TRY_ASSIGN(std::vector<std::string> pins, read_number_list(meta_dir / "allPins.json"));
    DOCKSCAN_TRY_ASSIGN(std::vector<std::string> coords,
                        read_number_list(meta_dir / "allCoords.json"));
    NumberPool pool;
    for (std::string& pin : pins) {
        const int year = std::stoi(pin.substr(0, 4));
        pool.m_pins_by_year[year].push_back(std::move(pin));
    }
    pool.m_coords = std::move(coords);
    return pool;
}

const std::string& NumberPool::personnummer(Rng& rng, int first_year, int last_year) const {
    // Years without test numbers are skipped by drawing again; give up after a while so
    // that a range outside the data is a loud error, not a hang.
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const auto it = m_pins_by_year.find(rng.between(first_year, last_year));
        if (it != m_pins_by_year.end()) {
            return it->second[rng.index(it->second.size())];
        }
    }
    throw std::logic_error("no test personnummer in the requested years");
}

const std::string& NumberPool::samordningsnummer(Rng& rng) const {
    return m_coords[rng.index(m_coords.size())];
}

} // namespace dockscan::corpus
