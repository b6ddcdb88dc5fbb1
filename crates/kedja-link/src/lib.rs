//! Reference resolution: turns the [`Reference`]s a document makes into
//! typed, evidenced [`Link`]s to other documents.
//!
//! Pure code. The caller builds a [`Corpus`] of [`DocInfo`]s (one per stored
//! document) and asks [`link_document`] for one citing document at a time,
//! which is what makes relinking incremental: importing a document links
//! that document, and re-links only the documents that may cite it.
//!
//! How a reference resolves:
//! - a § reference or a decision named by body and date resolves exactly:
//!   the document whose own paragraph, date and body match (topic decides
//!   between several decisions of one body on one day);
//! - a mention ("motionen från Martina Lind (V) i februari 2022") is scored
//!   against documents of the kind it names: author, date (a month or a year
//!   is a range), body, title words and a shared diarienummer. The best
//!   candidate wins if it scores high enough and clearly above the next.
//!
//! Candidates are always in the citing document's municipality and never
//! later than the citing document.

mod commitments;
mod text;

use std::collections::HashMap;

use kedja_model::{
    Date, DocId, DocKind, Link, LinkType, Person, Precision, Record, RefKind, Reference,
};

pub use commitments::{DocCommitments, track};
pub use text::{dice, similarity, tokens};

/// What linking needs to know of a stored document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    pub id: DocId,
    pub kind: DocKind,
    pub municipality: Option<String>,
    pub date: Option<Date>,
    pub title: String,
    pub body: Option<String>,
    pub authors: Vec<Person>,
    pub diarienummer: Vec<String>,
    /// The document's own paragraph ("§ 187").
    pub paragraph: Option<String>,
    /// Its own ärende's diarienummer keys, and its own document number.
    pub own_diarienummer: Vec<String>,
    pub doc_number: Option<String>,
}

impl DocInfo {
    pub fn from_record(id: DocId, record: &Record) -> DocInfo {
        DocInfo {
            id,
            kind: record.kind,
            municipality: record.municipality.clone(),
            date: record.date,
            title: record.title.clone(),
            body: record.body.clone(),
            authors: record.authors.clone(),
            diarienummer: record.diarienummer.clone(),
            paragraph: record.paragraph.clone(),
            own_diarienummer: record.own_diarienummer.clone(),
            doc_number: record.doc_number.clone(),
        }
    }
}

/// All documents that references may resolve to.
#[derive(Debug, Default)]
pub struct Corpus {
    docs: Vec<DocInfo>,
    by_id: HashMap<DocId, usize>,
    title_tokens: Vec<Vec<String>>,
    /// Positions in `docs` by municipality and kind, so a reference is
    /// scored against the few documents it can name, not the whole archive.
    buckets: HashMap<(Option<String>, DocKind), Vec<usize>>,
}

impl Corpus {
    pub fn new(docs: impl IntoIterator<Item = DocInfo>) -> Corpus {
        let mut c = Corpus::default();
        for d in docs {
            c.insert(d);
        }
        c
    }

    /// Add or replace a document.
    pub fn insert(&mut self, doc: DocInfo) {
        let toks = tokens(&doc.title);
        let key = (doc.municipality.clone(), doc.kind);
        let i = match self.by_id.get(&doc.id) {
            Some(&i) => {
                let old = (self.docs[i].municipality.clone(), self.docs[i].kind);
                if let Some(b) = self.buckets.get_mut(&old) {
                    b.retain(|&j| j != i);
                }
                self.docs[i] = doc;
                self.title_tokens[i] = toks;
                i
            }
            None => {
                let i = self.docs.len();
                self.by_id.insert(doc.id.clone(), i);
                self.docs.push(doc);
                self.title_tokens.push(toks);
                i
            }
        };
        self.buckets.entry(key).or_default().push(i);
    }

    pub fn get(&self, id: &DocId) -> Option<&DocInfo> {
        self.by_id.get(id).map(|&i| &self.docs[i])
    }

    /// Every document id.
    pub fn ids(&self) -> impl Iterator<Item = &DocId> {
        self.docs.iter().map(|d| &d.id)
    }

    /// Documents that may cite `doc`: from its municipality (any, when it
    /// has none), dated on or after it (or undated), other than itself.
    pub fn may_cite(&self, doc: &DocInfo) -> Vec<DocId> {
        self.buckets
            .iter()
            .filter(|((m, _), _)| {
                doc.municipality.is_none() || m.is_none() || *m == doc.municipality
            })
            .flat_map(|(_, ids)| ids.iter().map(|&i| &self.docs[i]))
            .filter(|d| {
                d.id != doc.id
                    && match (d.date, doc.date) {
                        (Some(dd), Some(nd)) => dd >= nd,
                        _ => true,
                    }
            })
            .map(|d| d.id.clone())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Documents of a kind accepted by `kind_ok` that `citing` may cite:
    /// same municipality (or none known), not itself, not dated after it.
    fn candidates<'a>(
        &'a self,
        citing: &'a DocInfo,
        named: Option<&str>,
        kind_ok: impl Fn(DocKind) -> bool + 'a,
    ) -> impl Iterator<Item = (usize, &'a DocInfo)> + 'a {
        // The municipality the reference names, else the citing document's.
        let muni: Option<String> = named
            .map(str::to_owned)
            .or_else(|| citing.municipality.clone());
        self.buckets
            .iter()
            .filter(move |((m, k), _)| kind_ok(*k) && (muni.is_none() || m.is_none() || *m == muni))
            .flat_map(|(_, ids)| ids.iter().copied())
            .map(|i| (i, &self.docs[i]))
            .filter(move |(_, d)| {
                d.id != citing.id
                    && match (d.date, citing.date) {
                        (Some(dd), Some(cd)) => dd <= cd,
                        _ => true,
                    }
            })
    }
}

/// The outcome for one citing document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Linked {
    /// One link per target document (the strongest reason wins).
    pub links: Vec<Link>,
    /// For each reference, in order, the document it resolved to.
    pub resolved: Vec<Option<DocId>>,
}

/// Accept a mention's best candidate at or above this score…
const ACCEPT: f32 = 0.55;
/// …when it beats the runner-up by at least this much.
const MARGIN: f32 = 0.1;

/// How much of the citing text describes its topic.
const TOPIC_CHARS: usize = 20_000;

/// Resolve `refs` (made by `citing`, whose text is `citing_text`) against
/// `corpus`. The text tells what the citing document is about, which
/// decides between candidates that fit a reference equally well.
pub fn link_document(
    corpus: &Corpus,
    citing: &DocInfo,
    citing_text: &str,
    refs: &[Reference],
) -> Linked {
    let head: String = citing_text.chars().take(TOPIC_CHARS).collect();
    let citing_tokens = tokens(&format!("{} {head}", citing.title));
    let mut best_per_target: HashMap<DocId, Link> = HashMap::new();
    let mut resolved = Vec::with_capacity(refs.len());
    for r in refs {
        let hit = match r.kind {
            RefKind::Paragraph | RefKind::Decision => {
                resolve_decision(corpus, citing, &citing_tokens, r)
            }
            RefKind::Mention => resolve_mention(corpus, citing, &citing_tokens, r),
            RefKind::Diarienummer | RefKind::DocumentNumber => {
                resolve_identifier(corpus, citing, r)
            }
        };
        resolved.push(hit.as_ref().map(|(d, _, _)| d.id.clone()));
        if let Some((target, confidence, reason)) = hit {
            let link = Link {
                from: citing.id.clone(),
                to: target.id.clone(),
                link_type: link_type(citing, target),
                confidence,
                reason,
                evidence: r.evidence.clone(),
            };
            match best_per_target.get(&target.id) {
                Some(existing) if existing.confidence >= link.confidence => {}
                _ => {
                    best_per_target.insert(target.id.clone(), link);
                }
            }
        }
    }
    // "motionen", "planen": a definite noun with nothing else to go by
    // names the document of that kind the text has already pointed at.
    for (r, slot) in refs.iter().zip(resolved.iter_mut()) {
        if slot.is_some()
            || r.kind != RefKind::Mention
            || r.person.is_some()
            || r.date.is_some()
            || r.title.is_some()
        {
            continue;
        }
        let Some(kind) = r.target_kind else { continue };
        let mut same_kind = best_per_target
            .keys()
            .filter_map(|id| corpus.get(id))
            .filter(|d| compatible(kind, d.kind));
        if let (Some(only), None) = (same_kind.next(), same_kind.next()) {
            *slot = Some(only.id.clone());
        }
    }
    let mut links: Vec<Link> = best_per_target.into_values().collect();
    links.sort_by(|a, b| a.to.cmp(&b.to));
    Linked { links, resolved }
}

/// The type of a link, from the kinds at its two ends.
pub fn link_type(citing: &DocInfo, target: &DocInfo) -> LinkType {
    use DocKind::*;
    match (citing.kind, target.kind) {
        (InterpellationAnswer, Interpellation) => LinkType::Answers,
        (MotionResponse, Motion | CitizenProposal | Initiative) => LinkType::Answers,
        (Interpellation, _) => LinkType::AsksAbout,
        (Decision | Protocol, Motion | Initiative | CitizenProposal) => LinkType::DecidesOn,
        (Plan, Decision | Protocol) => LinkType::Implements,
        (FollowUp, Decision | Protocol) => LinkType::FollowsUp,
        // "Uppföljning av handlingsplanen …": a report on the plan itself, not
        // one that mentions a plan among the outcomes it reports.
        (FollowUp, Plan)
            if names_a_plan(&citing.title)
                && similarity(&tokens(&citing.title), &tokens(&target.title)) >= 0.5 =>
        {
            LinkType::FollowsUp
        }
        _ => LinkType::Cites,
    }
}

fn names_a_plan(title: &str) -> bool {
    let t = title.to_lowercase();
    ["plan", "program", "strategi", "riktlinje"]
        .iter()
        .any(|w| t.contains(w))
}

/// "KS 2019-12-18 § 334", "kommunfullmäktiges beslut 2022-12-14": the
/// document whose own paragraph, date and body agree with every part given.
fn resolve_decision<'a>(
    corpus: &'a Corpus,
    citing: &'a DocInfo,
    citing_tokens: &[String],
    r: &Reference,
) -> Option<(&'a DocInfo, f32, String)> {
    let paragraph = r.paragraph.as_deref().map(normalize_paragraph);
    if paragraph.is_none() && r.date.is_none() {
        return None;
    }
    let context = [citing_tokens, &tokens(&r.evidence)].concat();
    let mut found: Vec<(usize, &DocInfo, f32)> = Vec::new();
    for (i, d) in corpus.candidates(citing, r.municipality.as_deref(), |_| true) {
        if let Some(p) = &paragraph
            && d.paragraph.as_deref().map(normalize_paragraph).as_ref() != Some(p)
        {
            continue;
        }
        match (r.date, d.date) {
            (Some(rd), Some(dd)) if !rd.contains(dd) => continue,
            (Some(_), None) => continue,
            _ => {}
        }
        match (&r.body, &d.body) {
            (Some(rb), Some(db)) if !same_body(rb, db) => continue,
            _ => {}
        }
        if paragraph.is_none()
            && !matches!(
                d.kind,
                DocKind::Decision
                    | DocKind::Protocol
                    | DocKind::Plan
                    | DocKind::FollowUp
                    | DocKind::MotionResponse
            )
        {
            continue;
        }
        let topic = similarity(&context, &corpus.title_tokens[i]);
        found.push((i, d, topic));
    }
    found.sort_by(|a, b| b.2.total_cmp(&a.2));
    let (_, best, topic) = *found.first()?;
    if let Some((_, _, second)) = found.get(1) {
        // Several decisions fit: the topic must tell them apart.
        if topic - second < MARGIN {
            return None;
        }
    }
    let mut parts = Vec::new();
    if paragraph.is_some() {
        parts.push("paragraph");
    }
    if r.date.is_some() {
        parts.push("date");
    }
    if r.body.is_some() {
        parts.push("body");
    }
    let exact = paragraph.is_some() && (r.date.is_some() || r.body.is_some());
    let confidence = if exact {
        0.98
    } else if found.len() == 1 {
        0.9
    } else {
        0.75
    };
    let mut reason = format!("{} matches {}", r.kind.as_str(), parts.join(", "));
    if found.len() > 1 {
        reason.push_str(&format!("; topic chose among {}", found.len()));
    }
    Some((best, confidence, reason))
}

/// A diarienummer or document number names the one document that has it as
/// its own; an ärende with several documents (motion, yttrande, decision)
/// is resolved by the other references instead, so only a unique holder is
/// linked. The citing document's own numbers are not references.
fn resolve_identifier<'a>(
    corpus: &'a Corpus,
    citing: &'a DocInfo,
    r: &Reference,
) -> Option<(&'a DocInfo, f32, String)> {
    let (key, own_of): (&str, fn(&DocInfo) -> Vec<&str>) = match r.kind {
        RefKind::Diarienummer => (r.diarienummer.as_deref()?, |d| {
            d.own_diarienummer.iter().map(String::as_str).collect()
        }),
        RefKind::DocumentNumber => (r.title.as_deref()?, |d| {
            d.doc_number.as_deref().into_iter().collect()
        }),
        _ => return None,
    };
    if own_of(citing).contains(&key) {
        return None;
    }
    let mut holders = corpus
        .candidates(citing, r.municipality.as_deref(), |_| true)
        .filter(|(_, d)| own_of(d).contains(&key));
    let (_, only) = holders.next()?;
    if holders.next().is_some() {
        return None;
    }
    Some((only, 0.99, format!("{} {key} is its own", r.kind.as_str())))
}

fn normalize_paragraph(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}

fn same_body(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Whether `r` could ever resolve to `target`: a necessary condition, cheap
/// to test, so that importing a document relinks only the documents with a
/// reference it might answer. It checks what every resolver demands: a
/// compatible kind and author for mentions, a date that contains the
/// target's, the identifier for identifier references.
pub fn could_resolve_to(r: &Reference, target: &DocInfo) -> bool {
    let date_fits = match (r.date, target.date) {
        (Some(rd), Some(td)) => rd.contains(td),
        _ => true,
    };
    match r.kind {
        RefKind::Mention => {
            let Some(kind) = r.target_kind else {
                return false;
            };
            let author_fits = match &r.person {
                Some(p) if has_authors(target.kind) && !target.authors.is_empty() => {
                    target.authors.iter().any(|a| a.name == p.name)
                }
                _ => true,
            };
            compatible(kind, target.kind) && date_fits && author_fits
        }
        RefKind::Paragraph | RefKind::Decision => {
            // The constraints `resolve_decision` applies before scoring.
            let paragraph = r.paragraph.as_deref().map(normalize_paragraph);
            let paragraph_fits = match &paragraph {
                Some(p) => {
                    target
                        .paragraph
                        .as_deref()
                        .map(normalize_paragraph)
                        .as_ref()
                        == Some(p)
                }
                None => {
                    r.date.is_some()
                        && matches!(
                            target.kind,
                            DocKind::Decision
                                | DocKind::Protocol
                                | DocKind::Plan
                                | DocKind::FollowUp
                                | DocKind::MotionResponse
                        )
                }
            };
            let body_fits = match (&r.body, &target.body) {
                (Some(rb), Some(tb)) => same_body(rb, tb),
                _ => true,
            };
            paragraph_fits && body_fits && (r.date.is_none() || target.date.is_some()) && date_fits
        }
        RefKind::Diarienummer => r
            .diarienummer
            .as_deref()
            .is_some_and(|key| target.own_diarienummer.iter().any(|d| d == key)),
        RefKind::DocumentNumber => {
            r.title.is_some() && target.doc_number.as_deref() == r.title.as_deref()
        }
    }
}

/// Which stored kinds a mentioned kind can be.
fn compatible(mentioned: DocKind, stored: DocKind) -> bool {
    use DocKind::*;
    match mentioned {
        Decision => matches!(stored, Decision | Protocol),
        Other => matches!(stored, Other | FollowUp),
        k => k == stored,
    }
}

fn has_authors(kind: DocKind) -> bool {
    matches!(
        kind,
        DocKind::Motion
            | DocKind::Interpellation
            | DocKind::Initiative
            | DocKind::CitizenProposal
            | DocKind::InterpellationAnswer
    )
}

/// Score every document of the mentioned kind; see the crate docs.
fn resolve_mention<'a>(
    corpus: &'a Corpus,
    citing: &'a DocInfo,
    citing_tokens: &[String],
    r: &Reference,
) -> Option<(&'a DocInfo, f32, String)> {
    let kind = r.target_kind?;
    let evidence_tokens = tokens(r.title.as_deref().unwrap_or(&r.evidence));
    // A date after the citing document describes something planned, not
    // the cited document.
    let date = r
        .date
        .filter(|d| citing.date.is_none_or(|cd| d.start <= cd));
    let mut scored: Vec<(f32, &DocInfo, Vec<&'static str>)> = Vec::new();
    for (i, d) in corpus.candidates(citing, r.municipality.as_deref(), move |k| {
        compatible(kind, k)
    }) {
        let mut score = 0.3;
        let mut why = vec!["kind"];
        if let (Some(p), true) = (&r.person, has_authors(d.kind)) {
            if d.authors.iter().any(|a| a.name == p.name) {
                score += 0.35;
                why.push("author");
            } else if !d.authors.is_empty() {
                continue;
            }
        }
        if let Some(rd) = date {
            match d.date {
                Some(dd) if rd.contains(dd) => {
                    score += if rd.precision == Precision::Day {
                        0.35
                    } else {
                        0.3
                    };
                    why.push("date");
                }
                Some(_) => continue,
                None => {}
            }
        }
        if let (Some(rb), Some(db)) = (&r.body, &d.body)
            && same_body(rb, db)
        {
            score += 0.1;
            why.push("body");
        }
        let title_sim = similarity(&evidence_tokens, &corpus.title_tokens[i]);
        if title_sim > 0.0 {
            score += 0.4 * title_sim;
            if title_sim >= 0.5 {
                why.push("title");
            }
        }
        let topic = similarity(citing_tokens, &corpus.title_tokens[i]);
        score += 0.2 * topic;
        if d.diarienummer
            .iter()
            .any(|k| citing.diarienummer.contains(k))
        {
            score += 0.15;
            why.push("diarienummer");
        }
        scored.push((score, d, why));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (score, best, why) = scored.first()?;
    if *score < ACCEPT {
        return None;
    }
    if let Some((second, _, _)) = scored.get(1)
        && score - second < MARGIN
    {
        return None;
    }
    Some((
        best,
        score.min(0.97),
        format!("mention of {} matches {}", kind.as_str(), why.join(", ")),
    ))
}

#[cfg(test)]
mod tests;
