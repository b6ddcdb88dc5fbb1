//! Fuzz target: any bytes read as a PDF must give text or an error: no
//! panic, no unbounded decoding of a stream. The first byte chooses between
//! the bytes as a whole file (the header is added) and the bytes as the
//! content stream of a one-page PDF under one of the filter chains the
//! decoding budget counts (Flate, LZW, ASCII85, chained).
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILTERS: &[&str] = &[
    "/FlateDecode",
    "/LZWDecode",
    "[/LZWDecode]",
    "/LZWDecode /DecodeParms << /EarlyChange 0 >>",
    "[/FlateDecode /LZWDecode]",
    "[/LZWDecode /FlateDecode]",
    "/ASCII85Decode",
    "[/ASCII85Decode /LZWDecode]",
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let pdf = match FILTERS.get(usize::from(mode) % (FILTERS.len() + 1)) {
        None => {
            let mut pdf = b"%PDF-1.7\n".to_vec();
            pdf.extend_from_slice(rest);
            pdf
        }
        Some(filters) => one_page(rest, filters),
    };
    let _ = kedja_formats::decode(&pdf);
});

/// A PDF of one page whose content stream is `body` with `filters`.
fn one_page(body: &[u8], filters: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 612 792] >> endobj\n"
        .to_vec();
    pdf.extend(format!("4 0 obj << /Length {} /Filter {filters} >>\nstream\n", body.len()).as_bytes());
    pdf.extend(body);
    pdf.extend(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    pdf
}
