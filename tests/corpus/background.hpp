#pragma once

// Clean Swedish background text with identity numbers planted in it: the Swedish
// translations of Debian's own message catalogues (the .mo files of packages every
// build machine has: coreutils, dpkg, apt, bash, grep, findutils, diffutils, tar, sed,
// git). Real sentences written by translators, full of numbers of their own (sizes,
// versions, years, format strings), that no one wrote with a detector in mind.

#include "base/expected.hpp"
#include "base/time.hpp"
#include "tests/corpus/confounders.hpp"
#include "tests/corpus/generator.hpp"
#include "tests/corpus/number_pool.hpp"
#include "tests/corpus/rng.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::corpus {

// The catalogues read, by domain name (`<dir>/<domain>.mo`).
[[nodiscard]] std::span<const std::string_view> background_domains();

// Every translated string (each plural form on its own) of the catalogues named by
// `domains` in `dir` (/usr/share/locale/sv/LC_MESSAGES), in file order. A missing or
// malformed file is an error that names it.
[[nodiscard]] base::Expected<std::vector<std::string>, CorpusError>
load_catalogue_texts(const std::filesystem::path& dir, std::span<const std::string_view> domains);

struct BackgroundOptions {
    std::uint64_t seed = 1;
    base::Date today{2025, 6, 1};
    // How often a message gets an identity number, and how often a phone number or
    // reference (not labelled) planted in it.
    double identity_share = 0.4;
    double confounder_share = 0.3;
};

class BackgroundMessages {
public:
    BackgroundMessages(const NumberPool& pool, const std::vector<std::string>& texts,
                       const BackgroundOptions& options);
    BackgroundMessages(const BackgroundMessages&) = delete;
    BackgroundMessages& operator=(const BackgroundMessages&) = delete;

    // One to three catalogue strings joined by a space, with what is planted.
    [[nodiscard]] Message next();

private:
    // Inserts `written` at a word boundary of `message`, moving labels after it.
    Span plant(const std::string& written, Message& message);

    const NumberPool& m_pool;
    const std::vector<std::string>& m_texts;
    BackgroundOptions m_options;
    Rng m_rng;
    Confounders m_numbers;
};

} // namespace dockscan::corpus
