// libFuzzer target: vCard files (*.vcf) as the folder source reads them, in chunks.
// The cards read in chunks of a size the input chooses must be the cards of the whole
// file: the streaming reader may not depend on where a chunk ends.

#include "docking/vcard.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace dockscan::docking;

std::vector<std::string> read(std::string_view text, std::size_t chunk) {
    std::vector<std::string> out;
    VcardOptions options;
    options.keep_photo = true;
    options.max_photo_bytes = 1u << 16;
    VcardReader reader(options);
    const auto keep = [&](VcardCard& card) -> Expected<void> {
        if (!card.contact) {
            out.push_back("!" + card.contact.error().message);
            return {};
        }
        std::string rendered = render_contact(*card.contact);
        if (card.contact->photo) {
            rendered += "photo " + std::to_string(card.contact->photo->size) + " " +
                        std::to_string(card.contact->photo->data.size());
        }
        out.push_back(std::move(rendered));
        (void)contact_content(*card.contact);
        return {};
    };
    for (std::size_t at = 0; at < text.size(); at += chunk) {
        (void)reader.feed(text.substr(at, chunk), keep);
    }
    (void)reader.finish(keep);
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t chunk = 1 + data[0] % 64;
    const std::string text =
        vcard_file_text(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    if (read(text, text.size() + 1) != read(text, chunk)) {
        __builtin_trap();
    }
    return 0;
}
