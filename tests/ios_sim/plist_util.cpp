#include "tests/ios_sim/plist_util.hpp"

#include <cstdlib>
#include <ctime>
#include <plist/plist.h>

namespace dockscan::testing::ios_sim {
namespace {

// libplist hands out malloc'd buffers.
std::string take(char* buffer, std::uint32_t length) {
    std::string out;
    if (buffer != nullptr) {
        out.assign(buffer, length);
        std::free(buffer);
    }
    return out;
}

plist_t raw(const void* node) {
    return const_cast<plist_t>(node);
}

} // namespace

void PlistFree::operator()(void* node) const {
    plist_free(node);
}

Plist parse_plist(std::string_view bytes) {
    if (bytes.empty() || bytes.size() > UINT32_MAX) {
        return nullptr;
    }
    plist_t node = nullptr;
    const auto length = static_cast<std::uint32_t>(bytes.size());
    if (plist_is_binary(bytes.data(), length) != 0) {
        plist_from_bin(bytes.data(), length, &node);
    } else {
        plist_from_xml(bytes.data(), length, &node);
    }
    return Plist(node);
}

std::string to_xml(const Plist& node) {
    char* buffer = nullptr;
    std::uint32_t length = 0;
    plist_to_xml(node.get(), &buffer, &length);
    return take(buffer, length);
}

std::string to_binary(const Plist& node) {
    char* buffer = nullptr;
    std::uint32_t length = 0;
    plist_to_bin(node.get(), &buffer, &length);
    return take(buffer, length);
}

Plist new_dict() {
    return Plist(plist_new_dict());
}
Plist new_array() {
    return Plist(plist_new_array());
}
Plist new_string(const std::string& value) {
    return Plist(plist_new_string(value.c_str()));
}
Plist new_data(std::string_view value) {
    return Plist(plist_new_data(value.data(), value.size()));
}
Plist new_uint(std::uint64_t value) {
    return Plist(plist_new_uint(value));
}
Plist new_bool(bool value) {
    return Plist(plist_new_bool(value ? 1 : 0));
}
Plist new_real(double value) {
    return Plist(plist_new_real(value));
}
Plist new_date_now() {
    // plist dates count from 2001-01-01 (978307200 in Unix time).
    const std::time_t now = std::time(nullptr);
    return Plist(plist_new_date(static_cast<std::int32_t>(now - 978307200), 0));
}
Plist copy(const void* node) {
    return node == nullptr ? nullptr : Plist(plist_copy(raw(node)));
}

void dict_set(const Plist& dict, const char* key, Plist value) {
    plist_dict_set_item(dict.get(), key, value.release());
}

void* dict_get(const void* dict, const char* key) {
    if (!is_dict(dict)) {
        return nullptr;
    }
    return plist_dict_get_item(raw(dict), key);
}

bool is_dict(const void* node) {
    return node != nullptr && plist_get_node_type(raw(node)) == PLIST_DICT;
}

std::optional<std::string> string_value(const void* node) {
    if (node == nullptr || plist_get_node_type(raw(node)) != PLIST_STRING) {
        return std::nullopt;
    }
    char* value = nullptr;
    plist_get_string_val(raw(node), &value);
    if (value == nullptr) {
        return std::nullopt;
    }
    std::string out(value);
    std::free(value);
    return out;
}

std::optional<std::string> dict_string(const void* dict, const char* key) {
    return string_value(dict_get(dict, key));
}

std::optional<std::string> dict_data(const void* dict, const char* key) {
    plist_t node = dict_get(dict, key);
    if (node == nullptr || plist_get_node_type(node) != PLIST_DATA) {
        return std::nullopt;
    }
    char* value = nullptr;
    std::uint64_t length = 0;
    plist_get_data_val(node, &value, &length);
    return take(value, static_cast<std::uint32_t>(length));
}

std::optional<std::uint64_t> uint_value(const void* node) {
    if (node == nullptr || plist_get_node_type(raw(node)) != PLIST_UINT) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    plist_get_uint_val(raw(node), &value);
    return value;
}

std::optional<std::uint64_t> dict_uint(const void* dict, const char* key) {
    return uint_value(dict_get(dict, key));
}

std::optional<bool> dict_bool(const void* dict, const char* key) {
    plist_t node = dict_get(dict, key);
    if (node == nullptr || plist_get_node_type(node) != PLIST_BOOLEAN) {
        return std::nullopt;
    }
    std::uint8_t value = 0;
    plist_get_bool_val(node, &value);
    return value != 0;
}

void array_append(const Plist& array, Plist value) {
    plist_array_append_item(array.get(), value.release());
}

std::uint32_t array_size(const void* array) {
    if (array == nullptr || plist_get_node_type(raw(array)) != PLIST_ARRAY) {
        return 0;
    }
    return plist_array_get_size(raw(array));
}

void* array_get(const void* array, std::uint32_t index) {
    if (index >= array_size(array)) {
        return nullptr;
    }
    return plist_array_get_item(raw(array), index);
}

std::string describe(const void* node) {
    if (node == nullptr) {
        return "(null)";
    }
    char* buffer = nullptr;
    std::uint32_t length = 0;
    plist_to_xml(raw(node), &buffer, &length);
    std::string xml = take(buffer, length);
    // Keep the trace short: data blobs (certificates, keys) are cut.
    if (xml.size() > 4000) {
        xml.resize(4000);
        xml += "...";
    }
    return xml;
}

} // namespace dockscan::testing::ios_sim
