#include "agent/cli/inspect_input.hpp"

#include "docking/text_decode.hpp"
#include "docking/vcard.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace dockscan::agent {
namespace {

constexpr std::uint64_t k_max_file_bytes = 4u << 20;

std::string lower_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// A contact list export: what a phone's contacts app writes (the same limit as a phone's).
constexpr std::uint64_t k_max_vcf_bytes = 64u << 20;

bool is_image_name(const std::string& ext) {
    return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".heic" || ext == ".heif";
}

} // namespace

Expected<std::vector<detectors::Signal>> inspect_file(const std::string& path,
                                                      const AnalysisOptions& options,
                                                      detectors::image::ImageAnalyser& images) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        return fail(ErrorCode::input, "no such file");
    }
    if (!std::filesystem::is_regular_file(status)) {
        return fail(ErrorCode::input, "not a regular file");
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return fail(ErrorCode::input, "cannot read: " + ec.message());
    }
    if (is_image_name(lower_extension(path))) {
        if (size > detectors::image::k_max_file_bytes) {
            return fail(ErrorCode::input, "larger than the 64 MiB limit for images");
        }
        // One copy of the file, as the scan holds an item: a stream's growing buffer and
        // its str() took three of a 30 MB photo, 40 MB over what the analysis costs.
        std::ifstream in(path, std::ios::binary);
        std::string bytes(static_cast<std::size_t>(size), '\0');
        in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!in || in.gcount() != static_cast<std::streamsize>(bytes.size())) {
            return fail(ErrorCode::input, "cannot read");
        }
        auto signals = detect_in_image(bytes, std::nullopt, images);
        if (!signals) {
            return fail(ErrorCode::input, signals.error().message);
        }
        return std::move(*signals);
    }
    if (lower_extension(path) == ".vcf") {
        if (size > k_max_vcf_bytes) {
            return fail(ErrorCode::input, "larger than the 64 MiB limit for contact lists");
        }
        std::ifstream in(path, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in) {
            return fail(ErrorCode::input, "cannot read");
        }
        // Each contact as the scan sees it: its fields and its name. The signals' offsets
        // are into that contact's rendering (docking::render_contact).
        std::vector<detectors::Signal> signals;
        for (const auto& contact : docking::parse_vcards(bytes.str())) {
            if (!contact) {
                continue;
            }
            for (auto& signal :
                 detect_in_content(docking::contact_content(*contact), options.text)) {
                signals.push_back(std::move(signal));
            }
        }
        return signals;
    }
    if (size > k_max_file_bytes) {
        return fail(ErrorCode::input, "larger than the 4 MiB limit for text");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
        return fail(ErrorCode::input, "cannot read");
    }
    // The same decoding as a note on a phone: byte order marks, UTF-16, Windows-1252.
    auto text = docking::decode_note(bytes.str());
    if (!text) {
        return fail(ErrorCode::input, text.error().message);
    }
    return detect_in_text(*text, options);
}

} // namespace dockscan::agent
