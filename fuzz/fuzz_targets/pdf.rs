//! Fuzz target: any bytes read as a PDF (the header is added) must give
//! text or an error: no panic, no unbounded inflation of a stream.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend_from_slice(data);
    let _ = kedja_formats::decode(&pdf);
});
