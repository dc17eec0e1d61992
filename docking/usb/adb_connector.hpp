#pragma once

// Android phones for the daemon: opens the phone's ADB transport ("tcp:HOST:PORT" for a
// simulated phone or adbd over the network, "usb:BUS-PORTS" for a docked phone, through
// docking/usb), authenticates with the station's key and returns it as an AdbSource.
// While the phone asks its holder to allow USB debugging, the slot says so.

#include "docking/adb/adb_source.hpp"
#include "docking/phone_connector.hpp"

#include <chrono>
#include <filesystem>
#include <memory>

namespace dockscan::docking::usb {

struct AdbConnectorOptions {
    std::chrono::milliseconds authorise_timeout = std::chrono::seconds(60);
    std::chrono::milliseconds transfer_timeout = std::chrono::seconds(30);
    std::filesystem::path key_file = docking::adb::default_station_key_path();
};

class AdbConnector final : public docking::PhoneConnector {
public:
    // Makes sure the station's key exists, so that concurrent sessions only read it.
    [[nodiscard]] static docking::Expected<std::unique_ptr<AdbConnector>>
    create(AdbConnectorOptions options);

    [[nodiscard]] docking::Expected<std::unique_ptr<docking::PhoneSource>>
    connect(const docking::DockEvent& event, docking::ConnectProgress& progress,
            std::stop_token stop) override;

private:
    explicit AdbConnector(AdbConnectorOptions options) : m_options(std::move(options)) {}
    AdbConnectorOptions m_options;
};

} // namespace dockscan::docking::usb
