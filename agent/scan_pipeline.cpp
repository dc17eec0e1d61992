#include "agent/scan_pipeline.hpp"

#include <algorithm>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "agent/work_queue.hpp"

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
    case ItemType::message: ++counts.messages; break;
    case ItemType::photo: ++counts.photos; break;
    case ItemType::contact: ++counts.contacts; break;
    case ItemType::file: ++counts.files; break;
    case ItemType::attachment: ++counts.attachments; break;
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

// Owns the store for the scan's duration: only this thread writes.
class Writer {
public:
    Writer(Store& store, std::int64_t scan_id, std::int64_t phone_id, std::size_t batch_size)
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
        DOCKSCAN_TRY(m_store.write_batch(m_scan_id, m_phone_id, m_batch));
        m_batch.clear();
        return {};
    }

    Store& store() { return m_store; }
    [[nodiscard]] std::int64_t findings() const { return m_findings; }

private:
    Store& m_store;
    std::int64_t m_scan_id;
    std::int64_t m_phone_id;
    std::size_t m_batch_size;
    std::vector<ItemResult> m_batch;
    std::int64_t m_findings = 0;
};

// Turns an analysed item into what the store keeps: the keyed hash replaces the full
// number, which is wiped here.
ItemResult finish(AnalysedItem analysed, const Store& store) {
    if (!analysed.error.empty()) {
        return to_result(analysed.info, "error: " + analysed.error);
    }
    ItemResult result = to_result(analysed.info, "scanned");
    for (PendingFinding& pending : analysed.findings) {
        if (!pending.normalized.empty()) {
            pending.finding.match_hash = store.match_hash(pending.normalized);
            std::fill(pending.normalized.begin(), pending.normalized.end(), '\0');
        }
        result.findings.push_back(std::move(pending.finding));
    }
    return result;
}

} // namespace

Expected<ScanSummary> run_scan(docking::PhoneSource& source, Store& store, std::int64_t phone_id,
                               const ScanOptions& options, std::stop_token stop) {
    ScanSummary summary;
    summary.source = source.describe().location;
    DOCKSCAN_TRY_ASSIGN(summary.scan_id, store.begin_scan(phone_id, summary.source));
    Writer writer(store, summary.scan_id, phone_id, std::max<std::size_t>(1, options.batch_size));

    Collector listed;
    auto listing = source.list(listed, stop);
    for (const ItemInfo& info : listed.items) {
        count_listed(summary.counts, info.type);
    }
    for (const docking::ItemProblem& p : listed.problems) {
        ++summary.counts.errors;
        ItemInfo info{ItemType::file, p.ref, 0, 0, p.ref};
        DOCKSCAN_TRY(writer.add(to_result(info, "error: " + p.reason)));
    }

    const std::size_t workers =
        options.workers != 0 ? options.workers
                             : std::max(1u, std::thread::hardware_concurrency());
    WorkQueue<Job> jobs(workers * 2);
    WorkQueue<AnalysedItem> done(workers * 4 + 16);
    std::vector<std::jthread> pool;
    for (std::size_t i = 0; i < workers; ++i) {
        pool.emplace_back([&] {
            // One per worker, made once: its OCR engine and face cascade are loaded on
            // first use and are not thread-safe.
            detectors::image::ImageAnalyser images(options.analysis.image);
            while (auto job = jobs.pop()) {
                done.push(analyse(job->info, job->content, options.analysis, images));
            }
        });
    }

    // Writes whatever the workers have finished; never blocks.
    auto drain = [&]() -> Expected<void> {
        while (auto analysed = done.try_pop()) {
            if (!analysed->error.empty()) {
                ++summary.counts.errors;
            } else {
                ++summary.scanned;
            }
            DOCKSCAN_TRY(writer.add(finish(std::move(*analysed), store)));
        }
        return {};
    };

    bool interrupted = false;
    Expected<void> store_result;
    for (const ItemInfo& info : listed.items) {
        if (stop.stop_requested()) {
            interrupted = true;
            break;
        }
        store_result = drain();
        if (!store_result) {
            break;
        }
        auto state = store.item_state(phone_id, docking::to_string(info.type), info.ref);
        if (!state) {
            store_result = tl::unexpected(state.error());
            break;
        }
        if (*state && (*state)->outcome == "scanned" && (*state)->size == info.size &&
            (*state)->mtime == info.mtime) {
            ++summary.counts.unchanged;
            continue;
        }
        if (!is_analysed(info.type)) {
            store_result = writer.add(to_result(info, "listed"));
            if (!store_result) {
                break;
            }
            continue;
        }
        auto content = source.read(info);
        if (!content) {
            ++summary.counts.errors;
            store_result = writer.add(to_result(info, "error: " + content.error().message));
            if (!store_result) {
                break;
            }
            continue;
        }
        // The done queue holds more than the jobs and workers together, and it was
        // drained above: the workers never block on it, so this push always ends.
        jobs.push(Job{info, std::move(*content)});
    }
    jobs.close();
    // Workers finish what they have; the results are written as they come.
    std::thread closer([&] {
        for (auto& t : pool) {
            t.join();
        }
        done.close();
    });
    while (auto analysed = done.pop()) {
        if (!store_result) {
            continue; // the store failed: nothing more can be recorded
        }
        if (!analysed->error.empty()) {
            ++summary.counts.errors;
        } else {
            ++summary.scanned;
        }
        store_result = writer.add(finish(std::move(*analysed), store));
    }
    closer.join();
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
                 summary.scan_id, summary.source, to_string(summary.status),
                 listed.items.size(), summary.scanned, summary.counts.unchanged,
                 summary.counts.errors, summary.findings);
    DOCKSCAN_TRY(store.finish_scan(summary.scan_id, summary.status, summary.reason, summary.counts));
    return summary;
}

} // namespace dockscan::agent
