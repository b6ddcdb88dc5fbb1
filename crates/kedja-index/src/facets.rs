//! The total and the facet counts of a search in one pass that does not
//! score, with the facets under a time budget: counting every match is
//! cheap, reading every match's facets is not (a query that matches most
//! of a million documents reads millions of facet lists), so once the
//! budget is spent the facets stop where they are and say so, while the
//! total stays exact.

use std::time::Instant;

use tantivy::collector::{Collector, FacetCollector, FacetCounts, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Matches between two looks at the clock in [`SegmentCollector::collect`].
const CHECK_EVERY: usize = 256;

/// Counts every match and, until `deadline`, the facets of each.
pub(crate) struct CountAndFacets {
    pub facets: FacetCollector,
    pub deadline: Instant,
}

/// What a pass gives: the total, the facet counts, and whether they are
/// over every match.
pub(crate) struct Counted {
    pub total: usize,
    pub facets: FacetCounts,
    pub complete: bool,
}

pub(crate) struct SegmentCount {
    /// `None` once the budget is spent (or when it was spent before the
    /// segment began).
    facets: Option<<FacetCollector as Collector>::Child>,
    deadline: Instant,
    count: usize,
    complete: bool,
}

impl SegmentCount {
    fn over_budget(&mut self) {
        if self.facets.is_some() && Instant::now() >= self.deadline {
            self.facets = None;
            self.complete = false;
        }
    }
}

impl Collector for CountAndFacets {
    type Fruit = Counted;
    type Child = SegmentCount;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let open = Instant::now() < self.deadline;
        Ok(SegmentCount {
            facets: if open {
                Some(self.facets.for_segment(ord, segment)?)
            } else {
                None
            },
            deadline: self.deadline,
            count: 0,
            complete: open,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(usize, Option<FacetCounts>, bool)>,
    ) -> tantivy::Result<Counted> {
        let total = fruits.iter().map(|(n, _, _)| n).sum();
        let complete = fruits.iter().all(|(_, _, c)| *c);
        let facets = self
            .facets
            .merge_fruits(fruits.into_iter().filter_map(|(_, f, _)| f).collect())?;
        Ok(Counted {
            total,
            facets,
            complete,
        })
    }
}

impl SegmentCollector for SegmentCount {
    type Fruit = (usize, Option<FacetCounts>, bool);

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.count.is_multiple_of(CHECK_EVERY) {
            self.over_budget();
        }
        self.count += 1;
        if let Some(f) = &mut self.facets {
            f.collect(doc, score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.over_budget();
        self.count += docs.len();
        if let Some(f) = &mut self.facets {
            for doc in docs {
                f.collect(*doc, 0.0);
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.count, self.facets.map(|f| f.harvest()), self.complete)
    }
}
