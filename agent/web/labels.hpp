#pragma once

// What the review UI shows for the store's codes: Swedish, as the supervisor reads it.

#include <string>
#include <string_view>

namespace dockscan::agent::web {

// "personnummer_i_meddelande" -> "Personnummer i meddelande".
[[nodiscard]] std::string category_label(std::string_view category);
// "avvikelse" -> "Avvikelse", "ingen_avvikelse" -> "Ingen avvikelse", ...
[[nodiscard]] std::string decision_label(std::string_view decision);
// "raderat_fran_telefonen" -> "Raderat från telefonen", ...
[[nodiscard]] std::string action_label(std::string_view action);
// "supervisor" -> "Enhetschef", ...
[[nodiscard]] std::string role_label(std::string_view role);
// "message" -> "Meddelande", ...
[[nodiscard]] std::string item_type_label(std::string_view type);
// "complete" -> "Klar", ...
[[nodiscard]] std::string scan_status_label(std::string_view status);

// "2026-11-20T13:02:00Z" -> "2026-11-20 14:02": Swedish time, whatever the server's
// zone; text that is not such a timestamp comes back as it is.
[[nodiscard]] std::string display_time(std::string_view iso);

// How sure a detector is, in plain words for the supervisor ("Mycket trolig"), instead
// of a percentage that reads as more exact than it is.
[[nodiscard]] std::string confidence_label(double confidence);

// What found it ("text/identity-number" -> "Textgranskning: personnummer"), without the
// internal code.
[[nodiscard]] std::string detector_label(std::string_view detector);

// 0.934 -> "93 %".
[[nodiscard]] std::string percent(double share);

} // namespace dockscan::agent::web
