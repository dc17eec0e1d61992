#include "docking/folder_source.hpp"

#include "docking/folder_walk.hpp"
#include "docking/ref_path.hpp"
#include "docking/sms_export.hpp"
#include "docking/text_decode.hpp"
#include "docking/vcard.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <system_error>
#include <utility>

namespace dockscan::docking {
namespace {

enum class FileKind { photo, note, contacts, xml, android_backup, other };

// An export is read this much at a time.
constexpr std::uint64_t k_export_chunk_bytes = 1u << 20;
// A contacts file is read this much at a time.
constexpr std::uint64_t k_vcf_chunk_bytes = 1u << 20;
// The ref of a contact's photo: the contact's ref and this.
constexpr std::string_view k_photo_suffix = "/photo";

// Enough of a file's start to see its root element behind a declaration and comments.
constexpr std::uint64_t k_sniff_bytes = 4096;

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

FileKind classify(std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) {
        return FileKind::other;
    }
    const std::string ext = lower_ascii(name.substr(dot + 1));
    if (ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "heic" || ext == "heif") {
        return FileKind::photo;
    }
    if (ext == "txt") {
        return FileKind::note;
    }
    if (ext == "vcf") {
        return FileKind::contacts;
    }
    if (ext == "xml") {
        return FileKind::xml;
    }
    if (ext == "ab") {
        return FileKind::android_backup;
    }
    return FileKind::other;
}

bool is_export_name(std::string_view name) {
    const std::string lower = lower_ascii(name);
    return lower.starts_with("sms-") && lower.ends_with(".xml");
}

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// An export read in chunks: memory is bounded by one message, not by the file.
Expected<void> read_export(const OpenFile& file, SmsExportSink& sink) {
    SmsExportReader reader(sink);
    for (std::uint64_t offset = 0;;) {
        DOCKSCAN_TRY_ASSIGN(const std::string chunk,
                            read_range(file, offset, k_export_chunk_bytes));
        if (chunk.empty()) {
            break;
        }
        DOCKSCAN_TRY(reader.feed(chunk));
        offset += chunk.size();
    }
    return reader.finish();
}

// Finds one item of an export when it has to be parsed again.
class FindSink final : public SmsExportSink {
public:
    FindSink(const std::string& key, std::uint64_t max_image_bytes)
        : m_key(key), m_max_image_bytes(max_image_bytes) {}

    Expected<void> item(const SmsItem& item) override {
        if (item.key != m_key || m_found) {
            return {};
        }
        if (item.type == ItemType::message) {
            m_found = item.text;
        } else if (item.size > m_max_image_bytes) {
            m_found = tl::unexpected(Error{ErrorCode::too_large, too_large_message(item.size)});
        } else {
            m_found = decode_base64(item.data);
        }
        return {};
    }
    void problem(const std::string&, ErrorCode, std::string) override {}

    // The item's content, once it was found.
    [[nodiscard]] std::optional<Expected<std::string>>& found() { return m_found; }

private:
    [[nodiscard]] std::string too_large_message(std::uint64_t size) const {
        return std::to_string(size) + " bytes, over the limit of " +
               std::to_string(m_max_image_bytes);
    }

    const std::string& m_key;
    std::uint64_t m_max_image_bytes;
    std::optional<Expected<std::string>> m_found;
};

// The files that make a folder an iOS backup, as the walk sees them.
struct BackupMarks {
    std::vector<std::string> components; // the folder's raw names from the root
    bool manifest_db = false;
    bool plist = false; // Info.plist or Manifest.plist
};

// The folder of `file` as a ref: "" for the root, else its ref without the last name.
std::string folder_ref(const WalkedFile& file) {
    const auto slash = file.ref.rfind('/');
    return slash == std::string::npos ? std::string() : file.ref.substr(0, slash);
}

} // namespace

struct FolderSource::ListContext {
    ItemSink& sink;
    std::stop_token stop;
    std::size_t listed = 0;
    std::map<std::string, BackupMarks> backup_marks; // by folder ref
};

FolderSource::FolderSource(std::filesystem::path root, Fd root_fd, FolderLimits limits)
    : m_root(std::move(root)), m_root_fd(std::move(root_fd)), m_limits(limits) {}

Expected<std::unique_ptr<FolderSource>> FolderSource::open(const std::filesystem::path& root,
                                                           FolderLimits limits) {
    std::error_code ec;
    const auto status = std::filesystem::status(root, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
        return fail(ErrorCode::not_found, "no such folder: " + root.string());
    }
    if (ec) {
        return fail(ErrorCode::unreadable, root.string() + ": " + ec.message());
    }
    if (status.type() != std::filesystem::file_type::directory) {
        return fail(ErrorCode::not_a_source, "not a folder: " + root.string());
    }
    auto fd = open_root_folder(root.string());
    if (!fd) {
        return fail(fd.error().code, root.string() + ": " + fd.error().message);
    }
    return std::unique_ptr<FolderSource>(new FolderSource(root, std::move(*fd), limits));
}

SourceInfo FolderSource::describe() const {
    SourceInfo info;
    info.kind = "folder";
    info.location = m_root.string();
    return info;
}

Expected<void> FolderSource::list(ItemSink& sink, std::stop_token stop) {
    // A new listing supersedes the last one: its texts would never be read now.
    m_embedded.clear();
    m_export_parts.clear();
    m_nested.clear();
    m_card_places.clear();
    ListContext context{sink, stop, 0, {}};
    auto walked = walk_folder(
        m_root_fd, m_limits.max_depth, sink,
        [&](const WalkedFile& file) { return list_file(context, file); }, stop);
    report_nested(context);
    return walked;
}

void FolderSource::note_backup_file(ListContext& context, const WalkedFile& file) {
    const std::string& name = file.name();
    const bool manifest_db = name == "Manifest.db";
    const bool plist = name == "Info.plist" || name == "Manifest.plist";
    if (!manifest_db && !plist) {
        return;
    }
    BackupMarks& marks = context.backup_marks[folder_ref(file)];
    marks.components.assign(file.components.begin(), file.components.end() - 1);
    marks.manifest_db = marks.manifest_db || manifest_db;
    marks.plist = marks.plist || plist;
}

void FolderSource::report_nested(ListContext& context) {
    for (const auto& [ref, marks] : context.backup_marks) {
        if (!marks.manifest_db || !marks.plist) {
            continue;
        }
        std::filesystem::path path = m_root;
        for (const std::string& name : marks.components) {
            path /= name;
        }
        const std::string reason =
            ref.empty() ? "this folder is an iOS backup: scan it as one"
                        : "this folder holds an iOS backup in " + ref + "/: scan that folder";
        m_nested.push_back(NestedSource{NestedKind::ios_backup, ref, std::move(path), reason});
    }
    // In the order of the walk: backups by their folder's ref, archives as found.
    std::stable_sort(m_nested.begin(), m_nested.end(),
                     [](const NestedSource& a, const NestedSource& b) { return a.ref < b.ref; });
    for (const NestedSource& nested : m_nested) {
        context.sink.problem(ItemProblem{nested.ref, ErrorCode::nested_source, nested.reason});
    }
}

Expected<void> FolderSource::emit(ListContext& context, const ItemInfo& info) {
    if (context.listed >= m_limits.max_items) {
        return fail(ErrorCode::too_large,
                    "more than " + std::to_string(m_limits.max_items) + " items; listing stopped");
    }
    ++context.listed;
    context.sink.item(info);
    return {};
}

Expected<void> FolderSource::list_file(ListContext& context, const WalkedFile& file) {
    note_backup_file(context, file);
    switch (classify(file.name())) {
    case FileKind::photo:
        return emit(context,
                    ItemInfo{ItemType::photo, file.ref, file.size, file.mtime, "Bild " + file.ref});
    case FileKind::note:
        return emit(context, ItemInfo{ItemType::file, file.ref, file.size, file.mtime,
                                      "Anteckning " + file.ref});
    case FileKind::contacts:
        return list_contacts(context, file);
    case FileKind::xml:
        return list_export(context, file);
    case FileKind::android_backup: {
        std::filesystem::path path = m_root;
        for (const std::string& name : file.components) {
            path /= name;
        }
        m_nested.push_back(NestedSource{NestedKind::android_backup, file.ref, std::move(path),
                                        "this folder holds an Android backup (adb backup) in " +
                                            file.ref + ": scan that file"});
        return {};
    }
    case FileKind::other:
        break;
    }
    return {};
}

Expected<void> FolderSource::each_card(const std::vector<std::string>& components,
                                       const CardPlace* from, VcardOptions options,
                                       const VcardVisitor& visit, CardFile* seen) {
    DOCKSCAN_TRY_ASSIGN(const OpenFile opened, open_regular(m_root_fd, components));
    if (seen != nullptr) {
        seen->size = opened.size;
        seen->mtime = opened.mtime;
    }
    if (from != nullptr && (opened.size != from->file_size || opened.mtime != from->file_mtime)) {
        return fail(ErrorCode::not_found, "contacts file changed since it was listed");
    }
    if (opened.size > m_limits.max_vcf_bytes) {
        return fail(ErrorCode::too_large, std::to_string(opened.size) +
                                              " bytes, over the limit of " +
                                              std::to_string(m_limits.max_vcf_bytes));
    }
    VcardReader reader(options);
    DOCKSCAN_TRY_ASSIGN(const std::string head, read_range(opened, 0, 2));
    if (is_utf16_text(head)) {
        // Rare (old Outlook exports): converted whole, within the file limit.
        DOCKSCAN_TRY_ASSIGN(const std::string bytes, read_all(opened, m_limits.max_vcf_bytes));
        const std::string text = vcard_file_text(bytes);
        if (seen != nullptr) {
            seen->blank = is_blank(text);
            seen->utf16 = true;
        }
        DOCKSCAN_TRY(reader.feed(text, visit));
        return reader.finish(visit);
    }
    // Read in chunks: memory is bounded by one card, not by the file.
    std::uint64_t offset = from != nullptr ? from->offset : 0;
    for (;;) {
        DOCKSCAN_TRY_ASSIGN(const std::string chunk, read_range(opened, offset, k_vcf_chunk_bytes));
        if (chunk.empty()) {
            break;
        }
        if (seen != nullptr && seen->blank && !is_blank(chunk)) {
            seen->blank = false;
        }
        DOCKSCAN_TRY(reader.feed(chunk, visit));
        offset += chunk.size();
    }
    return reader.finish(visit);
}

Expected<void> FolderSource::list_contacts(ListContext& context, const WalkedFile& file) {
    CardFile seen;
    std::size_t cards = 0;
    bool sink_failed = false;
    const VcardVisitor visit = [&](VcardCard& card) -> Expected<void> {
        ++cards;
        if (context.stop.stop_requested()) {
            sink_failed = true;
            return fail(ErrorCode::interrupted, "listing stopped");
        }
        const std::string number = std::to_string(card.number);
        const std::string ref = file.ref + "#" + number;
        if (!card.contact) {
            context.sink.problem(
                ItemProblem{ref, card.contact.error().code, card.contact.error().message});
            return {};
        }
        // Offsets in a converted UTF-16 file are no file offsets: count from its start.
        m_card_places[ref] = CardPlace{file.components, seen.utf16 ? 0 : card.offset,
                                       seen.utf16 ? card.number : 1, seen.size, seen.mtime};
        ItemContent content = contact_content(*card.contact);
        const ItemInfo info{ItemType::contact, ref, content.data.size(), seen.mtime,
                            "Kontakt nr " + number + " i " + file.ref};
        m_embedded[ref] = std::move(content);
        auto emitted = emit(context, info);
        if (emitted && card.contact->photo) {
            // The photo goes to the image detectors as any photo does, with their limits.
            emitted =
                emit(context, ItemInfo{ItemType::attachment, ref + std::string(k_photo_suffix),
                                       card.contact->photo->size, seen.mtime,
                                       "Bild i kontakt nr " + number + " i " + file.ref});
        }
        if (!emitted) {
            sink_failed = true;
        }
        return emitted;
    };
    // Sizes come from the open file before the first card is visited.
    auto read = each_card(file.components, nullptr, VcardOptions{}, visit, &seen);
    if (!read) {
        if (sink_failed) {
            return read;
        }
        context.sink.problem(ItemProblem{file.ref, read.error().code, read.error().message});
        return {};
    }
    if (cards == 0 && !seen.blank) {
        context.sink.problem(ItemProblem{file.ref, ErrorCode::malformed, "no vCard in the file"});
    }
    return {};
}

Expected<void> FolderSource::list_export(ListContext& context, const WalkedFile& file) {
    const auto problem = [&](const Error& error) {
        context.sink.problem(ItemProblem{file.ref, error.code, error.message});
    };
    auto opened = open_regular(m_root_fd, file.components);
    if (!opened) {
        problem(opened.error());
        return {};
    }
    if (!is_export_name(file.name())) {
        // Apps keep all kinds of XML; only an export is ours, whatever its name.
        auto head = read_range(*opened, 0, k_sniff_bytes);
        if (!head) {
            problem(head.error());
            return {};
        }
        if (!looks_like_sms_export(*head)) {
            return {};
        }
    }
    if (opened->size > m_limits.max_xml_bytes) {
        problem(Error{ErrorCode::too_large, std::to_string(opened->size) +
                                                " bytes, over the limit of " +
                                                std::to_string(m_limits.max_xml_bytes)});
        return {};
    }

    class ListSink final : public SmsExportSink {
    public:
        ListSink(FolderSource& source, ListContext& context, const WalkedFile& file,
                 const OpenFile& opened)
            : m_source(source), m_context(context), m_file(file), m_opened(opened) {}

        Expected<void> item(const SmsItem& item) override {
            if (m_context.stop.stop_requested()) {
                return sink_failed(Error{ErrorCode::interrupted, "listing stopped"});
            }
            if (m_source.m_export_parts.contains(item.key)) {
                return {}; // the same message in an earlier export
            }
            ExportPart part{m_file.components, 0, 0, m_opened.size, m_opened.mtime};
            if (item.data_offset != k_no_offset) {
                part.data_offset = item.data_offset;
                part.data_length = item.data_length;
            }
            m_source.m_export_parts.emplace(item.key, std::move(part));
            if (item.type == ItemType::message) {
                m_source.m_embedded[item.key] = ItemContent{ContentKind::text, item.text};
            }
            auto emitted = m_source.emit(
                m_context, ItemInfo{item.type, item.key, item.size, item.mtime, item.label});
            if (!emitted) {
                return sink_failed(emitted.error());
            }
            return {};
        }

        void problem(const std::string& key, ErrorCode code, std::string reason) override {
            m_context.sink.problem(
                ItemProblem{key.empty() ? m_file.ref : key, code, std::move(reason)});
        }

        // True when the parse ended because of this sink, not because of the file.
        [[nodiscard]] bool failed() const { return m_failed; }

    private:
        Expected<void> sink_failed(Error error) {
            m_failed = true;
            return tl::unexpected(std::move(error));
        }

        FolderSource& m_source;
        ListContext& m_context;
        const WalkedFile& m_file;
        const OpenFile& m_opened;
        bool m_failed = false;
    };

    ListSink sink(*this, context, file, *opened);
    auto parsed = read_export(*opened, sink);
    if (!parsed && !sink.failed()) {
        problem(parsed.error()); // the file's fault: the listing goes on
        return {};
    }
    return parsed;
}

Expected<ItemContent> FolderSource::read(const ItemInfo& item) {
    switch (item.type) {
    case ItemType::photo:
    case ItemType::file:
        return read_file_item(item);
    case ItemType::contact:
        return read_contact(item);
    case ItemType::attachment:
        if (item.ref.ends_with(k_photo_suffix) && !m_export_parts.contains(item.ref)) {
            return read_contact_photo(item);
        }
        return read_export_item(item);
    case ItemType::message:
        return read_export_item(item);
    }
    return fail(ErrorCode::unsupported, "unknown item type");
}

Expected<ItemContent> FolderSource::read_file_item(const ItemInfo& item) {
    DOCKSCAN_TRY_ASSIGN(const std::vector<std::string> components, decode_ref(item.ref));
    const FileKind kind = classify(components.back());
    const bool photo = item.type == ItemType::photo;
    // read() is no way to fetch arbitrary files: the ref must name what the type says.
    if (kind != (photo ? FileKind::photo : FileKind::note)) {
        return fail(ErrorCode::unsupported, photo ? "not a photo" : "not a note");
    }
    DOCKSCAN_TRY_ASSIGN(const OpenFile file, open_regular(m_root_fd, components));
    if (photo) {
        DOCKSCAN_TRY_ASSIGN(std::string bytes, read_all(file, m_limits.max_image_bytes));
        return ItemContent{ContentKind::image, std::move(bytes)};
    }
    DOCKSCAN_TRY_ASSIGN(const std::string bytes, read_all(file, m_limits.max_text_bytes));
    DOCKSCAN_TRY_ASSIGN(std::string text, decode_note(bytes));
    return ItemContent{ContentKind::text, std::move(text)};
}

Expected<ItemContent> FolderSource::read_contact(const ItemInfo& item) {
    if (const auto kept = m_embedded.find(item.ref); kept != m_embedded.end()) {
        ItemContent content = std::move(kept->second);
        m_embedded.erase(kept);
        return content;
    }
    // Not kept (read before, or listed by another instance): read the file again.
    DOCKSCAN_TRY_ASSIGN(Contact contact, find_card(item.ref, VcardOptions{}));
    return contact_content(contact);
}

Expected<ItemContent> FolderSource::read_contact_photo(const ItemInfo& item) {
    const std::string contact_ref = item.ref.substr(0, item.ref.size() - k_photo_suffix.size());
    VcardOptions options;
    options.keep_photo = true;
    options.max_photo_bytes = m_limits.max_image_bytes;
    DOCKSCAN_TRY_ASSIGN(const Contact contact, find_card(contact_ref, options));
    if (!contact.photo) {
        return fail(ErrorCode::not_found, "the contact has no photo now");
    }
    if (contact.photo->size > m_limits.max_image_bytes) {
        return fail(ErrorCode::too_large, std::to_string(contact.photo->size) +
                                              " bytes, over the limit of " +
                                              std::to_string(m_limits.max_image_bytes));
    }
    if (contact.photo->data.empty()) {
        return fail(ErrorCode::malformed, "photo data: " + contact.photo->error);
    }
    return ItemContent{ContentKind::image, contact.photo->data};
}

Expected<Contact> FolderSource::find_card(const std::string& ref, VcardOptions options) {
    const auto hash = ref.rfind('#');
    std::size_t number = 0;
    if (hash != std::string::npos) {
        const char* first = ref.data() + hash + 1;
        const char* last = ref.data() + ref.size();
        const auto [ptr, ec] = std::from_chars(first, last, number);
        if (ec != std::errc() || ptr != last) {
            number = 0;
        }
    }
    if (number == 0) {
        return fail(ErrorCode::malformed, "not a contact ref");
    }
    DOCKSCAN_TRY_ASSIGN(const std::vector<std::string> components,
                        decode_ref(std::string_view(ref).substr(0, hash)));
    if (classify(components.back()) != FileKind::contacts) {
        return fail(ErrorCode::unsupported, "not a contacts file");
    }
    // From where the listing saw the card, or else from the start of the file.
    const auto place = m_card_places.find(ref);
    const CardPlace* from = place != m_card_places.end() ? &place->second : nullptr;
    const std::size_t wanted = from != nullptr ? from->number : number;
    std::optional<Expected<Contact>> found;
    const auto read = each_card(
        components, from, options,
        [&](VcardCard& card) -> Expected<void> {
            if (card.number != wanted) {
                return {};
            }
            found = std::move(card.contact);
            return fail(ErrorCode::interrupted, "found"); // no need to read further
        },
        nullptr);
    if (found) {
        return std::move(*found);
    }
    if (!read) {
        return tl::unexpected(read.error());
    }
    return fail(ErrorCode::not_found, "no contact " + std::to_string(number) + " in the file");
}

Expected<ItemContent> FolderSource::read_export_item(const ItemInfo& item) {
    if (item.type == ItemType::message) {
        if (const auto kept = m_embedded.find(item.ref); kept != m_embedded.end()) {
            ItemContent content = std::move(kept->second);
            m_embedded.erase(kept);
            return content;
        }
    }
    const auto found = m_export_parts.find(item.ref);
    if (found == m_export_parts.end()) {
        return fail(ErrorCode::not_found, "not listed by this source");
    }
    const ExportPart& part = found->second;
    if (item.type == ItemType::attachment && part.data_length != 0) {
        if (part.data_length / 4 * 3 > m_limits.max_image_bytes) {
            return fail(ErrorCode::too_large, "about " + std::to_string(part.data_length / 4 * 3) +
                                                  " bytes, over the limit of " +
                                                  std::to_string(m_limits.max_image_bytes));
        }
        if (auto bytes = read_attachment_in_place(part)) {
            return ItemContent{ContentKind::image, std::move(*bytes)};
        }
    }
    // Read again, or the export changed since it was listed: parse it again.
    DOCKSCAN_TRY_ASSIGN(const OpenFile file, open_regular(m_root_fd, part.file));
    if (file.size > m_limits.max_xml_bytes) {
        return fail(ErrorCode::too_large, std::to_string(file.size) + " bytes, over the limit of " +
                                              std::to_string(m_limits.max_xml_bytes));
    }
    FindSink sink(item.ref, m_limits.max_image_bytes);
    DOCKSCAN_TRY(read_export(file, sink));
    if (!sink.found()) {
        return fail(ErrorCode::not_found, "no longer in the export");
    }
    DOCKSCAN_TRY_ASSIGN(std::string data, std::move(*sink.found()));
    const ContentKind kind =
        item.type == ItemType::message ? ContentKind::text : ContentKind::image;
    return ItemContent{kind, std::move(data)};
}

Expected<std::string> FolderSource::read_attachment_in_place(const ExportPart& part) {
    DOCKSCAN_TRY_ASSIGN(const OpenFile file, open_regular(m_root_fd, part.file));
    if (file.size != part.file_size || file.mtime != part.file_mtime) {
        return fail(ErrorCode::unreadable, "export changed since it was listed");
    }
    // The data plus the quote that must close it: anything else means the offsets
    // no longer describe this file, and the caller parses it again.
    DOCKSCAN_TRY_ASSIGN(std::string raw, read_range(file, part.data_offset, part.data_length + 1));
    if (raw.size() != part.data_length + 1 || (raw.back() != '"' && raw.back() != '\'')) {
        return fail(ErrorCode::malformed, "attachment not where it was listed");
    }
    raw.pop_back();
    return decode_base64(raw);
}

} // namespace dockscan::docking
