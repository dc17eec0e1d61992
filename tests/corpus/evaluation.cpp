#include "tests/corpus/evaluation.hpp"

#include <algorithm>

namespace dockscan::corpus {
namespace {

double ratio(std::size_t part, std::size_t whole) {
    // With nothing to find or nothing found, no mistake was made.
    return whole == 0 ? 1.0 : static_cast<double>(part) / static_cast<double>(whole);
}

std::string mask_number(std::string_view written) {
    // Keeps the written layout (century, separator) so that a mistake's form shows, and
    // hides the serial and check digit: the last four characters.
    std::string out(written);
    for (std::size_t hidden = 0, i = out.size(); i-- > 0 && hidden < 4; ++hidden) {
        out[i] = '*';
    }
    return "[" + out + "]";
}

} // namespace

double Score::precision() const {
    return ratio(true_positives, true_positives + false_positives);
}

double Score::recall() const {
    return ratio(true_positives, true_positives + false_negatives);
}

double Score::f1() const {
    const double p = precision();
    const double r = recall();
    return p + r == 0.0 ? 0.0 : 2 * p * r / (p + r);
}

Mistakes score_message(const std::vector<Span>& truth, const std::vector<Span>& found,
                       Score& score) {
    Mistakes mistakes;
    for (const Span& span : found) {
        if (std::find(truth.begin(), truth.end(), span) != truth.end()) {
            ++score.true_positives;
        } else {
            ++score.false_positives;
            mistakes.false_positives.push_back(span);
        }
    }
    for (const Span& span : truth) {
        if (std::find(found.begin(), found.end(), span) == found.end()) {
            ++score.false_negatives;
            mistakes.false_negatives.push_back(span);
        }
    }
    return mistakes;
}

std::string masked_example(std::string_view text, std::vector<Span> spans) {
    // Overlapping spans are masked as one, so that no part of a number is left in clear.
    std::sort(spans.begin(), spans.end());
    std::vector<Span> merged;
    for (const Span& span : spans) {
        if (!merged.empty() && span.start < merged.back().end) {
            merged.back().end = std::max(merged.back().end, span.end);
        } else {
            merged.push_back(span);
        }
    }
    std::string out;
    std::size_t at = 0;
    for (const Span& span : merged) {
        if (span.end > text.size()) {
            break;
        }
        out += text.substr(at, span.start - at);
        out += mask_number(text.substr(span.start, span.end - span.start));
        at = span.end;
    }
    out += text.substr(at);
    std::replace(out.begin(), out.end(), '\n', '|');
    return out;
}

} // namespace dockscan::corpus
