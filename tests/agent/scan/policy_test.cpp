#include "agent/scan/policy.hpp"

#include <catch2/catch.hpp>

using namespace dockscan;

TEST_CASE("an identity number is proposed as a serious deviation, categorised by where it was") {
    const auto [item, category] = GENERATE(table<docking::ItemType, std::string>({
        {docking::ItemType::message, "personnummer_i_meddelande"},
        {docking::ItemType::contact, "personnummer_i_kontakt"},
        {docking::ItemType::file, "personnummer_i_anteckning"},
        {docking::ItemType::attachment, "personnummer_i_bild"},
        {docking::ItemType::photo, "personnummer_i_bild"},
    }));
    const auto kind = GENERATE(detectors::Kind::personnummer, detectors::Kind::samordningsnummer,
                               detectors::Kind::interimsnummer);
    detectors::Signal signal{kind, 0.9, 0, 11, std::nullopt, "450411-****", "", true};
    const agent::Proposal proposal = agent::propose(item, signal);
    CHECK(proposal.category == category);
    CHECK(proposal.severity == agent::Severity::allvarlig_avvikelse);
    CHECK(agent::detector_name(kind) == "text/identity-number");
}

TEST_CASE("a full name in a contact is a deviation of its own category") {
    detectors::Signal signal{detectors::Kind::full_name, 0.8, 0, 5, std::nullopt, "", "", true};
    const agent::Proposal proposal = agent::propose(docking::ItemType::contact, signal);
    CHECK(proposal.category == "kontakt_med_fullstandigt_namn");
    CHECK(proposal.severity == agent::Severity::avvikelse);
}
