// dockscan-text-eval: generates a labelled corpus (see tests/corpus/README.md) and
// prints how well dockscan's text detector, and a context-free DLP rule, find the
// identity numbers in it. Exits non-zero when dockscan is below
// --min-precision/--min-recall.

#include "detectors/text_detector.hpp"
#include "tests/corpus/background.hpp"
#include "tests/corpus/baseline.hpp"
#include "tests/corpus/care_messages.hpp"
#include "tests/corpus/evaluation.hpp"
#include "tests/corpus/generator.hpp"
#include "tests/corpus/number_pool.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace dockscan;

struct Example {
    std::string text;
    double confidence;
};

struct Outcome {
    corpus::Score score;
    std::vector<std::string> false_positives;
    std::vector<std::string> false_negatives;
};

// Keeps the message as an example of a detector's mistake. `masked` is the message
// with every labelled or found number masked: the numbers either detector found
// include every look-alike that passes a date and Luhn check, which could be a real
// person's number by chance.
void keep_example(const corpus::Message& message, const std::string& masked,
                  const corpus::Mistakes& mistakes, std::size_t limit, Outcome& outcome,
                  const std::vector<detectors::Signal>& judged = {}) {
    const std::string line = std::string(message.situation) + ": " + masked;
    // The detector's own reason for a span it judged, reported or not.
    const auto reasons = [&](const std::vector<corpus::Span>& spans) {
        std::string out;
        for (const corpus::Span& span : spans) {
            for (const detectors::Signal& signal : judged) {
                if (signal.start == span.start && signal.end == span.end) {
                    out += "\n      (" + signal.reason + ")";
                }
            }
        }
        return out;
    };
    if (!mistakes.false_positives.empty() && outcome.false_positives.size() < limit) {
        outcome.false_positives.push_back(line + reasons(mistakes.false_positives));
    }
    if (!mistakes.false_negatives.empty() && outcome.false_negatives.size() < limit) {
        outcome.false_negatives.push_back(line + reasons(mistakes.false_negatives));
    }
}

// How many labelled numbers of one kind or form each detector found.
struct Found {
    std::size_t total = 0;
    std::size_t dockscan = 0;
    std::size_t baseline = 0;
};

void count_found(const corpus::Message& message, const std::vector<corpus::Span>& dockscan,
                 const std::vector<corpus::Span>& baseline, std::map<std::string, Found>& by_kind,
                 std::map<std::string, Found>& by_form) {
    for (std::size_t i = 0; i < message.identity_spans.size(); ++i) {
        const corpus::Span& span = message.identity_spans[i];
        const std::string& note = message.span_notes[i];
        const std::size_t space = note.find(' ');
        for (Found* found : {&by_kind[note.substr(0, space)], &by_form[note.substr(space + 1)]}) {
            ++found->total;
            if (std::find(dockscan.begin(), dockscan.end(), span) != dockscan.end()) {
                ++found->dockscan;
            }
            if (std::find(baseline.begin(), baseline.end(), span) != baseline.end()) {
                ++found->baseline;
            }
        }
    }
}

void print_recall(const char* title, const std::map<std::string, Found>& table) {
    std::printf("\n%-16s %7s %9s %9s\n", title, "count", "dockscan", "baseline");
    for (const auto& [name, found] : table) {
        const auto share = [&](std::size_t part) {
            return static_cast<double>(part) / static_cast<double>(found.total);
        };
        std::printf("%-16s %7zu %9.4f %9.4f\n", name.c_str(), found.total, share(found.dockscan),
                    share(found.baseline));
    }
}

void print_row(const char* name, const corpus::Score& score) {
    std::printf("%-16s %9.4f %9.4f %9.4f %7zu %7zu %7zu\n", name, score.precision(), score.recall(),
                score.f1(), score.true_positives, score.false_positives, score.false_negatives);
}

void print_examples(const char* title, const std::vector<std::string>& examples) {
    std::printf("\n%s:\n", title);
    if (examples.empty()) {
        std::printf("  (none)\n");
    }
    for (const std::string& example : examples) {
        std::printf("  %s\n", example.c_str());
    }
}

bool parse_date(const std::string& text, base::Date& date) {
    return std::sscanf(text.c_str(), "%d-%d-%d", &date.year, &date.month, &date.day) == 3 &&
           base::is_real_date(date.year, date.month, date.day);
}

// The options every corpus shares.
struct Settings {
    std::size_t count = 5000;
    std::uint64_t seed = 1;
    base::Date today{};
    double confusable_share = 0.0; // the first generator's look-alikes
    std::string locale_dir;
    std::size_t examples = 5;
};

constexpr const char* k_sets[] = {"gate", "care", "care-b", "confounders", "background", "dev"};

// One corpus as a source of messages; it owns its generator.
class Source {
public:
    // Nothing when the corpus cannot be made (the message says why, on stderr).
    static std::unique_ptr<Source> make(const std::string& set, const corpus::NumberPool& pool,
                                        const Settings& settings) {
        auto source = std::unique_ptr<Source>(new Source());
        if (set == "dev") {
            corpus::GeneratorOptions options;
            options.set = corpus::TemplateSet::dev;
            options.seed = settings.seed;
            options.today = settings.today;
            options.confusable_share = settings.confusable_share;
            source->m_first = std::make_unique<corpus::Generator>(pool, options);
        } else if (set == "background") {
            auto texts =
                corpus::load_catalogue_texts(settings.locale_dir, corpus::background_domains());
            if (!texts) {
                std::fprintf(stderr, "cannot load the Swedish catalogues: %s\n",
                             texts.error().message.c_str());
                return nullptr;
            }
            source->m_catalogue = std::move(*texts);
            corpus::BackgroundOptions options;
            options.seed = settings.seed;
            options.today = settings.today;
            source->m_background =
                std::make_unique<corpus::BackgroundMessages>(pool, source->m_catalogue, options);
        } else {
            corpus::CareOptions options;
            options.set = set == "care"     ? corpus::CareSet::care
                          : set == "care-b" ? corpus::CareSet::care_b
                          : set == "gate"   ? corpus::CareSet::gate
                                            : corpus::CareSet::confounders;
            options.seed = settings.seed;
            options.today = settings.today;
            // Confounder texts are there to hold numbers a context-free rule takes for
            // identity numbers: half of those that can be are made so.
            options.confusable_share = set == "confounders" ? 0.5 : 0.1;
            source->m_care = std::make_unique<corpus::CareMessages>(pool, options);
        }
        return source;
    }

    [[nodiscard]] corpus::Message next() {
        if (m_first) {
            return m_first->next();
        }
        if (m_background) {
            return m_background->next();
        }
        return m_care->next();
    }

private:
    Source() = default;

    std::unique_ptr<corpus::Generator> m_first;
    std::unique_ptr<corpus::CareMessages> m_care;
    std::vector<std::string> m_catalogue;
    std::unique_ptr<corpus::BackgroundMessages> m_background;
};

struct Evaluation {
    Outcome dockscan;
    Outcome baseline;
    std::map<std::string, Found> by_kind;
    std::map<std::string, Found> by_form;
    std::size_t labelled = 0;
};

Evaluation evaluate(Source& source, const Settings& settings) {
    detectors::TextOptions text_options;
    text_options.today = settings.today;
    // Judged at any confidence, so that a missed number's reason can be shown.
    detectors::TextOptions all = text_options;
    all.min_confidence = 0.0;
    Evaluation e;
    for (std::size_t i = 0; i < settings.count; ++i) {
        const corpus::Message message = source.next();
        e.labelled += message.identity_spans.size();
        const std::vector<detectors::Signal> judged =
            detectors::find_identity_numbers(message.text, all);
        std::vector<corpus::Span> found;
        for (const detectors::Signal& signal : judged) {
            if (signal.confidence >= text_options.min_confidence) {
                found.push_back(corpus::Span{signal.start, signal.end});
            }
        }
        const std::vector<corpus::Span> rule =
            corpus::baseline_dlp_rule(message.text, settings.today);
        std::vector<corpus::Span> shown = message.identity_spans;
        shown.insert(shown.end(), found.begin(), found.end());
        shown.insert(shown.end(), rule.begin(), rule.end());
        const std::string masked = corpus::masked_example(message.text, shown);
        keep_example(message, masked,
                     corpus::score_message(message.identity_spans, found, e.dockscan.score),
                     settings.examples, e.dockscan, judged);
        keep_example(message, masked,
                     corpus::score_message(message.identity_spans, rule, e.baseline.score),
                     settings.examples, e.baseline);
        count_found(message, found, rule, e.by_kind, e.by_form);
    }
    return e;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Measures dockscan's identity-number detection on a generated corpus"};
    Settings settings;
    settings.locale_dir = "/usr/share/locale/sv/LC_MESSAGES";
    settings.confusable_share = corpus::GeneratorOptions{}.confusable_share;
    std::string set_name = "dev";
    std::string shared_dir = DOCKSCAN_SHARED_DIR;
    std::string today_text = "2025-06-01";
    double min_precision = 0.0;
    double min_recall = 0.0;
    app.add_option("-n,--count", settings.count, "messages to generate")
        ->check(CLI::PositiveNumber);
    app.add_option("--seed", settings.seed, "seed of the corpus");
    app.add_option("--set", set_name,
                   "corpus: gate (never tuned on), care, care-b, confounders, background "
                   "(Debian's Swedish message catalogues), dev (first generator); all: one "
                   "line for each")
        ->check(
            CLI::IsMember({"dev", "care", "care-b", "gate", "confounders", "background", "all"}));
    app.add_option("--shared", shared_dir, "the shared folder holding conformance/");
    app.add_option("--locale-dir", settings.locale_dir, "where the Swedish .mo catalogues are");
    app.add_option("--today", today_text, "the date the corpus is written on (YYYY-MM-DD)");
    app.add_option("--confusable-share", settings.confusable_share,
                   "dev set: how often a look-alike is made to pass a date and Luhn check")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--min-precision", min_precision, "fail below this precision");
    app.add_option("--min-recall", min_recall, "fail below this recall");
    app.add_option("--examples", settings.examples, "mistakes to show, masked");
    CLI11_PARSE(app, argc, argv);

    if (!parse_date(today_text, settings.today)) {
        std::fprintf(stderr, "--today: not a date: %s\n", today_text.c_str());
        return 2;
    }
    const auto pool = corpus::NumberPool::load(std::filesystem::path(shared_dir) / "conformance" /
                                               "personnummer-meta");
    if (!pool) {
        std::fprintf(stderr, "cannot load test numbers (%s): %s\n",
                     std::string(corpus::to_string(pool.error().code)).c_str(),
                     pool.error().message.c_str());
        return 2;
    }

    if (set_name == "all") {
        std::printf("%zu messages each, seed %llu, today %s\n\n", settings.count,
                    static_cast<unsigned long long>(settings.seed), today_text.c_str());
        std::printf("%-12s %8s %11s %11s %11s %11s\n", "corpus", "numbers", "dockscan P",
                    "dockscan R", "DLP rule P", "DLP rule R");
        bool passed = true;
        for (const char* set : k_sets) {
            const auto source = Source::make(set, *pool, settings);
            if (!source) {
                return 2;
            }
            const Evaluation e = evaluate(*source, settings);
            std::printf("%-12s %8zu %11.4f %11.4f %11.4f %11.4f\n", set, e.labelled,
                        e.dockscan.score.precision(), e.dockscan.score.recall(),
                        e.baseline.score.precision(), e.baseline.score.recall());
            passed = passed && e.dockscan.score.precision() >= min_precision &&
                     e.dockscan.score.recall() >= min_recall;
        }
        return passed ? 0 : 1;
    }

    const auto source = Source::make(set_name, *pool, settings);
    if (!source) {
        return 2;
    }
    const Evaluation e = evaluate(*source, settings);
    std::printf("corpus: %s, %zu messages, seed %llu, %zu identity numbers, today %s\n\n",
                set_name.c_str(), settings.count, static_cast<unsigned long long>(settings.seed),
                e.labelled, today_text.c_str());
    std::printf("%-16s %9s %9s %9s %7s %7s %7s\n", "detector", "precision", "recall", "F1", "TP",
                "FP", "FN");
    print_row("dockscan", e.dockscan.score);
    print_row("baseline (DLP)", e.baseline.score);
    print_recall("recall by kind", e.by_kind);
    print_recall("recall by form", e.by_form);
    print_examples("dockscan false positives (masked)", e.dockscan.false_positives);
    print_examples("dockscan false negatives (masked)", e.dockscan.false_negatives);
    print_examples("baseline false positives (masked)", e.baseline.false_positives);
    print_examples("baseline false negatives (masked)", e.baseline.false_negatives);

    const bool passed =
        e.dockscan.score.precision() >= min_precision && e.dockscan.score.recall() >= min_recall;
    if (!passed) {
        std::printf("\nFAILED: dockscan precision %.4f (min %.4f), recall %.4f (min %.4f)\n",
                    e.dockscan.score.precision(), min_precision, e.dockscan.score.recall(),
                    min_recall);
    }
    return passed ? 0 : 1;
}
