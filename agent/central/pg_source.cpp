#include "agent/central/pg_source.hpp"

#include <charconv>
#include <cstdlib>

namespace dockscan::agent::central {

namespace {

constexpr std::int64_t k_station_stride = std::int64_t{1} << sql::k_station_shift;

// A row of PostgreSQL's text results. Numbers are parsed where they are read: counts,
// CASE ... 0/1, and keys ("station/local id") through the source's station numbers.
class TextRow final : public sql::Row {
public:
    TextRow(const std::vector<std::optional<std::string>>& values, PgSource& source)
        : m_values(values), m_source(source) {}
    [[nodiscard]] bool is_null(int column) const override { return !value(column); }
    [[nodiscard]] std::string text(int column) const override {
        return value(column).value_or(std::string());
    }
    [[nodiscard]] std::int64_t int64(int column) const override {
        const auto& v = value(column);
        if (!v) {
            return 0;
        }
        return v->find('/') != std::string::npos ? m_source.key(*v)
                                                 : pg::int64_of(std::string_view(*v));
    }
    [[nodiscard]] double real(int column) const override {
        const auto& v = value(column);
        return v ? std::strtod(v->c_str(), nullptr) : 0.0;
    }
    [[nodiscard]] std::string sealed(int column) const override {
        const auto& v = value(column);
        return v ? m_source.open(*v) : std::string();
    }

private:
    [[nodiscard]] const std::optional<std::string>& value(int column) const {
        return m_values.at(static_cast<std::size_t>(column));
    }
    const std::vector<std::optional<std::string>>& m_values;
    PgSource& m_source;
};

} // namespace

PgSource::~PgSource() {
    crypto::wipe(m_secret_key);
}

void PgSource::set_review_key(const crypto::BoxSecretKey& secret_key) {
    m_secret_key = secret_key;
    m_public_key = crypto::box_public_key(secret_key);
    m_has_key = true;
}

std::int64_t PgSource::key(std::string_view text) {
    // The local id is a number: the last '/' ends the station's id, whatever it holds.
    const auto slash = text.rfind('/');
    const std::string station(text.substr(0, slash));
    auto found = m_stations.find(station);
    if (found == m_stations.end()) {
        // A station added since the numbers were read: read them again.
        if (auto numbers = m_connection.query("SELECT id, number FROM stations")) {
            for (const auto& row : numbers->rows) {
                m_stations[row.at(0).value_or("")] = pg::int64_of(row.at(1));
            }
        }
        found = m_stations.find(station);
        if (found == m_stations.end()) {
            return 0;
        }
    }
    return found->second * k_station_stride + pg::int64_of(text.substr(slash + 1));
}

std::string PgSource::open(std::string_view bytea) const {
    if (!m_has_key) {
        return {};
    }
    const auto sealed = pg::from_bytea(bytea);
    if (!sealed) {
        return {};
    }
    return crypto::open_sealed(m_public_key, m_secret_key, *sealed).value_or(std::string());
}

Expected<void> PgSource::each_row(std::string_view sql, std::span<const std::string_view> params,
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
        row(TextRow(values_of_row, *this));
    }
    return {};
}

} // namespace dockscan::agent::central
