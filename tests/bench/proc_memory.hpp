#pragma once

// What the benchmarks read of a process's memory from /proc.

#include <fstream>
#include <string>
#include <utility>

namespace dockscan::bench {

// The RSS and PSS (kB) of process `pid` ("self" for this one), 0 when it is gone.
inline std::pair<long, long> rss_pss_kb(const std::string& pid) {
    std::ifstream in("/proc/" + pid + "/smaps_rollup");
    std::string word;
    long rss = 0;
    long pss = 0;
    while (in >> word) {
        if (word == "Rss:") {
            in >> rss;
        } else if (word == "Pss:") {
            in >> pss;
        }
    }
    return {rss, pss};
}

} // namespace dockscan::bench
