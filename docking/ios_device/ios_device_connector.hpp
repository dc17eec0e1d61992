#pragma once

// iPhones on the dock through usbmuxd and lockdownd (libimobiledevice).
//
// connect() finds the phone of a DockEvent of kind iphone (endpoint "usbmux:UDID", or
// its USB serial), checks that it trusts the station (pairing records are kept by
// usbmuxd, so a phone paired once is known at the next docking), and returns it as an
// IosDeviceSource. A phone that does not trust the station yet is asked to pair: while
// it shows "Trust this computer?" the slot says so (PhoneWait::trust_computer) and the
// connector asks again about every second, until the person answers or the configured
// time passes (timed_out). "Don't Trust" is not_authorised. Pairing is validated on
// every docking: a phone whose trust was removed is paired again.

#include "docking/ios_device/ios_device_options.hpp"
#include "docking/phone_connector.hpp"

#include <memory>
#include <stop_token>

namespace dockscan::docking::ios_device {

class IosDeviceConnector final : public PhoneConnector {
public:
    explicit IosDeviceConnector(IosConnectorOptions options) : m_options(std::move(options)) {}

    [[nodiscard]] Expected<std::unique_ptr<PhoneSource>>
    connect(const DockEvent& event, ConnectProgress& progress, std::stop_token stop) override;

private:
    IosConnectorOptions m_options;
};

// The connector the daemon puts into its table for PhoneKind::iphone.
[[nodiscard]] std::unique_ptr<PhoneConnector>
ios_device_connector(IosConnectorOptions options = {});

} // namespace dockscan::docking::ios_device
