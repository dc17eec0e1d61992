// The station's configuration: what a good file gives, and that a bad one is refused
// with the line of the key at fault.

#include "agent/daemon/config.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace dockscan::agent::daemon;
using dockscan::testing::TempDir;
using dockscan::testing::write_file;

namespace {

constexpr const char* k_good = R"toml(# A station with two slots
[store]
path = "/var/lib/dockscan/dockscan.db"
key_file = "store.key"

[[slots]]
port = "1-1.4"
number = 1
label = "Vänster"

[[slots]]
port = "1-1.3.2"
number = 2

[sampling]
policy = "quota"
share = 0.25
seed = 7

[detectors]
min_confidence = 0.6
ocr = false
models = "/opt/dockscan/models"
workers = 2

[retention]
days = 400

[web]
listen = "0.0.0.0:8443"

[status]
socket = "/run/dockscan/status.sock"
show_review = true

[sessions]
authorise_timeout_s = 90
transfer_timeout_s = 20

[events]
source = "script"
script = "/tmp/events.sock"
watch = "polling"

[leds]
chip = "gpiochip1"
[[leds.slot]]
number = 1
busy = 17
attention = 27
)toml";

} // namespace

TEST_CASE("a complete configuration is read with every setting", "[daemon][config]") {
    TempDir tmp;
    write_file(tmp / "dockscan.toml", k_good);
    auto config = load_config(tmp / "dockscan.toml");
    INFO((config ? "" : config.error().message));
    REQUIRE(config);
    CHECK(config->store == "/var/lib/dockscan/dockscan.db");
    // Relative paths are taken from the configuration's folder.
    CHECK(config->key_file == tmp / "store.key");
    REQUIRE(config->slots.size() == 2);
    CHECK(config->slots.at("1-1.4").number == 1);
    CHECK(config->slots.at("1-1.4").label == "Vänster");
    CHECK(config->slots.at("1-1.3.2").label == "Plats 2");
    CHECK(config->sampling.mode == SamplingMode::quota);
    CHECK(config->sampling.share == Approx(0.25));
    CHECK(config->sampling.seed == 7u);
    CHECK(config->analysis.text.min_confidence == Approx(0.6));
    CHECK(config->analysis.image.ocr == dockscan::detectors::image::Ocr::disabled);
    CHECK(config->analysis.image.models == "/opt/dockscan/models");
    CHECK(config->workers == 2);
    CHECK(config->retention_days == 400);
    CHECK(config->web_listen == "0.0.0.0:8443");
    CHECK(config->show_review_at_dock);
    CHECK(config->authorise_timeout == std::chrono::seconds(90));
    CHECK(config->transfer_timeout == std::chrono::seconds(20));
    CHECK(config->events == EventSourceKind::script);
    CHECK(config->event_script == "/tmp/events.sock");
    CHECK(config->usb_force_polling);
    CHECK(config->gpio_chip == "gpiochip1");
    CHECK(config->leds.at(1).busy == 17);
    CHECK(config->leds.at(1).attention == 27);
}

TEST_CASE("the defaults: every docking, 20 % share, USB events", "[daemon][config]") {
    TempDir tmp;
    write_file(tmp / "min.toml",
               "[store]\npath = \"s.db\"\n[[slots]]\nport = \"2-1\"\nnumber = 3\n");
    auto config = load_config(tmp / "min.toml");
    REQUIRE(config);
    CHECK(config->sampling.mode == SamplingMode::every_docking);
    CHECK(config->sampling.share == Approx(0.20));
    CHECK(config->events == EventSourceKind::usb);
    CHECK(config->key_file.empty()); // the systemd credential
    CHECK(config->leds.empty());
    // Nobody standing by the dock learns whose phone had findings.
    CHECK_FALSE(config->show_review_at_dock);
}

TEST_CASE("a bad configuration is refused with its line and reason", "[daemon][config]") {
    struct Case {
        const char* text;
        const char* expected; // ":LINE: reason" fragment
    };
    const auto c = GENERATE(
        Case{"[store]\npath = \"s\"\n[[slots]\nport = \"1-1\"\n", ":3:"},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n[sampling]\n"
             "policy = \"weekly\"\n",
             ":7: sampling.policy must be \"every_docking\" or \"quota\""},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n[sampling]\n"
             "share = 1.5\n",
             ":7: sampling.share must be between"},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"usb3\"\nnumber = 1\n",
             ":4: slots.port usb3 is not a USB port path"},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n[[slots]]\n"
             "port = \"1-2\"\nnumber = 1\n",
             ":8: slot number 1 is used twice"},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n\n[sessions]\n"
             "authorize_timeout_s = 5\n",
             ":8: unknown key sessions.authorize_timeout_s"},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n[events]\n"
             "source = \"script\"\n",
             ":6: events.source = \"script\" needs events.script"},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n[retention]\n"
             "days = \"forever\"\n",
             ":7: retention.days must be an integer"},
        Case{"[store]\npath = \"s\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n[[leds.slot]]\n"
             "number = 2\nbusy = 4\n",
             ":7: leds.slot number 2 is no configured slot"},
        Case{"[store]\nkey_file = \"k\"\n[[slots]]\nport = \"1-1\"\nnumber = 1\n",
             ":1: missing store.path"});
    TempDir tmp;
    write_file(tmp / "bad.toml", c.text);
    auto config = load_config(tmp / "bad.toml");
    REQUIRE_FALSE(config);
    CHECK(config.error().code == dockscan::agent::ErrorCode::config);
    INFO(config.error().message);
    CHECK(config.error().message.find((tmp / "bad.toml").string() + c.expected) !=
          std::string::npos);
}

TEST_CASE("a configuration file that does not exist is refused", "[daemon][config]") {
    TempDir tmp;
    auto config = load_config(tmp / "missing.toml");
    REQUIRE_FALSE(config);
    CHECK(config.error().code == dockscan::agent::ErrorCode::config);
}

TEST_CASE("the review server's [central_review] login is read with paths beside its file",
          "[daemon][config]") {
    TempDir dir;
    const auto path = dir / "central-review.toml";
    write_file(path, "[central_review]\nconninfo = \"host=db.kommun.se dbname=dockscan\"\n"
                     "role = \"review_server\"\nsslrootcert = \"ca.crt\"\n"
                     "sslcert = \"/etc/dockscan/central/review_server.crt\"\n"
                     "sslkey = \"review_server.key\"\n");
    const auto settings = load_review_config(path);
    REQUIRE(settings);
    CHECK(settings->conninfo == "host=db.kommun.se dbname=dockscan");
    CHECK(settings->role == "review_server");
    CHECK(settings->sslrootcert == dir / "ca.crt");
    CHECK(settings->sslcert == "/etc/dockscan/central/review_server.crt");
    CHECK(settings->sslkey == dir / "review_server.key");
    CHECK(settings->review_secret_key.empty());

    // A half-written login names the key it lacks, at the section's line.
    write_file(path, "# review server\n[central_review]\nconninfo = \"host=db\"\n"
                     "role = \"review_server\"\nsslrootcert = \"ca.crt\"\nsslcert = \"r.crt\"\n");
    const auto missing = load_review_config(path);
    REQUIRE_FALSE(missing);
    CHECK_THAT(missing.error().message, Catch::Contains(":2: central_review.sslkey is required"));
    // A station's file without the section says what is missing.
    write_file(path, "[store]\npath = \"x.db\"\n");
    const auto none = load_review_config(path);
    REQUIRE_FALSE(none);
    CHECK_THAT(none.error().message, Catch::Contains("has no [central_review]"));
}
