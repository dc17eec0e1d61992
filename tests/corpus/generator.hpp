#pragma once

// Generates labelled work-phone messages from the templates: the same seed and set
// give the same corpus on every machine.

#include "base/time.hpp"
#include "tests/corpus/identity_forms.hpp"
#include "tests/corpus/look_alikes.hpp"
#include "tests/corpus/number_pool.hpp"
#include "tests/corpus/rng.hpp"
#include "tests/corpus/templates.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::corpus {

// Where an identity number is written: UTF-8 byte offsets, end exclusive.
struct Span {
    std::size_t start;
    std::size_t end;

    auto operator<=>(const Span&) const = default;
};

struct Message {
    std::string text;
    std::vector<Span> identity_spans; // the truth, in order of position
    // For each span, what it is and how it is written ("pnr_bad ten_hyphen"), so that
    // results can be broken down by it.
    std::vector<std::string> span_notes;
    std::string_view situation;
};

struct GeneratorOptions {
    TemplateSet set = TemplateSet::dev;
    std::uint64_t seed = 1;
    // The date the corpus is written on: ages, `+` separators and dates follow it.
    base::Date today{2025, 6, 1};
    // How often a look-alike that can pass a date and Luhn check is made to.
    double confusable_share = 0.12;
};

class Generator {
public:
    Generator(const NumberPool& pool, const GeneratorOptions& options);
    // The look-alike maker holds a reference to the generator's own Rng.
    Generator(const Generator&) = delete;
    Generator& operator=(const Generator&) = delete;

    [[nodiscard]] Message next();

private:
    void expand(std::string_view placeholder, Message& message);
    // Expands an identity-number placeholder; false when `placeholder` is not one.
    bool expand_identity(std::string_view placeholder, Message& message);
    void add_identity(std::string_view placeholder, std::string_view twelve, Form form,
                      Message& message);
    [[nodiscard]] std::string pick_word(std::span<const std::string_view> words);

    const NumberPool& m_pool;
    GeneratorOptions m_options;
    Rng m_rng;
    LookAlikes m_look_alikes;
};

} // namespace dockscan::corpus
