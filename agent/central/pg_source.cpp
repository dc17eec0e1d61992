#include "agent/central/pg_source.hpp"

#include <charconv>
#include <cstdlib>

namespace dockscan::agent::central {

namespace {

// A row of PostgreSQL's text results. Numbers are parsed where they are read: the
// shared queries return integers as integers (counts, dockscan_key, CASE ... 0/1).
class TextRow final : public sql::Row {
public:
    explicit TextRow(const std::vector<std::optional<std::string>>& values) : m_values(values) {}
    [[nodiscard]] bool is_null(int column) const override { return !value(column); }
    [[nodiscard]] std::string text(int column) const override {
        return value(column).value_or(std::string());
    }
    [[nodiscard]] std::int64_t int64(int column) const override {
        const auto& v = value(column);
        std::int64_t number = 0;
        if (v) {
            (void)std::from_chars(v->data(), v->data() + v->size(), number);
        }
        return number;
    }
    [[nodiscard]] double real(int column) const override {
        const auto& v = value(column);
        return v ? std::strtod(v->c_str(), nullptr) : 0.0;
    }

private:
    [[nodiscard]] const std::optional<std::string>& value(int column) const {
        return m_values.at(static_cast<std::size_t>(column));
    }
    const std::vector<std::optional<std::string>>& m_values;
};

} // namespace

Expected<void> PgSource::each_row(std::string_view sql,
                                  std::initializer_list<std::string_view> params,
                                  const std::function<void(const sql::Row&)>& row,
                                  std::string_view context) {
    std::vector<pg::Param> values;
    values.reserve(params.size());
    for (const std::string_view param : params) {
        values.emplace_back(std::string(param));
    }
    auto rows = m_connection.query(sql::expand(sql::Dialect::postgresql, sql), values);
    if (!rows) {
        return fail(rows.error().code, std::string(context) + ": " + rows.error().message);
    }
    for (const auto& values_of_row : rows->rows) {
        row(TextRow(values_of_row));
    }
    return {};
}

} // namespace dockscan::agent::central
