//! Reference resolution: turns the [`Reference`]s a document makes into
//! typed, evidenced [`Link`]s to other documents.
//!
//! Pure code. The caller hands [`link_document`] one citing document at a
//! time and a [`Corpus`] that answers, for each reference, which documents
//! could fit it (a [`Want`]): the store does so with indexes, so linking
//! reads only the candidates of a reference, never the whole archive;
//! [`MemoryCorpus`] does so in memory for tests and benchmarks. The lookup
//! keys in [`keys`] let a store also find the documents whose references a
//! new document could answer, which is what makes relinking incremental.
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

mod keys;

use std::borrow::Cow;
use std::collections::HashMap;

use kedja_model::{
    Date, DateRange, DocId, DocKind, Link, LinkType, Person, Precision, Record, RefKind, Reference,
};

pub use keys::{
    AUTHOR_PREFIX, answering_keys, author_key, document_keys, reference_key, shared_keys,
    wanted_key,
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

/// What a resolver asks a [`Corpus`] for: the documents `citing` may cite
/// that could fit one reference. Every condition is one the resolver
/// would otherwise check on each candidate, so a corpus that applies them
/// (with an index) hands back only the few that matter.
#[derive(Debug, Clone)]
pub struct Want<'a> {
    /// The citing document: candidates are never itself and never dated
    /// after it.
    pub citing: &'a DocInfo,
    /// The municipality the reference names, else the citing document's;
    /// documents of no known municipality always qualify.
    pub municipality: Option<&'a str>,
    /// Only these kinds; `None`: any.
    pub kinds: Option<&'a [DocKind]>,
    /// A dated candidate must be dated within this range.
    pub within: Option<DateRange>,
    /// Undated candidates are left out.
    pub dated: bool,
    /// Only documents with this paragraph (digits only, see [`paragraph_number`]).
    pub paragraph: Option<&'a str>,
    /// Only documents whose own diarienummer this is.
    pub own_diarienummer: Option<&'a str>,
    /// Only documents with this document number.
    pub doc_number: Option<&'a str>,
    /// Documents of a kind that has authors, and has some, must count
    /// this person among them.
    pub author: Option<&'a str>,
    /// Only documents whose title has one of these words ([`tokens`]) or
    /// that give one of these diarienummer.
    pub shares: Option<(&'a [String], &'a [String])>,
}

impl<'a> Want<'a> {
    /// Any document `citing` may cite.
    pub fn any(citing: &'a DocInfo, municipality: Option<&'a str>) -> Want<'a> {
        Want {
            citing,
            municipality: municipality.or(citing.municipality.as_deref()),
            kinds: None,
            within: None,
            dated: false,
            paragraph: None,
            own_diarienummer: None,
            doc_number: None,
            author: None,
            shares: None,
        }
    }

    /// Whether `d` is one of the documents wanted: what a corpus without
    /// an index checks document by document.
    pub fn admits(&self, d: &DocInfo) -> bool {
        let citing = self.citing;
        d.id != citing.id
            && (self.municipality.is_none()
                || d.municipality.is_none()
                || d.municipality.as_deref() == self.municipality)
            && self.kinds.is_none_or(|ks| ks.contains(&d.kind))
            && match (d.date, citing.date) {
                (Some(dd), Some(cd)) => dd <= cd,
                _ => true,
            }
            && match (d.date, self.within) {
                (Some(dd), Some(w)) => w.contains(dd),
                (None, _) => !self.dated,
                _ => true,
            }
            && self
                .paragraph
                .is_none_or(|p| d.paragraph.as_deref().map(paragraph_number).as_deref() == Some(p))
            && self
                .own_diarienummer
                .is_none_or(|k| d.own_diarienummer.iter().any(|o| o == k))
            && self
                .doc_number
                .is_none_or(|n| d.doc_number.as_deref() == Some(n))
            && self.author.is_none_or(|name| {
                !has_authors(d.kind)
                    || d.authors.is_empty()
                    || d.authors.iter().any(|a| a.name == name)
            })
            && self.shares.is_none_or(|(words, dnr)| {
                tokens(&d.title).iter().any(|t| words.contains(t))
                    || d.diarienummer.iter().any(|k| dnr.contains(k))
            })
    }
}

/// Where references resolve: the documents of an archive, asked one
/// reference at a time. A corpus may hand back more documents than a
/// [`Want`] asks for (the resolvers check every condition again) but
/// never fewer.
pub trait Corpus {
    type Error;

    /// The documents `want` asks for, in any order.
    fn candidates<'s>(&'s self, want: &Want<'_>) -> Result<Vec<Cow<'s, DocInfo>>, Self::Error>;
}

/// A corpus held in memory: for tests, benchmarks and small archives.
#[derive(Debug, Default)]
pub struct MemoryCorpus {
    docs: Vec<DocInfo>,
    by_id: HashMap<DocId, usize>,
    /// Positions in `docs` by municipality and kind, so a reference is
    /// scored against the few documents it can name, not the whole archive.
    buckets: HashMap<(Option<String>, DocKind), Vec<usize>>,
}

impl MemoryCorpus {
    pub fn new(docs: impl IntoIterator<Item = DocInfo>) -> MemoryCorpus {
        let mut c = MemoryCorpus::default();
        for d in docs {
            c.insert(d);
        }
        c
    }

    /// Add or replace a document.
    pub fn insert(&mut self, doc: DocInfo) {
        let key = (doc.municipality.clone(), doc.kind);
        let i = match self.by_id.get(&doc.id) {
            Some(&i) => {
                let old = (self.docs[i].municipality.clone(), self.docs[i].kind);
                if let Some(b) = self.buckets.get_mut(&old) {
                    b.retain(|&j| j != i);
                }
                self.docs[i] = doc;
                i
            }
            None => {
                let i = self.docs.len();
                self.by_id.insert(doc.id.clone(), i);
                self.docs.push(doc);
                i
            }
        };
        self.buckets.entry(key).or_default().push(i);
    }

    pub fn get(&self, id: &DocId) -> Option<&DocInfo> {
        self.by_id.get(id).map(|&i| &self.docs[i])
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
}

impl Corpus for MemoryCorpus {
    type Error = std::convert::Infallible;

    fn candidates<'s>(&'s self, want: &Want<'_>) -> Result<Vec<Cow<'s, DocInfo>>, Self::Error> {
        Ok(self
            .buckets
            .iter()
            .filter(|((m, k), _)| {
                want.kinds.is_none_or(|ks| ks.contains(k))
                    && (want.municipality.is_none()
                        || m.is_none()
                        || m.as_deref() == want.municipality)
            })
            .flat_map(|(_, ids)| ids.iter().map(|&i| &self.docs[i]))
            .filter(|d| want.admits(d))
            .map(Cow::Borrowed)
            .collect())
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
pub fn link_document<C: Corpus + ?Sized>(
    corpus: &C,
    citing: &DocInfo,
    citing_text: &str,
    refs: &[Reference],
) -> Result<Linked, C::Error> {
    let head: String = citing_text.chars().take(TOPIC_CHARS).collect();
    let citing_tokens = tokens(&format!("{} {head}", citing.title));
    let mut best_per_target: HashMap<DocId, (Link, DocKind)> = HashMap::new();
    let mut resolved = Vec::with_capacity(refs.len());
    for r in refs {
        let hit = match r.kind {
            RefKind::Paragraph | RefKind::Decision => {
                resolve_decision(corpus, citing, &citing_tokens, r)?
            }
            RefKind::Mention => resolve_mention(corpus, citing, &citing_tokens, r)?,
            RefKind::Diarienummer | RefKind::DocumentNumber => {
                resolve_identifier(corpus, citing, r)?
            }
        };
        resolved.push(hit.as_ref().map(|(d, _, _)| d.id.clone()));
        if let Some((target, confidence, reason)) = hit {
            let link = Link {
                from: citing.id.clone(),
                to: target.id.clone(),
                link_type: link_type(citing, &target),
                confidence,
                reason,
                evidence: r.evidence.clone(),
            };
            match best_per_target.get(&target.id) {
                Some((existing, _)) if existing.confidence >= link.confidence => {}
                _ => {
                    best_per_target.insert(target.id.clone(), (link, target.kind));
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
            .iter()
            .filter(|(_, (_, k))| compatible(kind, *k))
            .map(|(id, _)| id);
        if let (Some(only), None) = (same_kind.next(), same_kind.next()) {
            *slot = Some(only.clone());
        }
    }
    let mut links: Vec<Link> = best_per_target.into_values().map(|(l, _)| l).collect();
    links.sort_by(|a, b| a.to.cmp(&b.to));
    Ok(Linked { links, resolved })
}

/// A resolver's answer: the document, the confidence, and why.
type Hit<'s> = Option<(Cow<'s, DocInfo>, f32, String)>;

/// The kinds a reference by body and date (no paragraph) can name.
const DECIDING: &[DocKind] = &[
    DocKind::Decision,
    DocKind::Protocol,
    DocKind::Plan,
    DocKind::FollowUp,
    DocKind::MotionResponse,
];

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
fn resolve_decision<'s, C: Corpus + ?Sized>(
    corpus: &'s C,
    citing: &DocInfo,
    citing_tokens: &[String],
    r: &Reference,
) -> Result<Hit<'s>, C::Error> {
    let paragraph = r.paragraph.as_deref().map(paragraph_number);
    if paragraph.is_none() && r.date.is_none() {
        return Ok(None);
    }
    let context = [citing_tokens, &tokens(&r.evidence)].concat();
    let want = Want {
        kinds: if paragraph.is_none() {
            Some(DECIDING)
        } else {
            None
        },
        within: r.date,
        dated: r.date.is_some(),
        paragraph: paragraph.as_deref(),
        ..Want::any(citing, r.municipality.as_deref())
    };
    let mut found: Vec<(Cow<'s, DocInfo>, f32)> = Vec::new();
    for d in corpus.candidates(&want)? {
        if !want.admits(&d) {
            continue;
        }
        match (&r.body, &d.body) {
            (Some(rb), Some(db)) if !same_body(rb, db) => continue,
            _ => {}
        }
        let topic = similarity(&context, &tokens(&d.title));
        found.push((d, topic));
    }
    // Ties in topic are broken by id, so the answer never depends on the
    // order a corpus returns its candidates in.
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    let count = found.len();
    let mut found = found.into_iter();
    let Some((best, topic)) = found.next() else {
        return Ok(None);
    };
    if let Some((_, second)) = found.next() {
        // Several decisions fit: the topic must tell them apart.
        if topic - second < MARGIN {
            return Ok(None);
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
    } else if count == 1 {
        0.9
    } else {
        0.75
    };
    let mut reason = format!("{} matches {}", r.kind.as_str(), parts.join(", "));
    if count > 1 {
        reason.push_str(&format!("; topic chose among {count}"));
    }
    Ok(Some((best, confidence, reason)))
}

/// A diarienummer or document number names the one document that has it as
/// its own; an ärende with several documents (motion, yttrande, decision)
/// is resolved by the other references instead, so only a unique holder is
/// linked. The citing document's own numbers are not references.
fn resolve_identifier<'s, C: Corpus + ?Sized>(
    corpus: &'s C,
    citing: &DocInfo,
    r: &Reference,
) -> Result<Hit<'s>, C::Error> {
    let mut want = Want::any(citing, r.municipality.as_deref());
    let key = match r.kind {
        RefKind::Diarienummer => {
            let Some(key) = r.diarienummer.as_deref() else {
                return Ok(None);
            };
            want.own_diarienummer = Some(key);
            key
        }
        RefKind::DocumentNumber => {
            let Some(key) = r.title.as_deref() else {
                return Ok(None);
            };
            want.doc_number = Some(key);
            key
        }
        _ => return Ok(None),
    };
    let own = citing.own_diarienummer.iter().any(|d| d == key)
        || (r.kind == RefKind::DocumentNumber && citing.doc_number.as_deref() == Some(key));
    if own {
        return Ok(None);
    }
    let mut holders = corpus
        .candidates(&want)?
        .into_iter()
        .filter(|d| want.admits(d));
    let Some(only) = holders.next() else {
        return Ok(None);
    };
    if holders.next().is_some() {
        return Ok(None);
    }
    Ok(Some((
        only,
        0.99,
        format!("{} {key} is its own", r.kind.as_str()),
    )))
}

/// A paragraph as its number: "§ 187", "187 §" and "§187" are one paragraph.
pub fn paragraph_number(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}

fn same_body(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Whether `r`, made by a document dated `citing_date`, could ever resolve
/// to `target`: a necessary condition, cheap to test, so that importing a
/// document relinks only the documents with a reference it might answer.
/// It checks what every resolver demands: a compatible kind and author for
/// mentions, a date that contains the target's (as the resolver reads it),
/// the identifier for identifier references.
pub fn could_resolve_to(r: &Reference, citing_date: Option<Date>, target: &DocInfo) -> bool {
    let date = match r.kind {
        RefKind::Mention => mention_date(r, citing_date),
        _ => r.date,
    };
    let date_fits = match (date, target.date) {
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
            let paragraph = r.paragraph.as_deref().map(paragraph_number);
            let paragraph_fits = match &paragraph {
                Some(p) => target.paragraph.as_deref().map(paragraph_number).as_ref() == Some(p),
                None => r.date.is_some() && DECIDING.contains(&target.kind),
            };
            let body_fits = match (&r.body, &target.body) {
                (Some(rb), Some(tb)) => same_body(rb, tb),
                _ => true,
            };
            paragraph_fits && body_fits && (date.is_none() || target.date.is_some()) && date_fits
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

/// The date a mention gives its document by: none when the date is after
/// the citing document's, which describes something planned ("planerad
/// till 2024"), not the document cited.
fn mention_date(r: &Reference, citing_date: Option<Date>) -> Option<DateRange> {
    r.date
        .filter(|d| citing_date.is_none_or(|cd| d.start <= cd))
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

/// The kinds of document written by named people.
pub const AUTHORED: &[DocKind] = &[
    DocKind::Motion,
    DocKind::Interpellation,
    DocKind::Initiative,
    DocKind::CitizenProposal,
    DocKind::InterpellationAnswer,
];

fn has_authors(kind: DocKind) -> bool {
    AUTHORED.contains(&kind)
}

/// Score every document of the mentioned kind; see the crate docs.
fn resolve_mention<'s, C: Corpus + ?Sized>(
    corpus: &'s C,
    citing: &DocInfo,
    citing_tokens: &[String],
    r: &Reference,
) -> Result<Hit<'s>, C::Error> {
    let Some(kind) = r.target_kind else {
        return Ok(None);
    };
    let evidence_tokens = tokens(r.title.as_deref().unwrap_or(&r.evidence));
    let date = mention_date(r, citing.date);
    let kinds: Vec<DocKind> = DocKind::ALL
        .into_iter()
        .filter(|&k| compatible(kind, k))
        .collect();
    // With neither author nor date, a candidate that shares no title word
    // with the evidence or the citing text and no diarienummer with the
    // citing document scores at most 0.4 (kind and body): it can neither
    // reach ACCEPT nor come within MARGIN of a candidate that does. So only
    // the others are asked for, which a store finds by word.
    let words: Vec<String>;
    let shares = if r.person.is_none() && date.is_none() {
        words = evidence_tokens
            .iter()
            .chain(citing_tokens)
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        Some((words.as_slice(), citing.diarienummer.as_slice()))
    } else {
        None
    };
    let want = Want {
        kinds: Some(&kinds),
        within: date,
        author: r.person.as_ref().map(|p| p.name.as_str()),
        shares,
        ..Want::any(citing, r.municipality.as_deref())
    };
    let mut scored: Vec<(f32, Cow<'s, DocInfo>, Vec<&'static str>)> = Vec::new();
    for d in corpus.candidates(&want)? {
        if !want.admits(&d) {
            continue;
        }
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
        let title_tokens = tokens(&d.title);
        let title_sim = similarity(&evidence_tokens, &title_tokens);
        if title_sim > 0.0 {
            score += 0.4 * title_sim;
            if title_sim >= 0.5 {
                why.push("title");
            }
        }
        let topic = similarity(citing_tokens, &title_tokens);
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
    // Ties in score are broken by id, so the answer never depends on the
    // order a corpus returns its candidates in.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let mut scored = scored.into_iter();
    let Some((score, best, why)) = scored.next() else {
        return Ok(None);
    };
    if score < ACCEPT {
        return Ok(None);
    }
    if let Some((second, _, _)) = scored.next()
        && score - second < MARGIN
    {
        return Ok(None);
    }
    Ok(Some((
        best,
        score.min(0.97),
        format!("mention of {} matches {}", kind.as_str(), why.join(", ")),
    )))
}

#[cfg(test)]
mod tests;
