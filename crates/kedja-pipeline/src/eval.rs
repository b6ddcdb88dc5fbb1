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
