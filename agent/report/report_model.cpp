#include "agent/report/report_model.hpp"

#include "agent/report/swedish.hpp"
#include "agent/store/report_comments.hpp"
#include "agent/store/report_queries.hpp"
#include "base/time.hpp"

#include <algorithm>
#include <cstdio>
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

struct PhoneInfo {
    std::int64_t id{};
    std::string label;
    std::optional<std::int64_t> unit_now;
    std::vector<queries::SpellRow> spells; // oldest first; empty: no history kept
    std::string retired_on;                // YYYY-MM-DD it left service, or empty
};

// The phones of the report. Centrally a phone that docks at two stations is a row at
// each (same serial): it is one phone, under the id of its first row (`alias`).
struct Phones {
    std::vector<PhoneInfo> list;
    std::unordered_map<std::int64_t, std::int64_t> alias;

    [[nodiscard]] std::int64_t one(std::int64_t id) const {
        const auto found = alias.find(id);
        return found == alias.end() ? id : found->second;
    }
};

// Where a phone counts on a date: a unit, no unit, or nowhere yet (before its first
// registration).
struct UnitAt {
    bool placed = false;
    std::optional<std::int64_t> unit_id;
};

UnitAt unit_at(const PhoneInfo& phone, std::string_view date) {
    if (phone.spells.empty()) {
        return {true, phone.unit_now};
    }
    UnitAt at;
    for (const auto& spell : phone.spells) {
        if (spell.from_date > date) {
            break;
        }
        at = {true, spell.unit_id};
    }
    return at;
}

std::string local_date_of(std::string_view utc) {
    const auto unix = base::parse_iso8601_utc(utc);
    if (!unix) {
        return std::string(utc.substr(0, 10));
    }
    const base::Date d = base::swedish_date(*unix);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

// The report's slots: the units it covers, and the phones in no unit when every unit is
// asked for.
struct Slots {
    std::vector<UnitReport> units;
    std::unordered_map<std::int64_t, std::size_t> of_unit;
    std::optional<std::size_t> unregistered;

    [[nodiscard]] std::optional<std::size_t> slot(const PhoneInfo& phone, std::string_view date,
                                                  bool scanned) const {
        const UnitAt at = unit_at(phone, date);
        if (at.unit_id) {
            const auto found = of_unit.find(*at.unit_id);
            return found == of_unit.end() ? std::nullopt : std::optional(found->second);
        }
        // Scanned before it was registered anywhere: a phone in no unit then.
        return at.placed || scanned ? unregistered : std::nullopt;
    }
};

// What one slot counted in one part (quarter) or a whole period: the additive figures,
// and the phones behind the distinct counts.
struct Tally {
    Figures figures;
    std::set<std::int64_t> phones;
    std::set<std::int64_t> scanned;
    std::set<std::int64_t> completed;
    std::set<std::int64_t> complete_scan; // scanned phones with a complete (not partial) scan
    std::set<std::int64_t> remaining;     // findings of earlier quarters still on the phone

    void merge(const Tally& other) {
        Figures additive = other.figures;
        additive.phones = additive.checked = additive.completed = additive.partial_only =
            additive.remaining = 0;
        figures += additive;
        phones.insert(other.phones.begin(), other.phones.end());
        scanned.insert(other.scanned.begin(), other.scanned.end());
        completed.insert(other.completed.begin(), other.completed.end());
        complete_scan.insert(other.complete_scan.begin(), other.complete_scan.end());
        remaining.insert(other.remaining.begin(), other.remaining.end());
        settle();
    }

    // The distinct counts from the sets.
    void settle() {
        figures.phones = static_cast<std::int64_t>(phones.size());
        figures.remaining = static_cast<std::int64_t>(remaining.size());
        figures.checked = static_cast<std::int64_t>(scanned.size());
        figures.completed = static_cast<std::int64_t>(completed.size());
        std::int64_t partial = 0;
        for (const std::int64_t id : scanned) {
            partial += complete_scan.contains(id) ? 0 : 1;
        }
        figures.partial_only = partial;
    }
};

struct PhoneCheck {
    bool complete = false;
    bool done_in_time = true;
    Result result = Result::none;
    std::set<std::size_t> actions;
};

struct ScanCheck {
    std::int64_t phone_id;
    bool complete;
    std::optional<Result> control;
    bool control_in_time;
    bool decided_in_time = true;   // every finding decided before the part ended
    Result decided = Result::none; // worst decision among the scan's findings
};

// Counts one part of a period for every slot, by the rules in report_model.hpp.
Expected<std::vector<Tally>> count_part(sql::Source& source, const PeriodPart& part,
                                        const Phones& phones, const Slots& slots,
                                        std::string_view today) {
    const queries::Period period{part.from_utc, part.to_utc};
    DOCKSCAN_TRY_ASSIGN(auto scans, queries::check_scans(source, period));
    DOCKSCAN_TRY_ASSIGN(auto facts, queries::finding_facts(source, period));
    for (auto& scan : scans) {
        scan.phone_id = phones.one(scan.phone_id);
    }
    for (auto& fact : facts) {
        fact.phone_id = phones.one(fact.phone_id);
    }
    std::vector<Tally> tallies(slots.units.size());

    // Where each phone counts in this part (report_model.hpp).
    std::unordered_map<std::int64_t, std::string> first_scan;
    for (const auto& scan : scans) {
        auto [at, inserted] = first_scan.emplace(scan.phone_id, scan.started_at);
        if (!inserted && scan.started_at < at->second) {
            at->second = scan.started_at;
        }
    }
    const std::string last_day = std::min(part.last_day, std::string(today));
    std::unordered_map<std::int64_t, std::size_t> slot_of;
    const std::string first_day = local_date_of(part.from_utc);
    for (const PhoneInfo& phone : phones.list) {
        // Retired on or before the part's first day: no phone of this part.
        if (!phone.retired_on.empty() && phone.retired_on <= first_day) {
            continue;
        }
        const auto scanned = first_scan.find(phone.id);
        const auto slot = scanned != first_scan.end()
                              ? slots.slot(phone, local_date_of(scanned->second), true)
                              : slots.slot(phone, last_day, false);
        if (slot) {
            slot_of[phone.id] = *slot;
            tallies[*slot].phones.insert(phone.id);
        }
    }

    std::map<std::int64_t, ScanCheck> scan_checks;
    for (const auto& scan : scans) {
        if (slot_of.contains(scan.phone_id)) {
            scan_checks.emplace(
                scan.scan_id,
                ScanCheck{scan.phone_id, scan.complete,
                          scan.control ? std::optional(parse_result(*scan.control)) : std::nullopt,
                          !scan.control_at.empty() && scan.control_at < part.to_utc});
        }
    }
    // Kvarstående: what earlier quarters found and a scan of this part saw still there,
    // counted where the phone counts in this part.
    DOCKSCAN_TRY_ASSIGN(const auto remaining, queries::remaining_findings(source, period));
    for (const auto& finding : remaining) {
        if (const auto slot = slot_of.find(phones.one(finding.phone_id)); slot != slot_of.end()) {
            tallies[slot->second].remaining.insert(finding.finding_id);
        }
    }
    std::map<std::int64_t, PhoneCheck> phone_checks;
    for (const auto& fact : facts) {
        const auto scan = scan_checks.find(fact.scan_id);
        if (scan == scan_checks.end()) {
            continue;
        }
        Figures& figures = tallies[slot_of.at(fact.phone_id)].figures;
        CategoryCount& category = figures.categories[category_index(fact.category)];
        ++figures.findings;
        ++category.findings;
        if (fact.decided_at.empty() || fact.decided_at >= part.to_utc) {
            scan->second.decided_in_time = false;
        }
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
        phone.done_in_time = phone.done_in_time && (scan.control_in_time || scan.decided_in_time);
        phone.result = std::max(phone.result, scan.control.value_or(scan.decided));
    }
    for (const auto& [phone_id, phone] : phone_checks) {
        Tally& tally = tallies[slot_of.at(phone_id)];
        tally.scanned.insert(phone_id);
        if (phone.complete) {
            tally.complete_scan.insert(phone_id);
        }
        if (phone.done_in_time) {
            tally.completed.insert(phone_id);
        }
        tally.figures.deviations += phone.result != Result::none ? 1 : 0;
        tally.figures.serious += phone.result == Result::allvarlig ? 1 : 0;
        for (const std::size_t action : phone.actions) {
            ++tally.figures.actions[action];
        }
    }
    for (Tally& tally : tallies) {
        tally.settle();
    }
    return tallies;
}

// The units the report covers, in slots; the phones in no unit last, when every unit
// is asked for.
Expected<Slots> make_slots(sql::Source& source, const std::vector<std::string>& filter) {
    DOCKSCAN_TRY_ASSIGN(const auto units, queries::units(source));
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
    Slots slots;
    // Units with the same name and area are one unit: in the central database every
    // station has its own row for a unit whose phones dock at it.
    std::map<std::pair<std::string, std::string>, std::size_t> by_name;
    for (const auto& unit : units) {
        if (filter.empty() || std::find(filter.begin(), filter.end(), unit.name) != filter.end()) {
            const auto [named, fresh] =
                by_name.emplace(std::pair{unit.name, unit.area}, slots.units.size());
            slots.of_unit[unit.id] = named->second;
            if (!fresh) {
                continue;
            }
            UnitReport report;
            report.name = unit.name;
            report.area = unit.area;
            slots.units.push_back(std::move(report));
        }
    }
    if (filter.empty()) {
        slots.unregistered = slots.units.size();
        UnitReport report;
        report.name = std::string(k_unregistered);
        report.registered = false;
        slots.units.push_back(std::move(report));
    }
    return slots;
}

Expected<Phones> phone_infos(sql::Source& source) {
    DOCKSCAN_TRY_ASSIGN(const auto phones, queries::phones(source));
    DOCKSCAN_TRY_ASSIGN(const auto spells, queries::spells(source));
    Phones infos;
    std::unordered_map<std::int64_t, std::size_t> index;
    std::unordered_map<std::string, std::int64_t> by_serial;
    for (const auto& phone : phones) {
        if (!phone.serial.empty()) {
            const auto [first, fresh] = by_serial.emplace(phone.serial, phone.id);
            if (!fresh) {
                infos.alias[phone.id] = first->second;
                index[phone.id] = index.at(first->second);
                continue;
            }
        }
        index[phone.id] = infos.list.size();
        infos.list.push_back(PhoneInfo{phone.id, phone.label, phone.unit_id, {}, phone.retired_on});
    }
    for (const auto& spell : spells) {
        if (const auto found = index.find(spell.phone_id); found != index.end()) {
            infos.list[found->second].spells.push_back(spell);
        }
    }
    // The spells of one phone kept at two stations, in date order.
    if (!infos.alias.empty()) {
        for (PhoneInfo& info : infos.list) {
            std::stable_sort(
                info.spells.begin(), info.spells.end(),
                [](const auto& a, const auto& b) { return a.from_date < b.from_date; });
        }
    }
    return infos;
}

// Counts the parts of a period, reusing the parts already counted (the trend and the
// previous period share quarters with the period).
class PartCounter {
public:
    PartCounter(sql::Source& source, const Phones& phones, const Slots& slots, std::string today)
        : m_source(source), m_phones(phones), m_slots(slots), m_today(std::move(today)) {}

    Expected<const std::vector<Tally>*> part(const PeriodPart& part) {
        const std::string key = part.from_utc + "/" + part.to_utc;
        if (const auto found = m_done.find(key); found != m_done.end()) {
            return &found->second;
        }
        DOCKSCAN_TRY_ASSIGN(auto tallies, count_part(m_source, part, m_phones, m_slots, m_today));
        return &m_done.emplace(key, std::move(tallies)).first->second;
    }

    // The whole period per slot, and which of its parts each slot was under the rule in.
    Expected<std::vector<Tally>> period(Period period,
                                        std::vector<std::vector<std::string>>* under = nullptr) {
        std::vector<Tally> sum(m_slots.units.size());
        if (under != nullptr) {
            under->assign(m_slots.units.size(), {});
        }
        for (const PeriodPart& p : parts(period)) {
            DOCKSCAN_TRY_ASSIGN(const auto* tallies, part(p));
            for (std::size_t i = 0; i < sum.size(); ++i) {
                sum[i].merge((*tallies)[i]);
                if (under != nullptr && under_rule((*tallies)[i].figures)) {
                    (*under)[i].push_back(p.label);
                }
            }
        }
        return sum;
    }

private:
    sql::Source& m_source;
    const Phones& m_phones;
    const Slots& m_slots;
    std::string m_today;
    std::map<std::string, std::vector<Tally>> m_done;
};

Tally sum_of(const std::vector<Tally>& tallies) {
    Tally total;
    for (const Tally& tally : tallies) {
        total.merge(tally);
    }
    return total;
}

// Groups units into areas in Swedish order; the unregistered phones and units without
// an area come after the named areas. An area's distinct counts come from its units'
// phones (a phone moved between two of its units counts once).
std::vector<AreaReport> group_areas(std::vector<UnitReport> units,
                                    const std::map<std::string, std::pair<Tally, Tally>>& tallies) {
    const auto rank = [](const UnitReport& unit) {
        return !unit.registered ? 2 : unit.area.empty() ? 1 : 0;
    };
    std::sort(units.begin(), units.end(), [&](const UnitReport& a, const UnitReport& b) {
        return std::tuple(rank(a), swedish_sort_key(a.area), swedish_sort_key(a.name)) <
               std::tuple(rank(b), swedish_sort_key(b.area), swedish_sort_key(b.name));
    });
    std::vector<AreaReport> areas;
    std::vector<std::pair<Tally, Tally>> area_tallies;
    for (UnitReport& unit : units) {
        const std::string name = !unit.registered    ? std::string(k_unregistered)
                                 : unit.area.empty() ? std::string(k_no_area)
                                                     : unit.area;
        if (areas.empty() || areas.back().name != name) {
            areas.push_back(AreaReport{name, {}, {}, {}});
            area_tallies.emplace_back();
        }
        const auto& [now, before] = tallies.at(unit.name);
        area_tallies.back().first.merge(now);
        area_tallies.back().second.merge(before);
        areas.back().units.push_back(std::move(unit));
    }
    for (std::size_t i = 0; i < areas.size(); ++i) {
        areas[i].current = area_tallies[i].first.figures;
        areas[i].previous = area_tallies[i].second.figures;
        for (const UnitReport& unit : areas[i].units) {
            areas[i].current.follow_ups += unit.current.follow_ups;
        }
    }
    return areas;
}

} // namespace

Figures& Figures::operator+=(const Figures& other) {
    phones += other.phones;
    checked += other.checked;
    completed += other.completed;
    partial_only += other.partial_only;
    deviations += other.deviations;
    serious += other.serious;
    findings += other.findings;
    open_findings += other.open_findings;
    remaining += other.remaining;
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
    return 100.0 * static_cast<double>(figures.completed) / static_cast<double>(figures.phones);
}

std::optional<double> scanned_percent(const Figures& figures) {
    if (figures.phones == 0) {
        return std::nullopt;
    }
    return 100.0 * static_cast<double>(figures.checked) / static_cast<double>(figures.phones);
}

bool under_rule(const Figures& figures) {
    // Integers, so that 1 of 5 is exactly 20 % and not under.
    return figures.phones > 0 && figures.completed * 5 < figures.phones;
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
    return build_report(store, period_of(quarter), unit_filter, now);
}

Expected<Report> build_report(Store& store, Period period,
                              const std::vector<std::string>& unit_filter, std::int64_t now,
                              const ReportProgress& progress) {
    DOCKSCAN_TRY_ASSIGN(const auto comments, report_comments::for_period(store, code(period)));
    sql::StoreSource source(store);
    return build_report(source, period, unit_filter, now, comments, progress);
}

Expected<Report> build_report(sql::Source& source, Period period,
                              const std::vector<std::string>& unit_filter, std::int64_t now,
                              const std::vector<report_comments::Comment>& comments,
                              const ReportProgress& progress) {
    DOCKSCAN_TRY_ASSIGN(Slots slots, make_slots(source, unit_filter));
    DOCKSCAN_TRY_ASSIGN(const auto phones, phone_infos(source));
    PartCounter counter(source, phones, slots, local_date_of(base::iso8601_utc(now)));

    Report report;
    report.period = period;
    report.unit_filter = unit_filter;
    report.generated_at = base::swedish_time_text(now);

    // Steps: this period, the one before, each trend quarter, and the rest together.
    const std::int64_t steps =
        3 + static_cast<std::int64_t>(period.kind == PeriodKind::quarter ? k_trend_quarters
                                                                         : parts(period).size());
    std::int64_t done = 0;
    const auto step = [&] {
        if (progress) {
            progress(++done, steps);
        }
    };
    std::vector<std::vector<std::string>> under;
    DOCKSCAN_TRY_ASSIGN(const auto current, counter.period(period, &under));
    step();
    DOCKSCAN_TRY_ASSIGN(const auto before, counter.period(previous(period)));
    step();

    // The trend: a quarter's report shows the last four quarters, a delår or a year
    // its own quarters side by side.
    std::vector<PeriodPart> trend_parts;
    if (period.kind == PeriodKind::quarter) {
        Quarter q{period.year, period.quarter};
        for (std::size_t t = 1; t < k_trend_quarters; ++t) {
            q = previous(q);
        }
        for (std::size_t t = 0; t < k_trend_quarters; ++t, q = next(q)) {
            trend_parts.push_back(parts(period_of(q)).front());
        }
    } else {
        trend_parts = parts(period);
    }
    for (const PeriodPart& part : trend_parts) {
        DOCKSCAN_TRY_ASSIGN(const auto* tallies, counter.part(part));
        const Figures sum = sum_of(*tallies).figures;
        report.trend.push_back(TrendPoint{part.label, part.from_utc >= start_utc(period),
                                          sum.phones, sum.checked, sum.completed, sum.deviations,
                                          sum.serious});
        step();
    }

    DOCKSCAN_TRY_ASSIGN(const auto follow_up_rows,
                        report_queries::follow_ups(source, first_day(period), end_utc(period)));
    // One planned follow-up per phone and date, however many decisions name it. The
    // phone's unit is the one it counted for in the period's last part it counted in.
    std::unordered_map<std::int64_t, std::size_t> last_slot;
    for (std::size_t i = 0; i < current.size(); ++i) {
        for (const std::int64_t id : current[i].phones) {
            last_slot[id] = i;
        }
    }
    std::unordered_map<std::int64_t, std::string> labels;
    for (const PhoneInfo& phone : phones.list) {
        labels[phone.id] = phone.label;
    }
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> follow_ups;
    for (const auto& row : follow_up_rows) {
        if (last_slot.contains(phones.one(row.phone_id))) {
            ++follow_ups[{row.date, phones.one(row.phone_id)}];
        }
    }
    for (const auto& [key, findings] : follow_ups) {
        report.follow_ups.push_back(FollowUp{key.first, slots.units[last_slot.at(key.second)].name,
                                             labels[key.second], findings});
    }

    std::map<std::string, std::pair<Tally, Tally>> tallies;
    std::vector<UnitReport> units;
    for (std::size_t i = 0; i < slots.units.size(); ++i) {
        UnitReport unit = slots.units[i];
        if (!unit.registered && current[i].phones.empty() && before[i].phones.empty()) {
            continue; // no phone in no unit: no row for them
        }
        unit.current = current[i].figures;
        unit.previous = before[i].figures;
        if (unit.registered) {
            unit.under_parts = under[i];
        }
        for (const std::int64_t id : current[i].phones) {
            if (!current[i].completed.contains(id)) {
                unit.not_checked.push_back(labels[id]);
            }
        }
        std::sort(unit.not_checked.begin(), unit.not_checked.end(),
                  [](const std::string& a, const std::string& b) {
                      return swedish_sort_key(a) < swedish_sort_key(b);
                  });
        for (const auto& [key, findings] : follow_ups) {
            unit.current.follow_ups += last_slot.at(key.second) == i ? 1 : 0;
        }
        for (const auto& comment : comments) {
            if (comment.unit == unit.name && unit.registered) {
                unit.comment = comment.text;
            }
        }
        tallies[unit.name] = {current[i], before[i]};
        units.push_back(std::move(unit));
    }
    report.areas = group_areas(std::move(units), tallies);
    Tally total_now;
    Tally total_before;
    for (const auto& [name, pair] : tallies) {
        total_now.merge(pair.first);
        total_before.merge(pair.second);
    }
    report.total = total_now.figures;
    report.total_previous = total_before.figures;
    for (const AreaReport& area : report.areas) {
        for (const UnitReport& unit : area.units) {
            report.total.follow_ups += unit.current.follow_ups;
        }
    }

    // The total is held to the rule per quarter too; its phones in no unit are in it,
    // as they are in the total's share.
    for (const PeriodPart& part : parts(period)) {
        DOCKSCAN_TRY_ASSIGN(const auto* part_tallies, counter.part(part));
        if (under_rule(sum_of(*part_tallies).figures)) {
            report.total_under_parts.push_back(part.label);
        }
    }

    const report_queries::Period whole{start_utc(period), end_utc(period)};
    DOCKSCAN_TRY_ASSIGN(const auto selections, report_queries::selections(source, whole));
    for (const auto& row : selections) {
        report.selections.push_back(Selection{row.selection, row.share, row.dockings});
    }
    DOCKSCAN_TRY_ASSIGN(report.hand_scans, report_queries::hand_scans(source, whole));
    step();
    return report;
}

} // namespace dockscan::agent::reports
