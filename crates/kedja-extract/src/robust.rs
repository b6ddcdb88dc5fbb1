//! Generated bad input (the stable sibling of the fuzz targets in `fuzz/`):
//! text made of Swedish words, dates, § signs, identifiers, list markers,
//! control characters and stray Unicode, in random order and length. No
//! panic, every reference span on character boundaries, time linear.

use crate::{Hints, clean_text, understand};

const PIECES: &[&str] = &[
    "Interpellation",
    "Motion",
    "Till KSO",
    "§",
    "§§",
    " § 12",
    "2022-12-14",
    "20 januari 2021",
    "februari",
    "under 2017",
    "KS/2019:317",
    "Dnr",
    "kommunfullmäktiges beslut",
    "(V)",
    "(",
    ")",
    "Anna Berg",
    "att ",
    "\n",
    "\n\n",
    "1. ",
    "- ",
    "• ",
    "?",
    ".",
    ":",
    "å",
    "ä",
    "ö",
    "\u{0}",
    "\u{7}",
    "\u{FB01}",
    "\u{AD}",
    "\u{301}",
    "🙂",
    "Handlingsplan för ",
    "Kommunstyrelsen",
    "nämnden",
    " om ",
    "följande frågor:",
    "\t",
    "-\n",
    "Sida 1 av 2",
    "........ 3",
    "den",
    "i",
    "2016",
    "(mp)",
    "Stockholm den 3 maj 2022",
    // Letters whose lowercase has another UTF-8 length.
    "İ",
    "\u{212A}",
    "ẞ",
    "Ⱥ",
    "motionen från ",
    "ges i uppdrag att ",
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn generated_text_never_breaks_understanding() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2000 {
        let len = (rng.next() % 200) as usize;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(PIECES[(rng.next() % PIECES.len() as u64) as usize]);
        }
        let clean = clean_text(&text);
        let u = understand(&clean, &Hints::default());
        crate::find_commitments(&clean, &u.record);
        for r in &u.references {
            assert!(
                r.start <= r.end && r.end <= clean.len(),
                "{r:?} in {clean:?}"
            );
            assert!(
                clean.is_char_boundary(r.start) && clean.is_char_boundary(r.end),
                "{r:?} in {clean:?}"
            );
        }
    }
}

#[test]
fn a_turkish_dotted_capital_i_never_breaks_offsets() {
    // Lowercasing "İ" adds a byte; offsets found in a lowercased copy
    // landed inside a character of the original.
    for text in [
        "İ återrapporteringen om förskolan visar att arbetet pågår.",
        "Kommunfullmäktige gav İ som Östra nämnden i uppdrag att utreda saken.",
        "İİ motionen från Anna Berg (V) den 3 maj 2022 besvarades.",
        "İstanbul İzmir. Enligt interpellationen från Per Ek (S) i mars 2021 om İŞ.",
        "Kommunfullmäktige beslutade den 3 maj 2022 att İİİ kommunstyrelsen ges i uppdrag att ta fram en plan senast 2023.",
        "Den 3 maj 2022 gav kommunfullmäktige İİ som İ om İ att \u{212A}\u{212A} nämnden i uppdrag att utreda.",
        "\u{212A}\u{212A}\u{212A} handlingsplanen för İ mot våld, se beslutet från kommunstyrelsen § 12 2022-12-14.",
    ] {
        let clean = clean_text(text);
        let u = understand(&clean, &Hints::default());
        for r in &u.references {
            assert!(
                clean.is_char_boundary(r.start) && clean.is_char_boundary(r.end),
                "{r:?} in {clean:?}"
            );
        }
        crate::find_commitments(&clean, &u.record);
    }
    assert_eq!(
        crate::lowercase_keeping_offsets("İSTANBUL Kö"),
        "İstanbul kö"
    );
}

#[test]
fn text_full_of_dates_and_paragraph_signs_is_linear() {
    let small = "§ 12 2022-12-14 KS 2019/317 att (V) ".repeat(2_000);
    let large = small.repeat(10);
    let time = |t: &str| {
        let start = std::time::Instant::now();
        let u = understand(&clean_text(t), &Hints::default());
        (start.elapsed(), u.references.len())
    };
    let (t_small, n_small) = time(&small);
    let (t_large, n_large) = time(&large);
    assert!(n_large >= n_small * 9, "{n_small} {n_large}");
    // Ten times the input may take ten times as long, with room for noise,
    // but not a hundred times (which quadratic work would).
    assert!(
        t_large < t_small * 40 + std::time::Duration::from_millis(200),
        "{t_small:?} vs {t_large:?}"
    );
}
