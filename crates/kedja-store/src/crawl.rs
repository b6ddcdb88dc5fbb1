//! The crawl frontier: every URL a crawl has seen, its state and the result
//! of its last fetch. A crawl that is stopped (even by `kill -9`) resumes
//! from here: queued URLs are fetched, fetched bodies not yet imported are
//! imported, and nothing done is fetched again until a recrawl.

use rusqlite::{OptionalExtension, params};

use crate::{Result, Store, now};

/// Where a URL stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrawlState {
    /// To fetch.
    Queued,
    /// Fetched; the body waits in the store to be imported.
    Fetched,
    /// Fetched and handled (imported, unchanged, or a page to follow).
    Done,
    /// Never fetched: robots.txt, a host not allowed, a skip pattern.
    Skipped,
    /// Fetched or tried, and failed: the reason says why.
    Failed,
    /// Was at its source before, is no longer (404 or 410 on a recrawl).
    Gone,
}

impl CrawlState {
    pub const ALL: [CrawlState; 6] = [
        CrawlState::Queued,
        CrawlState::Fetched,
        CrawlState::Done,
        CrawlState::Skipped,
        CrawlState::Failed,
        CrawlState::Gone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CrawlState::Queued => "queued",
            CrawlState::Fetched => "fetched",
            CrawlState::Done => "done",
            CrawlState::Skipped => "skipped",
            CrawlState::Failed => "failed",
            CrawlState::Gone => "gone",
        }
    }

    pub fn parse(s: &str) -> Option<CrawlState> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One URL of the frontier.
#[derive(Debug, Clone, PartialEq)]
pub struct CrawlUrl {
    pub url: String,
    pub depth: u32,
    pub state: CrawlState,
    pub reason: Option<String>,
    pub http_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub doc_id: Option<String>,
    pub attempts: u32,
}

/// The result of fetching one URL, saved with the links found on it.
#[derive(Debug, Clone, Default)]
pub struct FetchRecord<'a> {
    pub state: Option<CrawlState>,
    pub reason: Option<String>,
    pub http_status: Option<u16>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_hash: Option<String>,
    /// A body to import later (state `Fetched`).
    pub body: Option<&'a [u8]>,
    pub doc_id: Option<String>,
    /// The meeting this page is, when it is a meeting portal's meeting
    /// page: saved in the same transaction.
    pub meeting: Option<crate::NewMeeting>,
}

/// A source's crawl at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct CrawlSummary {
    pub source: String,
    /// URLs per state.
    pub counts: Vec<(CrawlState, u64)>,
    pub last_fetched_at: Option<String>,
    pub last_run_started: Option<String>,
    pub last_run_finished: Option<String>,
}

const URL_COLUMNS: &str =
    "url, depth, state, reason, http_status, etag, last_modified, doc_id, attempts";

fn url_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CrawlUrl> {
    let state: String = r.get(2)?;
    Ok(CrawlUrl {
        url: r.get(0)?,
        depth: r.get(1)?,
        state: CrawlState::parse(&state).unwrap_or(CrawlState::Failed),
        reason: r.get(3)?,
        http_status: r.get(4)?,
        etag: r.get(5)?,
        last_modified: r.get(6)?,
        doc_id: r.get(7)?,
        attempts: r.get(8)?,
    })
}

impl Store {
    /// Add URLs to a source's frontier; those already known are left as
    /// they are. Returns how many were new.
    pub fn crawl_enqueue(&mut self, source: &str, urls: &[(String, u32)]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let n = enqueue(&tx, source, urls)?;
        tx.commit()?;
        Ok(n)
    }

    /// Add URLs as skipped, with the reason (robots.txt, a host not
    /// allowed): they are reported and never fetched.
    pub fn crawl_skip(&mut self, source: &str, url: &str, depth: u32, reason: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO crawl_urls (source, url, depth, state, reason, discovered_at) VALUES (?1, ?2, ?3, 'skipped', ?4, ?5)
             ON CONFLICT (source, url) DO UPDATE SET state = 'skipped', reason = excluded.reason WHERE state = 'queued'",
            params![source, url, depth, reason, now()],
        )?;
        Ok(())
    }

    /// The next queued URLs in discovery order.
    pub fn crawl_queued(&self, source: &str, limit: usize) -> Result<Vec<CrawlUrl>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {URL_COLUMNS} FROM crawl_urls WHERE source = ?1 AND state = 'queued' ORDER BY seq LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![source, limit as i64], url_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn crawl_url(&self, source: &str, url: &str) -> Result<Option<CrawlUrl>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {URL_COLUMNS} FROM crawl_urls WHERE source = ?1 AND url = ?2"),
                params![source, url],
                url_row,
            )
            .optional()?)
    }

    /// Every URL of a source in one state, in discovery order.
    pub fn crawl_urls(&self, source: &str, state: CrawlState) -> Result<Vec<CrawlUrl>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {URL_COLUMNS} FROM crawl_urls WHERE source = ?1 AND state = ?2 ORDER BY seq"
        ))?;
        let rows = stmt.query_map(params![source, state.as_str()], url_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Save what fetching `url` gave and the links found on it, in one
    /// transaction: a crash leaves either both or neither.
    pub fn crawl_record(
        &mut self,
        source: &str,
        url: &str,
        rec: &FetchRecord<'_>,
        found: &[(String, u32)],
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE crawl_urls SET
                state = COALESCE(?3, state),
                reason = ?4,
                http_status = COALESCE(?5, http_status),
                etag = COALESCE(?6, etag),
                last_modified = COALESCE(?7, last_modified),
                content_hash = COALESCE(?8, content_hash),
                body = ?9,
                doc_id = COALESCE(?10, doc_id),
                attempts = attempts + 1,
                fetched_at = ?11
             WHERE source = ?1 AND url = ?2",
            params![
                source,
                url,
                rec.state.map(CrawlState::as_str),
                rec.reason,
                rec.http_status,
                rec.etag,
                rec.last_modified,
                rec.content_hash,
                rec.body,
                rec.doc_id,
                now()
            ],
        )?;
        if let Some(m) = &rec.meeting {
            crate::meetings::save_meeting(&tx, source, url, m)?;
        }
        let n = enqueue(&tx, source, found)?;
        tx.commit()?;
        Ok(n)
    }

    /// Bodies fetched and not yet imported, in discovery order.
    pub fn crawl_fetched_bodies(&self, source: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT url, body FROM crawl_urls WHERE source = ?1 AND state = 'fetched' ORDER BY seq",
        )?;
        let rows = stmt.query_map([source], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<Vec<u8>>>(1)?.unwrap_or_default(),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// After import: the URL is done (or failed, with the reason), its body
    /// dropped (the archive keeps the bytes).
    pub fn crawl_imported(
        &mut self,
        source: &str,
        url: &str,
        doc_id: Option<&str>,
        failure: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE crawl_urls SET state = ?3, reason = ?4, doc_id = COALESCE(?5, doc_id), body = NULL
             WHERE source = ?1 AND url = ?2",
            params![
                source,
                url,
                if failure.is_some() { "failed" } else { "done" },
                failure,
                doc_id
            ],
        )?;
        Ok(())
    }

    /// Queue every URL of a source again for a recrawl (conditional
    /// requests use the validators kept from last time). URLs skipped by
    /// rule stay skipped.
    pub fn crawl_requeue(&mut self, source: &str) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE crawl_urls SET state = 'queued', attempts = 0 WHERE source = ?1 AND state IN ('done', 'failed', 'gone')",
            [source],
        )?)
    }

    pub fn crawl_run_start(&mut self, source: &str) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO crawl_runs (source, started_at) VALUES (?1, ?2)",
            params![source, now()],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn crawl_run_finish(
        &mut self,
        run: i64,
        pages: u64,
        documents: u64,
        errors: u64,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE crawl_runs SET finished_at = ?2, pages = ?3, documents = ?4, errors = ?5 WHERE id = ?1",
            params![run, now(), pages as i64, documents as i64, errors as i64],
        )?;
        Ok(())
    }

    /// Whether the last run of a source finished, and when it started.
    pub fn crawl_last_run(&self, source: &str) -> Result<Option<(String, Option<String>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT started_at, finished_at FROM crawl_runs WHERE source = ?1 ORDER BY id DESC LIMIT 1",
                [source],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Per source: URLs per state and the last fetch and run.
    pub fn crawl_summary(&self, source: &str) -> Result<CrawlSummary> {
        let mut per_state: Vec<(String, i64)> = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT state, COUNT(*) FROM crawl_urls WHERE source = ?1 GROUP BY state",
            )?;
            for row in stmt.query_map([source], |r| Ok((r.get(0)?, r.get(1)?)))? {
                per_state.push(row?);
            }
        }
        let counts = CrawlState::ALL
            .into_iter()
            .map(|state| {
                let n = per_state
                    .iter()
                    .find(|(s, _)| s == state.as_str())
                    .map_or(0, |(_, n)| *n);
                (state, n as u64)
            })
            .collect();
        let last_fetched_at = self.conn.query_row(
            "SELECT MAX(fetched_at) FROM crawl_urls WHERE source = ?1",
            [source],
            |r| r.get(0),
        )?;
        let run = self.crawl_last_run(source)?;
        Ok(CrawlSummary {
            source: source.to_owned(),
            counts,
            last_fetched_at,
            last_run_started: run.as_ref().map(|r| r.0.clone()),
            last_run_finished: run.and_then(|r| r.1),
        })
    }

    /// Whether a document's source URL was found gone on the last crawl.
    pub fn crawl_gone(&self, doc_id: &str) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM crawl_urls WHERE doc_id = ?1 AND state = 'gone'",
            [doc_id],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }
}

fn enqueue(tx: &rusqlite::Transaction<'_>, source: &str, urls: &[(String, u32)]) -> Result<usize> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO crawl_urls (source, url, depth, state, discovered_at) VALUES (?1, ?2, ?3, 'queued', ?4)",
    )?;
    let at = now();
    let mut n = 0;
    for (url, depth) in urls {
        n += stmt.execute(params![source, url, depth, at])?;
    }
    Ok(n)
}

/// The crawler's handle for writing: its frontier (URLs queued, fetched,
/// imported or skipped, and its runs) and nothing else, so a crawl cannot
/// write documents, links or commitments past the pipeline. What it reads
/// (the queue, bodies waiting, summaries) it reads through [`Store`].
#[derive(Debug)]
pub struct Frontier<'a>(&'a mut Store);

impl Store {
    pub fn frontier(&mut self) -> Frontier<'_> {
        Frontier(self)
    }
}

impl Frontier<'_> {
    /// See [`Store::crawl_enqueue`].
    pub fn enqueue(&mut self, source: &str, urls: &[(String, u32)]) -> Result<usize> {
        self.0.crawl_enqueue(source, urls)
    }

    /// See [`Store::crawl_skip`].
    pub fn skip(&mut self, source: &str, url: &str, depth: u32, reason: &str) -> Result<()> {
        self.0.crawl_skip(source, url, depth, reason)
    }

    /// See [`Store::crawl_record`].
    pub fn record(
        &mut self,
        source: &str,
        url: &str,
        rec: &FetchRecord<'_>,
        found: &[(String, u32)],
    ) -> Result<usize> {
        self.0.crawl_record(source, url, rec, found)
    }

    /// See [`Store::crawl_imported`].
    pub fn imported(
        &mut self,
        source: &str,
        url: &str,
        doc_id: Option<&str>,
        failure: Option<&str>,
    ) -> Result<()> {
        self.0.crawl_imported(source, url, doc_id, failure)
    }

    /// See [`Store::crawl_requeue`].
    pub fn requeue(&mut self, source: &str) -> Result<usize> {
        self.0.crawl_requeue(source)
    }

    /// See [`Store::crawl_requeue_urls`].
    pub fn requeue_urls(&mut self, source: &str, urls: &[(String, u32)]) -> Result<usize> {
        self.0.crawl_requeue_urls(source, urls)
    }

    /// See [`Store::crawl_run_start`].
    pub fn run_start(&mut self, source: &str) -> Result<i64> {
        self.0.crawl_run_start(source)
    }

    /// See [`Store::crawl_run_finish`].
    pub fn run_finish(&mut self, run: i64, pages: u64, documents: u64, errors: u64) -> Result<()> {
        self.0.crawl_run_finish(run, pages, documents, errors)
    }
}
