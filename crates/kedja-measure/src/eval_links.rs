//! `kedja eval-links` on a gold file of real references: citing places (a
//! file, or a § of a whole protocol) with the words that cite, the cited
//! place or none when it is not in the corpus, and the relation; generic
//! phrases that name nothing; groups of documents of one case.
//!
//! Every place the gold examined is judged whole: a link from it to a
//! document the gold does not name there is wrong. Scores are given per
//! half of the gold (development and test, by the hash of the citing
//! file), with the reliability of the linker's confidence per band and
//! precision and recall at each acceptance threshold. Only the development
//! half's mistakes can be listed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use kedja_model::{DocId, Link, LinkType};
use kedja_pipeline::{Archive, ImportOptions, OutcomeKind, section_source, source_key};

use crate::gold::{DemoGold, Half, Place, PlaceGold, Show, load};
use crate::links::evaluate_links;
use crate::score::{Score, f1, ratio};

#[derive(Debug)]
pub struct Options {
    pub gold: PathBuf,
    pub corpus: PathBuf,
    pub municipality: Option<String>,
    /// Keep the imported archive here; when it already holds documents,
    /// the corpus is not imported again, only relinked.
    pub data: Option<PathBuf>,
    pub show: Option<Show>,
}

pub fn run(opts: &Options) -> Result<()> {
    let gold: PlaceGold = load(&opts.gold, "links gold file of citing places")?;

    let mut archive = match &opts.data {
        Some(dir) => Archive::open(dir, &kedja_pipeline::ArchiveOptions::from_environment())
            .with_context(|| format!("cannot open data directory {}", dir.display()))?,
        None => Archive::in_memory()?,
    };
    if archive.store().document_count()? == 0 {
        let started = std::time::Instant::now();
        let folder = opts.corpus.join(common_folder(&gold));
        let report = archive.import_paths(
            std::slice::from_ref(&folder),
            &ImportOptions {
                municipality: opts.municipality.clone(),
                ..Default::default()
            },
            &mut |_| {},
        )?;
        println!(
            "imported {} ({} files: {} imported, {} rejected) in {:.1} s",
            folder.display(),
            report.files.len(),
            report.count(OutcomeKind::Imported),
            report.count(OutcomeKind::Rejected),
            started.elapsed().as_secs_f64()
        );
    }
    let started = std::time::Instant::now();
    let stats = archive.relink_all()?;
    println!(
        "relinked {} documents in {:.1} ms; {} references not in the archive",
        stats.documents,
        started.elapsed().as_secs_f64() * 1000.0,
        stats.unresolved
    );

    let places = Places::new(&archive, &opts.corpus)?;
    let links = archive.store().all_links()?;
    let mut by_from: HashMap<&DocId, Vec<&Link>> = HashMap::new();
    for l in &links {
        by_from.entry(&l.from).or_default().push(l);
    }

    for half in Half::BOTH {
        let listed = opts.show == Some(Show::Dev) && half == Half::Dev;
        report_half(half, listed, &gold, &places, &by_from, &links)?;
    }
    Ok(())
}

/// The deepest folder, relative to the corpus, that holds every file the
/// gold names: a new archive is imported from that folder, so a gold of
/// one municipality in a root of several is measured against its own
/// documents only (an archive given with `--data` is used as it is).
fn common_folder(gold: &PlaceGold) -> PathBuf {
    let files = gold
        .examined
        .iter()
        .chain(gold.links.iter().flat_map(|l| {
            std::iter::once(&l.from)
                .chain(l.to.iter())
                .chain(l.to_alt.iter())
        }))
        .map(|p| Path::new(&p.file));
    let mut common: Option<PathBuf> = None;
    for file in files {
        let folder = file.parent().unwrap_or(Path::new(""));
        common = Some(match common {
            None => folder.to_path_buf(),
            Some(c) => c
                .components()
                .zip(folder.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common.unwrap_or_default()
}

/// Gold places as stored documents.
struct Places<'a> {
    archive: &'a Archive,
    root: &'a Path,
    /// A file whose bytes are another's was stored once, under the other
    /// file's name: the content's hash names the stored file.
    stored_as: HashMap<[u8; 32], PathBuf>,
}

impl Places<'_> {
    fn new<'a>(archive: &'a Archive, root: &'a Path) -> Result<Places<'a>> {
        use sha2::Digest;
        let mut stored_as: HashMap<[u8; 32], PathBuf> = HashMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if archive.store().id_for_source(&source_key(&path))?.is_some() {
                    let hash: [u8; 32] = sha2::Sha256::digest(std::fs::read(&path)?).into();
                    stored_as.insert(hash, path);
                }
            }
        }
        Ok(Places {
            archive,
            root,
            stored_as,
        })
    }

    /// The document of a place: the file's, or the § document a whole
    /// protocol was split into (an extract of one § is the file itself).
    fn id(&self, p: &Place) -> Result<Option<DocId>> {
        use sha2::Digest;
        let mut path = self.root.join(&p.file);
        if self
            .archive
            .store()
            .id_for_source(&source_key(&path))?
            .is_none()
            && let Ok(bytes) = std::fs::read(&path)
            && let Some(copy) = self
                .stored_as
                .get(&<[u8; 32]>::from(sha2::Sha256::digest(&bytes)))
        {
            path = copy.clone();
        }
        let source = source_key(&path);
        if let Some(n) = p.paragraph
            && let Some(id) = self
                .archive
                .store()
                .id_for_source(&section_source(&source, n))?
        {
            return Ok(Some(id));
        }
        Ok(self.archive.store().id_for_source(&source)?)
    }

    fn name(&self, id: &DocId) -> String {
        match self.archive.store().get(id) {
            Ok(Some(d)) => {
                let root = source_key(self.root);
                let src = d.source.strip_prefix(&root).unwrap_or(&d.source);
                src.trim_start_matches('/').to_owned()
            }
            _ => id.to_string(),
        }
    }
}

/// Confidence bands of the reliability table.
const BANDS: [f32; 6] = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9];

fn band(c: f32) -> usize {
    BANDS.iter().rposition(|&b| c >= b).unwrap_or(0)
}

fn report_half(
    half: Half,
    listed: bool,
    gold: &PlaceGold,
    places: &Places<'_>,
    by_from: &HashMap<&DocId, Vec<&Link>>,
    all_links: &[Link],
) -> Result<()> {
    // The examined places of this half, as documents.
    let mut examined: BTreeMap<DocId, Place> = BTreeMap::new();
    let mut not_found: BTreeSet<String> = BTreeSet::new();
    for p in gold.examined.iter().filter(|p| Half::of(&p.file) == half) {
        match places.id(p)? {
            Some(id) => {
                examined.insert(id, p.clone());
            }
            None => {
                not_found.insert(p.to_string());
            }
        }
    }
    // What each examined place cites: a set of acceptable targets (a
    // decision that exists twice may be found as either) per reference.
    type Target = BTreeSet<DocId>;
    let mut cited: HashMap<DocId, Vec<(Target, String, String)>> = HashMap::new();
    let mut absent = 0usize;
    for l in gold.links.iter().filter(|l| Half::of(&l.from.file) == half) {
        let Some(from) = places.id(&l.from)? else {
            continue;
        };
        let Some(to) = &l.to else {
            absent += 1;
            continue;
        };
        let mut target = Target::new();
        for p in std::iter::once(to).chain(l.to_alt.as_ref()) {
            match places.id(p)? {
                Some(id) => {
                    target.insert(id);
                }
                None => {
                    not_found.insert(p.to_string());
                }
            }
        }
        if target.is_empty() {
            continue;
        }
        cited
            .entry(from)
            .or_default()
            .push((target, l.relation.clone(), l.words.clone()));
    }

    // Gold pairs, once each: (from, target set) with the relations named.
    let mut pairs: BTreeMap<(DocId, Target), (BTreeSet<String>, String)> = BTreeMap::new();
    for (from, refs) in &cited {
        for (target, relation, words) in refs {
            let e = pairs
                .entry((from.clone(), target.clone()))
                .or_insert_with(|| (BTreeSet::new(), words.clone()));
            e.0.insert(relation.clone());
        }
    }

    let mut found = Score {
        gold: pairs.len(),
        ..Score::default()
    };
    let mut typed_right = 0usize;
    let mut reliability = [(0usize, 0usize); BANDS.len()];
    // (confidence, right) of every link judged, for the threshold table.
    let mut judged: Vec<(f32, bool)> = Vec::new();
    let mut wrong: Vec<String> = Vec::new();
    let mut hit_pairs: HashSet<(DocId, Target)> = HashSet::new();
    let mut by_reason: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (from, place) in &examined {
        for l in by_from.get(from).into_iter().flatten() {
            if l.link_type.is_relation() {
                continue;
            }
            let matched = cited
                .get(from)
                .into_iter()
                .flatten()
                .find(|(t, _, _)| t.contains(&l.to));
            let right = matched.is_some();
            found.found += 1;
            found.correct += usize::from(right);
            if let Some((t, _, _)) = matched {
                hit_pairs.insert((from.clone(), t.clone()));
                if pairs
                    .get(&(from.clone(), t.clone()))
                    .is_some_and(|(rel, _)| rel.contains(l.link_type.as_str()))
                {
                    typed_right += 1;
                }
            }
            let b = &mut reliability[band(l.confidence)];
            b.0 += 1;
            b.1 += usize::from(right);
            judged.push((l.confidence, right));
            let reason = reason_class(&l.reason);
            let r = by_reason.entry(reason).or_default();
            r.0 += 1;
            r.1 += usize::from(right);
            if !right && listed {
                wrong.push(format!(
                    "{place} -> {} [{} {:.2} {}] \"{}\"",
                    places.name(&l.to),
                    l.link_type.as_str(),
                    l.confidence,
                    l.reason,
                    l.evidence
                ));
            }
        }
    }
    let missing: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| !hit_pairs.contains(*k))
        .map(|((from, t), (rel, words))| {
            let to: Vec<String> = t.iter().map(|id| places.name(id)).collect();
            format!(
                "{} -> {} ({}) \"{words}\"",
                examined
                    .get(from)
                    .map_or_else(|| places.name(from), ToString::to_string),
                to.join(" | "),
                rel.iter().cloned().collect::<Vec<_>>().join(",")
            )
        })
        .collect();

    // Generic wording that names nothing: a link whose evidence is that
    // wording is wrong whatever it points at.
    let mut negatives_linked = 0usize;
    let mut negatives = 0usize;
    for n in gold
        .negatives
        .iter()
        .filter(|n| Half::of(&n.from.file) == half)
    {
        negatives += 1;
        let Some(from) = places.id(&n.from)? else {
            continue;
        };
        let words = kedja_link::tokens(&n.words);
        if by_from.get(&from).into_iter().flatten().any(|l| {
            !l.link_type.is_relation()
                && kedja_link::similarity(&words, &kedja_link::tokens(&l.evidence)) >= 0.5
        }) {
            negatives_linked += 1;
        }
    }

    // Same case: pairs of members of one group.
    let mut case_of: HashMap<DocId, usize> = HashMap::new();
    let mut case_pairs = 0usize;
    for (g, case) in gold
        .same_case
        .iter()
        .enumerate()
        .filter(|(_, c)| c.members.first().is_some_and(|m| Half::of(&m.file) == half))
    {
        let ids: Vec<DocId> = case
            .members
            .iter()
            .filter_map(|m| places.id(m).ok().flatten())
            .collect();
        if ids.len() < case.members.len() && listed {
            println!(
                "  same case {}: a member is not in the archive",
                case.diarienummer
            );
        }
        case_pairs += ids.len() * ids.len().saturating_sub(1) / 2;
        for id in ids {
            case_of.insert(id, g);
        }
    }
    let mut case_found: HashSet<(DocId, DocId)> = HashSet::new();
    let mut case_right = 0usize;
    for l in all_links
        .iter()
        .filter(|l| l.link_type == LinkType::SameCase)
    {
        let (Some(a), Some(b)) = (case_of.get(&l.from), case_of.get(&l.to)) else {
            continue;
        };
        let key = if l.from < l.to {
            (l.from.clone(), l.to.clone())
        } else {
            (l.to.clone(), l.from.clone())
        };
        if case_found.insert(key) && a == b {
            case_right += 1;
        }
    }

    println!("\n== {} half ==", half.short());
    println!(
        "examined places: {} ({} not in the archive); references: {} to a document in the corpus ({} pairs), {absent} to one that is absent",
        examined.len(),
        not_found.len(),
        cited.values().map(Vec::len).sum::<usize>(),
        pairs.len()
    );
    println!(
        "links from examined places: {}  right: {}  precision {:.3}  recall {:.3}  f1 {:.3}  (type right on {typed_right} of {})",
        found.found,
        found.correct,
        found.precision(),
        ratio(hit_pairs.len(), pairs.len()),
        f1(found.precision(), ratio(hit_pairs.len(), pairs.len())),
        found.correct
    );
    println!("generic phrases linked: {negatives_linked} of {negatives}");
    println!(
        "same case: {} pairs in the gold's groups; linked {} of them, {case_right} right",
        case_pairs,
        case_found.len()
    );
    println!("reliability (confidence band, links, share right):");
    for (i, (n, r)) in reliability.iter().enumerate() {
        if *n > 0 {
            let hi = BANDS
                .get(i + 1)
                .map_or("1.00".to_owned(), |h| format!("{h:.2}"));
            println!("  [{:.2}, {hi})  {n:>4}  {:.3}", BANDS[i], ratio(*r, *n));
        }
    }
    if half == Half::Dev {
        println!("by reason (links, share right):");
        for (reason, (n, r)) in &by_reason {
            println!("  {n:>4}  {:.3}  {reason}", ratio(*r, *n));
        }
    }
    println!("at an acceptance threshold t (links kept, precision, recall of pairs):");
    for t in [0.5f32, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95] {
        let kept: Vec<&(f32, bool)> = judged.iter().filter(|(c, _)| *c >= t).collect();
        let right = kept.iter().filter(|(_, r)| *r).count();
        println!(
            "  t={t:.2}  {:>4}  {:.3}  {:.3}",
            kept.len(),
            ratio(right, kept.len()),
            ratio(right, pairs.len())
        );
    }
    if listed {
        if !not_found.is_empty() {
            println!("places not in the archive ({}):", not_found.len());
            not_found.iter().for_each(|p| println!("  {p}"));
        }
        wrong.sort();
        println!("wrong ({}):", wrong.len());
        wrong.iter().for_each(|w| println!("  {w}"));
        let mut missing = missing;
        missing.sort();
        println!("missing ({}):", missing.len());
        missing.iter().for_each(|m| println!("  {m}"));
    }
    Ok(())
}

/// A link's reason without its particulars ("topic chose among 3"), so
/// that reasons can be counted.
fn reason_class(reason: &str) -> String {
    reason
        .split(';')
        .next()
        .unwrap_or(reason)
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The links gold file at `opts.gold` scored: citing places per half, or
/// the demo's shape whole.
pub fn run_any(opts: &Options) -> Result<()> {
    if crate::gold::is_place_gold(&opts.gold)? {
        run(opts)
    } else {
        run_demo(&load(&opts.gold, "links gold file")?, &opts.corpus)
    }
}

/// The demo's gold file (documents and their links): the corpus (one
/// folder per municipality) imported into a fresh in-memory archive,
/// linked, and scored per link type with the wrong and missing links.
fn run_demo(gold: &DemoGold, corpus: &Path) -> Result<()> {
    let mut archive = Archive::in_memory()?;
    let report = archive.import_municipality_folders(corpus, &mut |_| {})?;
    let started = std::time::Instant::now();
    let stats = archive.relink_all()?;
    let link_ms = started.elapsed().as_secs_f64() * 1000.0;
    let eval = evaluate_links(&archive, gold, corpus)?;
    println!(
        "corpus: {} ({} files, {} rejected)",
        corpus.display(),
        report.files.len(),
        report.count(OutcomeKind::Rejected)
    );
    println!(
        "relinking all {} documents took {link_ms:.1} ms; {} references not in the archive",
        stats.documents, stats.unresolved
    );
    println!(
        "{:<12} {:>5} {:>5} {:>7} {:>9} {:>6} {:>6}",
        "type", "gold", "found", "correct", "precision", "recall", "f1"
    );
    for (link_type, s) in &eval.scores {
        println!(
            "{:<12} {:>5} {:>5} {:>7} {:>9.3} {:>6.3} {:>6.3}",
            link_type,
            s.gold,
            s.found,
            s.correct,
            s.precision(),
            s.recall(),
            s.f1()
        );
    }
    println!("links without evidence: {}", eval.without_evidence);
    if !eval.wrong.is_empty() {
        println!("\nwrong ({}):", eval.wrong.len());
        eval.wrong.iter().for_each(|w| println!("  {w}"));
    }
    if !eval.missing.is_empty() {
        println!("\nmissing ({}):", eval.missing.len());
        eval.missing.iter().for_each(|m| println!("  {m}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(files: &[&str]) -> PlaceGold {
        serde_json::from_value(serde_json::json!({
            "links": [],
            "examined": files.iter().map(|f| serde_json::json!({"file": f})).collect::<Vec<_>>(),
        }))
        .unwrap()
    }

    #[test]
    fn the_archive_is_the_deepest_folder_that_holds_every_gold_file() {
        assert_eq!(
            common_folder(&gold(&[
                "town/council/2031-01-01.txt",
                "town/board/2031-02-01.txt"
            ])),
            PathBuf::from("town")
        );
        assert_eq!(
            common_folder(&gold(&["council/2031/a.pdf", "board/2031/b.pdf"])),
            PathBuf::new()
        );
        assert_eq!(
            common_folder(&gold(&["council/2031/a.pdf", "council/2031/b.pdf"])),
            PathBuf::from("council/2031")
        );
    }
}
