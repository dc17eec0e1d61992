// Writes the generated test images to a folder, for looking at them and for trying
// `dockscan inspect` by hand: dockscan-make-test-images DIR.

#include "tests/detectors/image/fixtures.hpp"

#include <cstdio>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fputs("usage: dockscan-make-test-images DIR\n", stderr);
        return 2;
    }
    namespace ti = dockscan::test_images;
    const std::string dir = argv[1];
    auto write = [&](const std::string& name, const std::string& bytes) {
        std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    };
    write("document.jpg", ti::document_photo_jpeg(
                              {"KALLELSE", "Namn: Anna Andersson", "Personnummer: 19450411-8359",
                               "Tid: 14 maj kl 10.30", "Mottagning: Vardcentralen"},
                              2400, 1800, 1));
    write("medication-list.jpg",
          ti::page_closeup_jpeg(
              {"LAKEMEDELSLISTA", "Patient: Anna Andersson", "Personnummer: 19450411-8359",
               "Alvedon 500 mg 1x3", "Omeprazol 20 mg 1x1", "Waran 2,5 mg enl. schema",
               "Furix 40 mg 1 morgon", "Sobril 10 mg vid behov", "Trombyl 75 mg 1x1",
               "Kalcipos-D 1x2", "Movicol 1 dospase", "Ordinerad av: Dr Berg"},
              4000, 3000, 3));
    write("chat.png", ti::chat_screenshot_png({"Hej! Har ar pnr till Olle", "19450411-8359",
                                               "Tack, jag ringer imorgon"}));
    write("chat.heic", ti::chat_screenshot_heic({"Hej! Har ar pnr till Olle", "19450411-8359"}));
    write("scene.jpg", ti::scene_photo_jpeg(4000, 3000, 7));
    return 0;
}
