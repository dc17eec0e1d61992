#include "agent/scan_pipeline.hpp"

#include "agent/work_queue.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <spdlog/spdlog.h>
#include <thread>
#include <utility>
#include <vector>

namespace dockscan::agent {
namespace {

using docking::ItemInfo;
using docking::ItemType;

struct Job {
    ItemInfo info;
    docking::ItemContent content;
};

// Collects what the source lists before anything is read, so that listing and
// reading never interleave inside a source.
class Collector final : public docking::ItemSink {
public:
    void item(const ItemInfo& info) override { items.push_back(info); }
    void problem(const docking::ItemProblem& p) override { problems.push_back(p); }

    std::vector<ItemInfo> items;
    std::vector<docking::ItemProblem> problems;
};

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

// Every listed type has detectors: text for messages, contacts and notes, the image
// detectors for photos and attachments.
bool is_analysed(ItemType type) {
    return type == ItemType::message || type == ItemType::contact || type == ItemType::file ||
           type == ItemType::photo || type == ItemType::attachment;
}

ItemResult to_result(const ItemInfo& info, std::string outcome) {
    ItemResult r;
    r.type = std::string(docking::to_string(info.type));
    r.ref = info.ref;
    r.label = info.label;
    r.size = info.size;
    r.mtime = info.mtime;
    r.outcome = std::move(outcome);
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
ItemResult finish(AnalysedItem analysed, SharedStore& store) {
    if (!analysed.error.empty()) {
        return to_result(analysed.info, "error: " + analysed.error);
    }
    ItemResult result = to_result(analysed.info, "scanned");
    for (PendingFinding& pending : analysed.findings) {
        if (!pending.normalized.empty()) {
            pending.finding.match_hash =
                store.with([&](Store& s) { return s.match_hash(pending.normalized); });
            std::fill(pending.normalized.begin(), pending.normalized.end(), '\0');
        }
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

AnalysisPool::AnalysisPool(AnalysisOptions options, std::size_t workers)
    : m_options(std::move(options)), m_queue(std::make_unique<Queue>()) {
    const std::size_t count =
        workers != 0 ? workers : std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i < count; ++i) {
        m_threads.emplace_back([this] {
            // One per worker, made once: its OCR engine and face cascade are loaded on
            // first use and are not thread-safe.
            detectors::image::ImageAnalyser images(m_options.image);
            while (auto task = m_queue->tasks.pop()) {
                task->done(analyse(task->info, task->content, m_options, images));
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
    AnalysisPool pool(options.analysis, options.workers);
    ScanContext context;
    context.batch_size = options.batch_size;
    return run_scan(source, shared, pool, phone_id, context, std::move(stop));
}

Expected<ScanSummary> run_scan(docking::PhoneSource& source, SharedStore& store, AnalysisPool& pool,
                               std::int64_t phone_id, const ScanContext& context,
                               std::stop_token stop) {
    ScanSummary summary;
    summary.source = source.describe().location;
    DOCKSCAN_TRY_ASSIGN(summary.scan_id, store.with([&](Store& s) {
        return s.begin_scan(phone_id, summary.source);
    }));
    Writer writer(store, summary.scan_id, phone_id, std::max<std::size_t>(1, context.batch_size));

    Collector listed;
    auto listing = source.list(listed, stop);
    for (const ItemInfo& info : listed.items) {
        count_listed(summary.counts, info.type);
    }
    ScanProgress progress{0, static_cast<std::int64_t>(listed.items.size())};
    auto report = [&] {
        if (context.progress) {
            context.progress(progress);
        }
    };
    report();
    for (const docking::ItemProblem& p : listed.problems) {
        ++summary.counts.errors;
        ItemInfo info{ItemType::file, p.ref, 0, 0, p.ref};
        DOCKSCAN_TRY(writer.add(to_result(info, "error: " + p.reason)));
    }

    // What this scan may have at the pool at once. The done queue holds all of it, so a
    // worker never blocks on it, whatever the other scans do.
    const std::size_t max_in_flight = std::max<std::size_t>(2, pool.workers() * 2);
    WorkQueue<AnalysedItem> done(max_in_flight + 1);
    std::size_t in_flight = 0;

    Expected<void> store_result;
    auto write_analysed = [&](AnalysedItem analysed) {
        --in_flight;
        ++progress.done;
        if (!store_result) {
            return; // the store failed: nothing more can be recorded
        }
        if (!analysed.error.empty()) {
            ++summary.counts.errors;
        } else {
            ++summary.scanned;
        }
        store_result = writer.add(finish(std::move(analysed), store));
        report();
    };
    // Writes whatever the workers have finished; never blocks.
    auto drain = [&] {
        while (auto analysed = done.try_pop()) {
            write_analysed(std::move(*analysed));
        }
    };

    bool interrupted = false;
    for (const ItemInfo& info : listed.items) {
        if (stop.stop_requested()) {
            interrupted = true;
            break;
        }
        drain();
        if (!store_result) {
            break;
        }
        auto state = store.with([&](Store& s) {
            return s.item_state(phone_id, docking::to_string(info.type), info.ref);
        });
        if (!state) {
            store_result = tl::unexpected(state.error());
            break;
        }
        if (*state && (*state)->outcome == "scanned" && (*state)->size == info.size &&
            (*state)->mtime == info.mtime) {
            ++summary.counts.unchanged;
            ++progress.done;
            report();
            continue;
        }
        if (!is_analysed(info.type)) {
            store_result = writer.add(to_result(info, "listed"));
            ++progress.done;
            if (!store_result) {
                break;
            }
            continue;
        }
        auto content = source.read(info);
        if (!content) {
            ++summary.counts.errors;
            ++progress.done;
            store_result = writer.add(to_result(info, "error: " + content.error().message));
            if (!store_result) {
                break;
            }
            report();
            continue;
        }
        while (in_flight >= max_in_flight) {
            auto analysed = done.pop();
            write_analysed(std::move(*analysed));
        }
        ++in_flight;
        pool.submit(info, std::move(*content),
                    [&done](AnalysedItem analysed) { done.push(std::move(analysed)); });
    }
    // The workers finish what this scan gave them; the results are written as they come.
    while (in_flight > 0) {
        auto analysed = done.pop();
        write_analysed(std::move(*analysed));
    }
    DOCKSCAN_TRY(store_result);
    DOCKSCAN_TRY(writer.flush());
    summary.findings = writer.findings();

    if (!listing && listed.items.empty()) {
        summary.status = ScanStatus::failed;
        summary.reason = listing.error().message;
    } else if (!listing) {
        summary.status = ScanStatus::partial;
        summary.reason = "listing stopped early: " + listing.error().message;
    } else if (interrupted) {
        summary.status = ScanStatus::partial;
        summary.reason = "interrupted before every item was scanned";
    } else if (summary.counts.errors > 0) {
        summary.status = ScanStatus::partial;
        summary.reason = std::to_string(summary.counts.errors) +
                         (summary.counts.errors == 1 ? " item" : " items") +
                         " could not be read or analysed";
    } else {
        summary.status = ScanStatus::complete;
    }
    spdlog::info("scan {} of {}: {} ({} listed, {} scanned, {} unchanged, {} errors, {} findings)",
                 summary.scan_id, summary.source, to_string(summary.status), listed.items.size(),
                 summary.scanned, summary.counts.unchanged, summary.counts.errors,
                 summary.findings);
    DOCKSCAN_TRY(store.with([&](Store& s) {
        return s.finish_scan(summary.scan_id, summary.status, summary.reason, summary.counts);
    }));
    return summary;
}

} // namespace dockscan::agent
