#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"

#include <cstdio>
#include <system_error>

namespace dockscan::agent {

void add_init_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "init", "Create a new store, and a new random key file when the file does not exist");
    auto options = std::make_shared<StoreArgs>();
    add_store_options(*cmd, *options);
    cmd->callback([given = options, &exit_code] {
        auto resolved = resolve_store(*given);
        if (!resolved) {
            exit_code = report(resolved.error());
            return;
        }
        const auto args = std::make_shared<StoreArgs>(*resolved);
        std::error_code ec;
        // The store first: a refused init leaves no new key file behind.
        if (std::filesystem::exists(args->store, ec)) {
            exit_code = report(Error{ErrorCode::config, "store " + args->store.string() +
                                                            " exists already; init creates "
                                                            "new stores only"});
            return;
        }
        bool created_key = false;
        if (!args->key_file.empty() && !std::filesystem::exists(args->key_file, ec)) {
            auto created = StoreKey::create_file(args->key_file);
            if (!created) {
                exit_code = report(created.error());
                return;
            }
            created_key = true;
        }
        auto store = open_store(*args, OpenMode::create);
        if (!store) {
            // Nothing was made with the new key: do not leave it to be mistaken for one.
            if (created_key) {
                std::filesystem::remove(args->key_file, ec);
            }
            exit_code = report(store.error());
            return;
        }
        if (created_key) {
            std::printf("created key file %s (mode 0600); keep a copy somewhere safe\n",
                        args->key_file.c_str());
        }
        std::printf("created store %s (schema version %d)\n", args->store.c_str(),
                    store->schema_version());
        exit_code = 0;
    });
}

} // namespace dockscan::agent
