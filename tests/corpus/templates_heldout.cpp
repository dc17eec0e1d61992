// The held-out template set: written before the detector was tuned, with other
// situations and phrasing than the dev set, and never tuned on. Only for measuring.

#include "tests/corpus/templates.hpp"

namespace dockscan::corpus {

extern const std::span<const Template> k_heldout_templates;

namespace {

constexpr Template k_heldout[] = {
    // Överförmyndare, korttidsboende, färdtjänst, SÄBO.
    {"god_man", "Överförmyndaren behöver {first} {last}s pers.nr, det är {pnr}. Tack på "
                "förhand!"},
    {"hemtjanst", "Hej hej! Skriver från korttids. {name} kom in igår, p-nr {pnr_old}, pratar "
                  "lite svenska."},
    {"hemtjanst", "Färdtjänsten har hört av sig, tillståndet för {first} ({pnr_plain}) har gått "
                  "ut. Slå en signal till dem på {landline}."},
    {"parent", "Morsan till {first} här. Ni kan nå mig på {mobile} hela dagen"},
    {"lss", "Hennes id-nummer: {samnr}\nAdress: {street}, {postcode} {city}"},
    {"hemtjanst", "SÄBO {unit}: ny boende i rum {room}, {name}, personnumret {pnr}."},
    {"parent", "Till förskolan: {first} {last} {pnr_child} hämtas av farmor idag."},
    {"parent", "Skolsköterskan undrar över {first}s vaccin. Pers nr {pnr_0708}. Svara gärna "
               "här."},
    {"ifo", "Handläggare bistånd: beslutet för {name} skickas hem. Dnr {case}"},
    {"nurse", "Ambulansen hämtade {first} {time}. Personnr {pnr_bad} enligt papperen, stämmer "
              "det?"},
    {"other", "1177: Du har en bokad tid {date} {time}. Avboka senast dagen innan. Frågor: "
              "{landline}"},
    {"other", "Swish mottagen {amount} från {name}, meddelande: hyra {date}."},
    {"hemtjanst", "Nya schemat är ute. Byt gärna med mig, sms:a {mobile_bare}"},
    {"other", "Din beställning #{orderno} har levererats till {street}."},
    {"other", "Kontoutdrag: saldo {amount}. Betalning till {org} genomförd, ref {ocr}."},
    {"other", "Påminnelse: faktura {ocr} är förfallen. Betala till bg {bg} snarast."},
    {"other", "{first} fyller år {date}! Vi samlar till en present, swish {mobile}"},
    {"lss", "Han har interimsnummer {interim} tills Skatteverket är klara."},
    {"nurse", "Kopia av kallelsen:\nPatient: {name}\nPersonnummer: {pnr}\nTid: {date} "
              "{time}\nMottagningens tel: {landline}"},
    {"hemtjanst", "Har ringt {landline} tre gånger utan svar. Kan du försöka?"},
    {"hemtjanst", "Hej det är {first}, jobbmobilen är {mobile_bare} från idag"},
    {"nurse", "Läkemedelslistan för {name} ({pnr_plain}) ligger i pärmen på kontoret."},
    {"parent", "Lillebror {first} född {pnr_child}, hälsningar mormor"},
    {"other", "Hyresavi {ocr}, lägenhet {doorcode}, att betala {amount}."},
    {"hemtjanst", "Koden till nyckelgömman hos {first} är {doorcode}. Hissen är trasig."},
    {"lss", "Assistansersättning för {first}, samordn.nr {samnr}, ansökan skickad {date}."},
    {"ifo", "Pappan ringer från {mobile}, säger att {first} ({pnr_child}) inte kommit hem."},
    {"ifo", "Bifogar uppgifterna:\nNamn: {name}\nPnr: {pnr}\nTel: {mobile}"},
    {"parent", "Min son {first} har personnr {pnr_0708} och behöver ett intyg till skolan."},
    {"ifo", "Mamman uppger {pnr_bad} som dotterns personnummer men det verkar fel"},
    {"ifo", "Klientens samordningsnummer är {samnr} enligt Migrationsverket."},
    {"other", "Folktandvården: {name} har tid {date}. Frågor? {landline}"},
    {"other", "Order {orderno} bekräftad, leverans {date}. Kundnummer {custno}"},
    {"other", "Tack för din betalning på {amount}. Kvittonummer {ocr}."},
    {"other", "Hej! Postnummer {postcode}, portkod {doorcode}, 3 tr. Välkommen!"},
    {"hemtjanst", "Vikarie {first} {last}, mobil {mobile}, jobbar natt {date}."},
    {"god_man", "Banken vill ha hans personnummer {pnr} eftersom han saknar BankID."},
    {"hemtjanst", "Tråkiga nyheter, {name} {pnr_old} somnade in i natt. Anhöriga är "
                  "underrättade."},
    {"other", "Glasögonen till {first} är klara hos optikern, ordernr {orderno}."},
    {"other", "Försäkringskassan: ditt ärende {case} är handlagt."},
    {"hemtjanst", "{first} {last}, {pnr_plain}, har flyttat till {street}, {postcode} {city}."},
    {"other", "Lägenhet {doorcode}, uppgång B. Larmcentralen {landline}."},
    {"other", "Har skickat {amount} till bankgiro {bg} med OCR {ocr}, stämmer det?"},
    {"lss", "{first} har ny tandläkartid {date}, hör av dig på {mobile_bare} om ni inte kan "
            "följa med."},
    {"nurse", "Interimistiskt nr från akuten: {interim}"},
    {"ifo", "Skatteverket har gett {first} samordningsnumret {samnr}."},
    {"other", "Tel.nr till boendet: {landline}"},
    {"hemtjanst", "Hej, kan du byta till {date}? //{first} {mobile}"},
    {"other", "Leverans från {org}, följesedel {orderno}."},
    {"ifo", "Socialsekreterare {name}\nDirektnummer {landline}\nMobil {mobile}"},
    {"parent", "Ni får ringa farmor om jag inte svarar: {mobile_bare}"},
    {"nurse", "Provsvar för {name}, {pnr}: Hb 128. Ingen åtgärd."},
    {"god_man", "Skickar {first}s uppgifter som ni bad om: {pnr_plain}, {street}, {postcode} "
                "{city}"},
};

} // namespace

const std::span<const Template> k_heldout_templates{k_heldout};

} // namespace dockscan::corpus
