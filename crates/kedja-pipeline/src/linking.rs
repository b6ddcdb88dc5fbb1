//! Linking: the keys each document is found by, and its references
//! resolved to links, for the documents an import or a change touched.

use std::borrow::Cow;
use std::collections::HashSet;

use kedja_link::{Corpus, DocInfo, Want};
use kedja_model::{DocId, Document, RefKind, Reference};
use kedja_store::{CandidateQuery, Derived, Store};

use crate::tracking::found_commitments;
use crate::{Archive, Result};

/// Counts of a linking run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Documents whose references were resolved.
    pub documents: usize,
    pub links: usize,
    /// References that point at no stored document (yet).
    pub unresolved: usize,
}

/// The store as the corpus references resolve against: each reference's
/// candidates are read with an index on municipality, kind and date, or
/// by key (paragraph, diarienummer, document number, author).
struct StoreCorpus<'a>(&'a Store);

impl Corpus for StoreCorpus<'_> {
    type Error = kedja_store::Error;

    fn candidates<'s>(
        &'s self,
        want: &Want<'_>,
    ) -> std::result::Result<Vec<Cow<'s, DocInfo>>, Self::Error> {
        let citing = want.citing;
        let to = match (want.within.map(|w| w.end), citing.date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let key = kedja_link::wanted_key(want);
        let author = want.author.map(kedja_link::author_key);
        let shared = kedja_link::shared_keys(want);
        let query = CandidateQuery {
            exclude: &citing.id,
            municipality: want.municipality,
            kinds: want.kinds,
            from: want.within.map(|w| w.start),
            to,
            dated: want.dated,
            key: key.as_deref(),
            among: author
                .as_deref()
                .map(|a| (a, kedja_link::AUTHOR_PREFIX, kedja_link::AUTHORED)),
            any_key: shared.as_deref(),
        };
        Ok(self
            .0
            .candidates(&query)?
            .into_iter()
            .map(|(id, record, source)| Cow::Owned(DocInfo::from_stored(id, &record, &source)))
            .collect())
    }
}

impl Archive {
    /// Resolve the references of every document again.
    pub fn relink_all(&mut self) -> Result<LinkStats> {
        self.derive_pending()?;
        let ids = self.store.document_ids()?;
        let (stats, _) = self.relink(&ids)?;
        self.retrack()?;
        Ok(stats)
    }

    /// Derive the lookup keys and found commitments of every document
    /// saved since they were last derived (see [`kedja_store::Derived`]),
    /// and return their ids.
    pub fn derive_pending(&mut self) -> Result<Vec<DocId>> {
        let mut done = Vec::new();
        loop {
            let batch = self.store.pending_derivation()?;
            if batch.is_empty() {
                return Ok(done);
            }
            for id in batch {
                let derived = match self.store.get(&id)? {
                    Some(doc) => self.derive(&doc)?,
                    None => continue,
                };
                self.store.save_derived(&id, &derived)?;
                done.push(id);
            }
        }
    }

    fn derive(&self, doc: &Document) -> Result<Derived> {
        let info = DocInfo::from_stored(doc.id.clone(), &doc.record, &doc.source);
        let reference_keys = self
            .store
            .references(&doc.id)?
            .into_iter()
            .map(|r| {
                (
                    r.id,
                    kedja_link::reference_key(&r.reference, doc.record.date),
                )
            })
            .collect();
        Ok(Derived {
            keys: kedja_link::document_keys(&info),
            reference_keys,
            commitments: found_commitments(doc),
        })
    }

    /// After an import stored documents: derive them, link them and what
    /// may cite them, and track commitments again.
    pub(crate) fn link_imported(&mut self) -> Result<LinkStats> {
        let changed = self.derive_pending()?;
        self.relink_after(&changed)
    }

    /// After `changed` documents were stored and derived: relink them,
    /// every document with a reference one of them could answer (found by
    /// key in the store), and every document that linked to one of them
    /// before (a new version may no longer fit). The rest of the archive is
    /// left alone.
    pub(crate) fn relink_after(&mut self, changed: &[DocId]) -> Result<LinkStats> {
        let mut ids: Vec<DocId> = changed.to_vec();
        let mut seen: HashSet<DocId> = ids.iter().cloned().collect();
        for id in changed {
            let Some(doc) = self.store.get(id)? else {
                continue;
            };
            let info = DocInfo::from_stored(id.clone(), &doc.record, &doc.source);
            let (exact, prefixes) = kedja_link::answering_keys(&info);
            for c in self.store.references_by_key(&exact, &prefixes)? {
                let citing = &c.stored.doc_id;
                // The citing document must be able to cite this one: not
                // itself, not dated before it, in the municipality its
                // reference names (else its own).
                let earlier = matches!((c.date, info.date), (Some(cd), Some(td)) if cd < td);
                let municipality = c
                    .stored
                    .reference
                    .municipality
                    .as_deref()
                    .or(c.municipality.as_deref());
                let elsewhere = matches!(
                    (municipality, info.municipality.as_deref()),
                    (Some(m), Some(t)) if m != t
                );
                if citing == id || earlier || elsewhere || seen.contains(citing) {
                    continue;
                }
                if kedja_link::could_resolve_to(&c.stored.reference, c.date, &info) {
                    seen.insert(citing.clone());
                    ids.push(citing.clone());
                }
            }
            for l in self.store.links_to(id)? {
                if seen.insert(l.from.clone()) {
                    ids.push(l.from);
                }
            }
            // A document of the same case dated later links to this one;
            // an extract links to its protocol's § (an extract's own link
            // is made when it is relinked itself).
            let corpus = StoreCorpus(&self.store);
            let twins = if info.part_of.is_some() {
                kedja_link::decision_twins(&corpus, &info)?
            } else {
                Vec::new()
            };
            for member in kedja_link::case_members(&corpus, &info)?
                .into_iter()
                .chain(twins.into_iter().map(|d| d.id))
            {
                if seen.insert(member.clone()) {
                    ids.push(member);
                }
            }
        }
        let (stats, touched) = self.relink(&ids)?;
        self.store.add_tracking_pending(touched)?;
        Ok(stats)
    }

    /// Resolve the references of `ids` and store links and resolutions.
    /// Returns the counts and the documents whose links changed or may
    /// have: `ids` and every document they linked to, before and after.
    fn relink(&mut self, ids: &[DocId]) -> Result<(LinkStats, HashSet<DocId>)> {
        let mut stats = LinkStats::default();
        let mut touched: HashSet<DocId> = ids.iter().cloned().collect();
        for id in ids {
            let Some(doc) = self.store.get(id)? else {
                continue;
            };
            let info = DocInfo::from_stored(id.clone(), &doc.record, &doc.source);
            let stored = self.store.references(id)?;
            let refs: Vec<Reference> = stored.iter().map(|r| r.reference.clone()).collect();
            let corpus = StoreCorpus(&self.store);
            let linked = kedja_link::link_document(&corpus, &info, &doc.text, &refs)?;
            let resolved: Vec<(i64, Option<DocId>)> = stored
                .iter()
                .zip(linked.resolved)
                .map(|(r, t)| (r.id, t))
                .collect();
            stats.documents += 1;
            stats.links += linked.links.len();
            stats.unresolved += stored
                .iter()
                .zip(&resolved)
                .filter(|(r, (_, t))| {
                    t.is_none()
                        && matches!(
                            r.reference.kind,
                            RefKind::Mention | RefKind::Decision | RefKind::Paragraph
                        )
                })
                .count();
            touched.extend(self.store.links_from(id)?.into_iter().map(|l| l.to));
            touched.extend(linked.links.iter().map(|l| l.to.clone()));
            self.store.save_linking(id, &linked.links, &resolved)?;
        }
        Ok((stats, touched))
    }
}
