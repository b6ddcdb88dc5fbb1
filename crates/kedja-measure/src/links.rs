//! Scoring the links of an archive against the demo's gold file
//! (`data/demo-gold.json`) and any file of the same shape.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use kedja_model::DocId;
use kedja_pipeline::{Archive, source_key};

use crate::gold::{DemoGold, GoldError};
use crate::score::Score;

/// The result of [`evaluate_links`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkEvaluation {
    /// Per link type, then "all" (type must match) and "untyped" (the pair
    /// alone must match).
    pub scores: Vec<(String, Score)>,
    /// Links made that the gold file does not have: "from -> to (type): reason".
    pub wrong: Vec<String>,
    /// Gold links not made: "from -> to (type): evidence".
    pub missing: Vec<String>,
    /// Links made without an evidence span.
    pub without_evidence: usize,
}

impl LinkEvaluation {
    pub fn score(&self, link_type: &str) -> Option<&Score> {
        self.scores
            .iter()
            .find(|(t, _)| t == link_type)
            .map(|(_, s)| s)
    }
}

/// Compare the links stored in `archive` with the `links` of `gold`, whose
/// document paths are relative to `corpus_root` (the folder the corpus was
/// imported from, as given to the import).
pub fn evaluate_links(
    archive: &Archive,
    gold: &DemoGold,
    corpus_root: &Path,
) -> Result<LinkEvaluation, GoldError> {
    let (id_of, path_of) = gold_documents(archive, gold, corpus_root)?;
    let mut expected: HashSet<(String, String, String)> = HashSet::new();
    let mut evidence: HashMap<(String, String), String> = HashMap::new();
    for l in &gold.links {
        for p in [&l.from, &l.to] {
            if !id_of.contains_key(p) {
                return Err(GoldError::UnknownDocument {
                    what: "link",
                    path: p.clone(),
                });
            }
        }
        evidence.insert((l.from.clone(), l.to.clone()), l.evidence.clone());
        expected.insert((l.from.clone(), l.to.clone(), l.link_type.clone()));
    }
    let mut found: HashSet<(String, String, String)> = HashSet::new();
    let mut reasons: HashMap<(String, String), String> = HashMap::new();
    let mut without_evidence = 0;
    for link in archive.store().all_links()? {
        // One case's documents and one decision published twice are
        // relations of their own, not references the gold lists.
        if link.link_type.is_relation() {
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

    let mut per_type: BTreeMap<String, Score> = BTreeMap::new();
    for (_, _, t) in &expected {
        per_type.entry(t.clone()).or_default().gold += 1;
    }
    for key @ (_, _, t) in &found {
        let s = per_type.entry(t.clone()).or_default();
        s.found += 1;
        if expected.contains(key) {
            s.correct += 1;
        }
    }
    let all = Score::new(
        expected.len(),
        found.len(),
        found.intersection(&expected).count(),
    );
    let pairs = |set: &HashSet<(String, String, String)>| -> HashSet<(String, String)> {
        set.iter().map(|(f, t, _)| (f.clone(), t.clone())).collect()
    };
    let (expected_pairs, found_pairs) = (pairs(&expected), pairs(&found));
    let untyped = Score::new(
        expected_pairs.len(),
        found_pairs.len(),
        found_pairs.intersection(&expected_pairs).count(),
    );
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
    let mut scores: Vec<(String, Score)> = per_type.into_iter().collect();
    scores.push(("all".into(), all));
    scores.push(("untyped".into(), untyped));
    Ok(LinkEvaluation {
        scores,
        wrong,
        missing,
        without_evidence,
    })
}

/// The gold file's documents: path to stored id and back.
pub(crate) type GoldIds = (HashMap<String, DocId>, HashMap<DocId, String>);

pub(crate) fn gold_documents(
    archive: &Archive,
    gold: &DemoGold,
    corpus_root: &Path,
) -> Result<GoldIds, GoldError> {
    let mut id_of: HashMap<String, DocId> = HashMap::new();
    let mut path_of: HashMap<DocId, String> = HashMap::new();
    for path in gold.documents.keys() {
        let source = source_key(&corpus_root.join(path));
        let id = archive
            .store()
            .id_for_source(&source)?
            .ok_or_else(|| GoldError::NotImported {
                path: path.clone(),
                source_key: source.clone(),
            })?;
        path_of.insert(id.clone(), path.clone());
        id_of.insert(path.clone(), id);
    }
    Ok((id_of, path_of))
}
