#pragma once

// com.apple.afc: the phone's media folder (/var/mobile/Media) served from a fixture
// folder, read-only. Packets: "CFA6LPAA", entire length, this length, packet number,
// operation (all 64-bit little-endian), then the operation's data.

namespace dockscan::testing::ios_sim {

class Channel;
class SimState;

inline constexpr const char* k_afc_service = "com.apple.afc";

void serve_afc(Channel& channel, SimState& state);

} // namespace dockscan::testing::ios_sim
