#include "agent/report/swedish.hpp"

#include <cmath>
#include <cstdio>

namespace dockscan::agent::reports {

namespace {

// A no-break space between a number and its unit, so "23 %" never breaks apart.
constexpr std::string_view k_nbsp = "\u00a0";

std::string n(std::int64_t value) {
    return std::to_string(value);
}

// "1 kontroll", "3 kontroller".
std::string count_of(std::int64_t value, std::string_view one, std::string_view many) {
    return n(value) + " " + std::string(value == 1 ? one : many);
}

std::string with_decimal_comma(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", value);
    std::string text = buf;
    for (char& c : text) {
        c = c == '.' ? ',' : c;
    }
    return text;
}

} // namespace

std::string swedish_sort_key(std::string_view text) {
    std::string key;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0xc3 && i + 1 < text.size()) {
            // Å/å, Ä/ä, Ö/ö come after z, in that order; é sorts as e and ü as y.
            const auto next = static_cast<unsigned char>(text[i + 1]);
            const char mapped = (next == 0x85 || next == 0xa5)   ? '{'
                                : (next == 0x84 || next == 0xa4) ? '|'
                                : (next == 0x96 || next == 0xb6) ? '}'
                                : (next == 0x89 || next == 0xa9) ? 'e'
                                : (next == 0x9c || next == 0xbc) ? 'y'
                                                                 : '\0';
            if (mapped != '\0') {
                key += mapped;
                ++i;
                continue;
            }
        }
        key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    }
    return key;
}

std::string share_text(const Figures& figures) {
    const auto share = share_percent(figures);
    if (!share) {
        return "–";
    }
    const long rounded = std::lround(*share);
    if (under_rule(figures) && rounded >= 20) {
        return with_decimal_comma(std::floor(*share * 10) / 10) + std::string(k_nbsp) + "%";
    }
    return std::to_string(rounded) + std::string(k_nbsp) + "%";
}

std::string share_decimal(const Figures& figures) {
    const auto share = share_percent(figures);
    return share ? with_decimal_comma(*share) : std::string();
}

std::vector<std::string> summary_sentences(const Report& report) {
    const Figures& total = report.total;
    std::vector<std::string> sentences;
    if (total.phones == 0) {
        sentences.push_back("Inga telefoner är registrerade på de enheter som rapporten omfattar.");
    } else {
        sentences.push_back("Kontroll av bild och meddelande har gjorts i " + n(total.checked) +
                            " av " + count_of(total.phones, "telefon", "telefoner") + " (" +
                            share_text(total) + ").");
    }
    if (total.partial_only > 0) {
        sentences.push_back(count_of(total.partial_only, "telefon", "telefoner") +
                            " skannades bara delvis.");
    }
    if (total.deviations == 0) {
        sentences.push_back("Ingen kontroll innehåller avvikelse.");
    } else {
        const std::string serious = total.serious == 0 ? "ingen allvarlig avvikelse"
                                    : total.serious == 1
                                        ? "1 allvarlig avvikelse"
                                        : n(total.serious) + " allvarliga avvikelser";
        sentences.push_back(count_of(total.deviations, "kontroll", "kontroller") +
                            " innehåller avvikelse, varav " + serious + ".");
    }
    // Units under the rule by name; past a handful, a count that points to the table.
    constexpr std::size_t k_named = 6;
    std::vector<const UnitReport*> under;
    std::int64_t units_with_phones = 0;
    for (const UnitReport* unit : report.units()) {
        units_with_phones += unit->registered && unit->current.phones > 0 ? 1 : 0;
        if (unit->under()) {
            under.push_back(unit);
        }
    }
    if (under.size() > k_named) {
        sentences.push_back("Under 20 procent: " + n(static_cast<std::int64_t>(under.size())) +
                            " av " + n(units_with_phones) + " enheter (se Resultat per enhet).");
    } else if (!under.empty()) {
        std::string names;
        for (const UnitReport* unit : under) {
            names += (names.empty() ? "" : ", ") + unit->name + " (" + n(unit->current.checked) +
                     " av " + n(unit->current.phones) + ")";
        }
        sentences.push_back("Under 20 procent: " + names + ".");
    } else if (units_with_phones > 0) {
        sentences.push_back("Alla enheter har kontrollerat minst 20 procent av sina telefoner.");
    }
    if (total.open_findings > 0) {
        sentences.push_back(total.open_findings == 1
                                ? std::string("1 fynd är ännu inte bedömt.")
                                : n(total.open_findings) + " fynd är ännu inte bedömda.");
    }
    return sentences;
}

std::string trend_sentence(const Report& report) {
    const Figures& before = report.total_previous;
    const Figures& now = report.total;
    return "Föregående kvartal (" + short_name(previous(report.quarter)) +
           "): " + n(before.checked) + " kontrollerade telefoner, " +
           count_of(before.deviations, "kontroll", "kontroller") + " med avvikelse, varav " +
           n(before.serious) +
           " allvarlig. Förändring: " + (now.checked >= before.checked ? "+" : "") +
           n(now.checked - before.checked) + " kontrollerade, " +
           (now.deviations >= before.deviations ? "+" : "") +
           n(now.deviations - before.deviations) + " med avvikelse.";
}

std::string scope_text(const Report& report) {
    if (report.unit_filter.empty()) {
        return "Alla enheter";
    }
    std::string names;
    for (const std::string& name : report.unit_filter) {
        names += (names.empty() ? "" : ", ") + name;
    }
    return names;
}

std::string unit_table_note() {
    return "Andel: kontrollerade telefoner av enhetens telefoner. Under 20 %: ”Ja” när färre "
           "än 20 procent av enhetens telefoner kontrollerades under kvartalet. Föreg. kvartal: "
           "kontrollerade / med avvikelse / varav allvarlig under föregående kvartal.";
}

std::vector<std::string> method_notes() {
    return {
        "Kvartalen följer svensk tid: en skanning räknas till det kvartal då den startade.",
        "En telefon är kontrollerad när den har minst en fullständig eller delvis genomförd "
        "skanning under kvartalet. En delvis skanning (telefonen kopplades ur eller skanningen "
        "avbröts) räknas; rapporten anger hur många telefoner som bara skannades delvis. "
        "Misslyckade skanningar räknas inte. Varje telefon räknas en gång per kvartal.",
        "En kontroll (en telefon under ett kvartal) får det allvarligaste resultatet bland "
        "sina skanningar. En skannings resultat är den senast registrerade ”kontroll "
        "genomförd” när en sådan finns, annars den allvarligaste senaste bedömningen bland "
        "skanningens fynd. Fynd som ingen har bedömt än (öppna fynd) ger inget resultat.",
        "Kontroller med avvikelse omfattar både avvikelse och allvarlig avvikelse. "
        "Bedömningar räknas oavsett när de gjordes.",
        "Åtgärder räknas per kontroll: antalet kontroller där åtgärden angetts i minst en "
        "bedömning.",
        "Planerade uppföljningar är bedömningar med ett uppföljningsdatum från och med "
        "kvartalets första dag.",
        "Telefonerna räknas till den enhet de är registrerade på i dag, även för tidigare "
        "kvartal. 20-procentsregeln gäller per enhet; telefoner utan registrerad enhet ingår "
        "i totalen men inte i regeln.",
        "Rapporten innehåller inga personuppgifter: inga personnummer, inga utdrag ur "
        "meddelanden och inga bilder, bara antal och telefonernas beteckningar.",
    };
}

std::string report_title(const Report& report) {
    return "Sekretesskontroll " + long_name(report.quarter);
}

} // namespace dockscan::agent::reports
