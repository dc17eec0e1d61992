#include "agent/sandbox/wire.hpp"

#include <cstring>
#include <optional>

namespace dockscan::agent::sandbox {
namespace {

class Out {
public:
    template <typename T>
    void number(T value) {
        char raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        m_bytes.append(raw, sizeof(T));
    }
    void text(std::string_view s) {
        number<std::uint64_t>(s.size());
        m_bytes.append(s);
    }
    void flag(bool b) { number<std::uint8_t>(b ? 1 : 0); }
    std::string take() { return std::move(m_bytes); }

private:
    std::string m_bytes;
};

class In {
public:
    explicit In(std::string_view bytes) : m_bytes(bytes) {}

    template <typename T>
    T number() {
        T value{};
        if (!m_ok || m_bytes.size() - m_at < sizeof(T)) {
            m_ok = false;
            return value;
        }
        std::memcpy(&value, m_bytes.data() + m_at, sizeof(T));
        m_at += sizeof(T);
        return value;
    }
    std::string text() {
        const auto size = number<std::uint64_t>();
        if (!m_ok || m_bytes.size() - m_at < size) {
            m_ok = false;
            return {};
        }
        std::string s(m_bytes.substr(m_at, size));
        m_at += size;
        return s;
    }
    bool flag() { return number<std::uint8_t>() != 0; }
    // An enum's value, refused when above `last`.
    template <typename E>
    E choice(E last) {
        const auto value = number<std::uint8_t>();
        if (value > static_cast<std::uint8_t>(last)) {
            m_ok = false;
        }
        return static_cast<E>(value);
    }

    // Everything read, and nothing left over.
    [[nodiscard]] bool done() const { return m_ok && m_at == m_bytes.size(); }

private:
    std::string_view m_bytes;
    std::size_t m_at = 0;
    bool m_ok = true;
};

std::string malformed(std::string_view what) {
    return "the analysis worker's " + std::string(what) + " could not be read";
}

void put_text_options(Out& out, const detectors::TextOptions& o) {
    out.number(o.min_confidence);
    out.number<std::int32_t>(o.today.year);
    out.number<std::int32_t>(o.today.month);
    out.number<std::int32_t>(o.today.day);
    out.number(static_cast<std::uint8_t>(o.source));
    out.number(static_cast<std::uint8_t>(o.repeats));
}

detectors::TextOptions get_text_options(In& in) {
    detectors::TextOptions o;
    o.min_confidence = in.number<double>();
    o.today.year = in.number<std::int32_t>();
    o.today.month = in.number<std::int32_t>();
    o.today.day = in.number<std::int32_t>();
    o.source = in.choice(detectors::TextSource::ocr);
    o.repeats = in.choice(detectors::Repeats::counted);
    return o;
}

template <typename T>
void put_optional(Out& out, const std::optional<T>& value) {
    out.flag(value.has_value());
    if (value) {
        out.number(*value);
    }
}

template <typename T>
std::optional<T> get_optional(In& in) {
    if (!in.flag()) {
        return std::nullopt;
    }
    return in.number<T>();
}

} // namespace

std::string encode_setup(const WorkerSetup& setup) {
    Out out;
    put_text_options(out, setup.analysis.text);
    put_text_options(out, setup.analysis.image.text);
    out.number(static_cast<std::uint8_t>(setup.analysis.image.ocr));
    out.text(setup.analysis.image.ocr_languages);
    out.text(setup.analysis.image.tessdata);
    out.text(setup.analysis.image.models);
    out.number(setup.memory_allowance);
    out.flag(setup.test_triggers);
    return out.take();
}

Expected<WorkerSetup> decode_setup(std::string_view bytes) {
    In in(bytes);
    WorkerSetup setup;
    setup.analysis.text = get_text_options(in);
    setup.analysis.image.text = get_text_options(in);
    setup.analysis.image.ocr = in.choice(detectors::image::Ocr::disabled);
    setup.analysis.image.ocr_languages = in.text();
    setup.analysis.image.tessdata = in.text();
    setup.analysis.image.models = in.text();
    setup.memory_allowance = in.number<std::uint64_t>();
    setup.test_triggers = in.flag();
    if (!in.done()) {
        return fail(ErrorCode::internal, malformed("setup"));
    }
    return setup;
}

std::string encode_request(const docking::ItemInfo& info, const docking::ItemContent& content) {
    Out out;
    out.number(static_cast<std::uint8_t>(info.type));
    out.text(info.ref);
    out.number(info.size);
    out.number(info.mtime);
    out.text(info.label);
    out.flag(info.photo_hints.has_value());
    if (info.photo_hints) {
        put_optional(out, info.photo_hints->screenshot);
        put_optional(out, info.photo_hints->faces);
    }
    out.number(static_cast<std::uint8_t>(content.kind));
    out.text(content.data);
    out.flag(content.name.has_value());
    if (content.name) {
        out.text(content.name->given);
        out.text(content.name->family);
        out.text(content.name->formatted);
    }
    return out.take();
}

Expected<ItemRequest> decode_request(std::string_view bytes) {
    In in(bytes);
    ItemRequest r{docking::ItemInfo{docking::ItemType::file, {}, 0, 0, {}}, docking::ItemContent{}};
    r.info.type = in.choice(docking::ItemType::file);
    r.info.ref = in.text();
    r.info.size = in.number<std::uint64_t>();
    r.info.mtime = in.number<std::int64_t>();
    r.info.label = in.text();
    if (in.flag()) {
        docking::PhotoHints hints;
        hints.screenshot = get_optional<bool>(in);
        hints.faces = get_optional<std::uint32_t>(in);
        r.info.photo_hints = hints;
    }
    r.content.kind = in.choice(docking::ContentKind::image);
    r.content.data = in.text();
    if (in.flag()) {
        docking::PersonName name;
        name.given = in.text();
        name.family = in.text();
        name.formatted = in.text();
        r.content.name = std::move(name);
    }
    if (!in.done()) {
        return fail(ErrorCode::internal, malformed("request"));
    }
    return r;
}

std::string encode_reply(const AnalysedItem& item) {
    Out out;
    out.text(item.error);
    out.number<std::uint64_t>(item.findings_over_cap);
    out.number<std::uint64_t>(item.findings.size());
    for (const PendingFinding& p : item.findings) {
        const NewFinding& f = p.finding;
        out.text(f.kind);
        out.text(f.category);
        out.text(f.severity);
        out.number(f.confidence);
        out.text(f.masked);
        out.text(f.excerpt);
        out.text(f.detector);
        out.number(f.start);
        out.number(f.end);
        out.number(f.occurrences);
        out.flag(f.thumbnail.has_value());
        if (f.thumbnail) {
            out.text(f.thumbnail->jpeg);
            out.number<std::int32_t>(f.thumbnail->width);
            out.number<std::int32_t>(f.thumbnail->height);
        }
        out.text(p.normalized);
    }
    return out.take();
}

Expected<void> decode_reply(std::string_view bytes, AnalysedItem& into) {
    In in(bytes);
    into.error = in.text();
    into.findings_over_cap = in.number<std::uint64_t>();
    const auto count = in.number<std::uint64_t>();
    // Each finding takes well over 8 bytes: a count past that is not a real one.
    if (count > bytes.size() / 8) {
        return fail(ErrorCode::internal, malformed("answer"));
    }
    into.findings.clear();
    for (std::uint64_t i = 0; i < count; ++i) {
        PendingFinding p;
        NewFinding& f = p.finding;
        f.kind = in.text();
        f.category = in.text();
        f.severity = in.text();
        f.confidence = in.number<double>();
        f.masked = in.text();
        f.excerpt = in.text();
        f.detector = in.text();
        f.start = in.number<std::int64_t>();
        f.end = in.number<std::int64_t>();
        f.occurrences = in.number<std::int64_t>();
        if (in.flag()) {
            Thumbnail t;
            t.jpeg = in.text();
            t.width = in.number<std::int32_t>();
            t.height = in.number<std::int32_t>();
            f.thumbnail = std::move(t);
        }
        p.normalized = in.text();
        into.findings.push_back(std::move(p));
    }
    if (!in.done()) {
        return fail(ErrorCode::internal, malformed("answer"));
    }
    return {};
}

std::string encode_ready(const std::string& problem) {
    Out out;
    out.text(problem);
    return out.take();
}

Expected<std::string> decode_ready(std::string_view bytes) {
    In in(bytes);
    std::string problem = in.text();
    if (!in.done()) {
        return fail(ErrorCode::internal, malformed("greeting"));
    }
    return problem;
}

} // namespace dockscan::agent::sandbox
