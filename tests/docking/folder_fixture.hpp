#pragma once

// Helpers shared by the suites that list folders.

#include "docking/folder_source.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking::test {

inline constexpr std::uint64_t k_two_gib = 2ull << 30;

// Keeps everything a listing reports.
struct Recorder final : ItemSink {
    void item(const ItemInfo& info) override { items.push_back(info); }
    void problem(const ItemProblem& problem) override { problems.push_back(problem); }

    [[nodiscard]] std::vector<std::string> refs() const {
        std::vector<std::string> out;
        for (const ItemInfo& info : items) {
            out.push_back(info.ref);
        }
        return out;
    }
    [[nodiscard]] const ItemInfo* find(std::string_view ref) const {
        for (const ItemInfo& info : items) {
            if (info.ref == ref) {
                return &info;
            }
        }
        return nullptr;
    }
    [[nodiscard]] const ItemProblem* problem_of(std::string_view ref) const {
        for (const ItemProblem& p : problems) {
            if (p.ref == ref) {
                return &p;
            }
        }
        return nullptr;
    }

    std::vector<ItemInfo> items;
    std::vector<ItemProblem> problems;
};

inline std::unique_ptr<FolderSource> open_source(const std::filesystem::path& root,
                                                 FolderLimits limits = {}) {
    auto source = FolderSource::open(root, limits);
    REQUIRE(source);
    return std::move(*source);
}

inline Recorder list_all(FolderSource& source) {
    Recorder recorder;
    const auto listed = source.list(recorder, std::stop_token{});
    REQUIRE(listed);
    return recorder;
}

// A file of `size` bytes that is all hole: a 2 GiB file costs no disk.
inline void make_sparse(const std::filesystem::path& path, std::uint64_t size) {
    testing::write_file(path, "");
    std::filesystem::resize_file(path, size); // truncate(2): a hole, no disk used
}

// Labels are Swedish time whatever the zone; the tests run in UTC to show it.
inline void use_utc() {
    setenv("TZ", "UTC0", 1);
    tzset();
}

} // namespace dockscan::docking::test
