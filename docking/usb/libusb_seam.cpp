// The one file that includes libusb.h: the USB bus as dock events (hotplug, or
// polling where libusb has no hotplug), and ADB's bulk endpoint pair as a BulkPipe.
// Serial numbers come from sysfs where the kernel has them (Linux), else from the
// device's string descriptor.
// Everything decided about a device is decided in usb_descriptors.cpp on plain values.

#include "base/owned.hpp"
#include "docking/usb/bulk_transport.hpp"
#include "docking/usb/device_tracker.hpp"
#include "docking/usb/event_queue.hpp"
#include "docking/usb/usb_descriptors.hpp"
#include "docking/usb/usb_seam.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <condition_variable>
#include <fstream>
#include <libusb.h>
#include <mutex>
#include <set>
#include <spdlog/spdlog.h>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace dockscan::docking::usb {
namespace {

using ContextPtr = base::Owned<libusb_context, libusb_exit>;
using HandlePtr = base::Owned<libusb_device_handle, libusb_close>;
using DeviceRef = base::Owned<libusb_device, libusb_unref_device>;
using ConfigPtr = base::Owned<libusb_config_descriptor, libusb_free_config_descriptor>;

// The list and, through the 1, one reference of each device in it.
void free_device_list(libusb_device** list) {
    libusb_free_device_list(list, 1);
}
using DeviceListPtr = base::Owned<libusb_device*, free_device_list>;

// The USB 3 limit on hub tiers: a port chain is at most seven ports long.
constexpr int k_max_port_depth = 7;
// What a device's descriptors may claim before the rest is not looked at.
constexpr int k_max_interfaces = 32;
constexpr int k_max_alt_settings = 16;
constexpr std::chrono::milliseconds k_event_wait{500};

std::string libusb_name(int code) {
    return libusb_error_name(code);
}

// The one translation of libusb's errors for everything but bulk transfers.
Error usb_error(int code, const std::string& what) {
    switch (code) {
    case LIBUSB_ERROR_ACCESS:
        return Error{ErrorCode::unreadable,
                     what + ": no permission on the USB device (are the udev rules from "
                            "packaging/udev installed and is the daemon in group dockscan?)"};
    case LIBUSB_ERROR_NO_DEVICE:
        return Error{ErrorCode::interrupted, what + ": the phone disconnected"};
    case LIBUSB_ERROR_NOT_FOUND:
        return Error{ErrorCode::not_found, what + ": " + libusb_name(code)};
    case LIBUSB_ERROR_BUSY:
        return Error{ErrorCode::unreadable,
                     what + ": another program holds the phone's ADB interface (an adb "
                            "server on the station? stop it with `adb kill-server`)"};
    case LIBUSB_ERROR_TIMEOUT:
        return Error{ErrorCode::interrupted, what + ": the phone stopped answering"};
    case LIBUSB_ERROR_NOT_SUPPORTED:
        return Error{ErrorCode::unsupported, what + ": " + libusb_name(code)};
    case LIBUSB_ERROR_OVERFLOW:
        return Error{ErrorCode::malformed, what + ": the phone sent more than was asked for"};
    case LIBUSB_ERROR_PIPE:
        return Error{ErrorCode::interrupted, what + ": the phone stalled the endpoint"};
    default:
        return Error{ErrorCode::interrupted, what + ": " + libusb_name(code)};
    }
}

Expected<ContextPtr> init_context() {
    libusb_context* raw = nullptr;
    const int r = libusb_init(&raw);
    ContextPtr context(raw);
    if (r != LIBUSB_SUCCESS) {
        // Containers and build machines without /dev/bus/usb end up here.
        return fail(ErrorCode::unsupported, "USB is not available on this machine: libusb_init "
                                            "failed with " +
                                                libusb_name(r) + " (is /dev/bus/usb there?)");
    }
    return context;
}

unsigned int timeout_ms(std::chrono::milliseconds timeout) {
    // libusb takes 0 as "wait for ever": the shortest wait is one millisecond.
    const auto count = std::clamp<std::chrono::milliseconds::rep>(timeout.count(), 1, INT_MAX);
    return static_cast<unsigned int>(count);
}

// The serial the kernel read at enumeration (/sys/bus/usb/devices/PORT/serial, named
// like our port paths): no request to the phone and no permission on its device node.
std::string read_sysfs_serial(const std::string& port) {
    std::ifstream in("/sys/bus/usb/devices/" + port + "/serial");
    std::array<char, 128> buffer{};
    in.read(buffer.data(), buffer.size());
    std::string serial(buffer.data(),
                       static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    while (!serial.empty() && (serial.back() == '\n' || serial.back() == ' ')) {
        serial.pop_back();
    }
    return serial;
}

// The device's iSerialNumber: from sysfs where there is one, else asked of the device.
std::string read_serial(libusb_device* device, std::uint8_t index, const std::string& where) {
    if (index == 0) {
        return {};
    }
    if (std::string serial = read_sysfs_serial(where); !serial.empty()) {
        return serial;
    }
    libusb_device_handle* raw = nullptr;
    const int r = libusb_open(device, &raw);
    HandlePtr handle(raw);
    if (r != LIBUSB_SUCCESS) {
        spdlog::warn("USB {}: cannot read the phone's serial number: {}", where,
                     usb_error(r, "open").message);
        return {};
    }
    // A USB string descriptor holds at most 126 characters.
    std::array<unsigned char, 128> buffer{};
    const int n = libusb_get_string_descriptor_ascii(handle.get(), index, buffer.data(),
                                                     static_cast<int>(buffer.size()));
    if (n < 0) {
        spdlog::warn("USB {}: cannot read the phone's serial number: {}", where, libusb_name(n));
        return {};
    }
    return std::string(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(n));
}

enum class Serial { read, skip };

// The device as plain values. The serial is read (which opens the device) only when
// asked for and only for phones: other devices are never opened.
UsbDeviceDescription describe(libusb_device* device, Serial serial) {
    UsbDeviceDescription out;
    libusb_device_descriptor descriptor{};
    // Cannot fail since libusb 1.0.16: the descriptor is cached.
    (void)libusb_get_device_descriptor(device, &descriptor);
    out.vendor = descriptor.idVendor;
    out.product = descriptor.idProduct;
    out.device_class = descriptor.bDeviceClass;
    out.bus = libusb_get_bus_number(device);
    std::array<std::uint8_t, k_max_port_depth> ports{};
    const int depth = libusb_get_port_numbers(device, ports.data(), k_max_port_depth);
    if (depth > 0) {
        out.ports.assign(ports.begin(), ports.begin() + depth);
    }

    libusb_config_descriptor* raw_config = nullptr;
    if (libusb_get_active_config_descriptor(device, &raw_config) != LIBUSB_SUCCESS) {
        raw_config = nullptr;
        (void)libusb_get_config_descriptor(device, 0, &raw_config);
    }
    const ConfigPtr config(raw_config);
    if (config) {
        const int interfaces = std::min<int>(config->bNumInterfaces, k_max_interfaces);
        for (int i = 0; i < interfaces; ++i) {
            const libusb_interface& interface = config->interface[i];
            const int alts = std::min(interface.num_altsetting, k_max_alt_settings);
            for (int a = 0; a < alts; ++a) {
                const libusb_interface_descriptor& alt = interface.altsetting[a];
                UsbAltSetting setting;
                setting.interface_number = alt.bInterfaceNumber;
                setting.alt_setting = alt.bAlternateSetting;
                setting.interface_class = alt.bInterfaceClass;
                setting.interface_subclass = alt.bInterfaceSubClass;
                setting.interface_protocol = alt.bInterfaceProtocol;
                for (int e = 0; e < alt.bNumEndpoints; ++e) {
                    const libusb_endpoint_descriptor& endpoint = alt.endpoint[e];
                    setting.endpoints.push_back(UsbEndpoint{
                        endpoint.bEndpointAddress, endpoint.bmAttributes, endpoint.wMaxPacketSize});
                }
                out.alt_settings.push_back(std::move(setting));
            }
        }
    }

    if (serial == Serial::read && classify(out).kind) {
        out.serial =
            read_serial(device, descriptor.iSerialNumber, format_port_path(out.bus, out.ports));
    }
    return out;
}

DeviceKey key_of(libusb_device* device) {
    return DeviceKey{libusb_get_bus_number(device), libusb_get_device_address(device)};
}

Expected<std::pair<DeviceListPtr, std::size_t>> list_devices(libusb_context* context) {
    libusb_device** raw = nullptr;
    const ssize_t n = libusb_get_device_list(context, &raw);
    if (n < 0) {
        return tl::unexpected(usb_error(static_cast<int>(n), "listing USB devices"));
    }
    return std::pair{DeviceListPtr(raw), static_cast<std::size_t>(n)};
}

class LibusbDockEvents final : public DockEventSource {
public:
    LibusbDockEvents(ContextPtr context, UsbEventOptions options)
        : m_context(std::move(context)), m_options(options),
          m_hotplug(options.watch == UsbWatch::hotplug_where_supported &&
                    libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0) {}

    LibusbDockEvents(const LibusbDockEvents&) = delete;
    LibusbDockEvents& operator=(const LibusbDockEvents&) = delete;

    ~LibusbDockEvents() override {
        if (m_thread.joinable()) {
            m_thread.request_stop();
            m_thread.join();
        }
        if (m_registered) {
            libusb_hotplug_deregister_callback(m_context.get(), m_callback);
        }
        const std::lock_guard lock(m_pending_mutex);
        m_pending.clear(); // unrefs the devices before the context goes
    }

    Expected<void> start() {
        if (m_hotplug) {
            // LIBUSB_HOTPLUG_ENUMERATE: phones docked before the daemon started arrive too
            // (the callback runs here, in this thread, and only queues).
            const int r = libusb_hotplug_register_callback(
                m_context.get(),
                static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                                  LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
                LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                LIBUSB_HOTPLUG_MATCH_ANY, &LibusbDockEvents::on_hotplug, this, &m_callback);
            if (r != LIBUSB_SUCCESS) {
                return tl::unexpected(usb_error(r, "registering for USB hotplug"));
            }
            m_registered = true;
            spdlog::info("USB: watching for phones (hotplug)");
        } else {
            spdlog::info("USB: watching for phones (listing the bus every {} ms)",
                         m_options.poll_interval.count());
        }
        m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
        return {};
    }

    Expected<std::optional<DockEvent>> next(std::chrono::milliseconds timeout,
                                            std::stop_token stop) override {
        if (auto event = m_events.pop(std::chrono::milliseconds(0), stop)) {
            return event;
        }
        if (auto failure = failed()) {
            return tl::unexpected(std::move(*failure));
        }
        if (auto event = m_events.pop(timeout, stop)) {
            return event;
        }
        if (auto failure = failed()) {
            return tl::unexpected(std::move(*failure));
        }
        return std::optional<DockEvent>{};
    }

private:
    struct Pending {
        DeviceRef device;
        bool arrived = true;
    };

    static int LIBUSB_CALL on_hotplug(libusb_context*, libusb_device* device,
                                      libusb_hotplug_event event, void* self) {
        // Only queue: the device is described in the event thread, outside libusb's
        // event handling, where it may be opened to read its serial.
        auto& events = *static_cast<LibusbDockEvents*>(self);
        const std::lock_guard lock(events.m_pending_mutex);
        events.m_pending.push_back(Pending{DeviceRef(libusb_ref_device(device)),
                                           event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED});
        return 0; // stay registered
    }

    std::optional<Error> failed() {
        const std::lock_guard lock(m_failure_mutex);
        return m_failure;
    }

    void fail_with(Error error) {
        spdlog::error("USB: {}", error.message);
        const std::lock_guard lock(m_failure_mutex);
        m_failure = std::move(error);
    }

    void run(std::stop_token stop) {
        // Wakes libusb_handle_events at once when the daemon stops.
        const std::stop_callback wake(stop, [this] {
            libusb_interrupt_event_handler(m_context.get());
            m_poll_wait.notify_all();
        });
        std::set<DeviceKey> listed;
        while (!stop.stop_requested()) {
            if (m_hotplug) {
                handle_pending();
                timeval wait{0, static_cast<suseconds_t>(k_event_wait.count() * 1000)};
                const int r =
                    libusb_handle_events_timeout_completed(m_context.get(), &wait, nullptr);
                if (r != LIBUSB_SUCCESS && r != LIBUSB_ERROR_INTERRUPTED) {
                    fail_with(usb_error(r, "handling USB events"));
                    return;
                }
            } else {
                if (auto polled = poll(listed); !polled) {
                    fail_with(std::move(polled).error());
                    return;
                }
                std::mutex mutex;
                std::unique_lock lock(mutex);
                m_poll_wait.wait_for(lock, stop, m_options.poll_interval, [] { return false; });
            }
        }
    }

    void handle_pending() {
        std::vector<Pending> pending;
        {
            const std::lock_guard lock(m_pending_mutex);
            pending.swap(m_pending);
        }
        for (Pending& change : pending) {
            if (change.arrived) {
                arrived(change.device.get());
            } else {
                departed(key_of(change.device.get()));
            }
        }
    }

    Expected<void> poll(std::set<DeviceKey>& listed) {
        DOCKSCAN_TRY_ASSIGN(auto devices, list_devices(m_context.get()));
        std::set<DeviceKey> now;
        for (std::size_t i = 0; i < devices.second; ++i) {
            now.insert(key_of(devices.first.get()[i]));
        }
        const DeviceSetDiff diff = diff_device_sets(listed, now);
        for (const DeviceKey& key : diff.left) {
            departed(key);
        }
        for (std::size_t i = 0; i < devices.second; ++i) {
            libusb_device* device = devices.first.get()[i];
            if (std::binary_search(diff.arrived.begin(), diff.arrived.end(), key_of(device))) {
                arrived(device);
            }
        }
        listed = std::move(now);
        return {};
    }

    void arrived(libusb_device* device) {
        const UsbDeviceDescription description = describe(device, Serial::read);
        std::string reason;
        std::optional<DockEvent> arrival = make_arrival(description, reason);
        const std::string where = format_port_path(description.bus, description.ports);
        if (!arrival) {
            // Vendor and product only: a serial identifies a person's device.
            const auto level = description.device_class == LIBUSB_CLASS_HUB ? spdlog::level::debug
                                                                            : spdlog::level::info;
            spdlog::log(level, "USB {} in {}: ignored, {}",
                        vendor_product(description.vendor, description.product), where, reason);
            return;
        }
        spdlog::info("USB {} in {}: {} docked",
                     vendor_product(description.vendor, description.product), where,
                     arrival->kind == PhoneKind::iphone ? "an iPhone" : "an Android phone");
        push(m_tracker.arrived(key_of(device), std::move(*arrival)));
    }

    void departed(DeviceKey key) {
        if (std::optional<DockEvent> departure = m_tracker.left(key)) {
            spdlog::info("USB {}: the phone left", departure->port);
            push(std::move(*departure));
        }
    }

    void push(DockEvent event) {
        if (!m_events.push(std::move(event))) {
            spdlog::warn("USB: dock events are not being read; the oldest was dropped");
        }
    }

    ContextPtr m_context;
    UsbEventOptions m_options;
    bool m_hotplug;
    bool m_registered = false;
    libusb_hotplug_callback_handle m_callback{};
    std::mutex m_pending_mutex;
    std::vector<Pending> m_pending;
    PhoneTracker m_tracker; // the event thread's only
    EventQueue<DockEvent> m_events;
    std::condition_variable_any m_poll_wait;
    std::mutex m_failure_mutex;
    std::optional<Error> m_failure;
    std::jthread m_thread; // last: stopped and joined first
};

// The claimed ADB interface of one phone. Declaration order is release order in reverse:
// the interface is released and the kernel driver given back before the handle closes
// and the context ends.
class LibusbPipe final : public BulkPipe {
public:
    LibusbPipe(ContextPtr context, HandlePtr handle, AdbInterface adb, bool reattach)
        : m_context(std::move(context)), m_handle(std::move(handle)), m_adb(adb),
          m_reattach(reattach) {}

    LibusbPipe(const LibusbPipe&) = delete;
    LibusbPipe& operator=(const LibusbPipe&) = delete;

    ~LibusbPipe() override {
        (void)libusb_release_interface(m_handle.get(), m_adb.interface_number);
        if (m_reattach) {
            (void)libusb_attach_kernel_driver(m_handle.get(), m_adb.interface_number);
        }
    }

    Expected<void> select_alt_setting(const std::string& what) {
        if (m_adb.alt_setting == 0) {
            return {};
        }
        const int r = libusb_set_interface_alt_setting(m_handle.get(), m_adb.interface_number,
                                                       m_adb.alt_setting);
        if (r != LIBUSB_SUCCESS) {
            return tl::unexpected(usb_error(r, what + ": selecting the ADB alt setting"));
        }
        return {};
    }

    Expected<std::size_t> bulk_in(std::span<std::uint8_t> buffer,
                                  std::chrono::milliseconds timeout) override {
        int transferred = 0;
        const int r =
            libusb_bulk_transfer(m_handle.get(), m_adb.in_endpoint, buffer.data(),
                                 static_cast<int>(std::min<std::size_t>(buffer.size(), INT_MAX)),
                                 &transferred, timeout_ms(timeout));
        if (transferred > 0 && (r == LIBUSB_SUCCESS || r == LIBUSB_ERROR_TIMEOUT)) {
            return static_cast<std::size_t>(transferred);
        }
        if (r != LIBUSB_SUCCESS) {
            return tl::unexpected(usb_error(r, "reading from the phone"));
        }
        return std::size_t{0};
    }

    Expected<void> bulk_out(std::span<const std::uint8_t> data,
                            std::chrono::milliseconds timeout) override {
        if (data.size() > static_cast<std::size_t>(INT_MAX)) {
            return fail(ErrorCode::too_large, "a USB write over 2 GiB");
        }
        std::size_t done = 0;
        do {
            int transferred = 0;
            // libusb's transfer buffer is not const, but an OUT transfer only reads it.
            auto* bytes = const_cast<std::uint8_t*>(data.data() + done);
            const int r = libusb_bulk_transfer(m_handle.get(), m_adb.out_endpoint, bytes,
                                               static_cast<int>(data.size() - done), &transferred,
                                               timeout_ms(timeout));
            if (r != LIBUSB_SUCCESS) {
                return tl::unexpected(usb_error(r, "writing to the phone"));
            }
            done += static_cast<std::size_t>(transferred);
        } while (done < data.size());
        return {};
    }

    std::size_t in_packet_size() const override { return m_adb.in_max_packet_size; }
    std::size_t out_packet_size() const override { return m_adb.out_max_packet_size; }

private:
    ContextPtr m_context;
    HandlePtr m_handle;
    AdbInterface m_adb;
    bool m_reattach;
};

} // namespace

Expected<std::unique_ptr<DockEventSource>> open_usb_dock_events(const UsbEventOptions& options) {
    DOCKSCAN_TRY_ASSIGN(ContextPtr context, init_context());
    auto events = std::make_unique<LibusbDockEvents>(std::move(context), options);
    DOCKSCAN_TRY(events->start());
    return std::unique_ptr<DockEventSource>(std::move(events));
}

Expected<std::unique_ptr<adb::ByteTransport>>
open_usb_adb_transport(const std::string& port, std::chrono::milliseconds read_timeout) {
    DOCKSCAN_TRY_ASSIGN(ContextPtr context, init_context());
    DOCKSCAN_TRY_ASSIGN(auto devices, list_devices(context.get()));
    libusb_device* found = nullptr;
    std::optional<AdbInterface> adb;
    for (std::size_t i = 0; i < devices.second && found == nullptr; ++i) {
        libusb_device* device = devices.first.get()[i];
        const UsbDeviceDescription description = describe(device, Serial::skip);
        if (format_port_path(description.bus, description.ports) == port) {
            found = device;
            adb = find_adb_interface(description);
        }
    }
    const std::string what = "USB port " + port;
    if (found == nullptr) {
        return fail(ErrorCode::interrupted, what + ": no device there (the phone disconnected)");
    }
    if (!adb) {
        return fail(ErrorCode::not_a_source,
                    what + ": no ADB interface with bulk endpoints (USB debugging off?)");
    }

    libusb_device_handle* raw = nullptr;
    if (const int r = libusb_open(found, &raw); r != LIBUSB_SUCCESS) {
        return tl::unexpected(usb_error(r, what));
    }
    HandlePtr handle(raw);
    // The ADB interface has no kernel driver on a stock station; detach one if some
    // module bound it, and give it back when the transport closes.
    bool reattach = false;
    if (libusb_kernel_driver_active(handle.get(), adb->interface_number) == 1) {
        if (const int r = libusb_detach_kernel_driver(handle.get(), adb->interface_number);
            r != LIBUSB_SUCCESS) {
            return tl::unexpected(usb_error(r, what + ": detaching the kernel driver"));
        }
        reattach = true;
    }
    if (const int r = libusb_claim_interface(handle.get(), adb->interface_number);
        r != LIBUSB_SUCCESS) {
        if (reattach) {
            (void)libusb_attach_kernel_driver(handle.get(), adb->interface_number);
        }
        return tl::unexpected(usb_error(r, what + ": claiming the ADB interface"));
    }
    auto pipe = std::make_unique<LibusbPipe>(std::move(context), std::move(handle), *adb, reattach);
    // The pipe owns the claim now: if this fails, its destructor releases it.
    DOCKSCAN_TRY(pipe->select_alt_setting(what));
    return std::unique_ptr<adb::ByteTransport>(
        std::make_unique<BulkByteTransport>(std::move(pipe), read_timeout));
}

} // namespace dockscan::docking::usb
