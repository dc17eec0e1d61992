#include "tests/ios_sim/lockdownd.hpp"

#include "tests/ios_sim/afc_service.hpp"
#include "tests/ios_sim/backup_service.hpp"
#include "tests/ios_sim/channel.hpp"
#include "tests/ios_sim/device_values.hpp"
#include "tests/ios_sim/notification_proxy.hpp"
#include "tests/ios_sim/sim_state.hpp"

#include <optional>
#include <string>

namespace dockscan::testing::ios_sim {
namespace {

constexpr std::uint32_t k_max_request = 512 * 1024;

class Lockdownd {
public:
    Lockdownd(Channel& channel, SimState& state) : m_channel(channel), m_state(state) {}

    void run() {
        while (true) {
            Plist request = receive_plist(m_channel, k_max_request);
            if (!is_dict(request.get())) {
                return;
            }
            const std::string verb = dict_string(request.get(), "Request").value_or("");
            m_state.trace("lockdownd <- " + verb);
            if (!handle(verb, request)) {
                return;
            }
        }
    }

private:
    bool handle(const std::string& verb, const Plist& request) {
        if (verb == "QueryType") {
            Plist reply = answer(verb);
            dict_set(reply, "Type", new_string("com.apple.mobile.lockdown"));
            return send(reply);
        }
        if (verb == "GetValue") {
            return get_value(request);
        }
        if (verb == "SetValue" || verb == "RemoveValue") {
            return send(error(verb, "SetProhibited"));
        }
        if (verb == "Pair") {
            return pair(request);
        }
        if (verb == "ValidatePair") {
            const auto host = host_of(request);
            return send(host ? answer(verb) : error(verb, "InvalidHostID"));
        }
        if (verb == "Unpair") {
            if (const auto host = host_of(request)) {
                m_state.forget(host->host_id);
            }
            return send(answer(verb));
        }
        if (verb == "StartSession") {
            return start_session(request);
        }
        if (verb == "StopSession") {
            if (!m_host) {
                return send(error(verb, "SessionInactive"));
            }
            const bool sent = send(answer(verb));
            m_channel.stop_tls();
            m_host.reset();
            return sent;
        }
        if (verb == "StartService") {
            return start_service(request);
        }
        if (verb == "Goodbye") {
            (void)send(answer(verb));
            return false;
        }
        return send(error(verb, "InvalidRequest"));
    }

    static Plist answer(const std::string& verb) {
        Plist reply = new_dict();
        dict_set(reply, "Request", new_string(verb));
        return reply;
    }

    static Plist error(const std::string& verb, const std::string& code) {
        Plist reply = answer(verb);
        dict_set(reply, "Error", new_string(code));
        return reply;
    }

    bool send(const Plist& reply) {
        if (m_state.options().trace) {
            m_state.trace("lockdownd -> " + describe(reply.get()));
        }
        return send_plist(m_channel, reply, PlistFormat::xml);
    }

    std::optional<TrustedHost> host_of(const Plist& request) {
        const void* record = dict_get(request.get(), "PairRecord");
        const auto host_id = dict_string(record, "HostID");
        return host_id ? m_state.trusted_host(*host_id) : std::nullopt;
    }

    bool get_value(const Plist& request) {
        const auto domain = dict_string(request.get(), "Domain");
        const auto key = dict_string(request.get(), "Key");
        const Session session = m_host ? Session::active : Session::none;
        Plist values = domain_values(m_state, domain.value_or(""), session);
        Plist reply = answer("GetValue");
        if (domain) {
            dict_set(reply, "Domain", new_string(*domain));
        }
        if (!key) {
            dict_set(reply, "Value", std::move(values));
            return send(reply);
        }
        dict_set(reply, "Key", new_string(*key));
        void* value = dict_get(values.get(), key->c_str());
        if (value == nullptr) {
            dict_set(reply, "Error", new_string("MissingValue"));
            return send(reply);
        }
        dict_set(reply, "Value", copy(value));
        return send(reply);
    }

    bool pair(const Plist& request) {
        const void* record = dict_get(request.get(), "PairRecord");
        TrustedHost host;
        host.host_id = dict_string(record, "HostID").value_or("");
        host.system_buid = dict_string(record, "SystemBUID").value_or("");
        host.host_certificate = dict_data(record, "HostCertificate").value_or("");
        host.root_certificate = dict_data(record, "RootCertificate").value_or("");
        host.device_certificate = dict_data(record, "DeviceCertificate").value_or("");
        if (host.host_id.empty() || host.host_certificate.empty() ||
            host.root_certificate.empty()) {
            return send(error("Pair", "InvalidPairRecord"));
        }
        // A real phone only pairs with a device certificate made from its own key.
        if (!m_state.key().certifies(host.device_certificate)) {
            m_state.trace("lockdownd: DeviceCertificate does not carry DevicePublicKey");
            return send(error("Pair", "InvalidPairRecord"));
        }
        switch (m_state.next_pair_answer()) {
        case PairAnswer::pending:
            return send(error("Pair", "PairingDialogResponsePending"));
        case PairAnswer::refuse:
            return send(error("Pair", "UserDeniedPairing"));
        case PairAnswer::accept:
            break;
        }
        if (!m_state.trust(host)) {
            return send(error("Pair", "SavePairRecordFailed"));
        }
        Plist reply = answer("Pair");
        dict_set(reply, "EscrowBag", new_data(m_state.escrow_bag()));
        return send(reply);
    }

    bool start_session(const Plist& request) {
        const auto host_id = dict_string(request.get(), "HostID");
        if (!host_id) {
            return send(error("StartSession", "MissingHostID"));
        }
        if (m_host) {
            return send(error("StartSession", "SessionActive"));
        }
        auto host = m_state.trusted_host(*host_id);
        if (!host) {
            return send(error("StartSession", "InvalidHostID"));
        }
        Plist reply = answer("StartSession");
        dict_set(reply, "SessionID", new_string(random_uuid()));
        dict_set(reply, "EnableSessionSSL", new_bool(true));
        if (!send(reply)) {
            return false;
        }
        std::string peer;
        if (!m_channel.start_tls(host->device_certificate, m_state.key().private_key_pem(), peer)) {
            m_state.trace("lockdownd: TLS handshake failed");
            return false;
        }
        // The host proves it holds the pair record: libimobiledevice 1.3.0 presents the
        // root certificate, later versions the host certificate.
        if (!same_certificate(peer, host->root_certificate) &&
            !same_certificate(peer, host->host_certificate)) {
            m_state.trace("lockdownd: host certificate is not the paired one");
            return false;
        }
        m_state.trace("lockdownd: session with TLS");
        m_host = std::move(host);
        return true;
    }

    bool start_service(const Plist& request) {
        const std::string name = dict_string(request.get(), "Service").value_or("");
        if (!m_host) {
            return send(error("StartService", "SessionInactive"));
        }
        const bool known = name == k_afc_service || name == k_backup_service ||
                           name == k_notification_proxy_service;
        if (!known) {
            Plist reply = error("StartService", "InvalidService");
            dict_set(reply, "Service", new_string(name));
            return send(reply);
        }
        const std::uint16_t port = m_state.open_service(name);
        Plist reply = answer("StartService");
        dict_set(reply, "Service", new_string(name));
        dict_set(reply, "Port", new_uint(port));
        return send(reply);
    }

    Channel& m_channel;
    SimState& m_state;
    std::optional<TrustedHost> m_host; // set while a session is active
};

} // namespace

void serve_lockdownd(Channel& channel, SimState& state) {
    Lockdownd lockdownd(channel, state);
    lockdownd.run();
}

} // namespace dockscan::testing::ios_sim
