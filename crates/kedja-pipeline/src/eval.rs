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
