#include "agent/cli/cli_common.hpp"
#include "agent/cli/commands.hpp"
#include "agent/cli/inspect_input.hpp"
#include "agent/cli/json_output.hpp"
#include "agent/scan/analysis.hpp"
#include "base/text.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

namespace dockscan::agent {
namespace {

struct InspectArgs {
    bool jsonl = false;
    std::string text;
    std::vector<std::string> paths;
};

// A line longer than this is refused rather than analysed.
constexpr std::size_t k_max_line_bytes = 16u << 20;

Json findings_json(const std::vector<detectors::Signal>& signals) {
    Json array = Json::array();
    for (const detectors::Signal& s : signals) {
        array.push_back(signal_json(s));
    }
    return array;
}

// One JSON line in, one JSON line out; a bad line is an error line, never the end.
Json inspect_line(const std::string& line, const AnalysisOptions& options,
                  detectors::image::ImageAnalyser& images) {
    Json out;
    if (line.size() > k_max_line_bytes) {
        out["id"] = nullptr;
        out["error"] = "line longer than 16 MiB";
        return out;
    }
    const Json in = Json::parse(line, nullptr, false);
    if (in.is_discarded() || !in.is_object()) {
        out["id"] = nullptr;
        out["error"] = "not a JSON object";
        return out;
    }
    out["id"] = in.contains("id") ? in["id"] : Json(nullptr);
    if (in.contains("text")) {
        if (!in["text"].is_string()) {
            out["error"] = "\"text\" must be a string";
            return out;
        }
        const std::string text = base::to_valid_utf8(in["text"].get<std::string>());
        out["findings"] = findings_json(detect_in_text(text, options));
        return out;
    }
    if (in.contains("path")) {
        if (!in["path"].is_string()) {
            out["error"] = "\"path\" must be a string";
            return out;
        }
        auto signals = inspect_file(in["path"].get<std::string>(), options, images);
        if (!signals) {
            out["error"] = signals.error().message;
        } else {
            out["findings"] = findings_json(*signals);
        }
        return out;
    }
    out["error"] = "expected \"text\" or \"path\"";
    return out;
}

int run_jsonl(const AnalysisOptions& options) {
    // One analyser for the whole run: its OCR engine is loaded once, on first use.
    detectors::image::ImageAnalyser images(options.image);
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty() || line == "\r") {
            continue;
        }
        std::fputs(inspect_line(line, options, images)
                       .dump(-1, ' ', false, Json::error_handler_t::replace)
                       .c_str(),
                   stdout);
        std::fputc('\n', stdout);
        // Callers feed us line by line and wait for each answer.
        std::fflush(stdout);
    }
    return 0;
}

void print_signals(const std::string& what, const std::vector<detectors::Signal>& signals) {
    if (signals.empty()) {
        std::printf("%s: no findings\n", what.c_str());
        return;
    }
    for (const detectors::Signal& s : signals) {
        if (s.box) {
            std::printf("%s: %s %s (confidence %.2f, box %d,%d %dx%d)\n", what.c_str(),
                        std::string(detectors::to_string(s.kind)).c_str(), s.masked.c_str(),
                        s.confidence, s.box->x, s.box->y, s.box->width, s.box->height);
            continue;
        }
        std::printf("%s: %s %s (confidence %.2f, bytes %zu-%zu)\n", what.c_str(),
                    std::string(detectors::to_string(s.kind)).c_str(), s.masked.c_str(),
                    s.confidence, s.start, s.end);
    }
}

int run(const InspectArgs& args) {
    const AnalysisOptions options;
    if (auto models = detectors::image::check_models(options.image); !models) {
        return report(Error{ErrorCode::config, models.error().message});
    }
    if (args.jsonl) {
        return run_jsonl(options);
    }
    if (args.paths.empty() && args.text.empty()) {
        std::fputs("dockscan: give PATH..., --text or --jsonl\n", stderr);
        return 2;
    }
    int code = 0;
    if (!args.text.empty()) {
        print_signals("text", detect_in_text(base::to_valid_utf8(args.text), options));
    }
    detectors::image::ImageAnalyser images(options.image);
    for (const std::string& path : args.paths) {
        auto signals = inspect_file(path, options, images);
        if (!signals) {
            std::fprintf(stderr, "dockscan: %s: %s\n", path.c_str(),
                         signals.error().message.c_str());
            code = 1;
            continue;
        }
        print_signals(path, *signals);
    }
    return code;
}

} // namespace

void add_inspect_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand(
        "inspect", "Run the detectors on files or text, without a store (nothing is recorded)");
    auto args = std::make_shared<InspectArgs>();
    cmd->add_flag("--jsonl", args->jsonl,
                  "Read JSON lines {\"id\", \"text\"|\"path\"} from stdin, write one result line "
                  "for each");
    cmd->add_option("--text", args->text, "A text to inspect");
    cmd->add_option("PATH", args->paths, "Files to inspect");
    cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

} // namespace dockscan::agent
