#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"

#include <cstdio>
#include <system_error>

namespace dockscan::agent {

void add_init_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "init", "Create a new store, and a new random key file when the file does not exist");
    auto args = std::make_shared<StoreArgs>();
    add_store_options(*cmd, *args);
    cmd->callback([args, &exit_code] {
        std::error_code ec;
        if (!args->key_file.empty() && !std::filesystem::exists(args->key_file, ec)) {
            auto created = StoreKey::create_file(args->key_file);
            if (!created) {
                exit_code = report(created.error());
                return;
            }
            std::printf("created key file %s (mode 0600); keep a copy somewhere safe\n",
                        args->key_file.c_str());
        }
        if (std::filesystem::exists(args->store, ec)) {
            exit_code = report(Error{ErrorCode::config, "store " + args->store.string() +
                                                            " exists already; init creates "
                                                            "new stores only"});
            return;
        }
        auto store = open_store(*args, OpenMode::create);
        if (!store) {
            exit_code = report(store.error());
            return;
        }
        std::printf("created store %s (schema version %d)\n", args->store.c_str(),
                    store->schema_version());
        exit_code = 0;
    });
}

} // namespace dockscan::agent
