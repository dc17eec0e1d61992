#pragma once

// The numbers that stand beside identity numbers on a work phone, in the forms they
// really take: Swedish mobile and landline numbers as people and systems write them,
// OCR and giro references, organisation numbers, booking, order and parcel numbers,
// dates, times and amounts. Written from the numbering plans and payment formats
// (Post- och telestyrelsen's area codes, Bankgirot's OCR rule), not from the detector.
//
// A share of them is made "confusable": when a number's digits can, by chance, form a
// real date and pass the Luhn check, the number is redrawn until they do, so that the
// corpus holds enough of the cases a context-free rule reports.

#include "base/time.hpp"
#include "tests/corpus/rng.hpp"

#include <string>
#include <string_view>

namespace dockscan::corpus {

class Confounders {
public:
    Confounders(Rng& rng, base::Date today, double confusable_share);

    // Mobile numbers (070, 072, 073, 076, 079) in one of their written forms:
    // 070-123 45 67, 070-1234567, 0701234567, 070 123 45 67, +46 70 123 45 67, ...
    [[nodiscard]] std::string mobile();
    // Landline numbers with a real area code: 08-123 456 78, 031-12 34 56, 0910-123 45.
    [[nodiscard]] std::string landline();
    // An OCR payment reference: 6 to 25 digits, the last a Luhn digit over the others.
    [[nodiscard]] std::string ocr();
    // Bankgiro (123-4567, 5050-1055) and plusgiro (12 34 56-7, 4 12 34-5) numbers.
    [[nodiscard]] std::string bankgiro();
    [[nodiscard]] std::string plusgiro();
    // An organisation number: 556036-0793 (third digit 2 or more, Luhn); bare or with 16.
    [[nodiscard]] std::string organisation_number();
    // Booking references: letters and digits, or digits grouped as booking systems do.
    [[nodiscard]] std::string booking();
    // Order, invoice and customer numbers: runs of 6 to 12 digits.
    [[nodiscard]] std::string order();
    // A parcel's tracking number (PostNord, DHL, UPS, Bring).
    [[nodiscard]] std::string parcel();
    // A pick-up or door code (4 to 6 digits).
    [[nodiscard]] std::string code();
    // A date as Swedes write it: 2025-06-12, 12/6, 12.06.2025, 20250612, 12 juni.
    [[nodiscard]] std::string date();
    // A time: 13:40, 13.40, kl 9, 1340.
    [[nodiscard]] std::string time();
    // A date and time as systems print them: 2025-06-12 13:40, 20250612 1340.
    [[nodiscard]] std::string timestamp();
    // An amount: 350 kr, 1 234,50 kr, 12 450 SEK.
    [[nodiscard]] std::string amount();
    // A bank account: clearing number and account (8327-9, 903 123 456-7; 6000 123456789).
    [[nodiscard]] std::string account();

private:
    [[nodiscard]] std::string digits(int count);
    // Draws from `make` until the result's digits form a date and pass Luhn, when the
    // number can at all and the confusable share says so.
    template <typename Make>
    [[nodiscard]] std::string maybe_confusable(Make make);

    Rng& m_rng;
    base::Date m_today;
    double m_confusable_share;
};

// True when the digits of `written` (10 or 12 of them) form a real date not after
// `today` and the last ten pass the Luhn check: what a context-free rule reports.
[[nodiscard]] bool passes_date_and_luhn(std::string_view written, base::Date today);

} // namespace dockscan::corpus
