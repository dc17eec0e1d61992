#pragma once

// The encrypted local store (SQLCipher). It keeps phones, scans, the per-item state
// that makes scans incremental, minimised findings, reviews and the hash-chained
// audit log. It sees SQLCipher only through base/sqlite.

#include "agent/error.hpp"
#include "agent/store/store_key.hpp"
#include "base/sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent {

enum class OpenMode { existing, create };

// empty: the source listed nothing to read (a folder above the phone's backup, a phone
// that gave nothing): never to be taken for a clean phone.
enum class ScanStatus { running, complete, partial, failed, empty };
[[nodiscard]] std::string_view to_string(ScanStatus status);
// The status named by `to_string`, or nothing for any other text.
[[nodiscard]] std::optional<ScanStatus> parse_scan_status(std::string_view text);

struct PhoneIdentity {
    std::string label;  // what the IT admin or `--phone` calls it; unique
    std::string serial; // serial number or UDID, when known
    std::string name;
    std::string model;
    std::string os_version;
};

struct ItemCounts {
    std::int64_t messages = 0;
    std::int64_t photos = 0;
    std::int64_t contacts = 0;
    std::int64_t files = 0;
    std::int64_t attachments = 0;
    std::int64_t errors = 0;    // items that could not be read or parsed
    std::int64_t unchanged = 0; // items skipped because an earlier scan saw them as they are
};

// What the store keeps of one item between scans (incremental scanning).
// What became of one item in a scan. An item that failed is read again at the next scan;
// one that was scanned only when it changed (size or mtime).
enum class ItemOutcome {
    scanned, // analysed; its findings, if any, are recorded
    failed,  // could not be read or analysed; the reason is kept with it
};

struct ItemState {
    std::uint64_t size;
    std::int64_t mtime;
    ItemOutcome outcome;
};

// A finding as the pipeline hands it over: already minimised.
// A flagged photo's evidence thumbnail: a small, blurred JPEG (DESIGN.md: faces and
// text unreadable), one per item.
struct Thumbnail {
    std::string jpeg;
    int width = 0;
    int height = 0;
};

struct NewFinding {
    std::string kind;     // detector kind ("personnummer", ...)
    std::string category; // policy category ("personnummer_i_meddelande", ...)
    std::string severity; // proposed: "avvikelse" | "allvarlig_avvikelse"
    double confidence = 0;
    std::string masked;     // "YYMMDD-****" or empty
    std::string match_hash; // hex HMAC of the normalised number, or empty
    std::string excerpt;    // short redacted excerpt, or empty
    std::string detector;   // "text/identity-number", ...
    std::int64_t start = -1;
    std::int64_t end = -1;
    std::int64_t occurrences = 1; // the same number this often in the item
    // content_hash() of the item's content it was found in, so that a later docking can
    // tell whether that content is still on the phone.
    std::string content_hash;
    // The item's thumbnail, carried by one of an image item's findings (the first) on
    // its way to the writer; stored once per item, in `thumbnails`, not per finding.
    std::optional<Thumbnail> thumbnail;
};

// The result of scanning one item, written in batches.
struct ItemResult {
    std::string type; // docking::ItemType as text
    std::string ref;
    std::string label;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
    ItemOutcome outcome = ItemOutcome::scanned;
    std::vector<NewFinding> findings;
    std::string error; // why a failed item failed
};

// The identity of an item's content, to tell at a later docking whether the very bytes a
// finding was found in are still on the phone (hex SHA-256). The store is encrypted, and
// the hash reveals nothing without the content itself.
[[nodiscard]] std::string content_hash(std::string_view data);

struct FindingRow {
    std::int64_t id;
    std::int64_t scan_id;
    std::string phone; // phone label
    std::string item_type;
    std::string item_ref;
    std::string item_label;
    std::string kind;
    std::string category;
    std::string severity;
    double confidence;
    std::string masked;
    std::string match_hash;
    std::string excerpt;
    std::string detector;
    std::string created_at; // ISO 8601 UTC
    std::int64_t occurrences = 1;
};

// An item a scan could not read or analyse, with the reason.
struct FailedItem {
    std::string type;
    std::string ref;
    std::string label;
    std::string reason;
};

struct ScanRow {
    std::int64_t id;
    std::int64_t phone_id;
    std::string source;
    std::string started_at;
    std::string finished_at;
    ScanStatus status;
    std::string reason;
    ItemCounts counts;
    std::int64_t findings;
};

struct AuditEntry {
    std::string actor;  // user name, or "system"
    std::string action; // "login", "view_finding", "decide", ...
    std::string object; // "finding:12", ...
    std::string detail; // never personal data
};

// The newest row of the audit log as it stood when written down outside the store.
struct AuditAnchor {
    std::int64_t id = 0;
    std::string mac; // hex
};

struct AuditCheck {
    bool intact;
    std::int64_t rows;
    std::optional<std::int64_t> first_broken_row;
    // Why it is not intact when that is not one broken row: a missing trigger, an
    // anchor whose row is gone or different.
    std::string problem;
};

// One connection to the store: use it from one thread at a time (the scan's writer,
// or one request of the review server); open another Store for another thread.
class Store {
public:
    // Opens (or with OpenMode::create, creates) the store at `path` with `key`.
    // A wrong key gives ErrorCode::store_wrong_key, a missing file store_missing.
    // Migrates the schema to the current version; marks scans left `running` by a
    // process that is gone as partial ("interrupted").
    [[nodiscard]] static Expected<Store> open(const std::filesystem::path& path,
                                              const StoreKey& key, OpenMode mode);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    [[nodiscard]] int schema_version() const;

    // Finds a phone by serial (when given) or else by label and updates what is known
    // of it; empty fields keep what was known, and a found phone keeps its label.
    // ErrorCode::config when the label belongs to a phone with another serial.
    [[nodiscard]] Expected<std::int64_t> upsert_phone(const PhoneIdentity& phone);

    // Records a new scan as running and commits it at once, so a crash leaves a trace.
    [[nodiscard]] Expected<std::int64_t> begin_scan(std::int64_t phone_id, std::string_view source);

    // What an earlier scan of this phone recorded for an item, if anything.
    [[nodiscard]] Expected<std::optional<ItemState>>
    item_state(std::int64_t phone_id, std::string_view type, std::string_view ref);

    // Writes a batch of item results and their findings in one transaction, and adds
    // them to the scan's running counts (an item whose outcome starts with "error"
    // counts as an error, not as an item of its type).
    [[nodiscard]] Expected<void> write_batch(std::int64_t scan_id, std::int64_t phone_id,
                                             const std::vector<ItemResult>& batch);

    // Closes a scan with its status, reason (empty when complete) and counts.
    [[nodiscard]] Expected<void> finish_scan(std::int64_t scan_id, ScanStatus status,
                                             std::string_view reason, const ItemCounts& counts);

    // The items that scan `scan_id` could not read or analyse, by type and ref.
    [[nodiscard]] Expected<std::vector<FailedItem>> failed_items(std::int64_t scan_id);
    // Findings with their phone and item, newest first (highest id first); of one
    // scan, or of all scans.
    [[nodiscard]] Expected<std::vector<FindingRow>>
    findings(std::optional<std::int64_t> scan_id = std::nullopt);
    // The evidence thumbnail of a finding's item, if it has one. The caller checks that
    // the viewer may see the finding (review::finding).
    [[nodiscard]] Expected<std::optional<Thumbnail>> finding_thumbnail(std::int64_t finding_id);
    // One scan's record; finished_at is empty while it runs or when it was interrupted.
    [[nodiscard]] Expected<std::optional<ScanRow>> scan(std::int64_t scan_id);

    // The keyed hash (hex HMAC-SHA256) of a normalised identity number.
    [[nodiscard]] std::string match_hash(std::string_view normalized) const;
    // From now on, match hashes are keyed with the municipality's fleet key (the
    // `[central]` fleet_key file) instead of this store's own key, so that the same
    // person's number matches across stations in the central database.
    void use_fleet_key(const StoreKey& fleet_key);

    // Appends a row to the chained audit log.
    [[nodiscard]] Expected<void> append_audit(const AuditEntry& entry);
    // Checks the chain (and the anchor, if given) and names the first row whose MAC
    // does not match.
    [[nodiscard]] Expected<AuditCheck>
    verify_audit(const std::optional<AuditAnchor>& anchor = std::nullopt);
    // The newest audit row's id and MAC, to be kept outside the store.
    [[nodiscard]] Expected<AuditAnchor> audit_anchor();

    // The connection, for the store's own query modules (agent/store/*.cpp: review,
    // inventory and report queries). Code outside agent/store uses the functions above.
    [[nodiscard]] base::sqlite::Database& database();

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::agent
