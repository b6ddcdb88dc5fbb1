//! A token filter before the Swedish Snowball stemmer that turns the
//! definite forms Snowball keeps into their indefinite form when that is
//! a known word ("avtalet" → "avtal", "skolan" → "skola", "miljön" →
//! "miljö"; see `kedja_compound::Decompounder::base_form`), so that the
//! stemmer then reduces every form of a word alike and a search for
//! "avtal" finds "avtalet". It runs at index and query time, with the
//! lexicon of the index.

use std::sync::Arc;

use kedja_compound::Decompounder;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

#[derive(Clone, Debug)]
pub(crate) struct BaseFormFilter {
    words: Arc<Decompounder>,
}

impl BaseFormFilter {
    pub(crate) fn new(words: Arc<Decompounder>) -> BaseFormFilter {
        BaseFormFilter { words }
    }
}

impl TokenFilter for BaseFormFilter {
    type Tokenizer<T: Tokenizer> = BaseFormTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> BaseFormTokenizer<T> {
        BaseFormTokenizer {
            words: self.words,
            inner,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct BaseFormTokenizer<T> {
    words: Arc<Decompounder>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for BaseFormTokenizer<T> {
    type TokenStream<'a> = BaseFormStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BaseFormStream {
            words: &self.words,
            tail: self.inner.token_stream(text),
        }
    }
}

pub(crate) struct BaseFormStream<'a, S> {
    words: &'a Decompounder,
    tail: S,
}

impl<S: TokenStream> TokenStream for BaseFormStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(base) = self.words.base_form(&token.text) {
            let len = base.len();
            token.text.truncate(len);
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
    use kedja_compound::Lexicon;
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    fn stems(words: &[&str], text: &str) -> Vec<String> {
        let mut lexicon = Lexicon::new();
        for w in words {
            lexicon.add_word(w, 5);
        }
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(BaseFormFilter::new(Arc::new(Decompounder::new(lexicon))))
            .filter(Stemmer::new(Language::Swedish))
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn definite_forms_meet_the_others() {
        let known = [
            "avtal",
            "klimat",
            "samhälle",
            "skola",
            "miljö",
            "handel",
            "budget",
            "arbete",
        ];
        assert_eq!(
            stems(&known, "avtal avtalet avtalen avtalets"),
            ["avtal"; 4]
        );
        assert_eq!(stems(&known, "klimat klimatet klimatets"), ["klim"; 3]);
        assert_eq!(stems(&known, "samhälle samhället"), ["samhäll"; 2]);
        assert_eq!(stems(&known, "skola skolan skolans skolor"), ["skol"; 4]);
        assert_eq!(stems(&known, "miljö miljön"), ["miljö"; 2]);
        assert_eq!(stems(&known, "handel handeln"), ["handel"; 2]);
        assert_eq!(stems(&known, "arbete arbetet"), ["arbet"; 2]);
        // Not definite forms of a known word: left to the stemmer.
        assert_eq!(
            stems(&known, "budget budgeten paket region"),
            ["budget", "budget", "paket", "region"]
        );
        // Unknown words are not guessed at.
        assert_eq!(stems(&[], "avtalet"), ["avtalet"]);
    }
}
