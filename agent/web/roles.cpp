#include "agent/web/roles.hpp"

namespace dockscan::agent::web {

bool may(users::Role role, Capability capability) {
    switch (role) {
    case users::Role::supervisor:
        return true;
    case users::Role::quality_lead:
        return capability == Capability::follow_findings;
    case users::Role::admin:
        return false;
    }
    return false;
}

std::string_view home_path(users::Role role) {
    return may(role, Capability::follow_findings) ? "/granska" : "/start";
}

std::string_view to_string(Capability capability) {
    switch (capability) {
    case Capability::follow_findings:
        return "follow findings";
    case Capability::see_evidence:
        return "see evidence";
    case Capability::decide:
        return "decide";
    }
    return "unknown";
}

} // namespace dockscan::agent::web
