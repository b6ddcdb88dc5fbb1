//! Tracking: the commitments documents state and the reports on them,
//! brought up to date for the documents whose links changed.

use std::collections::HashSet;

use kedja_link::DocCommitments;
use kedja_model::{Commitment, CommitmentText, DocId, Document};

use crate::{Archive, Result};

/// What tracking needs of each document with found commitments, from the
/// store's rows.
pub(crate) fn doc_commitments(
    found: Vec<(DocId, kedja_model::Record, CommitmentText)>,
) -> Vec<DocCommitments> {
    found
        .into_iter()
        .map(|(id, record, found)| DocCommitments {
            id,
            kind: record.kind,
            date: record.date,
            municipality: record.municipality,
            paragraph: record
                .paragraph
                .as_deref()
                .and_then(|p| p.trim_start_matches('§').trim().parse().ok()),
            body: record.body,
            found,
        })
        .collect()
}

/// The commitments and status statements of a document, if it states or
/// reports on any.
pub(crate) fn found_commitments(doc: &Document) -> Option<CommitmentText> {
    // A whole protocol is saved § by §: each § states and reports on its
    // own commitments, with the body and date of its decision.
    if doc.record.kind == kedja_model::DocKind::Protocol
        && doc.record.part_of.is_none()
        && kedja_extract::read_minutes(&doc.text).is_some_and(|m| m.whole && !m.sections.is_empty())
    {
        return None;
    }
    let found = kedja_extract::find_commitments(&doc.text, &doc.record);
    let empty =
        found.commitments.is_empty() && found.statuses.is_empty() && found.report_line.is_none();
    (!empty).then_some(found)
}

impl Archive {
    /// Every tracked commitment with its status reports.
    pub fn commitments(&self) -> Result<Vec<Commitment>> {
        Ok(self.store.commitments()?)
    }

    /// Track every commitment through the current links. Tracking reads
    /// the documents that state or report on commitments, and the links
    /// that touch them, from the store.
    pub(crate) fn retrack(&mut self) -> Result<usize> {
        let found = self.store.found_commitments()?;
        let links = self.store.links_of_committing()?;
        let tracked = kedja_link::track(&doc_commitments(found), &links);
        self.store.replace_commitments(&tracked)?;
        Ok(tracked.len())
    }

    /// Track again the commitments that links changed since the last
    /// tracking can affect: the changes are noted at the relinked
    /// documents and the documents they linked to, before and after.
    /// Tracking relates documents at most two links apart, so that is every
    /// commitment of the documents that state or report on any within two
    /// links of a touched document, and of those within two links of them,
    /// and so on: a group that nothing outside it bears on. The rest of the
    /// archive keeps its tracked commitments.
    ///
    /// Imports of files do this after each call; [`Archive::import_batch`]
    /// leaves it to its caller (the crawler calls it once per run: with a
    /// document that many others cite, such as a budget decision, the
    /// group can be most of a municipality's commitments), and opening an
    /// archive does it when an earlier run stopped before it.
    pub fn track_pending(&mut self) -> Result<usize> {
        let touched = self.store.tracking_pending()?;
        if touched.is_empty() {
            return Ok(0);
        }
        let mut near: HashSet<DocId> = self.store.neighbours(&touched)?;
        near.extend(touched.iter().cloned());
        let near: Vec<DocId> = near.into_iter().collect();
        let mut group: HashSet<DocId> = self.store.committing(&near)?.into_iter().collect();
        let mut frontier: Vec<DocId> = group.iter().cloned().collect();
        while !frontier.is_empty() {
            let one: Vec<DocId> = self.store.neighbours(&frontier)?.into_iter().collect();
            let mut within_two: HashSet<DocId> = self.store.neighbours(&one)?;
            within_two.extend(one);
            let reached: Vec<DocId> = within_two.into_iter().collect();
            frontier = self
                .store
                .committing(&reached)?
                .into_iter()
                .filter(|d| group.insert(d.clone()))
                .collect();
        }
        let mut group: Vec<DocId> = group.into_iter().collect();
        group.sort();
        let found = self.store.found_commitments_of(&group)?;
        let links = self.store.links_touching(&group)?;
        let tracked = kedja_link::track(&doc_commitments(found), &links);
        // A touched document that no longer states a commitment loses the
        // ones it had.
        let mut replaced = group;
        replaced.extend(touched);
        self.store.replace_commitments_of(&replaced, &tracked)?;
        Ok(tracked.len())
    }
}
