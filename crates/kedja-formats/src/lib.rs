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
mod tei;

use kedja_model::{Date, DocKind, Format, Person};

pub use html::html_main_text;

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
    #[error("xml cannot be read: {0}")]
    Xml(String),
    #[error("xml that is not Riksdagen TEI is not supported")]
    UnsupportedXml,
    #[error("an error page of the site ({0:?}), not a document")]
    ErrorPage(String),
}

pub type Result<T> = std::result::Result<T, FormatError>;

/// Decode `bytes` into text, recognising the format by content.
pub fn decode(bytes: &[u8]) -> Result<Decoded> {
    if is_pdf(bytes) {
        return pdf::decode(bytes);
    }
    if looks_binary(bytes) {
        return Err(FormatError::Binary);
    }
    let text = bytes_to_string(bytes);
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

/// UTF-8, or Latin-1 for the older municipal pages that still use it.
/// Written by hand: Latin-1 maps each byte to the code point of the same
/// value, which needs no encoding library.
fn bytes_to_string(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
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
