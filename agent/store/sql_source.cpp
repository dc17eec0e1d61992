#include "agent/store/sql_source.hpp"

#include "agent/store/store_internal.hpp"

#include <cctype>
#include <charconv>

namespace dockscan::agent::sql {

namespace {

// A column named in a mark: "s.phone_id" or "phone_id".
struct Column {
    std::string_view table; // alias with its dot ("s."), or empty
    std::string_view name;

    // The column as the central tables name it: ids are local ids there.
    [[nodiscard]] std::string central() const {
        return std::string(table) + (name == "id" ? "local_id" : std::string(name));
    }
    [[nodiscard]] std::string station_id() const { return std::string(table) + "station_id"; }
    [[nodiscard]] std::string station() const { return std::string(table) + std::string(name); }
};

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return text;
}

Column column(std::string_view text) {
    text = trim(text);
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) {
        return {{}, text};
    }
    return {text.substr(0, dot + 1), text.substr(dot + 1)};
}

// One mark's text in `dialect`, or nothing for a mark this file does not know.
std::optional<std::string> mark(Dialect dialect, std::string_view kind, std::string_view body) {
    const bool central = dialect == Dialect::postgresql;
    if (kind == "key") {
        const Column c = column(body);
        return central ? "(" + c.station_id() + " || '/' || " + c.central() + ")" : c.station();
    }
    if (kind == "id") {
        const Column c = column(body);
        return central ? c.central() : c.station();
    }
    if (kind == "group") {
        const Column c = column(body);
        return central ? c.station_id() + ", " + c.central() : c.station();
    }
    if (kind == "is" || kind == "isnot") {
        const auto equals = body.find('=');
        if (equals == std::string_view::npos) {
            return std::nullopt;
        }
        const Column c = column(body.substr(0, equals));
        const std::string_view param = trim(body.substr(equals + 1));
        const std::string negate = kind == "isnot" ? "NOT " : "";
        if (!central) {
            return negate + "(" + c.station() + " = " + std::string(param) + ")";
        }
        const std::string number = "$" + std::string(param.substr(1)) + "::bigint";
        return negate + "(" + c.station_id() +
               " = (SELECT st.id FROM stations st WHERE st.number = (" + number + " >> " +
               std::to_string(k_station_shift) + ")) AND " + c.central() + " = (" + number + " & " +
               std::to_string((std::int64_t{1} << k_station_shift) - 1) + "))";
    }
    if (kind == "table") {
        const std::string_view name = trim(body);
        if (!central) {
            return std::string(name);
        }
        if (name == "reviews") {
            return "review_log";
        }
        if (name == "controls") {
            return "control_log";
        }
        return std::nullopt;
    }
    if (kind == "newest") {
        const std::string alias(trim(body));
        return central ? alias + ".created_at DESC, " + alias + ".local_id DESC"
                       : alias + ".id DESC";
    }
    if (kind == "station") {
        return central ? std::string(trim(body)) + ".station_id" : std::string("''");
    }
    if (kind == "sealed") {
        const Column c = column(body);
        return central ? c.central() + "_sealed" : c.station();
    }
    if (kind == "join") {
        const auto equals = body.find('=');
        if (equals == std::string_view::npos) {
            return std::nullopt;
        }
        const Column left = column(body.substr(0, equals));
        const Column right = column(body.substr(equals + 1));
        if (!central) {
            return left.station() + " = " + right.station();
        }
        return left.station_id() + " = " + right.station_id() + " AND " + left.central() + " = " +
               right.central();
    }
    return std::nullopt;
}

} // namespace

std::string expand(Dialect dialect, std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + sql.size() / 2);
    bool in_literal = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'') {
            in_literal = !in_literal;
        } else if (!in_literal && c == '?' && dialect == Dialect::postgresql &&
                   i + 1 < sql.size() &&
                   std::isdigit(static_cast<unsigned char>(sql[i + 1])) != 0) {
            out.push_back('$');
            continue;
        } else if (!in_literal && c == '{') {
            const auto colon = sql.find(':', i);
            const auto close = sql.find('}', i);
            if (colon != std::string_view::npos && close != std::string_view::npos &&
                colon < close) {
                if (auto text = mark(dialect, sql.substr(i + 1, colon - i - 1),
                                     sql.substr(colon + 1, close - colon - 1))) {
                    out += *text;
                    i = close;
                    continue;
                }
            }
        }
        out.push_back(c);
    }
    return out;
}

namespace {

class StatementRow final : public Row {
public:
    explicit StatementRow(const base::sqlite::Statement& stmt) : m_stmt(stmt) {}
    [[nodiscard]] bool is_null(int column) const override { return m_stmt.is_null(column); }
    [[nodiscard]] std::string text(int column) const override { return m_stmt.column_text(column); }
    [[nodiscard]] std::int64_t int64(int column) const override {
        return m_stmt.column_int(column);
    }
    [[nodiscard]] double real(int column) const override { return m_stmt.column_double(column); }
    [[nodiscard]] std::string sealed(int column) const override {
        return m_stmt.column_blob(column);
    }

private:
    const base::sqlite::Statement& m_stmt;
};

} // namespace

Expected<void> StoreSource::each_row(std::string_view sql, std::span<const std::string_view> params,
                                     const std::function<void(const Row&)>& row,
                                     std::string_view context) {
    DOCKSCAN_STORE_TRY_ASSIGN(auto stmt, m_store.database().prepare(expand(Dialect::sqlite, sql)),
                              context);
    int index = 1;
    for (const std::string_view param : params) {
        // A whole number binds as one: SQLite compares an untyped text parameter with a
        // number as unequal (?2 = 1), and a column's own affinity turns it back into
        // text where the column holds text.
        std::int64_t number = 0;
        const auto [end, ec] = std::from_chars(param.data(), param.data() + param.size(), number);
        if (!param.empty() && param.size() < 19 && ec == std::errc() &&
            end == param.data() + param.size() && (param[0] != '0' || param.size() == 1)) {
            stmt.bind(index++, number);
        } else {
            stmt.bind_text(index++, param);
        }
    }
    const StatementRow view(stmt);
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool more, stmt.step(), context);
        if (!more) {
            return {};
        }
        row(view);
    }
}

} // namespace dockscan::agent::sql
