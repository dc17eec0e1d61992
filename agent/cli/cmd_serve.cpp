#include "agent/central/central_review.hpp"
#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/stop_signals.hpp"
#include "agent/daemon/config.hpp"
#include "agent/web/http_server.hpp"
#include "agent/web/review_app.hpp"

#include <cstdio>
#include <spdlog/spdlog.h>

namespace dockscan::agent {
namespace {

struct ServeArgs {
    StoreArgs store;
    std::string listen; // empty: the config's [web] listen, or 127.0.0.1:8080
    std::filesystem::path tls_cert;
    std::filesystem::path tls_key;
    std::vector<std::string> server_names;
    // The municipality's review on the central PostgreSQL ([central_review] of --config)
    // instead of this station's store.
    bool central = false;
};

// The command line first; what it leaves out comes from the station's config ([web]),
// when there is one.
Expected<ServeArgs> with_config(ServeArgs args) {
    if (args.central) {
        // The review server's config holds [central_review], not a station's slots: the
        // address comes from the command line.
        if (args.listen.empty()) {
            args.listen = "127.0.0.1:8080";
        }
        return args;
    }
    std::filesystem::path config = args.store.config;
    std::error_code ec;
    if (config.empty() && args.store.store.empty() &&
        std::filesystem::exists(k_default_config, ec)) {
        config = k_default_config;
    }
    if (config.empty()) {
        if (args.listen.empty()) {
            args.listen = "127.0.0.1:8080";
        }
        return args;
    }
    DOCKSCAN_TRY_ASSIGN(const daemon::DaemonConfig station, daemon::load_config(config));
    if (args.listen.empty()) {
        args.listen = station.web_listen;
        if (args.tls_cert.empty() && args.tls_key.empty()) {
            args.tls_cert = station.web_tls_cert;
            args.tls_key = station.web_tls_key;
        }
    }
    if (args.server_names.empty()) {
        args.server_names = station.web_server_names;
    }
    return args;
}

Expected<web::ServerOptions> server_options(const ServeArgs& args) {
    DOCKSCAN_TRY_ASSIGN(const auto address, web::parse_listen_address(args.listen));
    if (args.tls_cert.empty() != args.tls_key.empty()) {
        return fail(ErrorCode::usage, "--tls-cert and --tls-key go together");
    }
    // Passwords, session cookies and client data would cross the network in clear.
    if (!web::is_loopback(address.host) && args.tls_cert.empty()) {
        return fail(ErrorCode::config, "refusing to listen on " + address.host +
                                           " without TLS: give --tls-cert and --tls-key, or "
                                           "listen on 127.0.0.1");
    }
    return web::ServerOptions{address, args.tls_cert, args.tls_key, args.server_names};
}

Expected<void> run(const ServeArgs& given) {
    // Signals first: the server's threads must start with SIGINT and SIGTERM blocked.
    std::stop_source stop;
    StopOnSignals signals(stop);
    DOCKSCAN_TRY_ASSIGN(const ServeArgs args, with_config(given));
    DOCKSCAN_TRY_ASSIGN(const auto options, server_options(args));
    const web::ReviewOptions review{!options.tls_cert.empty(), {}};
    const auto announce = [](const std::string& url) {
        // Tests and service wrappers read this line to find the port.
        std::printf("listening on %s\n", url.c_str());
        std::fflush(stdout);
    };
    if (args.central) {
        DOCKSCAN_TRY_ASSIGN(const central::ReviewSettings settings, review_settings(args.store));
        DOCKSCAN_TRY_ASSIGN(auto database, central::CentralDatabase::open(settings));
        web::ReviewApp app(*database, review);
        spdlog::info("central review of the municipality's database");
        DOCKSCAN_TRY(web::serve(app, options, stop.get_token(), announce));
    } else {
        DOCKSCAN_TRY_ASSIGN(auto store, open_store(args.store, OpenMode::existing));
        web::ReviewApp app(store, review);
        DOCKSCAN_TRY(web::serve(app, options, stop.get_token(), announce));
    }
    spdlog::info("review server stopped");
    return {};
}

} // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("serve", "Serve the supervisors' review UI (HTTP on loopback, "
                                            "HTTPS elsewhere)");
    auto args = std::make_shared<ServeArgs>();
    add_store_options(*cmd, args->store);
    cmd->add_option("--listen", args->listen,
                    "HOST:PORT to listen on (default: the config's [web] listen, or "
                    "127.0.0.1:8080; port 0: any free port)");
    cmd->add_option("--tls-cert", args->tls_cert, "PEM certificate (required off loopback)");
    cmd->add_option("--tls-key", args->tls_key, "PEM private key of the certificate");
    cmd->add_option("--server-name", args->server_names,
                    "a name browsers use for this server (the certificate's DNS name); "
                    "requests for other names are refused (repeatable)");
    cmd->add_flag("--central", args->central,
                  "serve the municipality's review from the central PostgreSQL "
                  "([central_review] of --config): every station's findings, the central "
                  "users");
    cmd->callback([args, &exit_code] {
        const auto done = run(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace dockscan::agent
