#pragma once

// Scores a detector's spans against the corpus's labels: a found span counts only
// when it is exactly a labelled one.

#include "tests/corpus/generator.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::corpus {

struct Score {
    std::size_t true_positives = 0;
    std::size_t false_positives = 0;
    std::size_t false_negatives = 0;

    [[nodiscard]] double precision() const;
    [[nodiscard]] double recall() const;
    [[nodiscard]] double f1() const;
};

struct Mistakes {
    std::vector<Span> false_positives;
    std::vector<Span> false_negatives;
};

// Adds one message's outcome to `score` and returns the spans it got wrong.
Mistakes score_message(const std::vector<Span>& truth, const std::vector<Span>& found,
                       Score& score);

// `text` with every span in `spans` marked [like this] and its last four characters
// (serial and check digit) hidden, "[19450110-****]", so that an example can be
// printed without printing an identity number.
[[nodiscard]] std::string masked_example(std::string_view text, std::vector<Span> spans);

} // namespace dockscan::corpus
