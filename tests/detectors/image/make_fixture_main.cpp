// Writes the generated test images to a folder, for looking at them and for trying
// `dockscan inspect` by hand: dockscan-make-test-images DIR. With --hostile, the files
// of issue 16's memory measurement instead (tests/bench/README.md): a 99.99 MP PNG, a
// 108 MP JPEG, a HEIC claiming 200 MP, one whose thumbnail claims a 32000x32400 grid,
// a 48 MP photo of a page as a phone writes it (a grid of 512 px tiles) and as one
// HEVC frame.

#include "tests/detectors/image/fixtures.hpp"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    const bool hostile = argc == 3 && std::string(argv[1]) == "--hostile";
    if (argc != 2 && !hostile) {
        std::fputs("usage: dockscan-make-test-images [--hostile] DIR\n", stderr);
        return 2;
    }
    namespace ti = dockscan::test_images;
    const std::string dir = argv[hostile ? 2 : 1];
    auto write = [&](const std::string& name, const std::string& bytes) {
        std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    };
    if (hostile) {
        write("png-99mp.png", ti::large_png(10000, 9999));
        write("png-99mp-adam7.png", ti::large_png(10000, 9999, ti::Interlace::adam7));
        write("jpeg-108mp.jpg", ti::large_gray_jpeg(12000, 9000));
        const std::string heic = ti::scene_photo_heic(4000, 3000, 7);
        write("heic-12mp.heic", heic);
        write("heic-claims-200mp.heic", ti::with_claimed_size(heic, 4000, 3000, 16320, 12240));
        write("heic-thumbnail-claims-grid.heic",
              ti::with_claimed_size(heic, 320, 240, 32000, 32400));
        const std::string jpeg = ti::scene_photo_jpeg(4000, 3000, 7);
        write("jpeg-12mp-cut.jpg", jpeg.substr(0, jpeg.size() * 2 / 5));
        // Its first 20 KB with the frame header saying 65500x65500.
        std::string claims = jpeg.substr(0, 20000);
        claims.replace(claims.find("\xff\xc0") + 5, 4, "\xff\xdc\xff\xdc");
        write("jpeg-claims-65500.jpg", claims);
        const std::vector<std::string> page = {"KALLELSE", "Namn: Anna Andersson",
                                               "Personnummer: 19450411-8359",
                                               "Tid: 14 maj kl 10.30"};
        write("heic-48mp-grid.heic", ti::document_photo_heic_grid(page, 8000, 6000, 1));
        write("heic-48mp-frame.heic", ti::document_photo_heic(page, 8000, 6000, 1));
        return 0;
    }
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
