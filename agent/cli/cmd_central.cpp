// `dockscan central`: the municipality's central database (issue 18). The admin's
// commands on the central side (migrate, add-station, add-review-role, keygen) and the
// station's sync of its outbox (`central sync`, which `dockscan run` also does on a
// thread of its own).

#include "agent/central/central_schema.hpp"
#include "agent/central/central_settings.hpp"
#include "agent/central/outbox_sender.hpp"
#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/stop_signals.hpp"
#include "agent/store/outbox.hpp"

#include <cstdio>
#include <memory>
#include <spdlog/spdlog.h>

namespace dockscan::agent {
namespace {

struct CentralArgs {
    std::string conninfo;
    std::string station;
    std::string role;
    std::filesystem::path public_key;
    std::filesystem::path secret_key;
    StoreArgs store;
    bool once = false;
};

Expected<pg::Connection> connect_owner(const CentralArgs& args) {
    return pg::Connection::connect(args.conninfo);
}

Expected<void> migrate(const CentralArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto owner, connect_owner(args));
    DOCKSCAN_TRY_ASSIGN(const int version, central::migrate(owner));
    std::printf("the central database is at schema version %d\n", version);
    return {};
}

Expected<void> add_station(const CentralArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto owner, connect_owner(args));
    DOCKSCAN_TRY(central::add_station(owner, args.station, args.role));
    std::printf("station '%s' logs in as role '%s' (its client certificate's CN)\n",
                args.station.c_str(), args.role.c_str());
    return {};
}

Expected<void> add_review_role(const CentralArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto owner, connect_owner(args));
    DOCKSCAN_TRY(central::add_review_role(owner, args.role));
    std::printf("role '%s' reads every station and writes decisions\n", args.role.c_str());
    return {};
}

Expected<void> keygen(const CentralArgs& args) {
    DOCKSCAN_TRY(central::write_review_keypair(args.public_key, args.secret_key));
    std::printf("review key pair written: %s (for every station's [central] "
                "review_public_key), %s (the review server's only, mode 0600)\n",
                args.public_key.c_str(), args.secret_key.c_str());
    return {};
}

Expected<void> sync(const CentralArgs& args) {
    DOCKSCAN_TRY_ASSIGN(const StoreArgs resolved, resolve_store(args.store));
    if (!resolved.central) {
        return fail(ErrorCode::config, "the station's config has no [central] section: see "
                                       "firmware-notes/central.md");
    }
    DOCKSCAN_TRY_ASSIGN(auto store, open_store(resolved, OpenMode::existing));
    DOCKSCAN_TRY_ASSIGN(auto keys, central::load_keys(*resolved.central));
    central::OutboxSender sender(*resolved.central, std::move(keys));
    if (args.once) {
        DOCKSCAN_TRY_ASSIGN(const central::SyncReport sent, sender.sync(store));
        DOCKSCAN_TRY_ASSIGN(const outbox::Status status, outbox::status(store));
        std::printf("sent %lld rows in %lld batches; applied up to outbox row %lld; %lld rows "
                    "waiting; %lld central decisions fetched, %lld recorded on this station's "
                    "findings\n",
                    static_cast<long long>(sent.rows), static_cast<long long>(sent.batches),
                    static_cast<long long>(sent.applied_id), static_cast<long long>(status.waiting),
                    static_cast<long long>(sent.decisions_fetched),
                    static_cast<long long>(sent.decisions_recorded));
        std::printf("%s\n", central::describe(sent.register_applied).c_str());
        return {};
    }
    std::stop_source stop;
    StopOnSignals signals(stop);
    const StoreKey* key = nullptr;
    auto loaded = resolved.key_file.empty() ? StoreKey::from_credentials()
                                            : StoreKey::from_file(resolved.key_file);
    if (!loaded) {
        return tl::unexpected(loaded.error());
    }
    key = &*loaded;
    sender.run(
        stop.get_token(), [&] { return Store::open(resolved.store, *key, OpenMode::existing); }, {},
        [](const std::string& line) { spdlog::warn("{}", line); });
    return {};
}

template <typename Run>
void on_run(CLI::App* cmd, std::shared_ptr<CentralArgs> args, int& exit_code, Run run) {
    cmd->callback([args, &exit_code, run] {
        const auto done = run(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace

void add_central_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<CentralArgs>();
    auto* central = app.add_subcommand(
        "central", "The municipality's central database (PostgreSQL): set it up, and sync "
                   "this station's outbox to it");
    central->require_subcommand(1);

    const std::string conninfo_help =
        "libpq connection string of the database's owner role, e.g. \"host=db.kommun.se "
        "dbname=dockscan user=dockscan_owner sslmode=verify-full sslrootcert=ca.crt "
        "sslcert=owner.crt sslkey=owner.key\"";
    auto* migrate_cmd = central->add_subcommand(
        "migrate", "Apply the central schema's migrations (as the database's owner role)");
    migrate_cmd->add_option("--conninfo", args->conninfo, conninfo_help)->required();
    on_run(migrate_cmd, args, exit_code, migrate);

    auto* station_cmd = central->add_subcommand(
        "add-station", "Register a station and its login role (its client certificate's CN)");
    station_cmd->add_option("--conninfo", args->conninfo, conninfo_help)->required();
    station_cmd->add_option("--station", args->station, "The station's id ([central] station)")
        ->required();
    station_cmd->add_option("--role", args->role, "Its login role ([central] role)")->required();
    on_run(station_cmd, args, exit_code, add_station);

    auto* review_cmd = central->add_subcommand(
        "add-review-role", "Create the review server's login role (reads all, writes decisions)");
    review_cmd->add_option("--conninfo", args->conninfo, conninfo_help)->required();
    review_cmd->add_option("--role", args->role, "The role's name")->required();
    on_run(review_cmd, args, exit_code, add_review_role);

    auto* keygen_cmd = central->add_subcommand(
        "keygen", "Make the review server's key pair: evidence is sealed to its public key");
    keygen_cmd->add_option("--public", args->public_key, "Where to write the public key")
        ->required();
    keygen_cmd->add_option("--secret", args->secret_key, "Where to write the secret key")
        ->required();
    on_run(keygen_cmd, args, exit_code, keygen);

    auto* sync_cmd = central->add_subcommand(
        "sync", "Send this station's outbox to the central database (until stopped, with "
                "backoff while it is away; --once: what is queued now, then exit)");
    add_store_options(*sync_cmd, args->store);
    sync_cmd->add_flag("--once", args->once, "Send what is queued, then exit");
    on_run(sync_cmd, args, exit_code, sync);
}

} // namespace dockscan::agent
