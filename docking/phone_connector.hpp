#pragma once

// From a docked phone to a PhoneSource: what the daemon asks of a backend (ADB over
// USB or TCP, iPhones through usbmuxd). A connection may have to wait for the person at
// the dock (allow USB debugging, trust this computer, enter the passcode); the backend
// says so through ConnectProgress, and the daemon shows it on the slot.

#include "docking/dock_events.hpp"
#include "docking/phone_source.hpp"

#include <memory>
#include <stop_token>

namespace dockscan::docking {

// What the phone waits for from the person at the dock.
enum class PhoneWait {
    allow_usb_debugging, // Android: "Allow USB debugging from this computer?"
    trust_computer,      // iPhone: "Trust this computer?"
    enter_passcode,      // iPhone: the passcode before a backup (iOS 16.1 and later)
    confirm_backup,      // Android: confirm `bu backup` on the phone
};

// Told what the phone is waiting for, from the connector and later from the source
// (an iPhone asks for its passcode when the backup starts, during list()). Must outlive
// the source the connector returns; called from the session's own thread.
class ConnectProgress {
public:
    virtual ~ConnectProgress() = default;
    virtual void waiting(PhoneWait what) = 0;
    virtual void resumed() = 0; // the person answered; the session goes on
};

class PhoneConnector {
public:
    virtual ~PhoneConnector() = default;

    // Connects to the phone `event` announced and returns it as a source. Refusals and
    // timeouts are errors with ErrorCode::not_authorised / timed_out / device_locked and
    // a reason a person can act on.
    [[nodiscard]] virtual Expected<std::unique_ptr<PhoneSource>>
    connect(const DockEvent& event, ConnectProgress& progress, std::stop_token stop) = 0;
};

} // namespace dockscan::docking
