//! The domain model of Kedja: documents, references, links and commitments.
//!
//! Everything else in the workspace speaks in these types. The crate does no
//! I/O and knows nothing of SQLite, tantivy or JSON wire formats beyond serde
//! derives, so pure crates (extraction, linking) can depend on it freely.
//!
//! The main types:
//! - [`Document`]: one stored document with its extracted record ([`Record`]).
//! - [`Reference`]: a mention inside a document of another document.
//! - [`Link`]: a resolved, typed, evidenced edge between two documents.
//! - [`Commitment`]: an assignment or promise with a responsible party and a deadline.
//! - [`CommitmentText`]: what one document states of commitments as found in
//!   its text ([`FoundCommitment`], [`FoundStatus`]), each finding with a
//!   [`FindingId`]; tracking across documents makes [`Commitment`]s of them.

mod date;
mod findings;
mod kind;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use date::{DateRange, Precision, parse_iso_date};
pub use findings::{Cited, CommitmentText, FindingId, FoundCommitment, FoundStatus};
pub use kind::DocKind;
pub use time::{Date, Month};

/// A stable document identifier: `d` followed by 16 hex digits of the
/// SHA-256 of the document's source key (see [`DocId::for_source`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub String);

impl DocId {
    /// The id of the document that lives at `source` (a normalised path or URL).
    /// Re-importing changed content from the same source keeps the id.
    pub fn for_source(source: &str) -> DocId {
        let digest = Sha256::digest(source.as_bytes());
        DocId(format!("d{}", &hex(&digest)[..16]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DocId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// SHA-256 of raw content, as lowercase hex. Used to make re-import idempotent.
pub fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The file format a document's text was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Html,
    Pdf,
    Tei,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Tei => "tei",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        [Format::Text, Format::Html, Format::Pdf, Format::Tei]
            .into_iter()
            .find(|f| f.as_str() == s)
    }
}

/// A person named in a document, with party when the text gives one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    /// Party abbreviation as used in Swedish politics ("V", "C", "S"), or the
    /// full name of a local party that has no common abbreviation.
    pub party: Option<String>,
    pub role: PersonRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    Author,
    CoSigner,
    Addressee,
}

/// A date found in the text, with the span that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    pub range: DateRange,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// What the text says about itself: the structured record that search,
/// linking and commitment tracking build on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Record {
    pub kind: DocKind,
    /// How sure the kind is, 0.0..=1.0.
    pub kind_confidence: f32,
    pub title: String,
    /// The document's own date (when it was written, sent or decided).
    #[serde(default, with = "date::iso::option")]
    pub date: Option<Date>,
    pub municipality: Option<String>,
    pub authors: Vec<Person>,
    pub addressee: Option<String>,
    /// The deciding or responsible body ("Kommunstyrelsen", "Socialnämnden").
    pub body: Option<String>,
    /// Other bodies named in the text.
    pub bodies: Vec<String>,
    pub diarienummer: Vec<String>,
    /// Paragraph references ("KS 2019-12-18 § 334", "§ 12").
    pub paragraphs: Vec<String>,
    /// The document's own paragraph in its body's minutes ("§ 187"), when
    /// its heading gives one.
    #[serde(default)]
    pub paragraph: Option<String>,
    /// The diarienummer (normalised keys) the document's heading gives as
    /// its own ärende.
    #[serde(default)]
    pub own_diarienummer: Vec<String>,
    /// A document number of its own ("2022/23:1" for a Riksdagen interpellation).
    #[serde(default)]
    pub doc_number: Option<String>,
    pub dates: Vec<DateMention>,
    /// Numbered questions of an interpellation.
    pub questions: Vec<String>,
    /// "att …" clauses and proposals of a motion or initiative.
    pub proposals: Vec<String>,
    /// What the extractor could not understand.
    pub problems: Vec<String>,
    /// The document this one is a part of: a § of a meeting protocol names
    /// the protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<DocId>,
    /// The pages of the source the document covers (a protocol's §), from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<(u32, u32)>,
    /// For a tjänsteskrivelse: the office that wrote it and its handläggare.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// How sure the text itself is, 0.0..=1.0, when it was recognised from
    /// scanned images (text recognition); `None` for a text layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_confidence: Option<f32>,
    /// What a decision decides: the words of its "Beslut" part, so far as
    /// [`DECIDED_CHARS`]; what a later text's "beslutade … att …" is
    /// matched with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<String>,
}

/// How much of a decision's "Beslut" part a record keeps.
pub const DECIDED_CHARS: usize = 4000;

/// One stored document: its identity, where it came from and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocId,
    /// The path or URL the document was imported from.
    pub source: String,
    pub format: Format,
    /// Which decoder produced the text ("pdf-extract", "scraper", "utf8", "tei").
    pub extractor: String,
    pub content_hash: String,
    /// Version number of the current content at this source, from 1.
    pub version: u32,
    /// When this version was imported; RFC 3339 in JSON.
    #[serde(with = "time::serde::rfc3339")]
    pub imported_at: time::OffsetDateTime,
    pub text: String,
    #[serde(flatten)]
    pub record: Record,
}

/// The kind of a mention of another document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// A diarienummer ("KS/2019:317").
    Diarienummer,
    /// A body, date and paragraph ("KS 2019-12-18 § 334").
    Paragraph,
    /// A decision named by body and date ("kommunfullmäktiges beslut 2022-12-14").
    Decision,
    /// A document named by kind, author, title or time ("motionen från Martin Lindberg (V)").
    Mention,
    /// A parliamentary document number ("2022/23:1").
    DocumentNumber,
    /// A document named by its title in a list of the documents a decision
    /// rests on or has attached ("Beslutsunderlag", "Bilaga …").
    Listed,
}

impl RefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Diarienummer => "diarienummer",
            RefKind::Paragraph => "paragraph",
            RefKind::Decision => "decision",
            RefKind::Mention => "mention",
            RefKind::DocumentNumber => "document_number",
            RefKind::Listed => "listed",
        }
    }

    pub fn parse(s: &str) -> Option<RefKind> {
        [
            RefKind::Diarienummer,
            RefKind::Paragraph,
            RefKind::Decision,
            RefKind::Mention,
            RefKind::DocumentNumber,
            RefKind::Listed,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A mention in one document of another, with the span that is its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub kind: RefKind,
    /// The kind of document mentioned, when the wording says ("motion", "beslut").
    pub target_kind: Option<DocKind>,
    pub body: Option<String>,
    pub date: Option<DateRange>,
    pub diarienummer: Option<String>,
    pub paragraph: Option<String>,
    pub person: Option<Person>,
    /// A title or topic quoted in the mention.
    pub title: Option<String>,
    /// The municipality the text names for the cited document ("Mjölby
    /// kommuns handlingsplan"); `None`: the citing document's own.
    #[serde(default)]
    pub municipality: Option<String>,
    /// The quoted span, exactly as in the text.
    pub evidence: String,
    pub start: usize,
    pub end: usize,
}

impl Reference {
    /// A reference of `kind` with its evidence span and nothing else known
    /// yet; callers fill in what the text gives.
    pub fn new(kind: RefKind, evidence: impl Into<String>, start: usize, end: usize) -> Reference {
        Reference {
            kind,
            target_kind: None,
            body: None,
            date: None,
            diarienummer: None,
            paragraph: None,
            person: None,
            title: None,
            municipality: None,
            evidence: evidence.into(),
            start,
            end,
        }
    }
}

/// The type of a link between two documents. Directed from the citing
/// (later) document to the cited (earlier) one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkType {
    Answers,
    AsksAbout,
    DecidesOn,
    Implements,
    FollowsUp,
    Cites,
    SameTopic,
    /// Both documents belong to one case (ärende): they share its
    /// diarienummer. Not a reference in the text; directed from the later
    /// document to the earlier.
    SameCase,
    /// One decision published twice: a protocol extract (one § certified)
    /// and the same § in the whole protocol, of one body and meeting.
    /// Directed from the extract to the protocol's §.
    SameDecision,
}

impl LinkType {
    pub const ALL: [LinkType; 9] = [
        LinkType::Answers,
        LinkType::AsksAbout,
        LinkType::DecidesOn,
        LinkType::Implements,
        LinkType::FollowsUp,
        LinkType::Cites,
        LinkType::SameTopic,
        LinkType::SameCase,
        LinkType::SameDecision,
    ];

    /// A relation between documents that no reference in the text makes:
    /// one case, or one decision published twice.
    pub fn is_relation(self) -> bool {
        matches!(self, LinkType::SameCase | LinkType::SameDecision)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LinkType::Answers => "answers",
            LinkType::AsksAbout => "asks_about",
            LinkType::DecidesOn => "decides_on",
            LinkType::Implements => "implements",
            LinkType::FollowsUp => "follows_up",
            LinkType::Cites => "cites",
            LinkType::SameTopic => "same_topic",
            LinkType::SameCase => "same_case",
            LinkType::SameDecision => "same_decision",
        }
    }

    pub fn parse(s: &str) -> Option<LinkType> {
        LinkType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A resolved edge from one stored document to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub from: DocId,
    pub to: DocId,
    pub link_type: LinkType,
    pub confidence: f32,
    /// Which rule or features made the link.
    pub reason: String,
    /// The quoted span in the citing document.
    pub evidence: String,
}

/// The state of a commitment as last reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    Done,
    Ongoing,
    NotStarted,
    /// Put off to a later time ("skjuts upp"): still to be done.
    Postponed,
    /// Written off or cancelled ("avskrivs", "avbryts", "utgår").
    WrittenOff,
    #[default]
    Unknown,
}

impl CommitmentStatus {
    pub const ALL: [CommitmentStatus; 6] = [
        CommitmentStatus::Done,
        CommitmentStatus::Ongoing,
        CommitmentStatus::NotStarted,
        CommitmentStatus::Postponed,
        CommitmentStatus::WrittenOff,
        CommitmentStatus::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentStatus::Done => "done",
            CommitmentStatus::Ongoing => "ongoing",
            CommitmentStatus::NotStarted => "not_started",
            CommitmentStatus::Postponed => "postponed",
            CommitmentStatus::WrittenOff => "written_off",
            CommitmentStatus::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<CommitmentStatus> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            CommitmentStatus::Done => "Genomfört",
            CommitmentStatus::Ongoing => "Pågår",
            CommitmentStatus::NotStarted => "Ej påbörjat",
            CommitmentStatus::Postponed => "Uppskjutet",
            CommitmentStatus::WrittenOff => "Avskrivet",
            CommitmentStatus::Unknown => "Okänt",
        }
    }

    /// Nothing more is to be done: finished or written off.
    pub fn is_closed(self) -> bool {
        matches!(self, CommitmentStatus::Done | CommitmentStatus::WrittenOff)
    }
}

/// An assignment or promise: who, what, by when, and what was reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// Stable across relinking: derived from the document and the evidence.
    pub id: String,
    /// The document that states the commitment.
    pub doc_id: DocId,
    pub municipality: Option<String>,
    pub responsible: Option<String>,
    pub task: String,
    pub deadline: Option<DateRange>,
    /// A recurring obligation ("årligen", "årligen i mars").
    pub cadence: Option<String>,
    /// The latest reported status; `Unknown` before any report.
    pub status: CommitmentStatus,
    /// The quoted span that states the commitment.
    pub evidence: String,
    /// The status reports, oldest first.
    pub reports: Vec<StatusReport>,
    /// Other documents that restate the same commitment.
    pub also_in: Vec<DocId>,
}

impl Commitment {
    /// Past its deadline on `today` with no report that it is done or
    /// written off. A recurring commitment ("årligen", "löpande") is never
    /// overdue, even when a month of the year is named.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.cadence.is_none()
            && self.deadline.is_some_and(|d| d.end < today)
            && !self.status_on(today).is_closed()
    }

    /// The status as reported on or before `day` (undated reports count).
    pub fn status_on(&self, day: Date) -> CommitmentStatus {
        self.reports
            .iter()
            .rev()
            .filter(|r| r.date.is_none_or(|d| d <= day))
            .map(|r| r.status)
            .find(|s| *s != CommitmentStatus::Unknown)
            .unwrap_or_default()
    }

    /// The day it became overdue: the day after its deadline.
    pub fn overdue_since(&self) -> Option<Date> {
        self.deadline.and_then(|d| d.end.next_day())
    }

    pub fn id_for(doc_id: &DocId, evidence: &str) -> String {
        let h = content_hash(format!("{}\n{evidence}", doc_id.as_str()).as_bytes());
        format!("c{}", &h[..16])
    }
}

/// One report on a commitment: what a later document says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    pub doc_id: DocId,
    #[serde(with = "date::iso::option")]
    pub date: Option<Date>,
    pub status: CommitmentStatus,
    /// The quoted spans that say so.
    pub evidence: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_id_is_stable_and_source_specific() {
        let a = DocId::for_source("data/demo/a.txt");
        assert_eq!(a, DocId::for_source("data/demo/a.txt"));
        assert_ne!(a, DocId::for_source("data/demo/b.txt"));
        assert_eq!(a.as_str().len(), 17);
        assert!(a.as_str().starts_with('d'));
    }

    #[test]
    fn content_hash_is_sha256_hex() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn enum_names_round_trip() {
        for t in LinkType::ALL {
            assert_eq!(LinkType::parse(t.as_str()), Some(t));
        }
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
        }
        for f in [Format::Text, Format::Html, Format::Pdf, Format::Tei] {
            assert_eq!(Format::parse(f.as_str()), Some(f));
        }
    }

    #[test]
    fn a_recurring_commitment_is_never_overdue() {
        let day = |s: &str| parse_iso_date(s).unwrap();
        let mut c = Commitment {
            id: "c1".into(),
            doc_id: DocId::for_source("plan"),
            municipality: None,
            responsible: None,
            task: "Återrapport av klagomål".into(),
            deadline: Some(DateRange::day(day("2030-09-30"))),
            cadence: None,
            status: CommitmentStatus::Unknown,
            evidence: String::new(),
            reports: Vec::new(),
            also_in: Vec::new(),
        };
        assert!(c.is_overdue(day("2030-10-01")));
        c.cadence = Some("årligen".into());
        assert!(!c.is_overdue(day("2030-10-01")));
        assert_eq!(
            CommitmentStatus::parse("postponed"),
            Some(CommitmentStatus::Postponed)
        );
        assert!(!CommitmentStatus::Postponed.is_closed());
    }
}
