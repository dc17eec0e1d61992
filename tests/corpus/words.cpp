#include "tests/corpus/words.hpp"

namespace dockscan::corpus {
namespace {

constexpr std::string_view k_first[] = {
    "Alva", "Nils",   "Elsa",   "Hugo",  "Maja",  "Oskar",    "Astrid", "Lars",  "Birgitta",
    "Karl", "Ingrid", "Erik",   "Signe", "Olof",  "Märta",    "Gunnar", "Ebba",  "Åke",
    "Sara", "Ahmed",  "Fatima", "Yusuf", "Amina", "Mohammed", "Leila",  "Jonas", "Linnéa",
    "Ida",  "Viktor", "Agnes",  "Göran", "Britt", "Kerstin",  "Ali",    "Noah",  "Wilma",
};
constexpr std::string_view k_last[] = {
    "Andersson", "Johansson", "Karlsson",   "Nilsson",    "Eriksson", "Larsson",  "Olsson",
    "Persson",   "Svensson",  "Gustafsson", "Pettersson", "Jonsson",  "Lindberg", "Lindqvist",
    "Berg",      "Holm",      "Ali",        "Mohammed",   "Hussein",  "Öberg",    "Åström",
    "Sjöberg",   "Hassan",    "Bergström",  "Lund",       "Ek",
};
constexpr std::string_view k_streets[] = {
    "Storgatan 12", "Björkvägen 3",      "Kyrkogatan 8B", "Skolgatan 21", "Parkvägen 5",
    "Ängsvägen 14", "Drottninggatan 44", "Solvändan 2",   "Tallstigen 7", "Hamngatan 19",
};
constexpr std::string_view k_cities[] = {
    "Uppsala", "Västerås", "Örebro", "Linköping",  "Gävle", "Sundsvall",
    "Luleå",   "Växjö",    "Borås",  "Eskilstuna", "Falun", "Kalmar",
};
constexpr std::string_view k_units[] = {
    "Solgården", "Björkhagen", "Lindgården", "Ekbacken", "Rosengården", "Tallmon",
};
constexpr std::string_view k_weekdays[] = {
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
};

} // namespace

std::span<const std::string_view> first_names() {
    return k_first;
}
std::span<const std::string_view> last_names() {
    return k_last;
}
std::span<const std::string_view> street_names() {
    return k_streets;
}
std::span<const std::string_view> cities() {
    return k_cities;
}
std::span<const std::string_view> care_units() {
    return k_units;
}
std::span<const std::string_view> weekdays() {
    return k_weekdays;
}

} // namespace dockscan::corpus
