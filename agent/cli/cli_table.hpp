#pragma once

// Aligned columns for the human-readable listings (`units list`, `phones list`,
// `users list`). Widths count characters, not bytes: names are Swedish.

#include "base/text.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace dockscan::agent {

// Prints rows with every column but the last padded to its widest cell. Cells are shown
// so that what came from a phone (a serial, a device name) cannot drive the terminal.
inline void print_table(std::vector<std::vector<std::string>> rows) {
    for (auto& row : rows) {
        for (auto& cell : row) {
            cell = base::printable(cell);
        }
    }
    const auto chars = [](const std::string& text) {
        return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
        }));
    };
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], chars(row[i]));
        }
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line += std::string(widths[i] - chars(row[i]) + 2, ' ');
            }
        }
        line.erase(line.find_last_not_of(' ') + 1);
        std::printf("%s\n", line.c_str());
    }
}

} // namespace dockscan::agent
