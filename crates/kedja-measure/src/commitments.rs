//! Scoring tracked commitments and their statuses against a gold file:
//! the demo's (`data/demo-gold.json`), or one of commitments alone scored
//! per half.

use std::collections::HashMap;
use std::path::Path;

use kedja_model::DocId;
use kedja_pipeline::{Archive, source_key};

use crate::gold::{CommitmentsGold, DemoGold, GoldError, Half};
use crate::links::gold_documents;
use crate::score::{Score, ratio};

/// The result of [`evaluate_commitments`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommitmentEvaluation {
    /// Commitments found and stated by a document of the gold corpus.
    pub found: usize,
    pub gold: usize,
    /// Gold commitments matched by a found one (same document, task words).
    pub matched: usize,
    /// Of the matched: deadline, cadence and responsible as in the gold file.
    pub deadline_right: usize,
    pub cadence_right: usize,
    pub responsible_right: usize,
    /// Found commitments with a known status.
    pub status_found: usize,
    /// Gold commitments with a known final status.
    pub status_gold: usize,
    /// Gold commitments whose final status and reporting document are right
    /// (an unknown status is right when nothing reports on it).
    pub status_right: usize,
    /// Of those, the ones with a known status.
    pub known_status_right: usize,
    /// Of those, the gold evidence quoted in the found report.
    pub evidence_right: usize,
    /// Found but not in the gold file: "document: task".
    pub wrong: Vec<String>,
    /// In the gold file but not found, or found with another status.
    pub missing: Vec<String>,
}

impl CommitmentEvaluation {
    /// Commitments found against the gold ones.
    pub fn commitments(&self) -> Score {
        Score::new(self.gold, self.found, self.matched)
    }
    /// Known statuses found against the gold's known statuses.
    pub fn statuses(&self) -> Score {
        Score::new(self.status_gold, self.status_found, self.known_status_right)
    }
    pub fn precision(&self) -> f64 {
        self.commitments().precision()
    }
    pub fn recall(&self) -> f64 {
        self.commitments().recall()
    }
    /// Known statuses found that are right.
    pub fn status_precision(&self) -> f64 {
        self.statuses().precision()
    }
    /// Known gold statuses found.
    pub fn status_recall(&self) -> f64 {
        self.statuses().recall()
    }
    /// `part` of the matched commitments.
    pub fn of_matched(&self, part: usize) -> f64 {
        ratio(part, self.matched)
    }
}

/// Below this share of shared task words a found commitment is not the
/// gold one.
const TASK_MATCH: f32 = 0.4;

/// Compare the tracked commitments of `archive` with the `commitments` of
/// `gold`: each gold commitment names the document that states it, its
/// responsible party, task, deadline or cadence, and the final status with
/// the document that reports it.
pub fn evaluate_commitments(
    archive: &Archive,
    gold: &DemoGold,
    corpus_root: &Path,
) -> Result<CommitmentEvaluation, GoldError> {
    let (id_of, path_of) = gold_documents(archive, gold, corpus_root)?;
    let found: Vec<kedja_model::Commitment> = archive
        .commitments()?
        .into_iter()
        .filter(|c| path_of.contains_key(&c.doc_id))
        .collect();
    let golds = &gold.commitments;
    let mut eval = CommitmentEvaluation {
        found: found.len(),
        gold: golds.len(),
        status_found: found
            .iter()
            .filter(|c| c.status != kedja_model::CommitmentStatus::Unknown)
            .count(),
        ..Default::default()
    };
    let mut used = vec![false; found.len()];
    for g in golds {
        let doc = id_of
            .get(&g.document)
            .ok_or_else(|| GoldError::UnknownDocument {
                what: "commitment",
                path: g.document.clone(),
            })?;
        let gold_toks = kedja_link::tokens(&g.task);
        let best = found
            .iter()
            .enumerate()
            .filter(|(i, c)| !used[*i] && c.doc_id == *doc)
            .map(|(i, c)| {
                (
                    i,
                    kedja_link::dice(&kedja_link::tokens(&c.task), &gold_toks),
                )
            })
            .filter(|(_, score)| *score >= TASK_MATCH)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((i, _)) = best else {
            eval.missing
                .push(format!("{}: {} (not found)", g.document, g.task));
            continue;
        };
        used[i] = true;
        eval.matched += 1;
        let c = &found[i];
        let gold_deadline = g
            .deadline
            .as_ref()
            .map(|d| (d.start.as_str(), d.end.as_str()));
        let our_deadline = c.deadline.map(|d| (d.start.to_string(), d.end.to_string()));
        if our_deadline.as_ref().map(|(a, b)| (a.as_str(), b.as_str())) == gold_deadline {
            eval.deadline_right += 1;
        } else {
            eval.missing.push(format!(
                "{}: {}: deadline {:?}, gold {:?}",
                g.document, g.task, our_deadline, gold_deadline
            ));
        }
        if c.cadence == g.cadence {
            eval.cadence_right += 1;
        }
        if c.responsible
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(&g.responsible))
        {
            eval.responsible_right += 1;
        } else {
            eval.missing.push(format!(
                "{}: {}: responsible {:?}, gold {:?}",
                g.document, g.task, c.responsible, g.responsible
            ));
        }
        let last = c.reports.last();
        let reported_in = last
            .and_then(|r| path_of.get(&r.doc_id))
            .map(String::as_str);
        if g.final_status != "unknown" {
            eval.status_gold += 1;
        }
        if c.status.as_str() == g.final_status && reported_in == g.status_reported_in.as_deref() {
            eval.status_right += 1;
            if c.status != kedja_model::CommitmentStatus::Unknown {
                eval.known_status_right += 1;
            }
            if last.is_some_and(|r| {
                r.evidence
                    .contains(g.status_evidence.as_deref().unwrap_or_default())
            }) {
                eval.evidence_right += 1;
            }
        } else {
            eval.missing.push(format!(
                "{}: {}: status {} in {:?}, gold {} in {}",
                g.document,
                g.task,
                c.status.as_str(),
                reported_in,
                g.final_status,
                g.status_reported_in.as_deref().unwrap_or_default()
            ));
        }
    }
    for (i, c) in found.iter().enumerate() {
        if !used[i] {
            eval.wrong.push(format!(
                "{}: {} [{}]",
                path_of.get(&c.doc_id).map(String::as_str).unwrap_or("?"),
                c.task,
                c.status.as_str()
            ));
        }
    }
    Ok(eval)
}

/// The scores of one half of a commitments gold file (see
/// [`evaluate_commitments_by_half`]).
#[derive(Debug, Clone, PartialEq)]
pub struct HalfEvaluation {
    pub half: Half,
    pub eval: CommitmentEvaluation,
    /// Of the matched: the kind of recurrence ("yearly", "ongoing", none)
    /// as in the gold file.
    pub cadence_kind_right: usize,
}

/// "§ 39", "KS § 120" → 39; "4.1", "Handlingsplan 1" → none.
fn paragraph_number(s: &str) -> Option<u32> {
    let after = s.split('§').nth(1)?;
    after
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// "path" or "path, § N" as a gold file writes where something is said.
fn place(s: &str) -> (String, Option<u32>) {
    match s.split_once(", ") {
        Some((path, para)) if para.contains('§') => (path.to_owned(), paragraph_number(para)),
        _ => (s.to_owned(), None),
    }
}

/// The kind of a recurrence, as a gold file names it.
fn cadence_kind(c: Option<&str>) -> Option<&'static str> {
    let c = c?.to_lowercase();
    Some(
        if c.starts_with("år") || c.starts_with("varje år") || c.contains("per år") || c == "yearly"
        {
            "yearly"
        } else if c.starts_with("löpande") || c == "ongoing" {
            "ongoing"
        } else if c.contains("kvart") || c == "quarterly" {
            "quarterly"
        } else if c.contains("månad") || c == "monthly" {
            "monthly"
        } else if c.contains("halvår") || c.contains("två gånger") || c.contains("termin") {
            "twice_yearly"
        } else {
            "other"
        },
    )
}

/// How well a found task is the gold one: the share of words in common
/// (Dice), or, for a gold task written as the first words of a longer
/// one, the share of its words the found task holds when the found task is
/// not much longer.
fn task_match(found: &[String], gold: &[String]) -> f32 {
    let d = kedja_link::dice(found, gold);
    let covered = kedja_link::similarity(found, gold);
    if found.len() <= 2 * gold.len() + 4 {
        d.max(covered * 0.8)
    } else {
        d
    }
}

/// A gold status as the model names it ("cancelled" is written off).
fn gold_status(s: &str) -> &str {
    match s {
        "cancelled" => "written_off",
        other => other,
    }
}

/// Compare the tracked commitments of `archive` with a gold file of
/// commitments whose documents are paths relative to `corpus_root` (a
/// protocol's § named by `paragraph`), each half apart. `sources` are the
/// source keys of the imported files; every commitment found in one of
/// them counts, in the half of its file's path. A found commitment that
/// restates a gold one in a document the gold file lists in
/// `also_listed_in` counts neither way.
pub fn evaluate_commitments_by_half(
    archive: &Archive,
    gold: &CommitmentsGold,
    corpus_root: &Path,
    sources: &[String],
) -> Result<Vec<HalfEvaluation>, GoldError> {
    let root = source_key(corpus_root);
    let relative = |s: &str| -> String {
        s.strip_prefix(&root)
            .map(|r| r.trim_start_matches('/').to_owned())
            .unwrap_or_else(|| s.to_owned())
    };
    // Every imported document: its path and, for a protocol's §, the §.
    let mut place_of: HashMap<DocId, (String, Option<u32>)> = HashMap::new();
    for s in sources {
        let path = relative(s);
        place_of.insert(DocId::for_source(s), (path.clone(), None));
        for (id, record) in archive.store().parts(s)? {
            let n = record.paragraph.as_deref().and_then(paragraph_number);
            place_of.insert(id, (path.clone(), n));
        }
    }
    let found: Vec<kedja_model::Commitment> = archive
        .commitments()?
        .into_iter()
        .filter(|c| place_of.contains_key(&c.doc_id))
        .collect();
    let golds = &gold.commitments;

    // Pairs above the threshold, best first, each side used once.
    let found_toks: Vec<Vec<String>> = found.iter().map(|c| kedja_link::tokens(&c.task)).collect();
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (gi, g) in golds.iter().enumerate() {
        let doc = &g.document;
        let para = g.paragraph.as_deref().and_then(paragraph_number);
        let gt = kedja_link::tokens(&g.task);
        for (fi, c) in found.iter().enumerate() {
            let (path, n) = &place_of[&c.doc_id];
            if path != doc || (n.is_some() && para.is_some() && *n != para) {
                continue;
            }
            let score = task_match(&found_toks[fi], &gt);
            if score >= TASK_MATCH {
                pairs.push((score, gi, fi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut gold_to: Vec<Option<usize>> = vec![None; golds.len()];
    let mut used = vec![false; found.len()];
    for (_, gi, fi) in pairs {
        if gold_to[gi].is_none() && !used[fi] {
            gold_to[gi] = Some(fi);
            used[fi] = true;
        }
    }
    // Restatements the gold file lists where they stand.
    let mut restatement = vec![false; found.len()];
    for (fi, c) in found.iter().enumerate() {
        if used[fi] {
            continue;
        }
        let (path, _) = &place_of[&c.doc_id];
        restatement[fi] = golds.iter().any(|g| {
            g.also_listed_in.iter().any(|p| place(p).0 == *path)
                && task_match(&found_toks[fi], &kedja_link::tokens(&g.task)) >= TASK_MATCH
        });
    }

    let mut out: Vec<HalfEvaluation> = Half::BOTH
        .into_iter()
        .map(|half| HalfEvaluation {
            half,
            eval: CommitmentEvaluation::default(),
            cadence_kind_right: 0,
        })
        .collect();
    let at = |half: Half| if half == Half::Dev { 0 } else { 1 };
    for (fi, c) in found.iter().enumerate() {
        if restatement[fi] {
            continue;
        }
        let (path, n) = &place_of[&c.doc_id];
        let e = &mut out[at(Half::of(path))].eval;
        e.found += 1;
        if c.status != kedja_model::CommitmentStatus::Unknown {
            e.status_found += 1;
        }
        if !used[fi] {
            e.wrong.push(format!(
                "{path}{}: {} [{}]",
                n.map(|n| format!(" § {n}")).unwrap_or_default(),
                c.task,
                c.status.as_str()
            ));
        }
    }
    for (gi, g) in golds.iter().enumerate() {
        let half = &mut out[at(Half::of(&g.document))];
        let e = &mut half.eval;
        let label = format!(
            "{} {} {}: {}",
            g.id,
            g.document,
            g.paragraph.as_deref().unwrap_or_default(),
            g.task
        );
        e.gold += 1;
        let status = gold_status(&g.status);
        if status != "unknown" {
            e.status_gold += 1;
        }
        let Some(fi) = gold_to[gi] else {
            e.missing.push(format!("{label} (not found)"));
            continue;
        };
        e.matched += 1;
        let c = &found[fi];
        let gold_deadline = g
            .deadline
            .as_ref()
            .map(|d| (d.start.clone(), d.end.clone()));
        let our_deadline = c.deadline.map(|d| (d.start.to_string(), d.end.to_string()));
        if our_deadline == gold_deadline {
            e.deadline_right += 1;
        } else {
            e.missing.push(format!(
                "{label}: deadline {our_deadline:?}, gold {gold_deadline:?} ({:?})",
                g.deadline_text.as_deref().unwrap_or_default()
            ));
        }
        if cadence_kind(c.cadence.as_deref()) == cadence_kind(g.cadence.as_deref()) {
            half.cadence_kind_right += 1;
            e.cadence_right += 1;
        } else {
            e.missing.push(format!(
                "{label}: cadence {:?}, gold {:?}",
                c.cadence,
                g.cadence.as_deref()
            ));
        }
        if c.responsible
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(g.responsible.as_deref().unwrap_or_default()))
        {
            e.responsible_right += 1;
        }
        // The report that gives the status: the latest that says it.
        let report = c.reports.iter().rev().find(|r| r.status == c.status);
        let reported = report.and_then(|r| place_of.get(&r.doc_id));
        let gold_place = g.status_reported_in.as_deref().map(place);
        let place_right = match (reported, &gold_place) {
            (_, None) => true,
            (Some((p, n)), Some((gp, gn))) => p == gp && (n.is_none() || gn.is_none() || n == gn),
            (None, Some(_)) => false,
        };
        if c.status.as_str() == status && (status == "unknown" || place_right) {
            e.status_right += 1;
            if status != "unknown" {
                e.known_status_right += 1;
            }
        } else {
            e.missing.push(format!(
                "{label}: status {} in {:?}, gold {status} in {:?}",
                c.status.as_str(),
                reported.map(|(p, n)| format!(
                    "{p}{}",
                    n.map(|n| format!(", § {n}")).unwrap_or_default()
                )),
                g.status_reported_in.as_deref()
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_paragraphs_as_gold_files_write_them() {
        assert_eq!(
            place("x/protokoll.pdf, § 39"),
            ("x/protokoll.pdf".to_owned(), Some(39))
        );
        assert_eq!(place("y.txt, KS § 120"), ("y.txt".to_owned(), Some(120)));
        assert_eq!(place("z.pdf"), ("z.pdf".to_owned(), None));
        assert_eq!(paragraph_number("Handlingsplan 1"), None);
        assert_eq!(cadence_kind(Some("årligen i mars")), Some("yearly"));
        assert_eq!(cadence_kind(Some("löpande")), Some("ongoing"));
        assert_eq!(cadence_kind(None), None);
    }
}
