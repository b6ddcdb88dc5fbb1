//! `kedja crawl` and `kedja sources`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use kedja_crawl::{Config, CrawlOptions, CrawlReport};
use kedja_pipeline::Archive;
use kedja_store::CrawlState;

/// Lines of each list printed before "… and N more".
const SHOW: usize = 25;

pub fn run(
    archive: &mut Archive,
    sources: &Path,
    only: Option<&str>,
    opts: &CrawlOptions,
    in_flight: usize,
) -> Result<()> {
    let config = Config::load(sources)?;
    let chosen: Vec<_> = match only {
        Some(name) => vec![
            config
                .source(name)
                .with_context(|| format!("no source {name:?} in {}", sources.display()))?,
        ],
        None => config.sources.iter().collect(),
    };
    if chosen.is_empty() {
        bail!(
            "no sources in {}; uncomment or add a [[source]] entry",
            sources.display()
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    for source in &chosen {
        eprintln!(
            "crawling {} ({} adapter, {} start URLs)",
            source.name,
            source.adapter.as_str(),
            source.start.len()
        );
    }
    // Every source at once: one request at a time per host, at most
    // `in_flight` in all.
    let mut last: std::collections::HashMap<String, u64> = Default::default();
    let reports = runtime
        .block_on(kedja_crawl::crawl_many(
            archive,
            &config.crawler,
            &chosen,
            opts,
            in_flight,
            &mut |name, p| {
                let last = last.entry(name.to_owned()).or_default();
                if p.pages >= *last + 10 {
                    *last = p.pages;
                    let queued: Vec<String> =
                        p.queued.iter().map(|(h, n)| format!("{h} {n}")).collect();
                    eprintln!(
                        "  {name}: {} pages, {} documents, {} errors; queued: {}",
                        p.pages,
                        p.documents,
                        p.errors,
                        if queued.is_empty() {
                            "none".into()
                        } else {
                            queued.join(", ")
                        }
                    );
                }
            },
        ))
        .context("the crawl's closing step (commitments, lexicon)")?;
    let mut failed = Vec::new();
    for (source, (name, report)) in chosen.iter().zip(reports) {
        let report = match report {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{name}: the crawl stopped: {e}");
                failed.push(name);
                continue;
            }
        };
        print_report(&name, &report);
        if source.adapter == kedja_crawl::Adapter::Meetingplus {
            let now: Vec<String> = report
                .imported
                .iter()
                .chain(&report.new_versions)
                .cloned()
                .collect();
            print_meetings(archive, &name, Some(&kedja_crawl::per_body(&now)))?;
        }
    }
    if !failed.is_empty() {
        bail!("the crawl of {} stopped", failed.join(", "));
    }
    Ok(())
}

/// Per body of a meeting portal: meetings found, those whose protocol is
/// not yet adjusted, documents in the archive, and (after a crawl) the
/// documents this run brought.
fn print_meetings(
    archive: &Archive,
    source: &str,
    this_run: Option<&[(String, u64)]>,
) -> Result<()> {
    let bodies = archive.store().meetings_per_body(source)?;
    if bodies.is_empty() {
        println!("  no meetings found yet");
    }
    for b in bodies {
        let now = this_run.map(|run| {
            run.iter()
                .find(|(body, _)| *body == b.body)
                .map_or(0, |(_, n)| *n)
        });
        println!(
            "  {}: {} meetings, {} awaiting an adjusted protocol, {} with a protocol that could not be fetched, {} documents{}",
            b.body,
            b.meetings,
            b.awaiting_protocol,
            b.protocol_missing,
            b.documents,
            now.map_or(String::new(), |n| format!(" ({n} imported now)"))
        );
    }
    Ok(())
}

fn print_report(name: &str, r: &CrawlReport) {
    println!(
        "{name}: {} pages fetched; {} imported, {} new versions, {} unchanged, {} not modified; {} skipped, {} failed, {} gone{}{}",
        r.pages,
        r.imported.len(),
        r.new_versions.len(),
        r.unchanged,
        r.not_modified,
        r.skipped.len(),
        r.failed.len(),
        r.gone.len(),
        if r.resumed > 0 {
            format!("; {} fetched earlier and imported now", r.resumed)
        } else {
            String::new()
        },
        if r.stopped_early {
            "; stopped at --max-pages, the rest is queued"
        } else {
            ""
        }
    );
    let list = |title: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        println!("  {title}:");
        for i in items.iter().take(SHOW) {
            println!("    {i}");
        }
        if items.len() > SHOW {
            println!("    … and {} more", items.len() - SHOW);
        }
    };
    list("imported", r.imported.clone());
    list("new versions", r.new_versions.clone());
    list(
        "failed",
        r.failed
            .iter()
            .map(|(u, why)| format!("{u}: {why}"))
            .collect(),
    );
    list(
        "skipped",
        r.skipped
            .iter()
            .map(|(u, why)| format!("{u}: {why}"))
            .collect(),
    );
    list("no longer at their source", r.gone.clone());
}

pub fn list(archive: &Archive, sources: &Path) -> Result<()> {
    let config = Config::load(sources)?;
    if config.sources.is_empty() {
        println!("no sources in {}", sources.display());
        return Ok(());
    }
    for s in &config.sources {
        let summary = archive.store().crawl_summary(&s.name)?;
        let count = |st: CrawlState| {
            summary
                .counts
                .iter()
                .find(|(x, _)| *x == st)
                .map_or(0, |(_, n)| *n)
        };
        let last = match (&summary.last_run_started, &summary.last_run_finished) {
            (None, _) => "never crawled".to_owned(),
            (Some(start), Some(end)) => format!("last crawl {start} – {end}"),
            (Some(start), None) => format!("last crawl started {start}, not finished"),
        };
        println!(
            "{} [{}] {} ({} adapter): {last}; {} done, {} queued, {} failed, {} skipped, {} gone",
            s.name,
            s.municipality(),
            s.start.join(" "),
            s.adapter.as_str(),
            count(CrawlState::Done),
            count(CrawlState::Queued) + count(CrawlState::Fetched),
            count(CrawlState::Failed),
            count(CrawlState::Skipped),
            count(CrawlState::Gone)
        );
        if s.adapter == kedja_crawl::Adapter::Meetingplus {
            print_meetings(archive, &s.name, None)?;
        }
    }
    Ok(())
}
