#include "tests/corpus/confounders.hpp"

#include "tests/corpus/luhn.hpp"

#include <array>
#include <cstdio>

namespace dockscan::corpus {
namespace {

constexpr std::array<std::string_view, 5> k_mobile_prefixes = {"70", "72", "73", "76", "79"};

// Area codes (without the trunk 0) and the subscriber-number lengths they use.
struct AreaCode {
    std::string_view code;
    int shortest;
    int longest;
};
constexpr std::array<AreaCode, 20> k_area_codes = {{
    {"8", 7, 8},   {"31", 6, 7},  {"40", 6, 7},  {"18", 6, 6},  {"13", 6, 6},
    {"19", 6, 6},  {"21", 6, 6},  {"11", 6, 6},  {"16", 6, 6},  {"36", 6, 6},
    {"54", 6, 6},  {"60", 6, 6},  {"63", 6, 6},  {"90", 6, 6},  {"920", 5, 6},
    {"910", 5, 6}, {"470", 5, 6}, {"480", 5, 6}, {"500", 5, 6}, {"660", 5, 6},
}};

constexpr std::array<std::string_view, 12> k_months = {
    "januari", "februari", "mars",      "april",   "maj",      "juni",
    "juli",    "augusti",  "september", "oktober", "november", "december"};

constexpr std::array<std::string_view, 6> k_booking_letters = {"ABC", "KXR", "TPL",
                                                               "MHZ", "SJX", "RVQ"};

std::string two(int value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d", value);
    return buffer;
}

std::string only_digits(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            out += c;
        }
    }
    return out;
}

// Subscriber numbers as Swedes group them: 123 45 67, 12 34 56, 123 456 78, 123 45.
std::string grouped(std::string_view s) {
    const auto part = [&](std::size_t from, std::size_t count) {
        return std::string(s.substr(from, count));
    };
    switch (s.size()) {
    case 8:
        return part(0, 3) + " " + part(3, 3) + " " + part(6, 2);
    case 7:
        return part(0, 3) + " " + part(3, 2) + " " + part(5, 2);
    case 6:
        return part(0, 2) + " " + part(2, 2) + " " + part(4, 2);
    case 5:
        return part(0, 3) + " " + part(3, 2);
    default:
        return std::string(s);
    }
}

} // namespace

bool passes_date_and_luhn(std::string_view written, base::Date today) {
    const std::string d = only_digits(written);
    if (d.size() != 10 && d.size() != 12) {
        return false;
    }
    const std::string_view date = std::string_view(d).substr(0, d.size() - 4);
    if (!is_real_written_date(date)) {
        return false;
    }
    if (d.size() == 12) {
        const base::Date birth{std::stoi(d.substr(0, 4)), std::stoi(d.substr(4, 2)),
                               std::stoi(d.substr(6, 2))};
        if (birth > today || birth.year < 1800) {
            return false;
        }
    }
    const std::string_view ten = std::string_view(d).substr(d.size() - 10);
    return luhn_digit(ten.substr(0, 9)) == ten[9];
}

Confounders::Confounders(Rng& rng, base::Date today, double confusable_share)
    : m_rng(rng), m_today(today), m_confusable_share(confusable_share) {}

std::string Confounders::digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += static_cast<char>('0' + m_rng.between(0, 9));
    }
    return out;
}

template <typename Make>
std::string Confounders::maybe_confusable(Make make) {
    std::string written = make();
    // Only ten digits are made to pass: twelve need a century of 18, 19 or 20 in front,
    // which references take no more often than by chance.
    if (!m_rng.chance(m_confusable_share) || only_digits(written).size() != 10) {
        return written;
    }
    // Some shapes can never pass (a mobile number starting 073 has month 3x); give up
    // after enough draws and keep the last.
    for (int attempt = 0; attempt < 20000; ++attempt) {
        if (passes_date_and_luhn(written, m_today)) {
            return written;
        }
        written = make();
    }
    return written;
}

std::string Confounders::mobile() {
    const int form = m_rng.between(0, 9);
    // The subscriber part is drawn inside: the prefix stays as chosen, so that a
    // confusable draw does not drift towards 070 only.
    const std::string prefix = std::string(m_rng.pick<std::string_view>(k_mobile_prefixes));
    return maybe_confusable([&] {
        const std::string s = digits(7);
        const std::string national = "0" + prefix;
        switch (form) {
        case 0:
        case 1:
            return national + "-" + grouped(s);
        case 2:
            return national + "-" + s;
        case 3:
        case 4:
            return national + s;
        case 5:
            return national + " " + grouped(s);
        case 6:
            return "+46 " + prefix + " " + grouped(s);
        case 7:
            return "+46" + prefix + s;
        case 8:
            return "0046" + prefix + s;
        default:
            return national + "-" + s.substr(0, 2) + " " + s.substr(2, 2) + " " + s.substr(4);
        }
    });
}

std::string Confounders::landline() {
    const AreaCode& area = m_rng.pick<AreaCode>(k_area_codes);
    const int length = m_rng.between(area.shortest, area.longest);
    const int form = m_rng.between(0, 5);
    return maybe_confusable([&] {
        // Subscriber numbers do not start with 0 or 1.
        const std::string s = std::to_string(m_rng.between(2, 9)) + digits(length - 1);
        const std::string national = "0" + std::string(area.code);
        switch (form) {
        case 0:
        case 1:
        case 2:
            return national + "-" + grouped(s);
        case 3:
            return national + "-" + s;
        case 4:
            return national + s;
        default:
            return "+46 " + std::string(area.code) + " " + grouped(s);
        }
    });
}

std::string Confounders::ocr() {
    // Lengths: invoices from municipalities and utilities use 8 to 16 digits most.
    static constexpr std::array<int, 12> k_lengths = {6, 8, 9, 10, 10, 10, 11, 12, 12, 14, 16, 25};
    const int length = m_rng.pick<int>(k_lengths);
    const bool grouped_by_four = m_rng.chance(0.15);
    return maybe_confusable([&] {
        std::string body = digits(length - 1);
        body += luhn_digit(body);
        if (!grouped_by_four) {
            return body;
        }
        std::string out;
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (i > 0 && i % 4 == 0) {
                out += ' ';
            }
            out += body[i];
        }
        return out;
    });
}

std::string Confounders::bankgiro() {
    std::string body = std::to_string(m_rng.between(100, 9999)) + digits(3);
    body += luhn_digit(body);
    return body.substr(0, body.size() - 4) + "-" + body.substr(body.size() - 4);
}

std::string Confounders::plusgiro() {
    std::string body = std::to_string(m_rng.between(1, 999999));
    body += luhn_digit(body);
    if (body.size() >= 6 && m_rng.chance(0.5)) {
        // 12 34 56-7: pairs from the left of the body, dash before the check digit.
        std::string out;
        const std::string head = body.substr(0, body.size() - 1);
        const std::size_t first = head.size() % 2 == 0 ? 2 : 1;
        out = head.substr(0, first);
        for (std::size_t i = first; i < head.size(); i += 2) {
            out += " " + head.substr(i, 2);
        }
        return out + "-" + body.back();
    }
    return body.substr(0, body.size() - 1) + "-" + body.back();
}

std::string Confounders::organisation_number() {
    // The first digit gives the kind of organisation; the third is 2 or more, so that the
    // number never reads as a date of birth.
    static constexpr std::array<char, 5> k_first = {'2', '5', '7', '8', '9'};
    std::string body = std::string(1, m_rng.pick<char>(k_first)) + digits(1) +
                       std::to_string(m_rng.between(2, 9)) + digits(6);
    body += luhn_digit(body);
    switch (m_rng.between(0, 5)) {
    case 0:
        return body;
    case 1:
        return "16" + body.substr(0, 6) + "-" + body.substr(6);
    default:
        return body.substr(0, 6) + "-" + body.substr(6);
    }
}

std::string Confounders::booking() {
    switch (m_rng.between(0, 4)) {
    case 0:
        return std::string(m_rng.pick<std::string_view>(k_booking_letters)) + digits(4);
    case 1:
        return digits(3) + " " + digits(3) + " " + digits(3);
    case 2:
        return maybe_confusable([&] { return digits(10); });
    case 3:
        return two(m_rng.between(20, 25)) + "-" + digits(6);
    default:
        return digits(6);
    }
}

std::string Confounders::order() {
    const int length = m_rng.between(6, 12);
    return maybe_confusable(
        [&] { return std::to_string(m_rng.between(1, 9)) + digits(length - 1); });
}

std::string Confounders::parcel() {
    switch (m_rng.between(0, 3)) {
    case 0:
        return "00" + digits(18); // an SSCC on a PostNord or DB Schenker label
    case 1:
        return "JVGL" + digits(14);
    case 2:
        return "1Z" + std::string(m_rng.pick<std::string_view>(k_booking_letters)) + digits(13);
    default:
        return "UA" + digits(9) + "SE";
    }
}

std::string Confounders::code() {
    return digits(m_rng.between(4, 6));
}

std::string Confounders::date() {
    const int year = m_today.year - m_rng.between(0, 1);
    const int month = m_rng.between(1, 12);
    const int day = m_rng.between(1, 28);
    switch (m_rng.between(0, 6)) {
    case 0:
    case 1:
        return std::to_string(year) + "-" + two(month) + "-" + two(day);
    case 2:
        return std::to_string(day) + "/" + std::to_string(month);
    case 3:
        return two(day) + "." + two(month) + "." + std::to_string(year);
    case 4:
        return std::to_string(year) + two(month) + two(day);
    case 5:
        return two(year % 100) + two(month) + two(day);
    default:
        return std::to_string(day) + " " +
               std::string(k_months[static_cast<std::size_t>(month - 1)]);
    }
}

std::string Confounders::time() {
    const int hour = m_rng.between(7, 21);
    const int minute = m_rng.between(0, 11) * 5;
    switch (m_rng.between(0, 3)) {
    case 0:
    case 1:
        return two(hour) + ":" + two(minute);
    case 2:
        return two(hour) + "." + two(minute);
    default:
        return two(hour) + two(minute);
    }
}

std::string Confounders::timestamp() {
    const int year = m_today.year - m_rng.between(0, 1);
    const std::string date =
        std::to_string(year) + two(m_rng.between(1, 12)) + two(m_rng.between(1, 28));
    const std::string hhmm = two(m_rng.between(7, 21)) + two(m_rng.between(0, 11) * 5);
    if (m_rng.chance(0.7)) {
        return date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6) + " " +
               hhmm.substr(0, 2) + ":" + hhmm.substr(2);
    }
    return date + " " + hhmm;
}

std::string Confounders::amount() {
    const int value = m_rng.between(20, 25000);
    std::string number = std::to_string(value);
    if (value >= 1000 && m_rng.chance(0.6)) {
        number = number.substr(0, number.size() - 3) + " " + number.substr(number.size() - 3);
    }
    switch (m_rng.between(0, 3)) {
    case 0:
        return number + ",00 kr";
    case 1:
        return number + " SEK";
    default:
        return number + " kr";
    }
}

std::string Confounders::account() {
    if (m_rng.chance(0.5)) {
        return "8" + digits(3) + "-" + digits(1) + ", " + digits(3) + " " + digits(3) + " " +
               digits(3) + "-" + digits(1);
    }
    return std::to_string(m_rng.between(6000, 6999)) + " " +
           maybe_confusable([&] { return digits(9); });
}

} // namespace dockscan::corpus
