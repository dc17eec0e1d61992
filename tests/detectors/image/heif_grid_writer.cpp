// Writes a HEIF grid as phones write photos: each tile encoded on its own with libheif
// (x265), its decoder configuration (hvcC) and coded data taken from that file, and the
// grid file put together box by box (ISO/IEC 23008-12): the grid item in idat, the
// tiles hidden, in mdat. Independent of the reader under test (detectors/image/heif_grid).

#include "tests/detectors/image/heif_grid_writer.hpp"

#include <algorithm>
#include <functional>
#include <libheif/heif.h>
#include <map>
#include <memory>
#include <stdexcept>

namespace dockscan::test_images {
namespace {

void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out += static_cast<char>(v >> shift & 0xff);
    }
}

void put16(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v >> 8 & 0xff);
    out += static_cast<char>(v & 0xff);
}

std::string box(std::string_view type, std::string_view content) {
    std::string out;
    put32(out, static_cast<std::uint32_t>(content.size() + 8));
    out += type;
    out += content;
    return out;
}

std::string full_box(std::string_view type, std::uint8_t version, std::uint32_t flags,
                     std::string_view content) {
    std::string head;
    head += static_cast<char>(version);
    head += static_cast<char>(flags >> 16 & 0xff);
    head += static_cast<char>(flags >> 8 & 0xff);
    head += static_cast<char>(flags & 0xff);
    return box(type, head + std::string(content));
}

// The content of the first box of `type` found in `file` (a flat search, as the files
// libheif writes for one image hold each of these boxes once).
std::string content_of(const std::string& file, std::string_view type) {
    const auto at = file.find(type);
    if (at == std::string::npos || at < 4) {
        throw std::runtime_error("grid writer: no " + std::string(type) + " box");
    }
    std::uint32_t size = 0;
    for (std::size_t i = at - 4; i < at; ++i) {
        size = size << 8 | static_cast<unsigned char>(file[i]);
    }
    return file.substr(at + 4, size - 8);
}

struct EncodedTile {
    std::string hvcc;
    std::string data;
};

EncodedTile encode_tile(const std::uint8_t* rgb, std::size_t stride, int width, int height) {
    std::unique_ptr<heif_context, decltype(&heif_context_free)> ctx(heif_context_alloc(),
                                                                    &heif_context_free);
    heif_encoder* raw_encoder = nullptr;
    if (heif_context_get_encoder_for_format(ctx.get(), heif_compression_HEVC, &raw_encoder).code !=
        heif_error_Ok) {
        throw std::runtime_error("grid writer: no HEVC encoder");
    }
    std::unique_ptr<heif_encoder, decltype(&heif_encoder_release)> encoder(raw_encoder,
                                                                           &heif_encoder_release);
    heif_encoder_set_lossy_quality(encoder.get(), 85);
    heif_encoder_set_parameter_string(encoder.get(), "preset", "ultrafast");
    heif_image* raw_image = nullptr;
    heif_image_create(width, height, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &raw_image);
    std::unique_ptr<heif_image, decltype(&heif_image_release)> image(raw_image,
                                                                     &heif_image_release);
    heif_image_add_plane(image.get(), heif_channel_interleaved, width, height, 8);
    int out_stride = 0;
    std::uint8_t* plane = heif_image_get_plane(image.get(), heif_channel_interleaved, &out_stride);
    for (int y = 0; y < height; ++y) {
        std::copy_n(rgb + static_cast<std::size_t>(y) * stride, static_cast<std::size_t>(width) * 3,
                    plane + static_cast<std::ptrdiff_t>(y) * out_stride);
    }
    heif_image_handle* handle = nullptr;
    if (heif_context_encode_image(ctx.get(), image.get(), encoder.get(), nullptr, &handle).code !=
        heif_error_Ok) {
        throw std::runtime_error("grid writer: cannot encode a tile");
    }
    heif_image_handle_release(handle);
    std::string file;
    heif_writer writer{};
    writer.writer_api_version = 1;
    writer.write = [](heif_context*, const void* data, size_t size, void* userdata) {
        static_cast<std::string*>(userdata)->append(static_cast<const char*>(data), size);
        return heif_error{heif_error_Ok, heif_suberror_Unspecified, ""};
    };
    if (heif_context_write(ctx.get(), &writer, &file).code != heif_error_Ok) {
        throw std::runtime_error("grid writer: cannot write a tile");
    }
    return EncodedTile{content_of(file, "hvcC"), content_of(file, "mdat")};
}

} // namespace

std::string heif_grid(const std::vector<std::uint8_t>& rgb, int width, int height,
                      const GridOptions& options) {
    const int tile = options.tile;
    const int columns = (width + tile - 1) / tile;
    const int rows = (height + tile - 1) / tile;
    // Identical tiles (a plain background) are encoded once, found by a hash of their
    // samples (keeping the samples would hold the whole image again).
    std::map<std::size_t, std::size_t> seen;
    std::vector<EncodedTile> encoded;
    std::vector<std::size_t> tiles; // index into `encoded`, row by row
    const auto sz = [](int v) { return static_cast<std::size_t>(v); };
    std::vector<std::uint8_t> block(sz(tile) * sz(tile) * 3);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c) {
            // The canvas beyond the image repeats its last row and column, as encoders pad.
            for (int y = 0; y < tile; ++y) {
                const int sy = std::min(r * tile + y, height - 1);
                for (int x = 0; x < tile; ++x) {
                    const int sx = std::min(c * tile + x, width - 1);
                    const std::size_t from = (sz(sy) * sz(width) + sz(sx)) * 3;
                    const std::size_t to = (sz(y) * sz(tile) + sz(x)) * 3;
                    std::copy_n(rgb.begin() + static_cast<std::ptrdiff_t>(from), 3,
                                block.begin() + static_cast<std::ptrdiff_t>(to));
                }
            }
            const std::size_t key = std::hash<std::string_view>{}(
                std::string_view(reinterpret_cast<const char*>(block.data()), block.size()));
            auto found = seen.find(key);
            if (found == seen.end()) {
                encoded.push_back(
                    encode_tile(block.data(), static_cast<std::size_t>(tile) * 3, tile, tile));
                found = seen.emplace(key, encoded.size() - 1).first;
            }
            tiles.push_back(found->second);
        }
    }
    const auto n = static_cast<std::uint32_t>(tiles.size());
    const std::uint32_t grid_id = 1;
    // Properties: 1 the grid's ispe, 2 the tiles' ispe, then irot / imir, then one hvcC
    // per distinct configuration.
    std::string ipco;
    std::string grid_ispe;
    // The grid's ispe is its size as displayed before the transformations: as stored.
    put32(grid_ispe, static_cast<std::uint32_t>(width));
    put32(grid_ispe, static_cast<std::uint32_t>(height));
    ipco += full_box("ispe", 0, 0, grid_ispe);
    std::string tile_ispe;
    put32(tile_ispe, static_cast<std::uint32_t>(tile));
    put32(tile_ispe, static_cast<std::uint32_t>(tile));
    ipco += full_box("ispe", 0, 0, tile_ispe);
    std::vector<std::uint32_t> grid_properties = {1};
    std::uint32_t next = 3;
    if (options.quarter_turns != 0) {
        ipco += box("irot", std::string(1, static_cast<char>(options.quarter_turns & 3)));
        grid_properties.push_back(0x8000 | next++);
    }
    if (options.mirror_axis >= 0) {
        ipco += box("imir", std::string(1, static_cast<char>(options.mirror_axis & 1)));
        grid_properties.push_back(0x8000 | next++);
    }
    std::map<std::string, std::uint32_t> hvcc_index;
    for (const EncodedTile& e : encoded) {
        if (hvcc_index.emplace(e.hvcc, next).second) {
            ipco += box("hvcC", e.hvcc);
            ++next;
        }
    }
    std::string ipma_entries;
    put32(ipma_entries, n + 1);
    put16(ipma_entries, grid_id);
    ipma_entries += static_cast<char>(grid_properties.size());
    for (const std::uint32_t p : grid_properties) {
        put16(ipma_entries, p);
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        put16(ipma_entries, grid_id + 1 + i);
        ipma_entries += static_cast<char>(2);
        put16(ipma_entries, 0x8000 | hvcc_index.at(encoded[tiles[i]].hvcc));
        put16(ipma_entries, 2);
    }
    const std::string iprp = box("iprp", box("ipco", ipco) + full_box("ipma", 0, 1, ipma_entries));

    std::string grid_data;
    const bool wide = width > 0xffff || height > 0xffff;
    grid_data += static_cast<char>(0);
    grid_data += static_cast<char>(wide ? 1 : 0);
    grid_data += static_cast<char>(rows - 1);
    grid_data += static_cast<char>(columns - 1);
    if (wide) {
        put32(grid_data, static_cast<std::uint32_t>(width));
        put32(grid_data, static_cast<std::uint32_t>(height));
    } else {
        put16(grid_data, static_cast<std::uint32_t>(width));
        put16(grid_data, static_cast<std::uint32_t>(height));
    }

    const std::string ftyp = box("ftyp", std::string("heic\0\0\0\0mif1heic", 16));
    std::string hdlr_content(4, '\0');
    hdlr_content += "pict";
    hdlr_content += std::string(12, '\0');
    hdlr_content += '\0';
    std::string pitm_content;
    put16(pitm_content, grid_id);
    std::string iinf_content;
    put16(iinf_content, n + 1);
    const auto infe = [](std::uint32_t id, std::string_view type, std::uint32_t flags) {
        std::string c;
        put16(c, id);
        put16(c, 0);
        c += type;
        c += '\0';
        return full_box("infe", 2, flags, c);
    };
    iinf_content += infe(grid_id, "grid", 0);
    for (std::uint32_t i = 0; i < n; ++i) {
        iinf_content += infe(grid_id + 1 + i, "hvc1", 1); // hidden: only part of the grid
    }
    std::string dimg;
    put16(dimg, grid_id);
    put16(dimg, n);
    for (std::uint32_t i = 0; i < n; ++i) {
        put16(dimg, grid_id + 1 + i);
    }
    const std::string iref = full_box("iref", 0, 0, box("dimg", dimg));

    // iloc version 1: 4-byte offsets and lengths, no base offset; the grid in idat
    // (construction method 1), each tile once in mdat (identical tiles share data).
    const auto meta_for = [&](std::uint32_t mdat_data_start) {
        std::string iloc;
        iloc += static_cast<char>(0x44);
        iloc += static_cast<char>(0x00);
        put16(iloc, n + 1);
        put16(iloc, grid_id);
        put16(iloc, 1);
        put16(iloc, 0);
        put16(iloc, 1);
        put32(iloc, 0);
        put32(iloc, static_cast<std::uint32_t>(grid_data.size()));
        std::vector<std::uint32_t> offsets;
        std::uint32_t at = mdat_data_start;
        for (const EncodedTile& e : encoded) {
            offsets.push_back(at);
            at += static_cast<std::uint32_t>(e.data.size());
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            put16(iloc, grid_id + 1 + i);
            put16(iloc, 0);
            put16(iloc, 0);
            put16(iloc, 1);
            put32(iloc, offsets[tiles[i]]);
            put32(iloc, static_cast<std::uint32_t>(encoded[tiles[i]].data.size()));
        }
        return full_box("meta", 0, 0,
                        full_box("hdlr", 0, 0, hdlr_content) +
                            full_box("pitm", 0, 0, pitm_content) +
                            full_box("iinf", 0, 0, iinf_content) + iref + iprp +
                            full_box("iloc", 1, 0, iloc) + box("idat", grid_data));
    };
    const std::size_t meta_size = meta_for(0).size();
    const auto data_start = static_cast<std::uint32_t>(ftyp.size() + meta_size + 8);
    std::string mdat;
    for (const EncodedTile& e : encoded) {
        mdat += e.data;
    }
    return ftyp + meta_for(data_start) + box("mdat", mdat);
}

} // namespace dockscan::test_images
