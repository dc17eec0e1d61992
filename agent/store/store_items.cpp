// Items and findings: the incremental-scan state and the batched writes of a scan.

#include "agent/store/review_queries.hpp"
#include "agent/store/sodium_seam.hpp"
#include "agent/store/sql_source.hpp"
#include "agent/store/store.hpp"
#include "agent/store/store_internal.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <limits>

namespace dockscan::agent {

namespace {

using store_detail::Transaction;

std::int64_t to_db_size(std::uint64_t size) {
    constexpr auto k_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(size > k_max ? k_max : size);
}

// The items table keeps the outcome as text: "scanned", or "error: <reason>" so that
// the reason is kept beside the item.
std::string outcome_text(const ItemResult& item) {
    switch (item.outcome) {
    case ItemOutcome::scanned:
        return "scanned";
    case ItemOutcome::failed:
        return "error: " + item.error;
    }
    return "error: " + item.error;
}

ItemOutcome outcome_from_text(std::string_view text) {
    return text == "scanned" ? ItemOutcome::scanned : ItemOutcome::failed;
}

// Adds one item to the running counts the way finish_scan reports them: an item that
// could not be read counts as an error, not as a scanned item of its type.
void count_item(ItemCounts& counts, const ItemResult& item) {
    if (item.outcome == ItemOutcome::failed) {
        ++counts.errors;
    } else if (item.type == "message") {
        ++counts.messages;
    } else if (item.type == "photo") {
        ++counts.photos;
    } else if (item.type == "contact") {
        ++counts.contacts;
    } else if (item.type == "attachment") {
        ++counts.attachments;
    } else {
        ++counts.files;
    }
}

} // namespace

std::string content_hash(std::string_view data) {
    return crypto::to_hex(crypto::sha256_of_fields({"dockscan item content", data}));
}

Expected<std::optional<ItemState>> Store::item_state(std::int64_t phone_id, std::string_view type,
                                                     std::string_view ref) {
    constexpr std::string_view k_context = "cannot read the item's state";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select,
                              m_impl->db.prepare("SELECT size, mtime, outcome FROM items WHERE "
                                                 "phone_id = ?1 AND type = ?2 AND ref = ?3"),
                              k_context);
    select.bind(1, phone_id);
    select.bind_text(2, type);
    select.bind_text(3, ref);
    DOCKSCAN_STORE_TRY_ASSIGN(const bool found, select.step(), k_context);
    if (!found) {
        return std::nullopt;
    }
    const std::int64_t size = select.column_int(0);
    return ItemState{static_cast<std::uint64_t>(size < 0 ? 0 : size), select.column_int(1),
                     outcome_from_text(select.column_text(2))};
}

Expected<void> Store::write_batch(std::int64_t scan_id, std::int64_t phone_id,
                                  const std::vector<ItemResult>& batch) {
    constexpr std::string_view k_context = "cannot write scan results";
    auto& db = m_impl->db;
    DOCKSCAN_TRY_ASSIGN(auto transaction, Transaction::begin(db));
    // SQLite 3.15 has no UPSERT: insert when new, otherwise update in place, so the
    // item keeps its id (and its findings from earlier scans stay attached).
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert_item,
        db.prepare("INSERT OR IGNORE INTO items (phone_id, type, ref, label, size, mtime, "
                   "last_scan_id, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update_item,
        db.prepare("UPDATE items SET label = ?4, size = ?5, mtime = ?6, last_scan_id = ?7, "
                   "outcome = ?8 WHERE phone_id = ?1 AND type = ?2 AND ref = ?3"),
        k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto item_id,
        db.prepare("SELECT id FROM items WHERE phone_id = ?1 AND type = ?2 AND ref = ?3"),
        k_context);
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert_finding,
        db.prepare("INSERT INTO findings (scan_id, item_id, kind, category, severity, "
                   "confidence, masked, match_hash, excerpt, detector, start, \"end\", "
                   "created_at, occurrences, content_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                   "?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
        k_context);
    // One thumbnail per item: a rescan that flags the photo again replaces it.
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto insert_thumbnail,
        db.prepare("INSERT OR REPLACE INTO thumbnails (item_id, jpeg, width, height, "
                   "created_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
        k_context);

    const std::string now = base::iso8601_utc(base::unix_now());
    ItemCounts counts;
    std::int64_t findings = 0;
    for (const ItemResult& item : batch) {
        for (auto* stmt : {&insert_item, &update_item}) {
            stmt->bind(1, phone_id);
            stmt->bind_text(2, item.type);
            stmt->bind_text(3, item.ref);
            stmt->bind_text(4, item.label);
            stmt->bind(5, to_db_size(item.size));
            stmt->bind(6, item.mtime);
            stmt->bind(7, scan_id);
            stmt->bind_text(8, outcome_text(item));
        }
        DOCKSCAN_STORE_TRY(insert_item.step(), k_context);
        std::int64_t id = 0;
        if (db.changes() == 1) {
            id = db.last_insert_rowid();
        } else {
            DOCKSCAN_STORE_TRY(update_item.step(), k_context);
            item_id.bind(1, phone_id);
            item_id.bind_text(2, item.type);
            item_id.bind_text(3, item.ref);
            DOCKSCAN_STORE_TRY_ASSIGN(const bool found, item_id.step(), k_context);
            if (!found) {
                return fail(ErrorCode::internal, "an item vanished while its scan was written");
            }
            id = item_id.column_int(0);
            item_id.reset();
        }
        insert_item.reset();
        update_item.reset();

        for (const NewFinding& finding : item.findings) {
            insert_finding.bind(1, scan_id);
            insert_finding.bind(2, id);
            insert_finding.bind_text(3, finding.kind);
            insert_finding.bind_text(4, finding.category);
            insert_finding.bind_text(5, finding.severity);
            insert_finding.bind(6, finding.confidence);
            insert_finding.bind_text(7, finding.masked);
            insert_finding.bind_text(8, finding.match_hash);
            insert_finding.bind_text(9, finding.excerpt);
            insert_finding.bind_text(10, finding.detector);
            insert_finding.bind(11, finding.start);
            insert_finding.bind(12, finding.end);
            insert_finding.bind_text(13, now);
            insert_finding.bind(14, std::max<std::int64_t>(1, finding.occurrences));
            insert_finding.bind_text(15, finding.content_hash);
            DOCKSCAN_STORE_TRY(insert_finding.step(), k_context);
            insert_finding.reset();
            ++findings;
        }
        const Thumbnail* thumbnail = nullptr;
        for (const NewFinding& finding : item.findings) {
            if (thumbnail == nullptr && finding.thumbnail) {
                thumbnail = &*finding.thumbnail;
            }
        }
        if (thumbnail != nullptr && !thumbnail->jpeg.empty()) {
            insert_thumbnail.bind(1, id);
            insert_thumbnail.bind_blob(2, thumbnail->jpeg);
            insert_thumbnail.bind(3, static_cast<std::int64_t>(thumbnail->width));
            insert_thumbnail.bind(4, static_cast<std::int64_t>(thumbnail->height));
            insert_thumbnail.bind_text(5, now);
            DOCKSCAN_STORE_TRY(insert_thumbnail.step(), k_context);
            insert_thumbnail.reset();
        }
        count_item(counts, item);
    }

    // The scan row carries running totals, so a scan that dies shows what it had done.
    DOCKSCAN_STORE_TRY_ASSIGN(
        auto update_scan,
        db.prepare("UPDATE scans SET messages = messages + ?3, photos = photos + ?4, "
                   "contacts = contacts + ?5, files = files + ?6, attachments = attachments + "
                   "?7, errors = errors + ?8, findings = findings + ?9 WHERE id = ?1 AND "
                   "phone_id = ?2"),
        k_context);
    update_scan.bind(1, scan_id);
    update_scan.bind(2, phone_id);
    update_scan.bind(3, counts.messages);
    update_scan.bind(4, counts.photos);
    update_scan.bind(5, counts.contacts);
    update_scan.bind(6, counts.files);
    update_scan.bind(7, counts.attachments);
    update_scan.bind(8, counts.errors);
    update_scan.bind(9, findings);
    DOCKSCAN_STORE_TRY(update_scan.step(), k_context);
    if (db.changes() != 1) {
        return fail(ErrorCode::internal,
                    "no scan " + std::to_string(scan_id) + " of phone " + std::to_string(phone_id));
    }
    return transaction.commit();
}

// The review's queries (review_queries.cpp), on this store.
Expected<std::optional<Thumbnail>> Store::finding_thumbnail(std::int64_t finding_id) {
    sql::StoreSource source(*this);
    return review::thumbnail(source, finding_id);
}

Expected<std::vector<FailedItem>> Store::failed_items(std::int64_t scan_id) {
    sql::StoreSource source(*this);
    return review::failed_items(source, scan_id);
}

Expected<std::vector<FindingRow>> Store::findings(std::optional<std::int64_t> scan_id) {
    constexpr std::string_view k_context = "cannot read findings";
    std::string sql =
        "SELECT f.id, f.scan_id, p.label, i.type, i.ref, i.label, f.kind, f.category, "
        "f.severity, f.confidence, f.masked, f.match_hash, f.excerpt, f.detector, f.created_at, "
        "f.occurrences FROM findings f JOIN items i ON i.id = f.item_id JOIN phones p ON p.id = "
        "i.phone_id";
    if (scan_id) {
        sql += " WHERE f.scan_id = ?1";
    }
    sql += " ORDER BY f.id DESC";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select, m_impl->db.prepare(sql), k_context);
    if (scan_id) {
        select.bind(1, *scan_id);
    }
    std::vector<FindingRow> rows;
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            break;
        }
        rows.push_back(
            FindingRow{select.column_int(0), select.column_int(1), select.column_text(2),
                       select.column_text(3), select.column_text(4), select.column_text(5),
                       select.column_text(6), select.column_text(7), select.column_text(8),
                       select.column_double(9), select.column_text(10), select.column_text(11),
                       select.column_text(12), select.column_text(13), select.column_text(14),
                       select.column_int(15)});
    }
    return rows;
}

} // namespace dockscan::agent
