//! The Swedish word list Kedja ships: `data/lexicon/sv-wordfreq.txt.gz`,
//! built by `data/lexicon/build.sh` from wordfreq's Swedish frequency list
//! (CC BY-SA 4.0; see `data/lexicon/README.md`). Compiled into the binary,
//! so a fresh machine splits compounds as CI does.

use std::io::Read;

/// The compressed list, one word a line, most frequent first.
const BUNDLED: &[u8] = include_bytes!("../../../data/lexicon/sv-wordfreq.txt.gz");

/// The words of the shipped list, lowercased, as [`crate::read_word_list`]
/// reads a word list.
pub fn bundled_word_list() -> Vec<String> {
    let mut text = Vec::new();
    // The bytes are compiled in and checked by a test: they always inflate.
    match flate2::read::GzDecoder::new(BUNDLED).read_to_end(&mut text) {
        Ok(_) => crate::read_word_list(&text),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_holds_common_words_and_compound_parts() {
        let words = bundled_word_list();
        assert!(words.len() > 150_000, "{} words", words.len());
        for w in [
            "våld", "skola", "plan", "handling", "heder", "kvinna", "avtal", "planerna",
        ] {
            assert!(words.iter().any(|x| x == w), "{w} missing");
        }
        assert!(words.iter().all(|w| w.chars().all(char::is_alphabetic)));
    }
}
