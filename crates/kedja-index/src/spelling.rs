//! A Levenshtein automaton over the term dictionary, for spelling
//! suggestions. tantivy walks its dictionary with such automata for fuzzy
//! queries but keeps its adapter to the `fst` automaton trait private, so
//! the few lines of that adapter are here; the automaton itself is
//! `levenshtein_automata`'s.

use std::sync::OnceLock;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy_fst::Automaton;

/// The terms within `max` (1 or 2) edits of `word`, counted in
/// characters, transpositions as two.
pub(crate) fn within(word: &str, max: usize) -> Within {
    // Building a builder precomputes its tables: once per distance.
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    let builder = if max <= 1 {
        ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, false))
    } else {
        TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, false))
    };
    Within(std::sync::Arc::new(builder.build_dfa(word)))
}

#[derive(Clone)]
pub(crate) struct Within(std::sync::Arc<DFA>);

impl Automaton for Within {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(a: &Within, s: &str) -> bool {
        let mut state = a.start();
        for b in s.bytes() {
            state = a.accept(&state, b);
        }
        a.is_match(&state)
    }

    #[test]
    fn the_automaton_accepts_what_levenshtein_distance_allows() {
        let words = [
            "kommun",
            "kommunen",
            "komun",
            "kommunn",
            "kömmun",
            "kmmun",
            "kommunerna",
            "skola",
            "skolan",
            "skolor",
            "sjukvård",
            "sjukvard",
            "sjukvårdn",
            "sjkvård",
            "ökning",
            "okning",
            "öknning",
            "",
        ];
        for query in ["kommun", "skola", "sjukvård", "ökning"] {
            for max in [1, 2] {
                let a = within(query, max);
                for w in words {
                    assert_eq!(
                        accepts(&a, w),
                        strsim::levenshtein(query, w) <= max,
                        "{query} ~{max} {w}"
                    );
                }
            }
        }
    }
}
