#include "agent/daemon/script_events.hpp"

#include "agent/daemon/unix_socket.hpp"

#include <deque>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <vector>

namespace dockscan::agent::daemon {
namespace {

using docking::DockEvent;
using docking::PhoneKind;

constexpr std::size_t k_max_line = 4096;
constexpr std::size_t k_max_clients = 8;

class ScriptEvents final : public docking::DockEventSource {
public:
    ScriptEvents(std::filesystem::path path, Fd listener)
        : m_path(std::move(path)), m_listener(std::move(listener)) {}
    ~ScriptEvents() override { ::unlink(m_path.c_str()); }

    docking::Expected<std::optional<DockEvent>> next(std::chrono::milliseconds timeout,
                                                     std::stop_token stop) override {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (m_events.empty() && !stop.stop_requested()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                break;
            }
            poll_once(std::min<std::chrono::milliseconds>(left, std::chrono::milliseconds(100)));
        }
        if (m_events.empty() || stop.stop_requested()) {
            return std::nullopt;
        }
        DockEvent event = std::move(m_events.front());
        m_events.pop_front();
        return event;
    }

private:
    struct Client {
        Fd fd;
        std::string buffer;
    };

    void poll_once(std::chrono::milliseconds wait) {
        std::vector<pollfd> fds;
        fds.push_back({m_listener.get(), POLLIN, 0});
        for (const Client& c : m_clients) {
            fds.push_back({c.fd.get(), POLLIN, 0});
        }
        if (::poll(fds.data(), fds.size(), static_cast<int>(wait.count())) <= 0) {
            return;
        }
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            Client& c = m_clients[i - 1];
            char chunk[4096];
            const ssize_t n = ::read(c.fd.get(), chunk, sizeof chunk);
            if (n <= 0) {
                c.fd = Fd();
                continue;
            }
            c.buffer.append(chunk, static_cast<std::size_t>(n));
            take_lines(c);
        }
        std::erase_if(m_clients, [](const Client& c) { return !c.fd; });
        while (auto client = accept_client(m_listener)) {
            if (m_clients.size() < k_max_clients) {
                m_clients.push_back(Client{std::move(*client), {}});
            }
        }
    }

    void take_lines(Client& c) {
        std::size_t nl = 0;
        while ((nl = c.buffer.find('\n')) != std::string::npos) {
            const std::string line = c.buffer.substr(0, nl);
            c.buffer.erase(0, nl + 1);
            if (line.find_first_not_of(" \t\r") == std::string::npos) {
                continue;
            }
            auto event = parse_script_event(line);
            if (!event) {
                spdlog::warn("dock event script: ignored a line: {}", event.error().message);
                continue;
            }
            m_events.push_back(std::move(*event));
        }
        if (c.buffer.size() > k_max_line) {
            spdlog::warn("dock event script: a line longer than {} bytes; client dropped",
                         k_max_line);
            c.fd = Fd();
        }
    }

    std::filesystem::path m_path;
    Fd m_listener;
    std::vector<Client> m_clients;
    std::deque<DockEvent> m_events;
};

} // namespace

docking::Expected<DockEvent> parse_script_event(std::string_view line) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) {
        return docking::fail(docking::ErrorCode::malformed, "not a JSON object");
    }
    auto text = [&](const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    DockEvent event;
    const std::string type = text("event");
    if (type == "arrived") {
        event.type = DockEvent::Type::arrived;
    } else if (type == "left") {
        event.type = DockEvent::Type::left;
    } else {
        return docking::fail(docking::ErrorCode::malformed,
                             "\"event\" must be \"arrived\" or \"left\"");
    }
    event.port = text("port");
    if (event.port.empty()) {
        return docking::fail(docking::ErrorCode::malformed, "\"port\" is missing");
    }
    if (event.type == DockEvent::Type::left) {
        return event;
    }
    const std::string kind = text("kind");
    if (kind == "adb" || kind.empty()) {
        event.kind = PhoneKind::android_adb;
    } else if (kind == "iphone") {
        event.kind = PhoneKind::iphone;
        event.vendor = 0x05ac;
    } else {
        return docking::fail(docking::ErrorCode::malformed,
                             "\"kind\" must be \"adb\" or \"iphone\"");
    }
    event.serial = text("serial");
    event.endpoint = text("endpoint");
    return event;
}

Expected<std::unique_ptr<docking::DockEventSource>>
open_script_events(const std::filesystem::path& path) {
    DOCKSCAN_TRY_ASSIGN(Fd listener, listen_unix(path, 0600));
    return std::unique_ptr<docking::DockEventSource>(
        std::make_unique<ScriptEvents>(path, std::move(listener)));
}

} // namespace dockscan::agent::daemon
