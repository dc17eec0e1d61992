#pragma once

// What the subcommands share: how a store and its key are named on the command line,
// and how errors become one line on stderr and an exit code.

#include "agent/central/central_settings.hpp"
#include "agent/central/pg_seam.hpp"
#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>

namespace dockscan::agent {

struct StoreArgs {
    std::filesystem::path store;
    std::filesystem::path key_file; // empty: the systemd credential
    std::filesystem::path config;   // where store and key_file come from when not given
    // The config's [central], when the store came from a config that has one: match
    // hashes then use its fleet key.
    std::optional<central::CentralSettings> central{};
};

// The station's configuration, which every subcommand reads when it exists and no
// --store is given.
inline constexpr const char* k_default_config = "/etc/dockscan/dockscan.toml";

// Adds --store, --key-file and --config to a subcommand.
void add_store_options(CLI::App& command, StoreArgs& args);

// The store and key file to use: --store and --key-file as given; without --store,
// those of --config, or of /etc/dockscan/dockscan.toml when it exists. ErrorCode::usage
// when there is neither.
[[nodiscard]] Expected<StoreArgs> resolve_store(const StoreArgs& args);

// Loads the key (file or systemd credential) and opens the store (resolved as above).
// A store that does not exist names `dockscan init`.
[[nodiscard]] Expected<Store> open_store(const StoreArgs& args, OpenMode mode);

// The [central_review] section of --config (or of /etc/dockscan/dockscan.toml).
[[nodiscard]] Expected<central::ReviewSettings> review_settings(const StoreArgs& args);

// The central database as the review role: the [central_review] login of --config (or
// of /etc/dockscan/dockscan.toml). ErrorCode::config when that login is not a review
// role (a station's role would see only its own station's rows).
[[nodiscard]] Expected<pg::Connection> connect_review(const StoreArgs& args);

// Where a users, units or phones subcommand runs: the station's store, or (`central`)
// the central database as the review role of --config's [central_review] (a station's
// --store or --key-file beside --central is a usage error). Exactly one is set.
struct CommandTarget {
    std::optional<Store> store;
    std::optional<pg::Connection> central;
};
[[nodiscard]] Expected<CommandTarget> open_command_target(const StoreArgs& args, bool central);

// Prints "dockscan: <message>" on stderr and returns the exit code for the error.
int report(const Error& error);

// Who runs the command, as the audit log names them: "cli:<user>" of the real uid, and
// "(sudo, claimed by <name>)" beside it when SUDO_USER says who used sudo.
[[nodiscard]] std::string cli_actor();

} // namespace dockscan::agent
