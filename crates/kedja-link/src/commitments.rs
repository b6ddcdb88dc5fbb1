//! Commitments across documents: one commitment however many documents
//! restate it, with the status reports of the documents that follow it up.
//!
//! Pure: the found commitments and status statements of each document and
//! the links between documents in, the tracked commitments out.
//!
//! - A commitment restated in a document linked to the one that states it
//!   with more authority (a decision over a plan over anything else, then
//!   the earlier) is the same commitment: the restating document is listed
//!   in `also_in`.
//! - A status statement belongs to the commitment, in a document at most
//!   two links away, whose task its words cover best (a body named in both
//!   counts). Statements of a report that match none belong to the one
//!   assignment the report restates, when it restates exactly one known
//!   assignment (its parts: the buildings of a solar-panel assignment).
//!   Listed points of a report about an assignment not in the archive
//!   become commitments of their own, as the report states them.
//! - Statements of one report on one commitment combine: all alike keep
//!   their status, a mix is "ongoing". The latest report gives the status.

use std::collections::{HashMap, HashSet};

use kedja_model::{
    Commitment, CommitmentStatus, CommitmentText, Date, DocId, DocKind, FindingId, FoundCommitment,
    FoundStatus, Link, LinkType, StatusReport,
};

use crate::text::{dice, similarity, tokens};

/// One document's commitments and status statements, with what linking
/// needs to know of it.
#[derive(Debug, Clone)]
pub struct DocCommitments {
    pub id: DocId,
    pub kind: DocKind,
    pub date: Option<Date>,
    pub municipality: Option<String>,
    /// A protocol's §: the number of the decision it records.
    pub paragraph: Option<u32>,
    /// The body the document is from: in a report, the reporter.
    pub body: Option<String>,
    pub found: CommitmentText,
}

/// Below this a status statement is not about a commitment.
const STATUS_ACCEPT: f32 = 0.35;
/// At or above this a restatement is the same commitment.
const SAME_ACCEPT: f32 = 0.5;

/// Track the commitments of `docs` through `links`.
pub fn track(docs: &[DocCommitments], links: &[Link]) -> Vec<Commitment> {
    let mut near: HashMap<&DocId, HashSet<&DocId>> = HashMap::new();
    for l in links.iter().filter(|l| l.link_type != LinkType::SameTopic) {
        near.entry(&l.from).or_default().insert(&l.to);
        near.entry(&l.to).or_default().insert(&l.from);
    }
    let linked = |a: &DocId, b: &DocId| near.get(a).is_some_and(|s| s.contains(b));
    let within_two = |a: &DocId, b: &DocId| {
        a == b || linked(a, b) || near.get(a).is_some_and(|s| s.iter().any(|m| linked(m, b)))
    };

    // Extracts of a protocol's § the archive holds: the § is where their
    // decision stands, and what they say it says.
    let copies: HashSet<&DocId> = links
        .iter()
        .filter(|l| l.link_type == LinkType::SameDecision)
        .map(|l| &l.from)
        .collect();
    let mut order: Vec<&DocCommitments> = docs.iter().collect();
    order.sort_by_key(|d| (authority(d), d.date, copies.contains(&d.id), &d.id));

    // 1. One commitment per assignment, restatements merged.
    let mut tracked: Vec<Tracked> = Vec::new();
    // Each found commitment, by its document and id, to its tracked one.
    let mut placed: HashMap<(&DocId, FindingId), usize> = HashMap::new();
    for d in &order {
        for fc in &d.found.commitments {
            let toks = tokens(&fc.task);
            let same = tracked
                .iter()
                .enumerate()
                .filter(|(_, t)| t.c.doc_id != d.id && linked(&t.c.doc_id, &d.id))
                .map(|(i, t)| (i, sameness(fc, &toks, t)))
                .filter(|(_, s)| *s >= SAME_ACCEPT)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let at = match same {
                Some((i, _)) => {
                    if !tracked[i].c.also_in.contains(&d.id) {
                        tracked[i].c.also_in.push(d.id.clone());
                    }
                    i
                }
                None => {
                    tracked.push(Tracked::new(d, fc, toks));
                    tracked.len() - 1
                }
            };
            placed.insert((&d.id, fc.id), at);
        }
    }

    // 2. Status statements, report by report in date order.
    let mut reports: Vec<&DocCommitments> = docs
        .iter()
        .filter(|d| !d.found.statuses.is_empty() && !copies.contains(&d.id))
        .collect();
    reports.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    for r in reports {
        // The assignments this document restates that are known from elsewhere.
        let restated: Vec<usize> = r
            .found
            .commitments
            .iter()
            .filter_map(|fc| placed.get(&(&r.id, fc.id)).copied())
            .filter(|&i| tracked[i].c.doc_id != r.id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        // The one assignment this document restates that the archive knows
        // only from it ("gav 2022 kommunstyrelsen i uppdrag att utveckla sju
        // punkter"): the points it lists are its parts.
        let own: Vec<usize> = r
            .found
            .commitments
            .iter()
            .filter_map(|fc| placed.get(&(&r.id, fc.id)).copied())
            .filter(|&i| tracked[i].c.doc_id == r.id)
            .collect();
        let parent = (own.len() == 1 && r.kind.reports()).then(|| own[0]);
        // Per commitment, what this report says of it, and whether the
        // report ties the statement to it itself (its row, its answer).
        let mut per_target: Vec<(usize, Vec<Said>)> = Vec::new();
        let mut tied = |i: usize, st: CommitmentStatus, ev: &str, own: bool| match per_target
            .iter_mut()
            .find(|(t, _)| *t == i)
        {
            Some((_, v)) => v.push((st, ev.to_owned(), own)),
            None => per_target.push((i, vec![(st, ev.to_owned(), own)])),
        };
        for s in &r.found.statuses {
            if let Some(k) = s.about
                && let Some(&i) = placed.get(&(&r.id, k))
            {
                tied(i, s.status, &s.evidence, true);
                postpone(&mut tracked[i], r, s);
                continue;
            }
            let mut add = |i: usize, st: CommitmentStatus, ev: &str| tied(i, st, ev, false);
            let words = tokens(&s.subject);
            let said = tokens(&s.evidence);
            // An assignment named by the decision that gave it ("uppdraget
            // från 2025-03-10, § 23"): a commitment of that decision.
            if let Some(cited) = &s.cites {
                let of_decision = tracked
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| {
                        t.c.municipality == r.municipality
                            && t.c.doc_id != r.id
                            && t.date.is_some_and(|d| d.to_string() == cited.date)
                            && (cited.paragraph.is_none()
                                || t.paragraph.is_none()
                                || t.paragraph == cited.paragraph)
                    })
                    .map(|(i, t)| (i, about(&words, &said, &[], t)))
                    .max_by(|a, b| a.1.total_cmp(&b.1));
                if let Some((i, _)) = of_decision {
                    add(i, s.status, &s.evidence);
                    postpone(&mut tracked[i], r, s);
                    continue;
                }
            }
            // The body that reports is not the subject of its report.
            let bodies: Vec<String> = s
                .bodies
                .iter()
                .filter(|b| Some(b.as_str()) != r.body.as_deref())
                .cloned()
                .collect();
            let scored: Vec<(usize, f32, bool)> = tracked
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    t.c.municipality == r.municipality
                        // A listed point is a part of the assignment its
                        // report restates, not a report on the whole.
                        && (t.c.doc_id != r.id
                            || t.reported_point
                            || (t.restated && !s.listed))
                        && within_two(&r.id, &t.c.doc_id)
                        && !before_it(r, t)
                })
                .map(|(i, t)| {
                    // A decision on a matter (a motion answered, granted or
                    // refused) ends the referral that sent it for beredning,
                    // also one the same decision tells of.
                    let settles = settles_matter(&s.evidence)
                        && t.is_referral
                        && (linked(&r.id, &t.c.doc_id) || t.c.doc_id == r.id);
                    let score = about(&words, &said, &bodies, t);
                    (i, if settles { score.max(0.5) } else { score }, settles)
                })
                .collect();
            // Every referral of the matter ends with it, not only the best.
            for &(i, _, settles) in &scored {
                if settles {
                    add(i, s.status, &s.evidence);
                }
            }
            let best = scored
                .iter()
                .filter(|(_, _, settles)| !settles)
                .map(|&(i, score, _)| (i, score))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if scored.iter().any(|(_, _, settles)| *settles) {
                continue;
            }
            match best {
                Some((i, score)) if score >= STATUS_ACCEPT => {
                    add(i, s.status, &s.evidence);
                    // A point listed again with the date it is due ("Pågående
                    // … återrapporteras Våren 2019"): its deadline.
                    let t = &mut tracked[i];
                    if t.reported_point && t.c.doc_id == r.id && t.c.deadline.is_none() {
                        t.c.deadline = r.found.point_deadline(s.id);
                    }
                    postpone(t, r, s);
                }
                _ if restated.len() == 1 && r.kind.reports() => {
                    add(restated[0], s.status, &s.evidence);
                    postpone(&mut tracked[restated[0]], r, s);
                }
                _ if s.listed => {
                    // A point of an assignment the archive does not hold,
                    // known by the statement that lists it.
                    let fc = FoundCommitment {
                        id: s.id,
                        responsible: s.bodies.first().cloned().or_else(|| {
                            r.found
                                .commitments
                                .first()
                                .and_then(|c| c.responsible.clone())
                        }),
                        task: s.subject.trim_end_matches('.').to_owned(),
                        deadline: r.found.point_deadline(s.id),
                        cadence: None,
                        evidence: s.evidence.clone(),
                        start: s.start,
                        end: s.end,
                        restated: true,
                    };
                    let toks = tokens(&fc.task);
                    let mut t = Tracked::new(r, &fc, toks);
                    t.reported_point = true;
                    tracked.push(t);
                    add(tracked.len() - 1, s.status, &s.evidence);
                    if let Some(p) = parent {
                        add(p, s.status, &fc.task);
                    }
                }
                _ => {}
            }
        }
        // A periodic report is an occurrence of the recurring commitment
        // to report.
        if r.kind == DocKind::FollowUp
            && let Some(line) = &r.found.report_line
        {
            for (i, t) in tracked.iter().enumerate() {
                if t.c.cadence.is_some()
                    && t.is_reporting
                    && t.c.doc_id != r.id
                    && linked(&t.c.doc_id, &r.id)
                    && !per_target.iter().any(|(x, _)| *x == i)
                {
                    per_target.push((i, vec![(CommitmentStatus::Ongoing, line.clone(), false)]));
                }
            }
        }
        for (i, mut said) in per_target {
            // What the report says of the commitment where it treats it
            // outweighs its words elsewhere that only resemble its task
            // (a summary's "delvis", another recommendation's "kvarstår").
            if said.iter().any(|(_, _, own)| *own) {
                said.retain(|(_, _, own)| *own);
            }
            let status = combine(said.iter().map(|(s, _, _)| *s));
            let mut evidence: Vec<&str> = Vec::new();
            for (_, e, _) in &said {
                if !evidence.contains(&e.as_str()) {
                    evidence.push(e);
                }
            }
            tracked[i].c.reports.push(StatusReport {
                doc_id: r.id.clone(),
                date: r.date,
                status,
                evidence: evidence.join(" … "),
            });
        }
    }

    tracked
        .into_iter()
        .map(|mut t| {
            t.c.reports.sort_by_key(|r| r.date);
            t.c.status =
                t.c.reports
                    .iter()
                    .rev()
                    .map(|r| r.status)
                    .find(|s| *s != CommitmentStatus::Unknown)
                    .unwrap_or_default();
            t.c
        })
        .collect()
}

/// A statement of one report on one commitment: its status, its words, and
/// whether the report itself ties it to the commitment.
type Said = (CommitmentStatus, String, bool);

struct Tracked {
    c: Commitment,
    toks: Vec<String>,
    /// Bodies named as responsible, canonical and lower-cased.
    bodies: Vec<String>,
    /// The task is itself to report or follow up.
    is_reporting: bool,
    /// A point known only from a report's list.
    reported_point: bool,
    /// Told as given earlier: a report on it may stand in the same text.
    restated: bool,
    /// A matter sent to a body for beredning.
    is_referral: bool,
    /// The date and § of the document that states it.
    date: Option<Date>,
    paragraph: Option<u32>,
}

impl Tracked {
    fn new(d: &DocCommitments, fc: &FoundCommitment, toks: Vec<String>) -> Tracked {
        let resp = fc.responsible.clone().unwrap_or_default().to_lowercase();
        let task = fc.task.to_lowercase();
        Tracked {
            c: Commitment {
                id: Commitment::id_for(&d.id, &fc.evidence),
                doc_id: d.id.clone(),
                municipality: d.municipality.clone(),
                responsible: fc.responsible.clone(),
                task: fc.task.clone(),
                deadline: fc.deadline,
                cadence: fc.cadence.clone(),
                status: CommitmentStatus::Unknown,
                evidence: fc.evidence.clone(),
                reports: Vec::new(),
                also_in: Vec::new(),
            },
            toks,
            bodies: resp
                .split([',', '&'])
                .flat_map(|p| p.split(" och "))
                .map(|p| p.trim().to_owned())
                .filter(|p| p.len() > 3)
                .collect(),
            is_reporting: ["uppföljning", "redovis", "rapporter", "följs upp"]
                .iter()
                .any(|w| task.contains(w)),
            reported_point: false,
            restated: fc.restated,
            is_referral: is_referral(&task),
            date: d.date,
            paragraph: d.paragraph,
        }
    }
}

/// A commitment moved to a new date ("redovisningen flyttas fram till
/// 2027") with no deadline known where it is stated (an assignment told
/// again by the decision that moves it) is due then. One with a deadline
/// of its own keeps it: what was promised, by when; the report tells the
/// new date.
fn postpone(t: &mut Tracked, r: &DocCommitments, s: &FoundStatus) {
    if s.status == CommitmentStatus::Postponed
        && t.c.deadline.is_none()
        && let Some(due) = r.found.point_deadline(s.id)
    {
        t.c.deadline = Some(due);
    }
}

/// Whether `r` was written before the commitment `t` was made: dated
/// earlier, or on its day in another document (the office's report and
/// the arbetsutskott's extract that prepared the decision tell how the
/// matter came about, not how the commitment fares).
fn before_it(r: &DocCommitments, t: &Tracked) -> bool {
    matches!((r.date, t.date), (Some(rd), Some(td)) if rd < td || (rd == td && r.id != t.c.doc_id))
}

/// A matter sent to a body for beredning.
fn is_referral(task: &str) -> bool {
    let task = task.to_lowercase();
    task.contains("för beredning") || task.contains("för vidare beredning")
}

/// Decisions state commitments with the most authority, then plans; a
/// proposal for a decision has no more than any other document.
fn authority(d: &DocCommitments) -> u8 {
    match d.kind {
        _ if d.found.proposed => 2,
        k if k.decides() => 0,
        DocKind::Plan => 1,
        k if k.reports() => 3,
        _ => 2,
    }
}

/// How surely `fc` restates `t`: shared task words (both ways), the same
/// deadline, the same responsible party.
fn sameness(fc: &FoundCommitment, toks: &[String], t: &Tracked) -> f32 {
    // A matter sent on for beredning to another body ("Tekniska nämnden
    // fick motionen för beredning" after "Motionen lämnas till
    // kommunstyrelsen för beredning") is a referral of its own.
    if t.is_referral
        && is_referral(&fc.task)
        && let (Some(a), Some(b)) = (&fc.responsible, &t.c.responsible)
        && !a.eq_ignore_ascii_case(b)
    {
        return 0.0;
    }
    let words = dice(toks, &t.toks);
    let deadline = match (fc.deadline, t.c.deadline) {
        (Some(a), Some(b)) if a == b => 0.3,
        (Some(a), Some(b)) if a.end < b.start || b.end < a.start => -0.3,
        _ => 0.0,
    };
    let resp = match (&fc.responsible, &t.c.responsible) {
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => 0.1,
        _ => 0.0,
    };
    words + deadline + resp
}

/// A decision that settles a matter: "Motionen avslås", "motionen anses
/// besvarad", "bifaller medborgarförslaget".
fn settles_matter(said: &str) -> bool {
    let l = said.to_lowercase();
    let matter = [
        "motionen",
        "medborgarförslaget",
        "initiativet",
        "initiativärendet",
    ]
    .iter()
    .any(|m| l.contains(m));
    let settled = [
        "avslås",
        "bifalls",
        "besvarad",
        "avslår",
        "bifaller",
        "tillstyrker",
        "avstyrker",
    ]
    .iter()
    .any(|w| l.contains(w));
    matter && settled
}

/// Word stems that name work in general, not a task: a statement whose
/// subject is only these ("Arbetet pågår") names no task of its own.
const GENERAL: &[&str] = &[
    "arbete", "arbetet", "uppdra", "handli", "insats", "åtgärd", "planen", "rappor", "uppföl",
    "ärende", "ärendet", "förval", "nämnde",
];

/// How surely a status statement with `words` naming `bodies` is about `t`:
/// how much of the task its words cover, or, for a statement that names
/// its subject in a few words ("Rekryteringsmässan avbryts"), how many of
/// those the task holds.
fn about(words: &[String], said: &[String], bodies: &[String], t: &Tracked) -> f32 {
    let specific: Vec<String> = words
        .iter()
        .filter(|w| !GENERAL.contains(&w.as_str()))
        .cloned()
        .collect();
    let named = if !specific.is_empty() && specific.len() <= 6 {
        similarity(&t.toks, &specific) * 0.9
    } else {
        0.0
    };
    let covered = similarity(words, &t.toks)
        .max(similarity(said, &t.toks))
        .max(named);
    let body = bodies.iter().any(|b| {
        let b = b.to_lowercase();
        t.bodies.contains(&b)
    });
    covered + if body { 0.25 } else { 0.0 }
}

/// Statements of one report on one commitment: all alike keep their
/// status, a mix of done and not done is under way.
fn combine(said: impl Iterator<Item = CommitmentStatus>) -> CommitmentStatus {
    let known: HashSet<CommitmentStatus> =
        said.filter(|s| *s != CommitmentStatus::Unknown).collect();
    match known.len() {
        0 => CommitmentStatus::Unknown,
        1 => known.into_iter().next().expect("one"),
        _ => CommitmentStatus::Ongoing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedja_model::{Cited, FoundStatus};

    fn day(s: &str) -> Option<Date> {
        kedja_model::parse_iso_date(s)
    }

    fn task(id: u32, t: &str) -> FoundCommitment {
        FoundCommitment {
            id: FindingId(id),
            responsible: Some("Parkenheten".into()),
            task: t.into(),
            deadline: None,
            cadence: None,
            evidence: t.into(),
            start: 0,
            end: t.len(),
            restated: false,
        }
    }

    fn status(id: u32, st: CommitmentStatus, subject: &str, cites: Option<Cited>) -> FoundStatus {
        FoundStatus::new(FindingId(id), st, subject, subject, (0, subject.len())).citing(cites)
    }

    fn doc(id: &str, date: &str, paragraph: Option<u32>, found: CommitmentText) -> DocCommitments {
        DocCommitments {
            id: DocId::for_source(id),
            kind: DocKind::Decision,
            date: day(date),
            municipality: Some("Ekby".into()),
            paragraph,
            body: Some("Kommunstyrelsen".into()),
            found,
        }
    }

    #[test]
    fn what_the_papers_before_a_decision_tell_is_no_report_on_it() {
        let decided = doc(
            "ks#§30",
            "2030-06-01",
            Some(30),
            CommitmentText {
                commitments: vec![task(0, "anlägga en ny lekplats i stadsparken")],
                ..CommitmentText::default()
            },
        );
        // The office's report that prepared the decision tells how the
        // matter came about, in words like the task's.
        let prepared = DocCommitments {
            kind: DocKind::StaffReport,
            ..doc(
                "ts-lekplats",
                "2030-05-10",
                None,
                CommitmentText {
                    statuses: vec![status(
                        0,
                        CommitmentStatus::Done,
                        "Dialogen om en ny lekplats i stadsparken har genomförts",
                        None,
                    )],
                    ..CommitmentText::default()
                },
            )
        };
        let later = doc(
            "ks#§80",
            "2030-11-02",
            Some(80),
            CommitmentText {
                statuses: vec![status(
                    0,
                    CommitmentStatus::Ongoing,
                    "Arbetet med den nya lekplatsen i stadsparken pågår",
                    None,
                )],
                ..CommitmentText::default()
            },
        );
        let link = |from: &DocCommitments| Link {
            from: from.id.clone(),
            to: decided.id.clone(),
            link_type: LinkType::Cites,
            confidence: 1.0,
            reason: "test".into(),
            evidence: String::new(),
        };
        let links = [link(&prepared), link(&later)];
        let tracked = track(&[decided.clone(), prepared.clone()], &links);
        assert_eq!(tracked.len(), 1, "{tracked:#?}");
        assert_eq!(tracked[0].status, CommitmentStatus::Unknown, "{tracked:#?}");
        let tracked = track(&[decided, prepared, later], &links);
        assert_eq!(tracked[0].status, CommitmentStatus::Ongoing, "{tracked:#?}");
        assert_eq!(tracked[0].reports.len(), 1, "{tracked:#?}");
    }

    #[test]
    fn a_commitment_moved_to_a_new_date_is_due_then() {
        let decided = |deadline| {
            let mut given = task(0, "ta fram en färdplan för klimatanpassning");
            given.deadline = deadline;
            doc(
                "kf#§88",
                "2030-11-13",
                Some(88),
                CommitmentText {
                    commitments: vec![given],
                    ..CommitmentText::default()
                },
            )
        };
        let moved = doc(
            "kf#§63",
            "2031-05-20",
            Some(63),
            CommitmentText {
                statuses: vec![status(
                    0,
                    CommitmentStatus::Postponed,
                    "redovisningen av uppdraget om en färdplan för klimatanpassning",
                    None,
                )],
                point_deadlines: vec![(FindingId(0), kedja_model::DateRange::year(2032))],
                ..CommitmentText::default()
            },
        );
        let links = [Link {
            from: moved.id.clone(),
            to: decided(None).id.clone(),
            link_type: LinkType::Cites,
            confidence: 1.0,
            reason: "test".into(),
            evidence: String::new(),
        }];
        let tracked = track(&[decided(None), moved.clone()], &links);
        assert_eq!(tracked.len(), 1, "{tracked:#?}");
        assert_eq!(
            tracked[0].status,
            CommitmentStatus::Postponed,
            "{tracked:#?}"
        );
        assert_eq!(tracked[0].deadline, kedja_model::DateRange::year(2032));
        // Named by the decision that gave it ("uppdraget från
        // 2030-11-13, § 88"), in words of its own.
        let cited = doc(
            "ks#§12",
            "2031-05-20",
            Some(12),
            CommitmentText {
                statuses: vec![status(
                    0,
                    CommitmentStatus::Postponed,
                    "Arbetet skjuts upp",
                    Some(Cited {
                        date: "2030-11-13".into(),
                        paragraph: Some(88),
                    }),
                )],
                point_deadlines: vec![(FindingId(0), kedja_model::DateRange::year(2032))],
                ..CommitmentText::default()
            },
        );
        let tracked = track(&[decided(None), cited], &[]);
        assert_eq!(
            tracked[0].status,
            CommitmentStatus::Postponed,
            "{tracked:#?}"
        );
        assert_eq!(tracked[0].deadline, kedja_model::DateRange::year(2032));
        // A deadline of its own is what was promised; the report tells
        // the new date.
        let june = kedja_model::DateRange::month(2031, time::Month::June);
        let tracked = track(&[decided(june), moved], &links);
        assert_eq!(
            tracked[0].status,
            CommitmentStatus::Postponed,
            "{tracked:#?}"
        );
        assert_eq!(tracked[0].deadline, june);
    }

    #[test]
    fn a_point_listed_again_with_its_due_date_takes_that_deadline() {
        let mut reported = status(0, CommitmentStatus::Done, "Plan för läsfrämjande", None);
        reported.listed = true;
        let mut pending = status(1, CommitmentStatus::Ongoing, "Plan för läsfrämjande", None);
        pending.listed = true;
        let due = kedja_model::DateRange::month(2031, time::Month::May);
        let report = doc(
            "kn#§6",
            "2030-01-30",
            Some(6),
            CommitmentText {
                statuses: vec![reported, pending],
                point_deadlines: vec![(FindingId(0), None), (FindingId(1), due)],
                ..CommitmentText::default()
            },
        );
        let tracked = track(&[report], &[]);
        assert_eq!(tracked.len(), 1, "{tracked:#?}");
        assert_eq!(tracked[0].deadline, due);
        assert_eq!(tracked[0].status, CommitmentStatus::Ongoing);
    }

    #[test]
    fn what_a_report_says_where_it_treats_a_commitment_outweighs_its_look_alikes() {
        // An audit follow-up: a recommendation's answer with its
        // assessment, and in the summary a sentence on another one that
        // shares its words.
        // A report's commitments are restatements (see `find_commitments`).
        let mut answer = task(
            0,
            "säkerställa att besvärshänvisning finns i varje beslut om skolskjuts",
        );
        answer.restated = true;
        let assessed = status(
            1,
            CommitmentStatus::Done,
            "Rekommendationen bedöms vara åtgärdad.",
            None,
        )
        .about_commitment(Some(FindingId(0)));
        let summary = status(
            2,
            CommitmentStatus::Ongoing,
            "Rekommendationen att säkerställa att varje beslut om skolskjuts diarieförs kvarstår.",
            None,
        );
        let mut report = doc(
            "granskning",
            "2030-04-01",
            None,
            CommitmentText {
                commitments: vec![answer],
                statuses: vec![assessed, summary],
                ..CommitmentText::default()
            },
        );
        report.kind = DocKind::FollowUp;
        let tracked = track(&[report], &[]);
        let c = tracked
            .iter()
            .find(|c| c.task.contains("besvärshänvisning"))
            .expect("the answer's commitment");
        assert_eq!(c.status, CommitmentStatus::Done, "{tracked:#?}");
    }

    #[test]
    fn a_decision_on_a_motion_ends_the_referral_it_tells_of() {
        let mut referral = task(0, "motionen för beredning från ordföranden");
        referral.restated = true;
        let decision = doc(
            "ks#§20",
            "2030-05-05",
            Some(20),
            CommitmentText {
                commitments: vec![referral],
                statuses: vec![status(1, CommitmentStatus::Done, "Motionen avslås.", None)],
                ..CommitmentText::default()
            },
        );
        let mut sent = task(0, "Motionen lämnas till kommunstyrelsen för beredning");
        sent.responsible = Some("Kommunstyrelsen".into());
        let motion = doc(
            "kf#§9",
            "2030-01-01",
            Some(9),
            CommitmentText {
                commitments: vec![sent],
                ..CommitmentText::default()
            },
        );
        let link = Link {
            from: decision.id.clone(),
            to: motion.id.clone(),
            link_type: LinkType::FollowsUp,
            confidence: 1.0,
            reason: "test".into(),
            evidence: String::new(),
        };
        let tracked = track(&[decision, motion], &[link]);
        assert_eq!(tracked.len(), 2, "{tracked:#?}");
        let by_body = |b: &str| {
            tracked
                .iter()
                .find(|c| c.responsible.as_deref() == Some(b))
                .unwrap()
        };
        assert_eq!(by_body("Parkenheten").status, CommitmentStatus::Done);
        assert_eq!(by_body("Kommunstyrelsen").status, CommitmentStatus::Done);
    }

    #[test]
    fn a_status_names_its_assignment_by_decision_or_by_its_subject() {
        let given = doc(
            "ks#§12",
            "2030-03-03",
            Some(12),
            CommitmentText {
                commitments: vec![task(0, "rusta tre lekplatser i centrum")],
                ..CommitmentText::default()
            },
        );
        let other = doc(
            "ks#§13",
            "2030-03-03",
            Some(13),
            CommitmentText {
                commitments: vec![task(0, "arrangera en rekryteringsmässa med gymnasiet")],
                ..CommitmentText::default()
            },
        );
        let report = doc(
            "ks#§40",
            "2030-10-01",
            Some(40),
            CommitmentText {
                statuses: vec![
                    status(
                        0,
                        CommitmentStatus::Done,
                        "Kommunstyrelsen anser uppdraget från den 3 mars 2030, § 12, slutfört",
                        Some(Cited {
                            date: "2030-03-03".into(),
                            paragraph: Some(12),
                        }),
                    ),
                    status(1, CommitmentStatus::WrittenOff, "Rekryteringsmässan", None),
                ],
                ..CommitmentText::default()
            },
        );
        let link = |to: &DocId| Link {
            from: report.id.clone(),
            to: to.clone(),
            link_type: LinkType::FollowsUp,
            confidence: 1.0,
            reason: "test".into(),
            evidence: String::new(),
        };
        let links = [link(&given.id), link(&other.id)];
        let tracked = track(&[given, other, report], &links);
        assert_eq!(tracked.len(), 2, "{tracked:#?}");
        let by_task = |t: &str| tracked.iter().find(|c| c.task.starts_with(t)).unwrap();
        assert_eq!(by_task("rusta").status, CommitmentStatus::Done);
        assert_eq!(by_task("arrangera").status, CommitmentStatus::WrittenOff);
    }

    #[test]
    fn a_status_about_the_assignment_names_it_by_id_not_by_position() {
        // The ids need not follow the order of the list: the status names
        // the second commitment listed.
        let mut about = status(1, CommitmentStatus::Done, "Uppdraget är slutfört", None);
        about.about = Some(FindingId(0));
        let plan = doc(
            "ks#§12",
            "2030-03-03",
            Some(12),
            CommitmentText {
                commitments: vec![
                    task(2, "rusta tre lekplatser i centrum"),
                    task(0, "arrangera en rekryteringsmässa med gymnasiet"),
                ],
                statuses: vec![about],
                ..CommitmentText::default()
            },
        );
        let tracked = track(&[plan], &[]);
        assert_eq!(tracked.len(), 2, "{tracked:#?}");
        let by_task = |t: &str| tracked.iter().find(|c| c.task.starts_with(t)).unwrap();
        assert_eq!(by_task("arrangera").status, CommitmentStatus::Done);
        assert_eq!(by_task("rusta").status, CommitmentStatus::Unknown);
    }
}
