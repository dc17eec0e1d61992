#include "agent/demo/demo_phone.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <system_error>

namespace dockscan::agent {
namespace {

// SMS Backup & Restore export: what most Android users have. Dates in milliseconds.
// type 1 = received, 2 = sent.
constexpr const char* k_sms_export = R"xml(<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="9" backup_set="demo" backup_date="1795199400000" type="full">
  <sms protocol="0" address="+46701234501" date="1795158600000" type="1" body="Hej! Här kommer uppgifterna till Bengts nya recept: Bengt Andersson, personnummer 450411-8359. Hälsningar Karin, god man" read="1" status="-1" contact_name="Karin god man" />
  <sms protocol="0" address="+46701234502" date="1795161720000" type="1" body="Hej det är Saras mamma. Hennes personnummer är 120506-2399 om ni behöver det till korttidsboendet." read="1" status="-1" contact_name="(Unknown)" />
  <sms protocol="0" address="+46701234503" date="1795167900000" type="1" body="Såret på höger underben ser bättre ut idag. Ring mig på 070-123 45 67 om det börjar blöda igen. /Maria ssk" read="1" status="-1" contact_name="Maria SSK" />
  <sms protocol="0" address="+46701234504" date="1795173600000" type="2" body="Portkoden till Storgatan 12 är 4512, nyckeln ligger i nyckelskåpet." read="1" status="-1" contact_name="Ali" />
  <sms protocol="0" address="+46701234505" date="1795176300000" type="1" body="Kan du byta pass med mig på fredag? Ring 0701234567 så pratar vi." read="1" status="-1" contact_name="Johanna" />
  <sms protocol="0" address="+46701234506" date="1795182000000" type="1" body="Faktura från Omsorgsteknik AB, org.nr 556677-8899, OCR 4512039876543, förfaller 2026-12-15." read="1" status="-1" contact_name="(Unknown)" />
  <sms protocol="0" address="+46701234507" date="1795187520000" type="1" body="hej jag heter Elias och mitt personnr är 19870328-2395, jag behöver prata med min handläggare" read="1" status="-1" contact_name="(Unknown)" />
  <sms protocol="0" address="+46701234508" date="1795192200000" type="1" body="Ny brukare från måndag, samordningsnummer 800166-2397, tolk behövs." read="1" status="-1" contact_name="Planeringen" />
  <sms protocol="0" address="+46701234509" date="1795197300000" type="2" body="Tack, jag tar det på APT på torsdag kl 13.30." read="1" status="-1" contact_name="Planeringen" />
</smses>
)xml";

constexpr const char* k_note = "Överlämning kvällspasset 20/11\n"
                               "Gunnar (pnr 19320102-7723) har fått ny medicin, se listan i "
                               "pärmen. Ring dottern på 08-123 456 78 om han inte äter.\n"
                               "Larmet i trapphus B fungerar inte, felanmält 070-765 43 21.\n";

constexpr const char* k_contacts = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lindqvist;Karin;;;\r\n"
                                   "FN:Karin Lindqvist\r\nTEL;TYPE=CELL:+46701234501\r\n"
                                   "NOTE:God man för Bengt 450411-8359\r\nEND:VCARD\r\n"
                                   "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Maria SSK;;;\r\n"
                                   "FN:Maria SSK\r\nTEL;TYPE=CELL:+46701234503\r\nEND:VCARD\r\n"
                                   "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Planeringen;;;\r\n"
                                   "FN:Planeringen\r\nTEL;TYPE=WORK:+46701234508\r\nEND:VCARD\r\n";

Expected<void> write(const std::filesystem::path& path, const std::string& content) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
        return fail(ErrorCode::input, "cannot write " + path.string());
    }
    return {};
}

} // namespace

std::vector<std::string> demo_identity_numbers() {
    return {"194504118359", "201205062399", "198703282395",
            "198001662397", "193201027723", "195511082660"};
}

Expected<void> write_demo_phone(const std::filesystem::path& folder) {
    std::error_code ec;
    if (std::filesystem::exists(folder, ec)) {
        return fail(ErrorCode::usage, folder.string() + " exists already");
    }
    DOCKSCAN_TRY(write(folder / "SMSBackupRestore" / "sms-20261120183000.xml", k_sms_export));
    DOCKSCAN_TRY(write(folder / "Documents" / "overlamning.txt", k_note));
    DOCKSCAN_TRY(write(folder / "Download" / "kontakter.vcf", k_contacts));
    DOCKSCAN_TRY(write(folder / "DCIM" / "Camera" / "IMG_20261120_140200.png",
                       demo_gradient_png(320, 240, 90)));
    DOCKSCAN_TRY(write(folder / "DCIM" / "Camera" / "IMG_20261120_151533.png",
                       demo_gradient_png(240, 320, 160)));
    DOCKSCAN_TRY_ASSIGN(const std::string list, demo_medication_list_photo());
    DOCKSCAN_TRY(write(folder / "DCIM" / "Camera" / "IMG_20261120_171204.jpg", list));
    return {};
}

} // namespace dockscan::agent
