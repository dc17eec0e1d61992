// dockscan-analyse-file: one worker's analysis of each file given, as a scan runs it
// (ImageAnalyser::analyse: decode, then every pass), printing the outcome. For measuring
// one image's memory from outside: /usr/bin/time -v dockscan-analyse-file FILE.
//
//   dockscan-analyse-file FILE...
//
// Not a test: it prints what happened and leaves judging it to the reader.

#include "detectors/image/image_detector.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace image = dockscan::detectors::image;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs("usage: dockscan-analyse-file FILE...\n", stderr);
        return 2;
    }
    image::ImageAnalyser analyser{image::ImageOptions{}};
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        std::stringstream bytes;
        bytes << in.rdbuf();
        const auto signals = analyser.analyse(bytes.str());
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
