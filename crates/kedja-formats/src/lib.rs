//! Decoding of document files into plain text: plain text, HTML, PDF and
//! Riksdagen TEI XML.
//!
//! [`decode`] takes the raw bytes of a file or HTTP response and returns a
//! [`Decoded`] text with the format it was recognised as, or a
//! [`FormatError`] that says why it cannot be read. The format is decided by
//! content (`%PDF`, `<TEI`, `<html`), never by a file name or URL. No I/O:
//! the caller reads the bytes.
//!
//! Structured formats (TEI) also carry metadata that is more reliable than
//! what text extraction could infer; it comes back as [`SourceMeta`].

mod html;
mod pdf;
mod pdf_budget;
mod recognised;
mod tei;
mod type_size;

use kedja_model::{Date, DocKind, Format, Person};

pub use html::html_main_text;
pub use pdf::PDF_TIME_LIMIT;
pub use recognised::mend_recognised;
pub use type_size::{SizedLine, headline};

/// A decoded document.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub format: Format,
    /// Which decoder produced the text.
    pub extractor: &'static str,
    pub text: String,
    pub meta: SourceMeta,
}

/// Metadata that the file format itself states (as opposed to what is
/// inferred from the text).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceMeta {
    pub title: Option<String>,
    pub kind: Option<DocKind>,
    pub date: Option<Date>,
    pub authors: Vec<Person>,
    pub addressee: Option<Person>,
    /// The role of the addressee ("Utrikesminister").
    pub addressee_role: Option<String>,
    pub municipality: Option<String>,
    /// A document number such as "2022/23:1".
    pub doc_number: Option<String>,
    /// Questions given as structure (TEI `ipQuestion` items).
    pub questions: Vec<String>,
    /// The lines set in display type at the top of a PDF's first page
    /// ([`headline`]): what the page's design makes its title.
    pub headline: Option<String>,
}

/// Why a file could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormatError {
    #[error("binary file: not text, HTML, PDF or TEI XML")]
    Binary,
    #[error("file is empty or has no text")]
    Empty,
    #[error("pdf has no text layer (a scanned image?); text recognition is not supported")]
    PdfNoText,
    #[error("pdf cannot be read: {0}")]
    PdfBroken(String),
    #[error("pdf refused: {0}")]
    PdfTooLarge(String),
    #[error("pdf refused: reading its text took longer than {0:?}")]
    PdfTimeout(std::time::Duration),
    #[error("pdf not read: {0} earlier pdfs that ran out of time are still being read")]
    PdfBusy(usize),
    #[error("{what} nested {depth} levels deep; the limit is {limit}")]
    TooDeep {
        what: &'static str,
        depth: usize,
        limit: usize,
    },
    #[error("xml cannot be read: {0}")]
    Xml(String),
    #[error("xml that is not Riksdagen TEI is not supported")]
    UnsupportedXml,
    #[error("an error page of the site ({0:?}), not a document")]
    ErrorPage(String),
}

pub type Result<T> = std::result::Result<T, FormatError>;

/// Limits on decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeOptions {
    /// Longest the reading of one PDF may take; [`PDF_TIME_LIMIT`] by
    /// default.
    pub pdf_time_limit: std::time::Duration,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            pdf_time_limit: PDF_TIME_LIMIT,
        }
    }
}

/// Decode `bytes` into text, recognising the format by content.
pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    decode_with(bytes, &DecodeOptions::default())
}

/// [`decode`] within the limits of `opts`.
pub fn decode_with(bytes: &[u8], opts: &DecodeOptions) -> Result<Decoded> {
    if is_pdf(bytes) {
        return pdf::decode(bytes, opts.pdf_time_limit);
    }
    let text = match utf16_with_bom(bytes) {
        Some(text) => text,
        None if looks_binary(bytes) => return Err(FormatError::Binary),
        None => bytes_to_string(bytes),
    };
    let head: String = text.chars().take(4096).collect::<String>().to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let decoded = if head.starts_with("<?xml") || head.starts_with("<tei") {
        if head.contains("<tei") || text.contains("<TEI") {
            tei::decode(&text)?
        } else if head.contains("<html") {
            html::decode(&text)
        } else {
            return Err(FormatError::UnsupportedXml);
        }
    } else if head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<body")
    {
        html::decode(&text)
    } else {
        Decoded {
            format: Format::Text,
            extractor: "utf8",
            text,
            meta: SourceMeta::default(),
        }
    };
    if decoded.text.trim().is_empty() {
        return Err(FormatError::Empty);
    }
    if decoded.format == Format::Html
        && let Some(heading) = error_page(&decoded)
    {
        return Err(FormatError::ErrorPage(heading));
    }
    Ok(decoded)
}

/// What web servers and publishing systems title the page they serve
/// instead of a missing or failing document, lowercase.
const ERROR_HEADINGS: &[&str] = &[
    "sidan saknas",
    "sidan kunde inte hittas",
    "sidan finns inte",
    "sidan hittades inte",
    "hittades inte",
    "page not found",
    "not found",
    "404",
    "ett fel har uppstått",
    "ett fel uppstod",
    "internal server error",
    "serverfel",
    "åtkomst nekad",
    "access denied",
    "forbidden",
];

/// The heading of an error page: an HTML page whose title or main heading
/// starts with an error phrase and whose main text is short (a real page
/// about, say, "404 bussar" says more).
fn error_page(decoded: &Decoded) -> Option<String> {
    const MAX_WORDS: usize = 80;
    let heading = decoded
        .meta
        .title
        .as_deref()
        .or_else(|| decoded.text.lines().find(|l| !l.trim().is_empty()))?
        .trim();
    let lower = heading.to_lowercase();
    let is_error = ERROR_HEADINGS.iter().any(|p| lower.starts_with(p))
        || decoded
            .text
            .lines()
            .take(5)
            .any(|l| ERROR_HEADINGS.contains(&l.trim().to_lowercase().as_str()));
    let short = decoded.text.split_whitespace().count() <= MAX_WORDS;
    (is_error && short).then(|| heading.chars().take(80).collect())
}

/// `%PDF-` within the first kilobyte, as PDF readers accept.
fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Text has almost no NUL or C0 control bytes besides whitespace.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)))
        .count();
    controls * 100 > sample.len()
}

/// UTF-8, with a replacement character for each bad sequence when most
/// of the non-ASCII text is valid UTF-8 (a file with a few broken bytes);
/// otherwise Windows-1252, the superset of Latin-1 that the older municipal
/// pages still use. Written by hand: Latin-1 maps each byte to the code
/// point of the same value and Windows-1252 differs in 27 bytes, which
/// needs no encoding library.
fn bytes_to_string(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.trim_start_matches('\u{feff}').to_owned();
    }
    let lossy = String::from_utf8_lossy(bytes);
    let bad = lossy.chars().filter(|&c| c == '\u{fffd}').count();
    let good = lossy
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{fffd}')
        .count();
    if good >= bad {
        return lossy.trim_start_matches('\u{feff}').to_owned();
    }
    bytes.iter().map(|&b| windows_1252(b)).collect()
}

/// The character of a Windows-1252 byte.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Text in UTF-16 with a byte-order mark, decoded (bad code units become
/// replacement characters); `None` without the mark.
fn utf16_with_bom(bytes: &[u8]) -> Option<String> {
    let (rest, little) = match bytes {
        [0xff, 0xfe, rest @ ..] => (rest, true),
        [0xfe, 0xff, rest @ ..] => (rest, false),
        _ => return None,
    };
    let units = rest.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_page_is_not_a_document() {
        let page = "<html><head><title>Sidan saknas | Möten</title></head><body><nav>Meny</nav>\
                    <h1>Sidan saknas</h1><p>Sidan du efterfrågade kunde inte hittas.</p></body></html>";
        assert!(
            matches!(decode(page.as_bytes()), Err(FormatError::ErrorPage(h)) if h.starts_with("Sidan saknas"))
        );
        // A real page whose heading only starts like an error phrase stays.
        let words =
            "Bussarna i linje 404 går nu oftare enligt kollektivtrafiknämndens beslut. ".repeat(12);
        let real = format!("<html><body><h1>404 går oftare</h1><p>{words}</p></body></html>");
        assert!(decode(real.as_bytes()).is_ok());
    }

    #[test]
    fn plain_text_is_text() {
        let d = decode("Interpellation\n\nTill KSO".as_bytes()).unwrap();
        assert_eq!(d.format, Format::Text);
        assert_eq!(d.text, "Interpellation\n\nTill KSO");
    }

    #[test]
    fn latin1_is_decoded() {
        let d = decode(b"V\xe5ld mot kvinnor").unwrap();
        assert_eq!(d.text, "Våld mot kvinnor");
        let d = decode(b"F\xf6rskolan i Sj\xf6vik \xe5r 2024").unwrap();
        assert_eq!(d.text, "Förskolan i Sjövik år 2024");
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_become_replacements_not_latin1() {
        let mut bytes = "Förskolan i Sjövik får nya lokaler".as_bytes().to_vec();
        bytes.extend(b" \xff\xfe trasigt ");
        let d = decode(&bytes).unwrap();
        assert_eq!(
            d.text,
            "Förskolan i Sjövik får nya lokaler \u{fffd}\u{fffd} trasigt "
        );
        // Windows-1252 quotes and dashes.
        let d = decode(b"\x93V\xe5ld\x94 \x96 en fr\xe5ga").unwrap();
        assert_eq!(d.text, "“Våld” – en fråga");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "Interpellation om våld i förskolan";
        let mut le = vec![0xff, 0xfe];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap().text, text);
        let mut be = vec![0xfe, 0xff];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().text, text);
        // An unpaired surrogate is a replacement, not an error.
        let mut bad = vec![0xff, 0xfe];
        bad.extend([0x00, 0xd8, b'a', 0x00]);
        assert_eq!(decode(&bad).unwrap().text, "\u{fffd}a");
    }

    #[test]
    fn a_pdf_decompression_bomb_is_refused_quickly() {
        let bomb = crate::pdf_budget::tests::deflated_zeros(512 << 20, 2);
        let pdf = crate::pdf_budget::tests::pdf_with_stream(&bomb, "[/FlateDecode /FlateDecode]");
        let started = std::time::Instant::now();
        let r = decode(&pdf);
        assert!(matches!(r, Err(FormatError::PdfTooLarge(_))), "{r:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let n = 20_000;
        let html = format!(
            "<html><body>{}<p>Motion om förskolan</p>{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let d = decode(html.as_bytes()).unwrap();
        assert_eq!(d.text, "Motion om förskolan");
        let tei = format!(
            "<TEI><text><body>{}<p>Text</p>{}</body></text></TEI>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let r = decode(tei.as_bytes());
        assert!(matches!(r, Err(FormatError::TooDeep { .. })), "{r:?}");
    }

    #[test]
    fn binary_is_rejected() {
        let bytes: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert_eq!(decode(&bytes), Err(FormatError::Binary));
    }

    #[test]
    fn empty_is_rejected() {
        assert_eq!(decode(b"  \n "), Err(FormatError::Empty));
        assert_eq!(decode(b""), Err(FormatError::Empty));
    }

    #[test]
    fn other_xml_is_rejected() {
        assert_eq!(
            decode(b"<?xml version='1.0'?><root/>"),
            Err(FormatError::UnsupportedXml)
        );
    }

    #[test]
    fn generated_bytes_never_panic() {
        // deterministic xorshift, so a failure reproduces
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let prefixes: [&[u8]; 5] = [
            b"",
            b"%PDF-1.7\n",
            b"<html><body>",
            b"<?xml version='1.0'?><TEI>",
            b"\xef\xbb\xbf",
        ];
        for i in 0..600 {
            let mut bytes = prefixes[i % prefixes.len()].to_vec();
            let len = (next() % 3000) as usize;
            bytes.extend((0..len).map(|_| (next() % 256) as u8));
            let _ = decode(&bytes);
        }
    }

    #[test]
    fn truncated_pdf_is_an_error_not_a_panic() {
        let r = decode(b"%PDF-1.7\n1 0 obj << /Type /Catalog");
        assert!(matches!(r, Err(FormatError::PdfBroken(_))), "{r:?}");
    }
}

/// Why extracted text looks like garbage, if it does: replacement or
/// private-use characters (a font without a usable encoding), or a long
/// Swedish text without a single å, ä or ö (letters mapped wrongly).
/// Pure; the caller decides whether another extractor is worth a try.
pub fn garbled(text: &str) -> Option<&'static str> {
    let mut letters = 0usize;
    let mut bad = 0usize;
    let mut swedish = 0usize;
    for c in text.chars() {
        if c == '\u{fffd}' || ('\u{e000}'..='\u{f8ff}').contains(&c) {
            bad += 1;
        } else if c.is_alphabetic() {
            letters += 1;
            if matches!(c, 'å' | 'ä' | 'ö' | 'Å' | 'Ä' | 'Ö') {
                swedish += 1;
            }
        }
    }
    if letters + bad == 0 {
        return None;
    }
    if bad * 100 > (letters + bad) {
        return Some("replacement or private-use characters");
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let function_words = words
        .iter()
        .filter(|w| {
            matches!(
                w.as_str(),
                "och" | "att" | "som" | "det" | "med" | "den" | "till"
            )
        })
        .count();
    if letters >= 1500 && function_words * 50 >= words.len() && swedish == 0 {
        return Some("Swedish text without å, ä or ö");
    }
    None
}

#[cfg(test)]
mod garbled_tests {
    use super::garbled;

    #[test]
    fn garbage_is_recognised() {
        assert_eq!(
            garbled("Kommunfullmäktige beslutar att ge uppdraget."),
            None
        );
        assert!(garbled(&"Kommunfullm\u{fffd}ktige \u{fffd}\u{fffd} ".repeat(20)).is_some());
        let no_diacritics = "Kommunfullmaktige beslutar att ge kommunstyrelsen i uppdrag att ta fram en plan och att den ska folja upp arbetet med det som ar viktigt till invanarna. ".repeat(12);
        assert_eq!(
            garbled(&no_diacritics),
            Some("Swedish text without å, ä or ö")
        );
        let english =
            "The council decided to ask the board to draw up a plan for the schools. ".repeat(30);
        assert_eq!(garbled(&english), None);
        assert_eq!(garbled(""), None);
    }
}
