// Messages of an iOS backup and the images attached to them.
//
// Refs. A message is "sms:<message.guid>": the guid is a UUID the phone gives each
// message once, and it stays the same from one nightly backup to the next and
// across a restore to a new phone or a resync from iCloud, which renumber ROWIDs.
// The incremental scan must not see an old message as new, so the guid is the key;
// it names no phone number. A message without a usable guid is "sms:rowid:<ROWID>".
// An image attachment is "<message ref>/attachment:<k>", k counting the message's
// attachments from 1 in the order of their ROWIDs.
//
// Attachments live in MediaDomain: attachment.filename "~/Library/SMS/Attachments/…"
// (or "/var/mobile/Library/SMS/Attachments/…" on old iOS) is the relative path
// "Library/SMS/Attachments/…", which is looked up in Manifest.db; the phone's path is
// never opened on the host.

#include "docking/ios/backup_listing.hpp"
#include "docking/ios/sms_db.hpp"
#include "docking/message_label.hpp"

#include <algorithm>

namespace dockscan::docking::ios {
namespace {

constexpr std::string_view k_home_domain = "HomeDomain";
constexpr std::string_view k_media_domain = "MediaDomain";
constexpr std::string_view k_sms_path = "Library/SMS/sms.db";
constexpr std::size_t k_max_guid_chars = 128;

bool usable_guid(std::string_view guid) {
    return !guid.empty() && guid.size() <= k_max_guid_chars &&
           std::all_of(guid.begin(), guid.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == ':';
           });
}

std::string message_ref(const SmsMessage& message) {
    if (usable_guid(message.guid)) {
        return "sms:" + message.guid;
    }
    return "sms:rowid:" + std::to_string(message.rowid);
}

std::string service_caption(std::string_view service) {
    if (service == "SMS" || service == "iMessage" || service == "RCS") {
        return std::string(service);
    }
    return "Meddelande";
}

// "SMS från +46 70… 2026-11-20 14:02": where the message is, without a full number.
std::string message_label(const SmsMessage& message) {
    return service_caption(message.service) + (message.from_me ? " till " : " från ") +
           shorten_address(message.address) + (message.group ? " m.fl." : "") + " " +
           label_time(message.unix_time);
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

bool is_image(const SmsAttachment& attachment) {
    return lower_ascii(attachment.mime_type).starts_with("image/") ||
           is_image_name(attachment.transfer_name) || is_image_name(attachment.filename);
}

// The attachment's path relative to MediaDomain.
Expected<std::string> attachment_path(std::string_view filename) {
    for (const std::string_view home : {"~/", "/var/mobile/", "/private/var/mobile/"}) {
        if (filename.starts_with(home)) {
            const std::string_view relative = filename.substr(home.size());
            DOCKSCAN_TRY(phone_path_ref(relative)); // refuses "..", "." and empty names
            return std::string(relative);
        }
    }
    if (filename.empty()) {
        return fail(ErrorCode::not_found, "attachment has no file name in sms.db");
    }
    return fail(ErrorCode::unsupported, "attachment is stored outside the phone's home folder");
}

Expected<void> list_attachment(ListContext& context, const std::string& message_ref,
                               const std::string& where, std::int64_t time,
                               const SmsAttachment& attachment) {
    if (!is_image(attachment)) {
        return {};
    }
    const std::string ref = message_ref + "/attachment:" + std::to_string(attachment.index);
    auto path = attachment_path(attachment.filename);
    if (!path) {
        context.problem(ref, path.error());
        return {};
    }
    auto found = context.files.find(k_media_domain, *path);
    if (!found) {
        context.problem(ref, found.error());
        return {};
    }
    if (!*found) {
        context.problem(ref, Error{ErrorCode::not_found, "attachment is not in the backup"});
        return {};
    }
    // Opening the stored file here tells a missing file at once, not at read.
    auto stat = context.files.stat(**found);
    if (!stat) {
        context.problem(ref, stat.error());
        return {};
    }
    std::uint64_t size = stat->size;
    if ((*found)->meta.size) {
        size = *(*found)->meta.size;
    } else if (attachment.total_bytes > 0) {
        size = static_cast<std::uint64_t>(attachment.total_bytes);
    }
    context.catalog.files.insert_or_assign(ref, std::move(**found));
    return context.emit(ItemInfo{ItemType::attachment, ref, size, time, "Bild i " + where});
}

} // namespace

Expected<void> list_messages(ListContext& context) {
    DOCKSCAN_TRY_ASSIGN(auto found, context.files.find(k_home_domain, k_sms_path));
    if (!found) {
        return {}; // a backup without messages
    }
    DOCKSCAN_TRY_ASSIGN(context.catalog.sms, context.files.open_database(*found));
    SmsDatabase sms(context.catalog.sms->db, context.limits.max_message_bytes);

    std::map<std::int64_t, std::vector<SmsAttachment>> attachments;
    if (auto all = sms.attachments(context.limits.max_items)) {
        attachments = std::move(*all);
    } else {
        context.problem(std::string(k_sms_path), all.error());
    }
    return sms.each_message([&](const SmsMessage& message) -> Expected<void> {
        DOCKSCAN_TRY(context.check_stop());
        const std::string ref = message_ref(message);
        const std::string where = message_label(message);
        if (message.text_error) {
            context.problem(ref, *message.text_error);
        } else if (!message.text.empty()) {
            context.catalog.messages.insert_or_assign(ref, message.rowid);
            DOCKSCAN_TRY(context.emit(
                ItemInfo{ItemType::message, ref, message.text.size(), message.unix_time, where}));
        }
        if (const auto it = attachments.find(message.rowid); it != attachments.end()) {
            for (const SmsAttachment& attachment : it->second) {
                DOCKSCAN_TRY(list_attachment(context, ref, where, message.unix_time, attachment));
            }
        }
        return {};
    });
}

Expected<std::string> read_message_text(BackupCatalog& catalog, const std::string& ref,
                                        std::uint64_t max_bytes) {
    const auto it = catalog.messages.find(ref);
    if (it == catalog.messages.end() || !catalog.sms) {
        return fail(ErrorCode::not_found, "no message " + ref + " in this backup");
    }
    SmsDatabase sms(catalog.sms->db, max_bytes);
    return sms.text_of(it->second);
}

} // namespace dockscan::docking::ios
