#include "agent/daemon/start_check.hpp"

#include "agent/store/store_key.hpp"
#include "detectors/image/image_detector.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

namespace dockscan::agent::daemon {
namespace {

class Problems {
public:
    Problems(const DaemonConfig& config, std::filesystem::path file)
        : m_config(config), m_file(std::move(file)) {}

    // Records `reason` at the line of the first of `keys` the file sets, else the file.
    void add(std::initializer_list<const char*> keys, const std::string& reason) {
        std::string where = m_file.string();
        for (const char* key : keys) {
            if (const auto line = m_config.lines.find(key); line != m_config.lines.end()) {
                // Two appends: at -O3 GCC 12 reports a false -Wrestrict in ":" + ….
                where += ':';
                where += std::to_string(line->second);
                break;
            }
        }
        m_found.push_back(where + ": " + reason);
    }
    [[nodiscard]] std::vector<std::string> take() { return std::move(m_found); }

private:
    const DaemonConfig& m_config;
    std::filesystem::path m_file;
    std::vector<std::string> m_found;
};

bool readable(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return in.good();
}

void check_key(const DaemonConfig& config, const StartCheckEnvironment& environment,
               Problems& problems) {
    if (!config.key_file.empty()) {
        if (auto key = StoreKey::from_file(config.key_file); !key) {
            problems.add({"store.key_file"}, key.error().message);
        }
        return;
    }
    const char* loaded = std::getenv("CREDENTIALS_DIRECTORY");
    if (loaded != nullptr && *loaded != '\0') {
        if (auto key = StoreKey::from_credentials(); !key) {
            problems.add({"store"}, key.error().message);
        }
        return;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(environment.encrypted_credential, ec)) {
        problems.add({"store"}, "no store key: no store.key_file, and the credential " +
                                    environment.encrypted_credential.string() +
                                    " that the unit loads (LoadCredentialEncrypted=) is "
                                    "missing (see firmware-notes: the store and its key)");
    } else if (!readable(environment.encrypted_credential)) {
        problems.add({"store"}, "the credential " + environment.encrypted_credential.string() +
                                    " cannot be read (run the check as root)");
    }
}

void check_store(const DaemonConfig& config, Problems& problems) {
    std::error_code ec;
    if (!std::filesystem::exists(config.store, ec)) {
        problems.add({"store.path"}, "the store " + config.store.string() +
                                         " does not exist: make it with `dockscan init --store " +
                                         config.store.string() + "`");
    } else if (!std::filesystem::is_regular_file(config.store, ec)) {
        problems.add({"store.path"}, "the store " + config.store.string() + " is not a file");
    }
}

void check_leds(const DaemonConfig& config, const StartCheckEnvironment& environment,
                Problems& problems) {
    if (config.leds.empty()) {
        return;
    }
    // libgpiod looks a chip up by path, by name under /dev, or by number.
    const std::filesystem::path chip = config.gpio_chip.find('/') != std::string::npos
                                           ? std::filesystem::path(config.gpio_chip)
                                           : environment.dev / config.gpio_chip;
    std::error_code ec;
    if (!std::filesystem::exists(chip, ec)) {
        problems.add({"leds.chip", "leds"},
                     "the GPIO chip " + chip.string() +
                         " of the LEDs does not exist (gpioinfo lists the chips; leave "
                         "[leds] out on a station without LEDs)");
    }
}

} // namespace

std::vector<std::string> check_start(const DaemonConfig& config,
                                     const std::filesystem::path& config_file,
                                     const StartCheckEnvironment& environment) {
    Problems problems(config, config_file);
    check_store(config, problems);
    check_key(config, environment, problems);
    if (auto models = detectors::image::check_models(config.analysis.image); !models) {
        problems.add({"detectors.models", "detectors"}, models.error().message);
    }
    check_leds(config, environment, problems);
    if (!config.ios_backup_password_file.empty() && !readable(config.ios_backup_password_file)) {
        problems.add({"iphones.backup_password_file"},
                     "the backup password file " + config.ios_backup_password_file.string() +
                         " cannot be read");
    }
    return problems.take();
}

} // namespace dockscan::agent::daemon
