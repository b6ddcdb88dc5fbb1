//! JSON request parsing and response types. Domain types are converted
//! here and nowhere else.

use std::collections::HashMap;

use kedja_index::{MAX_LIMIT, MAX_QUERY_CHARS, Sort};
use kedja_model::{DocKind, Document, Link, Person, Record, Reference};
use kedja_pipeline::{Brief, Direction, MAX_DEPTH, SearchRequest, SearchResults, Trace, TraceNode};
use kedja_store::{StoredReference, Version};
use serde::Serialize;

use crate::ApiError;

/// Deepest page a search may ask for.
pub(crate) const MAX_OFFSET: usize = kedja_index::MAX_OFFSET;

#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub documents: u64,
    pub versions: u64,
    pub references: u64,
    pub links: u64,
    pub version: &'static str,
}

pub(crate) fn search_request(params: &HashMap<String, String>) -> Result<SearchRequest, ApiError> {
    let q = params.get("q").map(|q| q.trim()).unwrap_or("");
    if q.is_empty() {
        return Err(ApiError::bad_request(
            "missing_query",
            "parameter q is required and must not be empty",
        ));
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(
            "query_too_long",
            format!("q is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = number(params, "limit", 10, 1, MAX_LIMIT)?;
    let offset = number(params, "offset", 0, 0, MAX_OFFSET)?;
    let kind = match params
        .get("kind")
        .map(String::as_str)
        .filter(|k| !k.is_empty())
    {
        Some(k) => Some(DocKind::parse(k).ok_or_else(|| {
            let known: Vec<&str> = DocKind::ALL.iter().map(|k| k.as_str()).collect();
            ApiError::bad_request(
                "bad_kind",
                format!("kind {k:?} is not one of {}", known.join(", ")),
            )
        })?),
        None => None,
    };
    let text = |name: &str| {
        params
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let date = |name: &str| -> Result<Option<kedja_model::Date>, ApiError> {
        match text(name) {
            None => Ok(None),
            Some(v) => search_date(&v, name == "to").map(Some).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_date",
                    format!("{name} must be a year, YYYY-MM or YYYY-MM-DD, not {v:?}"),
                )
            }),
        }
    };
    let sort = match text("sort") {
        None => Sort::Relevance,
        Some(v) => Sort::parse(&v).ok_or_else(|| {
            ApiError::bad_request(
                "bad_sort",
                format!("sort must be relevance, newest or oldest, not {v:?}"),
            )
        })?,
    };
    Ok(SearchRequest {
        query: q.to_owned(),
        kind,
        municipality: text("municipality"),
        party: text("party"),
        body: text("body"),
        from: date("from")?,
        to: date("to")?,
        sort,
        limit,
        offset,
    })
}

/// "2022" (the whole year), "2022-12" (the month) or "2022-12-14"; the
/// first day of the range for `from`, the last for `to`.
pub(crate) fn search_date(s: &str, end: bool) -> Option<kedja_model::Date> {
    let range = kedja_model::DateRange::parse(s)?;
    Some(if end { range.end } else { range.start })
}

fn number(
    params: &HashMap<String, String>,
    name: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    let Some(raw) = params.get(name) else {
        return Ok(default);
    };
    let n: usize = raw.parse().map_err(|_| {
        ApiError::bad_request(
            "bad_parameter",
            format!("{name} must be a whole number, got {raw:?}"),
        )
    })?;
    if n < min || n > max {
        return Err(ApiError::bad_request(
            "bad_parameter",
            format!("{name} must be between {min} and {max}, got {n}"),
        ));
    }
    Ok(n)
}

/// A source as shown: a URL or a relative path as stored; an absolute
/// path (stored by an import given one) without the folders above the
/// last two, so that no answer shows where the server keeps its files.
pub(crate) fn shown_source(source: String) -> String {
    let windows_drive = source.as_bytes().get(1..3) == Some(b":\\".as_slice())
        || source.as_bytes().get(1..3) == Some(b":/".as_slice());
    if !(source.starts_with('/') || source.starts_with('\\') || windows_drive) {
        return source;
    }
    let parts: Vec<&str> = source
        .split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .collect();
    parts[parts.len().saturating_sub(2)..].join("/")
}

pub(crate) fn valid_id(id: &str) -> bool {
    id.len() == 17 && id.starts_with('d') && id[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
    pub hits: Vec<SearchHit>,
    /// Per dimension (kind, municipality, party, body, year), the number
    /// of matches per value, most frequent first.
    pub facets: std::collections::BTreeMap<&'static str, Vec<FacetValue>>,
    /// False when the match was too large to count the facets of every
    /// match within the time budget: they count those read in time.
    pub facets_complete: bool,
    /// Identifiers the query named; documents known by them come first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<String>,
    /// When the query finds little: a respelled query that may find more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub municipality: Option<String>,
    pub date: Option<String>,
    pub source: String,
    pub parties: Vec<String>,
    pub snippet: String,
    pub score: f32,
}

impl SearchResponse {
    pub(crate) fn from_results(r: SearchResults, limit: usize, offset: usize) -> SearchResponse {
        SearchResponse {
            total: r.total,
            limit,
            offset,
            hits: r
                .hits
                .into_iter()
                .map(|h| SearchHit {
                    id: h.id.0,
                    kind: h.kind,
                    title: h.title,
                    municipality: h.municipality,
                    date: h.date,
                    source: shown_source(h.source),
                    parties: h.parties,
                    snippet: h.snippet,
                    score: h.score,
                })
                .collect(),
            facets: r
                .facets
                .into_iter()
                .map(|f| {
                    (
                        f.name,
                        f.values
                            .into_iter()
                            .map(|(value, count)| FacetValue { value, count })
                            .collect(),
                    )
                })
                .collect(),
            facets_complete: r.facets_complete,
            identifiers: r.identifiers,
            suggestion: r.suggestion,
            warnings: r.warnings,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DocumentResponse {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub kind_confidence: f32,
    pub title: String,
    pub date: Option<String>,
    pub municipality: Option<String>,
    pub authors: Vec<PersonJson>,
    pub addressee: Option<String>,
    pub body: Option<String>,
    pub bodies: Vec<String>,
    pub diarienummer: Vec<String>,
    pub paragraphs: Vec<String>,
    pub paragraph: Option<String>,
    pub own_diarienummer: Vec<String>,
    pub doc_number: Option<String>,
    pub dates: Vec<DateJson>,
    pub questions: Vec<String>,
    pub proposals: Vec<String>,
    pub problems: Vec<String>,
    /// The document this one is part of (a §'s protocol).
    pub part_of: Option<PartOfJson>,
    /// The parts of this document (a protocol's §§), in order.
    pub parts: Vec<PartJson>,
    /// The pages of the source this document covers.
    pub pages: Option<PagesJson>,
    /// For a tjänsteskrivelse: the office that wrote it and its handläggare.
    pub office: Option<String>,
    pub handler: Option<String>,
    /// How sure text recognition was of a scanned document's text
    /// (0.0..=1.0); absent when the text came from a text layer.
    pub text_confidence: Option<f32>,
    /// What a decision decides: the words of its "Beslut" part.
    pub decided: Option<String>,
    pub source: String,
    pub format: &'static str,
    pub extractor: String,
    pub content_hash: String,
    pub version: u32,
    pub versions: Vec<VersionJson>,
    /// A crawl found it gone from the site it was fetched from (404 or
    /// 410); the archive keeps it.
    pub no_longer_at_source: bool,
    /// The meeting it was published for (a meeting portal's protocol or
    /// agenda attachment), with its role there.
    pub meeting: Option<crate::meetings::DocumentMeetingJson>,
    pub imported_at: String,
    pub text: String,
    pub references: Vec<ReferenceJson>,
    pub links_out: Vec<LinkJson>,
    pub links_in: Vec<LinkJson>,
    /// Documents on the same topic by search similarity: suggestions, not links.
    pub same_topic: Vec<SameTopicJson>,
    /// Commitments this document states, restates or reports on, each with
    /// its status history.
    pub commitments: Vec<crate::commitments::CommitmentJson>,
}

#[derive(Debug, Serialize)]
pub struct PartOfJson {
    pub id: String,
    pub title: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PartJson {
    pub id: String,
    pub paragraph: Option<String>,
    pub title: String,
    pub pages: Option<PagesJson>,
}

#[derive(Debug, Serialize)]
pub struct PagesJson {
    pub from: u32,
    pub to: u32,
}

#[derive(Debug, Serialize)]
pub struct SameTopicJson {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub date: Option<String>,
    pub score: f32,
}

#[derive(Debug, Serialize)]
pub struct PersonJson {
    pub name: String,
    pub party: Option<String>,
    pub role: &'static str,
}

impl From<&Person> for PersonJson {
    fn from(p: &Person) -> PersonJson {
        let role = match p.role {
            kedja_model::PersonRole::Author => "author",
            kedja_model::PersonRole::CoSigner => "co_signer",
            kedja_model::PersonRole::Addressee => "addressee",
        };
        PersonJson {
            name: p.name.clone(),
            party: p.party.clone(),
            role,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DateJson {
    pub start: String,
    pub end: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct VersionJson {
    pub version: u32,
    pub content_hash: String,
    pub imported_at: String,
}

#[derive(Debug, Serialize)]
pub struct ReferenceJson {
    pub kind: &'static str,
    pub target_kind: Option<&'static str>,
    pub body: Option<String>,
    pub date_start: Option<String>,
    pub date_end: Option<String>,
    pub diarienummer: Option<String>,
    pub paragraph: Option<String>,
    pub person: Option<PersonJson>,
    pub title: Option<String>,
    pub evidence: String,
    pub start: usize,
    pub end: usize,
    /// The stored document it resolved to; null: referenced, not yet in the archive.
    pub resolved_to: Option<String>,
}

impl From<&StoredReference> for ReferenceJson {
    fn from(stored: &StoredReference) -> ReferenceJson {
        let r: &Reference = &stored.reference;
        ReferenceJson {
            resolved_to: stored.resolved_to.as_ref().map(|d| d.0.clone()),
            kind: r.kind.as_str(),
            target_kind: r.target_kind.map(DocKind::as_str),
            body: r.body.clone(),
            date_start: r.date.map(|d| d.start.to_string()),
            date_end: r.date.map(|d| d.end.to_string()),
            diarienummer: r.diarienummer.clone(),
            paragraph: r.paragraph.clone(),
            person: r.person.as_ref().map(PersonJson::from),
            title: r.title.clone(),
            evidence: r.evidence.clone(),
            start: r.start,
            end: r.end,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct LinkJson {
    pub from: String,
    pub to: String,
    #[serde(rename = "type")]
    pub link_type: &'static str,
    pub confidence: f32,
    pub reason: String,
    pub evidence: String,
    /// On a document page: the title and date of the document at the other
    /// end, so the link reads without another request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_date: Option<String>,
}

impl From<&Link> for LinkJson {
    fn from(l: &Link) -> LinkJson {
        LinkJson {
            from: l.from.0.clone(),
            to: l.to.0.clone(),
            link_type: l.link_type.as_str(),
            confidence: l.confidence,
            reason: l.reason.clone(),
            evidence: l.evidence.clone(),
            other_title: None,
            other_date: None,
        }
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl DocumentResponse {
    /// The response for everything the archive holds about a document.
    pub(crate) fn from_view(
        view: kedja_pipeline::DocumentView,
        today: kedja_model::Date,
    ) -> DocumentResponse {
        let kedja_pipeline::DocumentView {
            document,
            references,
            links_out,
            links_in,
            versions,
            same_topic,
            part_of_title,
            parts,
            commitments,
            gone_from_source,
            meeting,
        } = view;
        let others: Vec<Option<kedja_pipeline::LinkedSummary>> = links_out
            .iter()
            .chain(&links_in)
            .map(|l| l.other.clone())
            .collect();
        let mut response = DocumentResponse::new(
            document,
            references,
            links_out.into_iter().map(|l| l.link).collect(),
            links_in.into_iter().map(|l| l.link).collect(),
            versions,
            same_topic,
        );
        for (l, other) in response
            .links_out
            .iter_mut()
            .chain(response.links_in.iter_mut())
            .zip(others)
        {
            if let Some(o) = other {
                l.other_title = Some(o.title);
                l.other_date = o.date.map(|d| d.to_string());
            }
        }
        if let Some(p) = response.part_of.as_mut() {
            p.title = part_of_title;
        }
        response.commitments = commitments
            .into_iter()
            .map(|c| crate::commitments::CommitmentJson::new(c, today))
            .collect();
        response.parts = parts
            .into_iter()
            .map(|(id, r)| PartJson {
                id: id.0,
                paragraph: r.paragraph,
                title: r.title,
                pages: r.pages.map(|(from, to)| PagesJson { from, to }),
            })
            .collect();
        response.no_longer_at_source = gone_from_source;
        response.meeting = meeting.map(|(m, f)| crate::meetings::DocumentMeetingJson::new(m, f));
        response
    }

    pub(crate) fn new(
        doc: Document,
        references: Vec<StoredReference>,
        links_out: Vec<Link>,
        links_in: Vec<Link>,
        versions: Vec<Version>,
        same_topic: Vec<kedja_index::Hit>,
    ) -> DocumentResponse {
        let Record {
            kind,
            kind_confidence,
            title,
            date,
            municipality,
            authors,
            addressee,
            body,
            bodies,
            diarienummer,
            paragraphs,
            paragraph,
            own_diarienummer,
            doc_number,
            dates,
            questions,
            proposals,
            problems,
            part_of,
            pages,
            office,
            handler,
            text_confidence,
            decided,
        } = doc.record;
        DocumentResponse {
            id: doc.id.0,
            kind: kind.as_str(),
            kind_label: kind.label_sv(),
            kind_confidence,
            title,
            date: date.map(|d| d.to_string()),
            municipality,
            authors: authors.iter().map(PersonJson::from).collect(),
            addressee,
            body,
            bodies,
            diarienummer,
            paragraphs,
            paragraph,
            own_diarienummer,
            doc_number,
            dates: dates
                .iter()
                .map(|d| DateJson {
                    start: d.range.start.to_string(),
                    end: d.range.end.to_string(),
                    text: d.text.clone(),
                })
                .collect(),
            questions,
            proposals,
            problems,
            part_of: part_of.map(|p| PartOfJson {
                id: p.0,
                title: None,
            }),
            parts: Vec::new(),
            pages: pages.map(|(from, to)| PagesJson { from, to }),
            office,
            handler,
            text_confidence,
            decided,
            source: shown_source(doc.source),
            format: doc.format.as_str(),
            extractor: doc.extractor,
            content_hash: doc.content_hash,
            version: doc.version,
            versions: versions
                .into_iter()
                .map(|v| VersionJson {
                    version: v.version,
                    content_hash: v.content_hash,
                    imported_at: rfc3339(v.imported_at),
                })
                .collect(),
            imported_at: rfc3339(doc.imported_at),
            text: doc.text,
            references: references.iter().map(ReferenceJson::from).collect(),
            links_out: links_out.iter().map(LinkJson::from).collect(),
            links_in: links_in.iter().map(LinkJson::from).collect(),
            same_topic: same_topic
                .into_iter()
                .map(|h| SameTopicJson {
                    id: h.id.0,
                    kind: h.kind,
                    title: h.title,
                    date: h.date,
                    score: h.score,
                })
                .collect(),
            commitments: Vec::new(),
            no_longer_at_source: false,
            meeting: None,
        }
    }
}

pub(crate) fn trace_params(
    params: &HashMap<String, String>,
) -> Result<(usize, Direction), ApiError> {
    let depth = number(params, "depth", 2, 1, MAX_DEPTH)?;
    let direction = match params.get("direction") {
        None => Direction::Both,
        Some(d) => Direction::parse(d).ok_or_else(|| {
            ApiError::bad_request(
                "bad_parameter",
                format!("direction must be back, forward or both, got {d:?}"),
            )
        })?,
    };
    Ok((depth, direction))
}

#[derive(Debug, Serialize)]
pub struct TraceNodeJson {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub title: String,
    pub date: Option<String>,
    pub municipality: Option<String>,
    pub source: Option<String>,
    pub unresolved: bool,
    pub depth: usize,
}

#[derive(Debug, Serialize)]
pub struct TraceEdgeJson {
    pub from: String,
    pub to: String,
    #[serde(rename = "type")]
    pub link_type: String,
    pub confidence: f32,
    pub reason: String,
    pub evidence: String,
}

/// Nodes in timeline order and the edges between them.
#[derive(Debug, Serialize)]
pub struct TraceResponse {
    pub root: String,
    pub nodes: Vec<TraceNodeJson>,
    pub edges: Vec<TraceEdgeJson>,
}

impl From<Trace> for TraceResponse {
    fn from(t: Trace) -> TraceResponse {
        TraceResponse {
            root: t.root.0,
            nodes: t
                .nodes
                .into_iter()
                .map(|n| {
                    let id = n.id().to_string();
                    match n {
                        TraceNode::Document {
                            kind,
                            title,
                            date,
                            municipality,
                            source,
                            depth,
                            ..
                        } => TraceNodeJson {
                            id,
                            kind: kind.as_str(),
                            kind_label: kind.label_sv(),
                            title,
                            date: date.map(|d| d.to_string()),
                            municipality,
                            source: Some(shown_source(source)),
                            unresolved: false,
                            depth,
                        },
                        TraceNode::Unresolved {
                            kind,
                            title,
                            date,
                            depth,
                            ..
                        } => TraceNodeJson {
                            id,
                            kind: kind.as_str(),
                            kind_label: kind.label_sv(),
                            title,
                            date: date.map(|d| d.to_string()),
                            municipality: None,
                            source: None,
                            unresolved: true,
                            depth,
                        },
                    }
                })
                .collect(),
            edges: t
                .edges
                .into_iter()
                .map(|e| TraceEdgeJson {
                    from: e.from.0,
                    to: e.to.to_string(),
                    link_type: e.link_type,
                    confidence: e.confidence,
                    reason: e.reason,
                    evidence: e.evidence,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PassageJson {
    pub doc_id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub title: String,
    pub date: Option<String>,
    /// The body whose document it is.
    pub body: Option<String>,
    /// The document's own § in its body's minutes.
    pub paragraph: Option<String>,
    pub source: String,
    pub text: String,
    pub score: f32,
    /// Commitments the passage states or reports on, with their status.
    pub commitments: Vec<BriefCommitmentJson>,
}

/// A commitment as the brief shows it beside a passage.
#[derive(Debug, Serialize)]
pub struct BriefCommitmentJson {
    pub id: String,
    pub doc_id: String,
    pub responsible: Option<String>,
    pub task: String,
    /// The last day of the deadline.
    pub deadline: Option<String>,
    pub cadence: Option<String>,
    pub status: &'static str,
    pub status_label: &'static str,
    /// Past its deadline on `today` with no report that it is done.
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct BriefItemJson {
    pub question: String,
    pub passages: Vec<PassageJson>,
}

#[derive(Debug, Serialize)]
pub struct BriefResponse {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub title: String,
    pub date: Option<String>,
    pub municipality: Option<String>,
    /// "questions" (an interpellation) or "proposals" (a motion).
    pub items_are: &'static str,
    /// The day overdue is judged on.
    pub today: String,
    pub questions: Vec<BriefItemJson>,
    pub sources: Vec<String>,
}

impl BriefResponse {
    /// The brief with each commitment's overdue judged on `today`.
    pub fn new(b: Brief, today: kedja_model::Date) -> BriefResponse {
        BriefResponse {
            id: b.id.0,
            kind: b.kind.as_str(),
            kind_label: b.kind.label_sv(),
            title: b.title,
            date: b.date.map(|d| d.to_string()),
            municipality: b.municipality,
            items_are: if b.of_questions {
                "questions"
            } else {
                "proposals"
            },
            today: today.to_string(),
            questions: b
                .items
                .into_iter()
                .map(|i| BriefItemJson {
                    question: i.question,
                    passages: i
                        .passages
                        .into_iter()
                        .map(|p| PassageJson {
                            doc_id: p.doc_id.0,
                            kind: p.kind.as_str(),
                            kind_label: p.kind.label_sv(),
                            title: p.title,
                            date: p.date.map(|d| d.to_string()),
                            body: p.body,
                            paragraph: p.paragraph,
                            source: shown_source(p.source),
                            text: p.text,
                            score: p.score,
                            commitments: p
                                .commitments
                                .into_iter()
                                .map(|c| BriefCommitmentJson {
                                    overdue: c.is_overdue(today),
                                    id: c.id,
                                    doc_id: c.doc_id.0,
                                    responsible: c.responsible,
                                    task: c.task,
                                    deadline: c.deadline.map(|d| d.end.to_string()),
                                    cadence: c.cadence,
                                    status: c.status.as_str(),
                                    status_label: c.status.label_sv(),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            sources: b.sources.into_iter().map(|d| d.0).collect(),
        }
    }
}

#[cfg(test)]
mod source_tests {
    use super::shown_source;

    #[test]
    fn absolute_server_paths_are_never_shown() {
        let shown = |s: &str| shown_source(s.to_owned());
        assert_eq!(
            shown("/srv/kedja/import/sjovik/motion.pdf"),
            "sjovik/motion.pdf"
        );
        assert_eq!(shown("C:\\data\\sjovik\\motion.pdf"), "sjovik/motion.pdf");
        assert_eq!(shown("/motion.pdf"), "motion.pdf");
        assert_eq!(shown("sjovik/motion.pdf"), "sjovik/motion.pdf");
        assert_eq!(
            shown("https://www.sjovik.se/motion.pdf"),
            "https://www.sjovik.se/motion.pdf"
        );
    }
}
