//! Swedish compound splitting for the search index: "hedersvåld" is
//! "heder" + "våld", "handlingsplanerna" is "handling" + "planerna", so a
//! search for "våld" or "handlingsplan" finds them.
//!
//! Pure: a [`Lexicon`] of known words with how often they occur (counted
//! from the archive's own text, optionally merged with a Swedish word list
//! read elsewhere) and a [`Decompounder`] that splits one lowercased word
//! into parts, or says it is not a compound.
//!
//! Written here rather than taken from a crate: tantivy's
//! `SplitCompoundWords` needs the whole word to be a concatenation of
//! dictionary entries as written, drops the original word and knows neither
//! Swedish linking letters (the s of "vålds-", the o of "kvinno-" for
//! "kvinna", the dropped a of "skol-" for "skola") nor the rule that three
//! equal consonants are written as two ("kontrollista" is "kontroll" +
//! "lista"); no maintained crate splits Swedish compounds.
//!
//! How a split is chosen, after Koehn and Knight (2003): every way of
//! reading the word as modifiers plus a head where each part is a known
//! word is considered; the fewest parts win, and among those the split
//! whose parts are most frequent (highest geometric mean of their counts);
//! and the word is split only when that mean exceeds its own count.
//! A modifier in the genitive ("bostads-") is given as its word. Function words are never parts ("varför" is not "var" + "för"), a head
//! is never a derivational ending that happens to be a word ("planera" is
//! not "plan" + "era"), and [`EXCEPTIONS`] lists lexicalised words whose
//! split would mislead ("våldtäkt" is not a kind of "våld").

mod bundled;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

pub use bundled::bundled_word_list;

/// A word counts as known once seen this often.
pub const MIN_KNOWN: u32 = 2;
/// Shortest part, in characters.
pub const MIN_PART: usize = 3;
/// Shortest word worth splitting: two parts of [`MIN_PART`].
pub const MIN_COMPOUND: usize = 2 * MIN_PART;
/// Longest word considered, in characters.
pub const MAX_WORD: usize = 48;
/// Most parts in one split.
const MAX_PARTS: usize = 4;
/// How much more frequent than its parts a compound of parts of four
/// letters or more may be and still be split.
const LONG_PARTS_FACTOR: f64 = 10.0;
/// Derivational endings, longest first, and what turns the rest into the
/// word they derive from ("-ningen" of "lagstiftningen" from "lagstifta").
const DERIVED: &[(&str, &str)] = &[
    ("ningarna", "a"),
    ("heterna", ""),
    ("ningar", "a"),
    ("ningen", "a"),
    ("heten", ""),
    ("heter", ""),
    ("ning", "a"),
    ("het", ""),
];
/// Shortest part that is itself split again.
const MIN_NESTED: usize = 8;
/// A word is read as an inflection of a shorter one (a genitive s, a
/// definite -t, -n or -et) only when the shorter one is seen in the archive
/// at least 1/FORM_RATIO as often: a "base" far rarer than the form is a
/// fragment a frequency list holds ("poli" of "polis", "pla" of "plan",
/// "arbet" of "arbets-"), not what the form inflects.
const FORM_RATIO: f64 = 20.0;

/// Words that are never split although they could be read as compounds.
pub const EXCEPTIONS: &[&str] = &[
    "våldtäkt",
    "våldtäkter",
    "våldtäkten",
    "våldtäkterna",
    "våldtäkts",
    "varför",
    "bilaga",
    "bilagan",
    "bilagor",
    "kvartal",
    "kvartalet",
    "kvartalen",
];

/// Function words: never a part of a compound.
const FUNCTION_WORDS: &[&str] = &[
    "alla", "allt", "att", "av", "bara", "blev", "bli", "blir", "dem", "den", "denna", "deras",
    "dess", "dessa", "det", "detta", "dig", "din", "dina", "ditt", "där", "efter", "ej", "en",
    "ens", "er", "era", "ert", "ett", "för", "från", "hade", "han", "hans", "har", "hennes", "hon",
    "hur", "här", "icke", "in", "inga", "ingen", "inget", "inom", "inte", "kan", "man", "med",
    "mellan", "men", "mig", "min", "mina", "mitt", "mot", "något", "några", "någon", "när", "och",
    "också", "om", "oss", "på", "redan", "sedan", "samma", "sig", "sin", "sina", "sitt", "ska",
    "skall", "som", "så", "till", "tills", "under", "upp", "ut", "utan", "var", "vara", "vad",
    "vars", "vart", "varje", "vem", "vi", "vid", "vilka", "vilken", "vilket", "vår", "våra",
    "vårt", "än", "åt", "över",
];

/// Endings that are words in their own right but, at the end of a longer
/// word, make a derivation, not a compound.
const NOT_HEADS: &[&str] = &[
    "ade", "ades", "aga", "agen", "ande", "arnas", "bart", "dom", "domar", "domarna", "domen",
    "eras", "ernas", "ister", "kapet", "lade", "lera", "ornas", "ring", "ringar", "ringen", "sant",
    "sten", "stens", "tiga", "ans", "ant", "are", "aren", "arna", "ell", "else", "ena", "ende",
    "ens", "ent", "era", "erad", "erade", "erar", "erat", "ering", "erna", "ets", "gen", "get",
    "het", "heten", "isk", "ism", "ist", "lig", "liga", "ligt", "nas", "nen", "ning", "ningar",
    "ningen", "orna", "ren", "ser", "tas", "ter", "terna", "tion", "tionen",
    // Short verb forms and suffixes: "deltar", "strömmer", "delvis",
    // "medborgarskap".
    "ger", "gör", "kap", "mats", "mer", "samt", "tar", "tog", "vis",
];

/// The words of a word list, one per line, UTF-8 or Latin-1 (as Debian's
/// `wswedish` ships it), lowercased. Entries with a capital (names) or
/// anything but letters are left out.
pub fn read_word_list(bytes: &[u8]) -> Vec<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    text.lines()
        .map(str::trim)
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .filter_map(normal)
        .collect()
}

/// Particles and prefixes that make verbs and their derivations, not
/// compounds: "föreslår" is no kind of "slår", "framtiden" no kind of
/// "tiden".
const NOT_MODIFIERS: &[&str] = &[
    "all", "bak", "bort", "bör", "for", "förs", "redo", "däri", "emot", "fort", "fram", "förut",
    "genom", "hit", "ihop", "inne", "kvar", "ned", "ner", "ovan", "nedan", "samman", "tillbaka",
    "utanför", "åter", "före",
];

/// Whether `word` is a function word or a verb particle: never a part of
/// a compound ("för", "upp", "före").
pub fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word) || NOT_MODIFIERS.contains(&word)
}

/// Known words and how often each was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    counts: HashMap<String, u32>,
}

impl Lexicon {
    pub fn new() -> Lexicon {
        Lexicon::default()
    }

    /// Count the words of `text` (letters only, lowercased).
    pub fn add_text(&mut self, text: &str) {
        // Most words are seen before: look them up in a reused buffer and
        // allocate only for a new one.
        let mut lower = String::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if !countable(word) {
                continue;
            }
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            match self.counts.get_mut(lower.as_str()) {
                Some(n) => *n = n.saturating_add(1),
                None => {
                    self.counts.insert(lower.clone(), 1);
                }
            }
        }
    }

    /// Add `n` occurrences of `word` (lowercased).
    pub fn add_word(&mut self, word: &str, n: u32) {
        let Some(word) = normal(word) else { return };
        let count = self.counts.entry(word).or_default();
        *count = count.saturating_add(n);
    }

    /// How often `word` was seen (0 when never).
    pub fn count(&self, word: &str) -> u32 {
        self.counts.get(word).copied().unwrap_or(0)
    }

    /// Whether `word` is known: seen at least [`MIN_KNOWN`] times.
    pub fn knows(&self, word: &str) -> bool {
        self.count(word) >= MIN_KNOWN
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The known words as "word\tcount" lines, sorted; words seen fewer
    /// than [`MIN_KNOWN`] times are left out.
    pub fn to_tsv(&self) -> String {
        let mut known: Vec<(&String, &u32)> = self
            .counts
            .iter()
            .filter(|(_, n)| **n >= MIN_KNOWN)
            .collect();
        known.sort();
        let mut out = String::new();
        for (word, n) in known {
            out.push_str(word);
            out.push('\t');
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    }

    /// Read [`Lexicon::to_tsv`]'s format. Lines that do not parse are
    /// returned as problems and skipped.
    pub fn from_tsv(text: &str) -> (Lexicon, Vec<String>) {
        let mut lexicon = Lexicon::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let parsed = line
                .split_once('\t')
                .and_then(|(w, n)| Some((w, n.trim().parse::<u32>().ok()?)));
            match parsed {
                Some((word, n)) => lexicon.add_word(word, n),
                None if line.trim().is_empty() => {}
                None => problems.push(format!("line {}: not \"word<TAB>count\"", i + 1)),
            }
        }
        (lexicon, problems)
    }
}

/// The lowercased words of `text` that could be compound parts: letters
/// only, at most [`MAX_WORD`] characters.
/// Whether `word` could be a compound part: letters only, 2 to
/// [`MAX_WORD`] of them.
fn countable(word: &str) -> bool {
    let n = word.chars().count();
    (2..=MAX_WORD).contains(&n) && word.chars().all(char::is_alphabetic)
}

fn normal(word: &str) -> Option<String> {
    countable(word).then(|| word.to_lowercase())
}

/// Splits words into known parts; see the crate documentation.
#[derive(Debug)]
pub struct Decompounder {
    lexicon: Lexicon,
    /// When given, the words that may be parts; otherwise every word of
    /// the lexicon seen [`MIN_KNOWN`] times may.
    dictionary: Option<Arc<HashSet<String>>>,
    function_words: HashSet<&'static str>,
    not_heads: HashSet<&'static str>,
    not_modifiers: HashSet<&'static str>,
    exceptions: HashSet<&'static str>,
    /// Splits already made, shared by every analyzer that uses this
    /// splitter: words repeat, and splitting costs far more than a lookup.
    memo: RwLock<HashMap<String, Option<Arc<[String]>>>>,
}

/// Splits remembered before the memo is emptied.
const MEMO_LIMIT: usize = 500_000;

/// One way of reading a word: its parts, the sum of the logarithms of
/// their counts, and how many linking letters it assumes.
#[derive(Debug, Clone)]
struct Reading {
    parts: Vec<String>,
    log_count: f64,
    /// Linking letters between the parts.
    links: usize,
}

impl Reading {
    /// Fewer parts, then fewer linking letters ("asyl|sökande" before
    /// "asyl|s|ökande"), then more frequent parts.
    fn better_than(&self, other: &Reading) -> bool {
        (self.parts.len(), self.links) < (other.parts.len(), other.links)
            || ((self.parts.len(), self.links) == (other.parts.len(), other.links)
                && self.log_count > other.log_count)
    }
}

impl Decompounder {
    /// Parts are the words seen [`MIN_KNOWN`] times in `lexicon`.
    pub fn new(lexicon: Lexicon) -> Decompounder {
        Decompounder {
            lexicon,
            dictionary: None,
            function_words: FUNCTION_WORDS.iter().copied().collect(),
            not_heads: NOT_HEADS.iter().copied().collect(),
            not_modifiers: NOT_MODIFIERS.iter().copied().collect(),
            exceptions: EXCEPTIONS.iter().copied().collect(),
            memo: RwLock::default(),
        }
    }

    /// Parts are the words of `dictionary` (a word list: far fewer false
    /// parts than the fragments a corpus holds, such as "rege" and
    /// "ringen"); `lexicon` gives their weights.
    pub fn with_dictionary(lexicon: Lexicon, dictionary: Arc<HashSet<String>>) -> Decompounder {
        Decompounder {
            dictionary: Some(dictionary),
            ..Decompounder::new(lexicon)
        }
    }

    /// The indefinite form of a definite form the Swedish Snowball
    /// stemmer leaves as it is, when that form is a known word: "avtalet"
    /// → "avtal", "samhället" → "samhälle", "skolan" → "skola", "miljön" →
    /// "miljö", "handeln" → "handel", and their genitives ("avtalets").
    /// Snowball has no rule for these (it keeps "avtalet" while it reduces
    /// "avtal" and "avtalen" alike), so without this a search for "avtal"
    /// misses "avtalet". `None` for anything else ("budget", "paket").
    pub fn base_form<'w>(&self, word: &'w str) -> Option<&'w str> {
        if let Some(base) = word
            .strip_suffix('s')
            .filter(|w| self.may_inflect(w, word))
            .and_then(|w| self.base_form(w))
        {
            return Some(base);
        }
        let known =
            |w: &str| w.chars().count() >= MIN_PART && self.knows(w) && self.may_inflect(w, word);
        if let Some(stem) = word.strip_suffix("et").filter(|s| known(s)) {
            return Some(stem);
        }
        let without = word.strip_suffix('t').or_else(|| word.strip_suffix('n'))?;
        let vowel_or_el =
            without.ends_with(['a', 'e', 'o', 'u', 'å', 'ä', 'ö']) || without.ends_with("el");
        (vowel_or_el && known(without)).then_some(without)
    }

    /// Whether `form` may be an inflection of `base`: `base` is seen in
    /// the archive at least 1/[`FORM_RATIO`] as often as `form`.
    fn may_inflect(&self, base: &str, form: &str) -> bool {
        (f64::from(self.lexicon.count(base)) + 1.0) * FORM_RATIO
            >= f64::from(self.lexicon.count(form)) + 1.0
    }

    fn knows(&self, word: &str) -> bool {
        match &self.dictionary {
            Some(words) => words.contains(word),
            None => self.lexicon.knows(word),
        }
    }

    /// The weight of a part: the logarithm of its count, plus one so that
    /// a word only the dictionary knows weighs more than nothing.
    fn weight(&self, word: &str) -> f64 {
        (f64::from(self.lexicon.count(word)) + 1.0).ln()
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// [`Decompounder::split`], remembered.
    pub fn split_cached(&self, word: &str) -> Option<Arc<[String]>> {
        if word.len() < MIN_COMPOUND {
            return None;
        }
        if let Ok(memo) = self.memo.read()
            && let Some(found) = memo.get(word)
        {
            return found.clone();
        }
        let found: Option<Arc<[String]>> = self.split(word).map(Arc::from);
        if let Ok(mut memo) = self.memo.write() {
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(word.to_owned(), found.clone());
        }
        found
    }

    /// The parts of `word` (lowercase), or `None` when it is not read as
    /// a compound: those of the best reading, then the parts of any part
    /// that is a compound itself. Modifiers come in their dictionary form ("kvinna" for
    /// "kvinno-", "skola" for "skol-"), the head as written ("planerna"),
    /// so the stemmer that follows reduces both like the words themselves.
    pub fn split(&self, word: &str) -> Option<Vec<String>> {
        let n = word.chars().count();
        if !(MIN_COMPOUND..=MAX_WORD).contains(&n)
            || self.exceptions.contains(word)
            || !word.chars().all(char::is_alphabetic)
        {
            return None;
        }
        let Some(reading) = self.best(word, MAX_PARTS) else {
            // A compound in the genitive: "sjukvårds" as "sjukvård".
            if let Some(parts) = word
                .strip_suffix('s')
                .filter(|base| !self.knows(word) || self.knows(base))
                .and_then(|base| self.split(base))
            {
                return Some(parts);
            }
            // A derivation of a compound whose derived head no word list
            // holds: "arbetslöshet" from "arbetslös", "lagstiftning" from
            // "lagstifta".
            return DERIVED.iter().find_map(|(suffix, added)| {
                let stem = word.strip_suffix(suffix)?;
                self.split(&format!("{stem}{added}"))
            });
        };
        // A word seen more often than its parts are, on average, is a word
        // of its own, not their compound ("regeringen" is not "rege" +
        // "ringen", "kommun" not "kom" + "mun"). Parts of four letters or
        // more are rarely such accidents, so their compounds may be up to
        // LONG_PARTS_FACTOR times more frequent than they ("sjukvården",
        // "trafikverket" are frequent in their own right).
        let mean = (reading.log_count / reading.parts.len() as f64).exp();
        let whole = f64::from(self.lexicon.count(word)) + 1.0;
        let long = reading.parts.iter().all(|p| p.chars().count() >= 4);
        let factor = if long { LONG_PARTS_FACTOR } else { 1.0 };
        if mean * factor <= whole {
            return None;
        }
        // A modifier in the genitive ("bostads-", "försvars-") is given as
        // its word, which the stemmer reduces like the word alone.
        let last = reading.parts.len() - 1;
        let mut reading = reading;
        for part in &mut reading.parts[..last] {
            if let Some(base) = part.strip_suffix('s')
                && base.chars().count() >= MIN_PART
                && self.knows(base)
                && self.may_inflect(base, part)
            {
                part.truncate(base.len());
            }
        }
        // Long parts that are compounds themselves add their own parts, so
        // "arbetsmarknadsministern" is also found by "arbete".
        let mut parts = reading.parts.clone();
        for part in reading
            .parts
            .iter()
            .filter(|p| p.chars().count() >= MIN_NESTED)
        {
            let inner = self.split(part).or_else(|| {
                // A modifier in its genitive form: "arbetsmarknads-".
                part.strip_suffix('s').and_then(|p| self.split(p))
            });
            if let Some(inner) = inner {
                for p in inner {
                    if !parts.contains(&p) {
                        parts.push(p);
                    }
                }
            }
        }
        Some(parts)
    }

    /// The best reading of `s` as at least one modifier and a head, with
    /// at most `parts` parts.
    fn best(&self, s: &str, parts: usize) -> Option<Reading> {
        if parts < 2 {
            return None;
        }
        let mut best: Option<Reading> = None;
        let cuts = s.char_indices().map(|(i, _)| i).skip(MIN_PART);
        for cut in cuts {
            let (written, rest) = s.split_at(cut);
            if rest.chars().count() < MIN_PART {
                break;
            }
            let Some(modifier) = self.modifier(written) else {
                continue;
            };
            // A modifier in the genitive weighs as its word: "vittnes-" is
            // as common as "vittne".
            let modifier_log = match modifier.strip_suffix('s') {
                Some(base) => self.weight(&modifier).max(self.weight(base)),
                None => self.weight(&modifier),
            };
            let as_written = modifier == written;
            for (rest, links) in rests(written, rest, as_written) {
                let mut candidates = Vec::new();
                if self.is_head(&rest) {
                    candidates.push(Reading {
                        log_count: self.weight(&rest),
                        parts: vec![rest.clone()],
                        links: 0,
                    });
                }
                if let Some(inner) = self.best(&rest, parts - 1) {
                    candidates.push(inner);
                }
                for tail in candidates {
                    let mut reading = Reading {
                        parts: Vec::with_capacity(tail.parts.len() + 1),
                        log_count: modifier_log + tail.log_count,
                        links: links + tail.links,
                    };
                    reading.parts.push(modifier.clone());
                    reading.parts.extend(tail.parts);
                    if best.as_ref().is_none_or(|b| reading.better_than(b)) {
                        best = Some(reading);
                    }
                }
            }
        }
        best
    }

    /// The dictionary form of a written modifier, if it is one: the word
    /// itself, or with the a or e that compounds drop ("skol-" from
    /// "skola", "pojk-" from "pojke"), or with a linking o or u in place of
    /// a final a ("kvinno-" from "kvinna", "gatu-" from "gata").
    fn modifier(&self, written: &str) -> Option<String> {
        if self.function_words.contains(written) || self.not_modifiers.contains(written) {
            return None;
        }
        if self.knows(written) {
            return Some(written.to_string());
        }
        for ending in ["a", "e"].iter().filter(|_| written.chars().count() >= 4) {
            let full = format!("{written}{ending}");
            if self.knows(&full) && !self.function_words.contains(full.as_str()) {
                return Some(full);
            }
        }
        if let Some(stem) = written
            .strip_suffix('o')
            .or_else(|| written.strip_suffix('u'))
            .filter(|stem| stem.chars().count() >= MIN_PART)
        {
            let full = format!("{stem}a");
            if self.knows(&full) {
                return Some(full);
            }
        }
        // A verb's a turned e ("önske-" from "önska") and Latin -ium
        // turned -ie ("gymnasie-" from "gymnasium").
        if let Some(stem) = written
            .strip_suffix('e')
            .filter(|stem| stem.chars().count() >= 4)
        {
            for full in [format!("{stem}a"), format!("{stem}um")] {
                if self.knows(&full) && !self.function_words.contains(full.as_str()) {
                    return Some(full);
                }
            }
        }
        None
    }

    fn is_head(&self, s: &str) -> bool {
        s.chars().count() >= MIN_PART
            && self.knows(s)
            && !self.function_words.contains(s)
            && !self.not_heads.contains(s)
            && !self.exceptions.contains(s)
    }
}

/// What may follow a modifier written as `written`, with the number of
/// linking letters assumed: the rest as it stands, the rest after a
/// linking s ("vålds|förebyggande"), and, when the modifier is a word as
/// written and ends in a double consonant, the rest with the third
/// consonant restored ("kontroll|ista" is "kontroll" + "lista").
fn rests(written: &str, rest: &str, as_written: bool) -> Vec<(String, usize)> {
    let mut out = vec![(rest.to_string(), 0)];
    if let Some(after_s) = rest.strip_prefix('s')
        && after_s.chars().count() >= MIN_PART
        && !written.ends_with('s')
    {
        out.push((after_s.to_string(), 1));
    }
    let mut tail = written.chars().rev();
    if let (Some(a), Some(b)) = (tail.next(), tail.next())
        && as_written
        && a == b
        && !"aeiouyåäö".contains(a)
        && !rest.starts_with(a)
    {
        out.push((format!("{a}{rest}"), 0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decompounder(words: &[&str]) -> Decompounder {
        let mut lexicon = Lexicon::new();
        for w in words {
            lexicon.add_word(w, 10);
        }
        Decompounder::new(lexicon)
    }

    fn check(d: &Decompounder, word: &str, expected: Option<&[&str]>) {
        let got = d.split(word);
        let expected = expected.map(|p| p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(got, expected, "{word}");
    }

    #[test]
    fn splits_with_linking_letters_and_dropped_vowels() {
        let d = decompounder(&[
            "heder",
            "våld",
            "handling",
            "planerna",
            "plan",
            "kvinna",
            "frid",
            "samordnare",
            "skola",
            "gård",
            "förebyggande",
            "gata",
            "belysning",
            "arbete",
            "marknad",
        ]);
        check(&d, "hedersvåld", Some(&["heder", "våld"]));
        check(&d, "handlingsplanerna", Some(&["handling", "planerna"]));
        check(&d, "våldsförebyggande", Some(&["våld", "förebyggande"]));
        check(
            &d,
            "kvinnofridssamordnare",
            Some(&["kvinna", "frid", "samordnare"]),
        );
        check(&d, "skolgård", Some(&["skola", "gård"]));
        check(&d, "gatubelysning", Some(&["gata", "belysning"]));
        check(&d, "arbetsmarknad", Some(&["arbete", "marknad"]));
    }

    #[test]
    fn parts_that_are_compounds_add_their_parts() {
        let d = decompounder(&["arbete", "marknad", "arbetsmarknads", "ministern"]);
        check(
            &d,
            "arbetsmarknadsministern",
            Some(&["arbetsmarknads", "ministern", "arbete", "marknad"]),
        );
    }

    #[test]
    fn derivations_of_compounds_are_split_through_their_stem() {
        let d = decompounder(&["arbete", "lös", "lag", "stifta"]);
        check(&d, "arbetslöshet", Some(&["arbete", "lös"]));
        check(&d, "arbetslösheten", Some(&["arbete", "lös"]));
        check(&d, "lagstiftningen", Some(&["lag", "stifta"]));
    }

    #[test]
    fn restores_the_third_consonant() {
        let d = decompounder(&["kontroll", "lista", "full", "lärd"]);
        check(&d, "kontrollista", Some(&["kontroll", "lista"]));
        check(&d, "fullärd", Some(&["full", "lärd"]));
    }

    #[test]
    fn does_not_split_what_is_not_a_compound() {
        let d = decompounder(&[
            "var",
            "för",
            "våld",
            "täkt",
            "plan",
            "era",
            "bil",
            "aga",
            "heder",
            "planering",
        ]);
        // Function words are no parts, derivational endings no heads,
        // and the exceptions stay whole.
        check(&d, "varför", None);
        check(&d, "planera", None);
        check(&d, "våldtäkt", None);
        check(&d, "bilaga", None);
        // Too short, unknown parts, or a known word with nothing to add.
        check(&d, "våld", None);
        check(&d, "planering", None);
        check(&d, "xyzvåld", None);
        check(&d, "hedersvåld2", None);
    }

    #[test]
    fn fewest_parts_then_most_frequent() {
        let mut lexicon = Lexicon::new();
        for (w, n) in [
            ("sam", 2),
            ("ordnare", 2),
            ("samordnare", 50),
            ("frid", 5),
            ("kvinna", 40),
        ] {
            lexicon.add_word(w, n);
        }
        let d = Decompounder::new(lexicon);
        // Seen more often than its rare parts: a word of its own.
        check(&d, "samordnare", None);
        check(&d, "fridssamordnare", Some(&["frid", "samordnare"]));
    }

    /// A frequency list holds fragments of words ("poli", "pla"); seen far
    /// more rarely than the word, they are not what it inflects, so
    /// "polis-" stays "polis" and "plan" is no definite form of "pla".
    #[test]
    fn a_fragment_far_rarer_than_a_word_is_not_its_base() {
        let counts = [
            ("polis", 600),
            ("poli", 20),
            ("myndigheten", 300),
            ("plan", 700),
            ("pla", 5),
            ("bostad", 500),
            ("bostads", 50),
            ("område", 400),
            ("avtal", 900),
            ("avtalet", 600),
        ];
        let mut lexicon = Lexicon::new();
        for (w, n) in counts {
            lexicon.add_word(w, n);
        }
        let words = counts.iter().map(|(w, _)| w.to_string()).collect();
        let d = Decompounder::with_dictionary(lexicon, Arc::new(words));
        check(&d, "polismyndigheten", Some(&["polis", "myndigheten"]));
        check(&d, "bostadsområde", Some(&["bostad", "område"]));
        assert_eq!(d.base_form("plan"), None);
        assert_eq!(d.base_form("polis"), None);
        assert_eq!(d.base_form("avtalet"), Some("avtal"));
        assert_eq!(d.base_form("avtalets"), Some("avtal"));
    }

    #[test]
    fn only_words_seen_twice_count() {
        let mut lexicon = Lexicon::new();
        lexicon.add_text("Våld. Heder och heder, våld!");
        let d = Decompounder::new(lexicon.clone());
        check(&d, "hedersvåld", Some(&["heder", "våld"]));
        lexicon = Lexicon::new();
        lexicon.add_text("våld heder heder");
        check(&Decompounder::new(lexicon), "hedersvåld", None);
    }

    #[test]
    fn word_lists_in_latin1_and_the_tsv_round_trip() {
        let latin1: Vec<u8> = b"v\xe5ld\nStockholm\nA-barn\nheder\n".to_vec();
        assert_eq!(read_word_list(&latin1), ["våld", "heder"]);
        assert_eq!(
            read_word_list("våld\nheder\n".as_bytes()),
            ["våld", "heder"]
        );

        let mut lexicon = Lexicon::new();
        lexicon.add_text("våld våld heder heder heder hapax");
        let (back, problems) = Lexicon::from_tsv(&lexicon.to_tsv());
        assert_eq!(back.count("heder"), 3);
        assert_eq!(back.count("hapax"), 0, "words seen once are not kept");
        assert_eq!(back.len(), 2);
        assert!(problems.is_empty());
        let (_, problems) = Lexicon::from_tsv("våld\t3\nbroken line\n\nheder\tx\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn a_dictionary_decides_what_a_part_is() {
        let mut lexicon = Lexicon::new();
        lexicon.add_text("rege rege ringen ringen heder våld");
        let dictionary = ["ringen", "heder", "våld"].map(String::from);
        let d = Decompounder::with_dictionary(lexicon, Arc::new(dictionary.into()));
        check(&d, "regeringen", None);
        check(&d, "hedersvåld", Some(&["heder", "våld"]));
    }

    #[test]
    fn a_word_more_frequent_than_its_parts_is_not_split() {
        let mut lexicon = Lexicon::new();
        for (w, n) in [
            ("regeringen", 500),
            ("rege", 3),
            ("ringen", 4),
            ("stat", 40),
        ] {
            lexicon.add_word(w, n);
        }
        lexicon.add_word("rådet", 90);
        lexicon.add_word("statsrådet", 20);
        let d = Decompounder::new(lexicon);
        check(&d, "regeringen", None);
        check(&d, "statsrådet", Some(&["stat", "rådet"]));
    }
}
