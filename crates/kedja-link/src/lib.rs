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
use std::collections::{HashMap, HashSet};

use kedja_model::{
    Date, DateRange, DocId, DocKind, Link, LinkType, Person, Precision, Record, RefKind, Reference,
};

pub use keys::{
    AUTHOR_PREFIX, answering_keys, author_key, document_keys, reference_key, shared_keys,
    wanted_key,
};

pub use commitments::{DocCommitments, track};
pub use text::{dice, similarity, tokens, weighted_dice};

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
    /// The office that wrote it (a tjänsteskrivelse).
    pub office: Option<String>,
    /// The document it is a part of (a § of a protocol: the protocol).
    pub part_of: Option<DocId>,
    /// The name its file or page was published under, as words
    /// ("rapport borgensavgifter 2026 03 26"): what a portal calls it.
    pub name: Option<String>,
    /// The folder its file or page was published in (`source_folder`).
    pub folder: Option<String>,
    /// What a decision decides: the words of its "Beslut" part.
    pub decided: Option<String>,
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
            office: record.office.clone(),
            part_of: record.part_of.clone(),
            decided: record.decided.clone(),
            name: None,
            folder: None,
        }
    }

    /// [`DocInfo::from_record`] for a document stored from `source`.
    pub fn from_stored(id: DocId, record: &Record, source: &str) -> DocInfo {
        DocInfo {
            name: source_name(source),
            folder: source_folder(source),
            ..DocInfo::from_record(id, record)
        }
    }

    /// The words a listed title can name the document by: those of its
    /// title and of its published name, folded to ASCII letters the way
    /// names are written.
    pub fn name_words(&self) -> Vec<String> {
        let mut words = tokens(&fold(&self.title));
        for w in tokens(self.name.as_deref().unwrap_or_default()) {
            if !words.contains(&w) {
                words.push(w);
            }
        }
        words
    }
}

/// The folder a document was published in: its path or URL without the
/// last part (a protocol's § is in its protocol's folder).
pub(crate) fn source_folder(source: &str) -> Option<String> {
    let whole = source.split('#').next()?.split('?').next()?;
    let (folder, _) = whole.rsplit_once(['/', '\\'])?;
    (!folder.is_empty()).then(|| folder.to_owned())
}

/// Whether two documents were published together: in one folder, or one
/// in a folder directly inside the other's (a meeting's attachments in
/// a folder of their own beside its protocol).
fn published_together(a: &DocInfo, b: &DocInfo) -> bool {
    let (Some(x), Some(y)) = (a.folder.as_deref(), b.folder.as_deref()) else {
        return false;
    };
    let inside = |outer: &str, inner: &str| {
        inner
            .strip_prefix(outer)
            .and_then(|rest| rest.strip_prefix(['/', '\\']))
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(['/', '\\']))
    };
    x == y || inside(x, y) || inside(y, x)
}

/// The name a document was published under, as words: the last part of
/// its path or URL without folders, query, extension or a portal's
/// numeric suffix ("…/agenda/plankarta-detaljplanpdf-60508?downloadMode=open"
/// is "plankarta detaljplan"). None for a part of another document.
pub fn source_name(source: &str) -> Option<String> {
    if source.contains('#') {
        return None;
    }
    let last = source.rsplit(['/', '\\']).next()?;
    let last = last.split('?').next()?;
    let lower = last.to_lowercase();
    let mut stem = lower.as_str();
    for ext in [".pdf", ".html", ".htm", ".txt", ".docx", ".xml"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
        }
    }
    // MeetingPlus: "…-namnpdf" or "…-namnpdf-60508".
    let stem = match stem.rsplit_once("pdf") {
        Some((head, tail))
            if tail.is_empty()
                || tail
                    .trim_start_matches('-')
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
        {
            head
        }
        _ => stem,
    };
    let words = stem.replace(['-', '_', '.', '+'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    (!words.is_empty()).then_some(words)
}

/// Lowercase ASCII letters for Swedish ones, as in file names and URLs
/// ("Rådhus" is "radhus").
pub fn fold(s: &str) -> String {
    folded(s).collect()
}

/// The characters of [`fold`], one by one.
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase).map(|c| match c {
        'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
        'ö' | 'ø' | 'ó' | 'ô' => 'o',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ü' | 'ú' => 'u',
        'í' => 'i',
        c => c,
    })
}

/// Whether two spellings name one person: a name is written with and
/// without its accents ("César", "Cesár", "Cesar") by different hands.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a == b || folded(a).eq(folded(b))
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
    /// Only documents with one of these words among their
    /// [`DocInfo::name_words`].
    pub named: Option<&'a [String]>,
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
            named: None,
        }
    }

    /// Whether `d` is one of the documents wanted: what a corpus without
    /// an index checks document by document.
    pub fn admits(&self, d: &DocInfo) -> bool {
        let citing = self.citing;
        d.id != citing.id
            && citing.part_of.as_ref() != Some(&d.id)
            && d.part_of.as_ref() != Some(&citing.id)
            // The §§ of one protocol are its own parts, not documents one
            // of them cites (a list of the meeting's cases, a resignation
            // in one § and the election it calls for in the next).
            && (citing.part_of.is_none() || citing.part_of != d.part_of)
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
                    || d.authors.iter().any(|a| same_name(&a.name, name))
            })
            && self.shares.is_none_or(|(words, dnr)| {
                tokens(&d.title).iter().any(|t| words.contains(t))
                    || d.diarienummer.iter().any(|k| dnr.contains(k))
            })
            && self
                .named
                .is_none_or(|words| d.name_words().iter().any(|t| words.contains(t)))
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

/// What each piece of evidence adds to the score of a candidate for a
/// mention ("motionen från …", "nämndens uppföljning"): the score decides
/// between candidates and against [`ACCEPT`]; the link's confidence comes
/// from the kind of evidence (`CONFIDENCE_MENTION_*`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct MentionWeights {
    /// The kind the mention names (every candidate has it).
    kind: f32,
    /// An author the mention names.
    author: f32,
    /// A day the mention names…
    day: f32,
    /// …or a month or a year.
    month_or_year: f32,
    /// The body the mention names.
    body: f32,
    /// Times the share of the candidate's title words the mention's words hold.
    title: f32,
    /// Times the share of the candidate's distinctive title words the citing
    /// text holds.
    topic: f32,
}

const MENTION: MentionWeights = MentionWeights {
    kind: 0.3,
    author: 0.35,
    day: 0.35,
    month_or_year: 0.3,
    body: 0.1,
    title: 0.4,
    topic: 0.2,
};

impl MentionWeights {
    /// The most a candidate scores with no author or date named and no
    /// word shared with the mention or the citing text: kind and body.
    /// Below [`ACCEPT`] by at least [`MARGIN`], so such candidates need not
    /// be asked for (see `resolve_mention`).
    const fn without_shared_words(&self) -> f32 {
        self.kind + self.body
    }
}

// The narrowing in `resolve_mention` is safe only while this holds.
const _: () = assert!(ACCEPT - MENTION.without_shared_words() >= MARGIN);

/// How much of a decision's title (its distinctive words) the words around
/// a reference by body and date must name for it to name that decision.
const TOPIC_NAMES_DECISION: f32 = 0.5;
/// Less than that, down to this, is a shared topic: weaker evidence.
const TOPIC_SHARES_DECISION: f32 = 0.25;
/// How many distinctive words a "beslutade … att …" clause must have for
/// its words to tell the decision…
const TOLD_WORDS: usize = 4;
/// …and the share of them the decision's own "Beslut" must hold.
const TOLD_DECIDED: f32 = 0.7;
/// The longest span of days a reference by body and date may name for the
/// words around it to choose among the decisions of that span by title.
const MONTH_DAYS: i64 = 31;
/// Below this share a decision's "Beslut" tells of another decision.
const TOLD_OTHERWISE: f32 = 0.3;
/// How far after the reference the clause is read.
const TOLD_CHARS: usize = 400;
/// How alike (Dice, over title words) a listed line and a title must be.
const LISTED_TITLE: f32 = 0.6;

/// What a word every candidate of a listed line has weighs in telling them
/// apart; a word only one of n has weighs this plus ln n.
const SHARED_WORD_WEIGHT: f32 = 0.1;

/// Links given less confidence than this are not made: their references
/// stay unresolved. Chosen on the development half of the real-document
/// gold, whose precision is the same at every threshold from the lowest
/// confidence given up to 0.8 while recall falls above it.
pub const ACCEPTED_CONFIDENCE: f32 = 0.6;

// Confidence of each kind of evidence: the share of such links that were
// right on the development half of the real-document gold
// (`kedja eval-links --gold data/gold/alingsas-links.json`, see README).
const CONFIDENCE_EXACT: f32 = 0.98;
const CONFIDENCE_PARAGRAPH_DATE: f32 = 0.9;
const CONFIDENCE_DECISION_BY_TITLE: f32 = 0.8;
const CONFIDENCE_DECISION_BY_TOPIC: f32 = 0.7;
const CONFIDENCE_STAFF_REPORT_CASE: f32 = 0.95;
/// A decision by its body, day and case: no link of the kind was in the
/// development half, so it is given what a § with its day is.
const CONFIDENCE_DECISION_BY_CASE: f32 = 0.9;
/// A decision by its body, day and the words of what it decided.
const CONFIDENCE_DECISION_BY_DECIDED: f32 = 0.9;
const CONFIDENCE_STAFF_REPORT_TITLE: f32 = 0.8;
const CONFIDENCE_LISTED: f32 = 0.95;
/// A shortened line of a meeting's list, all of whose words the title of
/// one of the meeting's attachments holds: less sure than a whole title.
const CONFIDENCE_SHORTENED: f32 = 0.85;
const CONFIDENCE_MENTION_AUTHOR: f32 = 0.95;
const CONFIDENCE_MENTION_TITLE: f32 = 0.8;
const CONFIDENCE_MENTION_DATE_BODY: f32 = 0.75;
const CONFIDENCE_MENTION_DATE: f32 = 0.7;
const CONFIDENCE_MENTION_TOPIC: f32 = 0.6;

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
                let context = tokens(&format!(
                    "{} {} {}",
                    citing.title,
                    r.evidence,
                    around(citing_text, r.start, r.end)
                ));
                // What the citing text says was decided tells a decision
                // named without its §.
                let told = if r.paragraph.is_none() {
                    told_decision(citing_text, r.end)
                } else {
                    Vec::new()
                };
                resolve_decision(corpus, citing, &context, &citing_tokens, &told, r)?
            }
            RefKind::Mention if r.target_kind == Some(DocKind::StaffReport) => {
                resolve_staff_report(corpus, citing, &citing_tokens, r)?
            }
            RefKind::Mention => resolve_mention(corpus, citing, &citing_tokens, r)?,
            RefKind::Listed => resolve_listed(corpus, citing, r, &HashSet::new())?,
            RefKind::Diarienummer | RefKind::DocumentNumber => {
                resolve_identifier(corpus, citing, r)?
            }
        };
        let hit = hit.filter(|(_, confidence, _)| *confidence >= ACCEPTED_CONFIDENCE);
        resolved.push(hit.as_ref().map(|(d, _, _)| d.id.clone()));
        if let Some(hit) = hit {
            keep_best(&mut best_per_target, citing, r, hit);
        }
    }
    // One list, one document per line: a line that two documents fit
    // equally is tried again without the documents its list's other lines
    // named ("Tjänsteskrivelse – X" and "X" are two documents).
    let taken: HashSet<DocId> = refs
        .iter()
        .zip(&resolved)
        .filter(|(r, _)| r.kind == RefKind::Listed)
        .filter_map(|(_, id)| id.clone())
        .collect();
    if !taken.is_empty() {
        for (r, slot) in refs.iter().zip(resolved.iter_mut()) {
            if slot.is_some() || r.kind != RefKind::Listed {
                continue;
            }
            if let Some(hit) = resolve_listed(corpus, citing, r, &taken)? {
                *slot = Some(hit.0.id.clone());
                keep_best(&mut best_per_target, citing, r, hit);
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
    links.extend(same_case(corpus, citing)?);
    links.extend(same_decision(corpus, citing)?);
    links.sort_by(|a, b| (&a.to, a.link_type.as_str()).cmp(&(&b.to, b.link_type.as_str())));
    Ok(Linked { links, resolved })
}

/// The link `r` makes to its resolved target, kept unless a reference of
/// the same document already links there with at least its confidence.
fn keep_best(
    best_per_target: &mut HashMap<DocId, (Link, DocKind)>,
    citing: &DocInfo,
    r: &Reference,
    (target, confidence, reason): (Cow<'_, DocInfo>, f32, String),
) {
    if best_per_target
        .get(&target.id)
        .is_some_and(|(existing, _)| existing.confidence >= confidence)
    {
        return;
    }
    let link = Link {
        from: citing.id.clone(),
        to: target.id.clone(),
        link_type: link_type(citing, &target),
        confidence,
        reason,
        evidence: r.evidence.clone(),
    };
    best_per_target.insert(target.id.clone(), (link, target.kind));
}

/// Documents of the citing document's own case (ärende): those that give
/// one of its own diarienummer as theirs. A relation of its own, not a
/// reference: a tjänsteskrivelse, the arbetsutskott's extract and the
/// board's § of one case need not cite each other. Each pair is linked
/// once, from the later document to the earlier (by date, then id; an
/// undated one counts as earliest).
pub fn same_case<C: Corpus + ?Sized>(corpus: &C, citing: &DocInfo) -> Result<Vec<Link>, C::Error> {
    let mut out: Vec<Link> = Vec::new();
    for key in &citing.own_diarienummer {
        let want = Want {
            own_diarienummer: Some(key),
            ..Want::any(citing, None)
        };
        for d in corpus.candidates(&want)? {
            if !want.admits(&d)
                || (d.date, &d.id) >= (citing.date, &citing.id)
                || out.iter().any(|l| l.to == d.id)
            {
                continue;
            }
            out.push(Link {
                from: citing.id.clone(),
                to: d.id.clone(),
                link_type: LinkType::SameCase,
                confidence: 0.99,
                reason: format!("same case: diarienummer {key}"),
                evidence: key.clone(),
            });
        }
    }
    Ok(out)
}

/// The § of a whole protocol that a protocol extract certifies: the same
/// body's § of that number at the same meeting. One decision published
/// twice, not a reference; linked from the extract to the protocol's §.
pub fn same_decision<C: Corpus + ?Sized>(
    corpus: &C,
    citing: &DocInfo,
) -> Result<Vec<Link>, C::Error> {
    if citing.part_of.is_some() {
        return Ok(Vec::new());
    }
    // Of a document that is no part, every twin is a protocol's part.
    Ok(decision_twins(corpus, citing)?
        .into_iter()
        .take(1)
        .map(|d| Link {
            from: citing.id.clone(),
            to: d.id.clone(),
            link_type: LinkType::SameDecision,
            confidence: 0.99,
            reason: "same decision: body, meeting date and paragraph".to_owned(),
            evidence: citing.paragraph.clone().unwrap_or_default(),
        })
        .collect())
}

/// The other documents of `doc`'s decision: of its body, meeting day and
/// § number, and not of its protocol (an extract's twins are protocols'
/// §§, a §'s twins are extracts). A new protocol's § relinks the extracts
/// of it already here.
pub fn decision_twins<C: Corpus + ?Sized>(
    corpus: &C,
    doc: &DocInfo,
) -> Result<Vec<DocInfo>, C::Error> {
    // An extract and a protocol's § are both decisions.
    let (DocKind::Decision, Some(p), Some(body), Some(date)) =
        (doc.kind, doc.paragraph.as_deref(), &doc.body, doc.date)
    else {
        return Ok(Vec::new());
    };
    let number = paragraph_number(p);
    if number.is_empty() {
        return Ok(Vec::new());
    }
    let want = Want {
        kinds: Some(&[DocKind::Decision]),
        paragraph: Some(&number),
        within: Some(DateRange::day(date)),
        dated: true,
        ..Want::any(doc, None)
    };
    let mut out = Vec::new();
    for d in corpus.candidates(&want)? {
        if want.admits(&d)
            && d.part_of != doc.part_of
            && d.body
                .as_deref()
                .is_some_and(|b| b.eq_ignore_ascii_case(body))
        {
            out.push(d.into_owned());
        }
    }
    Ok(out)
}

/// The documents that share an own diarienummer with `doc`, whatever
/// their dates: those whose same-case links a new or changed `doc` may
/// change.
pub fn case_members<C: Corpus + ?Sized>(corpus: &C, doc: &DocInfo) -> Result<Vec<DocId>, C::Error> {
    let undated = DocInfo {
        date: None,
        ..doc.clone()
    };
    let mut out = Vec::new();
    for key in &doc.own_diarienummer {
        let want = Want {
            own_diarienummer: Some(key),
            ..Want::any(&undated, None)
        };
        for d in corpus.candidates(&want)? {
            if want.admits(&d) && !out.contains(&d.id) {
                out.push(d.id.clone());
            }
        }
    }
    Ok(out)
}

/// A resolver's answer: the document, the confidence, and why.
type Hit<'s> = Option<(Cow<'s, DocInfo>, f32, String)>;

/// The best of scored candidates, with what came with it and the
/// runner-up's score. Ties are broken by id, so the answer never depends on
/// the order a corpus returns its candidates in.
fn ranked<'s, T>(
    mut scored: Vec<(f32, Cow<'s, DocInfo>, T)>,
) -> Option<(f32, Cow<'s, DocInfo>, T, Option<f32>)> {
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let mut scored = scored.into_iter();
    let (score, best, with) = scored.next()?;
    Some((
        score,
        best,
        with,
        scored.next().map(|(second, _, _)| second),
    ))
}

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

/// "KS 2019-12-18 § 334", "Tekniska nämnden har den 18 maj 2026, § 28":
/// the document whose own paragraph, date and body agree with every part
/// given. A § alone, or a § with a body but no date, names no one meeting
/// (every body numbers its §§ anew each year), so it stays unresolved; so
/// does a body and a date without a §, unless the words around it name
/// the decision's own title ("kommunfullmäktige beslutade den 5 november
/// 2025 att anta detaljplanen för …") or the day is one and only one of the
/// body's decisions that day is of the citing document's own case.
fn resolve_decision<'s, C: Corpus + ?Sized>(
    corpus: &'s C,
    citing: &DocInfo,
    context: &[String],
    citing_tokens: &[String],
    told: &[String],
    r: &Reference,
) -> Result<Hit<'s>, C::Error> {
    let paragraph = r.paragraph.as_deref().map(paragraph_number);
    let Some(date) = r.date else {
        return Ok(None);
    };
    // The citing document's own § ("§ 65" in its own heading).
    if let (Some(p), Some(own)) = (&paragraph, citing.paragraph.as_deref())
        && *p == paragraph_number(own)
        && citing.date.is_none_or(|cd| date.contains(cd))
    {
        return Ok(None);
    }
    let want = Want {
        kinds: if paragraph.is_none() {
            Some(DECIDING)
        } else {
            None
        },
        within: Some(date),
        dated: true,
        paragraph: paragraph.as_deref(),
        ..Want::any(citing, r.municipality.as_deref())
    };
    let mut found: Vec<(f32, Cow<'s, DocInfo>, ())> = Vec::new();
    // Those of the citing document's own case (ärende).
    let mut of_case: Vec<Cow<'s, DocInfo>> = Vec::new();
    for d in corpus.candidates(&want)? {
        if !want.admits(&d) {
            continue;
        }
        match (&r.body, &d.body) {
            (Some(rb), Some(db)) if !same_body(rb, db) => continue,
            _ => {}
        }
        let title = topic_words(&d.title);
        let topic = similarity(context, &title);
        // What the whole citing text is about counts for less.
        let whole = TOPIC_SHARES_DECISION.min(similarity(citing_tokens, &title) / 2.0);
        if of_one_case(citing, &d) {
            of_case.push(d.clone());
        }
        found.push((topic.max(whole), d, ()));
    }
    // "Kommunstyrelsen beslutade om uppdraget 2031-01-22": of the body's
    // decisions that day, the one of the citing document's own case, as an
    // office's report is found by its day and case.
    if paragraph.is_none()
        && r.body.is_some()
        && date.precision == Precision::Day
        && let [only] = of_case.as_slice()
    {
        return Ok(Some((
            only.clone(),
            CONFIDENCE_DECISION_BY_CASE,
            format!("{} matches date, body, case", r.kind.as_str()),
        )));
    }
    // "Kommunfullmäktige beslutade 2031-08-29 att uppdra åt nämnden att
    // utreda …": the one decision of that day whose own "Beslut" says it,
    // by a margin over those whose "Beslut" is on record (one that is not
    // cannot be told apart by it).
    if paragraph.is_none() && told.len() >= TOLD_WORDS {
        // The share of the told words each candidate's "Beslut" holds,
        // when it is on record and says enough to tell (a "Beslut" of a few
        // words, "i enlighet med förslaget", tells nothing).
        let shares: Vec<Option<f32>> = found
            .iter()
            .map(|(_, d, ())| {
                let decided = tokens(d.decided.as_deref()?);
                (distinctive(&decided).len() >= TOLD_WORDS).then(|| similarity(&decided, told))
            })
            .collect();
        let said = found
            .iter()
            .zip(&shares)
            .map(|((_, d, ()), share)| (share.unwrap_or(0.0), d.clone(), ()))
            .collect();
        // A decision whose own "Beslut" says little of what the citing
        // text says was decided is not the one cited, whatever its title
        // shares with the words around.
        let mut shares = shares.into_iter();
        found.retain(|_| shares.next().flatten().is_none_or(|s| s >= TOLD_OTHERWISE));
        if let Some((share, best, (), second)) = ranked(said)
            && share >= TOLD_DECIDED
            && second.is_none_or(|second| share - second >= MARGIN)
        {
            let body = if r.body.is_some() && best.body.is_some() {
                "body, "
            } else {
                ""
            };
            return Ok(Some((
                best,
                CONFIDENCE_DECISION_BY_DECIDED,
                format!("{} matches date, {body}decided words", r.kind.as_str()),
            )));
        }
    }
    let count = found.len();
    let Some((topic, best, (), runner_up)) = ranked(found) else {
        return Ok(None);
    };
    let mut parts = vec![];
    if paragraph.is_some() {
        parts.push("paragraph");
    }
    parts.push("date");
    if r.body.is_some() && best.body.is_some() {
        parts.push("body");
    }
    let confidence = if paragraph.is_some() {
        // Several documents of one § and day: an extract beside the
        // protocol's §, or two bodies' §§ when no body was named.
        if runner_up.is_some_and(|second| topic - second < MARGIN) {
            return Ok(None);
        }
        if parts.contains(&"body") {
            CONFIDENCE_EXACT
        } else {
            CONFIDENCE_PARAGRAPH_DATE
        }
    } else {
        // A meeting decides many things, most of them not in the archive:
        // only the decision's own words, said around the reference or by
        // the citing document, tell which. Over a season ("beslutade
        // hösten 2031") the meetings are too many for a title's words to.
        if (date.end - date.start).whole_days() > MONTH_DAYS {
            return Ok(None);
        }
        if topic < TOPIC_SHARES_DECISION || runner_up.is_some_and(|second| topic - second < MARGIN)
        {
            return Ok(None);
        }
        if topic >= TOPIC_NAMES_DECISION {
            parts.push("title");
            CONFIDENCE_DECISION_BY_TITLE
        } else {
            parts.push("topic");
            CONFIDENCE_DECISION_BY_TOPIC
        }
    };
    let mut reason = format!("{} matches {}", r.kind.as_str(), parts.join(", "));
    if count > 1 {
        reason.push_str(&format!("; topic chose among {count}"));
    }
    Ok(Some((best, confidence, reason)))
}

/// "Kommunfullmäktige beslutade 2031-08-29 att uppdra åt …": the
/// distinctive words of the "att" clause that tells what the decision
/// referred to (ending at `end`) decided, to the end of its sentence; none
/// when no such clause follows.
fn told_decision(text: &str, end: usize) -> Vec<String> {
    let Some(rest) = text.get(end..) else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches([' ', ',', '\n', '\r', '\t']);
    let Some(clause) = rest.get(..4).filter(|w| w.eq_ignore_ascii_case("att ")) else {
        return Vec::new();
    };
    let rest = &rest[clause.len()..];
    let cut = rest.floor_char_boundary(TOLD_CHARS.min(rest.len()));
    let rest = &rest[..cut];
    // To the first ';' or full stop that ends a sentence: before a
    // capital letter or a digit, or the end ("bl.a. ramper" goes on).
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            c == ';'
                || (c == '.' && {
                    let after = &rest[i + 1..];
                    let next = after.trim_start();
                    (after.len() > next.len() || after.is_empty())
                        && next
                            .chars()
                            .next()
                            .is_none_or(|n| n.is_uppercase() || n.is_ascii_digit())
                })
        })
        .map_or(rest.len(), |(i, _)| i);
    let sentence = &rest[..end];
    distinctive(&tokens(sentence))
}

/// Whether `d` is of the case (an own diarienummer) of `citing`.
fn of_one_case(citing: &DocInfo, d: &DocInfo) -> bool {
    d.own_diarienummer
        .iter()
        .any(|k| citing.own_diarienummer.contains(k))
}

/// "Kommunledningskontoret har i skrivelse den 13 maj 2026": the office's
/// report of that day. An office writes several reports a day, so the
/// report must also be of the citing document's own case (its
/// diarienummer), or be the only one of that office and day whose title
/// the citing text speaks of.
fn resolve_staff_report<'s, C: Corpus + ?Sized>(
    corpus: &'s C,
    citing: &DocInfo,
    context: &[String],
    r: &Reference,
) -> Result<Hit<'s>, C::Error> {
    let Some(date) = r.date.filter(|d| d.precision == Precision::Day) else {
        return Ok(None);
    };
    let want = Want {
        kinds: Some(&[DocKind::StaffReport]),
        within: Some(date),
        dated: true,
        ..Want::any(citing, r.municipality.as_deref())
    };
    let mut same_case: Vec<Cow<'s, DocInfo>> = Vec::new();
    let mut others: Vec<(Cow<'s, DocInfo>, f32)> = Vec::new();
    for d in corpus.candidates(&want)? {
        if !want.admits(&d) {
            continue;
        }
        let shared = of_one_case(citing, &d);
        // Of the citing document's own case and day, the office named
        // may be one that helped write it.
        if !shared
            && let (Some(ro), Some(dof)) = (&r.body, &d.office)
            && !same_office(ro, dof)
        {
            continue;
        }
        let other_case =
            !shared && !d.own_diarienummer.is_empty() && !citing.own_diarienummer.is_empty();
        if shared {
            same_case.push(d);
        } else if !other_case {
            let topic = similarity(context, &distinctive(&tokens(&d.title)));
            others.push((d, topic));
        }
    }
    if same_case.len() == 1 {
        let d = same_case.pop().expect("one");
        return Ok(Some((
            d,
            CONFIDENCE_STAFF_REPORT_CASE,
            "staff report matches date, office, case".into(),
        )));
    }
    if !same_case.is_empty() || others.len() != 1 {
        return Ok(None);
    }
    let (d, topic) = others.pop().expect("one");
    if topic < TOPIC_NAMES_DECISION {
        return Ok(None);
    }
    Ok(Some((
        d,
        CONFIDENCE_STAFF_REPORT_TITLE,
        "staff report matches date, office, title".into(),
    )))
}

/// A line of a "Beslutsunderlag" list or a "Bilaga …" line: the one
/// document whose title is that line's, nearly word for word, and whose
/// date, when the line gives one, is that date.
fn resolve_listed<'s, C: Corpus + ?Sized>(
    corpus: &'s C,
    citing: &DocInfo,
    r: &Reference,
    taken: &HashSet<DocId>,
) -> Result<Hit<'s>, C::Error> {
    let Some(title) = r.title.as_deref() else {
        return Ok(None);
    };
    // The municipality's own name tells no title apart.
    let place = citing
        .municipality
        .as_deref()
        .map(|m| tokens(&fold(m)))
        .unwrap_or_default();
    let telling = |t: &[String]| -> Vec<String> {
        distinctive(t)
            .into_iter()
            .filter(|w| !place.contains(w))
            .collect()
    };
    let words = telling(&tokens(&fold(title)));
    // A title of one telling word ("Cykelplan för Alingsås kommun") names
    // only a document whose telling words are that word and no other.
    let single = match words.as_slice() {
        [] => return Ok(None),
        [_] => true,
        _ => false,
    };
    // "§ 27 KS Årsredovisning 2025": the line's own § and years bound the
    // document it can be (a report on 2025 is not from 2018).
    let paragraph = title
        .split('§')
        .nth(1)
        .map(|rest| {
            rest.trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|n| !n.is_empty());
    let latest_year = title
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1950..2100).contains(y))
        // A year after the citing document is a plan's horizon ("2021-2030,
        // med utblick mot 2045"), not the year it was written in.
        .filter(|y| citing.date.is_none_or(|d| *y <= d.year()))
        .max();
    let want = Want {
        named: Some(&words),
        ..Want::any(citing, r.municipality.as_deref())
    };
    let mut fitting: Vec<(Cow<'s, DocInfo>, [Vec<String>; 2])> = Vec::new();
    for d in corpus.candidates(&want)? {
        // A line's kind noun ("Motion gällande …") rules out documents of
        // another kind, not one whose kind its text did not tell.
        if !want.admits(&d)
            || taken.contains(&d.id)
            || r.target_kind
                .is_some_and(|k| !compatible(k, d.kind) && d.kind != DocKind::Other)
        {
            continue;
        }
        if let (Some(rd), Some(dd)) = (r.date, d.date)
            && !rd.contains(dd)
        {
            continue;
        }
        // A § of a protocol is named by its number: a line of titles alone
        // names the report or plan a body decided on, and a matter's title
        // recurs in the decisions of every year ("Bokslut 2030 för …").
        if paragraph.is_none() && d.part_of.is_some() {
            continue;
        }
        // "§27 KS Årsredovisning 2025" names that § of a body: the extract
        // or the protocol's §, never the report it decided on.
        if let Some(p) = &paragraph {
            let fits = match &d.paragraph {
                Some(dp) => *p == paragraph_number(dp),
                None => matches!(d.kind, DocKind::Decision | DocKind::Other),
            };
            if !fits {
                continue;
            }
        }
        if let (Some(y), Some(dd)) = (latest_year, d.date)
            && dd.year() < y - 1
        {
            continue;
        }
        // By its title, or by the name it was published under.
        let by_title = telling(&tokens(&fold(&d.title)));
        let by_name = telling(&tokens(d.name.as_deref().unwrap_or_default()));
        fitting.push((d, [by_title, by_name]));
    }
    // Those whose title or published name share enough of the line's words.
    // A line of one telling word names a document titled by that word
    // alone, or one published with the citing document (a meeting's list
    // of its own attachments) whose title holds it.
    let shares = |d: &DocInfo, t: &Vec<String>| {
        if single {
            *t == words || (t.contains(&words[0]) && published_together(citing, d))
        } else {
            t.iter().filter(|w| words.contains(w)).count() >= 2
        }
    };
    fitting.retain(|(d, names)| names.iter().any(|t| shares(d, t)));
    // The documents of one case share most of their title's words ("Plankarta
    // – Detaljplan för X", "Planbeskrivning – Detaljplan för X", "Beslut om
    // granskning av detaljplan för X"). How alike a line and a title are
    // decides whether the line can name it at all; which of the fitting
    // documents it names is decided by the words few of them have, weighed
    // by their inverse document frequency among them (a word all of them
    // have weighs little, so with one candidate the two scores agree).
    let mut holders: HashMap<String, usize> = HashMap::new();
    for (_, [by_title, by_name]) in &fitting {
        let mut seen: HashSet<&str> = HashSet::new();
        for w in by_title.iter().chain(by_name) {
            if seen.insert(w) {
                *holders.entry(w.clone()).or_default() += 1;
            }
        }
    }
    let all = fitting.len().max(1) as f32;
    let weight = |w: &str| {
        let holding = holders.get(w).copied().unwrap_or(1).max(1) as f32;
        SHARED_WORD_WEIGHT + (all / holding).ln()
    };
    // Each fitting document: how tellingly it fits, how alike line and
    // title are, and whether they are alike as whole titles (not only as
    // a shortened line of the meeting's own list).
    let mut scored: Vec<(f32, Cow<'s, DocInfo>, (f32, bool))> = Vec::new();
    for (d, names) in fitting {
        // A list of the meeting's own attachments shortens their titles
        // ("Förslag riktlinje bakgrundskontroll" for "Bakgrundskontroll vid
        // anställning, riktlinje"): among the documents published with the
        // citing one, a line all of whose words a title holds is as alike
        // as a whole title, though less surely the document meant.
        let together = published_together(citing, &d);
        let (telling, alike, whole) = names
            .iter()
            .filter(|t| shares(&d, t))
            .map(|t| {
                let plain = if single && **t != words {
                    0.0
                } else {
                    dice(&words, t)
                };
                let held = words.iter().filter(|w| t.contains(w)).count();
                let covered = if together && held == words.len() {
                    1.0
                } else {
                    plain
                };
                (
                    weighted_dice(&words, t, weight),
                    covered,
                    plain >= LISTED_TITLE,
                )
            })
            .fold((0.0f32, 0.0f32, false), |(a, b, c), (x, y, z)| {
                (a.max(x), b.max(y), c || z)
            });
        scored.push((telling, d, (alike, whole)));
    }
    // Among documents that fit equally, those published with the citing
    // one (the attachments of its meeting): two boards' reports of one
    // title are told apart by where they were published.
    let top = scored.iter().map(|s| s.0).fold(f32::MIN, f32::max);
    let tied = |s: &(f32, Cow<'s, DocInfo>, (f32, bool))| top - s.0 < MARGIN;
    let tied_here =
        |s: &(f32, Cow<'s, DocInfo>, (f32, bool))| tied(s) && published_together(citing, &s.1);
    if scored.iter().any(tied_here) && scored.iter().any(|s| tied(s) && !tied_here(s)) {
        scored.retain(tied_here);
    }
    let Some((score, best, (alike, whole), second)) = ranked(scored) else {
        return Ok(None);
    };
    if alike < LISTED_TITLE || second.is_some_and(|second| score - second < MARGIN) {
        return Ok(None);
    }
    if !whole {
        return Ok(Some((
            best,
            CONFIDENCE_SHORTENED,
            "listed line matches the title of an attachment of the same meeting".into(),
        )));
    }
    Ok(Some((
        best,
        CONFIDENCE_LISTED,
        "listed document matches title".into(),
    )))
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

/// Whether two names of a body name the same body. An abbreviation the
/// extractor could not expand ("TEN", "VONAU") is only known to start as
/// the name does.
fn same_body(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let abbreviation = |s: &str| !s.contains(' ') && s.chars().count() <= 6;
    if abbreviation(&a) != abbreviation(&b) {
        return a.chars().next() == b.chars().next();
    }
    a == b
}

/// Whether two names of an office name the same office: one may add a
/// unit to the other ("Kommunledningskontoret, Ekonomienheten").
fn same_office(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a.starts_with(&b) || b.starts_with(&a)
}

/// The words of a title that tell it apart: not those that only say what
/// kind of document it is, nor numbers (a year is shared by everything
/// decided in it).
fn distinctive(words: &[String]) -> Vec<String> {
    const KIND_WORDS: &[&str] = &[
        "protok", "tjänst", "skrive", "beslut", "handli", "riktli", "strate", "progra", "försla",
        "ärende", "motion", "svar", "bilaga", "rappor", "utdrag", "kommun", "styrel", "fullmä",
        "nämnde",
    ];
    words
        .iter()
        .filter(|w| {
            let folded = fold(w);
            !KIND_WORDS.iter().any(|k| fold(k) == folded) && !w.chars().all(|c| c.is_ascii_digit())
        })
        .cloned()
        .collect()
}

/// The words of a decision's title that tell its matter: its distinctive
/// words without the names of bodies ("Avsägelse från ledamot i
/// fritidsnämnden" is of the board's member, not of its field), which
/// recur in the titles of any day's decisions and the words around.
fn topic_words(title: &str) -> Vec<String> {
    const BODY_ENDINGS: &[&str] = &[
        "nämnden",
        "nämndens",
        "nämnd",
        "styrelsen",
        "styrelsens",
        "fullmäktige",
        "fullmäktiges",
        "förvaltningen",
        "förvaltningens",
        "utskottet",
        "utskottets",
    ];
    let kept: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| {
            let w = w.to_lowercase();
            !BODY_ENDINGS.iter().any(|e| w.ends_with(e))
        })
        .collect();
    distinctive(&tokens(&kept.join(" ")))
}

/// The sentence or two around a reference: what it is said of.
fn around(text: &str, start: usize, end: usize) -> &str {
    let from = text.floor_char_boundary(start.saturating_sub(200).min(text.len()));
    let to = text.ceil_char_boundary((end + 300).min(text.len()));
    &text[from..to]
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
                    target.authors.iter().any(|a| same_name(&a.name, &p.name))
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
        RefKind::Listed => {
            let words = tokens(&fold(r.title.as_deref().unwrap_or_default()));
            let common = target
                .name_words()
                .iter()
                .filter(|w| words.contains(w))
                .count();
            // Two shared words, or the one a title of one word has.
            common >= words.len().clamp(1, 2) && date_fits
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
        Decision => stored.decides(),
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
    // citing document scores at most `MENTION.without_shared_words()`: it
    // can neither reach ACCEPT nor come within MARGIN of a candidate that
    // does (tested). So only the others are asked for, which a store finds
    // by word.
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
    // A document of no kind of its own is named by its genre
    // ("samrådsredogörelse"), which its title or published name must have.
    let genre = (kind == DocKind::Other)
        .then(|| tokens(&fold(r.title.as_deref().unwrap_or_default())))
        .filter(|g| !g.is_empty());
    let mut scored: Vec<(f32, Cow<'s, DocInfo>, Vec<&'static str>)> = Vec::new();
    for d in corpus.candidates(&want)? {
        if !want.admits(&d) {
            continue;
        }
        if let Some(genre) = &genre {
            let named = d.name_words();
            if !genre.iter().all(|w| named.contains(w)) {
                continue;
            }
        }
        let mut score = MENTION.kind;
        let mut why = vec!["kind"];
        // Open world: kind, body and a common word fit many documents,
        // most of them not in the archive. Only an author, a title or a
        // day with its body single one out.
        let mut distinct = false;
        if let (Some(p), true) = (&r.person, has_authors(d.kind)) {
            if d.authors.iter().any(|a| same_name(&a.name, &p.name)) {
                score += MENTION.author;
                why.push("author");
                distinct = true;
            } else if !d.authors.is_empty() {
                continue;
            }
        }
        let mut day = false;
        if let Some(rd) = date {
            match d.date {
                Some(dd) if rd.contains(dd) => {
                    score += if rd.precision == Precision::Day {
                        day = true;
                        MENTION.day
                    } else {
                        MENTION.month_or_year
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
            score += MENTION.body;
            why.push("body");
            distinct |= day && !compatible(DocKind::Decision, d.kind);
        }
        let title_tokens = tokens(&d.title);
        let title_sim = similarity(&evidence_tokens, &title_tokens);
        if title_sim > 0.0 {
            score += MENTION.title * title_sim;
            let shared = distinctive(&title_tokens)
                .iter()
                .filter(|t| evidence_tokens.contains(t))
                .count();
            // The whole title and nothing else ("handlingsplan för trygghet
            // 2026"), with a word of its own subject: named by it.
            let whole_title = dice(&evidence_tokens, &title_tokens) >= 1.0
                && title_tokens.len() >= 3
                && shared >= 1;
            if (title_sim >= 0.5 && shared >= 2) || whole_title {
                why.push("title");
                distinct = true;
            }
        }
        let topic = similarity(citing_tokens, &distinctive(&title_tokens));
        // A month or a day (not a year): for a kind a body writes few of,
        // enough; a decision must also be on the citing text's topic.
        let dated = why.contains(&"date") && date.is_some_and(|d| d.precision != Precision::Year);
        if dated && !compatible(DocKind::Decision, d.kind) {
            distinct = true;
        }
        if dated && why.contains(&"body") && topic >= TOPIC_SHARES_DECISION {
            distinct = true;
        }
        // A decision of its body and day in the citing document's own case.
        if day && why.contains(&"body") && of_one_case(citing, &d) {
            distinct = true;
            why.push("case");
        }
        // "enligt nämndens uppföljning" in a text about the very subject of
        // one follow-up's title (two of its words or more). A document of
        // the kind it mentions ("handlingsplanen" in a plan) speaks of
        // itself or its own earlier version, which the topic cannot tell.
        if !distinct
            && !compatible(kind, citing.kind)
            && title_sim > 0.0
            && topic >= TOPIC_NAMES_DECISION
            && distinctive(&title_tokens).len() >= 2
            && !compatible(DocKind::Decision, d.kind)
        {
            distinct = true;
            why.push("topic");
        }
        if !distinct {
            continue;
        }
        score += MENTION.topic * topic;
        scored.push((score, d, why));
    }
    let Some((score, best, why, second)) = ranked(scored) else {
        return Ok(None);
    };
    if score < ACCEPT || second.is_some_and(|second| score - second < MARGIN) {
        return Ok(None);
    }
    let confidence = if why.contains(&"author") {
        CONFIDENCE_MENTION_AUTHOR
    } else if why.contains(&"case") {
        CONFIDENCE_DECISION_BY_CASE
    } else if why.contains(&"title") {
        CONFIDENCE_MENTION_TITLE
    } else if why.contains(&"topic") {
        CONFIDENCE_MENTION_TOPIC
    } else if why.contains(&"body") {
        CONFIDENCE_MENTION_DATE_BODY
    } else {
        CONFIDENCE_MENTION_DATE
    };
    Ok(Some((
        best,
        confidence,
        format!("mention of {} matches {}", kind.as_str(), why.join(", ")),
    )))
}

#[cfg(test)]
mod tests;
