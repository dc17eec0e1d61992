#pragma once

// How a message from an Android backup is named for the store and for people: a
// stable reference that names no phone number, and a short Swedish label.

#include "docking/android/telephony_backup.hpp"
#include "docking/message_label.hpp"
#include "docking/phone_source.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dockscan::docking::android {

// The listing entry of `message`. The ref is "sms:<date>:<digest>" ("mms:..."): the
// digest covers the address, date and text, so that it is stable from one nightly
// backup to the next but does not let anyone find the number by trying them all.
[[nodiscard]] ItemInfo message_item_info(const BackupMessage& message);

} // namespace dockscan::docking::android
