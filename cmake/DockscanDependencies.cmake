# Every third-party library comes from Debian's packages (scripts/install-deps).
# Each is found once here and linked PRIVATE by the one module that wraps it.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(OpenSSL REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(tl-expected REQUIRED)
find_package(spdlog REQUIRED)
find_package(pugixml REQUIRED)
find_package(ZLIB REQUIRED)
find_package(LibArchive REQUIRED)
pkg_check_modules(PLIST REQUIRED IMPORTED_TARGET libplist-2.0)
# The PDF report: pango lays text out, cairo draws the pages (agent/report/pdf_canvas.cpp).
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo cairo-pdf)
# Image detectors (detectors/image). From OpenCV only core, imgproc and objdetect are
# linked: imgcodecs pulls GDAL and with it the system libsqlite3 (see ARCHITECTURE.md).
find_package(OpenCV REQUIRED COMPONENTS core imgproc objdetect)
pkg_check_modules(TURBOJPEG REQUIRED IMPORTED_TARGET libturbojpeg)
pkg_check_modules(SPNG REQUIRED IMPORTED_TARGET spng)
pkg_check_modules(HEIF REQUIRED IMPORTED_TARGET libheif)
# libheif's HEVC decoder, used directly for the tiles of a grid (detectors/image/hevc_decoder.cpp).
pkg_check_modules(DE265 REQUIRED IMPORTED_TARGET libde265)
pkg_check_modules(TESSERACT REQUIRED IMPORTED_TARGET tesseract lept)
# Tesseract's OpenMP runtime, to keep OCR to one thread per worker (ocr_tesseract.cpp).
find_package(OpenMP REQUIRED COMPONENTS CXX)
# Barcodes and QR codes in photos (detectors/image).
pkg_check_modules(ZXING REQUIRED IMPORTED_TARGET zxing)
# The docking daemon: USB hotplug and ADB's USB transport (docking/usb), iPhones through
# usbmuxd and lockdownd (docking/ios_device), its TOML config, sd_notify, status LEDs.
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
pkg_check_modules(IMOBILEDEVICE REQUIRED IMPORTED_TARGET libimobiledevice-1.0)
pkg_check_modules(TOMLPLUSPLUS REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
pkg_check_modules(GPIOD REQUIRED IMPORTED_TARGET libgpiod)
# The analysis workers' system-call filter (agent/sandbox).
pkg_check_modules(SECCOMP REQUIRED IMPORTED_TARGET libseccomp)
# The face and person networks run through OpenCV's dnn module (detectors/image), with
# models from npm packages that scripts/install-deps installs into this folder.
find_package(OpenCV REQUIRED COMPONENTS dnn)
set(DOCKSCAN_MODELS_DIR "/usr/share/dockscan/models" CACHE PATH
    "Folder of the face and person models (scripts/install-deps installs them there)")
