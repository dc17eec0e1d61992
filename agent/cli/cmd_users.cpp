#include "agent/central/central_users.hpp"
#include "agent/cli/cli_common.hpp"
#include "agent/cli/cli_table.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/store/users.hpp"

#include <cstdio>
#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace dockscan::agent {
namespace {

struct UserArgs {
    StoreArgs store;
    std::string name;
    std::string role;
    std::vector<std::string> units;
    std::string display_name;
    bool json = false;
    bool central = false; // the central review server's users, not the station's
};

// Turns terminal echo off while it lives, so a typed password is not shown.
class NoEcho {
public:
    NoEcho() {
        if (::tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;
    ~NoEcho() {
        if (m_active) {
            ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
            std::fputc('\n', stderr);
        }
    }

private:
    termios m_saved{};
    bool m_active = false;
};

Expected<std::string> read_line(const char* prompt) {
    std::string line;
    if (::isatty(STDIN_FILENO) == 1) {
        std::fputs(prompt, stderr);
        const NoEcho quiet;
        std::getline(std::cin, line);
    } else {
        std::getline(std::cin, line);
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

// The password comes from stdin, one line, never from the command line (where other
// users see it in the process list and the shell keeps it in its history).
Expected<std::string> read_password() {
    DOCKSCAN_TRY_ASSIGN(std::string password, read_line("New password: "));
    if (password.empty()) {
        return fail(ErrorCode::usage, "no password on stdin (give it as one line)");
    }
    if (::isatty(STDIN_FILENO) == 1) {
        DOCKSCAN_TRY_ASSIGN(const std::string again, read_line("Repeat the password: "));
        if (again != password) {
            return fail(ErrorCode::usage, "the passwords differ");
        }
    }
    return password;
}

std::string joined(const std::vector<std::string>& units, std::string_view separator) {
    std::string text;
    for (const std::string& unit : units) {
        if (!text.empty()) {
            text += separator;
        }
        text += unit;
    }
    return text;
}

// Where the subcommands run: the station's store, or (--central) the central database
// as the review role of --config's [central_review]. The subcommands are the same on
// either side; each change is audited where it is made: the station's audit log, or
// review_audit in the change's own transaction.
class Users {
public:
    static Expected<Users> open(const UserArgs& args) {
        Users users;
        DOCKSCAN_TRY_ASSIGN(users.m_target, open_command_target(args.store, args.central));
        return users;
    }

    Expected<void> add(const users::NewUser& user, std::string_view password) {
        if (m_target.central) {
            return central::add_user(*m_target.central, user, password, cli_actor()).map([](auto) {
            });
        }
        DOCKSCAN_TRY(users::add_user(*m_target.store, user, password));
        const std::string units = joined(user.units, ",");
        return station_audit("user_add", user.name,
                             "role=" + std::string(users::to_string(user.role)) +
                                 (units.empty() ? "" : " units=" + units));
    }

    Expected<std::vector<users::User>> list() {
        return m_target.central ? central::list(*m_target.central) : users::list(*m_target.store);
    }

    Expected<std::optional<users::Credentials>> credentials(std::string_view name) {
        return m_target.central ? central::credentials(*m_target.central, name)
                                : users::credentials(*m_target.store, name);
    }

    Expected<void> set_password(std::string_view name, std::string_view password) {
        if (m_target.central) {
            return central::set_password(*m_target.central, name, password, cli_actor());
        }
        DOCKSCAN_TRY(users::set_password(*m_target.store, name, password));
        return station_audit("user_passwd", name, "");
    }

    Expected<void> disable(std::string_view name) {
        if (m_target.central) {
            return central::disable(*m_target.central, name, cli_actor());
        }
        DOCKSCAN_TRY(users::disable(*m_target.store, name));
        return station_audit("user_disable", name, "");
    }

    Expected<void> enable(std::string_view name) {
        if (m_target.central) {
            return central::enable(*m_target.central, name, cli_actor());
        }
        DOCKSCAN_TRY(users::enable(*m_target.store, name));
        return station_audit("user_enable", name, "");
    }

    Expected<void> set_units(std::string_view name, const std::vector<std::string>& units) {
        if (m_target.central) {
            return central::set_units(*m_target.central, name, units, cli_actor());
        }
        DOCKSCAN_TRY(users::set_units(*m_target.store, name, units));
        return station_audit("user_units", name, "units=" + joined(units, ","));
    }

private:
    Users() = default;

    Expected<void> station_audit(std::string_view action, std::string_view name,
                                 std::string detail) {
        return m_target.store->append_audit(AuditEntry{
            cli_actor(), std::string(action), "user:" + std::string(name), std::move(detail)});
    }

    CommandTarget m_target;
};

Expected<void> add(const UserArgs& args) {
    const auto role = users::parse_role(args.role);
    if (!role) {
        return fail(ErrorCode::usage, "--role is supervisor, quality_lead or admin");
    }
    DOCKSCAN_TRY(users::check_name(args.name));
    DOCKSCAN_TRY_ASSIGN(auto target, Users::open(args));
    DOCKSCAN_TRY_ASSIGN(const std::string password, read_password());
    DOCKSCAN_TRY(target.add({args.name, args.display_name, *role, args.units}, password));
    std::printf("added user %s (%s)\n", args.name.c_str(), args.role.c_str());
    return {};
}

Expected<void> passwd(const UserArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Users::open(args));
    DOCKSCAN_TRY_ASSIGN(const auto known, target.credentials(args.name));
    if (!known) {
        return fail(ErrorCode::config, "unknown user '" + args.name + "'");
    }
    DOCKSCAN_TRY_ASSIGN(const std::string password, read_password());
    DOCKSCAN_TRY(target.set_password(args.name, password));
    std::printf("changed the password of %s\n", args.name.c_str());
    return {};
}

Expected<void> disable(const UserArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Users::open(args));
    DOCKSCAN_TRY(target.disable(args.name));
    std::printf("disabled user %s\n", args.name.c_str());
    return {};
}

Expected<void> enable(const UserArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Users::open(args));
    DOCKSCAN_TRY(target.enable(args.name));
    std::printf("enabled user %s\n", args.name.c_str());
    return {};
}

Expected<void> set_units(const UserArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Users::open(args));
    DOCKSCAN_TRY(target.set_units(args.name, args.units));
    std::printf("%s now reviews %s\n", args.name.c_str(), joined(args.units, ",").c_str());
    return {};
}

Expected<void> list(const UserArgs& args) {
    DOCKSCAN_TRY_ASSIGN(auto target, Users::open(args));
    DOCKSCAN_TRY_ASSIGN(const auto all, target.list());
    if (args.json) {
        Json array = Json::array();
        for (const auto& u : all) {
            array.push_back(Json{{"name", u.name},
                                 {"display_name", u.display_name},
                                 {"role", std::string(users::to_string(u.role))},
                                 {"units", u.units},
                                 {"disabled", u.disabled}});
        }
        std::printf("%s\n", array.dump().c_str());
        return {};
    }
    if (all.empty()) {
        std::printf("no users\n");
        return {};
    }
    std::vector<std::vector<std::string>> rows{{"NAME", "ROLE", "DISPLAY NAME", "UNITS", ""}};
    for (const auto& u : all) {
        rows.push_back({u.name, std::string(users::to_string(u.role)),
                        u.display_name.empty() ? "-" : u.display_name,
                        u.role == users::Role::supervisor ? joined(u.units, ", ") : "(all units)",
                        u.disabled ? "disabled" : ""});
    }
    print_table(rows);
    return {};
}

void on_run(CLI::App* cmd, const std::shared_ptr<UserArgs>& args, int& exit_code,
            Expected<void> (*run)(const UserArgs&)) {
    cmd->fallthrough();
    cmd->callback([args, &exit_code, run] {
        const auto done = run(*args);
        exit_code = done ? 0 : report(done.error());
    });
}

} // namespace

void add_users_command(CLI::App& app, int& exit_code) {
    auto* users_cmd = app.add_subcommand(
        "users", "People who use the review UI (with --central: the central review server's)");
    users_cmd->require_subcommand(1);
    auto args = std::make_shared<UserArgs>();
    // Before or after the subcommand (each falls through to here): the same subcommands
    // run against the central database instead of the station's store.
    users_cmd->add_flag("--central", args->central,
                        "The central review server's users, in the central PostgreSQL (the "
                        "[central_review] login of --config)");
    users_cmd->add_option("--config", args->store.config,
                          std::string("The station's configuration, or with --central the one "
                                      "with [central_review] (default: ") +
                              k_default_config + ")");

    auto* add_cmd =
        users_cmd->add_subcommand("add", "Add a user; the password is read from stdin (one line)");
    add_cmd->add_option("NAME", args->name, "Login name (a-z, 0-9, '.', '_', '-')")->required();
    add_cmd->add_option("--role", args->role, "supervisor, quality_lead or admin")->required();
    add_cmd->add_option("--unit", args->units, "A unit the supervisor reviews (repeatable)");
    add_cmd->add_option("--display-name,--name", args->display_name,
                        "Name shown in the review UI (\"Anna Berg\")");
    add_store_options(*add_cmd, args->store);
    on_run(add_cmd, args, exit_code, add);

    auto* list_cmd = users_cmd->add_subcommand("list", "List the users");
    add_store_options(*list_cmd, args->store);
    list_cmd->add_flag("--json", args->json, "Print a JSON array");
    on_run(list_cmd, args, exit_code, list);

    auto* passwd_cmd =
        users_cmd->add_subcommand("passwd", "Set a user's password, read from stdin (one line)");
    passwd_cmd->add_option("NAME", args->name, "Login name")->required();
    add_store_options(*passwd_cmd, args->store);
    on_run(passwd_cmd, args, exit_code, passwd);

    auto* enable_cmd = users_cmd->add_subcommand("enable", "Let a disabled user log in again");
    enable_cmd->add_option("NAME", args->name, "Login name")->required();
    add_store_options(*enable_cmd, args->store);
    on_run(enable_cmd, args, exit_code, enable);

    auto* units_cmd =
        users_cmd->add_subcommand("units", "Set the units a supervisor reviews (replaces them)");
    units_cmd->add_option("NAME", args->name, "Login name")->required();
    units_cmd->add_option("--unit", args->units, "A unit the supervisor reviews (repeatable)")
        ->required();
    add_store_options(*units_cmd, args->store);
    on_run(units_cmd, args, exit_code, set_units);

    auto* disable_cmd = users_cmd->add_subcommand("disable", "Stop a user from logging in");
    disable_cmd->add_option("NAME", args->name, "Login name")->required();
    add_store_options(*disable_cmd, args->store);
    on_run(disable_cmd, args, exit_code, disable);
}

} // namespace dockscan::agent
