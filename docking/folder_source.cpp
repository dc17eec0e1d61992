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

Expected<void> FolderSource::list_contacts(ListContext& context, const WalkedFile& file) {
    auto opened = open_regular(m_root_fd, file.components);
    auto bytes = opened ? read_all(*opened, m_limits.max_vcf_bytes)
                        : Expected<std::string>(tl::unexpected(opened.error()));
    if (!bytes) {
        context.sink.problem(ItemProblem{file.ref, bytes.error().code, bytes.error().message});
        return {};
    }
    const std::vector<Expected<Contact>> cards = parse_vcards(*bytes);
    if (cards.empty() && !is_blank(*bytes)) {
        context.sink.problem(ItemProblem{file.ref, ErrorCode::malformed, "no vCard in the file"});
    }
    for (std::size_t i = 0; i < cards.size(); ++i) {
        if (context.stop.stop_requested()) {
            return fail(ErrorCode::interrupted, "listing stopped");
        }
        const std::string number = std::to_string(i + 1);
        const std::string ref = file.ref + "#" + number;
        if (!cards[i]) {
            context.sink.problem(ItemProblem{ref, cards[i].error().code, cards[i].error().message});
            continue;
        }
        ItemContent content = contact_content(*cards[i]);
        const ItemInfo info{ItemType::contact, ref, content.data.size(), opened->mtime,
                            "Kontakt nr " + number + " i " + file.ref};
        m_embedded[ref] = std::move(content);
        DOCKSCAN_TRY(emit(context, info));
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
    auto buffer = read_all(*opened, m_limits.max_xml_bytes);
    if (!buffer) {
        problem(buffer.error());
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
    auto parsed = parse_sms_export(*buffer, sink);
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
    case ItemType::message:
    case ItemType::attachment:
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
    const auto hash = item.ref.rfind('#');
    std::size_t number = 0;
    if (hash != std::string::npos) {
        const char* first = item.ref.data() + hash + 1;
        const char* last = item.ref.data() + item.ref.size();
        const auto [ptr, ec] = std::from_chars(first, last, number);
        if (ec != std::errc() || ptr != last) {
            number = 0;
        }
    }
    if (number == 0) {
        return fail(ErrorCode::malformed, "not a contact ref");
    }
    DOCKSCAN_TRY_ASSIGN(const std::vector<std::string> components,
                        decode_ref(std::string_view(item.ref).substr(0, hash)));
    if (classify(components.back()) != FileKind::contacts) {
        return fail(ErrorCode::unsupported, "not a contacts file");
    }
    DOCKSCAN_TRY_ASSIGN(const OpenFile file, open_regular(m_root_fd, components));
    DOCKSCAN_TRY_ASSIGN(const std::string bytes, read_all(file, m_limits.max_vcf_bytes));
    auto cards = parse_vcards(bytes);
    if (number > cards.size()) {
        return fail(ErrorCode::not_found, "no contact " + std::to_string(number) + " in the file");
    }
    DOCKSCAN_TRY_ASSIGN(const Contact contact, std::move(cards[number - 1]));
    return contact_content(contact);
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
    DOCKSCAN_TRY_ASSIGN(std::string buffer, read_all(file, m_limits.max_xml_bytes));
    FindSink sink(item.ref, m_limits.max_image_bytes);
    DOCKSCAN_TRY(parse_sms_export(buffer, sink));
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
