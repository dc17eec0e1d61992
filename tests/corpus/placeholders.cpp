#include "tests/corpus/placeholders.hpp"

#include <stdexcept>

namespace dockscan::corpus {

void fill_placeholders(std::string_view text, std::string& out,
                       const std::function<void(std::string_view name)>& expand) {
    while (!text.empty()) {
        const std::size_t open = text.find('{');
        if (open == std::string_view::npos) {
            out += text;
            return;
        }
        const std::size_t close = text.find('}', open);
        if (close == std::string_view::npos) {
            throw std::logic_error("unclosed placeholder in a template: " + std::string(text));
        }
        out += text.substr(0, open);
        expand(text.substr(open + 1, close - open - 1));
        text.remove_prefix(close + 1);
    }
}

} // namespace dockscan::corpus
