//! `kedja eval-documents`: document understanding measured against a gold
//! file of real municipal documents (kind, title, body, date,
//! diarienummer, §, and the §§ of whole protocols), per half of the gold
//! (development and test).
//!
//! The files are copied under neutral names (`0001.pdf`, …) into a
//! temporary folder before they are imported, so that nothing is read from
//! a file name or folder: kind, title, body and date must come from the
//! text. Only the development half's mistakes can be listed; the test
//! half's figures are printed, never its documents.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use kedja_model::{DocId, Document};
use kedja_pipeline::{Archive, ImportOptions, Outcome, OutcomeKind};

use crate::gold::{DocumentsGold, GoldSection, Half, Show, load};
use crate::score::Score;

/// Titles compare without case, with one kind of dash, quote and space,
/// and without trailing punctuation.
fn norm(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '–' | '—' | '‐' => '-',
            '”' | '“' | '„' | '’' | '\'' => '"',
            c => c,
        })
        .collect();
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches(['.', ':', ',', ' '])
        .to_owned()
}

fn dnr_keys(written: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = written
        .iter()
        .flat_map(|w| {
            let found = kedja_extract::diarienummer_keys(w);
            if found.is_empty() {
                vec![kedja_extract::dnr_key(w)]
            } else {
                found
            }
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

pub fn run(
    gold_path: &Path,
    corpus: &Path,
    municipality: Option<String>,
    show: Option<Show>,
    only: Option<Show>,
) -> Result<()> {
    let mut gold: DocumentsGold = load(gold_path, "documents gold file")?;
    if only == Some(Show::Dev) {
        gold.documents.retain(|g| Half::of(&g.path) == Half::Dev);
    }

    // Neutral names: the n-th gold file becomes NNNN.<its extension>.
    let dir = tempfile::tempdir()?;
    let mut neutral: BTreeMap<String, usize> = BTreeMap::new();
    for (n, g) in gold.documents.iter().enumerate() {
        let from = corpus.join(&g.path);
        let ext = Path::new(&g.path)
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_default();
        let to = dir.path().join(format!("{n:04}.{ext}"));
        std::fs::copy(&from, &to).with_context(|| format!("cannot copy {}", from.display()))?;
        neutral.insert(kedja_pipeline::source_key(&to), n);
    }
    let mut archive = Archive::in_memory()?;
    let started = std::time::Instant::now();
    let report = archive.import_paths(
        &[PathBuf::from(dir.path())],
        &ImportOptions {
            municipality,
            ..Default::default()
        },
        &mut |_| {},
    )?;
    let seconds = started.elapsed().as_secs_f64();
    let mut outcome: Vec<Option<&Outcome>> = vec![None; gold.documents.len()];
    for f in &report.files {
        if let Some(&n) = neutral.get(&f.source) {
            outcome[n] = Some(&f.outcome);
        }
    }
    let sections_made = archive
        .store()
        .document_count()?
        .saturating_sub(report.files.len() as u64);
    println!(
        "corpus: {} ({} files imported under neutral names in {seconds:.1} s: {} imported, {} rejected; {sections_made} § documents)",
        corpus.display(),
        report.files.len(),
        report.count(OutcomeKind::Imported),
        report.count(OutcomeKind::Rejected),
    );

    let mut scores: BTreeMap<(&str, &str), Score> = BTreeMap::new();
    let mut mistakes: Vec<String> = Vec::new();
    for (n, g) in gold.documents.iter().enumerate() {
        let half = Half::of(&g.path).short();
        let listed = show == Some(Show::Dev) && half == "dev";
        let mut miss = |field: &str, want: &str, got: &str| {
            if listed {
                mistakes.push(format!("{}  {field}: gold {want:?}, got {got:?}", g.path));
            }
        };
        let doc = match outcome[n] {
            Some(Outcome::Imported { id, .. })
            | Some(Outcome::NewVersion { id, .. })
            | Some(Outcome::Unchanged { id }) => archive.document(id)?,
            _ => None,
        };
        let rejected = matches!(outcome[n], Some(Outcome::Rejected { .. }));
        let reason = match outcome[n] {
            Some(Outcome::Rejected { reason }) => reason.as_str(),
            _ => "",
        };
        let is_doc = g.status == "document";
        // Accounted for: a document imported, a non-document rejected.
        scores.entry((half, "accounted")).or_default().add(
            true,
            doc.is_some() || rejected,
            (is_doc && doc.is_some()) || (!is_doc && rejected),
        );
        if !is_doc {
            if !rejected {
                miss("status", &g.status, "imported");
            }
            continue;
        }
        let Some(doc) = doc else {
            miss("status", "document", &format!("rejected: {reason}"));
            scores
                .entry((half, "kind"))
                .or_default()
                .add(g.kind.is_some(), false, false);
            continue;
        };
        if g.scanned {
            let ocr = doc.extractor == "tesseract";
            scores
                .entry((half, "scanned recognised"))
                .or_default()
                .add(true, ocr, ocr);
        }
        let r = &doc.record;
        let mut field = |name: &'static str, want: Option<String>, got: Option<String>| {
            let correct = matches!((&want, &got), (Some(w), Some(g)) if norm(w) == norm(g));
            scores
                .entry((half, name))
                .or_default()
                .add(want.is_some(), got.is_some(), correct);
            if !correct && (want.is_some() || got.is_some()) {
                miss(
                    name,
                    want.as_deref().unwrap_or("-"),
                    got.as_deref().unwrap_or("-"),
                );
            }
        };
        field("kind", g.kind.clone(), Some(r.kind.as_str().to_owned()));
        field(
            "title",
            g.title.clone(),
            Some(r.title.clone()).filter(|t| !t.is_empty()),
        );
        field("body", g.body.clone(), r.body.clone());
        field("date", g.date.clone(), r.date.map(|d| d.to_string()));
        let paragraph = g
            .paragraph
            .as_ref()
            .and_then(serde_json::Value::as_u64)
            .map(|p| format!("§ {p}"));
        if paragraph.is_some() || (r.paragraph.is_some() && g.paragraphs.is_none()) {
            field("§", paragraph, r.paragraph.clone());
        }
        let want = dnr_keys(&g.diarienummer);
        let got = {
            let mut k = r.own_diarienummer.clone();
            k.sort();
            k.dedup();
            k
        };
        let s = scores.entry((half, "diarienummer")).or_default();
        s.gold += want.len();
        s.found += got.len();
        s.correct += want.iter().filter(|k| got.contains(k)).count();
        if want != got && (!want.is_empty() || !got.is_empty()) {
            miss("diarienummer", &want.join(" "), &got.join(" "));
        }
        if let Some(sections) = &g.paragraphs
            && g.kind.as_deref() == Some("protocol")
        {
            score_sections(
                &archive,
                &doc,
                sections,
                half,
                &mut scores,
                &mut |f, w, g| miss(f, w, g),
            )?;
        }
    }

    println!(
        "\n{:<5} {:<20} {:>5} {:>5} {:>7} {:>9} {:>6}",
        "half", "field", "gold", "found", "correct", "precision", "recall"
    );
    for half in ["dev", "test"] {
        for ((h, name), s) in &scores {
            if *h != half {
                continue;
            }
            println!(
                "{half:<5} {name:<20} {:>5} {:>5} {:>7} {:>9.3} {:>6.3}",
                s.gold,
                s.found,
                s.correct,
                s.precision(),
                s.recall()
            );
        }
    }
    if !mistakes.is_empty() {
        println!("\nmistakes in the development half ({}):", mistakes.len());
        for m in &mistakes {
            println!("  {m}");
        }
    }
    Ok(())
}

/// The §§ of a whole protocol: each gold § should be a document of its
/// own (found by its source), with its heading as title and its
/// diarienummer; a § document the gold does not list is a false one.
fn score_sections(
    archive: &Archive,
    protocol: &Document,
    sections: &[GoldSection],
    half: &'static str,
    scores: &mut BTreeMap<(&'static str, &'static str), Score>,
    miss: &mut dyn FnMut(&str, &str, &str),
) -> Result<()> {
    let mut made: BTreeMap<u32, Document> = BTreeMap::new();
    for n in 1..=2000u32 {
        let id = DocId::for_source(&kedja_pipeline::section_source(&protocol.source, n));
        if let Some(d) = archive.document(&id)? {
            made.insert(n, d);
        }
    }
    let s = scores.entry((half, "§ split")).or_default();
    s.gold += sections.len();
    s.found += made.len();
    s.correct += sections
        .iter()
        .filter(|g| made.contains_key(&g.number))
        .count();
    for n in made.keys() {
        if !sections.iter().any(|g| g.number == *n) {
            miss("§ split", "-", &format!("§ {n}"));
        }
    }
    for g in sections {
        let Some(d) = made.get(&g.number) else {
            miss("§ split", &format!("§ {}", g.number), "-");
            continue;
        };
        let ok = norm(&g.title) == norm(&d.record.title);
        scores
            .entry((half, "§ title"))
            .or_default()
            .add(true, true, ok);
        if !ok {
            miss(&format!("§ {} title", g.number), &g.title, &d.record.title);
        }
        let want = dnr_keys(&g.diarienummer);
        let got: Vec<String> = d.record.own_diarienummer.clone();
        let s = scores.entry((half, "§ diarienummer")).or_default();
        s.gold += want.len();
        s.found += got.len().min(want.len().max(1));
        s.correct += want.iter().filter(|k| got.contains(k)).count();
        if let Some(page) = g.page {
            let ok = d.record.pages.is_some_and(|(a, _)| a == page);
            scores.entry((half, "§ first page")).or_default().add(
                true,
                d.record.pages.is_some(),
                ok,
            );
        }
        let dated = d.record.date == protocol.record.date && d.record.body == protocol.record.body;
        scores
            .entry((half, "§ body and date"))
            .or_default()
            .add(true, true, dated);
    }
    Ok(())
}
