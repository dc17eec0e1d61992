#pragma once

// Message files in the shape Android's TelephonyBackupAgent writes them: a JSON array
// with every database value as a string, deflated with a zlib header. All numbers are
// from the series PTS keeps free for fiction (070-1740605..699); identity numbers are
// Skatteverket test numbers.

#include <cstdint>
#include <string>
#include <vector>

namespace dockscan::testing {

// Where the agent's files sit in a backup (device-protected storage, "d_f").
inline constexpr const char* k_telephony_dir = "apps/com.android.providers.telephony/d_f/";

struct SmsFixture {
    std::string address;
    std::string body;
    std::int64_t date_ms = 0;
    int type = 1; // 1 inbox, 2 sent
};

struct MmsFixture {
    std::string from;
    std::vector<std::string> to;
    std::string subject;
    std::string body;
    std::int64_t date_s = 0;
    int msg_box = 1; // 1 inbox, 2 sent
};

[[nodiscard]] std::string sms_backup_json(const std::vector<SmsFixture>& messages);
[[nodiscard]] std::string mms_backup_json(const std::vector<MmsFixture>& messages);

// The same, compressed as the agent stores them.
[[nodiscard]] std::string sms_backup_file(const std::vector<SmsFixture>& messages);
[[nodiscard]] std::string mms_backup_file(const std::vector<MmsFixture>& messages);

} // namespace dockscan::testing
