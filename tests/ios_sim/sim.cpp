#include "tests/ios_sim/sim.hpp"

#include "tests/ios_sim/device_key.hpp"
#include "tests/ios_sim/sim_state.hpp"
#include "tests/ios_sim/usbmux_server.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

namespace dockscan::testing::ios_sim {
namespace {

// The socket path for the signal handler, which may only unlink and exit.
char g_socket_path[sizeof(sockaddr_un::sun_path)] = {};

extern "C" void remove_socket_and_exit(int /*signal*/) {
    ::unlink(g_socket_path);
    ::_exit(0);
}

} // namespace

int serve(const SimOptions& options) {
    std::error_code error;
    std::filesystem::create_directories(options.state_dir, error);
    if (error) {
        std::fprintf(stderr, "dockscan-ios-sim: cannot create %s\n", options.state_dir.c_str());
        return 1;
    }
    auto key =
        DeviceKey::load_or_create(std::filesystem::path(options.state_dir) / "device_key.pem");
    if (!key) {
        std::fprintf(stderr, "dockscan-ios-sim: cannot make the device key\n");
        return 1;
    }
    SimState state(options, std::move(*key));

    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (options.socket_path.size() >= sizeof address.sun_path) {
        std::fprintf(stderr, "dockscan-ios-sim: socket path too long\n");
        return 2;
    }
    std::memcpy(address.sun_path, options.socket_path.c_str(), options.socket_path.size() + 1);
    std::memcpy(g_socket_path, address.sun_path, sizeof g_socket_path);
    const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ::unlink(options.socket_path.c_str());
    if (listener < 0 ||
        ::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 16) != 0) {
        std::fprintf(stderr, "dockscan-ios-sim: cannot listen on %s\n",
                     options.socket_path.c_str());
        return 1;
    }
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGTERM, remove_socket_and_exit);
    std::signal(SIGINT, remove_socket_and_exit);
    std::printf("ready\n");
    std::fflush(stdout);
    while (true) {
        const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            continue;
        }
        // One thread per connection: a test tool, with few connections at a time.
        std::thread([client, &state] { serve_usbmux_client(client, state); }).detach();
    }
}

} // namespace dockscan::testing::ios_sim
