//! Commitments and statuses in running text: assignments by the grammar of
//! the sentence, referrals for beredning, obligations with a deadline,
//! recurring reports, and the decision part of a protocol's §.

use std::sync::LazyLock;

use kedja_model::{
    CommitmentStatus, CommitmentText, DocKind, FoundCommitment, FoundStatus, Record,
};
use regex::Regex;

use crate::bodies::{canonical_body, find_bodies};
use crate::lexicon::MONTH_ALT;

use super::dates::{WHEN, cadence_in, deadline_after, deadline_in};
use super::fields::{bodies_in, is_body, responsible_name};
use super::status::{BULLET, WHOLE, cue_status, cue_status_at, first_sentence, sentences};
use super::{Line, cited_decision, normalize};

static ASSIGN_GIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)(?-u:\b)(?P<verb>ger|ge|gav|har\s+gett|har\s+givit|uppdrar\s+åt|uppdrog\s+åt)\s+(?P<resp>[^.;:]{2,160}?)\s+(?:i\s+)?uppdrag(?:et)?\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

static ASSIGN_PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:att\s+)?(?P<resp>[^.;:]{2,200}?)\s+(?P<verb>ges|gavs|får|fick|har\s+fått)\s+(?:i\s+)?uppdrag(?:et)?\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

/// The party as the subject of the passive verb itself: "Förvaltningen
/// uppdras att …".
static ASSIGN_UPPDRAS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:att\s+)?(?P<resp>[^.;:]{2,200}?)\s+(?P<verb>uppdras|uppdrogs)\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

static ASSIGN_INVERTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)\b(?P<verb>får|fick|ges|gavs)\s+(?P<resp>[\p{L}-]+(?:\s+[\p{L}-]+){0,5}?)\s+(?:i\s+)?uppdrag(?:et)?\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

static ASSIGN_UPPDRA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)\b(?P<verb>uppdra|uppdrar|uppdrog|uppdras|uppdrogs)\s+(?:åt|till)\s+(?P<resp>[^.;:]{2,100}?)\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

/// A matter sent to a body to be prepared or completed: "Motionen lämnas
/// till kommunstyrelsen för beredning", "beslutar att lämna
/// initiativärendet till kommunledningskontoret för beredning", "Ärendet
/// återremitteras till tekniska nämnden för komplettering …". The task is
/// the clause as written; the body it goes to is responsible.
fn referral(clause: &str, record: &Record) -> Option<(String, String, bool)> {
    static SENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?xi)\b(?P<verb>lämna[rs]?|lämnades|överlämna[rs]?|överlämnades|remittera[rs]?|remitterades|återremittera[rs]?|återremitterades|skicka[rs]?)\s+(?:[^.;:]{0,80}?\s+)?till\s+(?P<resp>[^.;:]{2,80}?)\s+(?:för|att)\s+(?P<for>beredning|vidare\s+beredning|yttrande|handläggning|besvarande|komplettering|ställningstagande|åtgärd)\b",
        )
        .expect("valid regex")
    });
    if let Some(r) = received_for(clause, record) {
        return Some(r);
    }
    let c = SENT.captures(clause)?;
    let resp = clean_responsible(&c["resp"]);
    if resp.is_empty() || resp.split_whitespace().count() > 6 {
        return None;
    }
    let verb = c["verb"].to_lowercase();
    let past = verb.ends_with("ades");
    // From the matter named before the verb: "Motionen lämnas …".
    let from = clause[..c.get(0)?.start()]
        .rfind(['.', ';', ':'])
        .map_or(0, |i| i + 1);
    let lead = clause[from..c.get(0)?.start()].trim();
    let task = if lead.split_whitespace().count() <= 3 {
        &clause[from..]
    } else {
        &clause[c.get(0)?.start()..]
    };
    Some((
        responsible_name(&resp, record),
        task.trim().to_owned(),
        past,
    ))
}

/// A matter a body was given to prepare, told from the body's side:
/// "Tekniska nämnden fick den 29 september 2025 motionen för beredning",
/// "Kulturnämnden har fått ärendet för vidare beredning och för
/// besvarande innan 3 juni 2026". The task is the matter and what it is
/// for; the body is responsible; told as past.
fn received_for(clause: &str, record: &Record) -> Option<(String, String, bool)> {
    static RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?xi)^(?P<resp>\p{{Lu}}[^.;:]{{1,80}}?)\s+(?:fick|har\s+fått|hade\s+fått)\s+(?:den\s+\d{{1,2}}\s+(?:{MONTH_ALT})(?:\s+\d{{4}})?\s+|\d{{4}}-\d\d-\d\d\s+)?(?P<task>(?:[\p{{L}}-]+\s+){{0,3}}?för\s+(?:vidare\s+)?(?:beredning|yttrande|besvarande|handläggning)(?-u:\b).*)$"
        ))
        .expect("valid regex")
    });
    let c = RECEIVED.captures(clause)?;
    let words = c["resp"].trim();
    // The body is the last words before the verb: a heading run into the
    // sentence ("Ärendebeskrivning Tekniska nämnden fick …") is no part.
    let starts = std::iter::once(0).chain(words.match_indices(' ').map(|(i, _)| i + 1));
    let resp = starts
        .map(|i| &words[i..])
        .find(|w| is_body(w))
        .or_else(|| {
            let last = words.rsplit(' ').next().unwrap_or(words);
            let lower = last.to_lowercase();
            PARTY_ENDINGS
                .iter()
                .any(|e| lower.ends_with(e))
                .then_some(last)
        })?;
    Some((
        responsible_name(resp, record),
        c["task"].trim().to_owned(),
        true,
    ))
}

static POINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:den\s+\p{L}+\s+punkten|en\s+\p{L}+\s+punkt|punkt\s+\d+|den\s+sista\s+punkten)\s+(?:var|är|gällde|handlade\s+om)\s+att\s+(?P<task>.+)",
    )
    .expect("valid regex")
});

/// When the task is to report back to a body ("återrapportera till
/// kommunfullmäktige …") and the text says that body approved or received
/// such a report ("Kommunfullmäktige godkände den 12 juni en
/// avrapportering"), the sentence that says so.
fn reported_back(text: &str, task: &str) -> Option<String> {
    static REPORT_TASK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:åter|av)?(?:rapportera|redovisa)\s+(?:till|för)\s+(?P<to>\S+(?:\s+och\s+\S+)?)")
            .expect("valid regex")
    });
    static RECEIVED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:godkände|godkänt|tog\s+emot|har\s+tagit\s+emot|behandlade|noterade)(?-u:\b)[^.]{0,80}?(?:återrapportering|avrapportering|redovisning|återredovisning)")
            .expect("valid regex")
    });
    let to = canonical_body(&REPORT_TASK.captures(task)?["to"]);
    text.split("\n\n").map(normalize).find_map(|para| {
        sentences(&para).into_iter().find_map(|(a, b)| {
            let s = para[a..b].trim();
            let by = find_bodies(s).first().map(|(x, _, _)| x.clone());
            (by.as_deref() == Some(to.as_str()) && RECEIVED.is_match(s)).then(|| s.to_owned())
        })
    })
}

/// The verbs that oblige: what is to be done, whatever else a clause tells.
const OBLIGING_VERBS: &str = "ska|skall|skulle|implementeras|återredovisas|återrapporteras";

/// Words that make a sentence an obligation rather than a description:
/// the obliging verbs, a deadline's "senast", an "uppdrag".
static OBLIGATION: LazyLock<Regex> = LazyLock::new(|| {
    // Unicode word boundaries: an ASCII one never stands before "å".
    Regex::new(&format!(r"(?i)\b(?:{OBLIGING_VERBS}|senast|uppdrag)\b")).expect("valid regex")
});

static REPORT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)redovisa|rapporter|följ(?:a|s|er)?\s+upp|uppföljning|utvärder|revider|ses\s+över",
    )
    .expect("valid regex")
});

/// A report back, the whole of a decision's point: "att återkomma under
/// 2031", "att redovisa till nämnden i mars".
static REPORT_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^att\s+(?:återkomma|återrapportera|återredovisa|redovisa|rapportera)(?-u:\b)")
        .expect("valid regex")
});

/// A point of a decision that obliges its subject to act: "att X ska
/// återkomma …", not what X is or may do ("ska vara personalorgan", "ska
/// ha rätt att besluta", "ska gälla").
static SHALL_POINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^att\s+[^,;]{2,80}?\s+(?:ska|skall)\s+(?:vara|ha|gälla|kunna|få)\b|^att\s+[^,;]{2,80}?\s+(?:ska|skall)\s+(?P<act>\p{L})")
        .expect("valid regex")
});

/// An occasion that recurs with the budget year ("i samband med
/// årsredovisningen"): when a report is due, without a date.
static OCCASION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)i\s+samband\s+med\s+(?:\p{L}+\s+)?(?:årsredovisning|bokslut|delårsrapport|delårsbokslut|tertialrapport|tertialuppföljning|budget|verksamhetsberättelse|årsbokslut)")
        .expect("valid regex")
});

/// A report promised for later: "En uppföljning kommer att redovisas …".
static WILL_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)kommer\s+att\s+(?:redovisas|rapporteras|återrapporteras|återredovisas|följas\s+upp)(?-u:\b)")
        .expect("valid regex")
});

static REPORT_PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:redovisas|rapporteras|återrapporteras|återredovisas|följs\s+upp|följer\s+upp|redovisar|rapporterar|återrapporterar|utvärderas|revideras|ses\s+över)\b")
        .expect("valid regex")
});

static LED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)ledas\s+av\s+(?P<r>[^.,;]+?)(?:\s+med\s+stöd|[.,;]|$)").expect("valid regex")
});

/// The byte span of a protocol §'s "Beslut" part: from its heading to the
/// next heading of a § ("Expedieras", "Beslutsunderlag", "Reservation", …).
pub(super) fn decision_part(lines: &[Line<'_>]) -> Option<(usize, usize)> {
    static DECISION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:\p{L}+s\s+)?beslut\s*:?\s*$").expect("valid regex")
    });
    static NEXT: LazyLock<Regex> = LazyLock::new(|| {
        // "Bakgrund", which also opens a sentence ("Bakgrund till
        // uppdraget: …" under a listed point), is a heading only on a line
        // of its own.
        Regex::new(r"(?i)^\s*(?:(?:beslutet\s+(?:expedieras|skickas|delges)|expedieras|expediering|beslutsunderlag|anteckning|protokollsanteckning|reservation|yrkanden?|propositionsordning|omröstning|jäv|justerandes)(?-u:\b)|(?:ärendebeskrivning|beredning|sammanfattning)(?-u:\b)|bakgrund\s*:?\s*$)")
            .expect("valid regex")
    });
    let at = lines.iter().position(|l| DECISION.is_match(l.text))?;
    let end = lines[at + 1..]
        .iter()
        .find(|l| NEXT.is_match(l.text))
        .map_or_else(|| lines.last().map_or(0, |l| l.end()), |l| l.start);
    Some((lines[at].start, end))
}

/// Sentences of running text: assignments, deadlines, recurring reports,
/// and (in any kind) status cues. In a protocol's § with a "Beslut" part
/// (`decided`), only that part decides: elsewhere only assignments told as
/// given earlier are taken, for they may be known from nowhere else.
#[allow(clippy::too_many_arguments)]
pub(super) fn prose(
    text: &str,
    lines: &[Line<'_>],
    used: &[bool],
    record: &Record,
    reporting: bool,
    decided: Option<(usize, usize)>,
    out: &mut CommitmentText,
) {
    // A lead-in that proposes ("Motionärerna föreslår att
    // kommunfullmäktige beslutar följande:"): the points listed after it
    // are proposals, not decisions.
    static PROPOSING_LEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:föreslår|föreslås|föreslog|yrkar|yrkade|hemställer|begär)(?-u:\b)[^.!?]*(?:följande\s*:?|:)\s*$")
            .expect("valid regex")
    });
    let mut proposed_list = false;
    // The last assignment still without a deadline, and how many units ago.
    let mut open: Option<(usize, usize)> = None;
    // "att ge nämnden i uppdrag att:" over a list of points, while it lasts.
    let mut list: Option<PointList> = None;
    // Its points still without a deadline…
    let mut list_open: Vec<usize> = Vec::new();
    // …the last unit it held, and how many commitments there were then.
    let mut list_last = 0;
    let mut list_made = 0;
    // Where the unit before ended.
    let mut before = 0;
    for (n, unit) in units(lines, used).into_iter().enumerate() {
        let labelled = text[before.min(unit.0)..unit.0]
            .lines()
            .any(crate::protocol::is_section_label);
        before = unit.1;
        let deciding = decided.is_none_or(|(a, b)| unit.0 >= a && unit.0 < b);
        let u = &text[unit.0..unit.1];
        let norm = normalize(u);
        let item = BULLET.is_match(u) || u.trim_start().to_lowercase().starts_with("att ");
        // A body's own proposal in its decision ("Kommunstyrelsen föreslår
        // kommunfullmäktige besluta:") proposes what the § decides: its
        // points are commitments of a proposing §.
        if item && proposed_list && !(deciding && decided.is_some()) {
            continue;
        }
        if let Some(l) = list.as_mut() {
            let rest = strip_item_marker(&norm);
            let marker = marker_kind(u);
            // The list ends at the next point of the decision, a section's
            // label, a point of another kind of marker, or an assignment
            // of its own.
            let ends = (!deciding && !l.restated)
                || labelled
                || rest.to_lowercase().starts_with("att ")
                || marker.is_some_and(|m| l.marker.is_some_and(|first| first != m))
                || assignment(rest, record).is_some();
            if ends {
                list = None;
            } else {
                list_last = n;
            }
            if let Some(l) = list.as_mut()
                && let Some(m) = marker
                && let Some(task) = list_point_task(u)
            {
                l.marker.get_or_insert(m);
                // The point's own deadline, where a report of its work is
                // due ("Utredningen ska redovisas senast …"), else one the
                // decision gives after the list.
                let deadline = clauses(rest)
                    .into_iter()
                    .filter(|c| OBLIGATION.is_match(c) && REPORT_VERB.is_match(c) && !narrated(c))
                    .find_map(|c| deadline_after(c, false, record.date));
                out.commitments.push(FoundCommitment {
                    id: out.next_id(),
                    responsible: Some(l.responsible.clone()),
                    deadline,
                    task: task_text(&task),
                    cadence: None,
                    evidence: norm.clone(),
                    start: unit.0,
                    end: unit.1,
                    restated: l.restated,
                });
                let k = out.commitments.len() - 1;
                list_made = out.commitments.len();
                open = deadline.is_none().then_some((k, n));
                if deadline.is_none() {
                    list_open.push(k);
                }
                continue;
            }
        }
        proposed_list = !item && PROPOSING_LEAD.is_match(&norm);
        let norm = strip_item_marker(&norm);
        if norm.ends_with('?') {
            continue;
        }
        let mut unit_commitment: Option<usize> = None;
        // The assignment this unit gave its deadline to.
        let mut reported_for: Option<usize> = None;
        // An interpellation argues in running text; only what it lists
        // (a quoted initiative's numbered points) or states as an
        // assignment is taken for a commitment.
        let listed = BULLET.is_match(u) || u.trim_start().starts_with("att ");
        let prose_ok = record.kind != DocKind::Interpellation || listed;
        // The commitments made so far, to tell whether the clause before
        // made one.
        let mut made = out.commitments.len();
        for clause in clauses(norm) {
            let clause = clause.trim().trim_end_matches([',', ';']).trim();
            if clause.is_empty() || clause.ends_with('?') {
                continue;
            }
            let just_made =
                std::mem::replace(&mut made, out.commitments.len()) < out.commitments.len();
            if let Some(lead) = list_lead_of(clause, record).filter(|l| deciding || l.restated) {
                list = Some(lead);
                list_open.clear();
                continue;
            }
            let found = assignment(clause, record)
                .map(|(resp, task, restated)| (Some(resp), task, restated || past_tense(clause)))
                .filter(|(_, _, restated)| deciding || *restated);
            let prose_ok = prose_ok && deciding;
            let deadline = deadline_after(clause, false, record.date);
            // A recurrence is promised when the sentence obliges or a report
            // is to be given ("redovisas årligen"), not when it describes
            // ("kostnaderna ökar årligen", "uppföljningen sker årligen").
            let can = possible(clause);
            // A point of the decision itself ("att återkomma under 2031")
            // obliges as "ska" would.
            let decided_point =
                deciding && decided.is_some() && clause.to_lowercase().starts_with("att ");
            let obliged = (OBLIGATION.is_match(clause)
                || (decided_point && REPORT_BACK.is_match(clause)))
                && !narrated(clause)
                && !can;
            // "att förvaltningen ska återkomma till nämnden med förslag": a
            // party the decision obliges, as "uppdra åt" would.
            let obliged_party = (decided_point
                && obliged
                && SHALL_POINT
                    .captures(clause)
                    .is_some_and(|c| c.name("act").is_some())
                && !standing_rules(record))
            .then(|| party_subject(clause))
            .flatten();
            let cadence = cadence_in(clause)
                .filter(|_| REPORT_VERB.is_match(clause))
                .filter(|_| !can && (obliged || REPORT_PASSIVE.is_match(clause)));
            match found {
                Some((_, task, _))
                    if out
                        .commitments
                        .iter()
                        .any(|c| c.task.eq_ignore_ascii_case(&task_text(&task))) =>
                {
                    // The same assignment told again (the case's description
                    // and the decision): one commitment.
                    unit_commitment = out
                        .commitments
                        .iter()
                        .position(|c| c.task.eq_ignore_ascii_case(&task_text(&task)));
                }
                Some((resp, task, restated)) => {
                    out.commitments.push(FoundCommitment {
                        id: out.next_id(),
                        responsible: resp,
                        deadline: deadline.or_else(|| deadline_after(&task, false, record.date)),
                        task: task_text(&task),
                        cadence: None,
                        evidence: clause.to_owned(),
                        start: unit.0,
                        end: unit.1,
                        restated,
                    });
                    let k = out.commitments.len() - 1;
                    unit_commitment = Some(k);
                    open = out.commitments[k].deadline.is_none().then_some((k, n));
                }
                None if reporting => {
                    // "Den sjunde punkten var att återrapportera … i juni
                    // 2023": a point of the assignment named in running text.
                    if let Some(c) = POINT.captures(clause) {
                        let task = task_text(&c["task"]);
                        let (status, evidence) = match reported_back(text, &task) {
                            Some(said) => (CommitmentStatus::Done, format!("{clause} … {said}")),
                            None => (CommitmentStatus::Unknown, clause.to_owned()),
                        };
                        let id = out.next_id();
                        // The body named is the one reported to: none
                        // is kept.
                        out.statuses.push(
                            FoundStatus::new(id, status, task.clone(), evidence, unit).listed(),
                        );
                        out.point_deadlines.push((id, deadline_in(&task, true)));
                    }
                }
                // A status report with a date ("skjuts upp till
                // 2026-09-01") states no new obligation.
                None if deadline.is_some()
                    && obliged
                    && prose_ok
                    && cue_status(clause).is_none()
                    && !states_assignment(clause, record) =>
                {
                    // A deadline for the assignment just made ("Uppdraget
                    // ska återrapporteras … senast i oktober 2023"), or for
                    // the work this item describes.
                    // A sentence whose subject is another party states an
                    // obligation of its own.
                    let other_party = party_subject(clause).is_some_and(|(p, _)| {
                        let p = responsible_name(&p, record);
                        open.is_some_and(|(k, _)| {
                            out.commitments[k].responsible.as_deref() != Some(p.as_str())
                        })
                    });
                    // Under a listed point, all until the next point is
                    // said of it, however far.
                    let near = |k: usize, at: usize| {
                        n - at <= 2 || (list.is_some() && list_open.contains(&k))
                    };
                    if list.is_none()
                        && !list_open.is_empty()
                        && n - list_last <= 2
                        && out.commitments.len() == list_made
                        && !other_party
                    {
                        // A deadline given just after a list of points is
                        // every point's that has none of its own.
                        for j in list_open.drain(..) {
                            out.commitments[j].deadline = deadline;
                        }
                        open = None;
                    } else if let Some((k, _)) =
                        open.filter(|(k, at)| near(*k, *at) && !other_party)
                    {
                        out.commitments[k].deadline = deadline;
                        list_open.retain(|j| *j != k);
                        out.commitments[k].evidence.push(' ');
                        out.commitments[k].evidence.push_str(clause);
                        out.commitments[k].end = unit.1;
                        open = None;
                        reported_for = Some(k);
                    } else if let Some(k) =
                        unit_commitment.filter(|k| out.commitments[*k].deadline.is_none())
                    {
                        out.commitments[k].deadline = deadline;
                    } else if reported_for.is_some()
                        && REPORT_VERB.is_match(clause)
                        && party_subject(clause).is_none()
                    {
                        // A further report of the assignment whose deadline
                        // the sentence before gave ("En delredovisning ska
                        // redovisas senast …"): a step of it, not a task.
                    } else {
                        let first = first_sentence(norm);
                        let first = first.split(": ").next().unwrap_or("").to_owned();
                        // An item names its task first; a sentence after
                        // the unit's assignment is a task of its own.
                        let task = if first.is_empty() || unit_commitment.is_some() {
                            clause
                        } else {
                            &first
                        };
                        let (responsible, task) = match party_subject(clause) {
                            Some((p, rest)) => (Some(responsible_name(&p, record)), rest),
                            None => (responsible_of(norm, record), task.to_owned()),
                        };
                        out.commitments.push(FoundCommitment {
                            id: out.next_id(),
                            responsible,
                            task: task_text(&task),
                            deadline,
                            cadence: None,
                            evidence: norm.to_owned(),
                            start: unit.0,
                            end: unit.1,
                            restated: past_tense(clause),
                        });
                        unit_commitment = Some(out.commitments.len() - 1);
                    }
                }
                None if (cadence.is_some()
                    || (OCCASION.is_match(clause)
                        && (record.kind == DocKind::Plan
                            || OBLIGATION.is_match(clause)
                            || WILL_REPORT.is_match(clause)
                            || REPORT_PASSIVE.is_match(clause))))
                    && REPORT_VERB.is_match(clause)
                    && prose_ok
                    && !standing_rules(record) =>
                {
                    let (responsible, task) = match party_subject(clause) {
                        Some((p, rest)) => (Some(responsible_name(&p, record)), rest),
                        None => (
                            find_bodies(clause)
                                .first()
                                .map(|(b, _, _)| b.clone())
                                .or_else(|| record.body.clone()),
                            clause.to_owned(),
                        ),
                    };
                    out.commitments.push(FoundCommitment {
                        id: out.next_id(),
                        responsible,
                        task: task_text(&task),
                        deadline: None,
                        cadence,
                        evidence: clause.to_owned(),
                        start: unit.0,
                        end: unit.1,
                        restated: false,
                    });
                }
                // "… uppdra åt presidiet att ta fram ett förslag samt att
                // arbetsordningen ska ses över": a second task of the same
                // assignment.
                // Told of an assignment given earlier, its second task is
                // told too.
                None if obliged
                    && (prose_ok
                        || (just_made
                            && unit_commitment.is_some_and(|k| out.commitments[k].restated)))
                    && (clause.starts_with("samt att ") || clause.starts_with("och att "))
                    && unit_commitment.is_some() =>
                {
                    let k = unit_commitment.expect("checked");
                    let task = clause
                        .trim_start_matches("samt att ")
                        .trim_start_matches("och att ");
                    let c = FoundCommitment {
                        id: out.next_id(),
                        responsible: out.commitments[k].responsible.clone(),
                        task: task_text(task),
                        deadline: None,
                        cadence: None,
                        evidence: clause.to_owned(),
                        start: unit.0,
                        end: unit.1,
                        restated: out.commitments[k].restated,
                    };
                    out.commitments.push(c);
                }
                None if obliged_party.is_some() && cue_status(clause).is_none() => {
                    let (p, rest) = obliged_party.expect("checked");
                    out.commitments.push(FoundCommitment {
                        id: out.next_id(),
                        responsible: Some(responsible_name(&p, record)),
                        task: task_text(
                            rest.trim_start_matches("ska ").trim_start_matches("skall "),
                        ),
                        deadline,
                        cadence: None,
                        evidence: clause.to_owned(),
                        start: unit.0,
                        end: unit.1,
                        restated: false,
                    });
                    let k = out.commitments.len() - 1;
                    unit_commitment = Some(k);
                    open = out.commitments[k].deadline.is_none().then_some((k, n));
                }
                None => {}
            }
            if let Some((status, at)) = cue_status_at(clause) {
                let cites = cited_decision(clause);
                // "the assignment" is the one this text restates, else the
                // last one it states.
                let about = (WHOLE.is_match(clause) && cites.is_none())
                    .then(|| {
                        let before = |c: &FoundCommitment| c.start <= unit.0;
                        out.commitments
                            .iter()
                            .rfind(|c| before(c) && c.restated)
                            .or_else(|| out.commitments.iter().rfind(|c| before(c)))
                            .map(|c| c.id)
                    })
                    .flatten();
                // What the statement is about stands before its status
                // words ("Rekryteringsmässan avbryts"); a bare verb phrase
                // keeps the whole clause.
                let head = clause[..at].trim();
                let subject = if head.split_whitespace().count() >= 1
                    && head.starts_with(char::is_uppercase)
                    && at > 0
                {
                    head.to_owned()
                } else {
                    clause.to_owned()
                };
                let id = out.next_id();
                out.statuses.push(
                    FoundStatus::new(id, status, subject, clause, unit)
                        .naming(bodies_in(clause))
                        .about_commitment(about)
                        .citing(cites),
                );
                // Moved to a new date ("flyttas fram till 2027"): the date
                // it is now due.
                if status == CommitmentStatus::Postponed
                    && let Some(due) = deadline_after(clause, false, record.date)
                {
                    out.point_deadlines.push((id, Some(due)));
                }
            }
        }
    }
}

/// The sentence of a follow-up report that names the follow-up ("den
/// första årliga uppföljningen av …", or a title "Uppföljning av …").
pub(super) fn report_line(text: &str, lines: &[Line<'_>]) -> Option<String> {
    let all: Vec<String> = units(lines, &vec![false; lines.len()])
        .into_iter()
        .flat_map(|(a, b)| {
            let u = normalize(&text[a..b]);
            sentences(&u)
                .into_iter()
                .map(|(x, y)| u[x..y].trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    let lower = |s: &String| s.to_lowercase();
    all.iter()
        .find(|s| {
            let l = lower(s);
            (l.contains("årlig") || l.contains("årsvis")) && l.contains("uppföljning")
        })
        .or_else(|| all.iter().find(|s| lower(s).contains("uppföljning")))
        .cloned()
}

/// A governing document, by the first words of its title: a reglemente,
/// delegationsordning, rutin, riktlinje, policy, arbetsordning, taxa,
/// instruktion or föreskrift. What it says recurs ("redovisas
/// för nämnden månadsvis", "utvärderas årligen") is how the work is always
/// done, a standing rule, not something promised that can be followed up.
fn standing_rules(record: &Record) -> bool {
    const RULES: &[&str] = &[
        "reglemente",
        "delegationsordning",
        "rutin",
        "riktlinje",
        "policy",
        "arbetsordning",
        "taxa",
        "instruktion",
        "föreskrift",
    ];
    let title = record.title.to_lowercase();
    title
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(4)
        .any(|w| RULES.iter().any(|r| w.starts_with(r) || w.ends_with(r)))
}

/// A clause that tells what was done, whose only words of obligation are
/// a noun or an adverb: "utfördes cirka 9 000 uppdrag under 2029",
/// "beslutades senast den 4 mars 2030", "planen, senast reviderad 2 maj
/// 2031". A verb that obliges ("ska", "återrapporteras") keeps the
/// clause an obligation whatever else it tells.
fn narrated(clause: &str) -> bool {
    static OBLIGING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"(?i)\b(?:{OBLIGING_VERBS})\b")).expect("valid regex")
    });
    // A verb in the past ("utfördes", "beslutades", "fastställde"), or
    // "senast" meaning "most recently" before a participle.
    static TOLD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:\p{L}{3,}(?:ades|ddes|des|tes)|fastställde|beslutade|antog|reviderade|genomförde|utförde|senast\s+(?:reviderad|reviderat|uppdaterad|uppdaterat|beslutad|beslutat|antagen|antaget|fastställd|fastställt|ändrad|ändrat))\b")
            .expect("valid regex")
    });
    !OBLIGING.is_match(clause) && TOLD.is_match(clause)
}

/// A clause that tells what can be done, or offers the chance to do it
/// ("… kan listan hållas aktuell året om", "Föreningarna ges möjlighet
/// att yttra sig före mars"), and says nothing shall be: no promise.
fn possible(clause: &str) -> bool {
    static CAN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:kan|kunna|möjlighet(?:en)?\s+att)\b").expect("valid regex")
    });
    static SHALL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:ska|skall|måste)\b").expect("valid regex"));
    // "… för att kunna …" tells a purpose, not a possibility.
    static PURPOSE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bför\s+att\s+kunna\b").expect("valid regex"));
    let said = PURPOSE.replace_all(clause, " ");
    CAN.is_match(&said) && !SHALL.is_match(&said)
}

fn past_tense(clause: &str) -> bool {
    static PAST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:skulle|beslutade|gav|gavs|fick|har\s+fått)(?-u:\b)")
            .expect("valid regex")
    });
    PAST.is_match(clause)
}

/// An assignment in a clause: (responsible, task, told as past). What a
/// motion or a proposal asks for ("Motionären föreslår att X ges i uppdrag
/// att …", "yrkar att …") is not given until it is decided.
fn assignment(clause: &str, record: &Record) -> Option<(String, String, bool)> {
    static PROPOSES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:föreslår|föreslås|föreslog|yrkar|yrkade|hemställer|vill\s+att|begär\s+att|motionären|motionärerna|förslagsställaren|att-sats\w*)\b")
            .expect("valid regex")
    });
    let head = clause
        .find("uppdrag")
        .or_else(|| clause.find(" till "))
        .map_or(clause, |at| &clause[..at]);
    if PROPOSES.is_match(head) {
        return None;
    }
    if let Some(c) = ASSIGN_PASSIVE
        .captures(clause)
        .or_else(|| ASSIGN_UPPDRAS.captures(clause))
    {
        let resp = clean_responsible(&c["resp"]);
        if !resp.is_empty() {
            let past = matches!(
                c["verb"].to_lowercase().as_str(),
                "gavs" | "fick" | "har fått" | "uppdrogs"
            );
            return Some((responsible_name(&resp, record), c["task"].to_owned(), past));
        }
    }
    // The verb before its subject ("Då platser försvinner får
    // förvaltningen i uppdrag att …") and "uppdra åt X att …".
    static INVERTING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:att\s+)?(?:då|när|om|eftersom|därför|vidare|dessutom|samtidigt|slutligen|därutöver|med\s+anledning|i\s+samband|efter|inför|utöver)\b|,\s*$")
            .expect("valid regex")
    });
    for re in [&*ASSIGN_INVERTED, &*ASSIGN_UPPDRA] {
        if let Some(c) = re.captures(clause) {
            let before = &clause[..c.get(0).map_or(0, |m| m.start())];
            if std::ptr::eq(re, &*ASSIGN_INVERTED)
                && !INVERTING.is_match(before.trim_end_matches(' '))
            {
                continue;
            }
            let resp = clean_responsible(&c["resp"]);
            // "Om man får i uppdrag att …": the subject stands before the
            // verb, and "i" is no party.
            if !resp.is_empty() && resp.split_whitespace().count() <= 6 && resp != "i" {
                let verb = c["verb"].to_lowercase();
                let past = matches!(verb.as_str(), "gavs" | "fick" | "uppdrog" | "uppdrogs");
                return Some((responsible_name(&resp, record), c["task"].to_owned(), past));
            }
        }
    }
    if let Some(r) = referral(clause, record) {
        return Some(r);
    }
    if let Some(named) = named_assignment(clause, record) {
        return Some(named);
    }
    let c = ASSIGN_GIVE.captures(clause)?;
    let resp = clean_responsible(&c["resp"]);
    if resp.is_empty() {
        return None;
    }
    if states_assignment(clause, record) {
        return None;
    }
    let verb = c["verb"].to_lowercase();
    let past = verb.starts_with("gav") || verb.starts_with("har") || verb.starts_with("uppdrog");
    Some((responsible_name(&resp, record), c["task"].to_owned(), past))
}

/// "att ge nämnderna utredningsuppdrag i enlighet med bilaga": an
/// assignment named by its kind (a word ending in "uppdrag"), given to a
/// party (a body, or a word that names one: "nämnderna",
/// "förvaltningen"). The task is what the clause names, from that word on.
fn named_assignment(clause: &str, record: &Record) -> Option<(String, String, bool)> {
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?P<verb>ger|ge|gav)\s+(?P<resp>[^.;:]{2,80}?)\s+(?:ett\s+|nya\s+|flera\s+)?(?P<task>\p{L}{3,}uppdrag(?:et|en)?(?-u:\b).*)$")
            .expect("valid regex")
    });
    let c = NAMED.captures(clause)?;
    let resp = clean_responsible(&c["resp"]);
    if !names_a_party(&resp) {
        return None;
    }
    let past = c["verb"].eq_ignore_ascii_case("gav");
    Some((responsible_name(&resp, record), c["task"].to_owned(), past))
}

/// An assignment whose tasks are the points listed after it.
struct PointList {
    responsible: String,
    /// Told as given earlier.
    restated: bool,
    /// The kind of marker of its first point (`'1'` for a number).
    marker: Option<char>,
}

/// "att ge barn- och utbildningsnämnden i uppdrag att:": an assignment
/// whose tasks are the points listed after it.
fn list_lead_of(clause: &str, record: &Record) -> Option<PointList> {
    let head = clause.trim_end().strip_suffix(':')?.trim_end();
    if !head.to_lowercase().ends_with(" att") {
        return None;
    }
    // The grammar of an assignment, with a word standing for the listed
    // tasks so that it reads as a whole clause.
    assignment(&format!("{head} punkterna"), record).map(|(responsible, _, restated)| PointList {
        responsible,
        restated: restated || past_tense(head),
        marker: None,
    })
}

/// The kind of a list item's marker: `'1'` for a number, else its glyph.
fn marker_kind(unit: &str) -> Option<char> {
    let m = BULLET.find(unit)?;
    let c = unit[m.start()..m.end()].trim().chars().next()?;
    Some(if c.is_ascii_digit() { '1' } else { c })
}

/// The task of a listed point: its first line and the lines that continue
/// it (a line wrapped within a sentence starts in lower case), to the end
/// of its first sentence; what follows ("Bakgrund: …", a deadline) is said
/// of the task, not part of it.
fn list_point_task(unit: &str) -> Option<String> {
    let mut lines = unit.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut task = strip_item_marker(lines.next()?).trim().to_owned();
    for l in lines {
        if !l.chars().next().is_some_and(char::is_lowercase) {
            break;
        }
        task.push(' ');
        task.push_str(l);
    }
    let task = first_sentence(&task);
    let task = task.trim_end_matches(['.', ',', ';']).trim();
    (!task.is_empty()).then(|| task.to_owned())
}

/// The state's assignment to one of its agencies ("Regeringen har gett
/// Boverket i uppdrag att …"), told in a council body's document:
/// the background of its matter, not one of its commitments.
fn states_assignment(clause: &str, record: &Record) -> bool {
    static STATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:regeringen|riksdagen)\b").expect("valid regex"));
    record.body.is_some()
        && ASSIGN_GIVE
            .find(clause)
            .is_some_and(|m| STATE.is_match(&clause[..m.start()]))
}

/// "den 28 september 2020 samhällsbyggnadsnämnden" → "samhällsbyggnadsnämnden";
/// "2022 kommunstyrelsen" → "kommunstyrelsen"; "(§ 88) kommunstyrelsen" too.
fn clean_responsible(raw: &str) -> String {
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?xi)^(?:\s*(?:den\s+\d{{1,2}}\s+(?:{MONTH_ALT})(?:\s+\d{{4}})?|\d{{4}}-\d\d-\d\d|\d{{4}}|\(§\s*\d+\)|§\s*\d+|också|även|därför|nu)\s*,?)+"
        ))
        .expect("valid regex")
    });
    let s = LEAD.replace(raw.trim(), "");
    let s = s.trim();
    let s = s.strip_prefix("att ").unwrap_or(s);
    // "… förslag förts fram om att Energimyndigheten": the party is what
    // follows the last clause word.
    let lower = crate::lowercase_keeping_offsets(s);
    let cut = [" att ", " som ", " om ", " varför ", " då ", " när "]
        .iter()
        .filter_map(|w| lower.rfind(w).map(|i| i + w.len()))
        .max()
        .unwrap_or(0);
    let s = s[cut..]
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut words: Vec<&str> = s.split_whitespace().collect();
    // "det idag saknas tydliga mål och nämnden (ges i uppdrag)": a clause
    // with its own verb before "och" is no part of the party after it.
    if let Some(v) = words.iter().position(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "saknas" | "finns" | "är" | "var" | "behövs" | "anges" | "framgår" | "råder"
        )
    }) && let Some(och) = words.iter().rposition(|w| *w == "och")
        && och > v
    {
        words.drain(..=och);
    }
    // A section's label run into its first sentence ("Ärendebeskrivning
    // Kulturförvaltningen har fått i uppdrag …") is no part of the party.
    if let Some(k) = (1..words.len().min(4))
        .rev()
        .find(|&k| crate::protocol::is_section_label(&words[..k].join(" ")))
    {
        words.drain(..k);
    }
    // A modal ("bör få i uppdrag", "skulle kunna ges") proposes or
    // supposes; a long phrase is a sentence, not a party.
    let modal = words.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "bör" | "borde" | "kan" | "kunde" | "skulle" | "vill" | "måste" | "kunna"
                // "… inte fick i uppdrag", "en samordnare som får i uppdrag"
                | "inte" | "ej" | "aldrig" | "som" | "att" | "om"
        )
    });
    // An indefinite pronoun is no party: "nämnden ger någon i uppdrag
    // att …" defines what a delegation is.
    let indefinite = words.len() <= 3
        && words.iter().any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "någon" | "något" | "några" | "man" | "vem" | "vilken" | "annan" | "andra"
            )
        });
    if modal || indefinite || words.len() > 24 || words.is_empty() {
        return String::new();
    }
    words.join(" ")
}

/// The task without a trailing deadline clause's comma and the like, and
/// without a deadline written before it ("senast 2025-06-30 redovisa …").
fn task_text(raw: &str) -> String {
    let t = normalize(raw);
    let t = t.trim_end_matches(['.', ',', ';', ':', '”', '"']);
    let t = t.strip_prefix("att ").unwrap_or(t);
    let t = match WHEN.find(t) {
        Some(m) if m.start() == 0 && t[m.end()..].starts_with(' ') => t[m.end()..].trim_start(),
        _ => t,
    };
    t.trim().to_owned()
}

/// Words that end the name of who carries out work: a body, an office,
/// a unit or an officer ("förvaltningen", "HR-chefen", "kommundirektören",
/// "miljöstrategen").
const PARTY_ENDINGS: &[&str] = &[
    "förvaltningen",
    "förvaltningarna",
    "nämnden",
    "nämnderna",
    "styrelsen",
    "fullmäktige",
    "kontoret",
    "enheten",
    "avdelningen",
    "sekretariatet",
    "chefen",
    "chef",
    "direktören",
    "direktör",
    "strategen",
    "samordnaren",
    "controllern",
    "controller",
    "handläggaren",
    "rådgivningen",
    "bolaget",
];

/// Whether `p` names one who can carry a task: a body, or words ending in
/// one that names a party ("nämnderna", "förvaltningen", "kommundirektören").
fn names_a_party(p: &str) -> bool {
    let last = p.rsplit(' ').next().unwrap_or(p).to_lowercase();
    is_body(p) || PARTY_ENDINGS.iter().any(|e| last.ends_with(e))
}

/// The one who carries out what a sentence says, when the sentence
/// begins with it and a verb follows ("Förvaltningen återrapporterar …",
/// "Kommundirektören ska revidera …"): the party and the rest, without
/// "ska".
fn party_subject(clause: &str) -> Option<(String, String)> {
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<p>\p{Lu}[\p{L}-]*(?:\s+(?:och\s+)?[\p{L}-]+){0,3}?)\s+(?:(?:ska|skall)\s+)?(?P<rest>\p{Ll}\p{L}*(?:r|s)\s.+|\p{Ll}\p{L}*a\s.+)$")
            .expect("valid regex")
    });
    // A point of a decision's list ("att förvaltningen ska redovisa …")
    // has its subject after "att", in lower case.
    let clause = clause.trim();
    let owned;
    let clause = match clause.strip_prefix("att ") {
        Some(rest) => {
            let mut chars = rest.chars();
            owned = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default();
            owned.as_str()
        }
        None => clause,
    };
    let c = SUBJECT.captures(clause)?;
    let p = c["p"].trim();
    if !names_a_party(p) {
        return None;
    }
    let rest = &c["rest"];
    // "ska" must come before an infinitive; a present verb stands alone.
    let modal = clause[p.len()..].trim_start().starts_with("sk");
    if !modal && !rest.split(' ').next().is_some_and(|v| v.ends_with('r')) {
        return None;
    }
    Some((p.to_owned(), rest.to_owned()))
}

/// Who carries a deadline-bearing item with no assignment: who leads it
/// ("Arbetet ska ledas av kommunledningskontoret"), or the body it names first.
fn responsible_of(item: &str, record: &Record) -> Option<String> {
    if let Some(c) = LED_BY.captures(item) {
        return Some(responsible_name(&c["r"], record));
    }
    find_bodies(item)
        .first()
        .map(|(b, _, _)| b.clone())
        .or_else(|| record.body.clone())
}

pub(super) fn strip_item_marker(s: &str) -> &str {
    match BULLET.find(s) {
        Some(m) if m.start() == 0 => &s[m.end()..],
        _ => s,
    }
}

/// Units of running text: list items (bulleted, numbered, or decision
/// clauses that start a line with "att"), else paragraphs. Lines used by
/// tables and status sections, and section labels, are skipped.
fn units(lines: &[Line<'_>], used: &[bool]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    let mut prev: &str = "";
    for (i, l) in lines.iter().enumerate() {
        // A section's label on a line of its own ("Beslut",
        // "Ärendebeskrivning") ends what goes before and is no part of
        // what follows.
        if used[i] || l.is_blank() || crate::protocol::is_section_label(l.text) {
            if let Some(u) = cur.take() {
                out.push(u);
            }
            prev = "";
            continue;
        }
        let t = l.text.trim();
        let att_item = t.starts_with("att ")
            && (prev.is_empty()
                || prev.ends_with([',', ';', ':', '.'])
                || prev.ends_with("beslutar")
                || prev.ends_with("besluta"));
        let starts_item = BULLET.is_match(l.text) || att_item;
        match cur.as_mut() {
            Some(u) if !starts_item => u.1 = l.end(),
            _ => {
                if let Some(u) = cur.take() {
                    out.push(u);
                }
                cur = Some((l.start, l.end()));
            }
        }
        prev = t;
    }
    if let Some(u) = cur {
        out.push(u);
    }
    out
}

/// Sentences of a unit, each split further at ", och att" / ", att" where
/// one sentence carries two decisions.
fn clauses(unit: &str) -> Vec<&str> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r",?\s+(?:och|samt)\s+att\s+|,\s+att\s+").expect("valid regex")
    });
    let mut out = Vec::new();
    for (a, b) in sentences(unit) {
        let s = &unit[a..b];
        let mut last = 0;
        for m in SPLIT.find_iter(s) {
            // Split only when both halves make a decision of their own.
            let left = &s[last..m.start()];
            let right = &s[m.end()..];
            let assigns = ASSIGN_GIVE.is_match(left)
                || ASSIGN_UPPDRA.is_match(left)
                || ASSIGN_UPPDRAS.is_match(left)
                || ASSIGN_PASSIVE.is_match(left)
                || ASSIGN_INVERTED.is_match(left);
            if (deadline_in(left, false).is_some() || assigns)
                && (OBLIGATION.is_match(right) || deadline_in(right, false).is_some())
            {
                out.push(left);
                last = m.start()
                    + (m.as_str().len() - m.as_str().trim_start_matches([',', ' ']).len());
            }
        }
        out.push(&s[last..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitments::test_support::{range, record};
    use crate::commitments::{Cited, find_commitments};

    #[test]
    fn a_decisions_points_oblige_their_party_and_set_the_report_back() {
        let mut r = record(DocKind::Decision, Some("Kommunstyrelsen"));
        r.date = kedja_model::parse_iso_date("2031-02-25");
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let text = "\u{a7} 19 Medborgarförslag om en brygga\n\n\
            Ärendebeskrivning\nFörslagsställaren vill att tekniska förvaltningen ska återkomma med en plan.\n\n\
            Beslut\nKommunstyrelsen beslutar:\n\n\
            - att överlämna medborgarförslaget till tekniska förvaltningen för vidare beredning,\n\n\
            - att beredningen ska omfatta en översiktlig tidplan,\n\n\
            - att återkomma under 2031.\n\n\
            - att fritidsförvaltningen ska återkomma till kommunstyrelsen med förslag på en ny taxa.\n";
        let found = find_commitments(text, &r).commitments;
        let got: Vec<(Option<&str>, &str, Option<kedja_model::DateRange>)> = found
            .iter()
            .map(|c| (c.responsible.as_deref(), c.task.as_str(), c.deadline))
            .collect();
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[0].0, Some("Tekniska förvaltningen"), "{got:#?}");
        assert_eq!(got[0].2, Some(range("2031-01-01", "2031-12-31")));
        assert_eq!(got[1].0, Some("Fritidsförvaltningen"), "{got:#?}");
        assert!(
            got[1].1.starts_with("återkomma till kommunstyrelsen"),
            "{got:#?}"
        );
        assert_eq!(got[1].2, None);
        // What a body is or may do is no task.
        let text = "\u{a7} 20 Reglemente\n\nBeslut\nKommunstyrelsen beslutar:\n\n\
            - att socialnämnden ska vara personalorgan för sin förvaltning.\n";
        assert!(find_commitments(text, &r).commitments.is_empty());
    }

    #[test]
    fn an_assignment_opening_a_numbered_list_gives_each_point_to_its_party() {
        let mut r = record(DocKind::Decision, Some("Kommunfullmäktige"));
        r.date = kedja_model::parse_iso_date("2031-03-27");
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let text = "\u{a7} 40 Framtidens badplatser\n\n\
            Beslut\nKommunfullmäktige beslutar:\n\n\
            - att notera informationen\n\n\
            - att ge fritidsnämnden i uppdrag att:\n\
            \u{20}   1. Utreda hur badplatsen vid Norrviken kan göras tillgänglig\n\
            för personer med funktionsnedsättning\n\
            Bakgrund till uppdraget: många har efterfrågat en ramp.\n\
            \u{20}   2. Kartlägga behovet av livräddare vid kommunens badplatser.\n\n\
            Bakgrund: badplatserna har fler besökare än förr.\n\n\
            Kartläggningen ska redovisas senast i maj 2032. En delredovisning ska\n\
            redovisas senast i december 2031.\n\n\
            \u{20}   3. Ta fram en plan för underhåll av bryggorna\n\n\
            Bakgrund: bryggorna byggdes på 1970-talet.\n\n\
            Flera av dem har skadats av isen.\n\n\
            Planen ska redovisas senast i juni 2032.\n\n\
            - att uppdraget ska redovisas för kommunfullmäktige senast vid decembersammanträdet 2031.\n\n\
            Beslutet expedieras till:\nFritidsnämnden\n";
        let found = find_commitments(text, &r).commitments;
        let got: Vec<(Option<&str>, &str, Option<kedja_model::DateRange>)> = found
            .iter()
            .map(|c| (c.responsible.as_deref(), c.task.as_str(), c.deadline))
            .collect();
        assert_eq!(got.len(), 3, "{got:#?}");
        for (c, start) in got.iter().zip([
            "Utreda hur badplatsen",
            "Kartlägga behovet",
            "Ta fram en plan",
        ]) {
            assert_eq!(c.0, Some("Fritidsnämnden"), "{got:#?}");
            assert!(c.1.starts_with(start), "{got:#?}");
        }
        assert!(got[0].1.ends_with("funktionsnedsättning"), "{got:#?}");
        // A point's own deadline, else the one the decision gives them all.
        assert_eq!(
            got[1].2,
            Some(range("2032-05-01", "2032-05-31")),
            "{got:#?}"
        );
        assert_eq!(
            got[0].2,
            Some(range("2031-12-01", "2031-12-31")),
            "{got:#?}"
        );
        assert_eq!(
            got[2].2,
            Some(range("2032-06-01", "2032-06-30")),
            "{got:#?}"
        );
    }

    #[test]
    fn a_list_of_points_ends_where_the_decision_goes_on() {
        let mut r = record(DocKind::Decision, Some("Kommunfullmäktige"));
        r.date = kedja_model::parse_iso_date("2031-03-27");
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let found = |text: &str| {
            find_commitments(text, &r)
                .commitments
                .into_iter()
                .map(|c| (c.responsible.unwrap_or_default(), c.task, c.deadline))
                .collect::<Vec<_>>()
        };
        // A point of another kind, with an assignment of its own.
        let got = found(
            "Beslut\nKommunfullmäktige beslutar:\n\n\
             1. Fritidsnämnden ges i uppdrag att:\n- utreda en ny simhall\n\
             - kartlägga behovet av livräddare\n\n\
             2. Kommunstyrelsen får i uppdrag att ta fram en plan för bryggorna.\n",
        );
        assert_eq!(got.len(), 3, "{got:#?}");
        assert_eq!(got[2].0, "Kommunstyrelsen", "{got:#?}");
        // A deadline given to another party after the list is that
        // party's; a later point's deadline is not an earlier point's.
        let got = found(
            "Beslut\nKommunfullmäktige beslutar:\n\n\
             - att ge fritidsnämnden i uppdrag att:\n\n\
             1. Utreda en ny simhall\n\n\
             2. Kartlägga behovet av livräddare\n\
             Kartläggningen ska redovisas senast i maj 2032.\n\n\
             Fritidsnämnden ska samråda med räddningstjänsten senast i oktober 2031.\n\n\
             - att kommunstyrelsen ska återkomma med en finansieringsplan senast i juni 2032.\n",
        );
        let by = |who: &str, task: &str| {
            got.iter()
                .find(|c| c.0 == who && c.1.starts_with(task))
                .unwrap_or_else(|| panic!("{who}: {task} in {got:#?}"))
                .2
        };
        assert_eq!(by("Fritidsnämnden", "Utreda"), None, "{got:#?}");
        assert_eq!(
            by("Fritidsnämnden", "Kartlägga"),
            Some(range("2032-05-01", "2032-05-31"))
        );
        assert_eq!(
            by("Kommunstyrelsen", "återkomma"),
            Some(range("2032-06-01", "2032-06-30"))
        );
        // What a point's background tells of the past is no deadline of
        // the point; a line of another party after a report is its own.
        let got = found(
            "Beslut\nKommunfullmäktige beslutar:\n\n\
             - att ge fritidsnämnden i uppdrag att:\n\n\
             1. Utreda en ny simhall\n\
             Bakgrund till uppdraget: kommunstyrelsen skulle ha utrett frågan senast i december 2030.\n\n\
             Uppdraget ska redovisas senast i juni 2032. Socialnämnden ska redovisa sin plan för badvakter senast i maj 2032.\n",
        );
        assert_eq!(
            by_task(&got, "Utreda"),
            Some(range("2032-06-01", "2032-06-30")),
            "{got:#?}"
        );
        assert!(got.iter().any(|c| c.0 == "Socialnämnden"), "{got:#?}");
        // Told as given earlier, before the decision: the points are the
        // earlier assignment's, told again.
        let told = find_commitments(
            "Ärendebeskrivning\nKommunfullmäktige gav 2029 fritidsnämnden i uppdrag att:\n\n\
             1. Utreda en ny simhall.\n\n\
             2. Kartlägga behovet av livräddare.\n\n\
             Beslut\nKommunfullmäktige beslutar att lägga redovisningen till handlingarna.\n",
            &r,
        )
        .commitments;
        assert_eq!(told.len(), 2, "{told:#?}");
        assert!(told.iter().all(|c| c.restated), "{told:#?}");
        // "Sammanfattning av ärendet" closes the decision: the motion's
        // proposals it tells are no commitments.
        let got = found(
            "Beslut\nKommunfullmäktige avslår motionen.\n\n\
             Sammanfattning av ärendet\nMotionärerna föreslår att kommunfullmäktige beslutar följande:\n\n\
             - att ge fritidsnämnden i uppdrag att bygga en bastu.\n",
        );
        assert!(got.is_empty(), "{got:#?}");
    }

    fn by_task(
        got: &[(String, String, Option<kedja_model::DateRange>)],
        task: &str,
    ) -> Option<kedja_model::DateRange> {
        got.iter().find(|c| c.1.starts_with(task)).and_then(|c| c.2)
    }

    #[test]
    fn an_assignment_named_by_its_kind_is_given_to_its_party() {
        let mut r = record(DocKind::Decision, Some("Kommunfullmäktige"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let text = "\u{a7} 88 Budget 2032\n\nBeslut\nKommunfullmäktige beslutar:\n\n\
            - att fastställa budgeten för år 2032,\n\n\
            - att ge nämnderna utredningsuppdrag i enlighet med bilaga 3,\n\n\
            - att ge sitt stöd till föreningarnas arbete med uppdraget.\n";
        let found = find_commitments(text, &r).commitments;
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].responsible.as_deref(), Some("Nämnderna"));
        assert_eq!(found[0].task, "utredningsuppdrag i enlighet med bilaga 3");
    }

    #[test]
    fn decision_clauses_with_assignments_and_deadlines() {
        let text = "Kommunfullmäktige bifaller initiativet och beslutar\n\n\
            att kommunstyrelsen ges i uppdrag att ta fram riktlinjer för\n\
            arbetet mot hedersrelaterat våld, som ska återredovisas till\n\
            kommunstyrelsen senast april 2017,\n\n\
            att socialnämnden och kultur- och fritidsnämnden ges i uppdrag\n\
            att ta fram handlingsplaner, som ska implementeras under 2017.\n";
        let found = find_commitments(text, &record(DocKind::Decision, Some("Kommunfullmäktige")));
        let c = &found.commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kommunstyrelsen"));
        assert!(c[0].task.starts_with("ta fram riktlinjer"), "{}", c[0].task);
        assert_eq!(c[0].deadline, Some(range("2017-04-01", "2017-04-30")));
        assert_eq!(
            c[1].responsible.as_deref(),
            Some("Socialnämnden och kultur- och fritidsnämnden")
        );
        assert_eq!(c[1].deadline, Some(range("2017-01-01", "2017-12-31")));
        assert!(!c[0].restated && !c[1].restated);
    }

    #[test]
    fn a_deadline_in_the_next_sentence_belongs_to_the_assignment() {
        let text = "Barn- och utbildningsnämnden beslutar att ge förvaltningen i uppdrag att utreda hur trygghetsvärdar kan införas.\n\n\
            Uppdraget ska återrapporteras till barn- och utbildningsnämnden senast i oktober 2023.\n";
        let found = find_commitments(
            text,
            &record(DocKind::Decision, Some("Barn- och utbildningsnämnden")),
        );
        assert_eq!(found.commitments.len(), 1, "{found:#?}");
        let c = &found.commitments[0];
        assert_eq!(
            c.responsible.as_deref(),
            Some("Barn- och utbildningsnämnden")
        );
        assert_eq!(c.deadline, Some(range("2023-10-01", "2023-10-31")));
        assert!(c.evidence.contains("senast i oktober 2023"));
    }

    #[test]
    fn what_was_done_is_no_obligation_and_what_shall_be_is() {
        for told in [
            "Under 2029 utfördes cirka 9 000 uppdrag, något färre än väntat",
            "Taxan beslutades i fullmäktige senast den 4 mars 2030, § 12 och behöver ses över",
            "Nämnden fastställde planen den 3 maj 2029 och har därefter reviderat den (senast reviderad 2 maj 2031)",
        ] {
            assert!(narrated(told), "{told}");
        }
        for obliges in [
            "Uppdraget ska återrapporteras senast den 1 oktober 2026",
            "Förvaltningen får i uppdrag att senast i december 2026 redovisa ett förslag",
            "Uppdraget gavs 2025 och ska redovisas senast 2026-10-01",
            "Uppdraget, som beslutades 2025, återrapporteras senast i oktober 2026",
        ] {
            assert!(!narrated(obliges), "{obliges}");
        }
    }

    #[test]
    fn grants_and_goals_are_not_commitments() {
        let text = "Kommunstyrelsen tillförs 600 000 kronor årligen från och med 2023.\n\n\
            Alla chefer ska ha kunskap om sexuella trakasserier.\n\n\
            Kommunstyrelsen har samordningsansvar för planens genomförande.\n";
        let found = find_commitments(text, &record(DocKind::Decision, None));
        assert!(found.commitments.is_empty(), "{found:#?}");
    }

    #[test]
    fn a_recurring_report_is_a_commitment_with_a_cadence() {
        let text = "Uppföljning av handlingsplanen redovisas årligen för kommunstyrelsen i mars.\n";
        let found = find_commitments(text, &record(DocKind::Plan, None));
        assert_eq!(found.commitments.len(), 1);
        let c = &found.commitments[0];
        assert_eq!(c.cadence.as_deref(), Some("årligen i mars"));
        assert_eq!(c.responsible.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(c.deadline, None);
    }

    #[test]
    fn a_governing_document_s_recurring_duties_are_standing_rules() {
        let text = "Delegationsbesluten redovisas för nämnden månadsvis.\n\nRutinen ska utvärderas årligen.\n";
        for title in [
            "Delegationsordning för tekniska nämnden",
            "Rutin för att hantera hot mot förtroendevalda",
            "Reglemente för ersättningar",
        ] {
            let rec = Record {
                title: title.to_owned(),
                ..record(DocKind::Plan, Some("Kommunstyrelsen"))
            };
            let found = find_commitments(text, &rec);
            assert!(
                found.commitments.is_empty(),
                "{title}: {:#?}",
                found.commitments
            );
        }
        let rec = Record {
            title: "Handlingsplan för trygghet".to_owned(),
            ..record(DocKind::Plan, Some("Kommunstyrelsen"))
        };
        assert_eq!(find_commitments(text, &rec).commitments.len(), 2);
    }

    #[test]
    fn arguments_in_an_interpellation_are_not_commitments() {
        let text = "Både i och utanför riksdagen har förslag förts fram om att Energimyndigheten bör få i uppdrag att utreda frågan.\n\n\
            Utredningen om män och jämställdhet inte fick i uppdrag att lägga fram förslag.\n\n\
            Det enkla är att regeringen utser en samordnare som får i uppdrag att samla åtgärderna.\n\n\
            Under 1990-talet byggdes kanalen upp och skulle sända lokala program.\n\n\
            Enligt budgetlagen ska regeringen två gånger per år redovisa hur målet har nåtts.\n\n\
            Regeringen gav 2012 Medlingsinstitutet i uppdrag att kartlägga löneskillnaderna.\n";
        let found = find_commitments(text, &record(DocKind::Interpellation, None));
        let c = &found.commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Medlingsinstitutet"));
        assert!(c[0].restated);
        assert_eq!(deadline_in("under 1990-talet", false), None);
    }

    #[test]
    fn the_states_assignments_told_in_a_boards_matter_are_background() {
        let text = "Regeringen har gett Boverket i uppdrag att under 2031 fördela bidrag till kommunerna.\n\n\
            Nämnden ger förvaltningen i uppdrag att söka bidraget.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Fritidsnämnden"))).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].task, "söka bidraget");
        // Where the state is the matter (a question to a minister), they
        // are what is asked about.
        let c = find_commitments(text, &record(DocKind::Interpellation, None)).commitments;
        assert_eq!(c[0].responsible.as_deref(), Some("Boverket"), "{c:#?}");
    }

    #[test]
    fn what_can_be_done_is_no_promise() {
        let text = "Med en ny läsplan varje höst kan listan redovisas löpande.\n\n\
            Föreningarna ges möjlighet att lämna synpunkter senast 2031-05-01.\n\n\
            Synpunkterna ska redovisas för nämnden senast 2031-06-01 så att beslut kan fattas.\n\n\
            Planen redovisas årligen för nämnden.\n\n\
            Uppdrag att kartlägga lokalerna under 2031 för att kunna planera bättre.\n";
        let c = find_commitments(text, &record(DocKind::Plan, Some("Kulturnämnden"))).commitments;
        assert_eq!(c.len(), 3, "{c:#?}");
        assert!(
            c[2].task.starts_with("Uppdrag att kartlägga"),
            "a purpose: {c:#?}"
        );
        assert!(
            c[0].task.starts_with("Synpunkterna ska redovisas"),
            "{c:#?}"
        );
        assert_eq!(c[1].cadence.as_deref(), Some("årligen"), "{c:#?}");
    }

    #[test]
    fn the_grammar_of_assignments_and_referrals() {
        let text = "Eftersom bryggan är sliten får fritidsförvaltningen i uppdrag att utreda en ny brygga.\n\n\
            Nämnden beslutade att uppdra åt ordföranden att ta fram ett förslag till mötesordning samt att reglementet ska ses över inför nästa år.\n\n\
            Medborgarförslaget lämnas till tekniska nämnden för beredning.\n\n\
            Kulturchefen ska redovisa besöksstatistiken årligen i samband med bokslutet.\n\n\
            Skolförvaltningen återrapporterar arbetet till nämnden senast 2030-11-30.\n";
        let found = find_commitments(text, &record(DocKind::Decision, Some("Kulturnämnden")));
        let c = &found.commitments;
        assert_eq!(c.len(), 6, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Fritidsförvaltningen"));
        assert_eq!(c[0].task, "utreda en ny brygga");
        assert_eq!(c[1].responsible.as_deref(), Some("Ordföranden"));
        assert!(c[1].restated, "told as decided earlier");
        assert_eq!(c[2].task, "reglementet ska ses över inför nästa år");
        assert_eq!(c[2].responsible, c[1].responsible);
        assert_eq!(c[3].responsible.as_deref(), Some("Tekniska nämnden"));
        assert_eq!(
            c[3].task,
            "Medborgarförslaget lämnas till tekniska nämnden för beredning"
        );
        assert_eq!(c[4].responsible.as_deref(), Some("Kulturchefen"));
        assert!(
            c[4].task.starts_with("redovisa besöksstatistiken"),
            "{}",
            c[4].task
        );
        assert_eq!(c[5].responsible.as_deref(), Some("Skolförvaltningen"));
        assert_eq!(c[5].deadline, Some(range("2030-11-30", "2030-11-30")));
    }

    #[test]
    fn a_decision_closes_an_assignment_named_by_date_and_paragraph() {
        let text = "Beslut\n\
            Nämnden anser uppdraget från den 3 mars 2030, § 12, slutfört.\n\
            Byggstarten skjuts upp till hösten.\n\
            Rekryteringsmässan avbryts.\n";
        let found = find_commitments(text, &record(DocKind::Decision, None));
        let s = &found.statuses;
        assert_eq!(s.len(), 3, "{s:#?}");
        assert_eq!(s[0].status, CommitmentStatus::Done);
        assert_eq!(
            s[0].cites,
            Some(Cited {
                date: "2030-03-03".into(),
                paragraph: Some(12)
            })
        );
        assert_eq!(s[1].status, CommitmentStatus::Postponed);
        assert_eq!(s[1].subject, "Byggstarten");
        assert_eq!(s[2].status, CommitmentStatus::WrittenOff);
        assert_eq!(s[2].subject, "Rekryteringsmässan");
    }

    #[test]
    fn only_the_decision_of_a_paragraph_decides() {
        let text = "§ 7 Lekplatser\n\nÄrendebeskrivning\n\
            I motionen föreslås att tekniska nämnden ges i uppdrag att bygga fler lekplatser.\n\
            Kommunstyrelsen gav 2029 parkenheten i uppdrag att inventera lekplatserna.\n\n\
            Beslut\n\
            Kommunstyrelsen ger parkenheten i uppdrag att rusta tre lekplatser senast 2030-09-30.\n\
            Kommunstyrelsen ger parkenheten i uppdrag att rusta tre lekplatser senast 2030-09-30.\n\n\
            Expedieras till\nParkenheten\n";
        let mut r = record(DocKind::Decision, Some("Kommunstyrelsen"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let c = find_commitments(text, &r).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert!(c[0].restated && c[0].task.starts_with("inventera"));
        assert!(c[1].task.starts_with("rusta tre lekplatser"));
        assert_eq!(c[1].deadline, Some(range("2030-09-30", "2030-09-30")));
    }

    #[test]
    fn a_point_of_a_decision_with_its_own_subject_and_deadline_is_its_own() {
        let text = "Beslut\nNämnden beslutar\natt anta planen för 2031,\n\
            att ge förvaltningen i uppdrag att återrapportera planens effekter i samband med delårsrapporten,\n\
            att kostenheten ska redovisa en plan för lägre kostnader senast i juni 2031.\n";
        let c = find_commitments(text, &record(DocKind::Decision, Some("Nämnden"))).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert!(c[0].task.starts_with("återrapportera planens effekter"));
        assert_eq!(c[0].deadline, None);
        assert!(
            c[1].task.contains("redovisa en plan för lägre kostnader"),
            "{}",
            c[1].task
        );
        assert_eq!(c[1].deadline, Some(range("2031-06-01", "2031-06-30")));
    }

    #[test]
    fn the_second_task_of_an_assignment_told_as_given_is_told_too() {
        let text = "§ 9 Debatter\n\nÄrendebeskrivning\n\
            Nämnden beslutade att uppdra åt förvaltningen att ta fram en plan för lekplatser samt att taxan ska ses över.\n\
            I motionen föreslås att nämnden ges i uppdrag att utreda saken samt att planen ska ses över.\n\n\
            Beslut\n\
            Kommunstyrelsen föreslår fullmäktige att anta förslaget.\n";
        let mut r = record(DocKind::Decision, Some("Kommunstyrelsen"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let c = find_commitments(text, &r).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert!(c[0].restated && c[0].task.starts_with("ta fram en plan för lekplatser"));
        assert!(
            c[1].restated && c[1].task.starts_with("taxan ska ses över"),
            "{}",
            c[1].task
        );
    }

    #[test]
    fn proposals_and_descriptions_are_not_commitments() {
        let text = "Motionären föreslår att bostadsbolaget ges i uppdrag att bygga om vindarna.

            Kostnaderna för färdtjänst ökar årligen.

            Uppföljningen av planen sker årligen.

            Kulturnämnden följer upp planen årligen.
";
        let c = find_commitments(text, &record(DocKind::StaffReport, None)).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kulturnämnden"));
        assert_eq!(c[0].cadence.as_deref(), Some("årligen"));
    }

    #[test]
    fn a_matter_received_for_beredning_is_a_referral_with_its_deadline() {
        let text = "Ärendebeskrivning\n\
            Fritidsnämnden fick den 4 april 2031 medborgarförslaget för vidare beredning och för besvarande innan 1 september 2031.\n\n\
            Beslut\nMedborgarförslaget bifalls.\n";
        let mut r = record(DocKind::Decision, Some("Kommunstyrelsen"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let c = find_commitments(text, &r).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Fritidsnämnden"));
        assert!(
            c[0].task
                .starts_with("medborgarförslaget för vidare beredning")
        );
        assert_eq!(c[0].deadline, Some(range("2031-09-01", "2031-09-01")));
        assert!(c[0].restated);
        let none = "Eleven fick den 4 april 2031 stöd för vidare studier.\n";
        assert!(find_commitments(none, &r).commitments.is_empty());
    }

    #[test]
    fn a_report_that_will_be_given_with_the_accounts_is_a_commitment() {
        let text = "En uppföljning av arbetet kommer att redovisas i samband med nämndens årsbokslut 2031.\n\n\
            Arbetet kommer att pågå i samband med budgeten.\n\n\
            Planen följs upp i samband med delårsrapporten.\n";
        let c = find_commitments(text, &record(DocKind::StaffReport, Some("Fritidsnämnden")))
            .commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[1].task, "Planen följs upp i samband med delårsrapporten");
        assert!(
            c[0].task
                .starts_with("En uppföljning av arbetet kommer att redovisas")
        );
        assert_eq!((c[0].deadline, c[0].cadence.as_deref()), (None, None));
    }

    #[test]
    fn an_assignment_to_nobody_in_particular_defines_and_does_not_commit() {
        let text = "Med delegation menas att nämnden låter någon annan få i uppdrag att besluta åt den.\n\n\
            Om man får i uppdrag att besluta ska beslutet anmälas.\n\n\
            Nämnden ger förvaltningen i uppdrag att se över listan senast 2031-03-01.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Fritidsnämnden"))).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert!(c[0].task.starts_with("se över listan"), "{c:#?}");
    }

    #[test]
    fn an_assignment_told_with_uppdras_or_uppdra_till() {
        let text = "Parkförvaltningen uppdras att inventera stadens lekplatser.\n\n\
            Uppdra till kulturchefen att ta fram en plan för biblioteken.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Kulturnämnden"))).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Parkförvaltningen"));
        assert_eq!(c[0].task, "inventera stadens lekplatser");
        assert_eq!(c[1].responsible.as_deref(), Some("Kulturchefen"));
        assert_eq!(c[1].task, "ta fram en plan för biblioteken");
    }

    #[test]
    fn a_section_label_on_its_own_line_begins_no_sentence() {
        let text = "Beslut\nÄrendet återremitteras till tekniska nämnden för komplettering.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Kommunstyrelsen"))).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(
            c[0].task,
            "Ärendet återremitteras till tekniska nämnden för komplettering"
        );
    }

    #[test]
    fn a_deadline_without_its_year_is_the_next_after_the_decision() {
        // The record is decided on 2023-01-01.
        let text = "Skolförvaltningen får i uppdrag att återrapportera till nämnden i februari.\n\n\
            Fritidsförvaltningen får i uppdrag att se över taxorna senast den 30 september.\n\n\
            Kulturförvaltningen får i uppdrag att ordna en utställning under maj.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Kulturnämnden"))).commitments;
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(c[0].deadline, Some(range("2023-02-01", "2023-02-28")));
        assert_eq!(c[1].deadline, Some(range("2023-09-30", "2023-09-30")));
        // "under maj" may name when, not by when.
        assert_eq!(c[2].deadline, None);
        let mut late = record(DocKind::Decision, Some("Kulturnämnden"));
        late.date = kedja_model::parse_iso_date("2023-10-15");
        let c = find_commitments(text, &late).commitments;
        assert_eq!(c[0].deadline, Some(range("2024-02-01", "2024-02-29")));
        assert_eq!(c[1].deadline, Some(range("2024-09-30", "2024-09-30")));
    }

    #[test]
    fn a_clause_before_and_is_no_part_of_the_party_after_it() {
        let text = "I budgeten anges att det saknas en plan för bad och fritidsnämnden ges i uppdrag att ta fram en badplan.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Kommunstyrelsen"))).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Fritidsnämnden"));
        assert_eq!(c[0].task, "ta fram en badplan");
    }

    #[test]
    fn a_section_label_run_into_the_sentence_is_no_part_of_the_party() {
        // A reader that lost the line break runs the label into the
        // sentence; on a line of its own it begins none (see above).
        let text = "Ärendebeskrivning Kulturförvaltningen har fått i uppdrag att ta fram en plan för läsfrämjande.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Kulturnämnden"))).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kulturförvaltningen"));
        assert!(c[0].restated);
    }

    #[test]
    fn points_listed_after_a_proposing_lead_in_are_proposals() {
        let text = "Motionärerna föreslår att kommunfullmäktige beslutar följande\n\n\
            1.  Att ge kulturnämnden i uppdrag att utreda fler läsplatser.\n\
            2.  Att ge fritidsnämnden i uppdrag att bygga en bastu.\n\n\
            Motionens andra att-sats avser att ge fritidsnämnden i uppdrag att bygga en bastu.\n\n\
            Kommunfullmäktige ger kulturnämnden i uppdrag att inventera läsplatserna.\n";
        let c = find_commitments(text, &record(DocKind::StaffReport, None)).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].task, "inventera läsplatserna");
        // A board's own proposal in the "Beslut" of its § is what the §
        // decides to propose.
        let mut r = record(DocKind::Decision, Some("Kommunstyrelsen"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let text = "§ 12 Läsplatser\n\nÄrendebeskrivning\n\
            Motionärerna föreslår att kommunfullmäktige beslutar följande:\n\n\
            - att ge fritidsnämnden i uppdrag att bygga en bastu.\n\n\
            Beslut\nKommunstyrelsen föreslår kommunfullmäktige besluta:\n\n\
            - att uppdra åt kulturnämnden att utreda fler läsplatser.\n";
        let found = find_commitments(text, &r);
        let c = &found.commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kulturnämnden"));
        assert!(found.proposed);
    }

    #[test]
    fn an_obligation_told_by_a_verb_beginning_with_a_swedish_letter_obliges() {
        let text = "Beslut\nArbetet återrapporteras till nämnden i oktober 2026.\n";
        let c =
            find_commitments(text, &record(DocKind::Decision, Some("Kulturnämnden"))).commitments;
        assert_eq!(c.len(), 1, "{c:#?}");
        assert_eq!(c[0].deadline, Some(range("2026-10-01", "2026-10-31")));
    }

    #[test]
    fn words_beginning_with_a_swedish_letter_are_words() {
        let text = "Beslut\n\
            Ärendet återremitteras till kulturnämnden för komplettering med en kostnadskalkyl.\n\
            Då lokalen stängs får förvaltningen i uppdrag att hitta en ny samlingslokal.\n";
        let c = find_commitments(text, &record(DocKind::Decision, None)).commitments;
        assert_eq!(c.len(), 2, "{c:#?}");
        assert_eq!(c[0].responsible.as_deref(), Some("Kulturnämnden"));
        assert_eq!(c[1].responsible.as_deref(), Some("Förvaltningen"));
        assert_eq!(c[1].task, "hitta en ny samlingslokal");
    }
}
