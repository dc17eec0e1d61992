#include "docking/ios/photo_library.hpp"

#include "docking/ios/backup_files.hpp"

#include <optional>

namespace dockscan::docking::ios {
namespace {

namespace sqlite = base::sqlite;

// ZKINDSUBTYPE of a screenshot taken on the phone.
constexpr std::int64_t k_screenshot_subtype = 10;

Error photos_error(const sqlite::Error& error) {
    return database_error("Photos.sqlite", error);
}

Expected<bool> has_table(sqlite::Database& db, std::string_view table) {
    auto has = db.has_table(table);
    if (!has) {
        return tl::unexpected(photos_error(has.error()));
    }
    return *has;
}

Expected<bool> has_column(sqlite::Database& db, std::string_view table, std::string_view column) {
    auto has = db.has_column(table, column);
    if (!has) {
        return tl::unexpected(photos_error(has.error()));
    }
    return *has;
}

// Faces per asset primary key, or nothing when this library keeps no faces.
Expected<std::optional<std::map<std::int64_t, std::uint32_t>>> face_counts(sqlite::Database& db) {
    DOCKSCAN_TRY_ASSIGN(const bool faces_table, has_table(db, "ZDETECTEDFACE"));
    if (!faces_table) {
        return std::nullopt;
    }
    DOCKSCAN_TRY_ASSIGN(const bool for_face, has_column(db, "ZDETECTEDFACE", "ZASSETFORFACE"));
    DOCKSCAN_TRY_ASSIGN(const bool asset, has_column(db, "ZDETECTEDFACE", "ZASSET"));
    if (!for_face && !asset) {
        return std::nullopt;
    }
    const std::string column = for_face ? "ZASSETFORFACE" : "ZASSET";
    auto statement = db.prepare("SELECT " + column + ", COUNT(*) FROM ZDETECTEDFACE WHERE " +
                                column + " IS NOT NULL GROUP BY " + column);
    if (!statement) {
        return tl::unexpected(photos_error(statement.error()));
    }
    std::map<std::int64_t, std::uint32_t> counts;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return tl::unexpected(photos_error(row.error()));
        }
        if (!*row) {
            return counts;
        }
        const std::int64_t n = statement->column_int(1);
        counts[statement->column_int(0)] =
            n > 0xffff ? 0xffffu : static_cast<std::uint32_t>(n < 0 ? 0 : n);
    }
}

} // namespace

Expected<std::map<std::string, PhotoHints>> read_photo_hints(sqlite::Database& db,
                                                             std::size_t max_assets) {
    DOCKSCAN_TRY_ASSIGN(const bool zasset, has_table(db, "ZASSET"));
    std::string table = "ZASSET";
    if (!zasset) {
        DOCKSCAN_TRY_ASSIGN(const bool generic, has_table(db, "ZGENERICASSET"));
        if (!generic) {
            return fail(ErrorCode::malformed, "Photos.sqlite has no table ZASSET");
        }
        table = "ZGENERICASSET";
    }
    DOCKSCAN_TRY_ASSIGN(const bool detected, has_column(db, table, "ZISDETECTEDSCREENSHOT"));
    DOCKSCAN_TRY_ASSIGN(const bool subtype, has_column(db, table, "ZKINDSUBTYPE"));
    DOCKSCAN_TRY_ASSIGN(const auto faces, face_counts(db));

    auto statement =
        db.prepare("SELECT Z_PK, ZDIRECTORY, ZFILENAME, " +
                   std::string(detected ? "ZISDETECTEDSCREENSHOT" : "NULL") + ", " +
                   std::string(subtype ? "ZKINDSUBTYPE" : "NULL") + " FROM " + table +
                   " WHERE ZDIRECTORY IS NOT NULL AND ZFILENAME IS NOT NULL ORDER BY Z_PK");
    if (!statement) {
        return tl::unexpected(photos_error(statement.error()));
    }
    std::map<std::string, PhotoHints> hints;
    for (;;) {
        auto row = statement->step();
        if (!row) {
            return tl::unexpected(photos_error(row.error()));
        }
        if (!*row) {
            return hints;
        }
        if (hints.size() >= max_assets) {
            return fail(ErrorCode::too_large,
                        "Photos.sqlite has more than " + std::to_string(max_assets) + " assets");
        }
        const sqlite::Statement& r = *statement;
        PhotoHints hint;
        if (detected || subtype) {
            hint.screenshot = (!r.is_null(3) && r.column_int(3) != 0) ||
                              (!r.is_null(4) && r.column_int(4) == k_screenshot_subtype);
        }
        if (faces) {
            const auto it = faces->find(r.column_int(0));
            hint.faces = it == faces->end() ? 0u : it->second;
        }
        hints[r.column_text(1) + "/" + r.column_text(2)] = hint;
    }
}

} // namespace dockscan::docking::ios
