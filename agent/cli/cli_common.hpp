#pragma once

// What the subcommands share: how a store and its key are named on the command line,
// and how errors become one line on stderr and an exit code.

#include "agent/error.hpp"
#include "agent/store/store.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

namespace dockscan::agent {

struct StoreArgs {
    std::filesystem::path store;
    std::filesystem::path key_file; // empty: the systemd credential
};

// Adds --store and --key-file to a subcommand.
void add_store_options(CLI::App& command, StoreArgs& args);

// Loads the key (file or systemd credential) and opens the store.
[[nodiscard]] Expected<Store> open_store(const StoreArgs& args, OpenMode mode);

// Prints "dockscan: <message>" on stderr and returns the exit code for the error.
int report(const Error& error);

// Who runs the command, as the audit log names them: "cli:<user>" of the real uid, and
// "(sudo, claimed by <name>)" beside it when SUDO_USER says who used sudo.
[[nodiscard]] std::string cli_actor();

} // namespace dockscan::agent
