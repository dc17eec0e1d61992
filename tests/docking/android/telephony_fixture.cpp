#include "tests/docking/android/telephony_fixture.hpp"

#include "tests/docking/android/ab_writer.hpp"

#include <nlohmann/json.hpp>

namespace dockscan::testing {
namespace {

// The agent writes keys in its projection order; ordered_json keeps that order.
using json = nlohmann::ordered_json;

constexpr const char* k_self_phone = "+46701740699";

} // namespace

std::string sms_backup_json(const std::vector<SmsFixture>& messages) {
    json array = json::array();
    for (const SmsFixture& m : messages) {
        json o;
        o["self_phone"] = k_self_phone;
        o["address"] = m.address;
        o["body"] = m.body;
        o["date"] = std::to_string(m.date_ms);
        o["date_sent"] = std::to_string(m.type == 1 ? m.date_ms - 3000 : 0);
        o["status"] = "-1";
        o["type"] = std::to_string(m.type);
        o["recipients"] = json::array({m.address});
        o["read"] = "1";
        array.push_back(std::move(o));
    }
    return array.dump();
}

std::string mms_backup_json(const std::vector<MmsFixture>& messages) {
    json array = json::array();
    for (const MmsFixture& m : messages) {
        json o;
        o["self_phone"] = k_self_phone;
        if (!m.subject.empty()) {
            o["sub"] = m.subject;
        }
        o["date"] = std::to_string(m.date_s);
        o["date_sent"] = "0";
        o["m_type"] = m.msg_box == 1 ? "132" : "128"; // retrieve_conf, send_req
        o["v"] = "18";
        o["msg_box"] = std::to_string(m.msg_box);
        o["recipients"] = json::array();
        for (const auto& r : m.to) {
            o["recipients"].push_back(r);
        }
        o["read"] = "1";
        json addresses = json::array();
        addresses.push_back({{"type", 137}, {"address", m.from}, {"charset", 106}});
        for (const auto& r : m.to) {
            addresses.push_back({{"type", 151}, {"address", r}, {"charset", 106}});
        }
        o["mms_addresses"] = std::move(addresses);
        o["mms_body"] = m.body;
        o["mms_charset"] = 106;
        if (!m.subject.empty()) {
            o["sub_cs"] = "106";
        }
        array.push_back(std::move(o));
    }
    return array.dump();
}

std::string sms_backup_file(const std::vector<SmsFixture>& messages) {
    return zlib_compress(sms_backup_json(messages));
}

std::string mms_backup_file(const std::vector<MmsFixture>& messages) {
    return zlib_compress(mms_backup_json(messages));
}

} // namespace dockscan::testing
