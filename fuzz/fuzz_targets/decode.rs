//! Fuzz target: any bytes through format detection and decoding must not
//! panic (a broken PDF, HTML or XML is an error, not a crash).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kedja_formats::decode(data);
});
