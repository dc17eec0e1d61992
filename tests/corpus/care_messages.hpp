#pragma once

// A second generator of labelled work-phone messages, written from the kinds of
// messages care staff send and receive (appointments, rosters, medication changes,
// forwarded referrals and letters, guardians' messages, lists of clients, school and
// preschool notes; invoices, deliveries and service texts as negatives) without the
// detector's word lists at hand. Its numbers other than identity numbers come from
// `Confounders` (real formats), not from the first generator's look-alikes.
//
// Template sets:
//   care        half of the first care templates: measured while the detector was tuned
//   care_b      the other half, written at the same time; the first gate, run once,
//               which prompted a change (see care_templates.cpp): seen, no gate now
//   gate        written after that change, never tuned on; the CTest gate runs on it
//   confounders service texts, invoices, bank and delivery messages, dense with phone
//               numbers and references (a share made to pass date and Luhn), some
//               with an identity number among them
//
// Placeholders:
//   identity numbers (labelled): {pin} an adult's, as staff write it with or without
//     a word before it; {pin_kw} after a word that says what it is (any form, also ten
//     bare digits); {child} born 2008-2023; {youth} born 2000-2009; {old} aged 100 or
//     more; {samnr} samordningsnummer; {typo} a wrong check digit, after a word naming it
//   other numbers: {mobile} {landline} {ocr} {bg} {pg} {org} {booking} {order}
//     {parcel} {code} {date} {time} {ts} {amount} {account}
//   words: {first} {last} {name} {staff} {street} {city} {unit} {weekday} {med}
//     {dose} {place} {school}

#include "base/time.hpp"
#include "tests/corpus/confounders.hpp"
#include "tests/corpus/generator.hpp"
#include "tests/corpus/number_pool.hpp"
#include "tests/corpus/rng.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace dockscan::corpus {

enum class CareSet { care, care_b, gate, confounders };

struct CareTemplate {
    std::string_view kind; // appointment, roster, medication, letter, guardian, list, ...
    std::string_view text;
};

[[nodiscard]] std::span<const CareTemplate> care_templates(CareSet set);

struct CareOptions {
    CareSet set = CareSet::care;
    std::uint64_t seed = 1;
    base::Date today{2025, 6, 1};
    // How often a number that can pass a date and Luhn check is made to.
    double confusable_share = 0.1;
};

class CareMessages {
public:
    CareMessages(const NumberPool& pool, const CareOptions& options);
    // Confounders holds a reference to the generator's own Rng.
    CareMessages(const CareMessages&) = delete;
    CareMessages& operator=(const CareMessages&) = delete;

    [[nodiscard]] Message next();

private:
    void expand(std::string_view placeholder, Message& message);
    bool expand_identity(std::string_view placeholder, Message& message);
    void add(std::string_view note, const std::string& written, Message& message);

    const NumberPool& m_pool;
    CareOptions m_options;
    Rng m_rng;
    Confounders m_numbers;
};

} // namespace dockscan::corpus
