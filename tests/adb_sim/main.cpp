#include "tests/adb_sim/adb_sim.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

// dockscan-adb-sim --storage DIR [--port N] [--backup FILE.ab]
//                  [--auth none|accept|accept-once|withhold] [--drop-after-bytes N]
//                  [--serial S] [--model M] [--trace on]
int main(int argc, char** argv) {
    using namespace dockscan::testing::adb_sim;
    SimOptions options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--port") {
            options.port = static_cast<std::uint16_t>(std::stoul(value));
        } else if (name == "--storage") {
            options.storage = value;
        } else if (name == "--backup") {
            options.backup = value;
        } else if (name == "--auth") {
            options.auth = value == "accept"        ? AuthMode::accept
                           : value == "accept-once" ? AuthMode::accept_once
                           : value == "withhold"    ? AuthMode::withhold
                                                    : AuthMode::none;
        } else if (name == "--drop-after-bytes") {
            options.drop_after_bytes = std::stoull(value);
        } else if (name == "--trace") {
            options.trace = value == "on";
        } else if (name == "--serial") {
            options.serial = value;
        } else if (name == "--model") {
            options.model = value;
        } else {
            std::fprintf(stderr, "dockscan-adb-sim: unknown option %s\n", name.c_str());
            return 2;
        }
    }
    if (options.storage.empty()) {
        std::fprintf(stderr, "dockscan-adb-sim: --storage DIR is required\n");
        return 2;
    }
    return serve(options);
}
