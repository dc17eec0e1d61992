#include "docking/android/telephony_backup.hpp"

#include "base/text.hpp"
#include "docking/android/inflate.hpp"

#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>

namespace dockscan::docking::android {
namespace {

using nlohmann::json;

constexpr std::string_view k_package_dir = "apps/com.android.providers.telephony/";
constexpr std::string_view k_sms_suffix = "_sms_backup";
constexpr std::string_view k_mms_suffix = "_mms_backup";
// The agent's JSON nests four deep (array, message, mms_addresses, address); anything
// much deeper is hostile, and nlohmann's values are freed recursively.
constexpr std::size_t k_max_json_depth = 16;

// MMS address types from the PDU headers (PduHeaders.FROM, TO, CC, BCC).
constexpr std::int64_t k_addr_from = 137;
constexpr std::int64_t k_addr_to = 151;
constexpr std::int64_t k_addr_cc = 130;
constexpr std::int64_t k_addr_bcc = 129;

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Deepest nesting of arrays and objects, outside strings.
std::size_t json_depth(std::string_view text) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

std::optional<std::string> get_string(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end()) {
        return std::nullopt;
    }
    if (it->is_string()) {
        return it->get_ref<const std::string&>();
    }
    if (it->is_number_integer()) {
        return it->dump();
    }
    return std::nullopt;
}

std::optional<std::int64_t> get_int(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end()) {
        return std::nullopt;
    }
    if (it->is_number_integer() && !it->is_number_unsigned()) {
        return it->get<std::int64_t>();
    }
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return static_cast<std::int64_t>(value);
        }
        return std::nullopt;
    }
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (ec == std::errc{} && ptr == s.data() + s.size()) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string> first_recipient(const json& message) {
    const auto it = message.find("recipients");
    if (it != message.end() && it->is_array() && !it->empty() && it->front().is_string()) {
        return it->front().get<std::string>();
    }
    return std::nullopt;
}

std::optional<BackupMessage> read_sms(const json& m) {
    auto body = get_string(m, "body");
    if (!body) {
        return std::nullopt;
    }
    BackupMessage msg;
    msg.kind = MessageKind::sms;
    msg.body = std::move(*body);
    msg.address = get_string(m, "address").value_or(first_recipient(m).value_or(""));
    // Telephony.Sms.TYPE: 1 inbox; 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued.
    const auto type = get_int(m, "type").value_or(0);
    msg.direction = type == 1                ? MessageDirection::received
                    : type >= 2 && type <= 6 ? MessageDirection::sent
                                             : MessageDirection::unknown;
    msg.date = get_string(m, "date").value_or("");
    msg.unix_seconds = get_int(m, "date").value_or(0) / 1000;
    return msg;
}

std::string mms_address(const json& m, MessageDirection direction) {
    const auto it = m.find("mms_addresses");
    if (it != m.end() && it->is_array()) {
        const auto find_type = [&](std::int64_t wanted) -> std::optional<std::string> {
            for (const auto& a : *it) {
                if (a.is_object() && get_int(a, "type") == wanted) {
                    if (auto address = get_string(a, "address")) {
                        return address;
                    }
                }
            }
            return std::nullopt;
        };
        if (direction == MessageDirection::received) {
            if (auto from = find_type(k_addr_from)) {
                return *from;
            }
        }
        for (const auto type : {k_addr_to, k_addr_cc, k_addr_bcc, k_addr_from}) {
            if (auto address = find_type(type)) {
                return *address;
            }
        }
    }
    return first_recipient(m).value_or("");
}

std::optional<BackupMessage> read_mms(const json& m) {
    auto body = get_string(m, "mms_body");
    if (!body) {
        return std::nullopt;
    }
    BackupMessage msg;
    msg.kind = MessageKind::mms;
    // The subject is text a person wrote too.
    const auto subject = get_string(m, "sub");
    msg.body = subject && !subject->empty() ? *subject + "\n" + *body : std::move(*body);
    // Telephony.Mms.MESSAGE_BOX: 1 inbox; 2 sent, 3 drafts, 4 outbox.
    const auto box = get_int(m, "msg_box").value_or(0);
    msg.direction = box == 1               ? MessageDirection::received
                    : box >= 2 && box <= 4 ? MessageDirection::sent
                                           : MessageDirection::unknown;
    msg.address = mms_address(m, msg.direction);
    msg.date = get_string(m, "date").value_or("");
    msg.unix_seconds = get_int(m, "date").value_or(0);
    return msg;
}

Expected<TelephonyFile> parse_json(MessageKind kind, std::string_view text) {
    if (json_depth(text) > k_max_json_depth) {
        return fail(ErrorCode::malformed, "message file nests JSON deeper than " +
                                              std::to_string(k_max_json_depth) + " levels");
    }
    // Invalid UTF-8 would fail the whole file in the JSON parser; replacing it keeps
    // every other message (JSON's structure is ASCII, so it cannot change).
    const json doc = json::parse(base::to_valid_utf8(text), nullptr, false);
    if (doc.is_discarded()) {
        return fail(ErrorCode::malformed, "message file is not valid JSON");
    }
    if (!doc.is_array()) {
        return fail(ErrorCode::malformed, "message file is not a JSON array");
    }
    TelephonyFile file;
    for (const auto& element : doc) {
        std::optional<BackupMessage> msg;
        if (element.is_object()) {
            msg = kind == MessageKind::sms ? read_sms(element) : read_mms(element);
        }
        if (!msg) {
            ++file.skipped;
            continue;
        }
        msg->body = base::to_valid_utf8(msg->body);
        msg->address = base::to_valid_utf8(msg->address);
        file.messages.push_back(std::move(*msg));
    }
    return file;
}

} // namespace

std::optional<MessageKind> telephony_file_kind(std::string_view entry_name) {
    if (entry_name.substr(0, k_package_dir.size()) != k_package_dir) {
        return std::nullopt;
    }
    std::string_view rest = entry_name.substr(k_package_dir.size());
    if (rest.starts_with("d_f/")) {
        rest.remove_prefix(4);
    } else if (rest.starts_with("f/")) {
        rest.remove_prefix(2);
    } else {
        return std::nullopt;
    }
    if (rest.find('/') != std::string_view::npos || rest.find('\\') != std::string_view::npos) {
        return std::nullopt;
    }
    if (ends_with(rest, k_sms_suffix) && rest.size() > k_sms_suffix.size()) {
        return MessageKind::sms;
    }
    if (ends_with(rest, k_mms_suffix) && rest.size() > k_mms_suffix.size()) {
        return MessageKind::mms;
    }
    return std::nullopt;
}

Expected<TelephonyFile> parse_telephony_file(MessageKind kind, std::string_view compressed,
                                             std::uint64_t max_json_bytes) {
    DOCKSCAN_TRY_ASSIGN(const std::string text, inflate_all(compressed, max_json_bytes));
    try {
        return parse_json(kind, text);
    } catch (const std::exception& e) {
        // nlohmann throws only on misuse or memory exhaustion; neither may end the scan.
        return fail(ErrorCode::malformed,
                    std::string("message file could not be read: ") + e.what());
    }
}

} // namespace dockscan::docking::android
