#include "docking/ios/backup_listing.hpp"

#include "docking/ref_path.hpp"

namespace dockscan::docking::ios {

Expected<void> ListContext::emit(const ItemInfo& info) {
    DOCKSCAN_TRY(check_stop());
    if (listed >= limits.max_items) {
        ended = true;
        return fail(ErrorCode::too_large,
                    "more than " + std::to_string(limits.max_items) + " items; listing stopped");
    }
    ++listed;
    sink.item(info);
    return {};
}

Expected<void> ListContext::check_stop() {
    if (stop.stop_requested()) {
        ended = true;
        return fail(ErrorCode::interrupted, "listing stopped");
    }
    return {};
}

bool is_image_name(std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) {
        return false;
    }
    std::string ext(name.substr(dot + 1));
    for (char& c : ext) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "heic" || ext == "heif" ||
           ext == "gif";
}

Expected<std::string> phone_path_ref(std::string_view relative_path) {
    std::string ref;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = relative_path.find('/', start);
        const std::string_view name = relative_path.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (name.empty() || name == "." || name == "..") {
            return fail(
                ErrorCode::malformed,
                "path on the phone could leave its folder (\"..\", \".\" or an empty name)");
        }
        ref += encode_name(name);
        if (slash == std::string_view::npos) {
            return ref;
        }
        ref += '/';
        start = slash + 1;
    }
}

} // namespace dockscan::docking::ios
