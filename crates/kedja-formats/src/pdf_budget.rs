//! A budget for what a PDF's streams inflate to, checked before any PDF
//! library sees the file: a 2 MB file can hold a stream that inflates to
//! gigabytes, and the PDF libraries inflate a whole stream into memory.
//!
//! Written by hand because no PDF crate bounds decompression: the raw bytes
//! are scanned for `stream … endstream` bodies, and each one whose
//! dictionary names `FlateDecode` (once per layer of a filter chain) is
//! inflated into a counter, never into memory, until it ends or the budget
//! is spent.

use std::io::Read;

use flate2::read::ZlibDecoder;

/// Most bytes one stream may inflate to.
pub(crate) const MAX_STREAM_BYTES: u64 = 128 * 1024 * 1024;
/// Most bytes all the streams of one PDF may inflate to.
pub(crate) const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// Most Flate layers one stream may have.
const MAX_LAYERS: usize = 4;
/// How far before `stream` its dictionary is looked for.
const DICT_WINDOW: usize = 4096;

/// Why a PDF is over budget, if it is.
pub(crate) fn over_budget(pdf: &[u8]) -> Option<String> {
    let mut total = 0u64;
    let mut at = 0usize;
    while let Some(found) = find(&pdf[at..], b"stream") {
        let keyword = at + found;
        at = keyword + b"stream".len();
        // `stream` as a keyword: after a dictionary, before an end of line
        // (not the end of `endstream`).
        let body_start = match &pdf[at..] {
            [b'\r', b'\n', ..] => at + 2,
            [b'\n', ..] | [b'\r', ..] => at + 1,
            _ => continue,
        };
        let dict_from = keyword.saturating_sub(DICT_WINDOW);
        let before = &pdf[dict_from..keyword];
        if !before.trim_ascii_end().ends_with(b">>") {
            continue;
        }
        // The dictionary of this stream: from the last `obj` before it.
        let dict = match rfind(before, b"obj") {
            Some(i) => &before[i..],
            None => before,
        };
        let layers = count(dict, b"FlateDecode");
        let body_end = find(&pdf[body_start..], b"endstream").map_or(pdf.len(), |i| body_start + i);
        let body = &pdf[body_start..body_end];
        at = body_end;
        if layers > MAX_LAYERS {
            return Some(format!(
                "a stream has {layers} layers of compression; the limit is {MAX_LAYERS}"
            ));
        }
        let size = inflated_size(body, layers, MAX_STREAM_BYTES + 1);
        if size > MAX_STREAM_BYTES {
            return Some(format!(
                "a stream inflates to more than {} MB (a decompression bomb?)",
                MAX_STREAM_BYTES / (1024 * 1024)
            ));
        }
        total += size;
        if total > MAX_TOTAL_BYTES {
            return Some(format!(
                "its streams inflate to more than {} MB (a decompression bomb?)",
                MAX_TOTAL_BYTES / (1024 * 1024)
            ));
        }
    }
    None
}

/// How many bytes `body` inflates to through `layers` Flate layers,
/// counting no further than `limit`. A stream that cannot be inflated
/// counts what came out before the error.
fn inflated_size(body: &[u8], layers: usize, limit: u64) -> u64 {
    let mut reader: Box<dyn Read + '_> = Box::new(body);
    for _ in 0..layers {
        reader = Box::new(ZlibDecoder::new(reader));
    }
    let mut counted = 0u64;
    let mut buf = [0u8; 64 * 1024];
    while counted < limit {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => counted += n as u64,
        }
    }
    counted
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    /// `n` zero bytes through `layers` Flate layers, compressed as they
    /// are written (nothing of size `n` is held).
    pub(crate) fn deflated_zeros(n: u64, layers: usize) -> Vec<u8> {
        let mut data = {
            let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
            let chunk = vec![0u8; 1 << 20];
            let mut left = n;
            while left > 0 {
                let k = left.min(chunk.len() as u64) as usize;
                e.write_all(&chunk[..k]).unwrap();
                left -= k as u64;
            }
            e.finish().unwrap()
        };
        for _ in 1..layers {
            let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
            e.write_all(&data).unwrap();
            data = e.finish().unwrap();
        }
        data
    }

    /// A PDF of one page whose content stream is `body` with `filters`.
    pub(crate) fn pdf_with_stream(body: &[u8], filters: &str) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 612 792] >> endobj\n"
            .to_vec();
        pdf.extend(
            format!(
                "4 0 obj << /Length {} /Filter {filters} >>\nstream\n",
                body.len()
            )
            .as_bytes(),
        );
        pdf.extend(body);
        pdf.extend(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        pdf
    }

    #[test]
    fn a_stream_that_inflates_past_the_budget_is_refused() {
        let bomb = deflated_zeros(MAX_STREAM_BYTES + (1 << 20), 1);
        let why = over_budget(&pdf_with_stream(&bomb, "/FlateDecode")).expect("over budget");
        assert!(why.contains("decompression bomb"), "{why}");
        // Two layers: small outside, huge inside.
        let nested = deflated_zeros(MAX_STREAM_BYTES + (1 << 20), 2);
        assert!(nested.len() < 64 * 1024, "{}", nested.len());
        let pdf = pdf_with_stream(&nested, "[/FlateDecode /FlateDecode]");
        assert!(over_budget(&pdf).is_some());
        // Within the budget: fine.
        let fine = deflated_zeros(1 << 20, 1);
        assert_eq!(over_budget(&pdf_with_stream(&fine, "/FlateDecode")), None);
        // Too many layers to be honest.
        let pdf = pdf_with_stream(&fine, &"/FlateDecode ".repeat(9));
        assert!(over_budget(&pdf).is_some());
    }
}
