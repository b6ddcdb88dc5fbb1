//! The tantivy token filter that adds the parts of Swedish compounds after
//! each word, at the same position and over the same characters, so
//! "hedersvåld" is read as "hedersvåld", "heder" and "våld" and a search
//! for "våld" finds it (and marks the whole word in snippets). In the
//! index's `compound` field it gives the parts only: the words themselves
//! are indexed in `body`.
//!
//! Only the index analyzer splits: queries are analysed without it, so a
//! query word is looked up as written and never turned into a phrase of
//! parts.

use std::sync::Arc;

use kedja_compound::Decompounder;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

#[derive(Clone, Debug)]
pub(crate) struct CompoundFilter {
    splitter: Arc<Decompounder>,
    parts_only: bool,
}

impl CompoundFilter {
    /// With `parts_only`, words that are not compounds give nothing and
    /// compounds only their parts.
    pub(crate) fn new(splitter: Arc<Decompounder>, parts_only: bool) -> CompoundFilter {
        CompoundFilter {
            splitter,
            parts_only,
        }
    }
}

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CompoundTokenizer<T> {
        CompoundTokenizer {
            splitter: self.splitter,
            parts_only: self.parts_only,
            inner,
            parts: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct CompoundTokenizer<T> {
    splitter: Arc<Decompounder>,
    parts_only: bool,
    inner: T,
    parts: Vec<Token>,
}

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = CompoundStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.parts.clear();
        CompoundStream {
            splitter: &self.splitter,
            parts_only: self.parts_only,
            tail: self.inner.token_stream(text),
            parts: &mut self.parts,
            next: 0,
            current: None,
        }
    }
}

pub(crate) struct CompoundStream<'a, S> {
    splitter: &'a Decompounder,
    parts_only: bool,
    tail: S,
    parts: &'a mut Vec<Token>,
    /// The next part to give, and the one given now (`None`: the word).
    next: usize,
    current: Option<usize>,
}

impl<S: TokenStream> TokenStream for CompoundStream<'_, S> {
    fn advance(&mut self) -> bool {
        if self.next < self.parts.len() {
            self.current = Some(self.next);
            self.next += 1;
            return true;
        }
        loop {
            self.parts.clear();
            self.next = 0;
            self.current = None;
            if !self.tail.advance() {
                return false;
            }
            let word = self.tail.token();
            if let Some(found) = self.splitter.split_cached(&word.text) {
                for part in found.iter().filter(|p| **p != word.text) {
                    self.parts.push(Token {
                        text: part.clone(),
                        ..word.clone()
                    });
                }
            }
            if !self.parts_only {
                return true;
            }
            if !self.parts.is_empty() {
                self.current = Some(0);
                self.next = 1;
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        match self.current {
            Some(i) => &self.parts[i],
            None => self.tail.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.current {
            Some(i) => &mut self.parts[i],
            None => self.tail.token_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedja_compound::Lexicon;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    #[test]
    fn parts_follow_the_word_at_its_position_and_offsets() {
        let mut lexicon = Lexicon::new();
        lexicon.add_text("heder heder våld våld mot mot");
        let splitter = Arc::new(Decompounder::new(lexicon));
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CompoundFilter::new(splitter.clone(), false))
            .build();
        let mut stream = analyzer.token_stream("Mot hedersvåld");
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        let expected = [
            ("mot", 0, 0, 3),
            ("hedersvåld", 1, 4, 15),
            ("heder", 1, 4, 15),
            ("våld", 1, 4, 15),
        ]
        .map(|(w, p, a, b)| (w.to_string(), p, a, b));
        assert_eq!(got, expected);

        let mut parts_only = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CompoundFilter::new(splitter, true))
            .build();
        let mut stream = parts_only.token_stream("Mot hedersvåld och heder");
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.text.clone(), t.position));
        }
        assert_eq!(got, [("heder".to_string(), 1), ("våld".to_string(), 1)]);
    }
}
