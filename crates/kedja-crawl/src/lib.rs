//! The crawler: polite, incremental, resumable import from municipal
//! websites.
//!
//! A crawl of one [`Source`] runs from the frontier kept in the store:
//! start URLs and sitemap entries are queued, each queued URL is checked
//! (allowed host, skip patterns, robots.txt), fetched with the validators
//! of its last fetch, and its result saved with the links found on it in
//! one transaction. Bodies to import wait in the store until a batch is
//! imported through the same path as `kedja import` (decode, understand,
//! store, index, link). Killed at any point, the next run imports what
//! was fetched and continues with what is queued; nothing done is fetched
//! again until a recrawl, which sends conditional requests.
//!
//! I/O lives here and in the store; which links a page offers is decided by
//! the pure [`Adapter`].

mod adapter;
mod config;
mod fetch;
pub mod meetingplus;
mod sitemap;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use kedja_pipeline::{Archive, ImportOptions, Outcome};
use kedja_store::{CrawlState, FetchRecord};
use regex::Regex;
use texting_robots::Robot;
use url::Url;

pub use adapter::{Adapter, FoundLink, LinkKind, reads_as_text};
pub use config::{Config, ConfigError, InvalidConfig, Settings, Source};
pub use fetch::{ClientError, Fetched, Fetcher, Politeness, Scope, host_key, is_private};

/// Errors that stop a crawl. A page that cannot be fetched or read does
/// not: it is recorded and reported.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error(transparent)]
    Pipeline(#[from] kedja_pipeline::Error),
    #[error(transparent)]
    Store(#[from] kedja_store::Error),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("pattern {pattern:?}: {error}")]
    Pattern {
        pattern: String,
        error: regex::Error,
    },
}

/// How far to go in one run.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Stop after fetching this many URLs; the rest stays queued.
    pub max_pages: Option<u64>,
    /// Recrawl now even if the source was crawled within its interval.
    pub recrawl: bool,
}

/// Where a crawl stands, for progress output.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub pages: u64,
    pub documents: u64,
    pub errors: u64,
    /// URLs still queued, per host.
    pub queued: Vec<(String, u64)>,
}

/// What one run did.
#[derive(Debug, Clone, Default)]
pub struct CrawlReport {
    /// URLs fetched (responses received, including 304 and errors).
    pub pages: u64,
    /// New documents in the archive.
    pub imported: Vec<String>,
    /// Documents whose content changed: a new version.
    pub new_versions: Vec<String>,
    /// Fetched again and identical (by content hash) or answered 304.
    pub unchanged: u64,
    pub not_modified: u64,
    /// Never fetched, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Failed to fetch or to import, with the reason.
    pub failed: Vec<(String, String)>,
    /// Documents no longer at their source.
    pub gone: Vec<String>,
    /// Bodies fetched by an earlier, interrupted run and imported now.
    pub resumed: u64,
    /// Whether the run stopped at `max_pages` with URLs still queued.
    pub stopped_early: bool,
}

/// Documents are imported in batches of this many: one index commit and
/// one relinking per batch.
const IMPORT_BATCH: usize = 50;
/// A source that has fetched everything waits at most this long for the
/// other sources of its run to fill a batch before it imports its last
/// documents in a smaller one.
const IMPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// An endless calendar: more variants of one path (by query string) than
/// this are skipped.
const MAX_QUERY_VARIANTS: usize = 30;

/// Crawl `source` into `archive`.
pub async fn crawl(
    archive: &mut Archive,
    settings: &Settings,
    source: &Source,
    opts: &CrawlOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<CrawlReport, CrawlError> {
    let archive = RefCell::new(archive);
    let imports = Imports::new(std::slice::from_ref(&source));
    let report = crawl_shared(
        &archive,
        &imports,
        settings,
        source,
        opts,
        Politeness::new(1),
        progress,
    )
    .await?;
    close_run(&mut archive.borrow_mut())?;
    Ok(report)
}

/// Crawl every source in `sources` at once: each source runs as in
/// [`crawl`], all on this thread, sharing `politeness` (one request at a
/// time per host across all sources, with its pause, and at most
/// `max_in_flight` requests in flight). The archive is used between
/// requests only, by one source at a time; the frontier of each source is
/// in the store as always, so a killed run resumes every source. The
/// documents of all sources are imported together, in batches (see
/// [`Imports`]), and commitments and the compound lexicon are brought up
/// to date once, at the end. Reports come back in the order of `sources`;
/// the outer error is that of the closing step.
pub async fn crawl_many(
    archive: &mut Archive,
    settings: &Settings,
    sources: &[&Source],
    opts: &CrawlOptions,
    max_in_flight: usize,
    progress: &mut dyn FnMut(&str, &Progress),
) -> Result<Vec<(String, Result<CrawlReport, CrawlError>)>, CrawlError> {
    let archive = RefCell::new(archive);
    let progress = RefCell::new(progress);
    let politeness = Politeness::new(max_in_flight);
    let imports = Imports::new(sources);
    let runs = sources.iter().map(|source| {
        let (archive, imports, progress, politeness) =
            (&archive, &imports, &progress, politeness.clone());
        async move {
            let name = source.name.clone();
            let mut each = |p: &Progress| (**progress.borrow_mut())(&name, p);
            let report = crawl_shared(
                archive, imports, settings, source, opts, politeness, &mut each,
            )
            .await;
            if report.is_err() {
                // A source that stopped takes no further part in filling
                // batches.
                imports.done_fetching(&name);
            }
            (source.name.clone(), report)
        }
    });
    let reports = futures_util::future::join_all(runs).await;
    close_run(&mut archive.borrow_mut())?;
    Ok(reports)
}

/// Once per run, not per batch or per source: commitments are tracked
/// again around the run's new links, and the compound lexicon follows the
/// archive (rebuilding the index for it is the costly part).
fn close_run(archive: &mut Archive) -> Result<(), CrawlError> {
    archive.track_pending()?;
    archive.refresh_lexicon()?;
    Ok(())
}

/// A body fetched and waiting to be imported.
struct Waiting {
    source: String,
    url: String,
    body: Vec<u8>,
    opts: ImportOptions,
}

/// The documents fetched by the sources of one run, imported together:
/// three hundred small sites share a batch's index commit and relinking
/// instead of paying one each. Any source that fills a batch imports it,
/// for all; each source takes its own outcomes from `done`. A source that
/// has fetched everything imports what is left at once when no other
/// source is still fetching, else after waiting [`IMPORT_WAIT`] for the
/// others to fill the batch.
///
/// If a batch fails (a store error), its documents stay `fetched` in the
/// frontier and the next run imports them, as after a kill.
struct Imports {
    queue: RefCell<ImportQueue>,
    flushed: tokio::sync::Notify,
}

#[derive(Default)]
struct ImportQueue {
    waiting: Vec<Waiting>,
    done: HashMap<String, Vec<(String, Outcome)>>,
    /// Sources still fetching, by name.
    fetching: HashSet<String>,
}

impl Imports {
    fn new(sources: &[&Source]) -> Imports {
        Imports {
            queue: RefCell::new(ImportQueue {
                fetching: sources.iter().map(|s| s.name.clone()).collect(),
                ..Default::default()
            }),
            flushed: tokio::sync::Notify::new(),
        }
    }

    fn push(&self, source: &str, url: String, body: Vec<u8>, opts: &ImportOptions) {
        self.queue.borrow_mut().waiting.push(Waiting {
            source: source.to_owned(),
            url,
            body,
            opts: opts.clone(),
        });
    }

    fn done_fetching(&self, source: &str) {
        self.queue.borrow_mut().fetching.remove(source);
    }

    fn has_waiting(&self, source: &str) -> bool {
        self.queue
            .borrow()
            .waiting
            .iter()
            .any(|w| w.source == source)
    }

    /// Import every waiting document if a batch is full (or `now`).
    fn flush(&self, archive: &Shared<'_>, now: bool) -> Result<(), CrawlError> {
        let items = {
            let mut q = self.queue.borrow_mut();
            if q.waiting.is_empty() || (!now && q.waiting.len() < IMPORT_BATCH) {
                return Ok(());
            }
            std::mem::take(&mut q.waiting)
        };
        let mut archive = archive.borrow_mut();
        let outcomes = archive.import_batch_each(
            items
                .iter()
                .map(|w| (w.url.as_str(), w.body.as_slice(), &w.opts)),
        )?;
        for (w, outcome) in items.into_iter().zip(outcomes) {
            let (doc, failure) = match &outcome {
                Outcome::Imported { id, .. }
                | Outcome::NewVersion { id, .. }
                | Outcome::Unchanged { id } => (Some(id.to_string()), None),
                Outcome::Rejected { reason } => (None, Some(reason.as_str())),
            };
            archive
                .frontier()
                .imported(&w.source, &w.url, doc.as_deref(), failure)?;
            self.queue
                .borrow_mut()
                .done
                .entry(w.source)
                .or_default()
                .push((w.url, outcome));
        }
        self.flushed.notify_waiters();
        Ok(())
    }

    /// Once `source` has fetched everything: see that its documents are
    /// imported, in a batch the others fill or alone.
    async fn finish(&self, archive: &Shared<'_>, source: &str) -> Result<(), CrawlError> {
        self.done_fetching(source);
        while self.has_waiting(source) {
            if self.queue.borrow().fetching.is_empty() {
                return self.flush(archive, true);
            }
            let flushed = self.flushed.notified();
            if tokio::time::timeout(IMPORT_WAIT, flushed).await.is_err() {
                return self.flush(archive, true);
            }
        }
        Ok(())
    }

    /// The outcomes of `source`'s documents imported since it last asked,
    /// entered in its report; returns how many were new.
    fn take(&self, source: &str, report: &mut CrawlReport) -> u64 {
        let done = self.queue.borrow_mut().done.remove(source);
        let mut new = 0;
        for (url, outcome) in done.unwrap_or_default() {
            match outcome {
                Outcome::Imported { .. } => {
                    new += 1;
                    report.imported.push(url);
                }
                Outcome::NewVersion { .. } => {
                    new += 1;
                    report.new_versions.push(url);
                }
                Outcome::Unchanged { .. } => report.unchanged += 1,
                Outcome::Rejected { reason } => report.failed.push((url, reason)),
            }
        }
        new
    }
}

/// The archive as the crawls of several sources on one thread share it:
/// borrowed for each step between two requests, never across one.
type Shared<'a> = RefCell<&'a mut Archive>;

async fn crawl_shared(
    archive: &Shared<'_>,
    imports: &Imports,
    settings: &Settings,
    source: &Source,
    opts: &CrawlOptions,
    politeness: Politeness,
    progress: &mut dyn FnMut(&Progress),
) -> Result<CrawlReport, CrawlError> {
    let rules = Rules::new(source)?;
    let mut fetcher = Fetcher::sharing(settings, politeness)?;
    let mut robots = RobotsCache::new(settings);
    let mut report = CrawlReport::default();
    let name = source.name.as_str();
    let import_opts = ImportOptions {
        municipality: Some(source.municipality().to_owned()),
        ..Default::default()
    };
    let run = archive.borrow_mut().frontier().run_start(name)?;

    // Bodies an interrupted run fetched but did not import.
    let waiting = archive.borrow().store().crawl_fetched_bodies(name)?;
    report.resumed = waiting.len() as u64;
    for (url, body) in waiting {
        imports.push(name, url, body, &import_opts);
    }
    imports.flush(archive, false)?;

    seed(
        archive,
        source,
        opts,
        &rules,
        &mut fetcher,
        &mut robots,
        &mut report,
    )
    .await?;

    let mut variants: HashMap<String, usize> = HashMap::new();
    let mut state = Progress::default();
    'outer: loop {
        let batch = archive.borrow().store().crawl_queued(name, 64)?;
        if batch.is_empty() {
            break;
        }
        for entry in batch {
            if opts.max_pages.is_some_and(|m| report.pages >= m) {
                report.stopped_early = true;
                break 'outer;
            }
            let Ok(url) = Url::parse(&entry.url) else {
                skip(
                    &mut archive.borrow_mut(),
                    name,
                    &entry.url,
                    entry.depth,
                    "not a valid URL",
                    &mut report,
                )?;
                continue;
            };
            if let Some(reason) = rules.refuse(&url) {
                skip(
                    &mut archive.borrow_mut(),
                    name,
                    &entry.url,
                    entry.depth,
                    &reason,
                    &mut report,
                )?;
                continue;
            }
            if !robots
                .allowed(&mut fetcher, &rules.scope, &url, &mut report)
                .await
            {
                skip(
                    &mut archive.borrow_mut(),
                    name,
                    &entry.url,
                    entry.depth,
                    "robots.txt disallows it",
                    &mut report,
                )?;
                continue;
            }
            let fetched = fetcher
                .get(
                    &url,
                    &rules.scope,
                    entry.etag.as_deref(),
                    entry.last_modified.as_deref(),
                )
                .await;
            report.pages += 1;
            state.pages += 1;
            match fetched {
                Fetched::NotModified => {
                    report.not_modified += 1;
                    let rec = FetchRecord {
                        state: Some(CrawlState::Done),
                        reason: Some("not modified".into()),
                        http_status: Some(304),
                        ..Default::default()
                    };
                    archive
                        .borrow_mut()
                        .frontier()
                        .record(name, &entry.url, &rec, &[])?;
                }
                Fetched::Failed { status, reason } => {
                    state.errors += 1;
                    let gone = matches!(status, Some(404 | 410)) && entry.doc_id.is_some();
                    let rec = FetchRecord {
                        state: Some(if gone {
                            CrawlState::Gone
                        } else {
                            CrawlState::Failed
                        }),
                        reason: Some(if gone {
                            format!("no longer at its source ({reason})")
                        } else {
                            reason.clone()
                        }),
                        http_status: status,
                        ..Default::default()
                    };
                    archive
                        .borrow_mut()
                        .frontier()
                        .record(name, &entry.url, &rec, &[])?;
                    if gone {
                        report.gone.push(entry.url.clone());
                    } else {
                        report.failed.push((entry.url.clone(), reason));
                    }
                }
                Fetched::Ok {
                    final_url,
                    body,
                    content_type,
                    etag,
                    last_modified,
                } => {
                    let is_html = looks_like_html(&body, content_type.as_deref());
                    let mut found: Vec<(String, u32)> = Vec::new();
                    // A meeting portal's meeting page: the meeting and its
                    // files are saved with the fetch.
                    let meeting = (is_html
                        && source.adapter == Adapter::Meetingplus
                        && entry.depth < source.max_depth)
                        .then(|| {
                            meetingplus::read_meeting_page(
                                &String::from_utf8_lossy(&body),
                                &final_url,
                            )
                        })
                        .flatten()
                        .map(|page| new_meeting(source, page));
                    // A meeting's protocol or attachment that answers with
                    // an HTML page (the portal's "Sidan saknas", a log-in
                    // page) is no document: failed, with the page's title.
                    if is_html
                        && source.adapter == Adapter::Meetingplus
                        && meetingplus::meeting_file(&url).is_some()
                    {
                        let title = meetingplus::page_title(&String::from_utf8_lossy(&body));
                        let reason = format!(
                            "the portal answered with a page, not a document{}",
                            title
                                .map(|t| format!(" (\u{201c}{t}\u{201d})"))
                                .unwrap_or_default()
                        );
                        let rec = FetchRecord {
                            state: Some(CrawlState::Failed),
                            reason: Some(reason.clone()),
                            http_status: Some(200),
                            ..Default::default()
                        };
                        archive
                            .borrow_mut()
                            .frontier()
                            .record(name, &entry.url, &rec, &[])?;
                        report.failed.push((entry.url.clone(), reason));
                        state.errors += 1;
                        progress(&state);
                        continue;
                    }
                    if is_html && entry.depth < source.max_depth {
                        let html = String::from_utf8_lossy(&body);
                        for link in source.adapter.links(&html, &final_url) {
                            if !rules.follows(&link) {
                                continue;
                            }
                            // Only URLs with a query are counted, so the
                            // count stays as small as the site's calendars
                            // and searches, not as large as the site.
                            if link.url.query().is_some() {
                                let n = variants.entry(variant_key(&link.url)).or_insert(0);
                                *n += 1;
                                if *n > MAX_QUERY_VARIANTS {
                                    continue;
                                }
                            }
                            found.push((link.url.to_string(), entry.depth + 1));
                        }
                    }
                    // An HTML page is imported when it is a political
                    // document; listing and navigation pages are only followed.
                    let import_it = !is_html
                        || (meeting.is_none()
                            && adapter::reads_as_text(&String::from_utf8_lossy(&body))
                            && kedja_pipeline::document_kind(&body).is_some());
                    let redirected = (final_url.as_str() != entry.url)
                        .then(|| format!("redirected to {final_url}"));
                    let rec = FetchRecord {
                        state: Some(if import_it {
                            CrawlState::Fetched
                        } else {
                            CrawlState::Done
                        }),
                        reason: redirected,
                        http_status: Some(200),
                        etag,
                        last_modified,
                        content_hash: Some(kedja_model::content_hash(&body)),
                        body: import_it.then_some(body.as_slice()),
                        doc_id: None,
                        meeting,
                    };
                    archive
                        .borrow_mut()
                        .frontier()
                        .record(name, &entry.url, &rec, &found)?;
                    if import_it {
                        imports.push(name, entry.url.clone(), body, &import_opts);
                    }
                }
            }
            imports.flush(archive, false)?;
            let new = imports.take(name, &mut report);
            if new > 0 {
                state.documents += new;
                state.errors = (report.failed.len()) as u64;
            }
            // The per-host queue is a scan of the frontier: every 50 pages.
            if state.pages % 50 == 1 {
                state.queued = queued_per_host(&archive.borrow(), name)?;
            }
            progress(&state);
        }
    }
    imports.finish(archive, name).await?;
    imports.take(name, &mut report);
    let errors = report.failed.len() as u64;
    archive.borrow_mut().frontier().run_finish(
        run,
        report.pages,
        (report.imported.len() + report.new_versions.len()) as u64,
        errors,
    )?;
    Ok(report)
}

/// Queue the start URLs and sitemap entries of a new crawl or a recrawl;
/// an interrupted crawl just continues.
async fn seed(
    archive: &Shared<'_>,
    source: &Source,
    opts: &CrawlOptions,
    rules: &Rules,
    fetcher: &mut Fetcher,
    robots: &mut RobotsCache,
    report: &mut CrawlReport,
) -> Result<(), CrawlError> {
    let name = source.name.as_str();
    let summary = archive.borrow().store().crawl_summary(name)?;
    let count = |s: CrawlState| {
        summary
            .counts
            .iter()
            .find(|(x, _)| *x == s)
            .map_or(0, |(_, n)| *n)
    };
    let known: u64 = summary.counts.iter().map(|(_, n)| n).sum();
    if known > 0 && count(CrawlState::Queued) > 0 {
        return Ok(()); // resume
    }
    if known > 0 && !opts.recrawl && !recrawl_due(&summary, source.recrawl_days) {
        if source.adapter == Adapter::Meetingplus {
            revisit_meetings(&mut archive.borrow_mut(), source)?;
        }
        return Ok(());
    }
    if known > 0 {
        archive.borrow_mut().frontier().requeue(name)?;
    }
    let start: Vec<(String, u32)> = source.start.iter().map(|u| (u.clone(), 0)).collect();
    archive.borrow_mut().frontier().enqueue(name, &start)?;
    // Sitemaps: those robots.txt names, else /sitemap.xml of each start host.
    let mut maps: Vec<Url> = Vec::new();
    for s in &source.start {
        let Ok(u) = Url::parse(s) else { continue };
        let named = robots.sitemaps(fetcher, &rules.scope, &u, report).await;
        if named.is_empty() {
            if let Ok(m) = u.join("/sitemap.xml") {
                maps.push(m);
            }
        } else {
            maps.extend(named.iter().filter_map(|m| Url::parse(m).ok()));
        }
    }
    maps.dedup();
    let mut seen = 0;
    while let Some(map) = maps.pop() {
        seen += 1;
        if seen > 20 || !rules.scope.host_allowed(&map) {
            continue;
        }
        if let Fetched::Ok { body, .. } = fetcher.get(&map, &rules.scope, None, None).await
            && let Ok(sm) = sitemap::parse(&body)
        {
            maps.extend(sm.sitemaps.iter().filter_map(|m| Url::parse(m).ok()));
            let entries: Vec<(String, u32)> = sm
                .urls
                .iter()
                .filter_map(|u| Url::parse(u).ok())
                .filter(|u| source.adapter.classify(u, "").is_some())
                .map(|u| (u.to_string(), 1))
                .collect();
            archive.borrow_mut().frontier().enqueue(name, &entries)?;
        }
    }
    Ok(())
}

/// Between recrawls of a meeting portal, each run fetches again the
/// start pages (their side menus list new meetings), every meeting page
/// that had no protocol yet (it appears once adjusted) and every meeting
/// page that failed. Conditional requests make the unchanged ones cheap.
fn revisit_meetings(archive: &mut Archive, source: &Source) -> Result<(), CrawlError> {
    let name = source.name.as_str();
    let mut urls: Vec<(String, u32)> = source.start.iter().map(|u| (u.clone(), 0)).collect();
    let store = archive.store();
    urls.extend(
        store
            .meetings_awaiting_protocol(name)?
            .into_iter()
            .map(|u| (u, 1)),
    );
    // Protocols linked but not in the archive (they answered with an
    // error page): their meeting page and the protocol again.
    for (page, protocol) in store.meeting_protocols_missing(name)? {
        urls.push((page, 1));
        urls.push((protocol, 2));
    }
    urls.extend(
        store
            .crawl_urls(name, CrawlState::Failed)?
            .into_iter()
            .filter(|u| Url::parse(&u.url).is_ok_and(|u| meetingplus::meeting_page(&u).is_some()))
            .map(|u| (u.url, u.depth)),
    );
    archive.frontier().requeue_urls(name, &urls)?;
    Ok(())
}

/// A meeting page as the store saves it.
fn new_meeting(source: &Source, page: meetingplus::MeetingPage) -> kedja_store::NewMeeting {
    kedja_store::NewMeeting {
        municipality: Some(source.municipality().to_owned()),
        body: page.meeting.body,
        key: page.meeting.key,
        date: page.meeting.date,
        title: page.title,
        files: page
            .files
            .into_iter()
            .map(|(url, f)| kedja_store::NewMeetingFile {
                url,
                role: f.role.as_str().to_owned(),
                name: f.name,
                item_section: f.item.as_ref().map(|i| i.section),
                item_body: f.item.and_then(|i| i.body),
            })
            .collect(),
    }
}

/// Documents per body among the URLs of a meeting portal (files whose
/// path names their meeting), sorted by body.
pub fn per_body(urls: &[String]) -> Vec<(String, u64)> {
    let mut per: std::collections::BTreeMap<String, u64> = Default::default();
    for u in urls {
        if let Some(f) = Url::parse(u)
            .ok()
            .and_then(|u| meetingplus::meeting_file(&u))
        {
            *per.entry(f.meeting.body).or_default() += 1;
        }
    }
    per.into_iter().collect()
}

fn recrawl_due(summary: &kedja_store::CrawlSummary, days: u32) -> bool {
    let Some(last) = summary.last_run_started.as_deref() else {
        return true;
    };
    let Ok(at) = time::OffsetDateTime::parse(last, &time::format_description::well_known::Rfc3339)
    else {
        return true;
    };
    time::OffsetDateTime::now_utc() - at >= time::Duration::days(days.into())
}

fn skip(
    archive: &mut Archive,
    source: &str,
    url: &str,
    depth: u32,
    reason: &str,
    report: &mut CrawlReport,
) -> Result<(), CrawlError> {
    archive.frontier().skip(source, url, depth, reason)?;
    report.skipped.push((url.to_owned(), reason.to_owned()));
    Ok(())
}

fn queued_per_host(archive: &Archive, source: &str) -> Result<Vec<(String, u64)>, CrawlError> {
    let mut per: HashMap<String, u64> = HashMap::new();
    for u in archive.store().crawl_queued(source, 10_000)? {
        let host = Url::parse(&u.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        *per.entry(host).or_default() += 1;
    }
    let mut v: Vec<(String, u64)> = per.into_iter().collect();
    v.sort();
    Ok(v)
}

/// A page's path without its query: calendars vary the query endlessly.
fn variant_key(url: &Url) -> String {
    format!("{}{}", url.host_str().unwrap_or(""), url.path())
}

/// Decided by content: `%PDF` is never HTML whatever the header says.
fn looks_like_html(body: &[u8], content_type: Option<&str>) -> bool {
    let head: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xef || **b == 0xbb || **b == 0xbf)
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if head.starts_with(b"%pdf") {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.contains("<body")
        || text.contains("<head")
        || content_type.is_some_and(|c| c.contains("html")) && text.starts_with('<')
}

/// The source's patterns and scope.
struct Rules {
    scope: Scope,
    follow: Vec<Regex>,
    skip: Vec<Regex>,
}

impl Rules {
    fn new(source: &Source) -> Result<Rules, CrawlError> {
        let compile = |ps: &[String]| -> Result<Vec<Regex>, CrawlError> {
            ps.iter()
                .map(|p| {
                    Regex::new(p).map_err(|error| CrawlError::Pattern {
                        pattern: p.clone(),
                        error,
                    })
                })
                .collect()
        };
        Ok(Rules {
            scope: Scope {
                allowed_hosts: source.allowed_hosts.clone(),
                allow_private: source.allow_private,
            },
            follow: compile(&source.follow)?,
            skip: compile(&source.skip)?,
        })
    }

    /// Why a URL must not be fetched, if it must not.
    fn refuse(&self, url: &Url) -> Option<String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Some(format!("scheme {} is not crawled", url.scheme()));
        }
        if !self.scope.host_allowed(url) {
            return Some("host not allowed".into());
        }
        if let Some(p) = self.skip.iter().find(|p| p.is_match(url.as_str())) {
            return Some(format!("matches skip pattern {}", p.as_str()));
        }
        None
    }

    /// Whether a link found on a page joins the frontier: on an allowed
    /// host, not skipped, and (for pages) matching a follow pattern.
    fn follows(&self, link: &FoundLink) -> bool {
        self.scope.host_allowed(&link.url)
            && !self.skip.iter().any(|p| p.is_match(link.url.as_str()))
            && (link.kind == LinkKind::Document
                || self.follow.is_empty()
                || self.follow.iter().any(|p| p.is_match(link.url.as_str())))
    }
}

/// robots.txt per origin, fetched once per run (RFC 9309: a 4xx allows
/// everything, an unreachable or failing robots.txt disallows everything).
struct RobotsCache {
    /// The product token robots.txt groups are matched against: the
    /// configured user agent up to its version ("KedjaBot/0.1" → "KedjaBot").
    agent: String,
    by_origin: HashMap<String, Option<Robot>>,
    unreachable: HashMap<String, bool>,
}

impl RobotsCache {
    fn new(settings: &Settings) -> RobotsCache {
        RobotsCache {
            agent: settings
                .user_agent
                .split(['/', ' '])
                .next()
                .unwrap_or_default()
                .to_owned(),
            by_origin: HashMap::new(),
            unreachable: HashMap::new(),
        }
    }

    async fn load(
        &mut self,
        fetcher: &mut Fetcher,
        scope: &Scope,
        url: &Url,
        report: &mut CrawlReport,
    ) {
        let origin = url.origin().ascii_serialization();
        if self.by_origin.contains_key(&origin) || self.unreachable.contains_key(&origin) {
            return;
        }
        let Ok(robots_url) = url.join("/robots.txt") else {
            self.by_origin.insert(origin, None);
            return;
        };
        match fetcher.get(&robots_url, scope, None, None).await {
            Fetched::Ok { body, .. } => match Robot::new(&self.agent, &body) {
                Ok(r) => {
                    if let Some(d) = r.delay {
                        fetcher.set_crawl_delay(&fetch::host_key(url), d);
                    }
                    self.by_origin.insert(origin, Some(r));
                }
                Err(_) => {
                    self.by_origin.insert(origin, None);
                }
            },
            Fetched::Failed {
                status: Some(s), ..
            } if (400..500).contains(&s) => {
                self.by_origin.insert(origin, None);
            }
            Fetched::Failed { reason, .. } => {
                report.failed.push((
                    robots_url.to_string(),
                    format!("robots.txt: {reason}; the host is not crawled"),
                ));
                self.unreachable.insert(origin, true);
            }
            Fetched::NotModified => {
                self.by_origin.insert(origin, None);
            }
        }
    }

    async fn allowed(
        &mut self,
        fetcher: &mut Fetcher,
        scope: &Scope,
        url: &Url,
        report: &mut CrawlReport,
    ) -> bool {
        self.load(fetcher, scope, url, report).await;
        let origin = url.origin().ascii_serialization();
        if self.unreachable.contains_key(&origin) {
            return false;
        }
        match self.by_origin.get(&origin) {
            Some(Some(r)) => r.allowed(url.as_str()),
            _ => true,
        }
    }

    async fn sitemaps(
        &mut self,
        fetcher: &mut Fetcher,
        scope: &Scope,
        url: &Url,
        report: &mut CrawlReport,
    ) -> Vec<String> {
        self.load(fetcher, scope, url, report).await;
        let origin = url.origin().ascii_serialization();
        match self.by_origin.get(&origin) {
            Some(Some(r)) => r.sitemaps.clone(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_decided_by_content() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>", None));
        assert!(!looks_like_html(b"%PDF-1.7 ...", Some("text/html")));
        assert!(looks_like_html(
            b"<div>x</div>",
            Some("text/html; charset=utf-8")
        ));
        assert!(!looks_like_html(b"plain text", Some("text/plain")));
    }

    #[test]
    fn calendars_vary_by_query() {
        let a = Url::parse("https://x.se/kalender?dag=1").unwrap();
        let b = Url::parse("https://x.se/kalender?dag=2").unwrap();
        assert_eq!(variant_key(&a), variant_key(&b));
    }
}
