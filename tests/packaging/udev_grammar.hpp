#pragma once

// A check of udev rules files against the grammar udev(7) documents: every line is a
// comment, blank, or comma-separated `KEY[{attribute}]OPERATOR"value"` pairs, where the
// key is one udev knows, the operator is one that key takes (matching or assigning),
// and every GOTO has its LABEL. It is not udev's own parser: `udevadm verify` came with
// systemd 254 and Debian 12 has 252. It catches the mistakes that make udev skip a
// line silently (a typo in a key, `=` where `==` was meant, an unquoted value).

#include <string>
#include <vector>

namespace dockscan::testing {

struct UdevPair {
    std::string key;
    std::string attribute; // the part in braces, empty when there is none
    std::string op;
    std::string value;
};

struct UdevRule {
    int line = 0;
    std::vector<UdevPair> pairs;
};

struct UdevCheck {
    std::vector<UdevRule> rules;
    std::vector<std::string> errors; // "LINE: reason"
};

[[nodiscard]] UdevCheck check_udev_rules(const std::string& text);

} // namespace dockscan::testing
