#include "agent/cli/cli_common.hpp"

#include "agent/central/central_schema.hpp"
#include "agent/daemon/config.hpp"
#include "base/text.hpp"

#include <cstdio>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace dockscan::agent {

void add_store_options(CLI::App& command, StoreArgs& args) {
    command.add_option("--store", args.store,
                       "Path of the encrypted store (SQLCipher; default: the config's [store] "
                       "path)");
    command.add_option("--key-file", args.key_file,
                       "Raw 32-byte store key, mode 0600 (default: the config's key_file, or "
                       "the systemd credential $CREDENTIALS_DIRECTORY/dockscan-store-key)");
    command.add_option("--config", args.config,
                       std::string("The station's configuration, for the store and its key "
                                   "when --store is not given (default: ") +
                           k_default_config + " when it exists)");
}

Expected<StoreArgs> resolve_store(const StoreArgs& args) {
    if (!args.store.empty()) {
        return args;
    }
    std::filesystem::path config = args.config;
    std::error_code ec;
    if (config.empty() && std::filesystem::exists(k_default_config, ec)) {
        config = k_default_config;
    }
    if (config.empty()) {
        return fail(ErrorCode::usage, std::string("no store: give --store DB (or --config FILE; ") +
                                          k_default_config + " does not exist)");
    }
    DOCKSCAN_TRY_ASSIGN(const daemon::DaemonConfig station, daemon::load_config(config));
    StoreArgs resolved = args;
    resolved.store = station.store;
    resolved.central = station.central;
    if (resolved.key_file.empty()) {
        resolved.key_file = station.key_file;
    }
    return resolved;
}

Expected<Store> open_store(const StoreArgs& given, OpenMode mode) {
    DOCKSCAN_TRY_ASSIGN(const StoreArgs args, resolve_store(given));
    std::error_code ec;
    if (mode == OpenMode::existing && !std::filesystem::exists(args.store, ec)) {
        return fail(ErrorCode::config, "there is no store at " + args.store.string() +
                                           ": create it with `dockscan init --store " +
                                           args.store.string() + "`");
    }
    auto key =
        args.key_file.empty() ? StoreKey::from_credentials() : StoreKey::from_file(args.key_file);
    if (!key) {
        return tl::unexpected(key.error());
    }
    DOCKSCAN_TRY_ASSIGN(Store store, Store::open(args.store, *key, mode));
    if (args.central) {
        // The same person's number must hash alike at every station of the municipality.
        DOCKSCAN_TRY_ASSIGN(const StoreKey fleet, StoreKey::from_file(args.central->fleet_key));
        store.use_fleet_key(fleet);
    }
    return store;
}

Expected<central::ReviewSettings> review_settings(const StoreArgs& args) {
    return daemon::load_review_config(args.config.empty() ? std::filesystem::path(k_default_config)
                                                          : args.config);
}

Expected<pg::Connection> connect_review(const StoreArgs& args) {
    DOCKSCAN_TRY_ASSIGN(const central::ReviewSettings settings, review_settings(args));
    DOCKSCAN_TRY_ASSIGN(pg::Connection connection,
                        pg::Connection::connect(central::connection_string(settings)));
    DOCKSCAN_TRY(central::require_review_role(connection));
    return connection;
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

Expected<CommandTarget> open_command_target(const StoreArgs& args, bool central) {
    CommandTarget target;
    if (!central) {
        DOCKSCAN_TRY_ASSIGN(target.store, open_store(args, OpenMode::existing));
        return target;
    }
    if (!args.store.empty() || !args.key_file.empty()) {
        return fail(ErrorCode::usage, "--central uses the [central_review] login of --config, "
                                      "not a station's --store or --key-file");
    }
    DOCKSCAN_TRY_ASSIGN(target.central, connect_review(args));
    return target;
}

} // namespace dockscan::agent
