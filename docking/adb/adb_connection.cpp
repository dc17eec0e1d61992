#include "docking/adb/adb_connection.hpp"

#include <algorithm>

namespace dockscan::docking::adb {
namespace {

// What we tell the phone we speak. The phone answers with the features both know.
constexpr std::string_view k_host_banner = "host::features=shell_v2,cmd,stat_v2,ls_v2";
// Messages a phone may send before its CNXN that we skip (adbd sends none).
constexpr int k_max_skipped_messages = 16;

} // namespace

AdbStream::~AdbStream() {
    if (m_connection != nullptr) {
        m_connection->close_stream(m_local_id);
    }
}

Expected<void> AdbStream::write(std::string_view data) {
    AdbConnection& c = *m_connection;
    while (!data.empty()) {
        auto* stream = &c.m_streams.at(m_local_id);
        while (!stream->write_acknowledged && !stream->remote_closed) {
            DOCKSCAN_TRY(c.pump());
            stream = &c.m_streams.at(m_local_id);
        }
        if (stream->remote_closed) {
            return fail(ErrorCode::interrupted, "the phone closed the stream");
        }
        const std::size_t n = std::min<std::size_t>(data.size(), c.m_max_data);
        stream->write_acknowledged = false;
        DOCKSCAN_TRY(c.send(k_wrte, m_local_id, stream->remote_id, std::string(data.substr(0, n))));
        data.remove_prefix(n);
    }
    return {};
}

Expected<std::string> AdbStream::read_some() {
    AdbConnection& c = *m_connection;
    while (c.m_streams.at(m_local_id).inbound.empty() &&
           !c.m_streams.at(m_local_id).remote_closed) {
        DOCKSCAN_TRY(c.pump());
    }
    auto& stream = c.m_streams.at(m_local_id);
    if (stream.inbound.empty()) {
        return std::string();
    }
    std::string chunk = std::move(stream.inbound.front());
    stream.inbound.pop_front();
    stream.queued -= chunk.size();
    // Acknowledging only now is adb's flow control: the phone sends the next chunk
    // when we are ready for it, so one slow reader never makes us queue a whole file.
    if (!stream.remote_closed) {
        DOCKSCAN_TRY(c.send(k_okay, m_local_id, stream.remote_id));
    }
    return chunk;
}

Expected<std::string> AdbStream::read_exact(std::size_t size) {
    AdbConnection& c = *m_connection;
    std::string out;
    out.reserve(std::min<std::size_t>(size, 1u << 20));
    while (out.size() < size) {
        auto& partial = c.m_streams.at(m_local_id).partial;
        if (!partial.empty()) {
            const std::size_t n = std::min(size - out.size(), partial.size());
            out.append(partial, 0, n);
            partial.erase(0, n);
            continue;
        }
        DOCKSCAN_TRY_ASSIGN(std::string chunk, read_some());
        if (chunk.empty()) {
            if (!c.m_broken.empty()) {
                return fail(ErrorCode::interrupted, c.m_broken);
            }
            return fail(ErrorCode::interrupted, "the phone closed the stream early");
        }
        c.m_streams.at(m_local_id).partial = std::move(chunk);
    }
    return out;
}

Expected<std::unique_ptr<AdbConnection>>
AdbConnection::connect(std::unique_ptr<ByteTransport> transport, const StationKey& key,
                       ConnectOptions options) {
    std::unique_ptr<AdbConnection> connection(new AdbConnection(std::move(transport), options));
    DOCKSCAN_TRY(connection->handshake(key));
    return connection;
}

Expected<void> AdbConnection::handshake(const StationKey& key) {
    DOCKSCAN_TRY(send(k_cnxn, k_version, k_max_data, std::string(k_host_banner)));
    bool signed_token = false;
    bool sent_public_key = false;
    for (int skipped = 0; skipped < k_max_skipped_messages;) {
        auto message = read_message(*m_transport, k_max_data);
        if (!message) {
            // After our public key, silence means nobody tapped "Allow" on the phone.
            if (sent_public_key && message.error().message == "the phone stopped answering") {
                return fail(ErrorCode::unreadable, k_not_allowed_reason);
            }
            return tl::unexpected(message.error());
        }
        if (message->command == k_cnxn) {
            m_banner = message->data.substr(0, message->data.find('\0'));
            if (message->arg1 < 4096) {
                return fail(ErrorCode::malformed, "the phone offered ADB messages of only " +
                                                      std::to_string(message->arg1) + " bytes");
            }
            m_max_data = std::min(k_max_data, message->arg1);
            m_transport->set_read_timeout(std::chrono::seconds(30));
            return {};
        }
        if (message->command == k_auth && message->arg0 == k_auth_token) {
            if (!signed_token) {
                DOCKSCAN_TRY_ASSIGN(std::string signature, key.sign_token(message->data));
                DOCKSCAN_TRY(send(k_auth, k_auth_signature, 0, std::move(signature)));
                signed_token = true;
                continue;
            }
            if (!sent_public_key) {
                // The phone does not know our key yet: offer it, and wait while the
                // phone asks the person holding it.
                DOCKSCAN_TRY(send(k_auth, k_auth_rsa_public_key, 0, key.android_public_key()));
                sent_public_key = true;
                m_transport->set_read_timeout(m_options.allow_timeout);
                if (m_options.on_waiting_for_allow) {
                    m_options.on_waiting_for_allow();
                }
                continue;
            }
            return fail(ErrorCode::unreadable, k_not_allowed_reason);
        }
        ++skipped;
    }
    return fail(ErrorCode::malformed, "the phone did not complete the ADB handshake");
}

std::string AdbConnection::banner_property(std::string_view name) const {
    const auto start = m_banner.find("::");
    std::string_view rest = start == std::string::npos
                                ? std::string_view()
                                : std::string_view(m_banner).substr(start + 2);
    while (!rest.empty()) {
        const auto end = rest.find(';');
        const std::string_view pair = rest.substr(0, end);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    return {};
}

Expected<AdbStream> AdbConnection::open(const std::string& service) {
    if (!m_broken.empty()) {
        return fail(ErrorCode::interrupted, m_broken);
    }
    const std::uint32_t id = m_next_id++;
    m_streams[id] = Stream{};
    AdbStream stream(*this, id);
    DOCKSCAN_TRY(send(k_open, id, 0, service + std::string(1, '\0')));
    while (m_streams.at(id).remote_id == 0 && !m_streams.at(id).remote_closed) {
        DOCKSCAN_TRY(pump());
    }
    if (m_streams.at(id).remote_id == 0) {
        return fail(ErrorCode::unsupported, "the phone refused the ADB service " +
                                                service.substr(0, service.find(':') + 1));
    }
    return stream;
}

Expected<std::string> AdbConnection::run(const std::string& command, std::size_t limit) {
    DOCKSCAN_TRY_ASSIGN(AdbStream stream, open("exec:" + command));
    std::string out;
    while (true) {
        DOCKSCAN_TRY_ASSIGN(std::string chunk, stream.read_some());
        if (chunk.empty()) {
            if (!m_broken.empty()) {
                return fail(ErrorCode::interrupted, m_broken);
            }
            return out;
        }
        if (out.size() + chunk.size() > limit) {
            return fail(ErrorCode::too_large,
                        "the phone's answer is over " + std::to_string(limit) + " bytes");
        }
        out += chunk;
    }
}

Expected<void> AdbConnection::send(std::uint32_t command, std::uint32_t arg0, std::uint32_t arg1,
                                   std::string data) {
    if (!m_broken.empty()) {
        return fail(ErrorCode::interrupted, m_broken);
    }
    auto sent = write_message(*m_transport, Message{command, arg0, arg1, std::move(data)});
    if (!sent) {
        return fail_connection(std::move(sent).error());
    }
    return {};
}

Expected<void> AdbConnection::fail_connection(Error error) {
    m_broken = error.message;
    for (auto& [id, stream] : m_streams) {
        stream.remote_closed = true;
    }
    return tl::unexpected(std::move(error));
}

Expected<void> AdbConnection::pump() {
    if (!m_broken.empty()) {
        return fail(ErrorCode::interrupted, m_broken);
    }
    auto message = read_message(*m_transport, m_max_data);
    if (!message) {
        return fail_connection(std::move(message).error());
    }
    const auto found = m_streams.find(message->arg1);
    switch (message->command) {
    case k_okay:
        if (found != m_streams.end()) {
            if (found->second.remote_id == 0) {
                found->second.remote_id = message->arg0;
            }
            found->second.write_acknowledged = true;
        }
        return {};
    case k_wrte:
        if (found == m_streams.end()) {
            return {}; // a stream we closed; the phone will see our CLSE
        }
        found->second.queued += message->data.size();
        if (found->second.queued > m_options.max_queued_bytes) {
            return fail_connection(
                Error{ErrorCode::malformed, "the phone sent more than it was asked for"});
        }
        if (!message->data.empty()) {
            found->second.inbound.push_back(std::move(message->data));
        } else {
            DOCKSCAN_TRY(send(k_okay, found->first, found->second.remote_id));
        }
        return {};
    case k_clse:
        if (found != m_streams.end()) {
            found->second.remote_closed = true;
        }
        return {};
    case k_cnxn:
        // adbd restarted on the phone: every stream of ours is gone.
        return fail_connection(Error{ErrorCode::interrupted, "the phone disconnected"});
    default:
        return {};
    }
}

void AdbConnection::close_stream(std::uint32_t local_id) {
    const auto found = m_streams.find(local_id);
    if (found == m_streams.end()) {
        return;
    }
    if (m_broken.empty() && found->second.remote_id != 0) {
        (void)send(k_clse, local_id, found->second.remote_id);
    }
    m_streams.erase(found);
}

} // namespace dockscan::docking::adb
