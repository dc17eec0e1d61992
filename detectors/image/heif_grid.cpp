#include "detectors/image/heif_grid.hpp"

#include <map>

namespace dockscan::detectors::image {
namespace {

// Big-endian reads within one box's content; every read past the end sets `bad`.
class Reader {
public:
    explicit Reader(std::string_view bytes) : m_bytes(bytes) {}

    [[nodiscard]] bool bad() const { return m_bad; }
    [[nodiscard]] std::size_t left() const { return m_bytes.size() - m_at; }
    [[nodiscard]] std::string_view rest() const { return m_bytes.substr(m_at); }

    std::uint64_t read(std::size_t bytes) {
        if (bytes > left()) {
            m_bad = true;
            m_at = m_bytes.size();
            return 0;
        }
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < bytes; ++i) {
            value = value << 8 | static_cast<unsigned char>(m_bytes[m_at + i]);
        }
        m_at += bytes;
        return value;
    }
    std::uint32_t u8() { return static_cast<std::uint32_t>(read(1)); }
    std::uint32_t u16() { return static_cast<std::uint32_t>(read(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(read(4)); }
    std::string_view take(std::size_t bytes) {
        if (bytes > left()) {
            m_bad = true;
            m_at = m_bytes.size();
            return {};
        }
        const std::string_view out = m_bytes.substr(m_at, bytes);
        m_at += bytes;
        return out;
    }

private:
    std::string_view m_bytes;
    std::size_t m_at = 0;
    bool m_bad = false;
};

struct Box {
    std::string_view type;
    std::string_view content;
};

// The boxes one after another in `bytes`; nothing for a box that runs past the end.
std::optional<std::vector<Box>> boxes(std::string_view bytes) {
    std::vector<Box> out;
    Reader r(bytes);
    while (r.left() > 0) {
        const std::size_t start_left = r.left();
        std::uint64_t size = r.u32();
        const std::string_view type = r.take(4);
        if (size == 1) {
            size = r.read(8);
        } else if (size == 0) {
            size = start_left;
        }
        const std::size_t header = start_left - r.left();
        if (r.bad() || size < header || size > start_left) {
            return std::nullopt;
        }
        out.push_back(Box{type, r.take(static_cast<std::size_t>(size - header))});
    }
    return out;
}

const Box* find(const std::vector<Box>& list, std::string_view type) {
    for (const Box& box : list) {
        if (box.type == type) {
            return &box;
        }
    }
    return nullptr;
}

struct Item {
    std::string_view type;
    std::optional<std::string_view> data;  // a single extent within the file or idat
    std::vector<std::uint32_t> properties; // 1-based indices into ipco, in order
    std::vector<std::uint32_t> essential;  // those marked essential
};

Expected<std::optional<HeifGrid>> not_ours() {
    return std::optional<HeifGrid>();
}

Expected<std::optional<HeifGrid>> broken(std::string what) {
    return fail(ErrorCode::corrupt, "HEIF grid: " + what);
}

// iinf: the item types.
bool read_items(std::string_view iinf, std::map<std::uint32_t, Item>& items) {
    Reader r(iinf);
    const std::uint32_t version = r.u8();
    r.read(3);
    r.read(version == 0 ? 2 : 4); // entry count: the boxes say it again
    const auto entries = boxes(r.rest());
    if (r.bad() || !entries) {
        return false;
    }
    for (const Box& box : *entries) {
        if (box.type != "infe") {
            continue;
        }
        Reader e(box.content);
        const std::uint32_t v = e.u8();
        e.read(3);
        if (v < 2) {
            continue; // infe before version 2 names no item type: not an image
        }
        const std::uint32_t id = v == 2 ? e.u16() : e.u32();
        e.u16(); // protection index
        const std::string_view type = e.take(4);
        if (e.bad()) {
            return false;
        }
        items[id].type = type;
    }
    return true;
}

// iloc: where each item's data is; only items in one extent, in the file (0) or in idat (1).
bool read_locations(std::string_view iloc, std::string_view file, std::string_view idat,
                    std::map<std::uint32_t, Item>& items) {
    Reader r(iloc);
    const std::uint32_t version = r.u8();
    r.read(3);
    const std::uint32_t sizes = r.u8();
    const std::uint32_t more_sizes = r.u8();
    const std::size_t offset_size = sizes >> 4;
    const std::size_t length_size = sizes & 15;
    const std::size_t base_offset_size = more_sizes >> 4;
    const std::size_t index_size = version >= 1 ? (more_sizes & 15) : 0;
    if (version > 2 || offset_size > 8 || length_size > 8 || base_offset_size > 8 ||
        index_size > 8) {
        return false;
    }
    const std::uint32_t count = version < 2 ? r.u16() : r.u32();
    for (std::uint32_t i = 0; i < count && !r.bad(); ++i) {
        const std::uint32_t id = version < 2 ? r.u16() : r.u32();
        const std::uint32_t method = version >= 1 ? (r.u16() & 15) : 0;
        r.u16(); // data reference index: 0, this file
        const std::uint64_t base = r.read(base_offset_size);
        const std::uint32_t extents = r.u16();
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        for (std::uint32_t e = 0; e < extents && !r.bad(); ++e) {
            r.read(index_size);
            offset = r.read(offset_size);
            length = r.read(length_size);
        }
        if (r.bad()) {
            return false;
        }
        if (extents != 1 || (method != 0 && method != 1)) {
            continue; // not one we read: the item has no data here
        }
        const std::string_view source = method == 0 ? file : idat;
        const std::uint64_t start = base + offset;
        if (start < base || start > source.size()) {
            continue;
        }
        // Length 0: to the end of the source.
        const std::uint64_t available = source.size() - start;
        if (length == 0) {
            length = available;
        }
        if (length > available) {
            continue;
        }
        items[id].data =
            source.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length));
    }
    return !r.bad();
}

// iref: the tiles of the grid `grid`, in order ('dimg').
std::optional<std::vector<std::uint32_t>> read_tiles(std::string_view iref, std::uint32_t grid) {
    Reader r(iref);
    const std::uint32_t version = r.u8();
    r.read(3);
    const auto refs = boxes(r.rest());
    if (r.bad() || !refs) {
        return std::nullopt;
    }
    for (const Box& box : *refs) {
        Reader e(box.content);
        const std::uint32_t from = version == 0 ? e.u16() : e.u32();
        const std::uint32_t count = e.u16();
        if (box.type != "dimg" || from != grid) {
            continue;
        }
        std::vector<std::uint32_t> to;
        for (std::uint32_t i = 0; i < count && !e.bad(); ++i) {
            to.push_back(version == 0 ? e.u16() : e.u32());
        }
        if (e.bad()) {
            return std::nullopt;
        }
        return to;
    }
    return std::nullopt;
}

// ipma: each item's properties.
bool read_associations(std::string_view ipma, std::map<std::uint32_t, Item>& items) {
    Reader r(ipma);
    const std::uint32_t version = r.u8();
    const std::uint32_t flags = static_cast<std::uint32_t>(r.read(3));
    const std::uint32_t count = r.u32();
    for (std::uint32_t i = 0; i < count && !r.bad(); ++i) {
        const std::uint32_t id = version < 1 ? r.u16() : r.u32();
        const std::uint32_t associations = r.u8();
        Item& item = items[id];
        for (std::uint32_t a = 0; a < associations && !r.bad(); ++a) {
            std::uint32_t index = 0;
            bool essential = false;
            if ((flags & 1) != 0) {
                const std::uint32_t v = r.u16();
                essential = (v & 0x8000) != 0;
                index = v & 0x7fff;
            } else {
                const std::uint32_t v = r.u8();
                essential = (v & 0x80) != 0;
                index = v & 0x7f;
            }
            item.properties.push_back(index);
            if (essential) {
                item.essential.push_back(index);
            }
        }
    }
    return !r.bad();
}

struct Size {
    int width = 0;
    int height = 0;
};

// The item's `ispe`, when it has one.
std::optional<Size> image_size(const Item& item, const std::vector<Box>& properties) {
    for (const std::uint32_t index : item.properties) {
        if (index == 0 || index > properties.size() || properties[index - 1].type != "ispe") {
            continue;
        }
        Reader r(properties[index - 1].content);
        r.read(4);
        const std::uint32_t width = r.u32();
        const std::uint32_t height = r.u32();
        if (r.bad() || width == 0 || height == 0 || width > (1u << 30) || height > (1u << 30)) {
            return std::nullopt;
        }
        return Size{static_cast<int>(width), static_cast<int>(height)};
    }
    return std::nullopt;
}

// The property of `type` associated with `item`.
const Box* property(const Item& item, const std::vector<Box>& properties, std::string_view type) {
    for (const std::uint32_t index : item.properties) {
        if (index > 0 && index <= properties.size() && properties[index - 1].type == type) {
            return &properties[index - 1];
        }
    }
    return nullptr;
}

} // namespace

Expected<std::optional<HeifGrid>> find_primary_grid(std::string_view bytes) {
    const auto top = boxes(bytes);
    const Box* meta_box = top ? find(*top, "meta") : nullptr;
    if (meta_box == nullptr || meta_box->content.size() < 4) {
        return not_ours(); // libheif reads what it can of a file cut short
    }
    const auto meta = boxes(meta_box->content.substr(4));
    if (!meta) {
        return not_ours();
    }
    const Box* pitm = find(*meta, "pitm");
    const Box* iinf = find(*meta, "iinf");
    const Box* iloc = find(*meta, "iloc");
    const Box* iref = find(*meta, "iref");
    const Box* iprp = find(*meta, "iprp");
    const Box* idat = find(*meta, "idat");
    if (pitm == nullptr || iinf == nullptr || iloc == nullptr || iref == nullptr ||
        iprp == nullptr) {
        return not_ours();
    }
    Reader p(pitm->content);
    const std::uint32_t pitm_version = p.u8();
    p.read(3);
    const std::uint32_t primary = pitm_version == 0 ? p.u16() : p.u32();
    std::map<std::uint32_t, Item> items;
    if (p.bad() || !read_items(iinf->content, items)) {
        return not_ours();
    }
    const auto found = items.find(primary);
    if (found == items.end() || found->second.type != "grid") {
        return not_ours();
    }
    const auto prp = boxes(iprp->content);
    const Box* ipco = prp ? find(*prp, "ipco") : nullptr;
    const Box* ipma = prp ? find(*prp, "ipma") : nullptr;
    const auto properties = ipco != nullptr ? boxes(ipco->content) : std::nullopt;
    if (ipma == nullptr || !properties || !read_associations(ipma->content, items) ||
        !read_locations(iloc->content, bytes, idat != nullptr ? idat->content : "", items)) {
        return not_ours();
    }
    const Item& grid_item = items[primary];
    // The grid's own properties: its size and the transformations we apply; anything
    // else essential (a crop, an unknown property) is left to libheif.
    HeifGrid grid;
    for (const std::uint32_t index : grid_item.properties) {
        if (index == 0 || index > properties->size()) {
            return not_ours();
        }
        const Box& box = (*properties)[index - 1];
        Reader r(box.content);
        if (box.type == "irot") {
            grid.transforms.push_back({HeifTransform::Kind::rotate, static_cast<int>(r.u8() & 3)});
        } else if (box.type == "imir") {
            grid.transforms.push_back({HeifTransform::Kind::mirror, static_cast<int>(r.u8() & 1)});
        } else if (box.type == "clap") {
            return not_ours();
        } else if (box.type != "ispe" && box.type != "colr" && box.type != "pixi" &&
                   box.type != "pasp") {
            for (const std::uint32_t essential : grid_item.essential) {
                if (essential == index) {
                    return not_ours();
                }
            }
        }
        if (r.bad()) {
            return not_ours();
        }
    }
    if (!grid_item.data) {
        return not_ours();
    }
    Reader g(*grid_item.data);
    const std::uint32_t grid_version = g.u8();
    const std::uint32_t grid_flags = g.u8();
    grid.rows = static_cast<int>(g.u8()) + 1;
    grid.columns = static_cast<int>(g.u8()) + 1;
    const std::size_t field = (grid_flags & 1) != 0 ? 4 : 2;
    const std::uint64_t out_w = g.read(field);
    const std::uint64_t out_h = g.read(field);
    if (g.bad() || grid_version != 0) {
        return broken("its description cannot be read");
    }
    if (out_w == 0 || out_h == 0 || out_w > (1u << 30) || out_h > (1u << 30)) {
        return broken("the image has no pixels");
    }
    grid.output_width = static_cast<int>(out_w);
    grid.output_height = static_cast<int>(out_h);
    const auto tile_ids = read_tiles(iref->content, primary);
    if (!tile_ids || tile_ids->size() != static_cast<std::size_t>(grid.rows) *
                                             static_cast<std::size_t>(grid.columns)) {
        return broken("it has not one tile for each place");
    }
    for (const std::uint32_t id : *tile_ids) {
        const auto tile = items.find(id);
        if (tile == items.end() || tile->second.type != "hvc1") {
            return not_ours(); // AV1 or JPEG tiles, or an item that is no image
        }
        const Item& item = tile->second;
        const Box* hvcc = property(item, *properties, "hvcC");
        const auto size = image_size(item, *properties);
        if (hvcc == nullptr || !size || !item.data) {
            return not_ours();
        }
        for (const std::uint32_t index : item.properties) {
            const std::string_view type = index > 0 && index <= properties->size()
                                              ? (*properties)[index - 1].type
                                              : std::string_view();
            if (type == "irot" || type == "imir" || type == "clap") {
                return not_ours(); // a tile transformed on its own
            }
        }
        if (grid.tiles.empty()) {
            grid.tile_width = size->width;
            grid.tile_height = size->height;
        } else if (size->width != grid.tile_width || size->height != grid.tile_height) {
            return broken("its tiles differ in size");
        }
        grid.tiles.push_back(HeifTile{hvcc->content, *item.data});
    }
    // The tiles cover the image, and no row or column of tiles lies wholly outside it.
    const std::int64_t canvas_w = std::int64_t{grid.columns} * grid.tile_width;
    const std::int64_t canvas_h = std::int64_t{grid.rows} * grid.tile_height;
    if (canvas_w < grid.output_width || canvas_h < grid.output_height ||
        canvas_w - grid.tile_width >= grid.output_width ||
        canvas_h - grid.tile_height >= grid.output_height) {
        return broken("its tiles do not cover the image as it says");
    }
    return std::optional<HeifGrid>(std::move(grid));
}

} // namespace dockscan::detectors::image
