#pragma once

// Messages in iOS's sms.db (HomeDomain Library/SMS/sms.db; SMS, MMS, iMessage, RCS):
// `message` joined to `handle` (the other party), to its `chat` through
// `chat_message_join` (group chats and the party of messages without a handle), and
// to `attachment` through `message_attachment_join`. Only `message` must be there:
// without `handle` or the chat tables (`chat`, `chat_message_join`,
// `chat_handle_join`) the messages are read without the party those tables name.
//
// Text: `message.text`, or, when that is NULL or empty (usual since iOS 16), the
// string archived in `message.attributedBody` (typedstream.hpp), so that no message
// is missed. Text is made valid UTF-8, and the U+FFFC that marks where an attachment
// sits in the text is taken out.

#include "base/sqlite.hpp"
#include "docking/error.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dockscan::docking::ios {

struct SmsMessage {
    std::int64_t rowid = 0;
    std::string guid;
    std::string text;                // empty when the message has none
    std::optional<Error> text_error; // the text could not be read
    bool from_me = false;
    std::string service; // "SMS", "iMessage", "RCS", ...
    // The other party: the handle, or in a group chat its first member; full number,
    // for labels only after shorten_address.
    std::string address;
    bool group = false;
    std::int64_t unix_time = 0;
};

struct SmsAttachment {
    std::int64_t rowid = 0;
    std::size_t index = 0; // 1, 2, ... among the attachments of its message
    std::string filename;  // as on the phone: "~/Library/SMS/Attachments/ab/12/…/IMG_1.jpeg"
    std::string mime_type;
    std::string transfer_name;
    std::int64_t total_bytes = 0;
};

class SmsDatabase {
public:
    // `max_text_bytes` limits one message's text (too_large beyond).
    SmsDatabase(base::sqlite::Database& db, std::uint64_t max_text_bytes)
        : m_db(db), m_max_text_bytes(max_text_bytes) {}

    // Every message, by ROWID. An error of `visit` ends the walk with that error.
    [[nodiscard]] Expected<void>
    each_message(const std::function<Expected<void>(const SmsMessage&)>& visit);

    // Every attachment, by message ROWID; empty when the tables are missing.
    // At most `max_count`; too_large beyond.
    [[nodiscard]] Expected<std::map<std::int64_t, std::vector<SmsAttachment>>>
    attachments(std::size_t max_count);

    // The text of the message with `rowid`; not_found when there is none.
    [[nodiscard]] Expected<std::string> text_of(std::int64_t rowid);

private:
    // Checks the tables and returns the columns that hold the text.
    [[nodiscard]] Expected<std::string> select_columns();
    // The query of every message, joined to the optional tables that are there.
    [[nodiscard]] std::string message_query(const std::string& text_columns) const;

    base::sqlite::Database& m_db;
    std::uint64_t m_max_text_bytes;
    std::optional<std::string> m_text_columns; // once the schema was checked
    bool m_has_handle = true;                  // the optional tables, once checked
    bool m_has_chat = true;
};

} // namespace dockscan::docking::ios
