#include "tests/corpus/generator.hpp"

#include "tests/corpus/identity_forms.hpp"
#include "tests/corpus/placeholders.hpp"
#include "tests/corpus/words.hpp"

#include <stdexcept>

namespace dockscan::corpus {
namespace {

// Birth years of the people in the messages: clients of all ages, children, and
// those aged 100 or more.
constexpr int k_adult_first_year = 1925;
constexpr int k_adult_last_year = 2007;
constexpr int k_child_first_year = 2005;
constexpr int k_child_last_year = 2020;
constexpr int k_oldest_year = 1890;

} // namespace

Generator::Generator(const NumberPool& pool, const GeneratorOptions& options)
    : m_pool(pool), m_options(options), m_rng(options.seed),
      m_look_alikes(m_rng, options.today, options.confusable_share) {}

Message Generator::next() {
    const std::span<const Template> set = templates(m_options.set);
    const Template& chosen = set[m_rng.index(set.size())];
    Message message;
    message.situation = chosen.situation;
    fill_placeholders(chosen.text, message.text,
                      [&](std::string_view name) { expand(name, message); });
    return message;
}

void Generator::add_identity(std::string_view placeholder, std::string_view twelve, Form form,
                             Message& message) {
    const std::size_t start = message.text.size();
    message.text += write_identity(twelve, form, m_options.today);
    message.identity_spans.push_back(Span{start, message.text.size()});
    message.span_notes.push_back(std::string(placeholder) + " " + std::string(to_string(form)));
}

std::string Generator::pick_word(std::span<const std::string_view> words) {
    return std::string(m_rng.pick(words));
}

bool Generator::expand_identity(std::string_view placeholder, Message& message) {
    const int hundred_years_ago = m_options.today.year - 100;
    if (placeholder == "pnr") {
        const std::string& pin = m_pool.personnummer(m_rng, k_adult_first_year, k_adult_last_year);
        add_identity(placeholder, pin, pick_form(m_rng, any_form_mix()), message);
    } else if (placeholder == "pnr_plain") {
        const std::string& pin = m_pool.personnummer(m_rng, k_adult_first_year, k_adult_last_year);
        add_identity(placeholder, pin, pick_form(m_rng, plain_form_mix()), message);
    } else if (placeholder == "pnr_child") {
        const std::string& pin = m_pool.personnummer(m_rng, k_child_first_year, k_child_last_year);
        add_identity(placeholder, pin, pick_form(m_rng, any_form_mix()), message);
    } else if (placeholder == "pnr_0708") {
        const std::string& pin = m_pool.personnummer(m_rng, 2007, 2008);
        add_identity(placeholder, pin, Form::ten_bare, message);
    } else if (placeholder == "pnr_old") {
        const std::string& pin = m_pool.personnummer(m_rng, k_oldest_year, hundred_years_ago - 1);
        add_identity(placeholder, pin, pick_form(m_rng, old_form_mix()), message);
    } else if (placeholder == "pnr_bad") {
        const std::string& pin = m_pool.personnummer(m_rng, k_adult_first_year, k_adult_last_year);
        add_identity(placeholder, with_wrong_check_digit(pin, m_rng),
                     pick_form(m_rng, any_form_mix()), message);
    } else if (placeholder == "samnr") {
        add_identity(placeholder, m_pool.samordningsnummer(m_rng), pick_form(m_rng, any_form_mix()),
                     message);
    } else if (placeholder == "interim") {
        const std::string& pin = m_pool.personnummer(m_rng, k_adult_first_year, k_adult_last_year);
        add_identity(placeholder, make_interim(pin, m_rng), pick_form(m_rng, plain_form_mix()),
                     message);
    } else {
        return false;
    }
    return true;
}

void Generator::expand(std::string_view placeholder, Message& message) {
    if (expand_identity(placeholder, message)) {
        return;
    }
    if (placeholder == "mobile") {
        message.text += m_look_alikes.mobile();
    } else if (placeholder == "mobile_bare") {
        message.text += m_look_alikes.mobile_bare();
    } else if (placeholder == "landline") {
        message.text += m_look_alikes.landline();
    } else if (placeholder == "org") {
        message.text += m_look_alikes.organisation_number();
    } else if (placeholder == "ocr") {
        message.text += m_look_alikes.ocr_reference();
    } else if (placeholder == "bg") {
        message.text += m_look_alikes.bankgiro();
    } else if (placeholder == "pg") {
        message.text += m_look_alikes.plusgiro();
    } else if (placeholder == "custno") {
        message.text += m_look_alikes.customer_number();
    } else if (placeholder == "orderno") {
        message.text += m_look_alikes.order_number();
    } else if (placeholder == "case") {
        message.text += m_look_alikes.case_number();
    } else if (placeholder == "date") {
        message.text += m_look_alikes.date();
    } else if (placeholder == "time") {
        message.text += m_look_alikes.time();
    } else if (placeholder == "doorcode") {
        message.text += m_look_alikes.door_code();
    } else if (placeholder == "postcode") {
        message.text += m_look_alikes.postcode();
    } else if (placeholder == "amount") {
        message.text += m_look_alikes.amount();
    } else if (placeholder == "room") {
        message.text += m_look_alikes.room();
    } else if (placeholder == "first") {
        message.text += pick_word(first_names());
    } else if (placeholder == "last") {
        message.text += pick_word(last_names());
    } else if (placeholder == "name") {
        message.text += pick_word(first_names()) + " " + pick_word(last_names());
    } else if (placeholder == "street") {
        message.text += pick_word(street_names());
    } else if (placeholder == "city") {
        message.text += pick_word(cities());
    } else if (placeholder == "unit") {
        message.text += pick_word(care_units());
    } else if (placeholder == "weekday") {
        message.text += pick_word(weekdays());
    } else {
        throw std::logic_error("unknown placeholder {" + std::string(placeholder) + "}");
    }
}

} // namespace dockscan::corpus
