#include "detectors/signal.hpp"

namespace dockscan::detectors {

std::string_view to_string(Kind kind) {
    switch (kind) {
    case Kind::personnummer:
        return "personnummer";
    case Kind::samordningsnummer:
        return "samordningsnummer";
    case Kind::interimsnummer:
        return "interimsnummer";
    case Kind::full_name:
        return "full_name";
    case Kind::health_term:
        return "health_term";
    case Kind::document:
        return "document";
    case Kind::screenshot:
        return "screenshot";
    case Kind::face:
        return "face";
    case Kind::person:
        return "person";
    case Kind::barcode:
        return "barcode";
    case Kind::skin_closeup:
        return "skin_closeup";
    case Kind::group:
        return "group";
    }
    // Only reachable with a value cast from outside the enum; the contract has no name for it.
    return "unknown";
}

} // namespace dockscan::detectors
