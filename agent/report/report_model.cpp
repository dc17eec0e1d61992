#include "agent/report/report_model.hpp"

#include "agent/report/swedish.hpp"
#include "agent/store/report_queries.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_map>

namespace dockscan::agent::reports {

namespace {

namespace queries = report_queries;

enum class Result { none, avvikelse, allvarlig };

Result parse_result(std::string_view text) {
    if (text == "allvarlig_avvikelse") {
        return Result::allvarlig;
    }
    return text == "avvikelse" ? Result::avvikelse : Result::none;
}

std::size_t category_index(std::string_view code) {
    for (std::size_t i = 0; i < k_categories.size(); ++i) {
        if (k_categories[i].code == code) {
            return i;
        }
    }
    return k_categories.size() - 1; // ovrigt
}

// The action codes of a stored JSON array. The review UI writes the column; a value
// it did not write (not an array of strings) counts as no action rather than failing
// the whole report.
std::set<std::size_t> action_indices(const std::string& json) {
    std::set<std::size_t> found;
    const auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (!parsed.is_array()) {
        return found;
    }
    for (const auto& element : parsed) {
        if (!element.is_string()) {
            continue;
        }
        const auto text = element.get<std::string>();
        for (std::size_t i = 0; i < k_actions.size(); ++i) {
            if (k_actions[i].code == text) {
                found.insert(i);
            }
        }
    }
    return found;
}

// Where a phone's numbers go: the index of its unit in the report's slots, if the
// report covers it.
using PhoneSlots = std::unordered_map<std::int64_t, std::size_t>;

struct PhoneCheck {
    bool complete = false;
    Result result = Result::none;
    std::set<std::size_t> actions;
};

struct ScanCheck {
    std::int64_t phone_id;
    bool complete;
    std::optional<Result> control;
    Result decided = Result::none; // worst decision among the scan's findings
};

struct QuarterCount {
    std::vector<Figures> slots;
    std::set<std::int64_t> checked_phones;
};

// Counts one quarter for every slot, by the rules in report_model.hpp.
Expected<QuarterCount> count_quarter(Store& store, Quarter quarter, const PhoneSlots& slot_of,
                                     std::size_t slot_count) {
    const queries::Period period{start_utc(quarter), start_utc(next(quarter))};
    DOCKSCAN_TRY_ASSIGN(const auto scans, queries::check_scans(store, period));
    DOCKSCAN_TRY_ASSIGN(const auto facts, queries::finding_facts(store, period));
    QuarterCount count{std::vector<Figures>(slot_count), {}};

    std::map<std::int64_t, ScanCheck> scan_checks;
    for (const auto& scan : scans) {
        if (slot_of.contains(scan.phone_id)) {
            scan_checks.emplace(scan.scan_id,
                                ScanCheck{scan.phone_id, scan.complete,
                                          scan.control ? std::optional(parse_result(*scan.control))
                                                       : std::nullopt});
        }
    }
    std::map<std::int64_t, PhoneCheck> phone_checks;
    for (const auto& fact : facts) {
        const auto scan = scan_checks.find(fact.scan_id);
        if (scan == scan_checks.end()) {
            continue;
        }
        Figures& figures = count.slots[slot_of.at(fact.phone_id)];
        CategoryCount& category = figures.categories[category_index(fact.category)];
        ++figures.findings;
        ++category.findings;
        if (!fact.decision) {
            ++figures.open_findings;
            ++category.open;
            continue;
        }
        const Result decided = parse_result(*fact.decision);
        category.deviation += decided != Result::none ? 1 : 0;
        category.serious += decided == Result::allvarlig ? 1 : 0;
        scan->second.decided = std::max(scan->second.decided, decided);
        phone_checks[fact.phone_id].actions.merge(action_indices(fact.actions_json));
    }
    for (const auto& [id, scan] : scan_checks) {
        PhoneCheck& phone = phone_checks[scan.phone_id];
        phone.complete = phone.complete || scan.complete;
        phone.result = std::max(phone.result, scan.control.value_or(scan.decided));
    }
    for (const auto& [phone_id, phone] : phone_checks) {
        Figures& figures = count.slots[slot_of.at(phone_id)];
        count.checked_phones.insert(phone_id);
        ++figures.checked;
        figures.partial_only += phone.complete ? 0 : 1;
        figures.deviations += phone.result != Result::none ? 1 : 0;
        figures.serious += phone.result == Result::allvarlig ? 1 : 0;
        for (const std::size_t action : phone.actions) {
            ++figures.actions[action];
        }
    }
    return count;
}

struct Slot {
    std::string name;
    std::string area;
    bool registered;
    std::vector<std::pair<std::int64_t, std::string>> phones; // id, label
};

// The units the report covers, in slots; the unregistered phones last, when every
// unit is asked for.
Expected<std::vector<Slot>> make_slots(Store& store, const std::vector<std::string>& filter,
                                       std::string_view quarter_first_day, PhoneSlots& slot_of) {
    DOCKSCAN_TRY_ASSIGN(const auto units, queries::units(store));
    DOCKSCAN_TRY_ASSIGN(const auto phones, queries::phones(store));
    std::vector<Slot> slots;
    std::unordered_map<std::int64_t, std::size_t> unit_slot;
    for (const std::string& name : filter) {
        const auto unit =
            std::find_if(units.begin(), units.end(), [&](const auto& u) { return u.name == name; });
        if (unit == units.end()) {
            std::string known;
            for (const auto& u : units) {
                known += (known.empty() ? "" : ", ") + u.name;
            }
            return fail(ErrorCode::usage, "no unit is named '" + name + "' (units: " +
                                              (known.empty() ? "none" : known) + ")");
        }
    }
    for (const auto& unit : units) {
        if (filter.empty() || std::find(filter.begin(), filter.end(), unit.name) != filter.end()) {
            unit_slot[unit.id] = slots.size();
            slots.push_back(Slot{unit.name, unit.area, true, {}});
        }
    }
    const std::size_t unregistered = slots.size();
    for (const auto& phone : phones) {
        // Retired on or before the quarter's first day: no phone of this quarter.
        if (!phone.retired_on.empty() && phone.retired_on <= quarter_first_day) {
            continue;
        }
        std::optional<std::size_t> slot;
        if (phone.unit_id && unit_slot.contains(*phone.unit_id)) {
            slot = unit_slot.at(*phone.unit_id);
        } else if (!phone.unit_id && filter.empty()) {
            if (slots.size() == unregistered) {
                slots.push_back(Slot{std::string(k_unregistered), "", false, {}});
            }
            slot = unregistered;
        }
        if (slot) {
            slot_of[phone.id] = *slot;
            slots[*slot].phones.emplace_back(phone.id, phone.label);
        }
    }
    return slots;
}

// Groups units into areas in Swedish order; the unregistered phones and units without
// an area come after the named areas.
std::vector<AreaReport> group_areas(std::vector<UnitReport> units) {
    const auto rank = [](const UnitReport& unit) {
        return !unit.registered ? 2 : unit.area.empty() ? 1 : 0;
    };
    std::sort(units.begin(), units.end(), [&](const UnitReport& a, const UnitReport& b) {
        return std::tuple(rank(a), swedish_sort_key(a.area), swedish_sort_key(a.name)) <
               std::tuple(rank(b), swedish_sort_key(b.area), swedish_sort_key(b.name));
    });
    std::vector<AreaReport> areas;
    for (UnitReport& unit : units) {
        const std::string name = !unit.registered    ? std::string(k_unregistered)
                                 : unit.area.empty() ? std::string(k_no_area)
                                                     : unit.area;
        if (areas.empty() || areas.back().name != name) {
            areas.push_back(AreaReport{name, {}, {}, {}});
        }
        areas.back().current += unit.current;
        areas.back().previous += unit.previous;
        areas.back().units.push_back(std::move(unit));
    }
    return areas;
}

} // namespace

Figures& Figures::operator+=(const Figures& other) {
    phones += other.phones;
    checked += other.checked;
    partial_only += other.partial_only;
    deviations += other.deviations;
    serious += other.serious;
    findings += other.findings;
    open_findings += other.open_findings;
    follow_ups += other.follow_ups;
    for (std::size_t i = 0; i < categories.size(); ++i) {
        categories[i].findings += other.categories[i].findings;
        categories[i].open += other.categories[i].open;
        categories[i].deviation += other.categories[i].deviation;
        categories[i].serious += other.categories[i].serious;
    }
    for (std::size_t i = 0; i < actions.size(); ++i) {
        actions[i] += other.actions[i];
    }
    return *this;
}

std::optional<double> share_percent(const Figures& figures) {
    if (figures.phones == 0) {
        return std::nullopt;
    }
    return 100.0 * static_cast<double>(figures.checked) / static_cast<double>(figures.phones);
}

bool under_rule(const Figures& figures) {
    // Integers, so that 1 of 5 is exactly 20 % and not under.
    return figures.phones > 0 && figures.checked * 5 < figures.phones;
}

std::vector<const UnitReport*> Report::units() const {
    std::vector<const UnitReport*> all;
    for (const AreaReport& area : areas) {
        for (const UnitReport& unit : area.units) {
            all.push_back(&unit);
        }
    }
    return all;
}

Expected<Report> build_report(Store& store, Quarter quarter,
                              const std::vector<std::string>& unit_filter, std::int64_t now) {
    PhoneSlots slot_of;
    DOCKSCAN_TRY_ASSIGN(const auto slots,
                        make_slots(store, unit_filter, reports::first_day(quarter), slot_of));

    Report report;
    report.quarter = quarter;
    report.unit_filter = unit_filter;
    report.generated_at = base::swedish_time_text(now);

    // The trend's quarters, oldest first: this quarter is the last, the previous one
    // the one before it.
    std::array<Quarter, k_trend_quarters> quarters{};
    quarters.back() = quarter;
    for (std::size_t t = k_trend_quarters - 1; t > 0; --t) {
        quarters[t - 1] = previous(quarters[t]);
    }
    std::vector<QuarterCount> counts;
    for (std::size_t t = 0; t < k_trend_quarters; ++t) {
        DOCKSCAN_TRY_ASSIGN(auto count, count_quarter(store, quarters[t], slot_of, slots.size()));
        Figures sum;
        for (const Figures& f : count.slots) {
            sum += f;
        }
        report.trend[t] = TrendPoint{quarters[t], 0, sum.checked, sum.deviations, sum.serious};
        counts.push_back(std::move(count));
    }
    const QuarterCount& current = counts[k_trend_quarters - 1];
    const QuarterCount& before = counts[k_trend_quarters - 2];

    DOCKSCAN_TRY_ASSIGN(
        const auto follow_up_rows,
        report_queries::follow_ups(store, first_day(quarter), start_utc(next(quarter))));
    // One planned follow-up per phone and date, however many decisions name it.
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> follow_ups;
    for (const auto& row : follow_up_rows) {
        if (slot_of.contains(row.phone_id)) {
            ++follow_ups[{row.date, row.phone_id}];
        }
    }
    std::unordered_map<std::int64_t, std::string> labels;
    for (const Slot& slot : slots) {
        for (const auto& [id, label] : slot.phones) {
            labels[id] = label;
        }
    }
    for (const auto& [key, findings] : follow_ups) {
        report.follow_ups.push_back(
            FollowUp{key.first, slots[slot_of.at(key.second)].name, labels[key.second], findings});
    }

    std::vector<UnitReport> units;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const Slot& slot = slots[i];
        UnitReport unit{slot.name,        slot.area,       slot.registered,
                        current.slots[i], before.slots[i], {}};
        const auto phones = static_cast<std::int64_t>(slot.phones.size());
        unit.current.phones = phones;
        unit.previous.phones = phones;
        for (const auto& [id, label] : slot.phones) {
            if (!current.checked_phones.contains(id)) {
                unit.not_checked.push_back(label);
            }
        }
        std::sort(unit.not_checked.begin(), unit.not_checked.end(),
                  [](const std::string& a, const std::string& b) {
                      return swedish_sort_key(a) < swedish_sort_key(b);
                  });
        for (const auto& [key, findings] : follow_ups) {
            unit.current.follow_ups += slot_of.at(key.second) == i ? 1 : 0;
        }
        units.push_back(std::move(unit));
    }
    report.areas = group_areas(std::move(units));
    for (const AreaReport& area : report.areas) {
        report.total += area.current;
        report.total_previous += area.previous;
    }
    for (TrendPoint& point : report.trend) {
        point.phones = report.total.phones;
    }
    return report;
}

} // namespace dockscan::agent::reports
