#include "docking/ios_device/ios_device_connector.hpp"

#include "docking/ios_device/imd_seam.hpp"
#include "docking/ios_device/ios_device_source.hpp"
#include "docking/udid.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace dockscan::docking::ios_device {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto k_retry = std::chrono::seconds(1);
constexpr auto k_appear_retry = std::chrono::milliseconds(500);

// Sleeps for `duration` or until `stop` is requested; false when stopped.
bool pause(std::chrono::milliseconds duration, const std::stop_token& stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop, duration, [] { return false; });
    return !stop.stop_requested();
}

Error stopped() {
    return Error{ErrorCode::interrupted, "the docking was stopped"};
}

// The phone as usbmuxd sees it; usbmuxd may need a moment after libusb saw it.
Expected<Device> find_device(const std::string& udid, std::chrono::seconds timeout,
                             const std::stop_token& stop) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        auto device = Device::open(udid);
        if (device || device.error().code != ErrorCode::not_found || Clock::now() >= deadline) {
            return device;
        }
        if (!pause(k_appear_retry, stop)) {
            return tl::unexpected(stopped());
        }
    }
}

PhoneWait wait_for(PairState state) {
    return state == PairState::passcode_needed ? PhoneWait::enter_passcode
                                               : PhoneWait::trust_computer;
}

Error unanswered(PairState state) {
    if (state == PairState::passcode_needed) {
        return Error{ErrorCode::timed_out,
                     "Telefonen låstes inte upp i tid / the phone stayed locked, so it could "
                     "not ask whether to trust the station"};
    }
    return Error{ErrorCode::timed_out,
                 "Ingen tryckte på Lita på i tid / nobody answered \"Trust this computer?\" "
                 "on the phone in time"};
}

// A trusted lockdownd session: the station's pair record is checked (a session and
// ValidatePair) on every docking; a phone that does not trust the station is asked to
// pair, and asked again about every second while it shows the dialog.
Expected<Lockdown> establish_trust(const Device& device, ConnectProgress& progress,
                                   std::chrono::seconds timeout, const std::stop_token& stop) {
    const auto deadline = Clock::now() + timeout;
    std::optional<PhoneWait> shown;
    for (;;) {
        DOCKSCAN_TRY_ASSIGN(auto handshake, Lockdown::handshake(device));
        PairState state = handshake.state;
        if (state == PairState::paired) {
            DOCKSCAN_TRY_ASSIGN(state, handshake.client->validate_pair());
            if (state == PairState::paired) {
                if (shown) {
                    progress.resumed();
                }
                return std::move(*handshake.client);
            }
        }
        if (state == PairState::not_paired) {
            DOCKSCAN_TRY_ASSIGN(state, Lockdown::pair(device));
        }
        while (state != PairState::paired) {
            if (shown != wait_for(state)) {
                shown = wait_for(state);
                progress.waiting(*shown);
            }
            if (Clock::now() >= deadline) {
                return tl::unexpected(unanswered(state));
            }
            if (!pause(k_retry, stop)) {
                return tl::unexpected(stopped());
            }
            DOCKSCAN_TRY_ASSIGN(state, Lockdown::pair(device));
        }
        // Paired now: the next handshake opens a session with the new record.
        if (Clock::now() >= deadline) {
            return tl::unexpected(unanswered(PairState::dialog_pending));
        }
    }
}

Expected<SourceInfo> identify(Lockdown& lockdown, const std::string& udid) {
    SourceInfo info;
    info.kind = "iphone";
    info.location = "usbmux:" + udid;
    DOCKSCAN_TRY_ASSIGN(const auto device_udid, lockdown.string_value("", "UniqueDeviceID"));
    DOCKSCAN_TRY_ASSIGN(const auto name, lockdown.string_value("", "DeviceName"));
    DOCKSCAN_TRY_ASSIGN(const auto serial, lockdown.string_value("", "SerialNumber"));
    DOCKSCAN_TRY_ASSIGN(const auto version, lockdown.string_value("", "ProductVersion"));
    DOCKSCAN_TRY_ASSIGN(const auto type, lockdown.string_value("", "ProductType"));
    info.udid = device_udid.value_or(udid);
    info.name = name.value_or("");
    info.serial = serial.value_or("");
    info.os_version = version.value_or("");
    info.model = type.value_or("");
    return info;
}

} // namespace

Expected<std::unique_ptr<PhoneSource>> IosDeviceConnector::connect(const DockEvent& event,
                                                                   ConnectProgress& progress,
                                                                   std::stop_token stop) {
    if (event.kind != PhoneKind::iphone) {
        return fail(ErrorCode::unsupported, "not an iPhone");
    }
    const bool usbmux = event.endpoint.rfind("usbmux:", 0) == 0;
    DOCKSCAN_TRY_ASSIGN(const std::string udid,
                        normalise_udid(usbmux ? event.endpoint : event.serial));
    DOCKSCAN_TRY_ASSIGN(Device device, find_device(udid, m_options.appear_timeout, stop));
    DOCKSCAN_TRY_ASSIGN(Lockdown lockdown,
                        establish_trust(device, progress, m_options.trust_timeout, stop));
    DOCKSCAN_TRY_ASSIGN(SourceInfo info, identify(lockdown, udid));
    return IosDeviceSource::create(std::move(device), std::move(lockdown), std::move(info),
                                   m_options, progress);
}

std::unique_ptr<PhoneConnector> ios_device_connector(IosConnectorOptions options) {
    return std::make_unique<IosDeviceConnector>(std::move(options));
}

} // namespace dockscan::docking::ios_device
