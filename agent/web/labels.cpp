#include "agent/web/labels.hpp"

#include "base/time.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace dockscan::agent::web {

namespace {

using Pair = std::pair<std::string_view, std::string_view>;

constexpr std::array k_categories = {
    Pair{"personnummer_i_meddelande", "Personnummer i meddelande"},
    Pair{"personnummer_i_kontakt", "Personnummer i kontakt"},
    Pair{"personnummer_i_anteckning", "Personnummer i anteckning"},
    Pair{"personnummer_i_bild", "Personnummer i bild"},
    Pair{"kontakt_med_fullstandigt_namn", "Kontakt med fullständigt namn"},
    Pair{"namn_i_meddelande", "Namn i meddelande"},
    Pair{"halsouppgift", "Hälsouppgift"},
    Pair{"dokumentbild", "Bild på dokument"},
    Pair{"skarmbild", "Skärmbild"},
    Pair{"bild_pa_brukare", "Bild på brukare"},
    Pair{"streckkod", "Streckkod"},
    Pair{"sarbild", "Bild på sår"},
    Pair{"ovrigt", "Övrigt"},
};

constexpr std::array k_decisions = {
    Pair{"ingen_avvikelse", "Ingen avvikelse"},
    Pair{"avvikelse", "Avvikelse"},
    Pair{"allvarlig_avvikelse", "Allvarlig avvikelse"},
};

constexpr std::array k_actions = {
    Pair{"raderat_fran_telefonen", "Raderat från telefonen"},
    Pair{"samtal_med_medarbetare", "Samtal med medarbetare"},
    Pair{"paminnelse_pa_apt", "Påminnelse på APT"},
    Pair{"annat", "Annat"},
};

constexpr std::array k_roles = {
    Pair{"supervisor", "Enhetschef"},
    Pair{"quality_lead", "Kvalitetsansvarig"},
    Pair{"admin", "Administratör"},
};

constexpr std::array k_item_types = {
    Pair{"message", "Meddelande"}, Pair{"photo", "Bild"},        Pair{"contact", "Kontakt"},
    Pair{"file", "Fil"},           Pair{"attachment", "Bilaga"},
};

constexpr std::array k_statuses = {
    Pair{"running", "Pågår"},
    Pair{"complete", "Klar"},
    Pair{"partial", "Ofullständig"},
    Pair{"failed", "Misslyckades"},
    Pair{"empty", "Inget lästes – inte en kontroll"},
};

constexpr std::array k_detectors = {
    Pair{"text/identity-number", "Textgranskning: personnummer"},
    Pair{"text/full-name", "Textgranskning: fullständigt namn"},
    Pair{"text/health-term", "Textgranskning: hälsouppgift"},
    Pair{"image/barcode", "Bildgranskning: streckkod"},
    Pair{"image/document", "Bildgranskning: dokument"},
    Pair{"image/face", "Bildgranskning: ansikte"},
    Pair{"image/group", "Bildgranskning: flera personer"},
    Pair{"image/person", "Bildgranskning: person"},
    Pair{"image/screenshot", "Bildgranskning: skärmbild"},
    Pair{"image/skin", "Bildgranskning: hud eller sår"},
};

// A code nobody has named yet is still shown readably: "ny_kategori" -> "Ny kategori".
template <std::size_t N>
std::string lookup(const std::array<Pair, N>& table, std::string_view code) {
    for (const auto& [key, label] : table) {
        if (key == code) {
            return std::string(label);
        }
    }
    std::string text(code);
    for (char& c : text) {
        c = c == '_' ? ' ' : c;
    }
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    }
    return text;
}

} // namespace

std::string category_label(std::string_view category) {
    return lookup(k_categories, category);
}

std::string decision_label(std::string_view decision) {
    return lookup(k_decisions, decision);
}

std::string action_label(std::string_view action) {
    return lookup(k_actions, action);
}

std::string role_label(std::string_view role) {
    return lookup(k_roles, role);
}

std::string item_type_label(std::string_view type) {
    return lookup(k_item_types, type);
}

std::string scan_status_label(std::string_view status) {
    return lookup(k_statuses, status);
}

std::string confidence_label(double confidence) {
    // The detectors' scores are calibrated on the corpora (tests/corpus/README.md) only
    // well enough for three steps.
    if (confidence >= 0.9) {
        return "Mycket trolig";
    }
    if (confidence >= 0.7) {
        return "Trolig";
    }
    return "Osäker – bedöm själv";
}

std::string detector_label(std::string_view detector) {
    for (const auto& [key, label] : k_detectors) {
        if (key == detector) {
            return std::string(label);
        }
    }
    if (detector.rfind("text/", 0) == 0) {
        return "Textgranskning";
    }
    if (detector.rfind("image/", 0) == 0) {
        return "Bildgranskning";
    }
    return "Automatisk granskning";
}

std::string display_time(std::string_view iso) {
    const auto seconds = base::parse_iso8601_utc(iso);
    return seconds ? base::swedish_time_text(*seconds) : std::string(iso);
}

std::string percent(double share) {
    return std::to_string(static_cast<int>(std::lround(share * 100.0))) + " %";
}

} // namespace dockscan::agent::web
