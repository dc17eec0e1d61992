#include "agent/cli/phone_csv.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace dockscan::agent {

namespace {

// Header names as MDM exports and Swedish spreadsheets write them, lower case.
constexpr std::array<std::string_view, 6> k_serial_names = {
    "serial", "serial number", "serialnumber", "serial_number", "serienummer", "serienr"};
constexpr std::array<std::string_view, 2> k_udid_names = {"udid", "unique device id"};
constexpr std::array<std::string_view, 9> k_label_names = {
    "label",        "etikett",    "device name", "devicename", "device_name",
    "display name", "enhetsnamn", "namn",        "name"};
constexpr std::array<std::string_view, 6> k_unit_names = {"unit",       "enhet",     "unit name",
                                                          "department", "avdelning", "verksamhet"};

// Reads one record (a line, or more when a quoted field holds line breaks) from `text`
// at `pos`, counting the lines it crosses.
struct Record {
    std::vector<std::string> fields;
    std::int64_t line = 0;     // the line it starts on, 1 the first
    bool unterminated = false; // a quote opened and never closed
};

Record read_record(std::string_view text, std::size_t& pos, char separator, std::int64_t& line) {
    Record record;
    record.line = line;
    std::string field;
    bool quoted = false;
    bool was_quoted = false;
    const auto end_field = [&] {
        record.fields.push_back(was_quoted ? field : std::string(base::trim_blanks(field)));
        field.clear();
        was_quoted = false;
    };
    while (pos < text.size()) {
        const char c = text[pos++];
        if (quoted) {
            if (c == '"' && pos < text.size() && text[pos] == '"') {
                field += '"';
                ++pos;
            } else if (c == '"') {
                quoted = false;
            } else {
                line += c == '\n' ? 1 : 0;
                field += c;
            }
            continue;
        }
        if (c == '"' && base::trim_blanks(field).empty()) {
            field.clear();
            quoted = true;
            was_quoted = true;
        } else if (c == separator) {
            end_field();
        } else if (c == '\n') {
            ++line;
            break;
        } else if (c != '\r') {
            field += c;
        }
    }
    record.unterminated = quoted;
    end_field();
    return record;
}

bool blank(const Record& record) {
    return record.fields.size() == 1 && record.fields[0].empty() && !record.unterminated;
}

// The separator the header line uses: the most frequent of ';', ',' and tab outside
// quotes (a header with one column has none: ',' then).
char separator_of(std::string_view header) {
    std::array<std::pair<char, int>, 3> counts = {{{',', 0}, {';', 0}, {'\t', 0}}};
    bool quoted = false;
    for (const char c : header.substr(0, header.find('\n'))) {
        quoted = c == '"' ? !quoted : quoted;
        for (auto& [sep, n] : counts) {
            n += !quoted && c == sep ? 1 : 0;
        }
    }
    return std::max_element(counts.begin(), counts.end(),
                            [](const auto& a, const auto& b) { return a.second < b.second; })
        ->first;
}

template <std::size_t N>
std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       const std::string& wanted,
                                       const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string name = base::to_lower_sv(header[i]);
        if (!wanted.empty() ? name == base::to_lower_sv(wanted)
                            : std::find(names.begin(), names.end(), name) != names.end()) {
            return i;
        }
    }
    return std::nullopt;
}

std::string listed(const std::vector<std::string>& header) {
    std::string text;
    for (const auto& name : header) {
        text += text.empty() ? "\"" : ", \"";
        text += base::printable(name);
        text += '"';
    }
    return text;
}

} // namespace

Expected<PhoneCsv> parse_phone_csv(std::string_view text, const PhoneCsvColumns& columns) {
    if (text.size() > k_max_phone_csv_bytes) {
        return fail(ErrorCode::usage, "the file is larger than " +
                                          std::to_string(k_max_phone_csv_bytes >> 20) +
                                          " MB: not a phone list");
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    std::size_t pos = 0;
    std::int64_t line = 1;
    const char separator = separator_of(text);
    Record header = read_record(text, pos, separator, line);
    while (blank(header) && pos < text.size()) {
        header = read_record(text, pos, separator, line);
    }
    if (blank(header)) {
        return fail(ErrorCode::usage, "the file is empty: a phone list starts with a header line "
                                      "naming its columns (e.g. \"Serial number;Device "
                                      "name;Unit\")");
    }
    const auto serial = find_column(header.fields, columns.serial, k_serial_names);
    const auto udid =
        columns.serial.empty() ? find_column(header.fields, {}, k_udid_names) : std::nullopt;
    const auto label = find_column(header.fields, columns.label, k_label_names);
    const auto unit = find_column(header.fields, columns.unit, k_unit_names);
    if (!label || !unit) {
        const std::string missing = !label
                                        ? (columns.label.empty() ? "the label (\"Device name\", "
                                                                   "\"Label\" or \"Namn\")"
                                                                 : "\"" + columns.label + "\"")
                                        : (columns.unit.empty() ? "the unit (\"Unit\" or \"Enhet\")"
                                                                : "\"" + columns.unit + "\"");
        return fail(ErrorCode::usage, "line " + std::to_string(header.line) + ": no column for " +
                                          missing + " among " + listed(header.fields) +
                                          " (name it with --label-column / --unit-column)");
    }
    if (!columns.serial.empty() && !serial) {
        return fail(ErrorCode::usage, "line " + std::to_string(header.line) + ": no column \"" +
                                          columns.serial + "\" among " + listed(header.fields));
    }

    PhoneCsv csv;
    while (pos < text.size()) {
        Record record = read_record(text, pos, separator, line);
        if (blank(record)) {
            continue; // an empty line
        }
        if (record.unterminated) {
            csv.problems.push_back({record.line, "a quote is opened and never closed"});
            break;
        }
        const auto field = [&](std::optional<std::size_t> at) {
            return at && *at < record.fields.size() ? record.fields[*at] : std::string{};
        };
        inventory::ImportLine phone{record.line, field(label), field(udid), field(unit)};
        if (phone.serial.empty()) {
            phone.serial = field(serial); // an iPhone docks by its UDID, an Android by serial
        }
        if (phone.label.empty() || phone.unit.empty()) {
            csv.problems.push_back(
                {record.line, phone.label.empty() ? "no label" : "no unit for " + phone.label});
            continue;
        }
        csv.lines.push_back(std::move(phone));
    }
    return csv;
}

} // namespace dockscan::agent
