#include "tests/packaging/udev_grammar.hpp"
#include "tests/support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fnmatch.h>

using namespace dockscan::testing;

namespace {

std::string rules_text() {
    return read_file(std::filesystem::path(DOCKSCAN_SOURCE_DIR) /
                     "packaging/udev/70-dockscan.rules");
}

// The rule that sets GROUP="dockscan" after matching `key`{`attribute`}.
const UdevRule* rule_matching(const UdevCheck& check, const std::string& key,
                              const std::string& attribute) {
    for (const UdevRule& rule : check.rules) {
        bool matches = false;
        bool grants = false;
        for (const UdevPair& pair : rule.pairs) {
            matches =
                matches || (pair.key == key && pair.attribute == attribute && pair.op == "==");
            grants = grants || (pair.key == "GROUP" && pair.value == "dockscan");
        }
        if (matches && grants) {
            return &rule;
        }
    }
    return nullptr;
}

std::string value_of(const UdevRule& rule, const std::string& key, const std::string& attribute) {
    for (const UdevPair& pair : rule.pairs) {
        if (pair.key == key && pair.attribute == attribute) {
            return pair.value;
        }
    }
    return {};
}

// udev matches values as shell globs (fnmatch), with "|" between alternatives.
bool glob(const std::string& pattern, const std::string& value) {
    return fnmatch(pattern.c_str(), value.c_str(), 0) == 0;
}

} // namespace

TEST_CASE("the udev rules are in udev's grammar") {
    const UdevCheck check = check_udev_rules(rules_text());
    for (const std::string& error : check.errors) {
        FAIL_CHECK("70-dockscan.rules:" << error);
    }
    CHECK(check.rules.size() >= 6);
}

TEST_CASE("the grammar check finds the mistakes udev would skip a line for") {
    const auto [line, reason] = GENERATE(table<std::string, std::string>({
        {R"(SUBSYSTEM="usb", GROUP="dockscan")", "SUBSYSTEM is a match"},
        {R"(SUBSYTEM=="usb", GROUP="dockscan")", "unknown key SUBSYTEM"},
        {R"(ATTR{idVendor}==05ac, GROUP="dockscan")", "double quotes"},
        {R"(GROUP=="dockscan")", "GROUP cannot be matched"},
        {R"(ENV=="x")", "needs an {attribute}"},
        {R"(MODE="660")", "four octal digits"},
        {R"(IMPORT{usb_id}="x")", "no import type"},
        {R"(GOTO="nowhere")", "has no LABEL"},
    }));
    CAPTURE(line);
    const UdevCheck check = check_udev_rules(line + "\n");
    REQUIRE(check.errors.size() == 1);
    CHECK_THAT(check.errors.front(), Catch::Contains(reason));
}

TEST_CASE("Android phones with USB debugging on are given to group dockscan") {
    const UdevCheck check = check_udev_rules(rules_text());
    const UdevRule* rule = rule_matching(check, "ENV", "ID_USB_INTERFACES");
    REQUIRE(rule != nullptr);
    CHECK(value_of(*rule, "MODE", "") == "0660");
    const std::string pattern = value_of(*rule, "ENV", "ID_USB_INTERFACES");
    // udev's usb_id lists every interface as ":ccsspp:".
    CHECK(glob(pattern, ":ff4201:"));        // ADB alone
    CHECK(glob(pattern, ":060101:ff4201:")); // MTP and ADB (Pixel, "File transfer")
    CHECK(glob(pattern, ":ff4201:060101:"));
    CHECK(glob(pattern, ":060101:020201:0a0000:ff4201:")); // with a modem (Samsung)
    CHECK_FALSE(glob(pattern, ":060101:"));                // USB debugging off
    CHECK_FALSE(glob(pattern, ":ff4203:"));                // fastboot
    CHECK_FALSE(glob(pattern, ":ff42010:"));
}

TEST_CASE("iPhones and iPads in normal mode are given to group dockscan") {
    const UdevCheck check = check_udev_rules(rules_text());
    const UdevRule* rule = rule_matching(check, "ATTR", "idProduct");
    REQUIRE(rule != nullptr);
    CHECK(value_of(*rule, "ATTR", "idVendor") == "05ac");
    const std::string product = value_of(*rule, "ATTR", "idProduct");
    CHECK(glob(product, "12a8"));       // iPhone 5 and later
    CHECK(glob(product, "12ab"));       // iPad
    CHECK(glob(product, "1290"));       // iPhone (first)
    CHECK_FALSE(glob(product, "1281")); // recovery mode
    CHECK_FALSE(glob(product, "1227")); // DFU
    CHECK_FALSE(glob(product, "024f")); // a keyboard
}

TEST_CASE("removals are skipped and nothing but phones and GPIO chips is touched") {
    const UdevCheck check = check_udev_rules(rules_text());
    REQUIRE_FALSE(check.rules.empty());
    const UdevRule& first = check.rules.front();
    CHECK(value_of(first, "ACTION", "") == "remove");
    CHECK(value_of(first, "GOTO", "") == "dockscan_end");
    for (const UdevRule& rule : check.rules) {
        for (const UdevPair& pair : rule.pairs) {
            if (pair.key == "GROUP") {
                CHECK(pair.value == "dockscan");
            }
            CHECK(pair.key != "RUN");
            CHECK(pair.key != "OWNER");
        }
    }
}
