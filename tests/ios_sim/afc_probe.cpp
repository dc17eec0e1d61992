// ios-sim-afc-probe: libimobiledevice's AFC client against whatever usbmuxd
// USBMUXD_SOCKET_ADDRESS names. Debian's 1.3.0 tools have no AFC command, so the
// faithfulness test uses this instead of its own AFC code.
//
//   ios-sim-afc-probe ls PATH         one name per line
//   ios-sim-afc-probe stat PATH       key=value per line
//   ios-sim-afc-probe pull PATH FILE  copies PATH to FILE, prints the byte count
//   ios-sim-afc-probe devinfo         key=value per line
//
// It also listens to usbmuxd's device events the whole time and, on a failure, waits
// a moment for the phone's removal and prints "event: removed UDID" when it came.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <libimobiledevice/afc.h>
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

struct DeviceFree {
    void operator()(idevice_private* p) const { idevice_free(p); }
};
struct LockdownFree {
    void operator()(lockdownd_client_private* p) const { lockdownd_client_free(p); }
};
struct AfcFree {
    void operator()(afc_client_private* p) const { afc_client_free(p); }
};
struct ServiceFree {
    void operator()(lockdownd_service_descriptor* p) const { lockdownd_service_descriptor_free(p); }
};

std::vector<std::string> take_list(char** list) {
    std::vector<std::string> out;
    if (list != nullptr) {
        for (char** p = list; *p != nullptr; ++p) {
            out.emplace_back(*p);
        }
        afc_dictionary_free(list);
    }
    return out;
}

std::atomic<bool> g_removed{false};
std::atomic<bool> g_added_again{false};

extern "C" void on_event(const idevice_event_t* event, void* /*user_data*/) {
    if (event->event == IDEVICE_DEVICE_REMOVE) {
        g_removed = true;
    } else if (event->event == IDEVICE_DEVICE_ADD && g_removed) {
        g_added_again = true;
    }
}

// Reports a removal of the phone that the failure may have come with, and, when
// IOS_SIM_PROBE_SETTLE_MS allows the time, its coming back.
enum class Removal { possible, not_expected };

int fail(const std::string& message, Removal removal = Removal::not_expected) {
    std::printf("%s\n", message.c_str());
    for (int i = 0; removal == Removal::possible && i < 40 && !g_removed; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (g_removed) {
        std::printf("event: removed\n");
        const char* settle = std::getenv("IOS_SIM_PROBE_SETTLE_MS");
        const int wait_ms = settle != nullptr ? std::atoi(settle) : 0;
        for (int waited = 0; waited < wait_ms && !g_added_again; waited += 50) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (g_added_again) {
            std::printf("event: added again\n");
        }
    }
    std::fflush(stdout);
    idevice_event_unsubscribe();
    return 1;
}

int run(int argc, char** argv);

} // namespace

int main(int argc, char** argv) {
    idevice_event_subscribe(on_event, nullptr);
    const int code = run(argc, argv);
    if (code == 0) {
        idevice_event_unsubscribe();
    }
    return code;
}

namespace {

int run(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: ios-sim-afc-probe ls|stat|pull|devinfo ...\n");
        return 2;
    }
    const std::string command = argv[1];
    idevice_t raw_device = nullptr;
    if (idevice_new(&raw_device, nullptr) != IDEVICE_E_SUCCESS) {
        return fail("ERROR: no device");
    }
    std::unique_ptr<idevice_private, DeviceFree> device(raw_device);
    lockdownd_client_t raw_lockdown = nullptr;
    const lockdownd_error_t lerr =
        lockdownd_client_new_with_handshake(device.get(), &raw_lockdown, "ios-sim-afc-probe");
    if (lerr != LOCKDOWN_E_SUCCESS) {
        return fail("ERROR: lockdownd " + std::to_string(static_cast<int>(lerr)));
    }
    std::unique_ptr<lockdownd_client_private, LockdownFree> lockdown(raw_lockdown);
    lockdownd_service_descriptor_t raw_service = nullptr;
    if (lockdownd_start_service(lockdown.get(), AFC_SERVICE_NAME, &raw_service) !=
        LOCKDOWN_E_SUCCESS) {
        return fail("ERROR: StartService");
    }
    std::unique_ptr<lockdownd_service_descriptor, ServiceFree> service(raw_service);
    afc_client_t raw_afc = nullptr;
    if (afc_client_new(device.get(), service.get(), &raw_afc) != AFC_E_SUCCESS) {
        return fail("ERROR: afc_client_new");
    }
    std::unique_ptr<afc_client_private, AfcFree> afc(raw_afc);

    if (command == "ls" && argc == 3) {
        char** list = nullptr;
        const afc_error_t err = afc_read_directory(afc.get(), argv[2], &list);
        if (err != AFC_E_SUCCESS) {
            return fail("ERROR: afc " + std::to_string(static_cast<int>(err)));
        }
        for (const std::string& name : take_list(list)) {
            std::printf("%s\n", name.c_str());
        }
        return 0;
    }
    if ((command == "stat" && argc == 3) || (command == "devinfo" && argc == 2)) {
        char** list = nullptr;
        const afc_error_t err = command == "stat" ? afc_get_file_info(afc.get(), argv[2], &list)
                                                  : afc_get_device_info(afc.get(), &list);
        if (err != AFC_E_SUCCESS) {
            return fail("ERROR: afc " + std::to_string(static_cast<int>(err)));
        }
        const std::vector<std::string> pairs = take_list(list);
        for (std::size_t i = 0; i + 1 < pairs.size(); i += 2) {
            std::printf("%s=%s\n", pairs[i].c_str(), pairs[i + 1].c_str());
        }
        return 0;
    }
    if (command == "pull" && argc == 4) {
        std::uint64_t handle = 0;
        afc_error_t err = afc_file_open(afc.get(), argv[2], AFC_FOPEN_RDONLY, &handle);
        if (err != AFC_E_SUCCESS) {
            return fail("ERROR: afc " + std::to_string(static_cast<int>(err)));
        }
        std::FILE* out = std::fopen(argv[3], "wb");
        if (out == nullptr) {
            return 1;
        }
        std::vector<char> buffer(65536);
        std::uint64_t total = 0;
        while (true) {
            std::uint32_t got = 0;
            err = afc_file_read(afc.get(), handle, buffer.data(),
                                static_cast<std::uint32_t>(buffer.size()), &got);
            if (err != AFC_E_SUCCESS) {
                std::fclose(out);
                return fail("ERROR: afc read " + std::to_string(static_cast<int>(err)) + " after " +
                                std::to_string(total) + " bytes",
                            Removal::possible);
            }
            if (got == 0) {
                break;
            }
            std::fwrite(buffer.data(), 1, got, out);
            total += got;
        }
        std::fclose(out);
        (void)afc_file_close(afc.get(), handle);
        std::printf("%llu\n", static_cast<unsigned long long>(total));
        return 0;
    }
    std::fprintf(stderr, "usage: ios-sim-afc-probe ls|stat|pull|devinfo ...\n");
    return 2;
}

} // namespace
