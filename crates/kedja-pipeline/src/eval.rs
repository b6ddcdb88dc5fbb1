//! Scoring the links of an archive against a gold file (`data/demo-gold.json`
//! and any file of the same shape).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use kedja_model::DocId;
use serde_json::Value;

use crate::{Archive, source_key};

/// Precision and recall of one link type (or of all together).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeScore {
    pub link_type: String,
    pub gold: usize,
    pub found: usize,
    pub correct: usize,
}

impl TypeScore {
    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.correct as f64 / self.found as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.correct as f64 / self.gold as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The result of [`evaluate_links`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkEvaluation {
    /// Per link type, then "all" (type must match) and "untyped" (the pair
    /// alone must match).
    pub scores: Vec<TypeScore>,
    /// Links made that the gold file does not have: "from -> to (type): reason".
    pub wrong: Vec<String>,
    /// Gold links not made: "from -> to (type): evidence".
    pub missing: Vec<String>,
    /// Links made without an evidence span.
    pub without_evidence: usize,
}

impl LinkEvaluation {
    pub fn score(&self, link_type: &str) -> Option<&TypeScore> {
        self.scores.iter().find(|s| s.link_type == link_type)
    }
}

/// Compare the links stored in `archive` with the `links` of `gold`, whose
/// document paths are relative to `corpus_root` (the folder the corpus was
/// imported from, as given to the import).
pub fn evaluate_links(
    archive: &Archive,
    gold: &Value,
    corpus_root: &Path,
) -> Result<LinkEvaluation, String> {
    let (id_of, path_of) = gold_documents(archive, gold, corpus_root)?;
    let mut expected: HashSet<(String, String, String)> = HashSet::new();
    let mut evidence: HashMap<(String, String), String> = HashMap::new();
    for l in gold["links"]
        .as_array()
        .ok_or("gold file has no \"links\" array")?
    {
        let field = |k: &str| {
            l[k].as_str()
                .map(str::to_owned)
                .ok_or(format!("gold link without {k}: {l}"))
        };
        let (from, to, t) = (field("from")?, field("to")?, field("type")?);
        for p in [&from, &to] {
            if !id_of.contains_key(p) {
                return Err(format!("gold link names unknown document {p}"));
            }
        }
        evidence.insert(
            (from.clone(), to.clone()),
            l["evidence"].as_str().unwrap_or("").to_owned(),
        );
        expected.insert((from, to, t));
    }
    let mut found: HashSet<(String, String, String)> = HashSet::new();
    let mut reasons: HashMap<(String, String), String> = HashMap::new();
    let mut without_evidence = 0;
    for link in archive.store().all_links().map_err(|e| e.to_string())? {
        // One case's documents are a relation of their own, not a
        // reference the gold lists.
        if link.link_type == kedja_model::LinkType::SameCase {
            continue;
        }
        let (Some(from), Some(to)) = (path_of.get(&link.from), path_of.get(&link.to)) else {
            continue;
        };
        if link.evidence.trim().is_empty() {
            without_evidence += 1;
        }
        reasons.insert(
            (from.clone(), to.clone()),
            format!(
                "{} ({:.2}): \"{}\"",
                link.reason, link.confidence, link.evidence
            ),
        );
        found.insert((from.clone(), to.clone(), link.link_type.as_str().to_owned()));
    }

    let mut per_type: BTreeMap<String, TypeScore> = BTreeMap::new();
    for (_, _, t) in &expected {
        per_type
            .entry(t.clone())
            .or_insert_with(|| TypeScore {
                link_type: t.clone(),
                ..TypeScore::default()
            })
            .gold += 1;
    }
    for key @ (_, _, t) in &found {
        let s = per_type.entry(t.clone()).or_insert_with(|| TypeScore {
            link_type: t.clone(),
            ..TypeScore::default()
        });
        s.found += 1;
        if expected.contains(key) {
            s.correct += 1;
        }
    }
    let all = TypeScore {
        link_type: "all".into(),
        gold: expected.len(),
        found: found.len(),
        correct: found.intersection(&expected).count(),
    };
    let pairs = |set: &HashSet<(String, String, String)>| -> HashSet<(String, String)> {
        set.iter().map(|(f, t, _)| (f.clone(), t.clone())).collect()
    };
    let (expected_pairs, found_pairs) = (pairs(&expected), pairs(&found));
    let untyped = TypeScore {
        link_type: "untyped".into(),
        gold: expected_pairs.len(),
        found: found_pairs.len(),
        correct: found_pairs.intersection(&expected_pairs).count(),
    };
    let mut wrong: Vec<String> = found
        .difference(&expected)
        .map(|(f, t, ty)| {
            format!(
                "{f} -> {t} ({ty}): {}",
                reasons
                    .get(&(f.clone(), t.clone()))
                    .map_or("", String::as_str)
            )
        })
        .collect();
    let mut missing: Vec<String> = expected
        .difference(&found)
        .map(|(f, t, ty)| {
            format!(
                "{f} -> {t} ({ty}): \"{}\"",
                evidence
                    .get(&(f.clone(), t.clone()))
                    .map_or("", String::as_str)
            )
        })
        .collect();
    wrong.sort();
    missing.sort();
    let mut scores: Vec<TypeScore> = per_type.into_values().collect();
    scores.push(all);
    scores.push(untyped);
    Ok(LinkEvaluation {
        scores,
        wrong,
        missing,
        without_evidence,
    })
}

/// The gold file's documents: path to stored id and back.
type GoldIds = (HashMap<String, DocId>, HashMap<DocId, String>);

fn gold_documents(archive: &Archive, gold: &Value, corpus_root: &Path) -> Result<GoldIds, String> {
    let docs = gold["documents"]
        .as_object()
        .ok_or("gold file has no \"documents\" object")?;
    let mut id_of: HashMap<String, DocId> = HashMap::new();
    let mut path_of: HashMap<DocId, String> = HashMap::new();
    for path in docs.keys() {
        let source = source_key(&corpus_root.join(path));
        let id = archive
            .store()
            .id_for_source(&source)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| {
                format!("gold document {path} is not in the archive (looked for {source})")
            })?;
        path_of.insert(id.clone(), path.clone());
        id_of.insert(path.clone(), id);
    }
    Ok((id_of, path_of))
}

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
    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 { 1.0 } else { a as f64 / b as f64 }
    }
    pub fn precision(&self) -> f64 {
        Self::ratio(self.matched, self.found)
    }
    pub fn recall(&self) -> f64 {
        Self::ratio(self.matched, self.gold)
    }
    /// Known statuses found that are right.
    pub fn status_precision(&self) -> f64 {
        Self::ratio(self.known_status_right, self.status_found)
    }
    /// Known gold statuses found.
    pub fn status_recall(&self) -> f64 {
        Self::ratio(self.known_status_right, self.status_gold)
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
    gold: &Value,
    corpus_root: &Path,
) -> Result<CommitmentEvaluation, String> {
    let (id_of, path_of) = gold_documents(archive, gold, corpus_root)?;
    let found: Vec<kedja_model::Commitment> = archive
        .commitments()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|c| path_of.contains_key(&c.doc_id))
        .collect();
    let golds = gold["commitments"]
        .as_array()
        .ok_or("gold file has no \"commitments\" array")?;
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
        let s = |k: &str| g[k].as_str().unwrap_or_default();
        let doc = id_of
            .get(s("document"))
            .ok_or_else(|| format!("gold commitment names unknown document {}", s("document")))?;
        let gold_toks = kedja_link::tokens(s("task"));
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
                .push(format!("{}: {} (not found)", s("document"), s("task")));
            continue;
        };
        used[i] = true;
        eval.matched += 1;
        let c = &found[i];
        let gold_deadline = g["deadline"].as_object().map(|d| {
            (
                d["start"].as_str().unwrap_or(""),
                d["end"].as_str().unwrap_or(""),
            )
        });
        let our_deadline = c.deadline.map(|d| (d.start.to_string(), d.end.to_string()));
        if our_deadline.as_ref().map(|(a, b)| (a.as_str(), b.as_str())) == gold_deadline {
            eval.deadline_right += 1;
        } else {
            eval.missing.push(format!(
                "{}: {}: deadline {:?}, gold {:?}",
                s("document"),
                s("task"),
                our_deadline,
                gold_deadline
            ));
        }
        if c.cadence.as_deref() == g["cadence"].as_str() {
            eval.cadence_right += 1;
        }
        if c.responsible
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(s("responsible")))
        {
            eval.responsible_right += 1;
        } else {
            eval.missing.push(format!(
                "{}: {}: responsible {:?}, gold {:?}",
                s("document"),
                s("task"),
                c.responsible,
                s("responsible")
            ));
        }
        let last = c.reports.last();
        let reported_in = last
            .and_then(|r| path_of.get(&r.doc_id))
            .map(String::as_str);
        if s("final_status") != "unknown" {
            eval.status_gold += 1;
        }
        if c.status.as_str() == s("final_status") && reported_in == g["status_reported_in"].as_str()
        {
            eval.status_right += 1;
            if c.status != kedja_model::CommitmentStatus::Unknown {
                eval.known_status_right += 1;
            }
            if last.is_some_and(|r| r.evidence.contains(s("status_evidence"))) {
                eval.evidence_right += 1;
            }
        } else {
            eval.missing.push(format!(
                "{}: {}: status {} in {:?}, gold {} in {}",
                s("document"),
                s("task"),
                c.status.as_str(),
                reported_in,
                s("final_status"),
                s("status_reported_in")
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

/// The half of a gold file an item belongs to, fixed by its document's
/// path as the gold file writes it: the development half when the first
/// byte of the path's SHA-256 is even, else the test half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Half {
    Dev,
    Test,
}

impl Half {
    pub fn of(path: &str) -> Half {
        let hash = kedja_model::content_hash(path.as_bytes());
        let first = u8::from_str_radix(&hash[..2], 16).unwrap_or(0);
        if first.is_multiple_of(2) {
            Half::Dev
        } else {
            Half::Test
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Half::Dev => "development",
            Half::Test => "test",
        }
    }
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
    gold: &Value,
    corpus_root: &Path,
    sources: &[String],
) -> Result<Vec<HalfEvaluation>, String> {
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
        for (id, record) in archive.store().parts(s).map_err(|e| e.to_string())? {
            let n = record.paragraph.as_deref().and_then(paragraph_number);
            place_of.insert(id, (path.clone(), n));
        }
    }
    let found: Vec<kedja_model::Commitment> = archive
        .commitments()
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|c| place_of.contains_key(&c.doc_id))
        .collect();
    let golds = gold["commitments"]
        .as_array()
        .ok_or("gold file has no \"commitments\" array")?;
    let s = |g: &Value, k: &str| g[k].as_str().unwrap_or_default().to_owned();

    // Pairs above the threshold, best first, each side used once.
    let found_toks: Vec<Vec<String>> = found.iter().map(|c| kedja_link::tokens(&c.task)).collect();
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (gi, g) in golds.iter().enumerate() {
        let doc = s(g, "document");
        let para = g["paragraph"].as_str().and_then(paragraph_number);
        let gt = kedja_link::tokens(&s(g, "task"));
        for (fi, c) in found.iter().enumerate() {
            let (path, n) = &place_of[&c.doc_id];
            if *path != doc || (n.is_some() && para.is_some() && *n != para) {
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
            g["also_listed_in"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|p| p.as_str().map(|p| place(p).0) == Some(path.clone()))
            }) && task_match(&found_toks[fi], &kedja_link::tokens(&s(g, "task"))) >= TASK_MATCH
        });
    }

    let mut out: Vec<HalfEvaluation> = [Half::Dev, Half::Test]
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
        let doc = s(g, "document");
        let half = &mut out[at(Half::of(&doc))];
        let e = &mut half.eval;
        let id = s(g, "id");
        let label = format!("{id} {doc} {}: {}", s(g, "paragraph"), s(g, "task"));
        e.gold += 1;
        let status = gold_status(g["status"].as_str().unwrap_or("unknown"));
        if status != "unknown" {
            e.status_gold += 1;
        }
        let Some(fi) = gold_to[gi] else {
            e.missing.push(format!("{label} (not found)"));
            continue;
        };
        e.matched += 1;
        let c = &found[fi];
        let gold_deadline = g["deadline"].as_object().map(|d| {
            (
                d["start"].as_str().unwrap_or("").to_owned(),
                d["end"].as_str().unwrap_or("").to_owned(),
            )
        });
        let our_deadline = c.deadline.map(|d| (d.start.to_string(), d.end.to_string()));
        if our_deadline == gold_deadline {
            e.deadline_right += 1;
        } else {
            e.missing.push(format!(
                "{label}: deadline {our_deadline:?}, gold {gold_deadline:?} ({:?})",
                s(g, "deadline_text")
            ));
        }
        if cadence_kind(c.cadence.as_deref()) == cadence_kind(g["cadence"].as_str()) {
            half.cadence_kind_right += 1;
            e.cadence_right += 1;
        } else {
            e.missing.push(format!(
                "{label}: cadence {:?}, gold {:?}",
                c.cadence,
                g["cadence"].as_str()
            ));
        }
        if c.responsible
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(&s(g, "responsible")))
        {
            e.responsible_right += 1;
        }
        // The report that gives the status: the latest that says it.
        let report = c.reports.iter().rev().find(|r| r.status == c.status);
        let reported = report.and_then(|r| place_of.get(&r.doc_id));
        let gold_place = g["status_reported_in"].as_str().map(place);
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
                g["status_reported_in"].as_str()
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_follow_the_first_byte_of_the_path_hash() {
        // sha256("a") starts with 0xca (even), sha256("e") with 0x3f (odd).
        assert_eq!(Half::of("a"), Half::Dev);
        assert_eq!(Half::of("e"), Half::Test);
    }

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
