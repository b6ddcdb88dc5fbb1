//! `kedja commitments` and `kedja eval-commitments`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use kedja_model::{Commitment, Date};
use kedja_pipeline::{Archive, CommitmentQuery, Half, ImportOptions};

use crate::eval_documents::Show;

/// The date given, or today's (UTC).
pub fn today(given: Option<&str>) -> Result<Date> {
    match given {
        Some(s) => kedja_model::parse_iso_date(s)
            .filter(|_| s.len() == 10)
            .with_context(|| format!("--today must be a date like 2024-05-31, not {s:?}")),
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

pub fn list(archive: &Archive, q: &CommitmentQuery, json: bool) -> Result<()> {
    let found = archive.find_commitments(q)?;
    let awaiting = archive.awaiting_decision(q.today)?;
    let mut out = std::io::stdout().lock();
    if json {
        let v = serde_json::json!({
            "today": q.today.to_string(),
            "commitments": found.iter().map(|c| {
                let mut v = serde_json::to_value(c).unwrap_or_default();
                v["overdue"] = serde_json::Value::Bool(c.is_overdue(q.today));
                v
            }).collect::<Vec<_>>(),
            "awaiting_decision": awaiting.iter().map(|a| serde_json::json!({
                "id": a.id.as_str(),
                "title": a.title,
                "municipality": a.municipality,
                "filed": a.filed.to_string(),
                "due": a.due.to_string(),
            })).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    let what = if q.overdue {
        "overdue commitments"
    } else {
        "commitments"
    };
    writeln!(out, "{} {what} on {}", found.len(), q.today)?;
    for c in &found {
        write_one(&mut out, c, q.today)?;
    }
    if !awaiting.is_empty() {
        writeln!(
            out,
            "\n{} motions or proposals without a decision after a year:",
            awaiting.len()
        )?;
        for a in &awaiting {
            writeln!(
                out,
                "  {} filed {}, due {} [{}] {}",
                a.id,
                a.filed,
                a.due,
                a.municipality.as_deref().unwrap_or("?"),
                a.title
            )?;
        }
    }
    Ok(())
}

fn write_one(out: &mut impl Write, c: &Commitment, today: Date) -> Result<()> {
    let due = match (&c.deadline, &c.cadence) {
        (Some(d), _) if d.start == d.end => format!("by {}", d.end),
        (Some(d), _) => format!("by {} ({}..{})", d.end, d.start, d.end),
        (None, Some(cad)) => cad.clone(),
        (None, None) => "no deadline".into(),
    };
    let flag = if c.is_overdue(today) { " OVERDUE" } else { "" };
    writeln!(
        out,
        "\n{} [{}] {}{flag}\n  {}: {}\n  {}, stated in {}",
        c.id,
        c.municipality.as_deref().unwrap_or("?"),
        c.status.as_str(),
        c.responsible.as_deref().unwrap_or("(no one named)"),
        c.task,
        due,
        c.doc_id
    )?;
    if let Some(r) = c.reports.last() {
        writeln!(
            out,
            "  latest report {} ({}): \"{}\"",
            r.doc_id,
            r.date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "undated".into()),
            r.evidence
        )?;
    }
    Ok(())
}

pub fn eval(
    gold_path: &Path,
    corpus: &Path,
    municipality: Option<String>,
    show: Option<Show>,
) -> Result<()> {
    let gold: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(gold_path)
            .with_context(|| format!("cannot read {}", gold_path.display()))?,
    )
    .with_context(|| format!("{} is not JSON", gold_path.display()))?;
    if !gold["documents"].is_object() {
        return eval_halves(&gold, corpus, municipality, show);
    }
    let mut archive = Archive::in_memory()?;
    archive.import_municipality_folders(corpus, &mut |_| {})?;
    let e = kedja_pipeline::evaluate_commitments(&archive, &gold, corpus)
        .map_err(anyhow::Error::msg)?;
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
fn gold_folders(gold: &serde_json::Value) -> Vec<String> {
    let mut paths: Vec<&str> = Vec::new();
    for c in gold["commitments"].as_array().into_iter().flatten() {
        paths.extend(c["document"].as_str());
        paths.extend(c["status_reported_in"].as_str());
        for p in c["also_listed_in"].as_array().into_iter().flatten() {
            paths.extend(p.as_str());
        }
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

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// A commitments gold file scored per half: the development half's
/// mistakes may be listed, the test half's never.
fn eval_halves(
    gold: &serde_json::Value,
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
    let halves = kedja_pipeline::evaluate_commitments_by_half(&archive, gold, corpus, &sources)
        .map_err(anyhow::Error::msg)?;
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
            h.half.as_str(),
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
