#include "tests/corpus/look_alikes.hpp"

#include "tests/corpus/luhn.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>
#include <string_view>

namespace dockscan::corpus {
namespace {

constexpr std::array<std::string_view, 5> k_mobile_prefixes = {"70", "72", "73", "76", "79"};
// Area codes with their subscriber-number length.
struct AreaCode {
    std::string_view code;
    int subscriber_digits;
};
constexpr std::array<AreaCode, 10> k_area_codes = {{
    {"8", 8},
    {"8", 7},
    {"31", 7},
    {"40", 6},
    {"90", 6},
    {"18", 6},
    {"13", 6},
    {"60", 6},
    {"31", 6},
    {"11", 6},
}};
constexpr std::array<std::string_view, 12> k_months = {
    "januari", "februari", "mars",      "april",   "maj",      "juni",
    "juli",    "augusti",  "september", "oktober", "november", "december"};

std::string two(int value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d", value);
    return buffer;
}

// "1234567" grouped as Swedes write subscriber numbers: 123 45 67, 12 34 56, 123 456 78.
std::string grouped(std::string_view subscriber) {
    switch (subscriber.size()) {
    case 8:
        return std::string(subscriber.substr(0, 3)) + " " + std::string(subscriber.substr(3, 3)) +
               " " + std::string(subscriber.substr(6));
    case 7:
        return std::string(subscriber.substr(0, 3)) + " " + std::string(subscriber.substr(3, 2)) +
               " " + std::string(subscriber.substr(5));
    case 6:
        return std::string(subscriber.substr(0, 2)) + " " + std::string(subscriber.substr(2, 2)) +
               " " + std::string(subscriber.substr(4));
    default:
        return std::string(subscriber);
    }
}

bool looks_like_identity(std::string_view number, base::Date today) {
    if (number.size() == 10) {
        return is_real_written_date(number.substr(0, 6)) &&
               luhn_digit(number.substr(0, 9)) == number[9];
    }
    if (number.size() == 12) {
        const int year = std::stoi(std::string(number.substr(0, 4)));
        return year >= 1900 && year <= today.year && is_real_written_date(number.substr(0, 8)) &&
               luhn_digit(number.substr(2, 9)) == number[11];
    }
    return false;
}

} // namespace

LookAlikes::LookAlikes(Rng& rng, base::Date today, double confusable_share)
    : m_rng(rng), m_today(today), m_confusable_share(confusable_share) {}

std::string LookAlikes::digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += static_cast<char>('0' + m_rng.between(0, 9));
    }
    return out;
}

template <typename Make>
std::string LookAlikes::confusable(Make make) {
    for (int attempt = 0; attempt < 100000; ++attempt) {
        std::string number = make();
        // Fix the last digit so that Luhn passes, then keep it if the date is real.
        const std::size_t luhn_from = number.size() == 12 ? 2 : 0;
        number.back() =
            luhn_digit(std::string_view(number).substr(luhn_from, number.size() - luhn_from - 1));
        if (looks_like_identity(number, m_today)) {
            return number;
        }
    }
    throw std::logic_error("no confusable look-alike of this shape");
}

std::string LookAlikes::mobile() {
    const std::string prefix(k_mobile_prefixes[m_rng.index(k_mobile_prefixes.size())]);
    const std::string subscriber = digits(7);
    switch (m_rng.between(0, 9)) {
    case 0:
    case 1:
    case 2:
    case 3:
        return "0" + prefix + "-" + grouped(subscriber);
    case 4:
    case 5:
        return "0" + prefix + "-" + subscriber;
    case 6:
        return "+46 " + prefix + " " + grouped(subscriber);
    case 7:
        return "+46" + prefix + subscriber;
    case 8:
        return "0" + prefix + " " + grouped(subscriber);
    default:
        return "0" + prefix + subscriber;
    }
}

std::string LookAlikes::mobile_bare() {
    if (m_rng.chance(m_confusable_share)) {
        // Only 070 numbers can read as a date: 070M DD... is 2007-0M-DD.
        return confusable([&] { return "070" + digits(7); });
    }
    const std::string prefix(k_mobile_prefixes[m_rng.index(k_mobile_prefixes.size())]);
    return "0" + prefix + digits(7);
}

std::string LookAlikes::landline() {
    const AreaCode area = k_area_codes[m_rng.index(k_area_codes.size())];
    const int total = static_cast<int>(area.code.size()) + area.subscriber_digits;
    if (total == 9 && m_rng.chance(0.2)) {
        // Ten bare digits, as a number is copied from a web page or a signature.
        if (m_rng.chance(m_confusable_share)) {
            return confusable(
                [&] { return "0" + std::string(area.code) + digits(area.subscriber_digits); });
        }
        return "0" + std::string(area.code) + digits(area.subscriber_digits);
    }
    const std::string subscriber = digits(area.subscriber_digits);
    if (m_rng.chance(0.7)) {
        return "0" + std::string(area.code) + "-" + grouped(subscriber);
    }
    return "0" + std::string(area.code) + "-" + subscriber;
}

std::string LookAlikes::organisation_number() {
    // Companies (556...), municipalities (212000-...) and foundations (802...): the third
    // digit is 2 or more, so no organisation number reads as a birth month.
    std::string nine;
    switch (m_rng.between(0, 3)) {
    case 0:
    case 1:
        nine = "55" + std::to_string(m_rng.between(6, 9)) + digits(6);
        break;
    case 2:
        nine = "212000" + digits(3);
        break;
    default:
        nine = "802" + digits(6);
        break;
    }
    const std::string number = nine + luhn_digit(nine);
    if (m_rng.chance(0.8)) {
        return number.substr(0, 6) + "-" + number.substr(6);
    }
    return number;
}

std::string LookAlikes::ocr_reference() {
    // OCR references carry a Luhn digit over the whole reference, so a ten-digit one
    // passes a personnummer check whenever its first six digits happen to be a date.
    const int roll = m_rng.between(0, 9);
    if (roll < 4) {
        if (m_rng.chance(m_confusable_share)) {
            return confusable([&] { return digits(10); });
        }
        const std::string body = digits(9);
        return body + luhn_digit(body);
    }
    const std::string body = digits(m_rng.between(6, 15));
    return body + luhn_digit(body);
}

std::string LookAlikes::bankgiro() {
    if (m_rng.chance(0.5)) {
        return digits(3) + "-" + digits(4);
    }
    return digits(4) + "-" + digits(4);
}

std::string LookAlikes::plusgiro() {
    if (m_rng.chance(0.5)) {
        return digits(2) + " " + digits(2) + " " + digits(2) + "-" + digits(1);
    }
    return std::to_string(m_rng.between(1, 9)) + digits(4) + "-" + digits(1);
}

std::string LookAlikes::customer_number() {
    switch (m_rng.between(0, 3)) {
    case 0:
        return digits(7);
    case 1:
        return "KN" + digits(6);
    default:
        if (m_rng.chance(m_confusable_share)) {
            return confusable([&] { return digits(10); });
        }
        return std::to_string(m_rng.between(1, 9)) + digits(9);
    }
}

std::string LookAlikes::order_number() {
    switch (m_rng.between(0, 3)) {
    case 0:
        return digits(7);
    case 1:
        return "A" + digits(6);
    default: {
        // Shops number orders by date: 20250314 followed by a running number.
        const auto dated = [&] {
            const int year = m_rng.between(m_today.year - 1, m_today.year);
            const int month = m_rng.between(1, year == m_today.year ? m_today.month : 12);
            return std::to_string(year) + two(month) + two(m_rng.between(1, 28)) + digits(4);
        };
        if (m_rng.chance(m_confusable_share)) {
            return confusable(dated);
        }
        return dated();
    }
    }
}

std::string LookAlikes::case_number() {
    const std::string year = std::to_string(m_today.year - m_rng.between(0, 1));
    switch (m_rng.between(0, 3)) {
    case 0:
        return "SN " + year + "/" + digits(4);
    case 1:
        return year + "-" + digits(5);
    case 2:
        return "IFO-" + year + "-" + digits(3);
    default:
        return "SOC " + year + "." + digits(4);
    }
}

std::string LookAlikes::date() {
    const int month = m_rng.between(1, 12);
    const int day = m_rng.between(1, 28);
    const std::string year = std::to_string(m_today.year + m_rng.between(-1, 1));
    switch (m_rng.between(0, 5)) {
    case 0:
        return year + "-" + two(month) + "-" + two(day);
    case 1:
        return std::to_string(day) + "/" + std::to_string(month);
    case 2:
        return std::to_string(day) + " " +
               std::string(k_months[static_cast<std::size_t>(month - 1)]);
    case 3:
        return two(day) + "." + two(month) + "." + year;
    case 4:
        return year + two(month) + two(day);
    default:
        return "den " + std::to_string(day) + ":e";
    }
}

std::string LookAlikes::time() {
    const int hour = m_rng.between(7, 21);
    const int minute = m_rng.between(0, 3) * 15;
    switch (m_rng.between(0, 2)) {
    case 0:
        return two(hour) + "." + two(minute);
    case 1:
        return two(hour) + ":" + two(minute);
    default:
        return std::to_string(hour);
    }
}

std::string LookAlikes::door_code() {
    switch (m_rng.between(0, 3)) {
    case 0:
        return digits(4) + "#";
    case 1:
        return "A" + digits(3);
    default:
        return digits(4);
    }
}

std::string LookAlikes::postcode() {
    return std::to_string(m_rng.between(1, 9)) + digits(2) + " " + digits(2);
}

std::string LookAlikes::amount() {
    switch (m_rng.between(0, 3)) {
    case 0:
        return std::to_string(m_rng.between(1, 99)) + " " + digits(3) + " kr";
    case 1:
        return std::to_string(m_rng.between(20, 999)) + ":-";
    case 2:
        return std::to_string(m_rng.between(10, 999)) + "," + digits(2) + " kr";
    default:
        return std::to_string(m_rng.between(50, 999)) + " kr";
    }
}

std::string LookAlikes::room() {
    return std::to_string(m_rng.between(1, 140));
}

} // namespace dockscan::corpus
