//! Running Kedja as a service: crawls on a schedule beside the server,
//! online backups of the store, and structured logs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kedja_api::AppState;
use kedja_crawl::{Config, CrawlOptions};
use kedja_pipeline::Archive;

/// Logs go to standard error (the journal under systemd): as text, or one
/// JSON object a line with `KEDJA_LOG_FORMAT=json`. `KEDJA_LOG` filters.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KEDJA_LOG")
        .unwrap_or_else(|_| "warn,kedja=info,kedja_api=info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match std::env::var("KEDJA_LOG_FORMAT").as_deref() {
        Ok("json") => builder.json().flatten_event(true).init(),
        Ok("text") | Err(_) => builder.init(),
        Ok(other) => {
            builder.init();
            tracing::warn!(
                value = other,
                "KEDJA_LOG_FORMAT must be json or text; logging text"
            );
        }
    }
}

/// What `kedja serve --crawl-every` crawls.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub data_dir: PathBuf,
    pub sources: PathBuf,
    pub every: Duration,
    /// What each crawl opens the archive with: the server's own options.
    pub options: kedja_pipeline::ArchiveOptions,
}

/// Crawl the sources every `schedule.every` on a thread of its own, one
/// crawl at a time: a crawl that outlasts the interval is followed by the
/// next at once, never overlapped. The crawl writes through its own
/// connection and index handle, so searches go on against the archive the
/// server holds; when a crawl ends, the server's archive is reopened (the
/// swap holds the server's lock for no longer than the reopening of an
/// index that is already up to date takes). Each source is crawled when its
/// recrawl interval (in the sources file) has passed. Progress and the
/// outcome go to the log.
pub fn spawn_crawls(schedule: Schedule, state: AppState) -> Result<std::thread::JoinHandle<()>> {
    // Refuse a broken sources file at start rather than at the first crawl.
    let config = Config::load(&schedule.sources)?;
    if config.sources.is_empty() {
        bail!(
            "--crawl-every needs sources: none in {}",
            schedule.sources.display()
        );
    }
    tracing::info!(
        every = %humantime::format_duration(schedule.every),
        sources = config.sources.len(),
        "crawls scheduled"
    );
    let handle = std::thread::Builder::new()
        .name("kedja-crawl".into())
        .spawn(move || {
            loop {
                let started = Instant::now();
                match crawl_once(&schedule) {
                    Ok(()) => match Archive::open(&schedule.data_dir, &schedule.options) {
                        Ok(fresh) => {
                            state.replace_archive(fresh);
                            tracing::info!("server now searches the crawled archive");
                        }
                        Err(e) => tracing::error!(error = %format!("{e:#}"), "cannot reopen the archive after the crawl"),
                    },
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "scheduled crawl failed"),
                }
                let next = schedule.every.saturating_sub(started.elapsed());
                tracing::info!(after = %humantime::format_duration(round(next)), "next crawl");
                std::thread::sleep(next);
            }
        })?;
    Ok(handle)
}

/// Whole seconds, for the log.
fn round(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs())
}

/// One crawl of every source, logged as it goes.
fn crawl_once(schedule: &Schedule) -> Result<()> {
    let config = Config::load(&schedule.sources)?;
    let mut archive = Archive::open(&schedule.data_dir, &schedule.options)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    tracing::info!(sources = config.sources.len(), "crawl started");
    for source in &config.sources {
        let mut last = 0;
        let name = source.name.as_str();
        let report = runtime.block_on(kedja_crawl::crawl(
            &mut archive,
            &config.crawler,
            source,
            &CrawlOptions::default(),
            &mut |p| {
                if p.pages >= last + 10 {
                    last = p.pages;
                    let queued: u64 = p.queued.iter().map(|(_, n)| n).sum();
                    tracing::info!(
                        source = name,
                        pages = p.pages,
                        documents = p.documents,
                        errors = p.errors,
                        queued,
                        "crawling"
                    );
                }
            },
        ));
        match report {
            Ok(r) => tracing::info!(
                source = name,
                pages = r.pages,
                imported = r.imported.len(),
                new_versions = r.new_versions.len(),
                unchanged = r.unchanged + r.not_modified,
                skipped = r.skipped.len(),
                failed = r.failed.len(),
                gone = r.gone.len(),
                "source crawled"
            ),
            // One source failing does not stop the others.
            Err(e) => tracing::error!(source = name, error = %e, "source not crawled"),
        }
    }
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "crawl finished");
    Ok(())
}

/// `kedja backup PATH`: a consistent copy of the store of `data_dir` at
/// `dest`, taken while a server, an import or a crawl may be writing.
pub fn backup(data_dir: &Path, dest: &Path) -> Result<()> {
    let db = data_dir.join("kedja.sqlite");
    if !db.is_file() {
        bail!("no store at {}: nothing to back up", db.display());
    }
    if dest.is_dir() {
        bail!(
            "{} is a directory; give the backup's file name, e.g. {}",
            dest.display(),
            dest.join("kedja.sqlite").display()
        );
    }
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        bail!("no directory {} for the backup", parent.display());
    }
    let same = std::fs::canonicalize(&db).ok() == std::fs::canonicalize(dest).ok();
    if same {
        bail!("the backup would overwrite the store itself");
    }
    let started = Instant::now();
    let store =
        kedja_store::Store::open(&db).with_context(|| format!("cannot open {}", db.display()))?;
    let pages = store
        .backup_to(dest)
        .with_context(|| format!("cannot back up to {}", dest.display()))?;
    let stats = kedja_store::Store::open(dest)
        .and_then(|copy| copy.stats())
        .with_context(|| format!("the backup at {} does not open", dest.display()))?;
    eprintln!(
        "backed up {} documents ({} versions, {} links; {pages} pages) to {} in {:.1} s",
        stats.documents,
        stats.versions,
        stats.links,
        dest.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
