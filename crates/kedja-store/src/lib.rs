//! The store: SQLite, the source of truth for documents, their versions,
//! references, links and commitments.
//!
//! One file in the data directory, WAL mode, versioned migrations that run
//! on open ([`Store::open`]). Saving is idempotent by content hash: the same
//! bytes imported twice, from any source, give [`SaveOutcome::Unchanged`];
//! changed bytes at a known source give a new version and keep the old one.
//! The search index is derived from this store and can always be rebuilt
//! from it.

mod backup;
mod crawl;
mod findings;
mod linking;
mod meetings;
mod schema;

pub use crawl::{CrawlState, CrawlSummary, CrawlUrl, FetchRecord, Frontier};
pub use linking::{CandidateQuery, CitingReference, Derived};
pub use meetings::{BodyMeetings, Meeting, MeetingFile, MeetingQuery, NewMeeting, NewMeetingFile};

use std::path::Path;

use kedja_model::{Commitment, DocId, Document, Format, Link, LinkType, Record, Reference};
use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Errors of the store. The cause is part of the message and not also a
/// `source`, so that a printed chain says it once.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("stored record cannot be read: {0}")]
    Corrupt(String),
    #[error(
        "database schema version {found} is newer than this program knows ({known}); upgrade kedja"
    )]
    TooNew { found: i64, known: i64 },
    #[error("backup failed: {0}")]
    Backup(String),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Sqlite(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// A document to save: everything but its id, version and import time,
/// which the store assigns.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub source: &'a str,
    pub format: Format,
    pub extractor: &'a str,
    pub raw: &'a [u8],
    pub text: &'a str,
    pub record: &'a Record,
    pub references: &'a [Reference],
}

/// What saving did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A document new to the store.
    Imported { id: DocId },
    /// New content at a known source; the old version is kept.
    NewVersion { id: DocId, version: u32 },
    /// These exact bytes are already stored (under `id`, maybe from another source).
    Unchanged { id: DocId },
}

impl SaveOutcome {
    pub fn id(&self) -> &DocId {
        match self {
            SaveOutcome::Imported { id }
            | SaveOutcome::NewVersion { id, .. }
            | SaveOutcome::Unchanged { id } => id,
        }
    }
}

/// One stored version of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub version: u32,
    pub content_hash: String,
    pub imported_at: OffsetDateTime,
    pub text: String,
}

/// A stored reference with its row id.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReference {
    pub id: i64,
    pub doc_id: DocId,
    pub reference: Reference,
    /// The stored document it resolved to; `None` while it is not in the archive.
    pub resolved_to: Option<DocId>,
}

/// Counts for the health endpoint and progress output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub documents: u64,
    pub versions: u64,
    pub references: u64,
    pub links: u64,
}

/// A connection to the store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

/// How long a write waits for another process's write to end.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

impl Store {
    /// Open (creating if needed) the store at `path` and migrate it.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Turning a new store's journal to WAL takes the whole file. Two
        // processes opening it at once (two imports into a new data
        // directory) can each hold a shared lock and want the exclusive
        // one; SQLite then fails one of them at once rather than wait
        // (a deadlock), so it tries again, its locks released.
        let started = std::time::Instant::now();
        loop {
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => {
                    other?;
                    break;
                }
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Store::init(conn)
    }

    /// A private in-memory store, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every transaction of the store writes: taking the write lock at
        // its start makes a second writer (another import) wait for it,
        // up to BUSY_TIMEOUT, where a transaction that read first and then
        // found the lock taken would fail at once.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        schema::migrate(&conn)?;
        Ok(Store { conn })
    }

    /// The schema version after migration.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Save a document in one transaction: idempotent by content hash,
    /// versioned by source.
    pub fn save(&mut self, doc: &NewDocument<'_>) -> Result<SaveOutcome> {
        let hash = kedja_model::content_hash(doc.raw);
        let now = OffsetDateTime::now_utc();
        let now_s = now
            .format(&Rfc3339)
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        let record_json =
            serde_json::to_string(doc.record).map_err(|e| Error::Corrupt(e.to_string()))?;
        let tx = self.conn.transaction()?;
        let same: Option<String> = tx
            .query_row(
                "SELECT doc_id FROM versions WHERE content_hash = ?1 LIMIT 1",
                [&hash],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = same {
            return Ok(SaveOutcome::Unchanged { id: DocId(id) });
        }
        let existing: Option<(String, u32)> = tx
            .query_row(
                "SELECT id, version FROM documents WHERE source = ?1",
                [doc.source],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (id, version) = match &existing {
            Some((id, v)) => (DocId(id.clone()), v + 1),
            None => (DocId::for_source(doc.source), 1),
        };
        let r = doc.record;
        tx.execute(
            "INSERT INTO documents (id, source, format, extractor, content_hash, version, imported_at, kind, title, date, municipality, record_json, text, at_source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1)
             ON CONFLICT(id) DO UPDATE SET source = excluded.source, format = excluded.format, extractor = excluded.extractor,
               content_hash = excluded.content_hash, version = excluded.version, imported_at = excluded.imported_at,
               kind = excluded.kind, title = excluded.title, date = excluded.date, municipality = excluded.municipality,
               record_json = excluded.record_json, text = excluded.text, at_source = 1,
               derived = 0, commitments_json = NULL",
            params![
                id.as_str(),
                doc.source,
                doc.format.as_str(),
                doc.extractor,
                hash,
                version,
                now_s,
                r.kind.as_str(),
                r.title,
                r.date.map(|d| d.to_string()),
                r.municipality,
                record_json,
                doc.text,
            ],
        )?;
        tx.execute(
            "INSERT INTO versions (doc_id, version, content_hash, imported_at, raw, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id.as_str(), version, hash, now_s, doc.raw, doc.text],
        )?;
        replace_references(&tx, &id, doc.references)?;
        tx.commit()?;
        Ok(if existing.is_some() {
            SaveOutcome::NewVersion { id, version }
        } else {
            SaveOutcome::Imported { id }
        })
    }

    /// The current version of a document.
    pub fn get(&self, id: &DocId) -> Result<Option<Document>> {
        self.conn
            .query_row(
                &format!("{DOC_SELECT} WHERE id = ?1"),
                [id.as_str()],
                row_to_doc,
            )
            .optional()?
            .transpose()
    }

    /// The id of the document stored from `source`.
    pub fn id_for_source(&self, source: &str) -> Result<Option<DocId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE source = ?1",
                [source],
                |r| r.get(0),
            )
            .optional()?
            .map(DocId))
    }

    /// The documents that are parts of the document stored from `source`
    /// (a protocol's §§, stored from `<source>#§N`), with their records, in
    /// the order of their number. Read by the `source` index.
    pub fn parts(&self, source: &str) -> Result<Vec<(DocId, Record)>> {
        let from = format!("{source}#");
        let to = format!("{source}$");
        let mut stmt = self
            .conn
            .prepare("SELECT id, record_json FROM documents WHERE source >= ?1 AND source < ?2")?;
        let rows = stmt.query_map([&from, &to], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row?;
            let record: Record = serde_json::from_str(&json)
                .map_err(|e| Error::Corrupt(format!("document {id}: {e}")))?;
            if record.part_of.is_some() {
                out.push((DocId(id), record));
            }
        }
        let number = |r: &Record| {
            r.paragraph
                .as_deref()
                .and_then(|p| p.trim_start_matches('§').trim().parse::<u32>().ok())
                .unwrap_or(u32::MAX)
        };
        out.sort_by_key(|(_, r)| number(r));
        Ok(out)
    }

    /// Every document, in id order, one at a time (constant memory).
    pub fn for_each_document(&self, mut f: impl FnMut(Document) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!("{DOC_SELECT} ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(row_to_doc(row)??)?;
        }
        Ok(())
    }

    /// All versions of a document, oldest first.
    pub fn versions(&self, id: &DocId) -> Result<Vec<Version>> {
        let mut stmt =
            self.conn.prepare("SELECT version, content_hash, imported_at, text FROM versions WHERE doc_id = ?1 ORDER BY version")?;
        let rows = stmt.query_map([id.as_str()], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (version, content_hash, at, text) = row?;
            Ok(Version {
                version,
                content_hash,
                imported_at: parse_time(&at)?,
                text,
            })
        })
        .collect()
    }

    /// The references a document makes.
    pub fn references(&self, id: &DocId) -> Result<Vec<StoredReference>> {
        self.query_references("WHERE doc_id = ?1 ORDER BY start_offset", [id.as_str()])
    }

    /// The id and record of every document (constant memory per row), for
    /// building a linking corpus.
    pub fn for_each_record(&self, mut f: impl FnMut(DocId, Record) -> Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, record_json FROM documents ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let json: String = row.get(1)?;
            let record = serde_json::from_str(&json)
                .map_err(|e| Error::Corrupt(format!("document {id}: {e}")))?;
            f(DocId(id), record)?;
        }
        Ok(())
    }

    /// References of `id` that resolved to no stored document.
    pub fn unresolved_references(&self, id: &DocId) -> Result<Vec<StoredReference>> {
        self.query_references(
            "WHERE doc_id = ?1 AND resolved_to IS NULL AND kind IN ('mention', 'decision', 'paragraph') ORDER BY start_offset",
            [id.as_str()],
        )
    }

    /// Every stored reference.
    pub fn all_references(&self) -> Result<Vec<StoredReference>> {
        self.query_references("ORDER BY doc_id, start_offset", [])
    }

    fn query_references(
        &self,
        tail: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<StoredReference>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, doc_id, json, resolved_to FROM refs {tail}"
        ))?;
        let rows = stmt.query_map(p, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        rows.map(|row| {
            let (id, doc_id, json, resolved_to) = row?;
            let reference = serde_json::from_str(&json)
                .map_err(|e| Error::Corrupt(format!("reference {id}: {e}")))?;
            Ok(StoredReference {
                id,
                doc_id: DocId(doc_id),
                reference,
                resolved_to: resolved_to.map(DocId),
            })
        })
        .collect()
    }

    /// Replace the links that `from` makes (after relinking it).
    pub fn replace_links(&mut self, from: &DocId, links: &[Link]) -> Result<()> {
        self.save_linking(from, links, &[])
    }

    /// Replace the links that `from` makes and record, for each of its
    /// references (by row id), the document it resolved to, in one
    /// transaction.
    pub fn save_linking(
        &mut self,
        from: &DocId,
        links: &[Link],
        resolved: &[(i64, Option<DocId>)],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (ref_id, target) in resolved {
            tx.execute(
                "UPDATE refs SET resolved_to = ?1 WHERE id = ?2 AND doc_id = ?3",
                params![target.as_ref().map(DocId::as_str), ref_id, from.as_str()],
            )?;
        }
        tx.execute("DELETE FROM links WHERE from_id = ?1", [from.as_str()])?;
        for l in links {
            tx.execute(
                "INSERT OR REPLACE INTO links (from_id, to_id, link_type, confidence, reason, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![l.from.as_str(), l.to.as_str(), l.link_type.as_str(), l.confidence, l.reason, l.evidence],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Replace every tracked commitment and forget the documents waiting
    /// to be tracked again, in one transaction.
    pub fn replace_commitments(&mut self, commitments: &[Commitment]) -> Result<()> {
        self.replace_commitments_where(None, commitments)
    }

    /// Replace the tracked commitments stated in `docs` (tracked again
    /// because their documents or links changed) and forget the documents
    /// waiting to be tracked again, in one transaction.
    pub fn replace_commitments_of(
        &mut self,
        docs: &[DocId],
        commitments: &[Commitment],
    ) -> Result<()> {
        self.replace_commitments_where(Some(docs), commitments)
    }

    fn replace_commitments_where(
        &mut self,
        docs: Option<&[DocId]>,
        commitments: &[Commitment],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM tracking_pending", [])?;
        match docs {
            None => {
                tx.execute("DELETE FROM commitments", [])?;
            }
            Some(docs) => {
                let mut delete = tx.prepare_cached("DELETE FROM commitments WHERE doc_id = ?1")?;
                for id in docs {
                    delete.execute([id.as_str()])?;
                }
            }
        }
        {
            let mut insert = tx.prepare(
                "INSERT OR REPLACE INTO commitments (id, doc_id, municipality, status, deadline_end, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for c in commitments {
                let json = serde_json::to_string(c)
                    .map_err(|e| Error::Corrupt(format!("commitment {}: {e}", c.id)))?;
                insert.execute(params![
                    c.id,
                    c.doc_id.as_str(),
                    c.municipality,
                    c.status.as_str(),
                    c.deadline.map(|d| d.end.to_string()),
                    json
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every tracked commitment, by document and position of its evidence.
    pub fn commitments(&self) -> Result<Vec<Commitment>> {
        let mut stmt = self
            .conn
            .prepare("SELECT json FROM commitments ORDER BY doc_id, rowid")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|json| {
            let json = json?;
            serde_json::from_str(&json).map_err(|e| Error::Corrupt(format!("commitment: {e}")))
        })
        .collect()
    }

    /// Links out of a document.
    pub fn links_from(&self, id: &DocId) -> Result<Vec<Link>> {
        self.query_links("WHERE from_id = ?1", [id.as_str()])
    }

    /// Links into a document.
    pub fn links_to(&self, id: &DocId) -> Result<Vec<Link>> {
        self.query_links("WHERE to_id = ?1", [id.as_str()])
    }

    /// Every link.
    pub fn all_links(&self) -> Result<Vec<Link>> {
        self.query_links("", [])
    }

    fn query_links(&self, filter: &str, p: impl rusqlite::Params) -> Result<Vec<Link>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT from_id, to_id, link_type, confidence, reason, evidence FROM links {filter} ORDER BY from_id, to_id, link_type"
        ))?;
        let rows = stmt.query_map(p, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        rows.map(|row| {
            let (from, to, t, confidence, reason, evidence) = row?;
            let link_type = LinkType::parse(&t)
                .ok_or_else(|| Error::Corrupt(format!("unknown link type {t}")))?;
            Ok(Link {
                from: DocId(from),
                to: DocId(to),
                link_type,
                confidence: confidence as f32,
                reason,
                evidence,
            })
        })
        .collect()
    }

    /// Number of stored documents.
    pub fn document_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    pub fn stats(&self) -> Result<Stats> {
        let count = |table: &str| -> Result<u64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })? as u64)
        };
        Ok(Stats {
            documents: count("documents")?,
            versions: count("versions")?,
            references: count("refs")?,
            links: count("links")?,
        })
    }
}

fn replace_references(
    tx: &rusqlite::Transaction<'_>,
    id: &DocId,
    refs: &[Reference],
) -> Result<()> {
    tx.execute("DELETE FROM refs WHERE doc_id = ?1", [id.as_str()])?;
    let mut stmt = tx.prepare(
        "INSERT INTO refs (doc_id, kind, diarienummer, start_offset, end_offset, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for r in refs {
        let json = serde_json::to_string(r).map_err(|e| Error::Corrupt(e.to_string()))?;
        stmt.execute(params![
            id.as_str(),
            r.kind.as_str(),
            r.diarienummer,
            r.start as i64,
            r.end as i64,
            json
        ])?;
    }
    Ok(())
}

const DOC_SELECT: &str = "SELECT id, source, format, extractor, content_hash, version, imported_at, record_json, text FROM documents";

fn row_to_doc(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Document>> {
    let id: String = r.get(0)?;
    let source: String = r.get(1)?;
    let format: String = r.get(2)?;
    let extractor: String = r.get(3)?;
    let content_hash: String = r.get(4)?;
    let version: u32 = r.get(5)?;
    let imported_at: String = r.get(6)?;
    let record_json: String = r.get(7)?;
    let text: String = r.get(8)?;
    Ok((|| {
        let format = Format::parse(&format)
            .ok_or_else(|| Error::Corrupt(format!("document {id}: unknown format {format}")))?;
        let record: Record = serde_json::from_str(&record_json)
            .map_err(|e| Error::Corrupt(format!("document {id}: {e}")))?;
        Ok(Document {
            id: DocId(id),
            source,
            format,
            extractor,
            content_hash,
            version,
            imported_at: parse_time(&imported_at)?,
            text,
            record,
        })
    })())
}

fn parse_time(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| Error::Corrupt(format!("time {s}: {e}")))
}

#[cfg(test)]
mod tests;

/// The current time as RFC 3339, for crawl records.
pub(crate) fn now() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}
