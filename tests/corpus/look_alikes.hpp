#pragma once

// Numbers that share a work phone's messages with identity numbers: phone numbers,
// organisation numbers, payment references, order and customer numbers, dates, codes.
// Some are "confusable": ten or twelve digits that happen to form a real date and pass
// the Luhn check, which any rule without context takes for a personnummer.

#include "base/time.hpp"
#include "tests/corpus/rng.hpp"

#include <string>

namespace dockscan::corpus {

class LookAlikes {
public:
    // `confusable_share`: how often a look-alike that can be confusable is made so.
    LookAlikes(Rng& rng, base::Date today, double confusable_share);

    // A mobile number in one of the ways Swedes write them (070-123 45 67, +46 70 ...).
    [[nodiscard]] std::string mobile();
    // A mobile number as ten bare digits (0701234567).
    [[nodiscard]] std::string mobile_bare();
    [[nodiscard]] std::string landline();
    [[nodiscard]] std::string organisation_number();
    [[nodiscard]] std::string ocr_reference();
    [[nodiscard]] std::string bankgiro();
    [[nodiscard]] std::string plusgiro();
    [[nodiscard]] std::string customer_number();
    [[nodiscard]] std::string order_number();
    [[nodiscard]] std::string case_number();
    [[nodiscard]] std::string date();
    [[nodiscard]] std::string time();
    [[nodiscard]] std::string door_code();
    [[nodiscard]] std::string postcode();
    [[nodiscard]] std::string amount();
    [[nodiscard]] std::string room();

private:
    [[nodiscard]] std::string digits(int count);
    // Draws from `make` until the ten or twelve digits form a date and pass Luhn.
    template <typename Make>
    [[nodiscard]] std::string confusable(Make make);

    Rng& m_rng;
    base::Date m_today;
    double m_confusable_share;
};

} // namespace dockscan::corpus
