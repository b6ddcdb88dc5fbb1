//! The trace of a document (the chain of links around it, with unresolved
//! references shown as such) and the brief for staff answering an
//! interpellation (per question, the passages of the linked documents that
//! bear on it).

use std::collections::{HashMap, HashSet, VecDeque};

use kedja_link::{similarity, tokens};
use kedja_model::{Commitment, Date, DocId, DocKind, RefKind};
use kedja_store::StoredReference;

use crate::record::RecordEntry;
use crate::{Archive, Result};

/// The type of a trace edge from a § to an agenda attachment of the item
/// it decides (part of the decision's record).
pub const RECORD: &str = "record";

/// Which links a trace follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// What the document cites, and what those cite.
    Back,
    /// What cites the document, and what cites those.
    Forward,
    Both,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Back, Direction::Forward, Direction::Both];

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Back => "back",
            Direction::Forward => "forward",
            Direction::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "back" => Some(Direction::Back),
            "forward" => Some(Direction::Forward),
            "both" => Some(Direction::Both),
            _ => None,
        }
    }
}

/// Deepest trace served.
pub const MAX_DEPTH: usize = 5;

/// Which node of a trace: a stored document, or a document referred to
/// that is not in the archive, by the first of its references.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NodeId {
    Document(DocId),
    /// The id of the stored reference.
    Reference(i64),
}

/// A document's id; `ref-N` for the reference with id N.
impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NodeId::Document(id) => f.write_str(&id.0),
            NodeId::Reference(n) => write!(f, "ref-{n}"),
        }
    }
}

/// A document in a trace, or a reference to one that is not in the archive.
#[derive(Debug, Clone, PartialEq)]
pub enum TraceNode {
    Document {
        id: DocId,
        kind: DocKind,
        title: String,
        date: Option<Date>,
        municipality: Option<String>,
        source: String,
        /// Links from the root.
        depth: usize,
    },
    /// Referenced, not yet in the archive: one node however many
    /// references name it.
    Unresolved {
        /// The first reference that names it.
        reference: i64,
        /// The kind the reference names ([`DocKind::Other`] when none).
        kind: DocKind,
        /// What the reference says of it.
        title: String,
        date: Option<Date>,
        /// Links from the root.
        depth: usize,
    },
}

impl TraceNode {
    pub fn id(&self) -> NodeId {
        match self {
            TraceNode::Document { id, .. } => NodeId::Document(id.clone()),
            TraceNode::Unresolved { reference, .. } => NodeId::Reference(*reference),
        }
    }

    pub fn kind(&self) -> DocKind {
        match self {
            TraceNode::Document { kind, .. } | TraceNode::Unresolved { kind, .. } => *kind,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            TraceNode::Document { title, .. } | TraceNode::Unresolved { title, .. } => title,
        }
    }

    pub fn date(&self) -> Option<Date> {
        match self {
            TraceNode::Document { date, .. } | TraceNode::Unresolved { date, .. } => *date,
        }
    }

    /// Links from the root.
    pub fn depth(&self) -> usize {
        match self {
            TraceNode::Document { depth, .. } | TraceNode::Unresolved { depth, .. } => *depth,
        }
    }
}

/// An edge of a trace, pointing from the citing to the cited document.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEdge {
    pub from: DocId,
    pub to: NodeId,
    /// A link type, or `references` for an unresolved reference.
    pub link_type: String,
    pub confidence: f32,
    pub reason: String,
    pub evidence: String,
}

/// The chain around one document; nodes in timeline order (undated last).
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub root: DocId,
    pub nodes: Vec<TraceNode>,
    pub edges: Vec<TraceEdge>,
}

/// A passage of a linked document that bears on a question.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub doc_id: DocId,
    pub kind: DocKind,
    pub title: String,
    pub date: Option<Date>,
    /// The body whose document it is ("Kommunfullmäktige").
    pub body: Option<String>,
    /// The document's own § in its body's minutes.
    pub paragraph: Option<String>,
    pub source: String,
    pub text: String,
    pub score: f32,
    /// Tracked commitments the passage states, restates or reports on,
    /// with their latest status.
    pub commitments: Vec<Commitment>,
}

/// One question and what the archive says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct BriefItem {
    pub question: String,
    pub passages: Vec<Passage>,
}

/// The brief for answering a document's questions (or proposals).
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub id: DocId,
    pub kind: DocKind,
    pub title: String,
    pub date: Option<Date>,
    pub municipality: Option<String>,
    /// Whether the items are the document's questions (an interpellation)
    /// or its proposals (a motion or initiative).
    pub of_questions: bool,
    pub items: Vec<BriefItem>,
    /// The documents the passages were drawn from.
    pub sources: Vec<DocId>,
}

/// Kinds whose text can answer a question about what was decided and done.
fn informs_answers(kind: DocKind) -> bool {
    matches!(
        kind,
        DocKind::Decision
            | DocKind::Protocol
            | DocKind::Plan
            | DocKind::FollowUp
            | DocKind::MotionResponse
            | DocKind::Motion
            | DocKind::Initiative
            | DocKind::InterpellationAnswer
    )
}

const PASSAGES_PER_QUESTION: usize = 3;
const MIN_PASSAGE_SCORE: f32 = 0.2;

impl Archive {
    /// The trace of `id` to `depth` links (at most [`MAX_DEPTH`]); `None`
    /// for an unknown id.
    pub fn trace(&self, id: &DocId, depth: usize, direction: Direction) -> Result<Option<Trace>> {
        let store = self.store();
        let Some(root) = store.get(id)? else {
            return Ok(None);
        };
        let depth = depth.min(MAX_DEPTH);
        let mut depth_of: HashMap<DocId, usize> = HashMap::from([(root.id.clone(), 0)]);
        let mut queue = VecDeque::from([root.id.clone()]);
        let mut edges: Vec<TraceEdge> = Vec::new();
        let mut seen_edges: HashSet<(DocId, NodeId, String)> = HashSet::new();
        let mut unresolved: Vec<(DocId, StoredReference, usize)> = Vec::new();
        while let Some(current) = queue.pop_front() {
            let d = depth_of[&current];
            if d >= depth {
                continue;
            }
            let mut next: Vec<(DocId, TraceEdge)> = Vec::new();
            let edge = |l: &kedja_model::Link| TraceEdge {
                from: l.from.clone(),
                to: NodeId::Document(l.to.clone()),
                link_type: l.link_type.as_str().to_owned(),
                confidence: l.confidence,
                reason: l.reason.clone(),
                evidence: l.evidence.clone(),
            };
            if direction != Direction::Forward {
                next.extend(
                    store
                        .links_from(&current)?
                        .iter()
                        .map(|l| (l.to.clone(), edge(l))),
                );
                for r in store.unresolved_references(&current)? {
                    if is_specific(&r) {
                        unresolved.push((current.clone(), r, d + 1));
                    }
                }
            }
            if direction != Direction::Back {
                next.extend(
                    store
                        .links_to(&current)?
                        .iter()
                        .map(|l| (l.from.clone(), edge(l))),
                );
            }
            // A meeting's § and the agenda attachments of the item it
            // decides: what it was decided on, cited by the decision.
            if let Some(doc) = store.get(&current)? {
                if direction != Direction::Forward {
                    for e in self.decision_record(&doc)? {
                        next.push((e.attachment.clone(), record_edge(&e)));
                    }
                }
                if direction != Direction::Back {
                    for e in self.deciding_sections(&doc)? {
                        next.push((e.section.clone(), record_edge(&e)));
                    }
                }
            }
            for (other, edge) in next {
                let key = (edge.from.clone(), edge.to.clone(), edge.link_type.clone());
                if seen_edges.insert(key) {
                    edges.push(edge);
                }
                if !depth_of.contains_key(&other) {
                    depth_of.insert(other.clone(), d + 1);
                    queue.push_back(other);
                }
            }
        }
        // An extract of a § the trace also reaches is that decision: one
        // node, with the extract's links as the §'s.
        let reached: Vec<DocId> = depth_of.keys().cloned().collect();
        let folded: HashMap<DocId, DocId> = store
            .links_touching(&reached)?
            .into_iter()
            .filter(|l| {
                l.link_type == kedja_model::LinkType::SameDecision
                    && l.from != root.id
                    && depth_of.contains_key(&l.from)
                    && depth_of.contains_key(&l.to)
            })
            .map(|l| (l.from, l.to))
            .collect();
        if !folded.is_empty() {
            let fold = |id: &DocId| folded.get(id).unwrap_or(id).clone();
            let mut kept: HashSet<(DocId, NodeId, String)> = HashSet::new();
            edges = edges
                .into_iter()
                .filter_map(|mut e| {
                    e.from = fold(&e.from);
                    if let NodeId::Document(to) = &e.to {
                        e.to = NodeId::Document(fold(to));
                    }
                    let self_loop = matches!(&e.to, NodeId::Document(to) if *to == e.from);
                    let key = (e.from.clone(), e.to.clone(), e.link_type.clone());
                    (!self_loop && kept.insert(key)).then_some(e)
                })
                .collect();
            for (copy, original) in &folded {
                let d = depth_of.remove(copy).unwrap_or(usize::MAX);
                let at = depth_of.entry(original.clone()).or_insert(d);
                *at = (*at).min(d);
            }
            for (from, _, _) in &mut unresolved {
                *from = fold(from);
            }
        }
        let mut nodes = Vec::new();
        for (doc_id, d) in &depth_of {
            if let Some(doc) = store.get(doc_id)? {
                nodes.push(TraceNode::Document {
                    id: doc.id,
                    kind: doc.record.kind,
                    title: doc.record.title,
                    date: doc.record.date,
                    municipality: doc.record.municipality,
                    source: doc.source,
                    depth: *d,
                });
            }
        }
        // One node per document referred to but missing, however many
        // references name it.
        let mut unresolved_node: HashMap<String, i64> = HashMap::new();
        for (from, r, d) in unresolved {
            let reference = &r.reference;
            let title = describe(reference);
            let node_id = match unresolved_node.get(&title) {
                Some(&first) => NodeId::Reference(first),
                None => {
                    unresolved_node.insert(title.clone(), r.id);
                    nodes.push(TraceNode::Unresolved {
                        reference: r.id,
                        kind: reference.target_kind.unwrap_or(DocKind::Other),
                        title,
                        date: reference.date.map(|d| d.start),
                        depth: d,
                    });
                    NodeId::Reference(r.id)
                }
            };
            if !seen_edges.insert((from.clone(), node_id.clone(), "references".into())) {
                continue;
            }
            edges.push(TraceEdge {
                from,
                to: node_id,
                link_type: "references".into(),
                confidence: 0.0,
                reason: "referenced, not yet in the archive".into(),
                evidence: reference.evidence.clone(),
            });
        }
        // One day's documents of a case in the order a case moves: the
        // proposal, the answers to it, the office's report, the decisions;
        // the undated last, by id.
        nodes.sort_by_cached_key(|n| {
            (
                n.date().is_none(),
                n.date(),
                n.date().map(|_| stage(n.kind())),
                n.id().to_string(),
            )
        });
        Ok(Some(Trace {
            root: root.id,
            nodes,
            edges,
        }))
    }

    /// Per question of `id` (its proposals when it has no questions), the
    /// passages of linked decisions, plans and reports that bear on it.
    /// `None` for an unknown id.
    pub fn brief(&self, id: &DocId) -> Result<Option<Brief>> {
        let Some(doc) = self.store().get(id)? else {
            return Ok(None);
        };
        let of_questions = !doc.record.questions.is_empty();
        let asks = if of_questions {
            doc.record.questions.clone()
        } else {
            doc.record.proposals.clone()
        };
        let trace = self
            .trace(id, 2, Direction::Both)?
            .expect("the document exists");
        let mut paragraphs: Vec<(Passage, Vec<String>)> = Vec::new();
        let mut sources = Vec::new();
        let commitments = self.commitments()?;
        for node_id in trace.nodes.iter().filter_map(|n| match n {
            TraceNode::Document { id: n_id, kind, .. } if n_id != id && informs_answers(*kind) => {
                Some(n_id)
            }
            _ => None,
        }) {
            let Some(source_doc) = self.store().get(node_id)? else {
                continue;
            };
            sources.push(source_doc.id.clone());
            let concerning: Vec<&Commitment> = commitments
                .iter()
                .filter(|c| {
                    c.doc_id == source_doc.id
                        || c.also_in.contains(&source_doc.id)
                        || c.reports.iter().any(|r| r.doc_id == source_doc.id)
                })
                .collect();
            for para in passages(&source_doc.text) {
                let toks = tokens(&para);
                let mentioned = concerning
                    .iter()
                    .filter(|c| mentions(&para, &source_doc.id, c))
                    .map(|c| (*c).clone())
                    .collect();
                paragraphs.push((
                    Passage {
                        doc_id: source_doc.id.clone(),
                        kind: source_doc.record.kind,
                        title: source_doc.record.title.clone(),
                        date: source_doc.record.date,
                        body: source_doc.record.body.clone(),
                        paragraph: source_doc.record.paragraph.clone(),
                        source: source_doc.source.clone(),
                        text: para,
                        score: 0.0,
                        commitments: mentioned,
                    },
                    toks,
                ));
            }
        }
        let items = asks
            .into_iter()
            .map(|question| {
                let q = tokens(&question);
                let mut scored: Vec<Passage> = paragraphs
                    .iter()
                    .map(|(p, toks)| Passage {
                        score: similarity(toks, &q),
                        ..p.clone()
                    })
                    .filter(|p| p.score >= MIN_PASSAGE_SCORE)
                    .collect();
                scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.date.cmp(&a.date)));
                scored.truncate(PASSAGES_PER_QUESTION);
                BriefItem {
                    question,
                    passages: scored,
                }
            })
            .collect();
        Ok(Some(Brief {
            id: doc.id,
            kind: doc.record.kind,
            title: doc.record.title,
            date: doc.record.date,
            municipality: doc.record.municipality,
            of_questions,
            items,
            sources,
        }))
    }
}

/// Whether a passage of document `doc` states, restates or reports on `c`:
/// it holds the start of the quoted evidence (the commitment's, or a
/// report's from `doc`), lies inside that evidence, or, in a document that
/// restates the commitment, names its task.
fn mentions(passage: &str, doc: &DocId, c: &Commitment) -> bool {
    let passage = squeeze(passage);
    let overlaps = |evidence: &str| {
        let evidence = squeeze(evidence);
        // The first words of a quote are enough to place it; a quote may
        // run on past the paragraph or be cut with an ellipsis.
        let head: String = evidence
            .split(['…', '"', '\u{201d}'])
            .next()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        let head = head.trim();
        (head.chars().count() >= 12 && passage.contains(head))
            || (passage.chars().count() >= 12 && evidence.contains(&passage))
    };
    (c.doc_id == *doc && overlaps(&c.evidence))
        || c.reports
            .iter()
            .any(|r| r.doc_id == *doc && overlaps(&r.evidence))
        || (c.also_in.contains(doc) && overlaps(&c.task))
}

/// Lowercase with runs of whitespace as one space.
fn squeeze(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where a document of a kind stands in a case: what is proposed or asked
/// comes first, then what answers or prepares it, then what decides it.
fn stage(kind: DocKind) -> u8 {
    use DocKind::*;
    match kind {
        Motion | Interpellation | Initiative | CitizenProposal => 0,
        MotionResponse | InterpellationAnswer => 1,
        StaffReport => 2,
        Decision => 3,
        Protocol => 4,
        _ => 5,
    }
}

/// The edge from a § to an attachment in its record.
fn record_edge(e: &RecordEntry) -> TraceEdge {
    TraceEdge {
        from: e.section.clone(),
        to: NodeId::Document(e.attachment.clone()),
        link_type: RECORD.to_owned(),
        confidence: if e.evidence.starts_with("Beslutsunderlag") {
            1.0
        } else {
            0.7
        },
        reason: "agenda attachment of the item the § decides".into(),
        evidence: e.evidence.clone(),
    }
}

/// An unresolved reference worth showing: one that says who, when or what.
fn is_specific(r: &StoredReference) -> bool {
    let x = &r.reference;
    // What the linker could resolve if the document were there: a § or a
    // decision with its day, a listed title, a mention by author, date or
    // title. A bare "§ 65" names no one meeting.
    match x.kind {
        RefKind::Decision | RefKind::Paragraph => x.date.is_some(),
        RefKind::Listed => true,
        RefKind::Mention => {
            (x.person.is_some() && x.target_kind != Some(DocKind::Decision))
                || x.date.is_some()
                || x.title.is_some()
        }
        RefKind::Diarienummer | RefKind::DocumentNumber => false,
    }
}

/// A label for a document known only from a reference.
fn describe(r: &kedja_model::Reference) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.push(
        r.target_kind
            .map_or("Dokument", DocKind::label_sv)
            .to_owned(),
    );
    if let Some(t) = &r.title {
        parts.push(format!("\u{201d}{t}\u{201d}"));
    }
    if let Some(p) = &r.person {
        parts.push(match &p.party {
            Some(party) => format!("av {} ({party})", p.name),
            None => format!("av {}", p.name),
        });
    }
    if let Some(b) = &r.body {
        parts.push(b.clone());
    }
    if let Some(p) = &r.paragraph {
        parts.push(p.clone());
    }
    if let Some(d) = &r.date {
        parts.push(if d.start == d.end {
            d.start.to_string()
        } else {
            format!("{}–{}", d.start, d.end)
        });
    }
    parts.join(" ")
}

/// Paragraphs and list items of a text, each on its own.
fn passages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let listy = lines
            .iter()
            .filter(|l| l.starts_with(['•', '-', '–', '*']) || l.contains('\t'))
            .count()
            > 1;
        if listy {
            out.extend(lines.iter().map(|l| l.to_string()));
        } else if !lines.is_empty() {
            out.push(lines.join(" "));
        }
    }
    out.retain(|p| p.split_whitespace().count() >= 4);
    out
}

#[cfg(test)]
mod tests {
    use kedja_model::{CommitmentStatus, StatusReport};

    use super::*;

    #[test]
    fn direction_names_parse_back() {
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.as_str()), Some(d));
        }
        assert_eq!(Direction::parse("sideways"), None);
    }

    fn commitment() -> Commitment {
        Commitment {
            id: "c1".into(),
            doc_id: DocId("dbeslut".into()),
            municipality: None,
            responsible: Some("Socialnämnden".into()),
            task: "ta fram en handlingsplan mot hedersrelaterat våld".into(),
            deadline: None,
            cadence: None,
            status: CommitmentStatus::Ongoing,
            // A span of the deciding text ("… beslutar att ge socialnämnden
            // i uppdrag att …").
            evidence: "ge socialnämnden i uppdrag att ta fram en handlingsplan mot \
                       hedersrelaterat våld"
                .into(),
            reports: vec![StatusReport {
                doc_id: DocId("duppf".into()),
                date: None,
                status: CommitmentStatus::Ongoing,
                evidence: "Arbetet med handlingsplanen pågår".into(),
            }],
            also_in: vec![DocId("dplan".into())],
        }
    }

    #[test]
    fn a_passage_mentions_the_commitments_it_quotes_or_reports_on() {
        let c = commitment();
        let beslut = DocId("dbeslut".into());
        let uppf = DocId("duppf".into());
        let plan = DocId("dplan".into());
        // The deciding text, wrapped differently.
        assert!(mentions(
            "Kommunfullmäktige beslutar att ge socialnämnden i uppdrag att\nta fram en \
             handlingsplan mot hedersrelaterat våld.",
            &beslut,
            &c
        ));
        // Another paragraph of the same decision.
        assert!(!mentions(
            "Kommunfullmäktige beslutar att bifalla motionen.",
            &beslut,
            &c
        ));
        // The report, in the follow-up, not the same words elsewhere.
        assert!(mentions(
            "Arbetet med handlingsplanen pågår och väntas bli klart i höst.",
            &uppf,
            &c
        ));
        assert!(!mentions(
            "Arbetet med handlingsplanen pågår och väntas bli klart i höst.",
            &beslut,
            &c
        ));
        // A plan that restates the task.
        assert!(mentions(
            "Socialnämnden har fått i uppdrag att ta fram en handlingsplan mot \
             hedersrelaterat våld.",
            &plan,
            &c
        ));
    }
}
