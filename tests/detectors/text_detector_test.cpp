#include "detectors/text_detector.hpp"
#include "tests/detectors/redact.hpp"

#include <catch2/catch.hpp>

using dockscan::base::Date;
using dockscan::detectors::find_identity_numbers;
using dockscan::detectors::Kind;
using dockscan::detectors::scan_text;
using dockscan::detectors::TextOptions;
using dockscan::testing::redacted;

namespace {

TextOptions options_on(Date today, double min_confidence = 0.5) {
    TextOptions options;
    options.today = today;
    options.min_confidence = min_confidence;
    return options;
}

const TextOptions k_options = options_on(Date{2025, 6, 1});

// The confidence of the one number in `text`, reported at any confidence.
double confidence_of(const char* text) {
    const auto signals = find_identity_numbers(text, options_on(Date{2025, 6, 1}, 0.0));
    REQUIRE(signals.size() == 1);
    return signals[0].confidence;
}

} // namespace

// The numbers are Skatteverket's test personnummer and samordningsnummer, or made with
// the Luhn rule; no real person's.

TEST_CASE("identity numbers in messages staff receive", "[text_detector]") {
    struct Case {
        const char* text;
        std::size_t start;
        std::size_t end;
        Kind kind;
        const char* masked;
        bool check_digit_valid;
    };
    const Case c = GENERATE(values<Case>({
        {"Hej, Alvas personnummer är 120315-2382", 28, 39, Kind::personnummer, "120315-****", true},
        {"Pnr: 19450110-3297", 5, 18, Kind::personnummer, "450110-****", true},
        // En dash, and a phone word later in the sentence that does not outweigh "pnr".
        {"Hans pnr är 450110\xe2\x80\x93"
         "3297, ring om något saknas",
         13, 26, Kind::personnummer, "450110-****", true},
        // Twelve digits with a space.
        {"Personnummer 19450110 3297", 13, 26, Kind::personnummer, "450110-****", true},
        // `+`: aged 100 or more.
        {"Pers.nr 120211+9150, bor på Solgården", 8, 19, Kind::personnummer, "120211-****", true},
        // A child born 2007: shaped like a mobile number, but the keyword says what it is.
        {"Alvas pnr: 0701012395", 11, 21, Kind::personnummer, "070101-****", true},
        {"Samordningsnummer för Amina: 900179-2382", 30, 41, Kind::samordningsnummer, "900179-****",
         true},
        {"Han har interimsnummer 000101-T220 tills vidare", 23, 34, Kind::interimsnummer,
         "000101-****", true},
        // A mistyped check digit right after a keyword is still someone's number.
        {"Remiss skickad, personnummer 450110-3298. Kolla!", 29, 40, Kind::personnummer,
         "450110-****", false},
        // No keyword: the written form alone is enough.
        {"Ny brukare Nils Berg 450110-3297, Storgatan 12", 21, 32, Kind::personnummer,
         "450110-****", true},
        {"450110-3297 är hans personnummer", 0, 11, Kind::personnummer, "450110-****", true},
        {"450110-3298 är hans personnummer", 0, 11, Kind::personnummer, "450110-****", false},
        // Offsets count UTF-8 bytes.
        {"Född: 450110-3297", 7, 18, Kind::personnummer, "450110-****", true},
        {"Kallelse: Åke Öberg, 194501103297, Hudmottagningen", 23, 35, Kind::personnummer,
         "450110-****", true},
    }));
    INFO(redacted(c.text));
    const auto signals = find_identity_numbers(c.text, k_options);
    REQUIRE(signals.size() == 1);
    const auto& signal = signals[0];
    CHECK(signal.start == c.start);
    CHECK(signal.end == c.end);
    CHECK(signal.kind == c.kind);
    CHECK(signal.masked == c.masked);
    CHECK(signal.check_digit_valid == c.check_digit_valid);
    CHECK(signal.normalized.size() == 12);
    CHECK(signal.confidence >= k_options.min_confidence);
    CHECK(signal.confidence <= 1.0);
}

TEST_CASE("numbers that are not identity numbers are not reported", "[text_detector]") {
    const char* text = GENERATE(values<const char*>({
        // A mobile number that also reads as a child born 2007.
        "Ring mig på 0701012395",
        "Mitt nya nummer: 0701012395",
        "0701012395",
        "Nås på 0701012395 eller 070-123 45 67",
        // "Samordnaren" is a coordinator, not a samordningsnummer.
        "Samordnaren: 0701012395",
        // Beside a phone number written as one, with the keyword far back.
        "Pnr saknas. Nås på 070-123 45 67 eller 0701012395",
        // Payment and customer references that pass the date and Luhn checks.
        "Betala till bg 5050-1055, OCR 4501103297",
        "Kundnummer 4501103297",
        "Order 194501103297 skickad",
        "Org.nr 556036-0793",
        "Tel 070-123 45 67, portkod 1234, 350 kr",
        // Inside longer numbers.
        "Ref 12345120315-2382",
        "Artikel 120315-2382-1",
        // A wrong check digit without a keyword is just a number.
        "Ny brukare 450110-3298",
        // A keyword does not make an impossible date or a future birth possible.
        "pnr 450230-3292",
        "pnr 20300101-2388",
    }));
    INFO(redacted(text));
    CHECK(find_identity_numbers(text, k_options).empty());
}

TEST_CASE("keywords raise confidence, phone context lowers it", "[text_detector]") {
    // Ten bare digits starting 07: a child born 2007 or a mobile number.
    const double keyword = confidence_of("Hennes pnr är 0701012395");
    const double bare = confidence_of("Alva 0701012395");
    const double phone = confidence_of("Ring mig på 0701012395");
    const double phone_after = confidence_of("0701012395 är mitt nummer");
    CHECK(keyword > bare);
    CHECK(bare > phone);
    CHECK(bare > phone_after);
    CHECK(keyword >= 0.5);
    CHECK(phone < 0.5);

    const double hyphen_keyword = confidence_of("Personnummer 450110-3297");
    const double hyphen_bare = confidence_of("Nils 450110-3297");
    const double hyphen_phone = confidence_of("Tel 450110-3297");
    CHECK(hyphen_keyword > hyphen_bare);
    // No phone or reference is written as a date, a dash and four digits: the form
    // decides, whatever word stands before it.
    CHECK(hyphen_phone == hyphen_bare);
    CHECK(hyphen_phone >= 0.5);

    // A wrong check digit is reported, below the same number with the right one.
    CHECK(confidence_of("Personnummer 450110-3298") < hyphen_keyword);
}

TEST_CASE("an identity number's form decides whatever ordinary words stand near it",
          "[text_detector]") {
    // Issue 14: care messages are full of times, dates, "ring" and "nummer"; a number in
    // a form no phone number, reference or amount takes is an identity number.
    const char* text = GENERATE(values<const char*>({
        "Ny tid för Per Eriksson 820101-2385 hos diabetessköterskan på torsdag",
        "Ring sjuksköterskan om 19980101-6685, provsvaren har kommit",
        "Datum för nästa besök hos 450110-3297 är inte bestämt",
        "Kl 13:40 ny tid, datum 12/6, boka om 19450110-3297 via växeln",
        "Tel till mottagningen 08-123 456 78. Nils 450110\xe2\x80\x93"
        "3297 har tid kl 10",
        "Ordination ändrad för 194501103297 från och med måndag, ring om frågor",
        "Tel 450110-3297",
    }));
    INFO(redacted(text));
    const auto signals = find_identity_numbers(text, k_options);
    REQUIRE(signals.size() == 1);
    CHECK(signals[0].confidence >= 0.85);
    CHECK(signals[0].reason.starts_with("reported:"));
}

TEST_CASE("for shared forms only a word that names the number decides", "[text_detector]") {
    struct Case {
        const char* text;
        bool reported;
        const char* reason_part;
    };
    const Case c = GENERATE(values<Case>({
        // Named: the word stands right before or right after the number.
        {"tel 0701012395", false, "named a phone number by 'tel'"},
        {"Ring mig på 0701012395", false, "'ring'"},
        {"0701012395 är mitt nummer", false, "'nummer'"},
        {"OCR 4501103297", false, "named another kind of number by 'ocr'"},
        {"Ordernr 4501103297 skickas i dag", false, "another kind of number"},
        // Twelve bare digits yield only to a reference label at the number itself.
        {"Order 194501103297 skickad", false, "'order'"},
        {"Alvas pnr: 0701012395", true, "named an identity number by 'pnr'"},
        // A word elsewhere in the sentence does not name the number.
        {"Ring sjuksköterskan i morgon om Alva 4501103297", true, "no word says otherwise"},
        {"Kundtjänst har öppet till 17, Nils 4501103297 har fått sin tid", true,
         "no word says otherwise"},
        // Ten digits that start like a mobile number need a word to be reported.
        {"Alva 0701012395", false, "it may be a mobile number"},
        // Other area codes: landline numbers are written with the area code apart.
        {"Elev Ahmed Lund 0206252389, klass 9B", true, "mobile numbers start 07"},
        {"Frågor: 0206252389", false, "named a phone number by 'frågor'"},
        {"Personnummer till remissen för Alva: 0701012395", true, "'personnum'"},
        // A phone word names only a number that can be dialled.
        {"Hennes nummer är 4501103297", true, "no word says otherwise"},
        // A label after the number belongs to the number after it.
        {"Nils 4501103297 tel 070-123 45 67", true, "no word says otherwise"},
        // After a number a word for a thing counts it; it does not name it.
        {"4501103297 paket har levererats", true, "no word says otherwise"},
        // "ocr" names a reference at the start of a word only.
        {"kör --no-create 4501103297", true, "no word says otherwise"},
        // Six digits, a space and four is no phone number's form.
        {"Elev Sara 030930 2388", true, "no word says otherwise"},
        // A recent date and a clock time.
        {"Inloggning 20250103 1831 från ny enhet", false, "a recent date and a time"},
    }));
    INFO(redacted(c.text));
    const auto signals = find_identity_numbers(c.text, options_on(Date{2025, 6, 1}, 0.0));
    REQUIRE(signals.size() == 1);
    CHECK((signals[0].confidence >= 0.5) == c.reported);
    CHECK(signals[0].reason.starts_with(c.reported ? "reported:" : "not reported:"));
    CHECK(signals[0].reason.find(c.reason_part) != std::string::npos);
}

TEST_CASE("a reason never holds the number or the message's words", "[text_detector]") {
    const auto signals = find_identity_numbers("Hej Margareta, pnr 450110-3297 och tel 0701012395",
                                               options_on(Date{2025, 6, 1}, 0.0));
    REQUIRE(signals.size() == 2);
    for (const auto& signal : signals) {
        CHECK(signal.reason.find("450110") == std::string::npos);
        CHECK(signal.reason.find("0701") == std::string::npos);
        CHECK(signal.reason.find("Margareta") == std::string::npos);
    }
}

TEST_CASE("in OCR text a label beside the number also decides its form", "[text_detector]") {
    TextOptions ocr = k_options;
    ocr.source = dockscan::detectors::TextSource::ocr;
    CHECK(find_identity_numbers("Fakturanr 450110-3297", ocr).empty());
    CHECK(find_identity_numbers("Fakturanr 450110-3297", k_options).size() == 1);
    CHECK(find_identity_numbers("Personnummer 450110-3297", ocr).size() == 1);
}

TEST_CASE("repeats of one number can be counted on one signal", "[text_detector]") {
    std::string text;
    for (int i = 0; i < 150; ++i) {
        text += "Nils 450110-3297, Alva 120315-2382\n";
    }
    CHECK(find_identity_numbers(text, k_options).size() == 300);
    TextOptions counted = k_options;
    counted.repeats = dockscan::detectors::Repeats::counted;
    const auto signals = find_identity_numbers(text, counted);
    REQUIRE(signals.size() == 2);
    CHECK(signals[0].masked == "450110-****");
    CHECK(signals[0].occurrences == 150);
    CHECK(signals[0].start == 5);
    CHECK(signals[1].masked == "120315-****");
    CHECK(signals[1].occurrences == 150);
}

TEST_CASE("a list after one keyword keeps its meaning", "[text_detector]") {
    const auto signals =
        find_identity_numbers("Skickar barnens pnr: Alva 120315-2382, Nils 0701012395", k_options);
    REQUIRE(signals.size() == 2);
    CHECK(signals[0].masked == "120315-****");
    CHECK(signals[1].masked == "070101-****");
    CHECK(signals[0].start < signals[1].start);

    // The keyword belongs to the first number; the phone number after it is not one.
    const auto mixed = find_identity_numbers(
        "Pnr 450110-3297. Ring mig på 0701012395 om något är oklart", k_options);
    REQUIRE(mixed.size() == 1);
    CHECK(mixed[0].masked == "450110-****");
}

TEST_CASE("min_confidence is the reporting threshold", "[text_detector]") {
    CHECK(find_identity_numbers("Alva 0701012395", options_on(Date{2025, 6, 1}, 0.5)).empty());
    CHECK(find_identity_numbers("Alva 0701012395", options_on(Date{2025, 6, 1}, 0.0)).size() == 1);
    // Confidence stays below certainty: nothing reaches a threshold of 1.
    CHECK(find_identity_numbers("Pnr 450110-3297", options_on(Date{2025, 6, 1}, 1.0)).empty());
}

TEST_CASE("scan_text reports identity numbers", "[text_detector]") {
    const auto signals = scan_text("Pnr 450110-3297, tel 070-123 45 67", k_options);
    REQUIRE(signals.size() == 1);
    CHECK(signals[0].kind == Kind::personnummer);
    CHECK(signals[0].start == 4);
}
