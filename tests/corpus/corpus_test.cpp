#include "tests/corpus/background.hpp"
#include "tests/corpus/baseline.hpp"
#include "tests/corpus/care_messages.hpp"
#include "tests/corpus/confounders.hpp"
#include "tests/corpus/evaluation.hpp"
#include "tests/corpus/generator.hpp"
#include "tests/corpus/luhn.hpp"
#include "tests/corpus/number_pool.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <map>
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

std::vector<Message> generate_care(CareSet set, std::uint64_t seed, std::size_t count) {
    CareOptions options;
    options.set = set;
    options.seed = seed;
    options.today = k_today;
    CareMessages generator(pool(), options);
    std::vector<Message> messages;
    for (std::size_t i = 0; i < count; ++i) {
        messages.push_back(generator.next());
    }
    return messages;
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

// Labels cover whole numbers: ten or twelve digits (nine or eleven and an interim
// letter), never part of a longer run of digits.
std::size_t check_labels(const std::vector<Message>& messages) {
    std::size_t labelled = 0;
    for (const Message& message : messages) {
        REQUIRE(message.identity_spans.size() == message.span_notes.size());
        for (const Span& span : message.identity_spans) {
            REQUIRE(span.end <= message.text.size());
            const std::string_view written =
                std::string_view(message.text).substr(span.start, span.end - span.start);
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
    return labelled;
}

TEST_CASE("a seed names one corpus", "[corpus]") {
    const auto first = generate_care(CareSet::gate, 7, 200);
    const auto again = generate_care(CareSet::gate, 7, 200);
    const auto other = generate_care(CareSet::gate, 8, 200);
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

TEST_CASE("every template expands, and labels cover whole numbers", "[corpus]") {
    CHECK(check_labels(generate(TemplateSet::dev, 3, 3000)) > 1000);
    const CareSet set =
        GENERATE(CareSet::care, CareSet::care_b, CareSet::gate, CareSet::confounders);
    CHECK(check_labels(generate_care(set, 3, 3000)) > 500);
}

TEST_CASE("the care sets share no template and each covers every kind", "[corpus]") {
    std::map<std::string_view, int> owners;
    for (const CareSet set : {CareSet::care, CareSet::care_b, CareSet::gate}) {
        std::set<std::string_view> kinds;
        for (const CareTemplate& t : care_templates(set)) {
            ++owners[t.text];
            kinds.insert(t.kind);
        }
        CHECK(care_templates(set).size() >= 30);
        for (const std::string_view kind : {"appointment", "roster", "medication", "letter",
                                            "guardian", "list", "school", "invoice", "delivery"}) {
            INFO(kind);
            CHECK(kinds.count(kind) == 1);
        }
    }
    for (const auto& [text, count] : owners) {
        INFO(text);
        CHECK(count == 1);
    }
}

TEST_CASE("confounders take their real forms", "[corpus]") {
    Rng rng(11);
    Confounders numbers(rng, k_today, 0.0);
    for (int i = 0; i < 500; ++i) {
        const std::string mobile = numbers.mobile();
        const int digits = digits_in(mobile);
        // 10 digits nationally, 11 after +46, 13 after 0046.
        CHECK((digits == 10 || digits == 11 || digits == 13));
        // An organisation number's third digit is 2 or more: never a date of birth.
        const std::string org = numbers.organisation_number();
        const std::size_t third = org.starts_with("16") && org.size() > 11 ? 4 : 2;
        CHECK(org[third] >= '2');
        CHECK_FALSE(passes_date_and_luhn(org, k_today));
        // An OCR reference's last digit is the Luhn digit of the others.
        std::string ocr;
        for (const char c : numbers.ocr()) {
            if (c != ' ') {
                ocr += c;
            }
        }
        CHECK(luhn_digit(std::string_view(ocr).substr(0, ocr.size() - 1)) == ocr.back());
    }
    // Made confusable, a bare number is one the DLP rule reports.
    Confounders confusable(rng, k_today, 1.0);
    std::size_t reported = 0;
    for (int i = 0; i < 200; ++i) {
        const std::string order = confusable.order();
        if (order.size() == 10) {
            CHECK(passes_date_and_luhn(order, k_today));
            reported += baseline_dlp_rule(order, k_today).size();
        }
    }
    CHECK(reported > 0);
}

TEST_CASE("the background is Debian's Swedish message catalogues", "[corpus]") {
    const auto texts =
        load_catalogue_texts("/usr/share/locale/sv/LC_MESSAGES", background_domains());
    REQUIRE(texts.has_value());
    CHECK(texts->size() > 5000);
    const auto missing = load_catalogue_texts("/nonexistent", background_domains());
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == CorpusError::unreadable);

    BackgroundOptions options;
    options.seed = 5;
    options.today = k_today;
    BackgroundMessages generator(pool(), *texts, options);
    std::vector<Message> messages;
    for (int i = 0; i < 2000; ++i) {
        messages.push_back(generator.next());
    }
    CHECK(check_labels(messages) > 500);
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
