#include "agent/scan/scan_pipeline.hpp"

#include "agent/scan/work_queue.hpp"
#include "agent/store/follow_up.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <spdlog/spdlog.h>
#include <thread>
#include <utility>
#include <vector>

namespace dockscan::agent {
namespace {

using docking::ItemInfo;
using docking::ItemType;

// An item by its type (as text) and ref, as the store keys it.
using ItemKey = std::pair<std::string, std::string>;

struct Job {
    ItemInfo info;
    docking::ItemContent content;
};

// Collects what the source lists before anything is read, so that listing and
// reading never interleave inside a source.

void count_listed(ItemCounts& counts, ItemType type) {
    switch (type) {
    case ItemType::message:
        ++counts.messages;
        break;
    case ItemType::photo:
        ++counts.photos;
        break;
    case ItemType::contact:
        ++counts.contacts;
        break;
    case ItemType::file:
        ++counts.files;
        break;
    case ItemType::attachment:
        ++counts.attachments;
        break;
    }
}

ItemResult to_result(const ItemInfo& info, ItemOutcome outcome, std::string error = {}) {
    ItemResult r;
    r.type = std::string(docking::to_string(info.type));
    r.ref = info.ref;
    r.label = info.label;
    r.size = info.size;
    r.mtime = info.mtime;
    r.outcome = outcome;
    r.error = std::move(error);
    return r;
}

// The only writer of the scan's results: batches them into store transactions.
class Writer {
public:
    Writer(SharedStore& store, std::int64_t scan_id, std::int64_t phone_id, std::size_t batch_size)
        : m_store(store), m_scan_id(scan_id), m_phone_id(phone_id), m_batch_size(batch_size) {}

    Expected<void> add(ItemResult result) {
        m_findings += static_cast<std::int64_t>(result.findings.size());
        m_batch.push_back(std::move(result));
        if (m_batch.size() >= m_batch_size) {
            return flush();
        }
        return {};
    }

    Expected<void> flush() {
        if (m_batch.empty()) {
            return {};
        }
        DOCKSCAN_TRY(
            m_store.with([&](Store& s) { return s.write_batch(m_scan_id, m_phone_id, m_batch); }));
        m_batch.clear();
        return {};
    }

    [[nodiscard]] std::int64_t findings() const { return m_findings; }

private:
    SharedStore& m_store;
    std::int64_t m_scan_id;
    std::int64_t m_phone_id;
    std::size_t m_batch_size;
    std::vector<ItemResult> m_batch;
    std::int64_t m_findings = 0;
};

// Turns an analysed item into what the store keeps: the keyed hash replaces the full
// number, which is wiped here.
ItemResult finish_item(AnalysedItem analysed, SharedStore& store) {
    if (!analysed.error.empty()) {
        return to_result(analysed.info, ItemOutcome::failed, std::move(analysed.error));
    }
    ItemResult result = to_result(analysed.info, ItemOutcome::scanned);
    for (PendingFinding& pending : analysed.findings) {
        if (!pending.normalized.empty()) {
            pending.finding.match_hash =
                store.with([&](Store& s) { return s.match_hash(pending.normalized); });
            std::fill(pending.normalized.begin(), pending.normalized.end(), '\0');
        }
        pending.finding.content_hash = analysed.content_hash;
        result.findings.push_back(std::move(pending.finding));
    }
    return result;
}

struct PoolTask {
    ItemInfo info;
    docking::ItemContent content;
    std::function<void(AnalysedItem)> done;
};

} // namespace

struct AnalysisPool::Queue {
    // Unbounded by itself: every scan bounds what it has in flight (run_scan below), so
    // the queue holds at most a few items per running scan.
    WorkQueue<PoolTask> tasks{SIZE_MAX};
};

namespace {

class InProcessAnalyser final : public ItemAnalyser {
public:
    explicit InProcessAnalyser(const AnalysisOptions& options)
        : m_options(options), m_images(options.image) {}

    AnalysedItem analyse(const docking::ItemInfo& info,
                         const docking::ItemContent& content) override {
        return agent::analyse(info, content, m_options, m_images);
    }

private:
    AnalysisOptions m_options;
    // Its OCR engine and networks are loaded on first use and are not thread-safe.
    detectors::image::ImageAnalyser m_images;
};

} // namespace

std::unique_ptr<ItemAnalyser> in_process_analyser(const AnalysisOptions& options) {
    return std::make_unique<InProcessAnalyser>(options);
}

AnalysisPool::AnalysisPool(AnalysisOptions options, std::size_t workers, AnalyserFactory analysers)
    : m_options(std::move(options)), m_analysers(std::move(analysers)),
      m_queue(std::make_unique<Queue>()) {
    const std::size_t count =
        workers != 0 ? workers : std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i < count; ++i) {
        m_threads.emplace_back([this] {
            // One per worker, made once on the worker's own thread.
            const std::unique_ptr<ItemAnalyser> analyser =
                m_analysers ? m_analysers() : in_process_analyser(m_options);
            while (auto task = m_queue->tasks.pop()) {
                AnalysedItem analysed = analyser->analyse(task->info, task->content);
                // Hashed here, on the pool, so that the phone's reader never waits for it.
                analysed.content_hash = content_hash(task->content.data);
                task->done(std::move(analysed));
            }
        });
    }
}

AnalysisPool::~AnalysisPool() {
    m_queue->tasks.close();
    for (auto& t : m_threads) {
        t.join();
    }
}

void AnalysisPool::submit(docking::ItemInfo info, docking::ItemContent content,
                          std::function<void(AnalysedItem)> done) {
    (void)m_queue->tasks.push(PoolTask{std::move(info), std::move(content), std::move(done)});
}

Expected<ScanSummary> run_scan(docking::PhoneSource& source, Store& store, std::int64_t phone_id,
                               const ScanOptions& options, std::stop_token stop) {
    SharedStore shared(store);
    AnalysisPool pool(options.analysis, options.workers, options.analysers);
    ScanContext context;
    context.batch_size = options.batch_size;
    context.progress = options.progress;
    return run_scan(source, shared, pool, phone_id, context, std::move(stop));
}

namespace {

// One scan from its start to its recorded end, as named steps: begin → list → record
// what could not be listed → scan the items → conclude → finish. The calling thread reads
// the phone and is the only writer; the pool analyses.
class ScanRun {
public:
    ScanRun(docking::PhoneSource& source, SharedStore& store, AnalysisPool& pool,
            std::int64_t phone_id, const ScanContext& context, std::stop_token stop)
        : m_source(source), m_store(store), m_pool(pool), m_phone_id(phone_id), m_context(context),
          m_stop(std::move(stop)),
          // What this scan may have at the pool at once. The done queue holds all of it,
          // so a worker never blocks on it, whatever the other scans do.
          m_max_in_flight(std::max<std::size_t>(2, pool.workers() * 2)),
          m_done(m_max_in_flight + 1) {}
    ScanRun(const ScanRun&) = delete;
    ScanRun& operator=(const ScanRun&) = delete;

    // The pool's workers hold a reference to m_done until they have handed back every
    // item this scan gave them: a scan that ends early (the store failed) waits for them.
    ~ScanRun() {
        for (; m_in_flight > 0; --m_in_flight) {
            (void)m_done.pop();
        }
    }

    Expected<ScanSummary> run() {
        DOCKSCAN_TRY(begin());
        DOCKSCAN_TRY(load_follow_ups());
        list();
        DOCKSCAN_TRY(record_unlisted());
        DOCKSCAN_TRY(scan_items());
        DOCKSCAN_TRY(m_writer->flush());
        DOCKSCAN_TRY(check_unlisted_removals());
        DOCKSCAN_TRY(m_store.with([&](Store& s) {
            return follow_up::record_sightings(s, m_summary.scan_id, m_sightings);
        }));
        conclude();
        DOCKSCAN_TRY(finish());
        return m_summary;
    }

private:
    // The scan row is committed as running before anything else, so that a crash leaves
    // a trace (the next open marks it partial).
    Expected<void> begin() {
        m_summary.source = m_source.describe().location;
        DOCKSCAN_TRY_ASSIGN(m_summary.scan_id, m_store.with([&](Store& s) {
            return s.begin_scan(m_phone_id, m_summary.source);
        }));
        m_writer.emplace(m_store, m_summary.scan_id, m_phone_id,
                         std::max<std::size_t>(1, m_context.batch_size));
        return {};
    }

    // Lists every item before anything is read, so that listing and reading never
    // interleave inside a source.
    void list() {
        m_listing = m_source.list(m_listed, m_stop);
        for (const ItemInfo& info : m_listed.items) {
            count_listed(m_summary.counts, info.type);
        }
        m_progress.total = static_cast<std::int64_t>(m_listed.items.size());
        report();
    }

    // What the source found but could not list as an item is an error of this scan; a
    // phone source nested in it is named as skipped.
    Expected<void> record_unlisted() {
        for (const docking::ItemProblem& p : m_listed.problems) {
            if (p.code == docking::ErrorCode::nested_source) {
                m_summary.skipped.push_back(SkippedSource{p.ref, p.reason});
                continue;
            }
            ++m_summary.counts.errors;
            const ItemInfo info{ItemType::file, p.ref, 0, 0, p.ref};
            DOCKSCAN_TRY(m_writer->add(to_result(info, ItemOutcome::failed, p.reason)));
        }
        return {};
    }

    // What the supervisor's decisions ask this scan to check: removals not yet checked,
    // and the findings whose content is on the phone as last analysed (kvarstående when
    // they are still there in a later quarter).
    Expected<void> load_follow_ups() {
        DOCKSCAN_TRY_ASSIGN(auto pending, m_store.with([&](Store& s) {
            return follow_up::pending_removals(s, m_phone_id);
        }));
        for (follow_up::PendingRemoval& p : pending) {
            ItemKey key{p.item_type, p.item_ref};
            m_pending[std::move(key)].push_back(std::move(p));
        }
        DOCKSCAN_TRY_ASSIGN(auto current, m_store.with([&](Store& s) {
            return follow_up::current_findings(s, m_phone_id);
        }));
        for (const follow_up::CurrentFinding& f : current) {
            m_current[ItemKey{f.item_type, f.item_ref}].push_back(f.finding_id);
        }
        return {};
    }

    // Unchanged items are skipped, unless a decision asked for them to be removed: those
    // are read again and compared by content. The rest are read here and analysed on the
    // pool.
    Expected<void> scan_items() {
        for (const ItemInfo& info : m_listed.items) {
            if (m_stop.stop_requested()) {
                m_interrupted = true;
                break;
            }
            DOCKSCAN_TRY(collect_finished());
            const ItemKey key{std::string(docking::to_string(info.type)), info.ref};
            const auto pending = m_pending.find(key);
            DOCKSCAN_TRY_ASSIGN(const bool unchanged, is_unchanged(info));
            if (unchanged && pending == m_pending.end()) {
                ++m_summary.counts.unchanged;
                note_sighting(key);
                item_done();
                continue;
            }
            auto content = m_source.read(info);
            if (!content) {
                // Listed but unreadable says nothing about a removal: it is checked at
                // the next docking.
                if (pending != m_pending.end()) {
                    m_pending.erase(pending);
                }
                DOCKSCAN_TRY(record(to_result(info, ItemOutcome::failed, content.error().message)));
                continue;
            }
            if (pending != m_pending.end()) {
                DOCKSCAN_TRY_ASSIGN(const bool still_there, check_removals(info, *content));
                m_pending.erase(pending);
                // The very content a decision asked to remove is still there: nothing new
                // to analyse, the finding is open again for the supervisor.
                if (still_there && unchanged) {
                    ++m_summary.counts.unchanged;
                    note_sighting(key);
                    item_done();
                    continue;
                }
            }
            DOCKSCAN_TRY(wait_for_room());
            ++m_in_flight;
            m_pool.submit(info, std::move(*content),
                          [this](AnalysedItem analysed) { m_done.push(std::move(analysed)); });
        }
        // The workers finish what this scan gave them; the results are written as they come.
        while (m_in_flight > 0) {
            DOCKSCAN_TRY(collect(*m_done.pop()));
        }
        return {};
    }

    // Compares a listed item that a decision asked to remove with what the finding was
    // found in. The same bytes: still there. Other bytes under the same ref: the content
    // that was decided on is gone (verified); the item is analysed again as a changed
    // item, so whatever is in it now becomes a finding of its own. Findings recorded
    // before content hashes were kept compare by size and mtime. Returns whether any was
    // still there.
    Expected<bool> check_removals(const ItemInfo& info, const docking::ItemContent& content) {
        const std::string hash = content_hash(content.data);
        bool any_still_there = false;
        for (const follow_up::PendingRemoval& p :
             m_pending.at(ItemKey{std::string(docking::to_string(info.type)), info.ref})) {
            const bool same = p.content_hash.empty() ? p.size == info.size && p.mtime == info.mtime
                                                     : p.content_hash == hash;
            any_still_there = any_still_there || same;
            DOCKSCAN_TRY(record_check(p, same ? follow_up::CheckResult::still_there
                                              : follow_up::CheckResult::verified));
        }
        return any_still_there;
    }

    // A pending removal whose item this scan did not list is gone, when the scan can
    // tell: the listing ran to its end, and this source is the one that found it or lists
    // items of that type (a folder copy of the photos says nothing about the messages).
    Expected<void> check_unlisted_removals() {
        if (!m_listing || m_interrupted) {
            return {};
        }
        std::set<std::string> listed_types;
        for (const ItemInfo& info : m_listed.items) {
            listed_types.insert(std::string(docking::to_string(info.type)));
        }
        for (const auto& [key, removals] : m_pending) {
            for (const follow_up::PendingRemoval& p : removals) {
                if (p.found_by_source == m_summary.source || listed_types.count(key.first) > 0) {
                    DOCKSCAN_TRY(record_check(p, follow_up::CheckResult::verified));
                }
            }
        }
        return {};
    }

    Expected<void> record_check(const follow_up::PendingRemoval& pending,
                                follow_up::CheckResult result) {
        if (result == follow_up::CheckResult::verified) {
            ++m_summary.removals_verified;
        } else {
            ++m_summary.removals_still_there;
        }
        return m_store.with([&](Store& s) {
            return follow_up::record_check(s, pending, m_summary.scan_id, result);
        });
    }

    // The item's findings, as last analysed, are still on the phone.
    void note_sighting(const ItemKey& key) {
        const auto found = m_current.find(key);
        if (found != m_current.end()) {
            m_sightings.insert(m_sightings.end(), found->second.begin(), found->second.end());
        }
    }

    // Incremental: an item that an earlier scan analysed, with the same size and mtime.
    Expected<bool> is_unchanged(const ItemInfo& info) {
        DOCKSCAN_TRY_ASSIGN(const auto state, m_store.with([&](Store& s) {
            return s.item_state(m_phone_id, docking::to_string(info.type), info.ref);
        }));
        return state && state->outcome == ItemOutcome::scanned && state->size == info.size &&
               state->mtime == info.mtime;
    }

    // Writes whatever the workers have finished; never blocks.
    Expected<void> collect_finished() {
        while (auto analysed = m_done.try_pop()) {
            DOCKSCAN_TRY(collect(std::move(*analysed)));
        }
        return {};
    }

    // Blocks until this scan has room at the pool.
    Expected<void> wait_for_room() {
        while (m_in_flight >= m_max_in_flight) {
            DOCKSCAN_TRY(collect(*m_done.pop()));
        }
        return {};
    }

    Expected<void> collect(AnalysedItem analysed) {
        --m_in_flight;
        cap_findings(analysed);
        return record(finish_item(std::move(analysed), m_store));
    }

    // What is over the caps is counted, and its numbers wiped.
    void cap_findings(AnalysedItem& analysed) {
        m_summary.findings_not_recorded += static_cast<std::int64_t>(analysed.findings_over_cap);
        const auto recorded = static_cast<std::size_t>(m_writer->findings());
        const std::size_t room =
            k_max_findings_per_scan - std::min(recorded, k_max_findings_per_scan);
        if (analysed.findings.size() <= room) {
            return;
        }
        for (std::size_t i = room; i < analysed.findings.size(); ++i) {
            std::string& number = analysed.findings[i].normalized;
            std::fill(number.begin(), number.end(), '\0');
        }
        m_summary.findings_not_recorded +=
            static_cast<std::int64_t>(analysed.findings.size() - room);
        analysed.findings.resize(room);
    }

    Expected<void> record(ItemResult result) {
        if (result.outcome == ItemOutcome::failed) {
            ++m_summary.counts.errors;
        } else {
            ++m_summary.scanned;
        }
        DOCKSCAN_TRY(m_writer->add(std::move(result)));
        item_done();
        return {};
    }

    void item_done() {
        ++m_progress.done;
        report();
    }

    void report() {
        if (m_context.progress) {
            m_context.progress(m_progress);
        }
    }

    // The scan's status and the reason a person reads when it is not complete.
    void conclude() {
        m_summary.findings = m_writer->findings();
        std::string skipped;
        for (const SkippedSource& source : m_summary.skipped) {
            skipped += (skipped.empty() ? "" : "; ") + source.reason;
        }
        if (!m_listing && m_listed.items.empty()) {
            m_summary.status = ScanStatus::failed;
            m_summary.reason = m_listing.error().message;
        } else if (m_listing && m_listed.items.empty() && m_summary.counts.errors == 0) {
            // Nothing read is not a clean phone.
            m_summary.status = ScanStatus::empty;
            m_summary.reason = skipped.empty() ? "the source listed nothing to scan" : skipped;
        } else if (!m_listing) {
            m_summary.status = ScanStatus::partial;
            m_summary.reason = "listing stopped early: " + m_listing.error().message;
        } else if (m_interrupted) {
            m_summary.status = ScanStatus::partial;
            m_summary.reason = "interrupted before every item was scanned";
        } else if (m_summary.counts.errors > 0) {
            m_summary.status = ScanStatus::partial;
            m_summary.reason = std::to_string(m_summary.counts.errors) +
                               (m_summary.counts.errors == 1 ? " item" : " items") +
                               " could not be read or analysed";
        } else if (!skipped.empty()) {
            m_summary.status = ScanStatus::partial;
            m_summary.reason = skipped;
        } else {
            m_summary.status = ScanStatus::complete;
        }
        if (m_summary.findings_not_recorded > 0) {
            const std::string capped = std::to_string(m_summary.findings_not_recorded) +
                                       " more findings were not recorded (at most " +
                                       std::to_string(k_max_findings_per_item) + " per item and " +
                                       std::to_string(k_max_findings_per_scan) + " per scan)";
            m_summary.reason = m_summary.reason.empty() ? capped : m_summary.reason + "; " + capped;
        }
    }

    Expected<void> finish() {
        spdlog::info(
            "scan {} of {}: {} ({} listed, {} scanned, {} unchanged, {} errors, {} findings)",
            m_summary.scan_id, m_summary.source, to_string(m_summary.status), m_listed.items.size(),
            m_summary.scanned, m_summary.counts.unchanged, m_summary.counts.errors,
            m_summary.findings);
        return m_store.with([&](Store& s) {
            return s.finish_scan(m_summary.scan_id, m_summary.status, m_summary.reason,
                                 m_summary.counts);
        });
    }

    docking::PhoneSource& m_source;
    SharedStore& m_store;
    AnalysisPool& m_pool;
    std::int64_t m_phone_id;
    const ScanContext& m_context;
    std::stop_token m_stop;
    const std::size_t m_max_in_flight;
    WorkQueue<AnalysedItem> m_done;
    std::size_t m_in_flight = 0;
    std::optional<Writer> m_writer;
    ScanSummary m_summary;
    docking::CollectedItems m_listed;
    docking::Expected<void> m_listing;
    ScanProgress m_progress;
    bool m_interrupted = false;
    std::map<ItemKey, std::vector<follow_up::PendingRemoval>> m_pending;
    std::map<ItemKey, std::vector<std::int64_t>> m_current;
    std::vector<std::int64_t> m_sightings;
};

} // namespace

Expected<ScanSummary> run_scan(docking::PhoneSource& source, SharedStore& store, AnalysisPool& pool,
                               std::int64_t phone_id, const ScanContext& context,
                               std::stop_token stop) {
    ScanRun scan(source, store, pool, phone_id, context, std::move(stop));
    return scan.run();
}

} // namespace dockscan::agent
