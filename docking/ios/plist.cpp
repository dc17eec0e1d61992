#include "docking/ios/plist.hpp"

#include "base/owned.hpp"
#include "docking/ios/bplist_keys.hpp"

#include <cstdlib>
#include <limits>
#include <memory>
#include <plist/plist.h>

namespace dockscan::docking::ios {
namespace {

// Seconds from the Unix epoch to Apple's (2001-01-01 UTC), in which libplist counts dates.
constexpr double k_apple_epoch = 978'307'200.0;

using PlistPtr = base::Owned<void, plist_free>;

class Converter {
public:
    explicit Converter(const PlistLimits& limits) : m_limits(limits) {}

    Expected<PlistValue> convert(plist_t node, std::size_t depth) {
        if (depth > m_limits.max_depth) {
            return fail(ErrorCode::too_large,
                        "property list nested deeper than " + std::to_string(m_limits.max_depth));
        }
        if (++m_nodes > m_limits.max_nodes) {
            return fail(ErrorCode::too_large, "property list has more than " +
                                                  std::to_string(m_limits.max_nodes) + " values");
        }
        PlistValue value;
        switch (plist_get_node_type(node)) {
        case PLIST_BOOLEAN: {
            std::uint8_t b = 0;
            plist_get_bool_val(node, &b);
            value.kind = PlistValue::Kind::boolean;
            value.boolean = b != 0;
            break;
        }
        case PLIST_UINT: {
            std::uint64_t u = 0;
            plist_get_uint_val(node, &u);
            value.kind = PlistValue::Kind::integer;
            value.integer = static_cast<std::int64_t>(u);
            break;
        }
        case PLIST_UID: {
            std::uint64_t u = 0;
            plist_get_uid_val(node, &u);
            value.kind = PlistValue::Kind::uid;
            value.integer = static_cast<std::int64_t>(u);
            break;
        }
        case PLIST_REAL:
            value.kind = PlistValue::Kind::real;
            plist_get_real_val(node, &value.real);
            break;
        case PLIST_DATE: {
            std::int32_t sec = 0;
            std::int32_t usec = 0;
            plist_get_date_val(node, &sec, &usec);
            value.kind = PlistValue::Kind::date;
            value.real = k_apple_epoch + sec + usec / 1e6;
            break;
        }
        case PLIST_STRING:
        case PLIST_KEY: {
            std::uint64_t length = 0;
            const char* s = plist_get_string_ptr(node, &length);
            value.kind = PlistValue::Kind::string;
            value.bytes.assign(s == nullptr ? "" : s, s == nullptr ? 0 : length);
            break;
        }
        case PLIST_DATA: {
            std::uint64_t length = 0;
            const char* d = plist_get_data_ptr(node, &length);
            value.kind = PlistValue::Kind::data;
            value.bytes.assign(d == nullptr ? "" : d, d == nullptr ? 0 : length);
            break;
        }
        case PLIST_ARRAY: {
            value.kind = PlistValue::Kind::array;
            const std::uint32_t n = plist_array_get_size(node);
            for (std::uint32_t i = 0; i < n; ++i) {
                DOCKSCAN_TRY_ASSIGN(PlistValue item,
                                    convert(plist_array_get_item(node, i), depth + 1));
                value.items.push_back(std::move(item));
            }
            break;
        }
        case PLIST_DICT:
            value.kind = PlistValue::Kind::dict;
            DOCKSCAN_TRY(convert_dict(node, depth, value));
            break;
        case PLIST_NONE:
            break;
        }
        return value;
    }

private:
    Expected<void> convert_dict(plist_t node, std::size_t depth, PlistValue& out) {
        plist_dict_iter raw_iter = nullptr;
        plist_dict_new_iter(node, &raw_iter);
        const base::Owned<void, ::free> iter(raw_iter);
        if (!iter) {
            return fail(ErrorCode::malformed, "property list dictionary cannot be read");
        }
        for (;;) {
            char* raw_key = nullptr;
            plist_t child = nullptr;
            plist_dict_next_item(node, iter.get(), &raw_key, &child);
            const base::Owned<char, ::free> key(raw_key);
            if (child == nullptr) {
                return {};
            }
            DOCKSCAN_TRY_ASSIGN(PlistValue item, convert(child, depth + 1));
            out.keys.emplace_back(key ? key.get() : "");
            out.items.push_back(std::move(item));
        }
    }

    const PlistLimits& m_limits;
    std::size_t m_nodes = 0;
};

} // namespace

const PlistValue* PlistValue::find(std::string_view key) const {
    if (kind != Kind::dict) {
        return nullptr;
    }
    for (std::size_t i = 0; i < keys.size() && i < items.size(); ++i) {
        if (keys[i] == key) {
            return &items[i];
        }
    }
    return nullptr;
}

std::optional<std::int64_t> PlistValue::as_integer() const {
    if (kind == Kind::integer) {
        return integer;
    }
    return std::nullopt;
}

std::optional<bool> PlistValue::as_boolean() const {
    if (kind == Kind::boolean) {
        return boolean;
    }
    return std::nullopt;
}

std::optional<std::string> PlistValue::as_string() const {
    if (kind == Kind::string) {
        return bytes;
    }
    return std::nullopt;
}

std::optional<std::string> PlistValue::as_data() const {
    if (kind == Kind::data) {
        return bytes;
    }
    return std::nullopt;
}

Expected<PlistValue> parse_plist(std::string_view bytes, const PlistLimits& limits) {
    if (bytes.size() > limits.max_bytes ||
        bytes.size() > std::numeric_limits<std::uint32_t>::max()) {
        return fail(ErrorCode::too_large, "property list of " + std::to_string(bytes.size()) +
                                              " bytes, over the limit of " +
                                              std::to_string(limits.max_bytes));
    }
    if (bytes.empty()) {
        return fail(ErrorCode::malformed, "empty property list");
    }
    if (!binary_plist_keys_are_c_strings(bytes)) {
        return fail(ErrorCode::malformed,
                    "property list has a dictionary key with a NUL character");
    }
    plist_t raw = nullptr;
    plist_from_memory(bytes.data(), static_cast<std::uint32_t>(bytes.size()), &raw);
    const PlistPtr root(raw);
    if (!root) {
        return fail(ErrorCode::malformed, "not a property list, or a broken one");
    }
    Converter converter(limits);
    return converter.convert(root.get(), 0);
}

const PlistValue* PlistValue::at(std::size_t index) const {
    return kind == Kind::array && index < items.size() ? &items[index] : nullptr;
}

PlistValue PlistValue::make_dict() {
    PlistValue value;
    value.kind = Kind::dict;
    return value;
}

PlistValue PlistValue::make_string(std::string text) {
    PlistValue value;
    value.kind = Kind::string;
    value.bytes = std::move(text);
    return value;
}

PlistValue PlistValue::make_integer(std::int64_t number) {
    PlistValue value;
    value.kind = Kind::integer;
    value.integer = number;
    return value;
}

void PlistValue::set(std::string key, PlistValue value) {
    keys.push_back(std::move(key));
    items.push_back(std::move(value));
}

} // namespace dockscan::docking::ios
