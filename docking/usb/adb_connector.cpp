#include "docking/usb/adb_connector.hpp"

#include "docking/adb/station_key.hpp"
#include "docking/adb/stoppable_transport.hpp"
#include "docking/usb/usb_seam.hpp"

#include <charconv>

namespace dockscan::docking::usb {
namespace {

using docking::ErrorCode;

docking::Expected<std::unique_ptr<docking::adb::ByteTransport>>
open_transport(const std::string& endpoint, std::chrono::milliseconds timeout) {
    if (endpoint.starts_with("tcp:")) {
        const std::string rest = endpoint.substr(4);
        const auto colon = rest.rfind(':');
        std::uint16_t port = 0;
        if (colon == std::string::npos || colon == 0 ||
            std::from_chars(rest.data() + colon + 1, rest.data() + rest.size(), port).ec !=
                std::errc{} ||
            port == 0) {
            return docking::fail(ErrorCode::malformed,
                                 "endpoint " + endpoint + " is not tcp:HOST:PORT");
        }
        return docking::adb::connect_tcp(rest.substr(0, colon), port, timeout);
    }
    if (endpoint.starts_with("usb:")) {
        return open_usb_adb_transport(endpoint.substr(4), timeout);
    }
    return docking::fail(ErrorCode::unsupported,
                         "no ADB transport for endpoint \"" + endpoint + "\"");
}

} // namespace

docking::Expected<std::unique_ptr<AdbConnector>> AdbConnector::create(AdbConnectorOptions options) {
    DOCKSCAN_TRY(docking::adb::StationKey::load_or_create(options.key_file));
    return std::unique_ptr<AdbConnector>(new AdbConnector(std::move(options)));
}

docking::Expected<std::unique_ptr<docking::PhoneSource>>
AdbConnector::connect(const docking::DockEvent& event, docking::ConnectProgress& progress,
                      std::stop_token stop) {
    if (stop.stop_requested()) {
        return docking::fail(ErrorCode::interrupted, "stopped before the phone was connected");
    }
    const std::string endpoint = event.endpoint.empty() ? "usb:" + event.port : event.endpoint;
    DOCKSCAN_TRY_ASSIGN(auto opened, open_transport(endpoint, m_options.transfer_timeout));
    // Unplugging or stopping the station interrupts a wait for the phone at once.
    auto transport =
        docking::adb::make_stoppable(std::move(opened), stop, m_options.transfer_timeout);
    docking::adb::AdbSourceOptions options;
    options.key_file = m_options.key_file;
    options.connect.allow_timeout = m_options.authorise_timeout;
    bool asked = false;
    options.connect.on_waiting_for_allow = [&] {
        asked = true;
        progress.waiting(docking::PhoneWait::allow_usb_debugging);
    };
    auto source =
        docking::adb::AdbSource::open(std::move(transport), "adb:" + endpoint, std::move(options));
    if (!source) {
        if (source.error().message == docking::adb::k_not_allowed_reason) {
            return docking::fail(asked ? ErrorCode::timed_out : ErrorCode::not_authorised,
                                 source.error().message);
        }
        return tl::unexpected(source.error());
    }
    if (asked) {
        progress.resumed();
    }
    return std::unique_ptr<docking::PhoneSource>(std::move(*source));
}

} // namespace dockscan::docking::usb
