#include "tests/corpus/templates.hpp"

namespace dockscan::corpus {

// Defined in templates_dev.cpp.
extern const std::span<const Template> k_dev_templates;

std::span<const Template> templates(TemplateSet set) {
    switch (set) {
    case TemplateSet::dev:
        break;
    }
    return k_dev_templates;
}

} // namespace dockscan::corpus
