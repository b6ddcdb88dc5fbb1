//! The tantivy token filter that adds the parts of Swedish compounds after
//! each word, at the same position and over the same characters, so
//! "hedersvåld" is indexed as "hedersvåld", "heder" and "våld" and a
//! search for "våld" finds it (and marks the whole word in snippets).
//!
//! Only the index analyzer splits: queries are analysed without it, so a
//! query word is looked up as written and never turned into a phrase of
//! parts.

use std::collections::HashMap;
use std::sync::Arc;

use kedja_compound::Decompounder;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Splits kept per analyzer before the cache is emptied.
const CACHE_LIMIT: usize = 200_000;

#[derive(Clone, Debug)]
pub(crate) struct CompoundFilter {
    splitter: Arc<Decompounder>,
}

impl CompoundFilter {
    pub(crate) fn new(splitter: Arc<Decompounder>) -> CompoundFilter {
        CompoundFilter { splitter }
    }
}

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CompoundTokenizer<T> {
        CompoundTokenizer {
            splitter: self.splitter,
            inner,
            parts: Vec::new(),
            cache: HashMap::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct CompoundTokenizer<T> {
    splitter: Arc<Decompounder>,
    inner: T,
    parts: Vec<Token>,
    /// Each word's parts, as splitting costs far more than a lookup and
    /// words repeat.
    cache: HashMap<String, Option<Arc<[String]>>>,
}

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = CompoundStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.parts.clear();
        if self.cache.len() > CACHE_LIMIT {
            self.cache.clear();
        }
        CompoundStream {
            splitter: &self.splitter,
            tail: self.inner.token_stream(text),
            parts: &mut self.parts,
            cache: &mut self.cache,
            next: 0,
            current: None,
        }
    }
}

pub(crate) struct CompoundStream<'a, S> {
    splitter: &'a Decompounder,
    tail: S,
    parts: &'a mut Vec<Token>,
    cache: &'a mut HashMap<String, Option<Arc<[String]>>>,
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
        self.parts.clear();
        self.next = 0;
        self.current = None;
        if !self.tail.advance() {
            return false;
        }
        let word = self.tail.token();
        let splitter = self.splitter;
        let found = self
            .cache
            .entry(word.text.clone())
            .or_insert_with(|| splitter.split(&word.text).map(Arc::from))
            .clone();
        if let Some(found) = found {
            for part in found.iter().filter(|p| **p != word.text) {
                self.parts.push(Token {
                    text: part.clone(),
                    ..word.clone()
                });
            }
        }
        true
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
            .filter(CompoundFilter::new(splitter))
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
    }
}
