#pragma once

// One set of report and review queries for two databases (issue 18): the station's
// SQLCipher store and the municipality's PostgreSQL. A query is written once, in the
// station's SQL with a few marks where the two differ; `expand` is the one place that
// turns the marks into either dialect:
//
//   ?1, ?2 ...        parameters (PostgreSQL: $1, $2 ...)
//   {key:a.col}       an id the caller reads as a number (a.id, a.phone_id ...). On the
//                     station the column itself; centrally ids are (station_id, local_id),
//                     and the key is the text "station/local id", which the PostgreSQL
//                     source reads as one number per row of the whole municipality (a
//                     lookup in the database per row cost 2 s of the report's 5: the
//                     load benchmark, tests/bench/README.md).
//   {join:a.x=b.y}    two ids that name the same row: centrally also the same station
//                     (a.station_id = b.station_id AND ...), so the join uses the
//                     (station_id, local_id) indexes. Either side may be unqualified
//                     (a column of the subquery's own table).
//   {id:a.col}        an id within one station's rows (max(id), ORDER BY id in a
//                     subquery already joined on the station): centrally a.local_id.
//   {group:a.id}      a row's identity in GROUP BY: centrally a.station_id, a.local_id.
//   {is:a.col=?N}     an id column equal to the parameter ?N, a number as {key:} reads
//                     it: centrally the station whose number ?N carries and the local id.
//   {isnot:a.col=?N}  the opposite.
//   {table:reviews}   the decisions on findings (reviews) or scans (controls): centrally
//                     the views review_log and control_log, which add the review
//                     server's own decisions to the stations'.
//   {newest:r}        ORDER BY newest first of those: the station's r.id DESC;
//                     centrally by time (central and station rows have no common order).
//   {station:a}       the station a row came from: centrally a.station_id, on the
//                     station '' (its own).
//   {sealed:a.col}    evidence (an excerpt, a note, a thumbnail): centrally the column
//                     a.col_sealed, which Row::sealed opens.
//
// In every mark, a column named `id` is `local_id` centrally; other columns keep their
// names (the central tables mirror the station's, agent/central/central_schema.cpp).
// SQLCipher 3.4 has no window functions: the shared queries use none.

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace dockscan::agent::sql {

enum class Dialect { sqlite, postgresql };

// The shared SQL `sql` in `dialect` (see above). Marks it does not know are left as
// they are, so the database names the mistake.
[[nodiscard]] std::string expand(Dialect dialect, std::string_view sql);

// One row of a result, read by column (0-based).
class Row {
public:
    virtual ~Row() = default;
    [[nodiscard]] virtual bool is_null(int column) const = 0;
    [[nodiscard]] virtual std::string text(int column) const = 0;
    // An integer column (a count, an id through {key:}, 0 or 1 from a CASE).
    [[nodiscard]] virtual std::int64_t int64(int column) const = 0;
    [[nodiscard]] virtual double real(int column) const = 0;
    // A column through {sealed:}: its plain bytes. On the station the store's own
    // (encrypted at rest as a whole); centrally opened with the review server's key,
    // and empty when this source holds no key or the key does not open it.
    [[nodiscard]] virtual std::string sealed(int column) const = 0;
};

// How {key:} turns a station's number and a local id into one number: the station's
// ids stay far below 2^40 (a trillion rows).
inline constexpr int k_station_shift = 40;

// A database the shared queries run on.
class Source {
public:
    virtual ~Source() = default;
    [[nodiscard]] virtual Dialect dialect() const = 0;
    // Runs the shared SQL `sql` (expanded for this source) with the parameters bound to
    // ?1, ?2 ... (text; a whole number compares as a number), and hands each row to
    // `row`. `context` starts the error message.
    [[nodiscard]] virtual Expected<void> each_row(std::string_view sql,
                                                  std::span<const std::string_view> params,
                                                  const std::function<void(const Row&)>& row,
                                                  std::string_view context) = 0;
    [[nodiscard]] Expected<void> each_row(std::string_view sql,
                                          std::initializer_list<std::string_view> params,
                                          const std::function<void(const Row&)>& row,
                                          std::string_view context) {
        return each_row(sql, std::span<const std::string_view>(params.begin(), params.size()), row,
                        context);
    }
};

// The station's store as a Source: the statements run as they always did, on the
// store's one connection.
class StoreSource final : public Source {
public:
    explicit StoreSource(Store& store) : m_store(store) {}
    [[nodiscard]] Dialect dialect() const override { return Dialect::sqlite; }
    using Source::each_row;
    [[nodiscard]] Expected<void> each_row(std::string_view sql,
                                          std::span<const std::string_view> params,
                                          const std::function<void(const Row&)>& row,
                                          std::string_view context) override;

private:
    Store& m_store;
};

} // namespace dockscan::agent::sql
