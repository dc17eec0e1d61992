#pragma once

// The one interface every phone source implements: a folder copy of a phone, an
// iOS or Android backup, or a live phone on the dock.

#include "docking/error.hpp"

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace dockscan::docking {

// Item types are part of the `dockscan findings --json` contract.
enum class ItemType { message, photo, attachment, contact, file };

[[nodiscard]] std::string_view to_string(ItemType type);

// What the phone itself recorded about a photo (iOS: Photos.sqlite), for the detectors
// and the policy to weigh. A field is empty when the source does not know it (an older
// iOS without that column or table).
struct PhotoHints {
    std::optional<bool> screenshot; // the phone took it for a screenshot
    // Faces the phone's photo analysis found; 0 also when it has not analysed the photo yet.
    std::optional<std::uint32_t> faces;
};

struct ItemInfo {
    ItemType type;
    // Stable reference within the phone: a path relative to the phone's storage root
    // (never a host path), a message id ("sms:1234"), a contact id ("contacts.vcf#3").
    std::string ref;
    std::uint64_t size = 0; // bytes of content
    std::int64_t mtime = 0; // Unix seconds; for messages the time sent or received
    // Where on the phone, for people: "Anteckning Documents/a.txt", "SMS från +46 70…".
    std::string label;
    // Photos only, and only from sources that read the phone's own photo library.
    std::optional<PhotoHints> photo_hints{};
};

// An item, or a part of the phone, that could not be listed.
struct ItemProblem {
    std::string ref;
    ErrorCode code;
    std::string reason;
};

// Receives what a source lists, in the order it finds it.
class ItemSink {
public:
    virtual ~ItemSink() = default;
    virtual void item(const ItemInfo& info) = 0;
    virtual void problem(const ItemProblem& problem) = 0;
};

// A sink that keeps everything listed, in order: for those who list a whole source
// before reading any of it (the scan pipeline) and for tests.
class CollectedItems final : public ItemSink {
public:
    void item(const ItemInfo& info) override { items.push_back(info); }
    void problem(const ItemProblem& p) override { problems.push_back(p); }

    std::vector<ItemInfo> items;
    std::vector<ItemProblem> problems;
};

enum class ContentKind {
    text,  // UTF-8, already made valid; offsets in findings are into this text
    image, // the encoded image file as it was on the phone
};

// A person's name as a contact stores it, field by field: whether it is a full name
// is a question for the detectors, which see no vCard or address book.
struct PersonName {
    std::string given;
    std::string family;
    std::string formatted; // as the phone shows it
};

struct ItemContent {
    ContentKind kind;
    std::string data;
    std::optional<PersonName> name{}; // contacts only
};

// What is known about the phone from the source itself.
struct SourceInfo {
    std::string kind;     // "folder", "ios-backup", "android-backup", "adb", ...
    std::string location; // what the user named (a path, "adb:host:port")
    std::string serial;   // serial number or UDID when the source knows it
    std::string name;     // the phone's own name when the source knows it
    std::string model;
    std::string os_version;
    std::string udid; // an iPhone's UDID (serial holds its serial number when known)
};

class PhoneSource {
public:
    virtual ~PhoneSource() = default;

    [[nodiscard]] virtual SourceInfo describe() const = 0;

    // Lists every item into `sink`. Problems with single items go to the sink and do
    // not fail the listing; an error means the source as a whole could not be read
    // (the items already listed stay valid).
    [[nodiscard]] virtual Expected<void> list(ItemSink& sink, std::stop_token stop) = 0;

    // Reads one listed item's content, within the source's size limits.
    [[nodiscard]] virtual Expected<ItemContent> read(const ItemInfo& item) = 0;
};

} // namespace dockscan::docking
