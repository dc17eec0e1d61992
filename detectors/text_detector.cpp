#include "detectors/text_detector.hpp"

#include "detectors/context_words.hpp"
#include "detectors/identity_number.hpp"
#include "detectors/number_context.hpp"
#include "detectors/number_scanner.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace dockscan::detectors {
namespace {

// Confidences. Above 0.5 (the default threshold) is reported.
// The form alone: a date, a separator and four digits, or twelve digits with century,
// with a real date and a valid check digit. Phone numbers, references and amounts are
// not written so.
constexpr double k_identity_form = 0.9;
constexpr double k_identity_form_named = 0.97;
// A form other numbers share, named as an identity number or standing in a list of them.
constexpr double k_named_identity = 0.9;
constexpr double k_listed_identity = 0.8;
// A form other numbers share with no word for it: ten bare digits are also references,
// a space also stands between two numbers; both are reported, below the forms above.
constexpr double k_ten_bare_unnamed = 0.65;
constexpr double k_spaced_unnamed = 0.6;
// Ten bare digits starting with 07 and no word for them are more often a mobile number
// than a child born 2007: not reported. Starting with another area code, they are
// reported, just.
constexpr double k_phone_like_unnamed = 0.4;
constexpr double k_landline_like_unnamed = 0.55;
// A wrong check digit is still a typed identity number when a word names it so.
constexpr double k_wrong_check_named = 0.6;
// Named as a phone number or a reference, or listed among phone numbers.
constexpr double k_named_other = 0.2;
// How far back a date followed by a clock time reads as an appointment or a log entry
// rather than a birth date.
constexpr int k_recent_months = 24;

// What a number's written form says before any word is read.
enum class Shape {
    identity_form, // date, `-`/`+`/dash, four digits; or an interim number's letter
    twelve_bare,   // twelve digits with century
    ten_bare,      // ten digits, not starting like a phone number
    phone_like,    // ten bare digits starting with 0 and an area code
    spaced,        // date, space, four digits
};

// One number-like place in the text: a candidate or another digit group.
struct Item {
    std::size_t start;
    std::size_t end;
    const NumberCandidate* candidate; // null for other digit groups
    bool phone_shaped;
};

bool is_negative(Cue cue) {
    return cue == Cue::phone || cue == Cue::other_number;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

Shape shape_of(const NumberCandidate& candidate) {
    const bool interim = std::any_of(candidate.canonical.begin(), candidate.canonical.end(),
                                     [](char c) { return c >= 'A' && c <= 'Z'; });
    if (interim) {
        return Shape::identity_form;
    }
    switch (candidate.separator) {
    case Separator::hyphen:
    case Separator::plus:
    case Separator::dash:
        return Shape::identity_form;
    case Separator::space:
    case Separator::none:
        break;
    }
    // Phone numbers are written bare or in groups of two and three, never as six digits,
    // a space and four: only the bare form shares its shape with a phone number.
    if (candidate.phone_shaped && candidate.separator == Separator::none) {
        return Shape::phone_like;
    }
    if (candidate.separator == Separator::space) {
        return Shape::spaced;
    }
    return candidate.twelve_digits ? Shape::twelve_bare : Shape::ten_bare;
}

std::string describe_form(const NumberCandidate& candidate, Shape shape) {
    switch (shape) {
    case Shape::identity_form:
        if (candidate.separator == Separator::plus) {
            return "written with '+' after the date (aged 100 or more)";
        }
        if (candidate.separator == Separator::none) {
            return "an interim number's letter after the date";
        }
        return candidate.twelve_digits
                   ? "twelve digits with century and a dash before the last four"
                   : "a dash before the last four digits";
    case Shape::twelve_bare:
        return "twelve digits with century";
    case Shape::ten_bare:
        return "ten digits without separator";
    case Shape::phone_like:
        return "ten digits that start like a phone number";
    case Shape::spaced:
        return "a space before the last four digits";
    }
    return "a number";
}

std::string describe_meaning(const Meaning& meaning) {
    // Appended, not `"'" + std::string(meaning.stem) + "'"`: at -O3 GCC 12 reports a false
    // -Wrestrict in that (see in_quotes in agent/store/users.cpp).
    std::string stem = "'";
    stem += meaning.stem;
    stem += '\'';
    switch (meaning.by) {
    case By::naming_word:
        switch (meaning.cue) {
        case Cue::identity:
            return "named an identity number by " + stem;
        case Cue::phone:
            return "named a phone number by " + stem;
        case Cue::other_number:
            return "named another kind of number by " + stem;
        case Cue::none:
            break;
        }
        break;
    case By::nearby_identity_word:
        return "identity word " + stem + " before it";
    case By::list:
        return meaning.cue == Cue::identity ? "in a list after an identity number"
                                            : "in a list after a phone number";
    case By::nothing:
        break;
    }
    return "no word names it";
}

Kind signal_kind(IdKind kind) {
    switch (kind) {
    case IdKind::personnummer:
        return Kind::personnummer;
    case IdKind::samordningsnummer:
        return Kind::samordningsnummer;
    case IdKind::interimsnummer:
        return Kind::interimsnummer;
    }
    return Kind::personnummer;
}

bool born_after(const IdentityNumber& number, base::Date today) {
    const int day = number.kind == IdKind::samordningsnummer ? number.day - 60 : number.day;
    return base::Date{number.year, number.month, day} > today;
}

struct Judgement {
    double confidence;
    bool reported_as_identity; // for the list rule: the next number may take this meaning
    std::string why;
};

// A recent date followed by a clock time is a date and a time ("20250103 1830",
// "250612 1340"), as booking systems and logs print them.
bool reads_as_date_and_time(const NumberCandidate& candidate, const IdentityNumber& number,
                            base::Date today) {
    const std::string_view tail =
        std::string_view(candidate.canonical).substr(candidate.canonical.size() - 4);
    const int hours = (tail[0] - '0') * 10 + (tail[1] - '0');
    const int minutes = (tail[2] - '0') * 10 + (tail[3] - '0');
    if (!is_digit(tail[0]) || hours > 23 || minutes > 59) {
        return false;
    }
    return number.year * 12 + number.month >= today.year * 12 + today.month - k_recent_months;
}

// The rules, in order: the written form first, then the words that name the number.
Judgement judge(const NumberCandidate& candidate, const IdentityNumber& number,
                const Meaning& meaning, const TextOptions& options) {
    const bool check_ok = number.has_valid_check_digit();
    const TextSource source = options.source;
    const Shape shape = shape_of(candidate);
    const std::string form = describe_form(candidate, shape);
    const std::string words = describe_meaning(meaning);
    const bool identity_word = meaning.cue == Cue::identity;

    if (!check_ok) {
        // Only reached when a word says identity number (the caller parses with
        // CheckDigit::ignored only then).
        return {k_wrong_check_named, true, "reported: " + form + ", wrong check digit, " + words};
    }
    const std::string valid = form + ", real date and check digit";

    // Twelve bare digits and OCR text: a reference label right at the number overrides
    // the form (order and OCR numbers are runs of digits; OCR joins a column's label to
    // the number beside it). A separator after the date in typed text is never a
    // reference's form.
    const bool form_decides = shape == Shape::identity_form || shape == Shape::twelve_bare;
    const bool form_overridable = shape == Shape::twelve_bare || source == TextSource::ocr;
    const bool named_other = meaning.by == By::naming_word && is_negative(meaning.cue);
    if (form_decides && !(form_overridable && named_other)) {
        if (identity_word) {
            return {k_identity_form_named, true, "reported: " + valid + ", " + words};
        }
        return {k_identity_form, true, "reported: " + valid + " (the form decides)"};
    }
    if (is_negative(meaning.cue)) {
        return {k_named_other, false, "not reported: " + valid + ", but " + words};
    }
    if (identity_word) {
        const double confidence = meaning.by == By::list ? k_listed_identity : k_named_identity;
        return {confidence, true, "reported: " + valid + ", " + words};
    }
    switch (shape) {
    case Shape::ten_bare:
        return {k_ten_bare_unnamed, false, "reported: " + valid + ", no word says otherwise"};
    case Shape::spaced:
        if (reads_as_date_and_time(candidate, number, options.today)) {
            return {k_named_other, false,
                    "not reported: " + valid + ", but it reads as a recent date and a time"};
        }
        return {k_spaced_unnamed, false, "reported: " + valid + ", no word says otherwise"};
    case Shape::phone_like:
    case Shape::identity_form:
    case Shape::twelve_bare:
        break;
    }
    // Only 070 mobile numbers read as dates (072, 073, 076 and 079 give months 20-99),
    // and mobile numbers are pasted bare all the time: 07 needs a word. Landline
    // numbers are written with the area code apart ("031-123 45 67"); ten bare digits
    // starting 01-06, 08 or 09 without a phone word are more likely someone born
    // 2000-2009.
    if (!candidate.canonical.starts_with("07")) {
        return {k_landline_like_unnamed, false,
                "reported: " + valid + ", no phone word names it and mobile numbers start 07"};
    }
    return {k_phone_like_unnamed, false,
            "not reported: " + valid +
                ", but it may be a mobile number and no word says it is "
                "an identity number"};
}

// The candidates and the other digit groups, in order of position. Both lists are in
// order already; a group that overlaps a candidate is the candidate itself (or holds
// it) and is left out.
std::vector<Item> collect_items(std::string_view text,
                                const std::vector<NumberCandidate>& candidates) {
    const std::vector<DigitGroup> groups = find_digit_groups(text);
    std::vector<Item> items;
    items.reserve(candidates.size() + groups.size());
    std::size_t c = 0;
    for (const DigitGroup& group : groups) {
        while (c < candidates.size() && candidates[c].end <= group.start) {
            items.push_back({candidates[c].start, candidates[c].end, &candidates[c],
                             candidates[c].phone_shaped});
            ++c;
        }
        // Here candidates[c] is the first candidate ending after the group starts.
        const bool overlaps = c < candidates.size() && candidates[c].start < group.end;
        if (!overlaps) {
            items.push_back({group.start, group.end, nullptr, group.phone_shaped});
        }
    }
    for (; c < candidates.size(); ++c) {
        items.push_back(
            {candidates[c].start, candidates[c].end, &candidates[c], candidates[c].phone_shaped});
    }
    return items;
}

// Adds `signal`, or counts it on the first signal of the same number.
void add_signal(Signal signal, Repeats repeats, std::map<std::string, std::size_t>& first_of,
                std::vector<Signal>& signals) {
    if (repeats == Repeats::counted) {
        const std::string key = std::string(to_string(signal.kind)) + signal.normalized;
        const auto [at, added] = first_of.try_emplace(key, signals.size());
        if (!added) {
            Signal& first = signals[at->second];
            ++first.occurrences;
            if (signal.confidence > first.confidence) {
                first.confidence = signal.confidence;
                first.reason = std::move(signal.reason);
                first.check_digit_valid = signal.check_digit_valid;
            }
            return;
        }
    }
    signals.push_back(std::move(signal));
}

} // namespace

std::vector<Signal> find_identity_numbers(std::string_view text, const TextOptions& options) {
    std::vector<Signal> signals;
    const std::vector<NumberCandidate> candidates = find_number_candidates(text);
    if (candidates.empty()) {
        return signals;
    }
    const std::vector<Item> items = collect_items(text, candidates);
    std::map<std::string, std::size_t> first_of;

    // The meaning of the number before, for lists; an identity meaning that goes back
    // to a word (not only to a number's form) carries on to phone-shaped numbers too.
    Cue previous_meaning = Cue::none;
    bool previous_from_word = false;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const Item& item = items[k];
        const std::size_t previous_end = k > 0 ? items[k - 1].end : 0;
        const std::size_t next_start = k + 1 < items.size() ? items[k + 1].start : text.size();
        Meaning meaning = read_meaning(text, Place{item.start, item.end, item.phone_shaped},
                                       previous_end, next_start);
        bool from_word = meaning.cue == Cue::identity;
        if (meaning.cue == Cue::none && k > 0) {
            if (previous_meaning == Cue::identity && (previous_from_word || !item.phone_shaped) &&
                continues_list(text, previous_end, item.start, ListOf::identity_numbers)) {
                meaning = {Cue::identity, By::list, {}};
                from_word = previous_from_word;
            } else if (previous_meaning == Cue::phone && item.phone_shaped &&
                       continues_list(text, previous_end, item.start, ListOf::phone_numbers)) {
                meaning = {Cue::phone, By::list, {}};
            }
        }
        const auto remember = [&](Cue cue) {
            previous_meaning = cue;
            previous_from_word = cue == Cue::identity && from_word;
        };
        if (item.candidate == nullptr) {
            remember(meaning.cue != Cue::none ? meaning.cue
                                              : (item.phone_shaped ? Cue::phone : Cue::none));
            continue;
        }

        // A wrong check digit is accepted only where a word says identity number.
        const bool identity_word = meaning.cue == Cue::identity && meaning.by != By::list;
        const std::optional<IdentityNumber> number =
            parse_identity_number(item.candidate->canonical, options.today,
                                  identity_word ? CheckDigit::ignored : CheckDigit::required);
        if (!number || born_after(*number, options.today)) {
            // Not an identity number after all: a list, if any, ends here.
            remember(is_negative(meaning.cue) ? meaning.cue : Cue::none);
            continue;
        }
        Judgement judgement = judge(*item.candidate, *number, meaning, options);
        if (judgement.reported_as_identity && judgement.confidence >= options.min_confidence) {
            remember(Cue::identity);
        } else if (meaning.cue != Cue::none) {
            remember(meaning.cue);
        } else {
            remember(item.phone_shaped ? Cue::phone : Cue::none);
        }
        if (judgement.confidence < options.min_confidence) {
            continue;
        }

        Signal signal;
        signal.kind = signal_kind(number->kind);
        signal.confidence = judgement.confidence;
        signal.start = item.start;
        signal.end = item.end;
        signal.masked = number->masked();
        signal.normalized = number->normalized();
        signal.check_digit_valid = number->has_valid_check_digit();
        signal.reason = std::move(judgement.why);
        add_signal(std::move(signal), options.repeats, first_of, signals);
    }
    return signals;
}

std::vector<Signal> scan_text(std::string_view text, const TextOptions& options) {
    // Names and health terms join here; each detector returns its signals in order.
    return find_identity_numbers(text, options);
}

} // namespace dockscan::detectors
