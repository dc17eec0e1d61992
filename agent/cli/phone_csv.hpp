#pragma once

// The phone list an MDM tool exports (Intune, Jamf, Workspace ONE; or a spreadsheet the
// admin saved as CSV): a header line and one phone per line, read for
// `dockscan phones import`. Comma, semicolon (Swedish Excel) or tab separated, quotes as
// RFC 4180 has them, a UTF-8 byte order mark and CRLF line ends allowed.

#include "agent/error.hpp"
#include "agent/store/inventory.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::agent {

// Which header names the three columns. Empty: recognised by the usual names
// ("Serial number", "UDID", "Device name", "Unit", "Enhet", ...), compared without
// letter case.
struct PhoneCsvColumns {
    std::string serial;
    std::string label;
    std::string unit;
};

struct PhoneCsvProblem {
    std::int64_t line;
    std::string message;
};

struct PhoneCsv {
    std::vector<inventory::ImportLine> lines; // one per phone, empty lines left out
    std::vector<PhoneCsvProblem> problems;    // lines that cannot be read as a phone
};

// The largest file read, so that a wrong file (a backup, an image) is refused at once.
inline constexpr std::size_t k_max_phone_csv_bytes = 16 * 1024 * 1024;

// Reads the file's text. ErrorCode::usage when it is too large, has no header line, or
// the header lacks the label or unit column (saying which headers it found).
[[nodiscard]] Expected<PhoneCsv> parse_phone_csv(std::string_view text,
                                                 const PhoneCsvColumns& columns = {});

} // namespace dockscan::agent
