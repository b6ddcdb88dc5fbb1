//! `eval-commitments`: commitments and their statuses scored against a
//! gold file, the demo's whole or one of commitments alone per half.

use std::path::Path;

use anyhow::Result;
use kedja_pipeline::{Archive, ImportOptions};

use crate::commitments::{evaluate_commitments, evaluate_commitments_by_half};
use crate::gold::{AnyCommitmentsGold, CommitmentsGold, Half, Show, load_commitments};
use crate::score::ratio;

pub fn run(
    gold_path: &Path,
    corpus: &Path,
    municipality: Option<String>,
    show: Option<Show>,
) -> Result<()> {
    let gold = match load_commitments(gold_path)? {
        AnyCommitmentsGold::Listed(gold) => return eval_halves(&gold, corpus, municipality, show),
        AnyCommitmentsGold::Demo(gold) => gold,
    };
    let mut archive = Archive::in_memory()?;
    archive.import_municipality_folders(corpus, &mut |_| {})?;
    let e = evaluate_commitments(&archive, &gold, corpus)?;
    println!("corpus: {}", corpus.display());
    println!(
        "commitments: gold {}, found {}, matched {}: precision {:.3}, recall {:.3}",
        e.gold,
        e.found,
        e.matched,
        e.precision(),
        e.recall()
    );
    println!(
        "of the matched: deadline right {}, cadence right {}, responsible right {}",
        e.deadline_right, e.cadence_right, e.responsible_right
    );
    println!(
        "statuses: {} of {} right (unknown where nothing reports)",
        e.status_right, e.gold
    );
    println!(
        "known statuses: gold {}, found {}, right {} (gold evidence quoted: {}): precision {:.3}, recall {:.3}",
        e.status_gold,
        e.status_found,
        e.known_status_right,
        e.evidence_right,
        e.status_precision(),
        e.status_recall()
    );
    if !e.wrong.is_empty() {
        println!("\nfound, not in the gold file ({}):", e.wrong.len());
        e.wrong.iter().for_each(|w| println!("  {w}"));
    }
    if !e.missing.is_empty() {
        println!("\nmissing or wrong ({}):", e.missing.len());
        e.missing.iter().for_each(|w| println!("  {w}"));
    }
    Ok(())
}

/// The folders of `corpus` a commitments gold file names (the first part
/// of every path it gives), imported whole so that documents nobody
/// labelled count too.
fn gold_folders(gold: &CommitmentsGold) -> Vec<String> {
    let mut paths: Vec<&str> = Vec::new();
    for c in &gold.commitments {
        paths.push(&c.document);
        paths.extend(c.status_reported_in.as_deref());
        paths.extend(c.also_listed_in.iter().map(String::as_str));
    }
    let mut folders: Vec<String> = paths
        .iter()
        .filter_map(|p| p.split('/').next())
        .map(|f| f.split(", ").next().unwrap_or(f).to_owned())
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

/// A commitments gold file scored per half: the development half's
/// mistakes may be listed, the test half's never.
fn eval_halves(
    gold: &CommitmentsGold,
    corpus: &Path,
    municipality: Option<String>,
    show: Option<Show>,
) -> Result<()> {
    let folders: Vec<std::path::PathBuf> = gold_folders(gold)
        .into_iter()
        .map(|f| corpus.join(f))
        .collect();
    let mut archive = Archive::in_memory()?;
    let report = archive.import_paths(
        &folders,
        &ImportOptions {
            municipality,
            ..Default::default()
        },
        &mut |_| {},
    )?;
    let sources: Vec<String> = report.files.iter().map(|f| f.source.clone()).collect();
    let halves = evaluate_commitments_by_half(&archive, gold, corpus, &sources)?;
    println!("corpus: {} ({} files)", corpus.display(), sources.len());
    // While the development half's mistakes are read, the test half's
    // figures stay unseen.
    for h in halves
        .iter()
        .filter(|h| show.is_none() || h.half == Half::Dev)
    {
        let e = &h.eval;
        println!(
            "{} half: gold {}, found {}, matched {}: precision {:.3}, recall {:.3}; \
             of the matched: deadline right {} ({:.3}), recurrence right {} ({:.3}), \
             responsible right {}; status right {} of {} gold ({:.3}), {} of {} matched ({:.3}); \
             known statuses: gold {}, found {}, right {}",
            h.half.name(),
            e.gold,
            e.found,
            e.matched,
            e.precision(),
            e.recall(),
            e.deadline_right,
            ratio(e.deadline_right, e.matched),
            h.cadence_kind_right,
            ratio(h.cadence_kind_right, e.matched),
            e.responsible_right,
            e.status_right,
            e.gold,
            ratio(e.status_right, e.gold),
            e.status_right,
            e.matched,
            ratio(e.status_right, e.matched),
            e.status_gold,
            e.status_found,
            e.known_status_right,
        );
    }
    if show == Some(Show::Dev)
        && let Some(h) = halves.iter().find(|h| h.half == Half::Dev)
    {
        println!("\nfound, not in the gold file ({}):", h.eval.wrong.len());
        h.eval.wrong.iter().for_each(|w| println!("  {w}"));
        println!("\nmissing or wrong ({}):", h.eval.missing.len());
        h.eval.missing.iter().for_each(|w| println!("  {w}"));
    }
    Ok(())
}
