#pragma once

// The decision form as typed: read from a request, checked field by field, and shown
// again as it was when a field is wrong (nothing typed is lost).

#include "agent/web/http.hpp"
#include "base/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace dockscan::agent::web {

struct DecisionForm {
    std::string decision;
    std::vector<std::string> actions;
    std::string other_action;
    std::string follow_up; // YYYY-MM-DD or empty
    std::string note;
};

// The field a message is about: its `name` in the form ("decision", "action",
// "other_action", "follow_up", "note", "reason", "result") and what to do, in Swedish.
struct FieldError {
    std::string field;
    std::string message;
};

// The form's fields, trimmed; text under "Annan åtgärd" ticks "annat".
[[nodiscard]] DecisionForm read_decision_form(const Request& request);

// The first thing wrong with the form, or nothing. `today` is the date in Sweden: a
// follow-up is a date after it.
[[nodiscard]] std::optional<FieldError> check_decision_form(const DecisionForm& form,
                                                            base::Date today);

// Leading and trailing white space removed.
[[nodiscard]] std::string trimmed(std::string text);

} // namespace dockscan::agent::web
