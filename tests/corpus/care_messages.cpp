#include "tests/corpus/care_messages.hpp"

#include "tests/corpus/identity_forms.hpp"
#include "tests/corpus/placeholders.hpp"
#include "tests/corpus/words.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace dockscan::corpus {
namespace {

// How staff, relatives and letters write a number: mostly with a hyphen, twelve digits
// from forms and letters, sometimes run together or with a space or an autocorrected
// dash. Set down from the forms in municipal letters and messages, not from the detector.
constexpr FormWeight k_written[] = {
    {Form::ten_hyphen, 55}, {Form::twelve_hyphen, 18}, {Form::twelve_bare, 8},
    {Form::ten_bare, 9},    {Form::ten_space, 4},      {Form::twelve_space, 2},
    {Form::ten_en_dash, 3}, {Form::twelve_en_dash, 1},
};

constexpr std::string_view k_staff[] = {"Lena",  "Mona", "Jimmy", "Hanna", "Samir",
                                        "Petra", "Aida", "Kicki", "Robin", "Tove"};
constexpr std::string_view k_medicines[] = {
    "Alvedon",   "Waran",   "Eliquis", "Metformin", "Furix",   "Oxascand",
    "Sertralin", "Citodon", "Movicol", "Lergigan",  "Levaxin", "Insulatard",
};
constexpr std::string_view k_doses[] = {
    "1 tablett", "500 mg", "2x1", "5 mg x 2", "1 tablett morgon och kväll", "10 E", "0,5 mg"};
constexpr std::string_view k_places[] = {
    "vårdcentralen",      "akuten",           "tandvården",           "BUP",
    "hudmottagningen",    "ögonmottagningen", "diabetesmottagningen", "fysioterapin",
    "minnesmottagningen", "psykiatrin",
};
constexpr std::string_view k_schools[] = {"Ekbackens förskola", "Tallmoskolan", "Björkhagens skola",
                                          "Förskolan Myran", "Solrosens förskola"};

} // namespace

CareMessages::CareMessages(const NumberPool& pool, const CareOptions& options)
    : m_pool(pool), m_options(options), m_rng(options.seed ^ 0x63617265ULL),
      m_numbers(m_rng, options.today, options.confusable_share) {}

Message CareMessages::next() {
    const std::span<const CareTemplate> set = care_templates(m_options.set);
    const CareTemplate& chosen = set[m_rng.index(set.size())];
    Message message;
    message.situation = chosen.kind;
    fill_placeholders(chosen.text, message.text,
                      [&](std::string_view name) { expand(name, message); });
    return message;
}

void CareMessages::add(std::string_view note, const std::string& written, Message& message) {
    const std::size_t start = message.text.size();
    message.text += written;
    message.identity_spans.push_back(Span{start, message.text.size()});
    message.span_notes.push_back(std::string(note));
}

bool CareMessages::expand_identity(std::string_view placeholder, Message& message) {
    const base::Date today = m_options.today;
    const auto write = [&](std::string_view kind, const std::string& twelve,
                           std::span<const FormWeight> mix) {
        const Form form = pick_form(m_rng, mix);
        add(std::string(kind) + " " + std::string(to_string(form)),
            write_identity(twelve, form, today), message);
    };
    if (placeholder == "pin") {
        write("adult", m_pool.personnummer(m_rng, 1925, 2006), k_written);
    } else if (placeholder == "pin_kw") {
        write("after_word", m_pool.personnummer(m_rng, 1925, 2020), any_form_mix());
    } else if (placeholder == "child") {
        write("child", m_pool.personnummer(m_rng, 2008, 2023), k_written);
    } else if (placeholder == "youth") {
        write("youth", m_pool.personnummer(m_rng, 2000, 2009), k_written);
    } else if (placeholder == "old") {
        write("aged_100", m_pool.personnummer(m_rng, 1900, today.year - 101), old_form_mix());
    } else if (placeholder == "samnr") {
        write("samordningsnummer", m_pool.samordningsnummer(m_rng), k_written);
    } else if (placeholder == "typo") {
        write("wrong_check", with_wrong_check_digit(m_pool.personnummer(m_rng, 1925, 2006), m_rng),
              k_written);
    } else {
        return false;
    }
    return true;
}

void CareMessages::expand(std::string_view placeholder, Message& message) {
    if (expand_identity(placeholder, message)) {
        return;
    }
    std::string& out = message.text;
    const auto word = [&](std::span<const std::string_view> words) { out += m_rng.pick(words); };
    if (placeholder == "mobile") {
        out += m_numbers.mobile();
    } else if (placeholder == "landline") {
        out += m_numbers.landline();
    } else if (placeholder == "ocr") {
        out += m_numbers.ocr();
    } else if (placeholder == "bg") {
        out += m_numbers.bankgiro();
    } else if (placeholder == "pg") {
        out += m_numbers.plusgiro();
    } else if (placeholder == "org") {
        out += m_numbers.organisation_number();
    } else if (placeholder == "booking") {
        out += m_numbers.booking();
    } else if (placeholder == "order") {
        out += m_numbers.order();
    } else if (placeholder == "parcel") {
        out += m_numbers.parcel();
    } else if (placeholder == "code") {
        out += m_numbers.code();
    } else if (placeholder == "date") {
        out += m_numbers.date();
    } else if (placeholder == "time") {
        out += m_numbers.time();
    } else if (placeholder == "ts") {
        out += m_numbers.timestamp();
    } else if (placeholder == "amount") {
        out += m_numbers.amount();
    } else if (placeholder == "account") {
        out += m_numbers.account();
    } else if (placeholder == "first") {
        word(first_names());
    } else if (placeholder == "last") {
        word(last_names());
    } else if (placeholder == "name") {
        word(first_names());
        out += ' ';
        word(last_names());
    } else if (placeholder == "staff") {
        word(k_staff);
    } else if (placeholder == "street") {
        word(street_names());
    } else if (placeholder == "city") {
        word(cities());
    } else if (placeholder == "unit") {
        word(care_units());
    } else if (placeholder == "weekday") {
        word(weekdays());
    } else if (placeholder == "med") {
        word(k_medicines);
    } else if (placeholder == "dose") {
        word(k_doses);
    } else if (placeholder == "place") {
        word(k_places);
    } else if (placeholder == "school") {
        word(k_schools);
    } else {
        throw std::logic_error("unknown placeholder {" + std::string(placeholder) + "}");
    }
}

} // namespace dockscan::corpus
