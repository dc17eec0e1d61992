#pragma once

// What the store's translation units share: the state behind Store, transactions,
// and the translation of base::sqlite errors into the agent's codes. Not for use
// outside agent/store.

#include "agent/error.hpp"
#include "agent/store/store.hpp"
#include "agent/store/store_key.hpp"
#include "base/sqlite.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace dockscan::agent {

struct Store::Impl {
    base::sqlite::Database db;
    StoreKey identity_key; // derive("identity-hmac"): match hashes of identity numbers
    StoreKey audit_key;    // derive("audit-mac"): the audit log's chain
    int schema_version = 0;
};

namespace store_detail {

// `text` in single quotes, for messages. Appended, not `"'" + std::string(text) + "'"`:
// at -O3 (Release) GCC 12 inlines that insert at the front of a temporary and reports a
// false -Wrestrict in it (GCC bug 105329 and its relatives), which breaks a build with
// warnings as errors.
[[nodiscard]] inline std::string in_quotes(std::string_view text) {
    std::string quoted;
    quoted.reserve(text.size() + 2);
    quoted += '\'';
    quoted += text;
    quoted += '\'';
    return quoted;
}

// A damaged store file is store_schema ("from a newer dockscan or damaged"); every
// other failure to read or write it is store_io.
[[nodiscard]] inline Error to_store_error(const base::sqlite::Error& error,
                                          std::string_view context) {
    using base::sqlite::ErrorCode;
    const bool damaged =
        error.code == ErrorCode::corrupt || error.code == ErrorCode::not_a_database;
    return Error{damaged ? agent::ErrorCode::store_schema : agent::ErrorCode::store_io,
                 std::string(context) + ": " + error.message};
}

// Runs `expr` (an Expected from base::sqlite) and returns its error, translated, from
// the enclosing function.
#define DOCKSCAN_STORE_TRY(expr, context)                                                          \
    do {                                                                                           \
        auto&& dockscan_store_result_ = (expr);                                                    \
        if (!dockscan_store_result_) {                                                             \
            return tl::unexpected(::dockscan::agent::store_detail::to_store_error(                 \
                dockscan_store_result_.error(), (context)));                                       \
        }                                                                                          \
    } while (false)

// Declares `lhs` from the value of `expr` (an Expected from base::sqlite), or returns
// its error, translated.
#define DOCKSCAN_STORE_TRY_ASSIGN(lhs, expr, context)                                              \
    auto DOCKSCAN_CONCAT(dockscan_store_, __LINE__) = (expr);                                      \
    if (!DOCKSCAN_CONCAT(dockscan_store_, __LINE__)) {                                             \
        return tl::unexpected(::dockscan::agent::store_detail::to_store_error(                     \
            DOCKSCAN_CONCAT(dockscan_store_, __LINE__).error(), (context)));                       \
    }                                                                                              \
    lhs = std::move(*DOCKSCAN_CONCAT(dockscan_store_, __LINE__))

// A write transaction that rolls back unless committed. BEGIN IMMEDIATE takes the
// write lock at the start, so two writers wait for each other (busy timeout) instead
// of one failing when it upgrades a read lock.
class Transaction {
public:
    [[nodiscard]] static Expected<Transaction> begin(base::sqlite::Database& db) {
        DOCKSCAN_STORE_TRY(db.exec("BEGIN IMMEDIATE"), "cannot start a store transaction");
        return Transaction(db);
    }

    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction(Transaction&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }
    Transaction& operator=(Transaction&&) = delete;

    ~Transaction() {
        if (m_db != nullptr) {
            // Nothing to report: the error that made us leave early is what matters.
            (void)m_db->exec("ROLLBACK");
        }
    }

    [[nodiscard]] Expected<void> commit() {
        base::sqlite::Database* db = std::exchange(m_db, nullptr);
        auto committed = db->exec("COMMIT");
        if (!committed) {
            // A failed COMMIT can leave the transaction open; end it so the connection
            // stays usable.
            (void)db->exec("ROLLBACK");
            return tl::unexpected(to_store_error(committed.error(), "cannot commit to the store"));
        }
        return {};
    }

private:
    explicit Transaction(base::sqlite::Database& db) : m_db(&db) {}
    base::sqlite::Database* m_db;
};

} // namespace store_detail
} // namespace dockscan::agent
