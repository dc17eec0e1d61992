#include "docking/phone_source.hpp"

namespace dockscan::docking {

std::string_view to_string(ItemType type) {
    // These names are part of the `dockscan findings --json` contract: never rename.
    switch (type) {
    case ItemType::message:
        return "message";
    case ItemType::photo:
        return "photo";
    case ItemType::attachment:
        return "attachment";
    case ItemType::contact:
        return "contact";
    case ItemType::file:
        return "file";
    }
    return "unknown";
}

} // namespace dockscan::docking
