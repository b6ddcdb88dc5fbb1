//! Versioned schema migrations, applied in order on open.

use rusqlite::Connection;

use crate::{Error, Result};

/// Each entry moves the schema from version `i` to `i + 1`. Never edit a
/// released entry; append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: documents, their versions, references and links
    "CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        format TEXT NOT NULL,
        extractor TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        date TEXT,
        municipality TEXT,
        record_json TEXT NOT NULL,
        text TEXT NOT NULL,
        at_source INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX documents_kind ON documents(kind);
    CREATE INDEX documents_municipality ON documents(municipality);
    CREATE INDEX documents_date ON documents(date);
    CREATE TABLE versions (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        raw BLOB NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (doc_id, version)
    );
    CREATE INDEX versions_hash ON versions(content_hash);
    CREATE TABLE refs (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        diarienummer TEXT,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        json TEXT NOT NULL
    );
    CREATE INDEX refs_doc ON refs(doc_id);
    CREATE INDEX refs_dnr ON refs(diarienummer);
    CREATE TABLE links (
        from_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        to_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        link_type TEXT NOT NULL,
        confidence REAL NOT NULL,
        reason TEXT NOT NULL,
        evidence TEXT NOT NULL,
        PRIMARY KEY (from_id, to_id, link_type)
    );
    CREATE INDEX links_to ON links(to_id);",
    // 2: commitments and their status reports
    "CREATE TABLE commitments (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        responsible TEXT,
        task TEXT NOT NULL,
        deadline_start TEXT,
        deadline_end TEXT,
        cadence TEXT,
        status TEXT NOT NULL,
        evidence TEXT NOT NULL
    );
    CREATE INDEX commitments_doc ON commitments(doc_id);",
    // 3: where each reference resolved to (NULL: not yet in the archive)
    "ALTER TABLE refs ADD COLUMN resolved_to TEXT;
    CREATE INDEX refs_resolved ON refs(resolved_to);",
    // 4: tracked commitments, each with its status reports; recomputed
    // from the documents and links, so the old rows carry nothing to keep.
    "DROP TABLE commitments;
    CREATE TABLE commitments (
        id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        municipality TEXT,
        status TEXT NOT NULL,
        deadline_end TEXT,
        json TEXT NOT NULL
    );
    CREATE INDEX commitments_doc ON commitments(doc_id);",
    // 5: the crawl frontier and every fetch result, so a crawl resumes
    // where it stopped; a fetched body waits here until it is imported
    "CREATE TABLE crawl_urls (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        depth INTEGER NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        http_status INTEGER,
        etag TEXT,
        last_modified TEXT,
        content_hash TEXT,
        doc_id TEXT,
        body BLOB,
        attempts INTEGER NOT NULL DEFAULT 0,
        fetched_at TEXT,
        discovered_at TEXT NOT NULL,
        UNIQUE (source, url)
    );
    CREATE INDEX crawl_urls_state ON crawl_urls(source, state, seq);
    CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        pages INTEGER NOT NULL DEFAULT 0,
        documents INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0
    );",
    // 6: lookup keys, so that linking reads the candidates of a reference
    // and the references a new document could answer with an index
    // instead of holding the archive in memory; and each document's found
    // commitments, and the documents whose links changed since commitments
    // were last tracked. Keys and commitments are derived from a document's current version by
    // the pipeline: `derived` is 0 until they are (every document after
    // this migration, and each new version).
    "ALTER TABLE refs ADD COLUMN match_key TEXT;
    CREATE INDEX refs_match ON refs(match_key);
    CREATE TABLE doc_keys (
        key TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        PRIMARY KEY (key, doc_id)
    ) WITHOUT ROWID;
    CREATE INDEX doc_keys_doc ON doc_keys(doc_id, key);
    CREATE INDEX documents_place ON documents(municipality, kind, date);
    ALTER TABLE documents ADD COLUMN derived INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE documents ADD COLUMN commitments_json TEXT;
    CREATE INDEX documents_pending ON documents(derived) WHERE derived = 0;
    CREATE INDEX documents_committing ON documents(id) WHERE commitments_json <> '';
    CREATE TABLE tracking_pending (doc_id TEXT PRIMARY KEY) WITHOUT ROWID;",
    // 7: meetings of a meeting portal, per source, body and meeting, and
    // the files each meeting page links with their role and agenda item;
    // a file is the document whose source is its URL.
    "CREATE TABLE meetings (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        municipality TEXT,
        body TEXT NOT NULL,
        key TEXT NOT NULL,
        date TEXT NOT NULL,
        title TEXT,
        url TEXT NOT NULL,
        has_protocol INTEGER NOT NULL DEFAULT 0,
        checked_at TEXT NOT NULL,
        UNIQUE (source, body, key)
    );
    CREATE INDEX meetings_date ON meetings(date);
    CREATE INDEX meetings_pending ON meetings(source) WHERE has_protocol = 0;
    CREATE TABLE meeting_files (
        meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        item_section INTEGER,
        item_body TEXT,
        PRIMARY KEY (meeting_id, url)
    ) WITHOUT ROWID;
    CREATE INDEX meeting_files_url ON meeting_files(url);",
    // 8: documents are found by the words of their file names and listed
    // references by a key of their own: derive every document's keys again.
    "UPDATE documents SET derived = 0;",
    // 9: an author is found by the name folded to plain letters ("César"
    // and "Cesár" alike): derive every document's keys again.
    "UPDATE documents SET derived = 0;",
];

/// The schema version this program writes.
pub(crate) const CURRENT: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > CURRENT {
        return Err(Error::TooNew {
            found,
            known: CURRENT,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        // The store's transactions take the write lock at their start: of
        // two processes opening a new store at once, the second waits, then
        // finds the step done and skips it.
        let tx = conn.unchecked_transaction()?;
        let at: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if at > i as i64 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
