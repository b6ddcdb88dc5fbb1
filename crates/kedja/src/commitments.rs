//! `kedja commitments`: the list, as text or JSON.

use std::io::Write;

use anyhow::{Context, Result};
use kedja_model::{Commitment, Date};
use kedja_pipeline::{Archive, CommitmentQuery};

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
