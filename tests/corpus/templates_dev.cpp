// The dev template set: the detector is tuned on these.

#include "tests/corpus/templates.hpp"

namespace dockscan::corpus {

extern const std::span<const Template> k_dev_templates;

namespace {

constexpr Template k_dev[] = {
    // A guardian (god man) writes to staff.
    {"god_man", "Hej! Det är {name}, god man för {first}. Hans personnummer är {pnr} om ni "
                "behöver det till apoteket."},
    {"god_man", "Hej, jag är ny god man för {name} ({pnr_plain}). Nås bäst på {mobile}."},
    {"god_man", "Kan ni skicka fakturan till mig? Gäller {first} {last}, pnr {pnr}. Mitt nr "
                "{mobile}"},
    {"god_man", "Hej, angående {first}: brev från Försäkringskassan, ärende {case}. Personnr: "
                "{pnr}"},
    {"god_man", "Hyran för {first} är betald, bg {bg}, ocr {ocr}. Mvh {name}, god man"},
    {"god_man", "Samordningsnummer för {first} är {samnr}, hon har inte fått personnummer än."},
    {"god_man", "Ring mig på {mobile} ang. {first}s ansökan. /{name} god man"},
    {"god_man", "Hej! {name} {pnr_plain} behöver nya glasögon, jag betalar. {first}"},
    // Parents.
    {"parent", "Hej! {first}s personnummer är {pnr_child}. Hon ska på läkarbesök {date} kl "
               "{time}."},
    {"parent", "Hej, {first} har feber idag. Hans pnr: {pnr_0708} om ni behöver ringa "
               "vårdcentralen."},
    {"parent", "Pappa till {first} här, mitt nummer är {mobile_bare}. Ring om något händer."},
    {"parent", "{first} född {pnr_child}, allergisk mot nötter."},
    {"parent", "Vi har bytt nummer! Nytt nummer: {mobile}. Hälsningar {name}"},
    {"parent", "Personnumret till {first} är {pnr_0708}, skriv in det på blanketten tack"},
    {"parent", "Hej, kan du ringa {mobile_bare} efter {time}? Det gäller {first}."},
    // Nurses (sjuksköterska) and health care.
    {"nurse", "Såret på {name}s vänstra ben ser bättre ut. Pnr {pnr_old}. Ny omläggning "
              "{date}."},
    {"nurse", "Ssk {first}: ring mig på {landline} innan du ger kvällsmedicinen till {name}."},
    {"nurse", "Doserna ändrade för {first}, {pnr}. Ordinationen gäller fr.o.m. {date}."},
    {"nurse", "Hej! Remiss skickad för {name}, personnummer {pnr_bad}. Kolla att det stämmer."},
    {"nurse", "Apoteket: din order {orderno} är klar att hämta. Kod {doorcode}."},
    {"nurse", "Hämta Waran på apoteket, beställningsnr {orderno}, totalt {amount}"},
    {"nurse", "Kallelse: {name}, {pnr} till Hudmottagningen {date} kl {time}. Tel {landline}."},
    // Colleagues in hemtjänst.
    {"hemtjanst", "Portkoden till {first} på {street} är {doorcode}. Nyckeln i nyckelskåpet."},
    {"hemtjanst", "Kan någon ta mitt pass {date}? Ring {mobile}"},
    {"hemtjanst", "Ny brukare {name}, {pnr_plain}, {street}, {postcode} {city}. Insats morgon "
                  "och kväll."},
    {"hemtjanst", "Larmet hos {first} ur funktion, ärendenummer {case} hos larmcentralen, ring "
                  "{landline}"},
    {"hemtjanst", "{name} {pnr_old} har fått ny rollator. Hjälpmedelscentralen order {orderno}."},
    {"hemtjanst", "Glöm inte att {first} ska till tandläkaren {date} {time}. Taxi bokad, "
                  "bokningsnr {custno}."},
    {"hemtjanst", "Hej! Jag är sjuk idag, ring {mobile_bare} om det är något."},
    // LSS.
    {"lss", "Boendestödet för {first} flyttas till {weekday}. Personnummer {pnr}, bor på "
            "{street}."},
    {"lss", "Utflykt till Skansen {date}! Biljetten kostar {amount}, swisha till {mobile_bare}."},
    {"lss", "LSS-handläggare {name}, tel {landline}. Gäller {first} {pnr_plain}."},
    {"lss", "Hej, {first}s samordningsnr: {samnr}. Assistansen börjar {date}."},
    {"lss", "Interimsnummer för {first} på sjukhuset: {interim}. Ordinarie pnr saknas."},
    // IFO.
    {"ifo", "Hej, jag är {first}s mamma. Hon heter {name} och är född {pnr_child}. Hon bor hos "
            "mig nu."},
    {"ifo", "Ärende {case}: {name}, {pnr}. Orosanmälan inkom {date}."},
    {"ifo", "Hej socialen, jag har fått nytt kundnummer {custno} hos elbolaget. {name}"},
    {"ifo", "Mitt personnummer {pnr_bad} och mitt nummer {mobile}. Snälla ring."},
    {"ifo", "Skickar barnens pnr: {first} {pnr_child} och {first} {pnr_child}."},
    {"ifo", "Jag har tid hos er {date} {time}, kan ni ringa {mobile_bare}?"},
    // Everyday messages on the same phones.
    {"other", "Din faktura på {amount} förfaller {date}. Bankgiro {bg}, OCR {ocr}."},
    {"other", "PostNord: ditt paket {orderno} kan hämtas. Uppge kod {doorcode}."},
    {"other", "Ditt kundnummer är {custno}. Spara detta sms."},
    {"other", "Leverantör {org}, Städbolaget AB. Faktura skickas till kommunen."},
    {"other", "Betala {amount} till plusgiro {pg}, referens {ocr}."},
    {"other", "Hej! Vi ses {date} kl {time} på {street}. /{first}"},
    {"other", "Kan du ringa {landline} och boka om tiden? Referensnummer {ocr}"},
    {"other", "Mitt nya nr: {mobile_bare}"},
    {"other", "Lönespec: utbetalning {amount} den {date}, anställningsnr {custno}"},
    {"other", "Beställning {orderno} från Apotea skickad. Kundnr {custno}."},
    {"other", "Verifieringskod: {doorcode}. Ange koden i appen."},
    {"other", "{first} {last} {mobile_bare}"},
};

} // namespace

const std::span<const Template> k_dev_templates{k_dev};

} // namespace dockscan::corpus
