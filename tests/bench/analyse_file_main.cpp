// dockscan-analyse-file: one worker's analysis of each file given, as a scan runs it
// (ImageAnalyser::analyse: decode, then every pass), printing the outcome. For measuring
// one image's memory from outside: /usr/bin/time -v dockscan-analyse-file FILE.
//
//   dockscan-analyse-file FILE...
//
// Not a test: it prints what happened and leaves judging it to the reader.

#include "detectors/image/image_detector.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

namespace image = dockscan::detectors::image;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs("usage: dockscan-analyse-file FILE...\n", stderr);
        return 2;
    }
    image::ImageAnalyser analyser{image::ImageOptions{}};
    for (int i = 1; i < argc; ++i) {
        // One copy of the file, as the scan holds an item's bytes: a stringstream would
        // add two more to the figure.
        std::ifstream in(argv[i], std::ios::binary | std::ios::ate);
        std::string bytes(static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0)), '\0');
        in.seekg(0);
        in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const auto signals = analyser.analyse(bytes);
        if (signals) {
            std::printf("%s: analysed, %zu signals\n", argv[i], signals->size());
        } else {
            std::printf("%s: error %s: %s\n", argv[i],
                        std::string(image::to_string(signals.error().code)).c_str(),
                        signals.error().message.c_str());
        }
    }
    return 0;
}
