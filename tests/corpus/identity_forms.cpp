#include "tests/corpus/identity_forms.hpp"

#include "tests/corpus/luhn.hpp"

namespace dockscan::corpus {
namespace {

// Hyphenated forms dominate; spaces and en dashes (from word processors and
// autocorrection) are the exception.
constexpr FormWeight k_any[] = {
    {Form::ten_hyphen, 50}, {Form::twelve_hyphen, 17}, {Form::twelve_bare, 12},
    {Form::ten_bare, 12},   {Form::ten_space, 3},      {Form::twelve_space, 2},
    {Form::ten_en_dash, 2}, {Form::twelve_en_dash, 2},
};
constexpr FormWeight k_plain[] = {
    {Form::ten_hyphen, 68}, {Form::twelve_hyphen, 20}, {Form::twelve_bare, 5},
    {Form::ten_en_dash, 2}, {Form::ten_bare, 5},
};
constexpr FormWeight k_old[] = {
    {Form::ten_hyphen, 60},
    {Form::twelve_hyphen, 25},
    {Form::twelve_bare, 15},
};

constexpr std::string_view k_en_dash = "\xe2\x80\x93";
constexpr std::string_view k_interim_letters = "TRSUWXJKLMN";

bool aged_100(std::string_view twelve, base::Date today) {
    const base::Date birth{std::stoi(std::string(twelve.substr(0, 4))) + 100,
                           std::stoi(std::string(twelve.substr(4, 2))),
                           std::stoi(std::string(twelve.substr(6, 2)))};
    return birth <= today;
}

} // namespace

std::span<const FormWeight> any_form_mix() {
    return k_any;
}

std::span<const FormWeight> plain_form_mix() {
    return k_plain;
}

std::span<const FormWeight> old_form_mix() {
    return k_old;
}

std::string_view to_string(Form form) {
    switch (form) {
    case Form::ten_hyphen:
        return "ten_hyphen";
    case Form::ten_bare:
        return "ten_bare";
    case Form::ten_space:
        return "ten_space";
    case Form::ten_en_dash:
        return "ten_en_dash";
    case Form::twelve_hyphen:
        return "twelve_hyphen";
    case Form::twelve_bare:
        return "twelve_bare";
    case Form::twelve_space:
        return "twelve_space";
    case Form::twelve_en_dash:
        return "twelve_en_dash";
    }
    return "unknown";
}

Form pick_form(Rng& rng, std::span<const FormWeight> mix) {
    int total = 0;
    for (const FormWeight& item : mix) {
        total += item.weight;
    }
    int ticket = rng.between(0, total - 1);
    for (const FormWeight& item : mix) {
        if (ticket < item.weight) {
            return item.form;
        }
        ticket -= item.weight;
    }
    return mix.front().form;
}

std::string write_identity(std::string_view twelve, Form form, base::Date today) {
    const std::string century(twelve.substr(0, 2));
    const std::string date(twelve.substr(2, 6));
    const std::string tail(twelve.substr(8, 4));
    const std::string hyphen = aged_100(twelve, today) ? "+" : "-";
    switch (form) {
    case Form::ten_hyphen:
        return date + hyphen + tail;
    case Form::ten_bare:
        return date + tail;
    case Form::ten_space:
        return date + " " + tail;
    case Form::ten_en_dash:
        return date + std::string(k_en_dash) + tail;
    case Form::twelve_hyphen:
        return century + date + "-" + tail;
    case Form::twelve_bare:
        return century + date + tail;
    case Form::twelve_space:
        return century + date + " " + tail;
    case Form::twelve_en_dash:
        return century + date + std::string(k_en_dash) + tail;
    }
    return std::string(twelve);
}

std::string with_wrong_check_digit(std::string_view twelve, Rng& rng) {
    std::string number(twelve);
    const int check = number[11] - '0';
    number[11] = static_cast<char>('0' + (check + rng.between(1, 9)) % 10);
    return number;
}

std::string make_interim(std::string_view twelve, Rng& rng) {
    std::string number(twelve.substr(0, 8));
    number += k_interim_letters[rng.index(k_interim_letters.size())];
    number += static_cast<char>('0' + rng.between(0, 9));
    number += static_cast<char>('0' + rng.between(0, 9));
    // The check digit covers the ten-digit form: the last two year digits onwards.
    number += luhn_digit(std::string_view(number).substr(2));
    return number;
}

} // namespace dockscan::corpus
