#include "detectors/text_detector.hpp"

#include "detectors/context_words.hpp"
#include "detectors/identity_number.hpp"
#include "detectors/number_scanner.hpp"

#include <algorithm>
#include <optional>

namespace dockscan::detectors {
namespace {

// How far context words are looked for. Keywords are written before the number
// ("pnr 120315-2383") far more often than after it, so the window before is longer.
// After a number, only a word close by describes it ("0701234567 är mitt nummer");
// further on, words belong to what comes next ("... till mottagningen kl 14").
constexpr std::size_t k_window_before = 80;
constexpr std::size_t k_window_after = 25;
// A number in a list takes the meaning of the one before it when no word of its own
// says otherwise: identity numbers after a keyword ("pnr: Alva 120315-2382, Nils
// 140512-2381") and phone numbers side by side ("070-123 45 67 eller 0701234567").
constexpr std::size_t k_identity_list_gap = 30;
constexpr std::size_t k_phone_list_gap = 12;

// Confidence by written form: separators and twelve digits are what identity numbers
// look like; ten bare digits are also references, and ten bare digits starting with 0
// and an area code are more often a phone number than a child's personnummer.
constexpr double k_twelve_separated = 0.85;
constexpr double k_twelve_bare = 0.75;
constexpr double k_twelve_spaced = 0.7;
constexpr double k_ten_separated = 0.8;
constexpr double k_ten_bare = 0.65;
constexpr double k_ten_spaced = 0.6;
constexpr double k_phone_shaped = 0.45;
// A wrong check digit is still a typed identity number when a keyword says so.
constexpr double k_wrong_check = 0.6;

constexpr double k_keyword_boost = 0.3;
constexpr double k_negative_penalty = 0.4;
// A cue of the other kind that is further away than the nearest one counts half.
constexpr double k_far_cue_share = 0.5;
constexpr double k_list_boost = 0.2;
constexpr double k_list_penalty = 0.3;
// A wrong check digit in a list rests on a keyword further back: a little less sure.
constexpr double k_list_wrong_check_penalty = 0.05;
// Never certain: the signal is a proposal for a person to review.
constexpr double k_max_confidence = 0.99;

// One number-like place in the text: a candidate or another digit group.
struct Item {
    std::size_t start;
    std::size_t end;
    const NumberCandidate* candidate; // null for other digit groups
    bool phone_shaped;
};

struct Context {
    Cue nearest = Cue::none;
    bool identity_elsewhere = false;
    bool negative_elsewhere = false;
};

bool is_negative(Cue cue) {
    return cue == Cue::phone || cue == Cue::other_number;
}

bool ends_sentence(std::string_view text, std::size_t i) {
    const char c = text[i];
    if (c == '\n' || c == '!' || c == '?') {
        return true;
    }
    return c == '.' && (i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n');
}

// The cues in the window before `item` (back to the previous number) and in the rest
// of its sentence after it (up to the next number, whose own cues those would be).
Context read_context(std::string_view text, const Item& item, std::size_t previous_end,
                     std::size_t next_start) {
    const std::size_t before_from =
        std::max(previous_end, item.start > k_window_before ? item.start - k_window_before : 0);
    std::size_t after_to = std::min({next_start, item.end + k_window_after, text.size()});
    bool after_ends_at_next = after_to == next_start && next_start < text.size();
    for (std::size_t i = item.end; i < after_to; ++i) {
        if (ends_sentence(text, i)) {
            after_to = i;
            after_ends_at_next = false;
            break;
        }
    }

    struct Hit {
        Cue cue;
        std::size_t distance;
    };
    std::vector<Hit> hits;
    for (const Word& word : read_words(text, before_from, item.start)) {
        if (word.cue != Cue::none) {
            hits.push_back({word.cue, item.start - word.end});
        }
    }
    if (!after_ends_at_next) {
        for (const Word& word : read_words(text, item.end, after_to)) {
            if (word.cue != Cue::none) {
                // Counted twice as far: a word after a number describes it less often.
                hits.push_back({word.cue, 2 * (word.start - item.end)});
            }
        }
    }
    Context context;
    if (hits.empty()) {
        return context;
    }
    const auto nearest = std::min_element(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        return a.distance < b.distance;
    });
    context.nearest = nearest->cue;
    for (const Hit& hit : hits) {
        if (hit.cue == Cue::identity && context.nearest != Cue::identity) {
            context.identity_elsewhere = true;
        }
        if (is_negative(hit.cue) && !is_negative(context.nearest)) {
            context.negative_elsewhere = true;
        }
    }
    return context;
}

bool gap_continues_list(std::string_view text, std::size_t from, std::size_t to,
                        std::size_t max_gap) {
    if (to < from || to - from > max_gap) {
        return false;
    }
    for (std::size_t i = from; i < to; ++i) {
        if (text[i] == '!' || text[i] == '?' ||
            (text[i] == '.' && i + 1 < to && text[i + 1] == ' ')) {
            return false;
        }
    }
    return true;
}

double form_confidence(const NumberCandidate& candidate) {
    if (candidate.phone_shaped) {
        return k_phone_shaped;
    }
    const bool spaced = candidate.separator == Separator::space;
    const bool bare = candidate.separator == Separator::none;
    if (candidate.twelve_digits) {
        return spaced ? k_twelve_spaced : bare ? k_twelve_bare : k_twelve_separated;
    }
    return spaced ? k_ten_spaced : bare ? k_ten_bare : k_ten_separated;
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

// The meaning a number's context gives it, for the number after it in a list.
Cue item_meaning(const Context& context, Cue inherited, bool phone_shaped) {
    if (context.nearest != Cue::none) {
        return context.nearest;
    }
    if (inherited != Cue::none) {
        return inherited;
    }
    return phone_shaped ? Cue::phone : Cue::none;
}

// How sure the number is someone's identity number, from its form and its context.
double confidence_for(const NumberCandidate& candidate, bool check_ok, const Context& context,
                      Cue inherited) {
    double confidence = check_ok ? form_confidence(candidate) : k_wrong_check;
    if (context.nearest == Cue::identity) {
        confidence += check_ok ? k_keyword_boost : 0.0;
        if (context.negative_elsewhere) {
            confidence -= k_negative_penalty * k_far_cue_share;
        }
    } else if (is_negative(context.nearest)) {
        confidence -= k_negative_penalty;
        if (context.identity_elsewhere) {
            confidence += k_keyword_boost * k_far_cue_share;
        }
    } else if (inherited == Cue::identity) {
        confidence += check_ok ? k_list_boost : -k_list_wrong_check_penalty;
    } else if (is_negative(inherited)) {
        confidence -= k_list_penalty;
    }
    return std::clamp(confidence, 0.0, k_max_confidence);
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

} // namespace

std::vector<Signal> find_identity_numbers(std::string_view text, const TextOptions& options) {
    std::vector<Signal> signals;
    const std::vector<NumberCandidate> candidates = find_number_candidates(text);
    if (candidates.empty()) {
        return signals;
    }
    const std::vector<Item> items = collect_items(text, candidates);

    Cue previous_meaning = Cue::none;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const Item& item = items[k];
        const std::size_t previous_end = k > 0 ? items[k - 1].end : 0;
        const std::size_t next_start = k + 1 < items.size() ? items[k + 1].start : text.size();
        const Context context = read_context(text, item, previous_end, next_start);
        Cue inherited = Cue::none;
        if (k > 0 && previous_meaning == Cue::identity &&
            gap_continues_list(text, previous_end, item.start, k_identity_list_gap)) {
            inherited = Cue::identity;
        } else if (k > 0 && previous_meaning == Cue::phone &&
                   gap_continues_list(text, previous_end, item.start, k_phone_list_gap)) {
            inherited = Cue::phone;
        }
        previous_meaning = item_meaning(context, inherited, item.phone_shaped);
        if (item.candidate == nullptr) {
            continue;
        }

        const bool keyword = context.nearest == Cue::identity ||
                             (context.nearest == Cue::none && inherited == Cue::identity);
        const std::optional<IdentityNumber> number =
            parse_identity_number(item.candidate->canonical, options.today,
                                  keyword ? CheckDigit::ignored : CheckDigit::required);
        if (!number || born_after(*number, options.today)) {
            if (previous_meaning == Cue::identity) {
                // Not an identity number after all: the list, if any, ends here.
                previous_meaning = Cue::none;
            }
            continue;
        }
        const bool check_ok = number->has_valid_check_digit();

        const double confidence = confidence_for(*item.candidate, check_ok, context, inherited);
        if (confidence < options.min_confidence) {
            continue;
        }

        Signal signal;
        signal.kind = signal_kind(number->kind);
        signal.confidence = confidence;
        signal.start = item.start;
        signal.end = item.end;
        signal.masked = number->masked();
        signal.normalized = number->normalized();
        signal.check_digit_valid = check_ok;
        signals.push_back(std::move(signal));
    }
    return signals;
}

std::vector<Signal> scan_text(std::string_view text, const TextOptions& options) {
    // Names and health terms join here; each detector returns its signals in order.
    return find_identity_numbers(text, options);
}

} // namespace dockscan::detectors
