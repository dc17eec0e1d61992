#pragma once

// One scan of one phone: list the items, skip what an earlier scan saw unchanged,
// read the rest (this thread: the phone is the bottleneck), analyse them on a
// worker pool, and write results to the store in batched transactions.

#include "agent/scan/analysis.hpp"
#include "agent/store/store.hpp"
#include "docking/phone_source.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace dockscan::agent {

// How far a scan is: items dealt with (scanned, unchanged or failed) of those listed.
struct ScanProgress {
    std::int64_t done = 0;
    std::int64_t total = 0;
};

// Where one worker of the pool analyses its items: in this process, or in a sandboxed
// worker process of its own (agent/sandbox). Made by the pool's worker thread that uses it,
// and used by that thread only.
class ItemAnalyser {
public:
    virtual ~ItemAnalyser() = default;
    // The item's findings, or its error; never throws, whatever the content.
    [[nodiscard]] virtual AnalysedItem analyse(const docking::ItemInfo& info,
                                               const docking::ItemContent& content) = 0;
};

// Makes one worker's analyser; empty: in this process, with the pool's options.
using AnalyserFactory = std::function<std::unique_ptr<ItemAnalyser>()>;

// The detectors in this process (`dockscan inspect`, tests, and the sandbox turned off).
[[nodiscard]] std::unique_ptr<ItemAnalyser> in_process_analyser(const AnalysisOptions& options);

struct ScanOptions {
    AnalysisOptions analysis;
    // Where the workers analyse (agent/sandbox in `dockscan scan`); empty: in this process.
    AnalyserFactory analysers;
    std::size_t workers = 0;      // 0: one per core
    std::size_t batch_size = 200; // items per store transaction
    // Called on the scan's thread after the listing and after every item (a progress
    // line on a terminal); may be empty.
    std::function<void(const ScanProgress&)> progress;
};

// Findings one scan records: a phone full of numbers is a handful of items to act on,
// and a store or a review page that grows without bound helps no one.
inline constexpr std::size_t k_max_findings_per_scan = 5000;

// A phone source inside the one scanned that the scan did not read (an iOS backup in a
// sub-folder, an .ab archive in an acquisition folder): named, so that an empty result
// is not taken for a clean phone.
struct SkippedSource {
    std::string ref;
    std::string reason;
};

struct ScanSummary {
    std::int64_t scan_id = 0;
    std::string source;
    ScanStatus status = ScanStatus::failed;
    std::string reason;
    ItemCounts counts;
    std::int64_t scanned = 0; // items analysed in this scan (not unchanged, not failed)
    std::int64_t findings = 0;
    std::int64_t findings_not_recorded = 0; // over the caps per item and per scan
    // Decisions that asked for a removal, checked by this scan: gone, or still there
    // (those findings are open again).
    std::int64_t removals_verified = 0;
    std::int64_t removals_still_there = 0;
    std::vector<SkippedSource> skipped;
};

// One store connection shared by the threads of a process (the daemon's sessions):
// every use holds its lock, so the connection is used by one thread at a time.
class SharedStore {
public:
    explicit SharedStore(Store& store) : m_store(store) {}

    // Runs `use(store)` under the lock and returns what it returns.
    template <typename F>
    decltype(auto) with(F&& use) {
        std::lock_guard lock(m_mutex);
        return use(m_store);
    }

private:
    Store& m_store;
    std::mutex m_mutex;
};

// The CPU-bound workers, shared by every scan that runs at the same time: each worker
// keeps its own analyser (in this process: OCR engine, face and person networks; or a
// sandboxed worker process that holds them). Stops its workers when destroyed, after the
// tasks already given.
class AnalysisPool {
public:
    AnalysisPool(AnalysisOptions options, std::size_t workers, AnalyserFactory analysers = {});
    AnalysisPool(const AnalysisPool&) = delete;
    AnalysisPool& operator=(const AnalysisPool&) = delete;
    ~AnalysisPool();

    [[nodiscard]] std::size_t workers() const { return m_threads.size(); }
    [[nodiscard]] const AnalysisOptions& options() const { return m_options; }

    // Analyses an item on a worker and hands the result to `done` (run on the worker).
    void submit(docking::ItemInfo info, docking::ItemContent content,
                std::function<void(AnalysedItem)> done);

private:
    struct Queue;
    AnalysisOptions m_options;
    AnalyserFactory m_analysers;
    std::unique_ptr<Queue> m_queue;
    std::vector<std::jthread> m_threads;
};

struct ScanContext {
    std::size_t batch_size = 200;
    // Called on the scan's thread after the listing and after every item.
    std::function<void(const ScanProgress&)> progress;
};

// Scans `source` into `store` as a scan of phone `phone_id`. The scan is recorded
// whatever happens: an error is returned only when the store itself fails.
[[nodiscard]] Expected<ScanSummary> run_scan(docking::PhoneSource& source, Store& store,
                                             std::int64_t phone_id, const ScanOptions& options,
                                             std::stop_token stop);

// The same with a store and a worker pool shared with other scans (the daemon): this
// thread reads the phone and writes the results; the pool analyses.
[[nodiscard]] Expected<ScanSummary> run_scan(docking::PhoneSource& source, SharedStore& store,
                                             AnalysisPool& pool, std::int64_t phone_id,
                                             const ScanContext& context, std::stop_token stop);

} // namespace dockscan::agent
