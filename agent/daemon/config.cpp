#include "agent/daemon/config.hpp"

#include <cmath>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <toml++/toml.h>

// The one translation unit that includes toml++.

namespace dockscan::agent::daemon {
namespace {

// Collects the first semantic error with the line of the key at fault.
class Checker {
public:
    explicit Checker(std::string file) : m_file(std::move(file)) {}

    void error(const toml::source_region& where, const std::string& reason) {
        if (m_error) {
            return;
        }
        m_error = m_file + ":" + std::to_string(where.begin.line) + ": " + reason;
    }
    void error_at(const toml::node* node, const toml::table& parent, const std::string& reason) {
        error(node != nullptr ? node->source() : parent.source(), reason);
    }
    [[nodiscard]] const std::optional<std::string>& result() const { return m_error; }

private:
    std::string m_file;
    std::optional<std::string> m_error;
};

// Unknown keys are refused: a misspelt key would otherwise silently keep its default.
void refuse_unknown(Checker& check, const toml::table& table, std::string_view where,
                    const std::set<std::string_view>& known) {
    for (const auto& [key, value] : table) {
        if (!known.contains(key.str())) {
            check.error(key.source(), "unknown key " + std::string(where) +
                                          (where.empty() ? "" : ".") + std::string(key.str()));
        }
    }
}

std::optional<std::string> get_string(Checker& check, const toml::table& t, std::string_view key,
                                      std::string_view where) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (const auto* s = node->as_string()) {
        return s->get();
    }
    check.error_at(node, t, std::string(where) + "." + std::string(key) + " must be a string");
    return std::nullopt;
}

std::optional<std::int64_t> get_int(Checker& check, const toml::table& t, std::string_view key,
                                    std::string_view where, std::int64_t min, std::int64_t max) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto* i = node->as_integer();
    if (i == nullptr) {
        check.error_at(node, t,
                       std::string(where) + "." + std::string(key) + " must be an integer");
        return std::nullopt;
    }
    if (i->get() < min || i->get() > max) {
        check.error_at(node, t,
                       std::string(where) + "." + std::string(key) + " must be between " +
                           std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return i->get();
}

std::optional<double> get_number(Checker& check, const toml::table& t, std::string_view key,
                                 std::string_view where, double min, double max) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    double value = 0;
    if (const auto* f = node->as_floating_point()) {
        value = f->get();
    } else if (const auto* i = node->as_integer()) {
        value = static_cast<double>(i->get());
    } else {
        check.error_at(node, t, std::string(where) + "." + std::string(key) + " must be a number");
        return std::nullopt;
    }
    if (!std::isfinite(value) || value < min || value > max) {
        check.error_at(node, t,
                       std::string(where) + "." + std::string(key) + " must be between " +
                           std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> get_bool(Checker& check, const toml::table& t, std::string_view key,
                             std::string_view where) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (const auto* b = node->as_boolean()) {
        return b->get();
    }
    check.error_at(node, t, std::string(where) + "." + std::string(key) + " must be true or false");
    return std::nullopt;
}

const toml::table* get_table(Checker& check, const toml::table& t, std::string_view key) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
        return nullptr;
    }
    if (const auto* table = node->as_table()) {
        return table;
    }
    check.error_at(node, t, std::string(key) + " must be a table ([" + std::string(key) + "])");
    return nullptr;
}

// "1-1.4": a bus number, a dash, and up to 7 port numbers separated by dots.
bool is_port_path(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash > 3) {
        return false;
    }
    for (char c : text.substr(0, dash)) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    std::string_view ports = text.substr(dash + 1);
    int count = 0;
    while (true) {
        const auto dot = ports.find('.');
        const std::string_view port = ports.substr(0, dot);
        if (port.empty() || port.size() > 3) {
            return false;
        }
        for (char c : port) {
            if (c < '0' || c > '9') {
                return false;
            }
        }
        if (++count > 7) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        ports.remove_prefix(dot + 1);
    }
}

void read_store(Checker& check, const toml::table& root, DaemonConfig& config) {
    const toml::table* t = get_table(check, root, "store");
    if (t == nullptr) {
        check.error(root.source(), "missing [store] with path = \"...\"");
        return;
    }
    refuse_unknown(check, *t, "store", {"path", "key_file"});
    if (auto path = get_string(check, *t, "path", "store")) {
        config.store = *path;
    } else {
        check.error(t->source(), "missing store.path");
    }
    if (auto key = get_string(check, *t, "key_file", "store")) {
        config.key_file = *key;
    }
}

void read_slots(Checker& check, const toml::table& root, DaemonConfig& config) {
    const toml::node* node = root.get("slots");
    if (node == nullptr) {
        check.error(root.source(), "missing [[slots]]: the station needs at least one slot");
        return;
    }
    const toml::array* slots = node->as_array();
    if (slots == nullptr || slots->empty()) {
        check.error(node->source(), "slots must be an array of tables ([[slots]])");
        return;
    }
    std::set<std::int64_t> numbers;
    for (const toml::node& entry : *slots) {
        const toml::table* t = entry.as_table();
        if (t == nullptr) {
            check.error(entry.source(), "each [[slots]] entry must be a table");
            return;
        }
        refuse_unknown(check, *t, "slots", {"port", "number", "label"});
        auto port = get_string(check, *t, "port", "slots");
        auto number = get_int(check, *t, "number", "slots", 1, 999);
        auto label = get_string(check, *t, "label", "slots");
        if (!port || !number) {
            check.error(t->source(), "a slot needs port = \"BUS-PORT.PORT\" and number = N");
            return;
        }
        if (!is_port_path(*port)) {
            check.error(t->get("port")->source(),
                        "slots.port " + *port + " is not a USB port path such as \"1-1.4\"");
            return;
        }
        if (config.slots.contains(*port)) {
            check.error(t->get("port")->source(), "USB port " + *port + " is mapped twice");
            return;
        }
        if (!numbers.insert(*number).second) {
            check.error(t->get("number")->source(),
                        "slot number " + std::to_string(*number) + " is used twice");
            return;
        }
        config.slots[*port] =
            Slot{static_cast<int>(*number), label ? *label : "Plats " + std::to_string(*number)};
    }
}

void read_sampling(Checker& check, const toml::table& root, DaemonConfig& config) {
    const toml::table* t = get_table(check, root, "sampling");
    if (t == nullptr) {
        return;
    }
    refuse_unknown(check, *t, "sampling", {"policy", "share", "seed"});
    if (auto policy = get_string(check, *t, "policy", "sampling")) {
        if (*policy == "every_docking") {
            config.sampling.mode = SamplingMode::every_docking;
        } else if (*policy == "quota") {
            config.sampling.mode = SamplingMode::quota;
        } else {
            check.error(t->get("policy")->source(),
                        "sampling.policy must be \"every_docking\" or \"quota\", not \"" + *policy +
                            "\"");
        }
    }
    if (auto share = get_number(check, *t, "share", "sampling", 0.01, 1.0)) {
        config.sampling.share = *share;
    }
    if (auto seed = get_int(check, *t, "seed", "sampling", 0, INT64_MAX)) {
        config.sampling.seed = static_cast<std::uint64_t>(*seed);
    }
}

void read_detectors(Checker& check, const toml::table& root, DaemonConfig& config) {
    const toml::table* t = get_table(check, root, "detectors");
    if (t == nullptr) {
        return;
    }
    refuse_unknown(check, *t, "detectors",
                   {"min_confidence", "ocr", "ocr_languages", "tessdata", "models", "workers",
                    "sandbox", "worker_memory_mb", "item_timeout_s"});
    if (auto min = get_number(check, *t, "min_confidence", "detectors", 0.0, 1.0)) {
        config.analysis.text.min_confidence = *min;
        config.analysis.image.text.min_confidence = *min;
    }
    if (auto ocr = get_bool(check, *t, "ocr", "detectors")) {
        config.analysis.image.ocr =
            *ocr ? detectors::image::Ocr::enabled : detectors::image::Ocr::disabled;
    }
    if (auto languages = get_string(check, *t, "ocr_languages", "detectors")) {
        config.analysis.image.ocr_languages = *languages;
    }
    if (auto tessdata = get_string(check, *t, "tessdata", "detectors")) {
        config.analysis.image.tessdata = *tessdata;
    }
    if (auto models = get_string(check, *t, "models", "detectors")) {
        config.analysis.image.models = *models;
    }
    if (auto workers = get_int(check, *t, "workers", "detectors", 0, 64)) {
        config.workers = static_cast<std::size_t>(*workers);
    }
    if (auto sandbox = get_bool(check, *t, "sandbox", "detectors")) {
        config.sandbox = *sandbox;
    }
    if (auto memory = get_int(check, *t, "worker_memory_mb", "detectors", 16, 65536)) {
        config.worker_memory_mb = static_cast<std::uint64_t>(*memory);
    }
    if (auto timeout = get_int(check, *t, "item_timeout_s", "detectors", 1, 3600)) {
        config.item_timeout = std::chrono::seconds(*timeout);
    }
}

void read_misc(Checker& check, const toml::table& root, DaemonConfig& config) {
    if (const toml::table* t = get_table(check, root, "retention")) {
        refuse_unknown(check, *t, "retention", {"days"});
        if (auto days = get_int(check, *t, "days", "retention", 30, 3650)) {
            config.retention_days = static_cast<int>(*days);
        }
    }
    if (const toml::table* t = get_table(check, root, "web")) {
        refuse_unknown(check, *t, "web", {"listen", "tls_cert", "tls_key", "server_names"});
        if (auto listen = get_string(check, *t, "listen", "web")) {
            config.web_listen = *listen;
        }
        if (auto cert = get_string(check, *t, "tls_cert", "web")) {
            config.web_tls_cert = *cert;
        }
        if (auto key = get_string(check, *t, "tls_key", "web")) {
            config.web_tls_key = *key;
        }
        if (const toml::node* names = t->get("server_names")) {
            const toml::array* list = names->as_array();
            if (list == nullptr) {
                check.error_at(names, *t, "web.server_names must be a list of names");
            } else {
                for (const toml::node& name : *list) {
                    if (const auto* text = name.as_string()) {
                        config.web_server_names.push_back(text->get());
                    } else {
                        check.error_at(&name, *t, "web.server_names must be a list of names");
                    }
                }
            }
        }
    }
    if (const toml::table* t = get_table(check, root, "status")) {
        refuse_unknown(check, *t, "status", {"socket", "show_review"});
        if (auto show = get_bool(check, *t, "show_review", "status")) {
            config.show_review_at_dock = *show;
        }
        if (auto socket = get_string(check, *t, "socket", "status")) {
            // sockaddr_un holds 108 bytes with the terminating NUL.
            if (socket->empty() || socket->size() > 100) {
                check.error(t->get("socket")->source(),
                            "status.socket must be a path of 1 to 100 bytes");
            }
            config.status_socket = *socket;
        }
    }
    if (const toml::table* t = get_table(check, root, "sessions")) {
        refuse_unknown(check, *t, "sessions",
                       {"authorise_timeout_s", "transfer_timeout_s", "passcode_timeout_s"});
        if (auto s = get_int(check, *t, "authorise_timeout_s", "sessions", 1, 3600)) {
            config.authorise_timeout = std::chrono::seconds(*s);
        }
        if (auto s = get_int(check, *t, "transfer_timeout_s", "sessions", 1, 600)) {
            config.transfer_timeout = std::chrono::seconds(*s);
        }
        if (auto s = get_int(check, *t, "passcode_timeout_s", "sessions", 1, 3600)) {
            config.passcode_timeout = std::chrono::seconds(*s);
        }
    }
    if (const toml::table* t = get_table(check, root, "iphones")) {
        refuse_unknown(check, *t, "iphones", {"backup_password_file"});
        if (auto file = get_string(check, *t, "backup_password_file", "iphones")) {
            config.ios_backup_password_file = *file;
        }
    }
    if (const toml::table* t = get_table(check, root, "events")) {
        refuse_unknown(check, *t, "events", {"source", "script", "poll_interval_ms", "watch"});
        if (auto source = get_string(check, *t, "source", "events")) {
            if (*source == "usb") {
                config.events = EventSourceKind::usb;
            } else if (*source == "script") {
                config.events = EventSourceKind::script;
            } else {
                check.error(t->get("source")->source(),
                            "events.source must be \"usb\" or \"script\", not \"" + *source + "\"");
            }
        }
        if (auto script = get_string(check, *t, "script", "events")) {
            if (script->empty() || script->size() > 100) {
                check.error(t->get("script")->source(),
                            "events.script must be a path of 1 to 100 bytes");
            }
            config.event_script = *script;
        }
        if (auto watch = get_string(check, *t, "watch", "events")) {
            if (*watch == "hotplug") {
                config.usb_force_polling = false;
            } else if (*watch == "polling") {
                config.usb_force_polling = true;
            } else {
                check.error(t->get("watch")->source(),
                            "events.watch must be \"hotplug\" or \"polling\", not \"" + *watch +
                                "\"");
            }
        }
        if (auto ms = get_int(check, *t, "poll_interval_ms", "events", 100, 60'000)) {
            config.usb_poll_interval = std::chrono::milliseconds(*ms);
        }
        if (config.events == EventSourceKind::script && config.event_script.empty()) {
            check.error(t->source(), "events.source = \"script\" needs events.script = \"PATH\"");
        }
    }
}

void read_leds(Checker& check, const toml::table& root, DaemonConfig& config) {
    const toml::table* t = get_table(check, root, "leds");
    if (t == nullptr) {
        return;
    }
    refuse_unknown(check, *t, "leds", {"chip", "slot"});
    if (auto chip = get_string(check, *t, "chip", "leds")) {
        config.gpio_chip = *chip;
    }
    const toml::node* node = t->get("slot");
    if (node == nullptr) {
        return;
    }
    const toml::array* pins = node->as_array();
    if (pins == nullptr) {
        check.error(node->source(), "leds.slot must be an array of tables ([[leds.slot]])");
        return;
    }
    std::set<std::int64_t> used;
    for (const toml::node& entry : *pins) {
        const toml::table* p = entry.as_table();
        if (p == nullptr) {
            check.error(entry.source(), "each [[leds.slot]] entry must be a table");
            return;
        }
        refuse_unknown(check, *p, "leds.slot", {"number", "busy", "attention"});
        auto number = get_int(check, *p, "number", "leds.slot", 1, 999);
        auto busy = get_int(check, *p, "busy", "leds.slot", 0, 1023);
        auto attention = get_int(check, *p, "attention", "leds.slot", 0, 1023);
        if (!number) {
            check.error(p->source(), "a [[leds.slot]] entry needs number = N");
            return;
        }
        bool known = false;
        for (const auto& [port, slot] : config.slots) {
            known = known || slot.number == *number;
        }
        if (!known) {
            check.error(p->get("number")->source(),
                        "leds.slot number " + std::to_string(*number) + " is no configured slot");
            return;
        }
        for (const auto& pin : {busy, attention}) {
            if (pin && !used.insert(*pin).second) {
                check.error(p->source(), "GPIO line " + std::to_string(*pin) + " is used twice");
                return;
            }
        }
        config.leds[static_cast<int>(*number)] = LedPins{
            busy ? static_cast<int>(*busy) : -1, attention ? static_cast<int>(*attention) : -1};
    }
}

// Reads a section's text and path keys into their targets; each one is required (an
// error with the section's line when missing or empty) except `optional`.
void read_keys(Checker& check, const toml::table& t, std::string_view section,
               std::span<const std::pair<std::string_view, std::string*>> texts,
               std::span<const std::pair<std::string_view, std::filesystem::path*>> paths,
               std::string_view optional = {}) {
    const auto read = [&](std::string_view key, auto* target) {
        if (auto value = get_string(check, t, key, section); value && !value->empty()) {
            *target = *value;
        } else if (key != optional) {
            check.error(t.source(), std::string(section) + "." + std::string(key) + " is required");
        }
    };
    for (const auto& [key, target] : texts) {
        read(key, target);
    }
    for (const auto& [key, target] : paths) {
        read(key, target);
    }
}

// [central]: every key is needed once the section is there; a half-configured
// central side would fail only at the first sync.
void read_central(Checker& check, const toml::table& root, DaemonConfig& config) {
    const toml::table* t = get_table(check, root, "central");
    if (t == nullptr) {
        return;
    }
    refuse_unknown(check, *t, "central",
                   {"conninfo", "station", "role", "sslrootcert", "sslcert", "sslkey",
                    "review_public_key", "fleet_key"});
    central::CentralSettings settings;
    const std::pair<std::string_view, std::string*> texts[] = {
        {"conninfo", &settings.conninfo}, {"station", &settings.station}, {"role", &settings.role}};
    const std::pair<std::string_view, std::filesystem::path*> paths[] = {
        {"sslrootcert", &settings.sslrootcert},
        {"sslcert", &settings.sslcert},
        {"sslkey", &settings.sslkey},
        {"review_public_key", &settings.review_public_key},
        {"fleet_key", &settings.fleet_key}};
    read_keys(check, *t, "central", texts, paths);
    config.central = std::move(settings);
}

// [central_review]: the review server's login to the central database. Every key but
// review_secret_key (only the review UI opens evidence) is needed once it is there.
std::optional<central::ReviewSettings> read_central_review(Checker& check,
                                                           const toml::table& root) {
    const toml::table* t = get_table(check, root, "central_review");
    if (t == nullptr) {
        return std::nullopt;
    }
    refuse_unknown(check, *t, "central_review",
                   {"conninfo", "role", "sslrootcert", "sslcert", "sslkey", "review_secret_key"});
    central::ReviewSettings settings;
    const std::pair<std::string_view, std::string*> texts[] = {{"conninfo", &settings.conninfo},
                                                               {"role", &settings.role}};
    const std::pair<std::string_view, std::filesystem::path*> paths[] = {
        {"sslrootcert", &settings.sslrootcert},
        {"sslcert", &settings.sslcert},
        {"sslkey", &settings.sslkey},
        {"review_secret_key", &settings.review_secret_key}};
    read_keys(check, *t, "central_review", texts, paths, "review_secret_key");
    return settings;
}

// Relative paths of [central_review] are relative to the configuration file.
void resolve_review_paths(const std::filesystem::path& base, central::ReviewSettings& settings) {
    for (auto* p : {&settings.sslrootcert, &settings.sslcert, &settings.sslkey,
                    &settings.review_secret_key}) {
        if (!p->empty() && p->is_relative()) {
            *p = base / *p;
        }
    }
}

Expected<toml::table> parse_file(const std::filesystem::path& path) {
    try {
        return toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        const auto& where = e.source();
        std::string message = path.string();
        if (where.begin.line > 0) {
            message += ":" + std::to_string(where.begin.line);
        }
        return fail(ErrorCode::config, message + ": " + std::string(e.description()));
    }
}

} // namespace

Expected<central::ReviewSettings> load_review_config(const std::filesystem::path& path) {
    DOCKSCAN_TRY_ASSIGN(const toml::table root, parse_file(path));
    Checker check(path.string());
    auto settings = read_central_review(check, root);
    if (check.result()) {
        return fail(ErrorCode::config, *check.result());
    }
    if (!settings) {
        return fail(ErrorCode::config,
                    path.string() + " has no [central_review]: the review server's login to the "
                                    "central database (firmware-notes/central.md)");
    }
    resolve_review_paths(path.parent_path(), *settings);
    return *settings;
}

Expected<DaemonConfig> load_config(const std::filesystem::path& path) {
    DOCKSCAN_TRY_ASSIGN(const toml::table root, parse_file(path));
    Checker check(path.string());
    refuse_unknown(check, root, "",
                   {"store", "slots", "sampling", "detectors", "retention", "web", "status",
                    "sessions", "iphones", "events", "leds", "central", "central_review"});
    DaemonConfig config;
    read_store(check, root, config);
    read_slots(check, root, config);
    read_sampling(check, root, config);
    read_detectors(check, root, config);
    read_misc(check, root, config);
    read_leds(check, root, config);
    read_central(check, root, config);
    // A station's file may name the review server's login too (one machine for both);
    // it is checked here, and read by `load_review_config`.
    (void)read_central_review(check, root);
    if (check.result()) {
        return fail(ErrorCode::config, *check.result());
    }
    for (const auto& [section, node] : root) {
        if (const toml::table* t = node.as_table()) {
            config.lines[std::string(section.str())] = static_cast<int>(t->source().begin.line);
            for (const auto& [key, value] : *t) {
                config.lines[std::string(section.str()) + "." + std::string(key.str())] =
                    static_cast<int>(key.source().begin.line);
            }
        }
    }
    // Relative paths are relative to the configuration file, not to the working folder
    // systemd happens to start the daemon in.
    const auto base = path.parent_path();
    for (auto* p : {&config.store, &config.key_file, &config.status_socket, &config.event_script,
                    &config.ios_backup_password_file}) {
        if (!p->empty() && p->is_relative()) {
            *p = base / *p;
        }
    }
    if (config.central) {
        for (auto* p :
             {&config.central->sslrootcert, &config.central->sslcert, &config.central->sslkey,
              &config.central->review_public_key, &config.central->fleet_key}) {
            if (p->is_relative()) {
                *p = base / *p;
            }
        }
    }
    return config;
}

} // namespace dockscan::agent::daemon
