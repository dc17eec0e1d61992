#include "agent/daemon/leds.hpp"

#include "base/owned.hpp"

#include <cerrno>
#include <cstring>
#include <gpiod.h>

// The one translation unit that includes libgpiod.

namespace dockscan::agent::daemon {
namespace {

// An LED is switched off before its line is given back.
void switch_off_and_release(gpiod_line* line) {
    (void)gpiod_line_set_value(line, 0);
    gpiod_line_release(line);
}

using Line = base::Owned<gpiod_line, switch_off_and_release>;

} // namespace

struct Leds::Impl {
    base::Owned<gpiod_chip, gpiod_chip_close> chip;
    struct SlotLines {
        Line busy;
        Line attention;
    };
    // Declared after the chip: released before it is closed.
    std::map<int, SlotLines> lines;
};

Leds::Leds(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Leds::~Leds() = default;

Expected<std::unique_ptr<Leds>> Leds::open(const std::string& chip,
                                           const std::map<int, LedPins>& pins) {
    auto impl = std::make_unique<Impl>();
    impl->chip.reset(gpiod_chip_open_lookup(chip.c_str()));
    if (!impl->chip) {
        return fail(ErrorCode::config,
                    "cannot open GPIO chip " + chip + ": " + std::strerror(errno));
    }
    auto request = [&](int pin) -> Expected<Line> {
        if (pin < 0) {
            return Line();
        }
        gpiod_line* line = gpiod_chip_get_line(impl->chip.get(), static_cast<unsigned>(pin));
        if (line == nullptr || gpiod_line_request_output(line, "dockscan", 0) != 0) {
            return fail(ErrorCode::config, "cannot use GPIO line " + std::to_string(pin) + " of " +
                                               chip + ": " + std::strerror(errno));
        }
        return Line(line);
    };
    for (const auto& [slot, p] : pins) {
        DOCKSCAN_TRY_ASSIGN(Line busy, request(p.busy));
        DOCKSCAN_TRY_ASSIGN(Line attention, request(p.attention));
        impl->lines[slot] = Impl::SlotLines{std::move(busy), std::move(attention)};
    }
    return std::unique_ptr<Leds>(new Leds(std::move(impl)));
}

void Leds::show(const std::vector<SlotStatus>& slots) {
    for (const SlotStatus& s : slots) {
        auto it = m_impl->lines.find(s.slot);
        if (it == m_impl->lines.end()) {
            continue;
        }
        const bool busy = s.state == SlotState::identifying || s.state == SlotState::waiting ||
                          s.state == SlotState::scanning;
        const bool attention = s.state == SlotState::waiting || s.state == SlotState::failed ||
                               s.state == SlotState::partial || s.state == SlotState::unknown_phone;
        if (it->second.busy) {
            (void)gpiod_line_set_value(it->second.busy.get(), busy ? 1 : 0);
        }
        if (it->second.attention) {
            (void)gpiod_line_set_value(it->second.attention.get(), attention ? 1 : 0);
        }
    }
}

} // namespace dockscan::agent::daemon
