#include "agent/web/decision_form.hpp"

#include "agent/store/review_queries.hpp"

#include <algorithm>

namespace dockscan::agent::web {

namespace {

constexpr std::size_t k_max_note = 1000;
constexpr std::size_t k_max_short_text = 200;

bool has(const std::vector<std::string>& values, std::string_view value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

// "2026-12-15" as a real date, or nothing.
std::optional<base::Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lengths[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p) {
        for (std::size_t i = 0; i < lengths[p]; ++i) {
            const char c = text[starts[p] + i];
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            parts[p] = parts[p] * 10 + (c - '0');
        }
    }
    if (!base::is_real_date(parts[0], parts[1], parts[2])) {
        return std::nullopt;
    }
    return base::Date{parts[0], parts[1], parts[2]};
}

} // namespace

std::string trimmed(std::string text) {
    const auto not_space = [](unsigned char c) {
        return c != ' ' && c != '\t' && c != '\r' && c != '\n';
    };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
    text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
    return text;
}

DecisionForm read_decision_form(const Request& request) {
    DecisionForm form{param(request, "decision"), params(request, "action"),
                      trimmed(param(request, "other_action")), trimmed(param(request, "follow_up")),
                      trimmed(param(request, "note"))};
    // Text under "annan åtgärd" is an action of its own.
    if (!form.other_action.empty() && !has(form.actions, "annat")) {
        form.actions.emplace_back("annat");
    }
    return form;
}

std::optional<FieldError> check_decision_form(const DecisionForm& form, base::Date today) {
    if (!review::is_decision(form.decision)) {
        return FieldError{"decision", "Välj en bedömning."};
    }
    if (!std::all_of(form.actions.begin(), form.actions.end(),
                     [](const std::string& a) { return review::is_action(a); })) {
        return FieldError{"action", "Okänd åtgärd."};
    }
    // Something was removed from the phone because it should not have been there: that
    // is a deviation, and a report that counts it as none would not add up.
    if (form.decision == "ingen_avvikelse" && has(form.actions, "raderat_fran_telefonen")) {
        return FieldError{"action", "\"Raderat från telefonen\" går inte ihop med \"Ingen "
                                    "avvikelse\". Välj Avvikelse eller ta bort åtgärden."};
    }
    if (has(form.actions, "annat") && form.other_action.empty()) {
        return FieldError{"other_action", "Beskriv den andra åtgärden."};
    }
    if (form.other_action.size() > k_max_short_text) {
        return FieldError{"other_action", "Texten är för lång (högst 200 tecken)."};
    }
    if (!form.follow_up.empty()) {
        const auto date = parse_date(form.follow_up);
        if (!date) {
            return FieldError{"follow_up", "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel " +
                                               std::string("2027-01-15") + "."};
        }
        if (*date <= today) {
            return FieldError{"follow_up", "Uppföljningen ska vara ett datum efter i dag."};
        }
    }
    if (form.note.size() > k_max_note) {
        return FieldError{"note", "Anteckningen är för lång (högst 1000 tecken)."};
    }
    return std::nullopt;
}

} // namespace dockscan::agent::web
