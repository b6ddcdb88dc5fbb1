//! The one precision, recall and F1 of every evaluation.

/// Counts of one scored quantity: how many the gold file has, how many
/// Kedja found, and how many of those are right.
///
/// One convention for empty denominators, everywhere: nothing found is
/// precision 1 (nothing claimed, nothing wrong) and nothing to find is
/// recall 1 (nothing missed); F1 of precision and recall both 0 is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub gold: usize,
    pub found: usize,
    pub correct: usize,
}

impl Score {
    pub fn new(gold: usize, found: usize, correct: usize) -> Score {
        Score {
            gold,
            found,
            correct,
        }
    }

    /// Count one comparison: whether the gold has a value, whether one was
    /// found, and whether they agree (counted only when both exist).
    pub fn add(&mut self, gold: bool, found: bool, correct: bool) {
        self.gold += usize::from(gold);
        self.found += usize::from(found);
        self.correct += usize::from(correct && gold && found);
    }

    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.found)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
}

/// The harmonic mean of a precision and a recall counted over different
/// things (links made, pairs cited); 0 when both are 0.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// `part / whole`, 1 when there is no whole (see [`Score`]).
pub fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_denominators_score_one_and_f1_is_the_harmonic_mean() {
        let none = Score::default();
        assert_eq!((none.precision(), none.recall()), (1.0, 1.0));
        let s = Score::new(4, 2, 1);
        assert_eq!((s.precision(), s.recall()), (0.5, 0.25));
        assert!((s.f1() - 2.0 * 0.5 * 0.25 / 0.75).abs() < 1e-12);
        assert_eq!(Score::new(3, 3, 0).f1(), 0.0);
    }

    #[test]
    fn a_comparison_counts_as_right_only_when_both_sides_exist() {
        let mut s = Score::default();
        s.add(true, false, true);
        s.add(false, true, true);
        s.add(true, true, true);
        s.add(true, true, false);
        assert_eq!(s, Score::new(3, 3, 1));
    }
}
