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
    for source in chosen {
        eprintln!(
            "crawling {} ({} adapter, {} start URLs)",
            source.name,
            source.adapter.as_str(),
            source.start.len()
        );
        let mut last = 0;
        let report = runtime.block_on(kedja_crawl::crawl(
            archive,
            &config.crawler,
            source,
            opts,
            &mut |p| {
                if p.pages >= last + 10 {
                    last = p.pages;
                    let queued: Vec<String> =
                        p.queued.iter().map(|(h, n)| format!("{h} {n}")).collect();
                    eprintln!(
                        "  {} pages, {} documents, {} errors; queued: {}",
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
        ))?;
        print_report(&source.name, &report);
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
    }
    Ok(())
}
