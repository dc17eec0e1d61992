#pragma once

// A progress line for long work on a terminal, as apt and rsync show one: rewritten in
// place on stderr, at most a few times a second, cleared at the end. Nothing at all
// when stderr is not a terminal (a service's journal, a pipe, a test).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace dockscan::agent {

// "120 of 300 items, 14.2 items/s, about 13 s left" (the rate and time left once an
// item is done); "listing the phone…" before the listing is known. `noun` names what
// is counted ("findings" for a purge).
[[nodiscard]] std::string progress_text(std::int64_t done, std::int64_t total,
                                        std::chrono::duration<double> elapsed,
                                        const std::string& noun = "items");

class ProgressLine {
public:
    // Shows the line only when `out` is a terminal.
    explicit ProgressLine(std::FILE* out, std::string noun = "items");
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    [[nodiscard]] bool shown() const { return m_terminal; }

    void update(std::int64_t done, std::int64_t total);
    // Clears the line so that what follows starts on a clean one.
    void finish();

private:
    using Clock = std::chrono::steady_clock;
    std::FILE* m_out;
    std::string m_noun;
    bool m_terminal;
    bool m_drawn = false;
    Clock::time_point m_start = Clock::now();
    Clock::time_point m_last{};
};

} // namespace dockscan::agent
