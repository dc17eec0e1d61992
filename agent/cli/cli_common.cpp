#include "agent/cli/cli_common.hpp"

#include "base/text.hpp"

#include <cstdio>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace dockscan::agent {

void add_store_options(CLI::App& command, StoreArgs& args) {
    command.add_option("--store", args.store, "Path of the encrypted store (SQLCipher)")
        ->required();
    command.add_option("--key-file", args.key_file,
                       "Raw 32-byte store key, mode 0600 (default: the systemd credential "
                       "$CREDENTIALS_DIRECTORY/dockscan-store-key)");
}

Expected<Store> open_store(const StoreArgs& args, OpenMode mode) {
    auto key =
        args.key_file.empty() ? StoreKey::from_credentials() : StoreKey::from_file(args.key_file);
    if (!key) {
        return tl::unexpected(key.error());
    }
    return Store::open(args.store, *key, mode);
}

int report(const Error& error) {
    std::fprintf(stderr, "dockscan: %s\n", base::printable(error.message).c_str());
    return exit_code(error.code);
}

std::string cli_actor() {
    // The real uid is who ran the command; SUDO_USER is only what the environment claims
    // (anyone can set it), so it is kept beside the uid and marked as claimed.
    const uid_t uid = getuid();
    std::string actor;
    if (const passwd* pw = getpwuid(uid); pw != nullptr) {
        actor = std::string("cli:") + pw->pw_name;
    } else {
        actor = "cli:uid" + std::to_string(uid);
    }
    if (const char* sudo_user = std::getenv("SUDO_USER"); sudo_user != nullptr) {
        actor += " (sudo, claimed by " +
                 base::printable(std::string_view(sudo_user).substr(0, 64)) + ")";
    }
    return actor;
}

} // namespace dockscan::agent
