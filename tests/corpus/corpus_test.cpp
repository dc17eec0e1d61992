#include "tests/corpus/baseline.hpp"
#include "tests/corpus/evaluation.hpp"
#include "tests/corpus/generator.hpp"
#include "tests/corpus/number_pool.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace dockscan::corpus;
using dockscan::base::Date;

namespace {

constexpr Date k_today{2025, 6, 1};

const NumberPool& pool() {
    static const NumberPool loaded = [] {
        auto result = NumberPool::load(dockscan::testing::conformance_dir() / "personnummer-meta");
        REQUIRE(result.has_value());
        return std::move(*result);
    }();
    return loaded;
}

std::vector<Message> generate(TemplateSet set, std::uint64_t seed, std::size_t count) {
    GeneratorOptions options;
    options.set = set;
    options.seed = seed;
    options.today = k_today;
    Generator generator(pool(), options);
    std::vector<Message> messages;
    for (std::size_t i = 0; i < count; ++i) {
        messages.push_back(generator.next());
    }
    return messages;
}

int digits_in(std::string_view text) {
    int count = 0;
    for (const char c : text) {
        count += (c >= '0' && c <= '9') ? 1 : 0;
    }
    return count;
}

} // namespace

TEST_CASE("a seed names one corpus", "[corpus]") {
    const auto first = generate(TemplateSet::heldout, 7, 200);
    const auto again = generate(TemplateSet::heldout, 7, 200);
    const auto other = generate(TemplateSet::heldout, 8, 200);
    std::size_t same = 0;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < first.size(); ++i) {
        same +=
            first[i].text == again[i].text && first[i].identity_spans == again[i].identity_spans;
        differ += first[i].text != other[i].text;
    }
    CHECK(same == first.size());
    CHECK(differ > first.size() / 2);
}

TEST_CASE("every template of both sets expands, and labels cover whole numbers", "[corpus]") {
    const TemplateSet set = GENERATE(TemplateSet::dev, TemplateSet::heldout);
    std::size_t labelled = 0;
    for (const Message& message : generate(set, 3, 3000)) {
        for (const Span& span : message.identity_spans) {
            REQUIRE(span.end <= message.text.size());
            const std::string_view written =
                std::string_view(message.text).substr(span.start, span.end - span.start);
            // Ten or twelve digits, or nine or eleven and an interim letter.
            const int digits = digits_in(written);
            CHECK((digits == 10 || digits == 12 || digits == 9 || digits == 11));
            const auto is_digit = [&](std::size_t i) {
                return message.text[i] >= '0' && message.text[i] <= '9';
            };
            CHECK((span.start == 0 || !is_digit(span.start - 1)));
            CHECK((span.end == message.text.size() || !is_digit(span.end)));
            ++labelled;
        }
    }
    CHECK(labelled > 1000);
}

TEST_CASE("the dev and held-out sets share no template", "[corpus]") {
    std::set<std::string_view> dev;
    for (const Template& t : templates(TemplateSet::dev)) {
        dev.insert(t.text);
    }
    std::size_t shared = 0;
    for (const Template& t : templates(TemplateSet::heldout)) {
        shared += dev.count(t.text);
    }
    CHECK(shared == 0);
    CHECK(templates(TemplateSet::dev).size() >= 40);
    CHECK(templates(TemplateSet::heldout).size() >= 40);
}

TEST_CASE("the baseline is the context-free DLP rule", "[corpus]") {
    struct Case {
        const char* text;
        std::size_t found;
    };
    const Case c = GENERATE(values<Case>({
        {"pnr 450110-3297", 1},
        {"ring 0701012395", 1}, // no context: a phone number that reads as a date passes
        {"OCR 4501103297", 1},
        {"19450110-3297", 1},
        {"450110 3297", 0}, // the usual pattern has no space or dash forms
        {"450110\xe2\x80\x93"
         "3297",
         0},
        {"000101-T220", 0},
        {"pnr 450110-3298", 0}, // nor wrong check digits
        {"14501103297", 0},
    }));
    CHECK(baseline_dlp_rule(c.text, k_today).size() == c.found);
}

TEST_CASE("scores and masked examples", "[corpus]") {
    Score score;
    const Mistakes mistakes =
        score_message({Span{0, 11}, Span{20, 31}}, {Span{0, 11}, Span{40, 50}}, score);
    CHECK(score.true_positives == 1);
    CHECK(score.false_positives == 1);
    CHECK(score.false_negatives == 1);
    CHECK(score.precision() == Approx(0.5));
    CHECK(score.recall() == Approx(0.5));
    CHECK(mistakes.false_negatives == std::vector<Span>{Span{20, 31}});

    const std::string example = masked_example("pnr 19450110-3297 ok", {Span{4, 17}});
    CHECK(example == "pnr [19450110-****] ok");
    // Overlapping spans (a detector's and the label) leave no digit of the tail shown.
    const std::string overlapping =
        masked_example("a 450110-3297 b", {Span{2, 13}, Span{4, 13}, Span{2, 11}});
    CHECK(overlapping == "a [450110-****] b");
}
