#include "tests/corpus/templates.hpp"

namespace dockscan::corpus {

// Defined in templates_dev.cpp and templates_heldout.cpp, one file per set so that a
// change to the held-out set shows as a change to its own file.
extern const std::span<const Template> k_dev_templates;
extern const std::span<const Template> k_heldout_templates;

std::span<const Template> templates(TemplateSet set) {
    return set == TemplateSet::dev ? k_dev_templates : k_heldout_templates;
}

} // namespace dockscan::corpus
