#include "agent/store/retention.hpp"

#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <chrono>

namespace dockscan::agent::retention {
namespace {

using store_detail::Transaction;

// Findings purged per statement: small enough that a progress line moves on a store of
// a few thousand findings, large enough that the statements cost nothing extra.
constexpr std::int64_t k_purge_batch = 500;

std::int64_t quarter_start_utc(std::int64_t now) {
    using namespace std::chrono;
    const year_month_day day{floor<days>(sys_seconds{seconds{now}})};
    const unsigned first_month = (static_cast<unsigned>(day.month()) - 1) / 3 * 3 + 1;
    const sys_days start{day.year() / month{first_month} / 1};
    return duration_cast<seconds>(start.time_since_epoch()).count();
}

} // namespace

std::int64_t cutoff(int days, std::int64_t now) {
    return std::min(now - std::int64_t{days} * 24 * 3600, quarter_start_utc(now));
}

Expected<Purged> purge(Store& store, int days, std::int64_t now, const std::string& actor,
                       const PurgeProgress& progress) {
    constexpr std::string_view k_context = "cannot purge old evidence";
    base::sqlite::Database& db = store.database();
    Purged purged;
    purged.before = base::iso8601_utc(cutoff(days, now));
    {
        DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto count,
            db.prepare("SELECT count(*) FROM findings WHERE purged_at IS NULL AND created_at < ?1"),
            k_context);
        count.bind_text(1, purged.before);
        DOCKSCAN_STORE_TRY_ASSIGN(const bool counted, count.step(), k_context);
        const std::int64_t total = counted ? count.column_int(0) : 0;
        if (progress && total > 0) {
            progress(0, total);
        }
        // In batches, for the progress line; still one transaction, so all or nothing.
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto findings,
            db.prepare("UPDATE findings SET masked = '', match_hash = '', excerpt = '', "
                       "start = -1, \"end\" = -1, purged_at = ?2 WHERE id IN (SELECT id FROM "
                       "findings WHERE purged_at IS NULL AND created_at < ?1 LIMIT ?3)"),
            k_context);
        while (true) {
            findings.reset();
            findings.bind_text(1, purged.before);
            findings.bind_text(2, base::iso8601_utc(now));
            findings.bind(3, k_purge_batch);
            DOCKSCAN_STORE_TRY(findings.step(), k_context);
            const std::int64_t changed = db.changes();
            if (changed == 0) {
                break;
            }
            purged.findings += changed;
            if (progress) {
                progress(purged.findings, std::max(total, purged.findings));
            }
        }

        // Items whose every finding is purged: their thumbnail and their label ("SMS
        // från +46 70…, 2026-11-20 16:30") go too, and the item is scanned again the
        // next time the phone docks (a size no file has): what is still on the phone is
        // found again, as a finding of that quarter.
        constexpr const char* k_all_purged =
            "SELECT item_id FROM findings GROUP BY item_id HAVING count(purged_at) = count(*)";
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto thumbnails,
            db.prepare(std::string("DELETE FROM thumbnails WHERE item_id IN (") + k_all_purged +
                       ")"),
            k_context);
        DOCKSCAN_STORE_TRY(thumbnails.step(), k_context);
        purged.thumbnails = db.changes();
        DOCKSCAN_STORE_TRY_ASSIGN(
            auto labels,
            db.prepare(std::string("UPDATE items SET label = '', size = -1 WHERE size != -1 "
                                   "AND id IN (") +
                       k_all_purged + ")"),
            k_context);
        DOCKSCAN_STORE_TRY(labels.step(), k_context);
        DOCKSCAN_TRY(transaction.commit());
    }
    if (purged.findings > 0 || purged.thumbnails > 0) {
        DOCKSCAN_TRY(store.append_audit(
            AuditEntry{actor, "purge", "findings",
                       std::to_string(purged.findings) + " findings, " +
                           std::to_string(purged.thumbnails) + " thumbnails recorded before " +
                           purged.before + " (retention " + std::to_string(days) + " days)"}));
    }
    return purged;
}

} // namespace dockscan::agent::retention
