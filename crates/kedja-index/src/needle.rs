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

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// A text longer than this (bytes) is cut to the windows around its
/// needles before a snippet is sought in it; a shorter one is read whole.
const LONG_TEXT: usize = 2048;
/// At most this many windows, and about this many bytes of them, are read:
/// a long protocol that names the query's word on every page gives its
/// snippet from the first of them.
const MAX_WINDOWS: usize = 16;
const MAX_WINDOW_BYTES: usize = 16 * 1024;
/// How far a window's edge moves to fall between two words.
const WORD_SNAP: usize = 32;

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

/// The places in a long text where a snippet can be: the needles found
/// by one case-insensitive scan of the text (a regex of the needles as
/// literals, far cheaper than analysing every word), each with the text
/// about it.
///
/// A fragment that holds no needle scores nothing, so the best fragment
/// lies in these windows. They are joined with a run of spaces longer
/// than a fragment, so that no fragment spans two of them: the snippet is
/// always text that stands together in the document.
#[derive(Clone, Debug)]
pub(crate) struct Windows {
    needles: Option<Arc<[String]>>,
    /// Compiled when the first long text comes: most pages of hits have
    /// none.
    finder: std::cell::OnceCell<Option<regex::Regex>>,
}

impl Windows {
    /// Windows for `filter`'s needles; `every_word` has none, and its
    /// texts are read whole.
    pub(crate) fn new(filter: &NeedleFilter) -> Windows {
        Windows {
            needles: filter.needles.clone(),
            finder: std::cell::OnceCell::new(),
        }
    }

    /// One case-insensitive regex of the needles as literals (`None`
    /// without needles).
    fn finder(&self) -> Option<&regex::Regex> {
        self.finder
            .get_or_init(|| {
                let needles = self.needles.as_deref().filter(|n| !n.is_empty())?;
                let alternatives: Vec<String> = needles.iter().map(|n| regex::escape(n)).collect();
                regex::RegexBuilder::new(&alternatives.join("|"))
                    .case_insensitive(true)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// The text a snippet of at most `width` bytes is sought in: `text`
    /// itself when it is short, else its windows around the needles (empty
    /// when none occurs).
    pub(crate) fn of<'t>(&self, text: &'t str, width: usize) -> Cow<'t, str> {
        if text.len() <= LONG_TEXT {
            return Cow::Borrowed(text);
        }
        let Some(finder) = self.finder() else {
            return Cow::Borrowed(text);
        };
        // A fragment holding the needle can start `width` before it and
        // end `width` after it.
        let margin = width;
        let mut spans: Vec<Range<usize>> = Vec::new();
        let mut total = 0;
        for m in finder.find_iter(text) {
            let from = word_start(text, m.start().saturating_sub(margin));
            let to = word_end(text, (m.end() + margin).min(text.len()));
            if total >= MAX_WINDOW_BYTES {
                break;
            }
            if let Some(last) = spans.last_mut().filter(|last| from <= last.end) {
                total += to.saturating_sub(last.end);
                last.end = last.end.max(to);
            } else if spans.len() == MAX_WINDOWS {
                break;
            } else {
                total += to - from;
                spans.push(from..to);
            }
        }
        let gap = " ".repeat(width + 1);
        let parts: Vec<&str> = spans.into_iter().map(|r| &text[r]).collect();
        Cow::Owned(parts.join(&gap))
    }
}

/// `at`, moved forward to a char boundary and, within [`WORD_SNAP`]
/// bytes, to the start of a word.
fn word_start(text: &str, at: usize) -> usize {
    let mut i = at;
    while !text.is_char_boundary(i) {
        i += 1;
    }
    if i == 0 {
        return 0;
    }
    let before_is_space = text[..i]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    if before_is_space {
        return i;
    }
    match text[i..]
        .char_indices()
        .take_while(|(j, _)| *j <= WORD_SNAP)
        .find(|(_, c)| c.is_whitespace())
    {
        Some((j, c)) => i + j + c.len_utf8(),
        None => i,
    }
}

/// `at`, moved back to a char boundary and, within [`WORD_SNAP`] bytes,
/// to the end of a word.
fn word_end(text: &str, at: usize) -> usize {
    let mut i = at;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    if i == text.len() || text[i..].starts_with(char::is_whitespace) {
        return i;
    }
    match text[..i]
        .char_indices()
        .rev()
        .take_while(|(j, _)| i - j <= WORD_SNAP)
        .find(|(_, c)| c.is_whitespace())
    {
        Some((j, _)) => j,
        None => i,
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

    #[test]
    fn a_long_text_is_read_only_around_its_needles() {
        let windows = Windows::new(&NeedleFilter::new(["våld"]));
        // Short texts are read whole, with or without a needle.
        let short = "Budgeten för året.";
        assert!(matches!(windows.of(short, 40), Cow::Borrowed(t) if t == short));
        // A long text without a needle gives nothing to read.
        let filler = "Åtgärder för äldreomsorgen följs upp årligen. ".repeat(100);
        assert_eq!(windows.of(&filler, 40), "");
        // One needle far in: its window, cut between words, in any case.
        let text = format!("{filler}Mäns VÅLD mot kvinnor. {filler}");
        let window = windows.of(&text, 40).into_owned();
        assert!(window.contains("Mäns VÅLD mot kvinnor."), "{window}");
        assert!(
            window.len() <= 2 * 40 + "Mäns VÅLD".len() + 2 * WORD_SNAP,
            "{window}"
        );
        assert!(
            text.contains(&window),
            "a window is the document's own text"
        );
        let first = window.split_whitespace().next().unwrap();
        assert!(
            filler.split_whitespace().any(|w| w == first),
            "starts on a word: {window}"
        );
        // Two needles far apart: two windows, a gap wider than a fragment
        // between them, each the document's own text.
        let text = format!("{filler}våldet i nära relationer {filler}hedersvåld {filler}");
        let window = windows.of(&text, 40).into_owned();
        let parts: Vec<&str> = window.split(&" ".repeat(41)).collect();
        assert_eq!(parts.len(), 2, "{window}");
        assert!(parts[0].contains("våldet") && parts[1].contains("hedersvåld"));
        assert!(parts.iter().all(|p| text.contains(p.trim())));
        // A needle on every line: at most the budget is read.
        let dense = "våld ".repeat(20_000);
        assert!(windows.of(&dense, 40).len() <= MAX_WINDOW_BYTES + 2 * 40 + 2 * WORD_SNAP);
    }
}
