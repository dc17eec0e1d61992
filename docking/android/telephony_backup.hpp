#pragma once

// The SMS and MMS files of Android's telephony backup agent (TelephonyBackupAgent in
// packages/providers/TelephonyProvider): "NNNNNN_sms_backup" and "NNNNNN_mms_backup"
// under apps/com.android.providers.telephony/, each a zlib-compressed JSON array of
// up to 1000 messages. All JSON values the agent writes from the database are strings
// ("date":"1450893518140"); numbers are accepted too.

#include "docking/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking::android {

enum class MessageKind { sms, mms };
enum class MessageDirection { received, sent, unknown };

struct BackupMessage {
    MessageKind kind = MessageKind::sms;
    MessageDirection direction = MessageDirection::unknown;
    // The other party: the sender of a received message, the first recipient of a sent
    // one. Empty when the backup names none.
    std::string address;
    // The text to scan, valid UTF-8. For MMS the subject, a newline, and the text parts.
    std::string body;
    std::int64_t unix_seconds = 0;
    // The "date" value as stored (milliseconds for SMS, seconds for MMS), for stable refs.
    std::string date;
};

struct TelephonyFile {
    std::vector<BackupMessage> messages;
    // Array elements that are no message we can read (not an object, no text field of
    // the right type).
    std::size_t skipped = 0;
};

// Which telephony backup file a tar entry is, if any. Only the exact places the agent
// writes to count ("apps/com.android.providers.telephony/d_f/<name>" or ".../f/<name>");
// names with other folders, "..", or anything else are not ours.
[[nodiscard]] std::optional<MessageKind> telephony_file_kind(std::string_view entry_name);

// Inflates and parses one telephony backup file. A file that does not inflate or parse
// is an error; single messages that do not fit are counted in `skipped`.
[[nodiscard]] Expected<TelephonyFile>
parse_telephony_file(MessageKind kind, std::string_view compressed, std::uint64_t max_json_bytes);

} // namespace dockscan::docking::android
