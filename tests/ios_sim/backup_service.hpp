#pragma once

// com.apple.mobilebackup2: the DeviceLink version exchange and Hello, then a backup
// of the phone's messages and contacts (fixture files) to the host.

namespace dockscan::testing::ios_sim {

class Channel;
class SimState;

inline constexpr const char* k_backup_service = "com.apple.mobilebackup2";

void serve_backup(Channel& channel, SimState& state);

} // namespace dockscan::testing::ios_sim
