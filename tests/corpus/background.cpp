#include "tests/corpus/background.hpp"

#include "tests/corpus/identity_forms.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>

namespace dockscan::corpus {
namespace {

constexpr std::array<std::string_view, 10> k_domains = {
    "coreutils", "dpkg", "apt", "bash", "grep", "findutils", "diffutils", "tar", "sed", "git",
};

// GNU gettext's .mo magic number, as read in little- and big-endian order.
constexpr std::uint32_t k_mo_magic = 0x950412de;
constexpr std::uint32_t k_mo_magic_swapped = 0xde120495;

// The forms in which a number is pasted into text: as in the care corpus.
constexpr FormWeight k_pasted[] = {
    {Form::ten_hyphen, 55}, {Form::twelve_hyphen, 18}, {Form::twelve_bare, 8},
    {Form::ten_bare, 9},    {Form::ten_space, 4},      {Form::twelve_space, 2},
    {Form::ten_en_dash, 3}, {Form::twelve_en_dash, 1},
};

std::uint32_t read_u32(std::string_view data, std::size_t at, bool swapped) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const auto byte = static_cast<std::uint8_t>(data[at + (swapped ? i : 3 - i)]);
        value = (value << 8) | byte;
    }
    return value;
}

base::Expected<std::vector<std::string>, CorpusError> read_mo(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return base::fail(CorpusError::unreadable, "cannot open " + path.string());
    }
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto malformed = [&] {
        return base::fail(CorpusError::malformed, "not a .mo catalogue: " + path.string());
    };
    if (data.size() < 20) {
        return malformed();
    }
    const std::uint32_t magic = read_u32(data, 0, false);
    if (magic != k_mo_magic && magic != k_mo_magic_swapped) {
        return malformed();
    }
    const bool swapped = magic == k_mo_magic_swapped;
    const std::uint32_t count = read_u32(data, 8, swapped);
    const std::uint32_t originals = read_u32(data, 12, swapped);
    const std::uint32_t translations = read_u32(data, 16, swapped);
    std::vector<std::string> texts;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t entry = translations + std::size_t{8} * i;
        const std::size_t original = originals + std::size_t{8} * i;
        if (entry + 8 > data.size() || original + 8 > data.size()) {
            return malformed();
        }
        // The entry with an empty msgid is the catalogue's header, not a translation.
        if (read_u32(data, original, swapped) == 0) {
            continue;
        }
        const std::size_t length = read_u32(data, entry, swapped);
        const std::size_t offset = read_u32(data, entry + 4, swapped);
        if (offset + length > data.size()) {
            return malformed();
        }
        std::string_view text(data.data() + offset, length);
        // Plural forms are separated by NUL.
        while (!text.empty()) {
            const std::size_t nul = text.find('\0');
            const std::string_view form = text.substr(0, nul);
            if (!form.empty()) {
                texts.emplace_back(form);
            }
            if (nul == std::string_view::npos) {
                break;
            }
            text.remove_prefix(nul + 1);
        }
    }
    return texts;
}

} // namespace

std::span<const std::string_view> background_domains() {
    return k_domains;
}

base::Expected<std::vector<std::string>, CorpusError>
load_catalogue_texts(const std::filesystem::path& dir, std::span<const std::string_view> domains) {
    std::vector<std::string> all;
    for (const std::string_view domain : domains) {
        DOCKSCAN_TRY_ASSIGN(std::vector<std::string> texts,
                            read_mo(dir / (std::string(domain) + ".mo")));
        all.insert(all.end(), std::make_move_iterator(texts.begin()),
                   std::make_move_iterator(texts.end()));
    }
    return all;
}

BackgroundMessages::BackgroundMessages(const NumberPool& pool,
                                       const std::vector<std::string>& texts,
                                       const BackgroundOptions& options)
    : m_pool(pool), m_texts(texts), m_options(options), m_rng(options.seed ^ 0x6d6fULL),
      m_numbers(m_rng, options.today, 0.0) {}

Span BackgroundMessages::plant(const std::string& written, Message& message) {
    std::vector<std::size_t> boundaries = {0};
    for (std::size_t i = 0; i < message.text.size(); ++i) {
        if (message.text[i] == ' ' || message.text[i] == '\n') {
            boundaries.push_back(i + 1);
        }
    }
    const std::size_t at = boundaries[m_rng.index(boundaries.size())];
    const std::string inserted = written + " ";
    message.text.insert(at, inserted);
    for (Span& span : message.identity_spans) {
        if (span.start >= at) {
            span.start += inserted.size();
            span.end += inserted.size();
        }
    }
    return Span{at, at + written.size()};
}

Message BackgroundMessages::next() {
    Message message;
    message.situation = "catalogue";
    const int pieces = m_rng.between(1, 3);
    for (int i = 0; i < pieces; ++i) {
        if (i > 0) {
            message.text += ' ';
        }
        message.text += m_texts[m_rng.index(m_texts.size())];
    }
    if (m_rng.chance(m_options.confounder_share)) {
        std::string number;
        switch (m_rng.between(0, 4)) {
        case 0:
            number = m_numbers.mobile();
            break;
        case 1:
            number = m_numbers.landline();
            break;
        case 2:
            number = m_numbers.ocr();
            break;
        case 3:
            number = m_numbers.order();
            break;
        default:
            number = m_numbers.date();
            break;
        }
        (void)plant(number, message);
    }
    if (m_rng.chance(m_options.identity_share)) {
        const Form form = pick_form(m_rng, k_pasted);
        const std::string& twelve = m_pool.personnummer(m_rng, 1925, 2023);
        const Span span = plant(write_identity(twelve, form, m_options.today), message);
        // Labels stay in order of position.
        std::size_t k = 0;
        while (k < message.identity_spans.size() && message.identity_spans[k].start < span.start) {
            ++k;
        }
        const auto offset = static_cast<std::ptrdiff_t>(k);
        message.identity_spans.insert(message.identity_spans.begin() + offset, span);
        message.span_notes.insert(message.span_notes.begin() + offset,
                                  "planted " + std::string(to_string(form)));
    }
    return message;
}

} // namespace dockscan::corpus
