//! Fuzz target: any text through cleaning and understanding must not panic,
//! and every reference span must lie on character boundaries of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let text = kedja_extract::clean_text(raw);
    let u = kedja_extract::understand(&text, &kedja_extract::Hints::default());
    for r in &u.references {
        assert!(r.start <= r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
});
