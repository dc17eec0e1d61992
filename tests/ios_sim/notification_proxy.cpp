#include "tests/ios_sim/notification_proxy.hpp"

#include "tests/ios_sim/channel.hpp"
#include "tests/ios_sim/sim_state.hpp"

namespace dockscan::testing::ios_sim {

void serve_notification_proxy(Channel& channel, SimState& state) {
    while (true) {
        Plist message = receive_plist(channel, 64 * 1024);
        if (!is_dict(message.get())) {
            return;
        }
        const std::string command = dict_string(message.get(), "Command").value_or("");
        state.trace("notification_proxy <- " + command + " " +
                    dict_string(message.get(), "Name").value_or(""));
        if (command == "Shutdown") {
            Plist reply = new_dict();
            dict_set(reply, "Command", new_string("ProxyDeath"));
            (void)send_plist(channel, reply, PlistFormat::binary);
            return;
        }
    }
}

} // namespace dockscan::testing::ios_sim
