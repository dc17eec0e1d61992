#pragma once

// lockdownd on port 62078: QueryType, GetValue, Pair / ValidatePair / Unpair with the
// Trust dialog's answers, StartSession with the switch to TLS, StopSession,
// StartService, Goodbye.

namespace dockscan::testing::ios_sim {

class Channel;
class SimState;

void serve_lockdownd(Channel& channel, SimState& state);

} // namespace dockscan::testing::ios_sim
