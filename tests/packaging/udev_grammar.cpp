#include "tests/packaging/udev_grammar.hpp"

#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace dockscan::testing {
namespace {

enum class Attr { none, required, optional };

struct KeyForm {
    bool match = false;  // takes == and !=
    bool assign = false; // takes = += -= :=
    Attr attribute = Attr::none;
};

// From udev(7), systemd 252.
const std::map<std::string, KeyForm>& keys() {
    static const std::map<std::string, KeyForm> table = {
        {"ACTION", {true, false, Attr::none}},    {"DEVPATH", {true, false, Attr::none}},
        {"KERNEL", {true, false, Attr::none}},    {"KERNELS", {true, false, Attr::none}},
        {"NAME", {true, true, Attr::none}},       {"SYMLINK", {true, true, Attr::none}},
        {"SUBSYSTEM", {true, false, Attr::none}}, {"SUBSYSTEMS", {true, false, Attr::none}},
        {"DRIVER", {true, false, Attr::none}},    {"DRIVERS", {true, false, Attr::none}},
        {"ATTR", {true, true, Attr::required}},   {"ATTRS", {true, false, Attr::required}},
        {"SYSCTL", {true, true, Attr::required}}, {"ENV", {true, true, Attr::required}},
        {"CONST", {true, false, Attr::required}}, {"TAG", {true, true, Attr::none}},
        {"TAGS", {true, false, Attr::none}},      {"TEST", {true, false, Attr::optional}},
        {"PROGRAM", {true, false, Attr::none}},   {"RESULT", {true, false, Attr::none}},
        {"OWNER", {false, true, Attr::none}},     {"GROUP", {false, true, Attr::none}},
        {"MODE", {false, true, Attr::none}},      {"SECLABEL", {false, true, Attr::required}},
        {"RUN", {false, true, Attr::optional}},   {"LABEL", {false, true, Attr::none}},
        {"GOTO", {false, true, Attr::none}},      {"IMPORT", {false, true, Attr::required}},
        {"OPTIONS", {false, true, Attr::none}},
    };
    return table;
}

const std::set<std::string> k_import_types = {"program", "builtin", "file",
                                              "db",      "cmdline", "parent"};
const std::set<std::string> k_run_types = {"program", "builtin"};

bool is_key_char(char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Parses one rule line; appends errors as "LINE: reason".
UdevRule parse_line(const std::string& text, int line, std::vector<std::string>& errors) {
    UdevRule rule{line, {}};
    std::size_t i = 0;
    const auto error = [&](const std::string& reason) {
        errors.push_back(std::to_string(line) + ": " + reason);
    };
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) {
            ++i;
        }
        if (i >= text.size()) {
            break;
        }
        UdevPair pair;
        while (i < text.size() && is_key_char(text[i])) {
            pair.key += text[i++];
        }
        if (pair.key.empty()) {
            error("expected a key at column " + std::to_string(i + 1));
            return rule;
        }
        if (i < text.size() && text[i] == '{') {
            const std::size_t close = text.find('}', i);
            if (close == std::string::npos) {
                error("unclosed { after " + pair.key);
                return rule;
            }
            pair.attribute = text.substr(i + 1, close - i - 1);
            i = close + 1;
        }
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        for (const char* op : {"==", "!=", "+=", "-=", ":=", "="}) {
            if (text.compare(i, std::char_traits<char>::length(op), op) == 0) {
                pair.op = op;
                i += pair.op.size();
                break;
            }
        }
        if (pair.op.empty()) {
            error("no operator after " + pair.key);
            return rule;
        }
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
            ++i;
        }
        if (i >= text.size() || text[i] != '"') {
            error("the value of " + pair.key + " must be in double quotes");
            return rule;
        }
        ++i;
        bool closed = false;
        while (i < text.size()) {
            if (text[i] == '\\' && i + 1 < text.size()) {
                pair.value += text[i + 1];
                i += 2;
                continue;
            }
            if (text[i] == '"') {
                closed = true;
                ++i;
                break;
            }
            pair.value += text[i++];
        }
        if (!closed) {
            error("unterminated value of " + pair.key);
            return rule;
        }
        if (i < text.size() && text[i] != ',' && text[i] != ' ' && text[i] != '\t') {
            error("expected a comma after the value of " + pair.key);
            return rule;
        }

        const auto form = keys().find(pair.key);
        if (form == keys().end()) {
            error("unknown key " + pair.key);
        } else {
            const bool matching = pair.op == "==" || pair.op == "!=";
            if (matching && !form->second.match) {
                error(pair.key + " cannot be matched (" + pair.op + ")");
            }
            if (!matching && !form->second.assign) {
                error(pair.key + " is a match and takes == or != (not " + pair.op + ")");
            }
            if (form->second.attribute == Attr::none && !pair.attribute.empty()) {
                error(pair.key + " takes no {attribute}");
            }
            if (form->second.attribute == Attr::required && pair.attribute.empty()) {
                error(pair.key + " needs an {attribute}");
            }
            if (pair.key == "IMPORT" && k_import_types.count(pair.attribute) == 0) {
                error("IMPORT{" + pair.attribute + "} is no import type");
            }
            if (pair.key == "RUN" && !pair.attribute.empty() &&
                k_run_types.count(pair.attribute) == 0) {
                error("RUN{" + pair.attribute + "} is no run type");
            }
            if (pair.key == "MODE" &&
                (pair.value.size() != 4 ||
                 pair.value.find_first_not_of("01234567") != std::string::npos)) {
                error("MODE must be four octal digits");
            }
        }
        rule.pairs.push_back(std::move(pair));
    }
    return rule;
}

} // namespace

UdevCheck check_udev_rules(const std::string& text) {
    UdevCheck check;
    std::istringstream in(text);
    std::string physical;
    std::string logical;
    int line = 0;
    int first_line = 0;
    while (std::getline(in, physical)) {
        ++line;
        if (logical.empty()) {
            first_line = line;
        }
        if (!physical.empty() && physical.back() == '\\') {
            physical.pop_back();
            logical += physical;
            continue;
        }
        logical += physical;
        const std::size_t start = logical.find_first_not_of(" \t");
        if (start != std::string::npos && logical[start] != '#') {
            UdevRule rule = parse_line(logical.substr(start), first_line, check.errors);
            if (!rule.pairs.empty()) {
                check.rules.push_back(std::move(rule));
            }
        }
        logical.clear();
    }
    std::set<std::string> labels;
    for (const UdevRule& rule : check.rules) {
        for (const UdevPair& pair : rule.pairs) {
            if (pair.key == "LABEL") {
                labels.insert(pair.value);
            }
        }
    }
    for (const UdevRule& rule : check.rules) {
        for (const UdevPair& pair : rule.pairs) {
            if (pair.key == "GOTO" && labels.count(pair.value) == 0) {
                check.errors.push_back(std::to_string(rule.line) + ": GOTO " + pair.value +
                                       " has no LABEL");
            }
        }
    }
    return check;
}

} // namespace dockscan::testing
