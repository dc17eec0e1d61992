#include "docking/ios/sms_db.hpp"

#include "base/text.hpp"
#include "docking/ios/apple_time.hpp"
#include "docking/ios/backup_files.hpp"
#include "docking/ios/typedstream.hpp"

namespace dockscan::docking::ios {
namespace {

namespace sqlite = base::sqlite;

// chat.style of a group chat (45 is a chat with one person).
constexpr std::int64_t k_group_style = 43;
constexpr std::string_view k_object_replacement = "\xEF\xBF\xBC"; // U+FFFC

// The columns both queries read, in this order: text, attributedBody.
constexpr int k_text = 0;
constexpr int k_body = 1;

Error sms_error(const sqlite::Error& error) {
    return database_error("sms.db", error);
}

std::string without_placeholders(std::string text) {
    for (auto at = text.find(k_object_replacement); at != std::string::npos;
         at = text.find(k_object_replacement, at)) {
        text.erase(at, k_object_replacement.size());
    }
    return text;
}

// The message's text from `text` or else `attributedBody`, at columns `first`, `first + 1`.
Expected<std::string> decode_text(const sqlite::Statement& row, int first,
                                  std::uint64_t max_bytes) {
    std::string raw;
    if (!row.is_null(first + k_text)) {
        raw = row.column_text(first + k_text);
    }
    if (raw.empty() && !row.is_null(first + k_body)) {
        // extract_text has its own limits against hostile blobs.
        auto decoded = extract_text(row.column_blob(first + k_body));
        if (!decoded) {
            return fail(decoded.error().code, "attributedBody: " + decoded.error().message);
        }
        raw = std::move(*decoded);
    }
    if (raw.size() > max_bytes) {
        return fail(ErrorCode::too_large, "message text of " + std::to_string(raw.size()) +
                                              " bytes, over the limit of " +
                                              std::to_string(max_bytes));
    }
    return without_placeholders(base::to_valid_utf8(raw));
}

Expected<bool> has_table(sqlite::Database& db, std::string_view table) {
    auto has = db.has_table(table);
    if (!has) {
        return tl::unexpected(sms_error(has.error()));
    }
    return *has;
}

} // namespace

Expected<std::string> SmsDatabase::select_columns() {
    if (m_text_columns) {
        return *m_text_columns;
    }
    // Only `message` is needed. Real databases turn up without `chat` or `handle`
    // (exports and forensic extracts that kept the messages only): their messages are
    // read all the same, without the party those tables name.
    DOCKSCAN_TRY_ASSIGN(const bool has_message, has_table(m_db, "message"));
    if (!has_message) {
        return fail(ErrorCode::malformed, "sms.db has no table message");
    }
    DOCKSCAN_TRY_ASSIGN(m_has_handle, has_table(m_db, "handle"));
    m_has_chat = true;
    for (const std::string_view table : {"chat", "chat_message_join", "chat_handle_join"}) {
        DOCKSCAN_TRY_ASSIGN(const bool present, has_table(m_db, table));
        m_has_chat = m_has_chat && present;
    }
    m_has_chat = m_has_chat && m_has_handle;
    auto has_body = m_db.has_column("message", "attributedBody");
    if (!has_body) {
        return tl::unexpected(sms_error(has_body.error()));
    }
    m_text_columns = *has_body ? "m.text, m.attributedBody" : "m.text, NULL";
    return *m_text_columns;
}

std::string SmsDatabase::message_query(const std::string& text_columns) const {
    std::string sql =
        "SELECT " + text_columns + ", m.ROWID, m.guid, m.date, m.is_from_me, m.service, ";
    sql += m_has_handle ? "h.id, " : "NULL, ";
    if (m_has_chat) {
        // A message can sit in several chats (rarely); the first one names its party.
        sql += "c.style,"
               " (SELECT h2.id FROM chat_handle_join j2 JOIN handle h2 ON h2.ROWID = j2.handle_id"
               "   WHERE j2.chat_id = c.ROWID ORDER BY h2.ROWID LIMIT 1),"
               " (SELECT COUNT(*) FROM chat_handle_join j3 WHERE j3.chat_id = c.ROWID),"
               " c.chat_identifier";
    } else {
        sql += "NULL, NULL, 0, NULL";
    }
    sql += " FROM message m";
    if (m_has_handle) {
        sql += " LEFT JOIN handle h ON h.ROWID = m.handle_id";
    }
    if (m_has_chat) {
        sql += " LEFT JOIN chat c ON c.ROWID = (SELECT j.chat_id FROM chat_message_join j"
               "   WHERE j.message_id = m.ROWID ORDER BY j.chat_id LIMIT 1)";
    }
    return sql + " ORDER BY m.ROWID";
}

Expected<void>
SmsDatabase::each_message(const std::function<Expected<void>(const SmsMessage&)>& visit) {
    DOCKSCAN_TRY_ASSIGN(const std::string text_columns, select_columns());
    auto statement = m_db.prepare(message_query(text_columns));
    if (!statement) {
        return tl::unexpected(sms_error(statement.error()));
    }
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return tl::unexpected(sms_error(row.error()));
        }
        if (!*row) {
            return {};
        }
        const sqlite::Statement& r = *statement;
        SmsMessage message;
        auto text = decode_text(r, 0, m_max_text_bytes);
        if (text) {
            message.text = std::move(*text);
        } else {
            message.text_error = text.error();
        }
        message.rowid = r.column_int(2);
        message.guid = r.column_text(3);
        message.unix_time = message_date_to_unix(r.column_int(4));
        message.from_me = r.column_int(5) != 0;
        message.service = base::to_valid_utf8(r.column_text(6));
        const std::string handle = r.column_text(7);
        const std::string first_member = r.column_text(9);
        message.group = r.column_int(8) == k_group_style || r.column_int(10) > 1;
        message.address = !handle.empty()         ? handle
                          : !first_member.empty() ? first_member
                                                  : r.column_text(11);
        message.address = base::to_valid_utf8(message.address);
        DOCKSCAN_TRY(visit(message));
    }
}

Expected<std::map<std::int64_t, std::vector<SmsAttachment>>>
SmsDatabase::attachments(std::size_t max_count) {
    std::map<std::int64_t, std::vector<SmsAttachment>> out;
    DOCKSCAN_TRY_ASSIGN(const bool joined, has_table(m_db, "message_attachment_join"));
    DOCKSCAN_TRY_ASSIGN(const bool present, has_table(m_db, "attachment"));
    if (!joined || !present) {
        return out;
    }
    auto statement = m_db.prepare(
        "SELECT j.message_id, a.ROWID, a.filename, a.mime_type, a.transfer_name, a.total_bytes"
        " FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id"
        " ORDER BY j.message_id, a.ROWID");
    if (!statement) {
        return tl::unexpected(sms_error(statement.error()));
    }
    std::size_t count = 0;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return tl::unexpected(sms_error(row.error()));
        }
        if (!*row) {
            return out;
        }
        if (++count > max_count) {
            return fail(ErrorCode::too_large,
                        "more than " + std::to_string(max_count) + " attachments");
        }
        const sqlite::Statement& r = *statement;
        auto& list = out[r.column_int(0)];
        SmsAttachment attachment;
        attachment.rowid = r.column_int(1);
        attachment.index = list.size() + 1;
        attachment.filename = r.column_text(2);
        attachment.mime_type = r.column_text(3);
        attachment.transfer_name = r.column_text(4);
        attachment.total_bytes = r.column_int(5);
        list.push_back(std::move(attachment));
    }
}

Expected<std::string> SmsDatabase::text_of(std::int64_t rowid) {
    DOCKSCAN_TRY_ASSIGN(const std::string text_columns, select_columns());
    auto statement = m_db.prepare("SELECT " + text_columns + " FROM message m WHERE m.ROWID = ?");
    if (!statement) {
        return tl::unexpected(sms_error(statement.error()));
    }
    statement->bind(1, rowid);
    auto row = statement->step();
    if (!row) {
        return tl::unexpected(sms_error(row.error()));
    }
    if (!*row) {
        return fail(ErrorCode::not_found, "message is no longer in sms.db");
    }
    return decode_text(*statement, 0, m_max_text_bytes);
}

} // namespace dockscan::docking::ios
