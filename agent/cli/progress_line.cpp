#include "agent/cli/progress_line.hpp"

#include <cmath>
#include <unistd.h>
#include <utility>

namespace dockscan::agent {
namespace {

// Redrawing more often than this only costs the terminal.
constexpr auto k_interval = std::chrono::milliseconds(250);

std::string duration_text(double seconds) {
    const auto s = static_cast<std::int64_t>(std::lround(seconds));
    if (s < 60) {
        return std::to_string(s) + " s";
    }
    const std::int64_t m = s / 60;
    if (m < 60) {
        return std::to_string(m) + " min " + std::to_string(s % 60) + " s";
    }
    return std::to_string(m / 60) + " h " + std::to_string(m % 60) + " min";
}

} // namespace

std::string progress_text(std::int64_t done, std::int64_t total,
                          std::chrono::duration<double> elapsed, const std::string& noun) {
    if (total <= 0) {
        return "listing the phone…";
    }
    std::string text = std::to_string(done) + " of " + std::to_string(total) + " " + noun;
    const double seconds = elapsed.count();
    if (done > 0 && seconds > 0) {
        const double rate = static_cast<double>(done) / seconds;
        char rate_text[32];
        std::snprintf(rate_text, sizeof(rate_text), "%.1f", rate);
        text += std::string(", ") + rate_text + " " + noun + "/s";
        if (done < total) {
            text += ", about " + duration_text(static_cast<double>(total - done) / rate) + " left";
        }
    }
    return text;
}

ProgressLine::ProgressLine(std::FILE* out, std::string noun)
    : m_out(out), m_noun(std::move(noun)), m_terminal(isatty(fileno(out)) == 1) {}

ProgressLine::~ProgressLine() {
    finish();
}

void ProgressLine::update(std::int64_t done, std::int64_t total) {
    if (!m_terminal) {
        return;
    }
    const auto now = Clock::now();
    if (m_drawn && done < total && now - m_last < k_interval) {
        return;
    }
    m_last = now;
    // \r and "erase to the end of the line": the line is rewritten in place.
    std::fprintf(m_out, "\r\033[K%s", progress_text(done, total, now - m_start, m_noun).c_str());
    std::fflush(m_out);
    m_drawn = true;
}

void ProgressLine::finish() {
    if (m_terminal && m_drawn) {
        std::fprintf(m_out, "\r\033[K");
        std::fflush(m_out);
        m_drawn = false;
    }
}

} // namespace dockscan::agent
