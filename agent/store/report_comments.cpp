#include "agent/store/report_comments.hpp"

#include "agent/store/store_internal.hpp"
#include "base/text.hpp"
#include "base/time.hpp"

namespace dockscan::agent::report_comments {

Expected<std::vector<Comment>> for_period(Store& store, std::string_view period) {
    constexpr std::string_view k_context = "cannot read the report's comments";
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto select,
        store.database().prepare(
            "SELECT c.unit_id, u.name, c.comment, c.author, c.created_at FROM report_comments c "
            "JOIN units u ON u.id = c.unit_id WHERE c.period = ?1 AND c.id = (SELECT max(id) "
            "FROM report_comments WHERE unit_id = c.unit_id AND period = ?1) AND c.comment <> '' "
            "ORDER BY u.name"),
        k_context);
    select.bind_text(1, period);
    std::vector<Comment> comments;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool more, select.step(), k_context);
        if (!more) {
            return comments;
        }
        comments.push_back({select.column_int(0), select.column_text(1), select.column_text(2),
                            select.column_text(3), select.column_text(4)});
    }
}

Expected<void> set(Store& store, std::string_view unit, std::string_view period,
                   std::string_view text, std::string_view author) {
    constexpr std::string_view k_context = "cannot save the report's comment";
    if (text.size() > k_max_comment) {
        return fail(ErrorCode::usage, "a comment is at most " + std::to_string(k_max_comment) +
                                          " bytes, this one is " + std::to_string(text.size()));
    }
    if (!base::is_valid_utf8(text)) {
        return fail(ErrorCode::usage, "a comment must be UTF-8 text");
    }
    auto& db = store.database();
    DOCKSCAN_STORE_TRY_ASSIGN(auto find, db.prepare("SELECT id FROM units WHERE name = ?1"),
                              k_context);
    find.bind_text(1, unit);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, find.step(), k_context);
    if (!found) {
        return fail(ErrorCode::config,
                    "unknown unit '" + std::string(unit) + "' (see `dockscan units list`)");
    }
    const std::int64_t unit_id = find.column_int(0);
    DOCKSCAN_STORE_TRY_ASSIGN(auto insert,
                              db.prepare("INSERT INTO report_comments (unit_id, period, comment, "
                                         "author, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
                              k_context);
    insert.bind(1, unit_id);
    insert.bind_text(2, period);
    insert.bind_text(3, text);
    insert.bind_text(4, author);
    insert.bind_text(5, base::iso8601_utc(base::unix_now()));
    DOCKSCAN_STORE_TRY(insert.step(), k_context);
    return {};
}

} // namespace dockscan::agent::report_comments
