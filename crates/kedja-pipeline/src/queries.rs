//! Queries: search, a document and those on its topic, commitments by
//! filter, motions awaiting a decision.

use std::collections::HashSet;

use kedja_model::{Commitment, DocId, Document};

use crate::{Archive, Result, SearchRequest, SearchResults};

/// Which commitments to list. `today` is the clock overdue is judged by,
/// given by the caller so that tests do not depend on the date.
#[derive(Debug, Clone)]
pub struct CommitmentQuery {
    pub municipality: Option<String>,
    pub status: Option<kedja_model::CommitmentStatus>,
    /// Responsible party contains this (case-insensitive).
    pub body: Option<String>,
    /// Deadline ends on or before / starts on or after.
    pub due_before: Option<kedja_model::Date>,
    pub due_after: Option<kedja_model::Date>,
    /// Only those overdue on `today`.
    pub overdue: bool,
    /// Only those not done or written off.
    pub open: bool,
    /// Only those stated, restated or reported on in this document.
    pub document: Option<DocId>,
    pub today: kedja_model::Date,
}

impl CommitmentQuery {
    pub fn new(today: kedja_model::Date) -> CommitmentQuery {
        CommitmentQuery {
            municipality: None,
            status: None,
            body: None,
            due_before: None,
            due_after: None,
            overdue: false,
            open: false,
            document: None,
            today,
        }
    }

    pub fn matches(&self, c: &Commitment) -> bool {
        let lower = |s: &str| s.to_lowercase();
        self.municipality
            .as_ref()
            .is_none_or(|m| c.municipality.as_deref().map(lower) == Some(lower(m)))
            && self.status.is_none_or(|s| c.status == s)
            && self.body.as_ref().is_none_or(|b| {
                c.responsible
                    .as_deref()
                    .is_some_and(|r| lower(r).contains(&lower(b)))
            })
            && self
                .due_before
                .is_none_or(|d| c.deadline.is_some_and(|x| x.end <= d))
            && self
                .due_after
                .is_none_or(|d| c.deadline.is_some_and(|x| x.start >= d))
            && (!self.overdue || c.is_overdue(self.today))
            && (!self.open || !c.status.is_closed())
            && self.document.as_ref().is_none_or(|id| {
                c.doc_id == *id
                    || c.also_in.contains(id)
                    || c.reports.iter().any(|r| r.doc_id == *id)
            })
    }
}

/// A motion or citizens' proposal with no decision a year after it was
/// filed: the Local Government Act (5 kap. 35 § and 8 kap. 1 §) asks
/// that it be decided within a year.
#[derive(Debug, Clone, PartialEq)]
pub struct AwaitingDecision {
    pub id: DocId,
    pub title: String,
    pub municipality: Option<String>,
    pub filed: kedja_model::Date,
    /// The day the year ran out.
    pub due: kedja_model::Date,
}

impl Archive {
    /// Search the index. A protocol extract found beside the protocol's §
    /// it certifies is one decision: the page shows the § alone.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let mut results = self.index.search(req)?;
        let page: Vec<DocId> = results.hits.iter().map(|h| h.id.clone()).collect();
        let on_page: HashSet<&DocId> = page.iter().collect();
        let copies: HashSet<DocId> = self
            .store
            .links_touching(&page)?
            .into_iter()
            .filter(|l| {
                l.link_type == kedja_model::LinkType::SameDecision
                    && on_page.contains(&l.from)
                    && on_page.contains(&l.to)
            })
            .map(|l| l.from)
            .collect();
        results.hits.retain(|h| !copies.contains(&h.id));
        results.total = results.total.saturating_sub(copies.len());
        Ok(results)
    }

    /// Suggestions of documents on the same topic as `id` (search
    /// similarity within its municipality), kept apart from its links: those
    /// it already links to or from are left out.
    pub fn same_topic(&self, id: &DocId, limit: usize) -> Result<Vec<kedja_index::Hit>> {
        let Some(doc) = self.store.get(id)? else {
            return Ok(Vec::new());
        };
        let linked: HashSet<DocId> = self
            .store
            .links_from(id)?
            .into_iter()
            .map(|l| l.to)
            .chain(self.store.links_to(id)?.into_iter().map(|l| l.from))
            .collect();
        let mut hits =
            self.index
                .similar(id, doc.record.municipality.as_deref(), limit + linked.len())?;
        hits.retain(|h| !linked.contains(&h.id));
        hits.truncate(limit);
        Ok(hits)
    }

    /// A stored document.
    pub fn document(&self, id: &DocId) -> Result<Option<Document>> {
        Ok(self.store.get(id)?)
    }

    /// The commitments `q` asks for, those with the earliest deadline first.
    pub fn find_commitments(&self, q: &CommitmentQuery) -> Result<Vec<Commitment>> {
        let mut out: Vec<Commitment> = self
            .commitments()?
            .into_iter()
            .filter(|c| q.matches(c))
            .collect();
        out.sort_by(|a, b| {
            (a.deadline.map(|d| d.end), &a.id).cmp(&(b.deadline.map(|d| d.end), &b.id))
        });
        Ok(out)
    }

    /// Motions and citizens' proposals still without a decision one year
    /// after they were filed, on `today`. Decided means a decision, a
    /// protocol or a reply links to it.
    pub fn awaiting_decision(&self, today: kedja_model::Date) -> Result<Vec<AwaitingDecision>> {
        use kedja_model::{DocKind, LinkType};
        let mut out = Vec::new();
        let mut proposals = Vec::new();
        self.store.for_each_record(|id, record| {
            if matches!(record.kind, DocKind::Motion | DocKind::CitizenProposal)
                && let Some(filed) = record.date
            {
                proposals.push((id, record, filed));
            }
            Ok(())
        })?;
        for (id, record, filed) in proposals {
            // 29 February is followed by 28 February a year later.
            let due = filed
                .replace_year(filed.year() + 1)
                .or_else(|_| {
                    filed
                        .replace_day(28)
                        .and_then(|d| d.replace_year(d.year() + 1))
                })
                .unwrap_or(filed);
            if due > today {
                continue;
            }
            let mut decided = false;
            for l in self.store.links_to(&id)? {
                if !matches!(l.link_type, LinkType::DecidesOn | LinkType::Answers) {
                    continue;
                }
                if let Some(from) = self.store.get(&l.from)?
                    && matches!(
                        from.record.kind,
                        DocKind::Decision | DocKind::Protocol | DocKind::MotionResponse
                    )
                {
                    decided = true;
                    break;
                }
            }
            if !decided {
                out.push(AwaitingDecision {
                    id,
                    title: record.title,
                    municipality: record.municipality,
                    filed,
                    due,
                });
            }
        }
        out.sort_by_key(|a| a.due);
        Ok(out)
    }
}

/// The title and date of a document at the other end of a link.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedSummary {
    pub title: String,
    pub date: Option<kedja_model::Date>,
}

/// A link with the document at its other end, when that is stored.
#[derive(Debug, Clone)]
pub struct ViewLink {
    pub link: kedja_model::Link,
    pub other: Option<LinkedSummary>,
}

/// Everything the archive holds about one document, gathered in one call
/// ([`Archive::document_view`]): what a reader of the document is shown.
#[derive(Debug, Clone)]
pub struct DocumentView {
    pub document: Document,
    pub references: Vec<kedja_store::StoredReference>,
    /// What it cites, and what cites it.
    pub links_out: Vec<ViewLink>,
    pub links_in: Vec<ViewLink>,
    pub versions: Vec<kedja_store::Version>,
    /// Suggestions from search, not links.
    pub same_topic: Vec<kedja_index::Hit>,
    /// The title of the document it is part of (a §'s protocol).
    pub part_of_title: Option<String>,
    /// Its parts (a protocol's §§), in order.
    pub parts: Vec<(DocId, kedja_model::Record)>,
    /// The commitments it states, judged on `today`.
    pub commitments: Vec<Commitment>,
    /// A crawl found it gone from the site it was fetched from.
    pub gone_from_source: bool,
    /// The meeting whose file it is, and the file.
    pub meeting: Option<(kedja_store::Meeting, kedja_store::MeetingFile)>,
}

impl Archive {
    /// Everything about the document `id`, or `None` when there is no
    /// such document. Commitments are judged as of `today`.
    pub fn document_view(
        &self,
        id: &DocId,
        today: kedja_model::Date,
    ) -> Result<Option<DocumentView>> {
        let store = &self.store;
        let Some(document) = store.get(id)? else {
            return Ok(None);
        };
        let summary = |other: &DocId| -> Result<Option<LinkedSummary>> {
            Ok(store.get(other)?.map(|d| LinkedSummary {
                title: d.record.title,
                date: d.record.date,
            }))
        };
        let mut links_out = Vec::new();
        for link in store.links_from(id)? {
            let other = summary(&link.to)?;
            links_out.push(ViewLink { link, other });
        }
        let mut links_in = Vec::new();
        for link in store.links_to(id)? {
            let other = summary(&link.from)?;
            links_in.push(ViewLink { link, other });
        }
        let part_of_title = match &document.record.part_of {
            Some(parent) => summary(parent)?.map(|s| s.title),
            None => None,
        };
        let mut q = CommitmentQuery::new(today);
        q.document = Some(id.clone());
        Ok(Some(DocumentView {
            references: store.references(id)?,
            links_out,
            links_in,
            versions: store.versions(id)?,
            same_topic: self.same_topic(id, 5)?,
            part_of_title,
            parts: store.parts(&document.source)?,
            commitments: self.find_commitments(&q)?,
            gone_from_source: store.crawl_gone(&id.0)?,
            meeting: store.meeting_of_document(&id.0)?,
            document,
        }))
    }
}
