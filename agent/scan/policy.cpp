#include "agent/scan/policy.hpp"

namespace dockscan::agent {
namespace {

using detectors::Kind;
using docking::ItemType;

bool is_identity_number(Kind kind) {
    return kind == Kind::personnummer || kind == Kind::samordningsnummer ||
           kind == Kind::interimsnummer;
}

// Where an identity number was found decides the category the report counts it under.
std::string identity_category(ItemType item) {
    switch (item) {
    case ItemType::message:
        return "personnummer_i_meddelande";
    case ItemType::contact:
        return "personnummer_i_kontakt";
    case ItemType::file:
        return "personnummer_i_anteckning";
    case ItemType::photo:
    case ItemType::attachment:
        return "personnummer_i_bild";
    }
    return "personnummer_i_meddelande";
}

} // namespace

std::string_view to_string(Severity severity) {
    switch (severity) {
    case Severity::avvikelse:
        return "avvikelse";
    case Severity::allvarlig_avvikelse:
        return "allvarlig_avvikelse";
    }
    return "avvikelse";
}

Proposal propose(ItemType item, const detectors::Signal& signal) {
    // An identity number on a work phone ties whatever else is there to one person:
    // the seed reports count those as serious deviations.
    if (is_identity_number(signal.kind)) {
        return {identity_category(item), Severity::allvarlig_avvikelse};
    }
    switch (signal.kind) {
    case Kind::full_name:
        return {item == ItemType::contact ? "kontakt_med_fullstandigt_namn" : "namn_i_meddelande",
                Severity::avvikelse};
    case Kind::health_term:
        return {"halsouppgift", Severity::allvarlig_avvikelse};
    case Kind::document:
        return {"dokumentbild", Severity::avvikelse};
    case Kind::screenshot:
        return {"skarmbild", Severity::avvikelse};
    case Kind::face:
    case Kind::person:
    case Kind::group:
        return {"bild_pa_brukare", Severity::avvikelse};
    case Kind::barcode:
        return {"streckkod", Severity::avvikelse};
    case Kind::skin_closeup:
        return {"sarbild", Severity::allvarlig_avvikelse};
    default:
        break;
    }
    return {"ovrigt", Severity::avvikelse};
}

std::string_view detector_name(detectors::Kind kind) {
    switch (kind) {
    case Kind::personnummer:
    case Kind::samordningsnummer:
    case Kind::interimsnummer:
        return "text/identity-number";
    case Kind::full_name:
        return "text/full-name";
    case Kind::health_term:
        return "text/health-term";
    case Kind::document:
        return "image/document";
    case Kind::screenshot:
        return "image/screenshot";
    case Kind::face:
        return "image/face";
    case Kind::person:
        return "image/person";
    case Kind::group:
        return "image/group";
    case Kind::barcode:
        return "image/barcode";
    case Kind::skin_closeup:
        return "image/skin";
    }
    return "unknown";
}

} // namespace dockscan::agent
