//! PDF text layer extraction with `pdf-extract`.

use crate::{Decoded, FormatError, Result, SourceMeta};
use kedja_model::Format;

/// Fewer letters than this in a whole PDF means it has no usable text layer.
const MIN_LETTERS: usize = 20;

pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded> {
    if let Some(why) = crate::pdf_budget::over_budget(bytes) {
        return Err(FormatError::PdfTooLarge(why));
    }
    // pdf-extract panics on some malformed files instead of returning an
    // error; a broken PDF must never take down an import batch or a crawl.
    // Page by page, pages joined by form feeds, so that what reads the text
    // can tell where a page ends (a protocol's § has a page range).
    let result = std::panic::catch_unwind(|| {
        pdf_extract::extract_text_from_mem_by_pages(bytes).map(|pages| pages.join("\u{c}"))
    });
    let text = match result {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => return Err(FormatError::PdfBroken(first_line(&e.to_string()))),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("the decoder failed");
            return Err(FormatError::PdfBroken(first_line(msg)));
        }
    };
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return Err(FormatError::PdfNoText);
    }
    Ok(Decoded {
        format: Format::Pdf,
        extractor: "pdf-extract",
        text,
        meta: SourceMeta::default(),
    })
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    let line: String = line.chars().take(200).collect();
    if line.is_empty() {
        "unknown error".to_owned()
    } else {
        line.to_lowercase()
    }
}
