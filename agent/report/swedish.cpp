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
        sentences.push_back("Skannade telefoner: " + n(total.checked) + " av " +
                            count_of(total.phones, "telefon", "telefoner") +
                            ". Genomförd kontroll (varje fynd " +
                            "bedömt, eller inga fynd, inom kvartalet): " + n(total.completed) +
                            " av " + n(total.phones) + " (" + share_text(total) + ").");
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
            // Over several quarters the rule is judged per quarter: name them.
            std::string when;
            for (const std::string& part : unit->under_parts) {
                when += (when.empty() ? "" : ", ") + part;
            }
            names += (names.empty() ? "" : ", ") + unit->name + " (" +
                     (report.period.kind == PeriodKind::quarter
                          ? n(unit->current.completed) + " av " + n(unit->current.phones)
                          : when) +
                     ")";
        }
        sentences.push_back("Under 20 procent: " + names + ".");
    } else if (units_with_phones > 0) {
        sentences.push_back("Alla enheter har genomfört kontroll av minst 20 procent av sina "
                            "telefoner.");
    }
    if (total.remaining > 0) {
        sentences.push_back(total.remaining == 1
                                ? std::string("1 fynd från ett tidigare kvartal fanns kvar på "
                                              "telefonen (kvarstående).")
                                : n(total.remaining) + " fynd från tidigare kvartal fanns kvar på "
                                                       "telefonerna (kvarstående).");
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
    return "Föregående period (" + long_name(previous(report.period)) + "): " + n(before.checked) +
           " skannade telefoner, " + n(before.completed) + " med genomförd kontroll, " +
           count_of(before.deviations, "kontroll", "kontroller") + " med avvikelse, varav " +
           n(before.serious) +
           " allvarlig. Förändring: " + (now.completed >= before.completed ? "+" : "") +
           n(now.completed - before.completed) + " genomförda kontroller, " +
           (now.deviations >= before.deviations ? "+" : "") +
           n(now.deviations - before.deviations) + " med avvikelse.";
}

std::string selection_text(const Report& report) {
    std::string rules;
    for (const Selection& selection : report.selections) {
        std::string rule =
            selection.rule == "every_docking" ? "varje dockning kontrolleras"
            : selection.rule == "quota"
                ? "slumpvis urval med kvot, minst " +
                      std::to_string(std::lround(selection.share.value_or(0) * 100)) +
                      std::string(k_nbsp) + "% av varje enhets telefoner per kvartal"
                : "urvalet registrerades inte (dockningar före version 8)";
        if (!rules.empty()) {
            rules += "; ";
        }
        rules += rule + " (" + count_of(selection.dockings, "dockning", "dockningar") + ")";
    }
    std::string text = rules.empty() ? "Urval: inga dockningar i stationen under perioden."
                                     : "Urval: " + rules + ".";
    if (report.hand_scans > 0) {
        // Appended piece by piece: at -O3 GCC 12 reports a false -Wrestrict in
        // `" " + count_of(…)` (see in_quotes in agent/store/users.cpp).
        text += ' ';
        text += count_of(report.hand_scans, "skanning", "skanningar");
        text += " gjordes för hand (dockscan scan), utan stationens urval.";
    }
    return text;
}

std::string trend_description(const Report& report) {
    std::string text = "Diagram: genomförda kontroller, kontroller med avvikelse och varav "
                       "allvarlig avvikelse per kvartal. ";
    for (const TrendPoint& point : report.trend) {
        text += point.label + ": " + n(point.completed) + ", " + n(point.deviations) + ", " +
                n(point.serious) + (&point == &report.trend.back() ? "." : "; ");
    }
    return text;
}

std::string deviation_description(const Report& report) {
    std::string text = "Diagram: kontroller med avvikelse per enhet, varav allvarlig. ";
    std::string units;
    for (const UnitReport* unit : report.units()) {
        if (unit->current.deviations > 0) {
            units += (units.empty() ? "" : "; ") + unit->name + ": " + n(unit->current.deviations) +
                     ", varav " + n(unit->current.serious) + " allvarlig";
        }
    }
    return text + units + ".";
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
    return "Skannade: telefoner med minst en skanning under perioden. Genomförda: telefoner "
           "vars kontroll blev klar inom kvartalet (varje fynd bedömt, eller inga fynd). Andel: "
           "genomförda kontroller av enhetens telefoner. Under 20 %: ”Ja” när färre än 20 "
           "procent av enhetens telefoner fick en genomförd kontroll under kvartalet; för delår "
           "och helår de kvartal då det gällde. Föreg. period: genomförda / med avvikelse / "
           "varav allvarlig.";
}

std::vector<std::string> method_notes() {
    return {
        "Kvartalen följer svensk tid: en skanning räknas till det kvartal då den startade. "
        "Delåret är januari–augusti (som kommunens delårsrapport per 31 augusti); delår och "
        "helår räknas kvartal för kvartal.",
        "Två tal redovisas. En telefon är skannad när den har minst en fullständig eller "
        "delvis genomförd skanning under kvartalet; delvisa skanningar räknas, misslyckade "
        "inte. Kontrollen är genomförd när varje fynd i kvartalets skanningar har bedömts före "
        "kvartalets slut, eller när inga fynd hittades, eller när chefen registrerat "
        "”kontroll genomförd”. Ett fynd som bedöms först under nästa kvartal gör att "
        "kontrollen inte räknas som genomförd i tid. Varje telefon räknas en gång per kvartal.",
        "20-procentsregeln bedöms på genomförda kontroller, per enhet och kvartal. För delår "
        "och helår är en enhet under regeln om den var under i något av periodens kvartal.",
        "En kontroll får det allvarligaste resultatet bland sina skanningar. En skannings "
        "resultat är den senast registrerade ”kontroll genomförd” när en sådan finns, annars "
        "den allvarligaste senaste bedömningen bland skanningens fynd. Öppna fynd ger inget "
        "resultat. Över flera kvartal summeras kontroller med avvikelse och fynd.",
        "Åtgärder räknas per kontroll: antalet kontroller där åtgärden angetts i minst en "
        "bedömning.",
        "Planerade uppföljningar är bedömningar med ett uppföljningsdatum från och med "
        "periodens första dag.",
        "En telefon räknas till den enhet den tillhörde under kvartalet: enheten den dag den "
        "först skannades, annars enheten kvartalets sista dag. En telefon som flyttat räknas "
        "till den gamla enheten före flytten och till den nya efter. 20-procentsregeln gäller "
        "per enhet; telefoner utan registrerad enhet ingår i totalen men inte i regeln.",
        "Rapporten innehåller inga personuppgifter: inga personnummer, inga utdrag ur "
        "meddelanden och inga bilder, bara antal och telefonernas beteckningar.",
    };
}

std::string report_title(const Report& report) {
    return "Sekretesskontroll " + long_name(report.period);
}

} // namespace dockscan::agent::reports
