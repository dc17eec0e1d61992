#pragma once

// The slots' LEDs on GPIO lines (libgpiod 1.6): per slot a "busy" LED (scanning or
// waiting for the phone) and an "attention" LED (the person must act on the phone, or
// the docking failed or was interrupted). The pin map comes from the config.

#include "agent/daemon/config.hpp"
#include "agent/daemon/slot_status.hpp"

#include <map>
#include <memory>
#include <string>

namespace dockscan::agent::daemon {

class Leds {
public:
    // Requests the configured lines of `chip` as outputs, all off.
    [[nodiscard]] static Expected<std::unique_ptr<Leds>> open(const std::string& chip,
                                                              const std::map<int, LedPins>& pins);
    Leds(const Leds&) = delete;
    Leds& operator=(const Leds&) = delete;
    ~Leds(); // all off, lines released

    // Shows the slots' states; slots without LEDs are skipped.
    void show(const std::vector<SlotStatus>& slots);

private:
    struct Impl;
    explicit Leds(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace dockscan::agent::daemon
