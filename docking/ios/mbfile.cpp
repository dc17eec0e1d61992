#include "docking/ios/mbfile.hpp"

#include "docking/ios/plist.hpp"

namespace dockscan::docking::ios {
namespace {

// An MBFile blob is a few hundred bytes; anything much larger is not one.
constexpr PlistLimits k_mbfile_limits{1u << 20, 16, 10'000};

// NSKeyedArchiver refers to objects by UID: an index into $objects.
const PlistValue* resolve(const PlistValue& objects, const PlistValue* value) {
    if (value == nullptr || value->kind != PlistValue::Kind::uid) {
        return value;
    }
    if (value->integer < 0 || static_cast<std::uint64_t>(value->integer) >= objects.items.size()) {
        return nullptr;
    }
    return &objects.items[static_cast<std::size_t>(value->integer)];
}

std::optional<std::int64_t> integer_field(const PlistValue& root, std::string_view key) {
    const PlistValue* value = root.find(key);
    return value == nullptr ? std::nullopt : value->as_integer();
}

} // namespace

Expected<MbFile> parse_mbfile(std::string_view blob) {
    auto archive = parse_plist(blob, k_mbfile_limits);
    if (!archive) {
        return fail(archive.error().code, "file record: " + archive.error().message);
    }
    const PlistValue* objects = archive->find("$objects");
    const PlistValue* top = archive->find("$top");
    if (objects == nullptr || objects->kind != PlistValue::Kind::array || top == nullptr) {
        return fail(ErrorCode::malformed, "file record is no keyed archive");
    }
    const PlistValue* root = resolve(*objects, top->find("root"));
    if (root == nullptr || root->kind != PlistValue::Kind::dict) {
        return fail(ErrorCode::malformed, "file record has no MBFile object");
    }

    MbFile file;
    if (const auto size = integer_field(*root, "Size"); size && *size >= 0) {
        file.size = static_cast<std::uint64_t>(*size);
    }
    file.mtime = integer_field(*root, "LastModified");
    if (const auto pc = integer_field(*root, "ProtectionClass"); pc && *pc >= 0 && *pc <= 0xffff) {
        file.protection_class = static_cast<std::uint32_t>(*pc);
    }
    // The key is an NSData object ({NS.data: <bytes>}); older archivers put the data inline.
    const PlistValue* key = resolve(*objects, root->find("EncryptionKey"));
    if (key != nullptr) {
        const PlistValue* data = key->kind == PlistValue::Kind::dict ? key->find("NS.data") : key;
        const auto bytes = data == nullptr ? std::nullopt : data->as_data();
        if (!bytes) {
            return fail(ErrorCode::malformed, "file record has an EncryptionKey that is no data");
        }
        file.encryption_key = *bytes;
    }
    return file;
}

} // namespace dockscan::docking::ios
