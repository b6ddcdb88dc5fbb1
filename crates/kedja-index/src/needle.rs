//! A token filter for snippets: a word that cannot match any of the
//! query's terms is emptied before the costly filters that follow it
//! (splitting compounds, base forms, stemming), so a snippet costs about a
//! plain tokenization of the text instead of decompounding every word of
//! it. Emptied words keep their offsets, so the snippet's fragments are cut
//! exactly as before; an empty word matches no term.
//!
//! Why a word can be skipped: every term a snippet marks is the Snowball
//! stem of a word or of a part of a compound, and such a stem is the word
//! (or part) with an ending taken off, sometimes after a part's linking
//! vowel was replaced by its dictionary form ("kvinno-" → "kvinna" →
//! "kvinn"). Either way the stem without its last letter is in the
//! lowercased word as written. So a word that holds none of these needles
//! cannot yield a marked term.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// `needles: None` lets every word through (indexing, and the reference
/// the snippets are tested against).
#[derive(Clone, Debug)]
pub(crate) struct NeedleFilter {
    needles: Option<Arc<[String]>>,
}

impl NeedleFilter {
    pub(crate) fn every_word() -> NeedleFilter {
        NeedleFilter { needles: None }
    }

    /// Needles for the (stemmed, lowercase) `terms` a snippet marks.
    pub(crate) fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> NeedleFilter {
        let mut needles: Vec<String> = terms
            .into_iter()
            .map(|t| {
                let n = t.chars().count();
                if n > 2 {
                    t.chars().take(n - 1).collect()
                } else {
                    t.to_owned()
                }
            })
            .filter(|n: &String| !n.is_empty())
            .collect();
        needles.sort();
        needles.dedup();
        NeedleFilter {
            needles: Some(needles.into()),
        }
    }
}

impl TokenFilter for NeedleFilter {
    type Tokenizer<T: Tokenizer> = NeedleTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> NeedleTokenizer<T> {
        NeedleTokenizer {
            needles: self.needles,
            inner,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct NeedleTokenizer<T> {
    needles: Option<Arc<[String]>>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for NeedleTokenizer<T> {
    type TokenStream<'a> = NeedleStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NeedleStream {
            needles: self.needles.as_deref(),
            tail: self.inner.token_stream(text),
        }
    }
}

pub(crate) struct NeedleStream<'a, S> {
    needles: Option<&'a [String]>,
    tail: S,
}

impl<S: TokenStream> TokenStream for NeedleStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if let Some(needles) = self.needles {
            let token = self.tail.token_mut();
            if !needles.iter().any(|n| token.text.contains(n.as_str())) {
                token.text.clear();
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    #[test]
    fn words_without_a_needle_are_emptied_in_place() {
        let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(NeedleFilter::new(["våld", "kvinn"]))
            .build();
        let mut stream = a.token_stream("Mäns våld mot kvinnor, hedersvåldet och budgeten");
        let mut seen = Vec::new();
        while let Some(t) = stream.next() {
            seen.push((t.text.clone(), t.offset_from));
        }
        let texts: Vec<&str> = seen.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["", "våld", "", "kvinnor", "hedersvåldet", "", ""]);
        // Offsets are those of the words as written.
        assert_eq!(seen[4].1, "Mäns våld mot kvinnor, ".len());
    }
}
