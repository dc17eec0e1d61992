#include "docking/android/message_item.hpp"

#include "docking/android/ab_crypto.hpp"

#include <ctime>

namespace dockscan::docking::android {

namespace {

// The date as it goes into a ref: digits as stored, or "0" for anything else, so that
// a hostile value cannot make refs long or strange.
std::string_view ref_date(std::string_view date) {
    constexpr std::size_t k_max_digits = 20;
    if (date.empty() || date.size() > k_max_digits) {
        return "0";
    }
    for (const char c : date) {
        if (c < '0' || c > '9') {
            return "0";
        }
    }
    return date;
}

} // namespace

ItemInfo message_item_info(const BackupMessage& message) {
    const std::string_view kind = message.kind == MessageKind::sms ? "sms" : "mms";
    const std::string_view direction = message.direction == MessageDirection::received ? "r"
                                       : message.direction == MessageDirection::sent   ? "s"
                                                                                       : "u";
    std::string digest_input;
    for (const std::string_view part :
         {kind, direction, std::string_view(message.address), std::string_view(message.date),
          std::string_view(message.body)}) {
        // Length-prefixed, so that moving text between fields changes the digest.
        digest_input += std::to_string(part.size());
        digest_input += ':';
        digest_input += part;
    }

    ItemInfo info;
    info.type = ItemType::message;
    info.ref = std::string(kind) + ":" + std::string(ref_date(message.date)) + ":" +
               short_digest(digest_input);
    info.size = message.body.size();
    info.mtime = message.unix_seconds;

    std::string label = message.kind == MessageKind::sms ? "SMS" : "MMS";
    if (!message.address.empty()) {
        label += message.direction == MessageDirection::received ? " från "
                 : message.direction == MessageDirection::sent   ? " till "
                                                                 : " med ";
        label += shorten_address(message.address);
    }
    label += ' ';
    label += label_time(message.unix_seconds);
    info.label = std::move(label);
    return info;
}

} // namespace dockscan::docking::android
