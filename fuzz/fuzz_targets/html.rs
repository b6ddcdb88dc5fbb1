//! Fuzz target: any text through the HTML reader must not panic, overflow
//! the stack (deep nesting) or take time beyond linear.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let _ = kedja_formats::html_main_text(&html);
    let mut page = b"<!doctype html><html><body>".to_vec();
    page.extend_from_slice(data);
    let _ = kedja_formats::decode(&page);
});
