#pragma once

// SMS Backup & Restore exports (`sms-<date>.xml`, root element <smses>), the usual way
// Android users and MDM scripts copy messages off a phone.
//
// Refs. A message's ref is a key that stays the same when the phone is exported again
// (the app writes a new file every night, and incremental scans must not see the same
// message as new): "sms:<date ms>:<hash>" and "mms:<date ms>:<hash>", the hash being
// FNV-1a 64 of the address, the message box and the text (MMS: and each part's type
// and data length). The same message in several exports in one folder is one item.
// The hash keeps the phone number out of the ref, which is stored; it is no
// protection against someone who guesses the number and the text, only against
// reading the number off a ref. An image part of an MMS is "<mms ref>/part:<k>", k
// counting every <part> of the message from 1.
//
// Labels never hold a full number or a name: "SMS från +46 70… 2026-11-20 14:02"
// (see shorten_address; local time of the station).
//
// Streaming: SmsExportReader takes the file in chunks and cuts it into its messages
// (each <sms>/<mms> below <smses>) with a scanner that knows quotes, comments, CDATA
// and DOCTYPEs, and parses each message alone; memory is bounded by one message and
// one chunk, not by the file (issue 15: a 183 MB export peaked at 634 MB). A message
// larger than the limit is a too_large problem and skipped; a message that is broken
// XML is a problem and the messages after it are still read. UTF-16 files (rare) are
// kept whole and parsed as one document.
//
// XML safety: pugixml with parse_default, which leaves DOCTYPEs and entity
// declarations unread and expands no entities but the five predefined ones and
// character references.

#include "docking/message_label.hpp"
#include "docking/phone_source.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dockscan::docking {

inline constexpr std::uint64_t k_no_offset = std::numeric_limits<std::uint64_t>::max();

// One message or one image attachment of an export.
struct SmsItem {
    ItemType type = ItemType::message; // message or attachment
    std::string key;                   // the ref, see above
    std::string label;
    std::int64_t mtime = 0; // the message's date, Unix seconds
    std::string text;       // messages: the body, UTF-8
    std::uint64_t size = 0; // messages: text bytes; attachments: decoded bytes
    // Attachments: the byte offset and length of the base64 data in the file (the bytes
    // fed), when pugixml left it there verbatim (a UTF-8 file); k_no_offset otherwise.
    std::uint64_t data_offset = k_no_offset;
    std::uint64_t data_length = 0;
    // Attachments: the base64 text itself; valid only during the sink's call.
    std::string_view data;
};

// Receives what parse_sms_export finds, in document order.
class SmsExportSink {
public:
    virtual ~SmsExportSink() = default;
    // An error ends the parse with that error.
    [[nodiscard]] virtual Expected<void> item(const SmsItem& item) = 0;
    // `key` is empty for a problem with the whole file.
    virtual void problem(const std::string& key, ErrorCode code, std::string reason) = 0;
};

// True when the first element in `head` (the first bytes of a file) is <smses>.
[[nodiscard]] bool looks_like_sms_export(std::string_view head);

// One <sms> or <mms> element larger than this is not read (images inline as base64).
inline constexpr std::uint64_t k_max_export_element_bytes = 128u << 20;

// Reads an export fed in chunks of any size, giving its items to the sink as each
// message ends.
class SmsExportReader {
public:
    explicit SmsExportReader(SmsExportSink& sink,
                             std::uint64_t max_element_bytes = k_max_export_element_bytes);
    ~SmsExportReader();
    SmsExportReader(const SmsExportReader&) = delete;
    SmsExportReader& operator=(const SmsExportReader&) = delete;

    // An error ends the reading: the sink's, or a root element that is not <smses>.
    // Every later feed and finish returns the same error.
    [[nodiscard]] Expected<void> feed(std::string_view bytes);
    // The end of the file: no <smses> at all is malformed; a file that ends inside it
    // is a problem of the file (the messages before were delivered).
    [[nodiscard]] Expected<void> finish();

    // Bytes of the file held now: at most one message and one chunk.
    [[nodiscard]] std::size_t buffered_bytes() const;

private:
    struct State;
    [[nodiscard]] Expected<void> scan(bool at_end);
    [[nodiscard]] Expected<void> element_ended(std::size_t end);
    void compact();
    std::unique_ptr<State> m_state;
};

// Parses an export held in `buffer` (pugixml writes into it). A document
// whose root is not <smses> is malformed; broken XML after the root is a problem of
// the file, and the messages before the break are still delivered.
[[nodiscard]] Expected<void> parse_sms_export(std::string& buffer, SmsExportSink& sink);

// Base64 (whitespace ignored) to bytes; malformed for any other character.
[[nodiscard]] Expected<std::string> decode_base64(std::string_view text);

// The number of bytes `text` decodes to, or nothing when it is not base64.
[[nodiscard]] std::optional<std::uint64_t> base64_decoded_size(std::string_view text);

} // namespace dockscan::docking
