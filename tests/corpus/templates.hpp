#pragma once

// Message templates of the first text-detection corpus: `dev`, which the detector was
// tuned on from the start. (Its `heldout` set, written by the same hand as the
// detector, was replaced by the independent corpora of care_messages.hpp and
// background.hpp; see tests/corpus/README.md.)
//
// Placeholders, expanded by the generator:
//   identity numbers (labelled spans):
//     {pnr}        personnummer in any written form
//     {pnr_plain}  personnummer in the forms people write without a keyword
//     {pnr_child}  a child's personnummer (born 2005-2020), any form
//     {pnr_0708}   a child born 2007/2008, ten digits without separator (looks like a
//                  phone number); only where a keyword says what it is
//     {pnr_old}    someone aged 100 or more: `+` form or twelve digits
//     {pnr_bad}    a personnummer with a wrong check digit; only beside a keyword
//     {samnr}      samordningsnummer, any form
//     {interim}    interim number (letter in the serial)
//   look-alikes (not labelled):
//     {mobile} {mobile_bare} {landline} {org} {ocr} {bg} {pg} {custno} {orderno}
//     {case} {date} {time} {doorcode} {postcode} {amount} {room}
//   words: {first} {last} {name} {street} {city} {unit} {weekday}

#include <span>
#include <string_view>

namespace dockscan::corpus {

enum class TemplateSet { dev };

struct Template {
    std::string_view situation; // god_man, parent, nurse, hemtjanst, lss, ifo, other
    std::string_view text;
};

[[nodiscard]] std::span<const Template> templates(TemplateSet set);

} // namespace dockscan::corpus
