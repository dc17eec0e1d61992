#include "detectors/image/exif.hpp"

#include <cstddef>
#include <cstdint>

namespace dockscan::detectors::image {
namespace {

// IFD0 of a phone photo has a few dozen entries; more means damage or an attack.
constexpr std::uint32_t k_max_ifd_entries = 512;

std::uint8_t byte_at(std::string_view s, std::size_t i) {
    return static_cast<std::uint8_t>(s[i]);
}

class TiffReader {
public:
    TiffReader(std::string_view tiff, bool little) : m_tiff(tiff), m_little(little) {}

    [[nodiscard]] bool u16(std::size_t at, std::uint32_t& out) const {
        if (at + 2 > m_tiff.size()) {
            return false;
        }
        const std::uint32_t a = byte_at(m_tiff, at);
        const std::uint32_t b = byte_at(m_tiff, at + 1);
        out = m_little ? (a | b << 8) : (a << 8 | b);
        return true;
    }

    [[nodiscard]] bool u32(std::size_t at, std::uint32_t& out) const {
        std::uint32_t lo = 0;
        std::uint32_t hi = 0;
        if (!u16(at, m_little ? lo : hi) || !u16(at + 2, m_little ? hi : lo)) {
            return false;
        }
        out = hi << 16 | lo;
        return true;
    }

private:
    std::string_view m_tiff;
    bool m_little;
};

ExifFacts read_tiff(std::string_view tiff) {
    ExifFacts facts;
    if (tiff.size() < 8) {
        return facts;
    }
    bool little = false;
    if (tiff.substr(0, 2) == "II") {
        little = true;
    } else if (tiff.substr(0, 2) != "MM") {
        return facts;
    }
    const TiffReader r(tiff, little);
    std::uint32_t ifd = 0;
    std::uint32_t count = 0;
    if (!r.u32(4, ifd) || !r.u16(ifd, count) || count > k_max_ifd_entries) {
        return facts;
    }
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t entry = static_cast<std::size_t>(ifd) + 2 + 12 * std::size_t{i};
        std::uint32_t tag = 0;
        std::uint32_t type = 0;
        if (!r.u16(entry, tag) || !r.u16(entry + 2, type)) {
            break;
        }
        if (tag == 0x010f || tag == 0x0110) {
            facts.camera = true;
        } else if (tag == 0x0112 && type == 3) {
            std::uint32_t value = 0;
            if (r.u16(entry + 8, value) && value >= 1 && value <= 8) {
                facts.orientation = static_cast<int>(value);
            }
        }
    }
    return facts;
}

} // namespace

ExifFacts read_jpeg_exif(std::string_view jpeg) {
    if (jpeg.size() < 4 || byte_at(jpeg, 0) != 0xff || byte_at(jpeg, 1) != 0xd8) {
        return {};
    }
    std::size_t at = 2;
    // EXIF sits in the first segments; stop at the frame or scan header.
    while (at + 4 <= jpeg.size()) {
        if (byte_at(jpeg, at) != 0xff) {
            return {};
        }
        const std::uint8_t marker = byte_at(jpeg, at + 1);
        if (marker == 0xda || (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 &&
                               marker != 0xc8 && marker != 0xcc)) {
            return {};
        }
        const std::size_t length =
            static_cast<std::size_t>(byte_at(jpeg, at + 2)) << 8 | byte_at(jpeg, at + 3);
        if (length < 2 || at + 2 + length > jpeg.size()) {
            return {};
        }
        const std::string_view payload = jpeg.substr(at + 4, length - 2);
        if (marker == 0xe1 && payload.size() > 6 &&
            payload.substr(0, 6) == std::string_view("Exif\0\0", 6)) {
            return read_tiff(payload.substr(6));
        }
        at += 2 + length;
    }
    return {};
}

} // namespace dockscan::detectors::image
