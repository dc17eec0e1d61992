#include "tests/ios_sim/sim.hpp"

#include <cstdio>
#include <string>

// dockscan-ios-sim --socket PATH --state DIR --media DIR [--udid U] [--name N]
//                  [--serial S] [--product-version V] [--product-type T]
//                  [--trust accept|pending-then-accept|refuse] [--pending-answers N]
//                  [--drop-after-bytes N] [--reattach-after-ms N] [--backup ok|locked|refuse]
//                  [--backup-data DIR] [--passcode-wait-ms N] [--trace on]
int main(int argc, char** argv) {
    using namespace dockscan::testing::ios_sim;
    SimOptions options;
    for (int i = 1; i < argc; i += 2) {
        const std::string name = argv[i];
        if (i + 1 >= argc) {
            std::fprintf(stderr, "dockscan-ios-sim: %s needs a value\n", name.c_str());
            return 2;
        }
        const std::string value = argv[i + 1];
        try {
            if (name == "--socket") {
                options.socket_path = value;
            } else if (name == "--state") {
                options.state_dir = value;
            } else if (name == "--media") {
                options.media_dir = value;
            } else if (name == "--udid") {
                options.udid = value;
            } else if (name == "--name") {
                options.name = value;
            } else if (name == "--serial") {
                options.serial = value;
            } else if (name == "--product-version") {
                options.product_version = value;
            } else if (name == "--product-type") {
                options.product_type = value;
            } else if (name == "--trust") {
                if (value == "accept") {
                    options.trust = TrustMode::accept;
                } else if (value == "pending-then-accept") {
                    options.trust = TrustMode::pending_then_accept;
                } else if (value == "refuse") {
                    options.trust = TrustMode::refuse;
                } else {
                    std::fprintf(stderr, "dockscan-ios-sim: unknown --trust %s\n", value.c_str());
                    return 2;
                }
            } else if (name == "--pending-answers") {
                options.pending_answers = std::stoi(value);
            } else if (name == "--drop-after-bytes") {
                options.drop_after_bytes = std::stoull(value);
            } else if (name == "--backup") {
                if (value == "ok") {
                    options.backup = BackupMode::ok;
                } else if (value == "locked") {
                    options.backup = BackupMode::locked;
                } else if (value == "refuse") {
                    options.backup = BackupMode::refuse;
                } else {
                    std::fprintf(stderr, "dockscan-ios-sim: unknown --backup %s\n", value.c_str());
                    return 2;
                }
            } else if (name == "--reattach-after-ms") {
                options.reattach_after_ms = std::stoi(value);
            } else if (name == "--backup-data") {
                options.backup_data_dir = value;
            } else if (name == "--passcode-wait-ms") {
                options.passcode_wait_ms = std::stoi(value);
            } else if (name == "--trace") {
                options.trace = value == "on";
            } else {
                std::fprintf(stderr, "dockscan-ios-sim: unknown option %s\n", name.c_str());
                return 2;
            }
        } catch (const std::exception&) {
            std::fprintf(stderr, "dockscan-ios-sim: bad value for %s\n", name.c_str());
            return 2;
        }
    }
    if (options.socket_path.empty() || options.state_dir.empty() || options.media_dir.empty()) {
        std::fprintf(stderr, "dockscan-ios-sim: --socket, --state and --media are required\n");
        return 2;
    }
    return serve(options);
}
