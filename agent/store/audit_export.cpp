#include "agent/store/audit_export.hpp"

#include "agent/store/store_internal.hpp"

namespace dockscan::agent::audit_export {

Expected<void> for_each(Store& store, const std::function<void(const Record&)>& emit) {
    constexpr std::string_view k_context = "cannot read the audit log";
    DOCKSCAN_STORE_TRY_ASSIGN(auto select,
                              store.database().prepare("SELECT id, at, actor, action, object, "
                                                       "detail, prev_hash, hash FROM audit_log "
                                                       "ORDER BY id"),
                              k_context);
    while (true) {
        DOCKSCAN_STORE_TRY_ASSIGN(const bool has_row, select.step(), k_context);
        if (!has_row) {
            return {};
        }
        emit(Record{select.column_int(0), select.column_text(1), select.column_text(2),
                    select.column_text(3), select.column_text(4), select.column_text(5),
                    select.column_text(6), select.column_text(7)});
    }
}

} // namespace dockscan::agent::audit_export
