#pragma once

// com.apple.mobile.notification_proxy, as far as idevicebackup2 uses it: posted and
// observed notifications are accepted, Shutdown is answered with ProxyDeath.

namespace dockscan::testing::ios_sim {

class Channel;
class SimState;

inline constexpr const char* k_notification_proxy_service = "com.apple.mobile.notification_proxy";

void serve_notification_proxy(Channel& channel, SimState& state);

} // namespace dockscan::testing::ios_sim
