//! Meetings of a meeting portal and the files they publish: each body's
//! meetings by date, whether the adjusted protocol is out, and for every
//! file its role (protocol or agenda attachment) and the agenda item its
//! name gives. A file is the document whose `source` is the file's URL;
//! what became of fetching it is the crawl frontier's row for that URL.
//!
//! A meeting is saved in the same transaction as the fetch of its page
//! (`crawl_record` with `FetchRecord::meeting`), so the frontier and the
//! meetings never disagree after a crash.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::{Result, Store, now};

/// A meeting as read from its page, to save.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewMeeting {
    pub municipality: Option<String>,
    /// The body's slug in the portal (`kommunstyrelsen`).
    pub body: String,
    /// The meeting's name within its body (`mote-2026-02-25`).
    pub key: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub title: Option<String>,
    pub files: Vec<NewMeetingFile>,
}

/// One file a meeting page links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewMeetingFile {
    pub url: String,
    /// `protocol` or `attachment`.
    pub role: String,
    pub name: String,
    /// The agenda item's § and body, when the name gives them.
    pub item_section: Option<u32>,
    pub item_body: Option<String>,
}

/// A stored meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub source: String,
    pub municipality: Option<String>,
    pub body: String,
    pub key: String,
    pub date: String,
    pub title: Option<String>,
    /// The meeting page.
    pub url: String,
    /// Whether the page linked the adjusted protocol when last fetched.
    pub has_protocol: bool,
    pub checked_at: String,
    /// Files the page links.
    pub files: u64,
    /// Of those, in the archive.
    pub documents: u64,
}

/// A stored meeting's file and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFile {
    pub meeting_id: i64,
    pub url: String,
    pub role: String,
    pub name: String,
    pub item_section: Option<u32>,
    pub item_body: Option<String>,
    /// The document it became, once imported.
    pub doc_id: Option<String>,
    pub doc_title: Option<String>,
    /// Its crawl state (`queued`, `done`, `failed`, …) and the reason.
    pub state: Option<String>,
    pub reason: Option<String>,
}

/// Per body of one source: meetings known, those whose page links no
/// protocol yet (not adjusted), those whose linked protocol is not in the
/// archive (it answered with an error), and documents in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyMeetings {
    pub body: String,
    pub meetings: u64,
    pub awaiting_protocol: u64,
    pub protocol_missing: u64,
    pub documents: u64,
}

/// Which meetings to list.
#[derive(Debug, Clone, Default)]
pub struct MeetingQuery {
    pub municipality: Option<String>,
    pub body: Option<String>,
    /// Dates from, to (inclusive; prefixes such as `2026` or `2026-02`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

const MEETING_COLUMNS: &str = "m.id, m.source, m.municipality, m.body, m.key, m.date, m.title, m.url, m.has_protocol, m.checked_at,
    (SELECT COUNT(*) FROM meeting_files f WHERE f.meeting_id = m.id),
    (SELECT COUNT(*) FROM meeting_files f JOIN documents d ON d.source = f.url WHERE f.meeting_id = m.id)";

fn meeting_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        source: r.get(1)?,
        municipality: r.get(2)?,
        body: r.get(3)?,
        key: r.get(4)?,
        date: r.get(5)?,
        title: r.get(6)?,
        url: r.get(7)?,
        has_protocol: r.get(8)?,
        checked_at: r.get(9)?,
        files: r.get::<_, i64>(10)? as u64,
        documents: r.get::<_, i64>(11)? as u64,
    })
}

const FILE_COLUMNS: &str = "f.meeting_id, f.url, f.role, f.name, f.item_section, f.item_body, d.id, d.title, c.state, c.reason";

fn file_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MeetingFile> {
    Ok(MeetingFile {
        meeting_id: r.get(0)?,
        url: r.get(1)?,
        role: r.get(2)?,
        name: r.get(3)?,
        item_section: r.get(4)?,
        item_body: r.get(5)?,
        doc_id: r.get(6)?,
        doc_title: r.get(7)?,
        state: r.get(8)?,
        reason: r.get(9)?,
    })
}

/// Save a meeting read from its page at `url`, with its files.
pub(crate) fn save_meeting(
    tx: &Transaction<'_>,
    source: &str,
    url: &str,
    m: &NewMeeting,
) -> Result<i64> {
    let has_protocol = m.files.iter().any(|f| f.role == "protocol");
    let id: i64 = tx.query_row(
        "INSERT INTO meetings (source, municipality, body, key, date, title, url, has_protocol, checked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (source, body, key) DO UPDATE SET municipality = excluded.municipality,
            date = excluded.date, title = COALESCE(excluded.title, title), url = excluded.url,
            has_protocol = excluded.has_protocol, checked_at = excluded.checked_at
         RETURNING id",
        params![
            source,
            m.municipality,
            m.body,
            m.key,
            m.date,
            m.title,
            url,
            has_protocol,
            now()
        ],
        |r| r.get(0),
    )?;
    // Files the page no longer links are kept: the archive keeps what was
    // published.
    let mut stmt = tx.prepare_cached(
        "INSERT INTO meeting_files (meeting_id, url, role, name, item_section, item_body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (meeting_id, url) DO UPDATE SET role = excluded.role, name = excluded.name,
            item_section = excluded.item_section, item_body = excluded.item_body",
    )?;
    for f in &m.files {
        stmt.execute(params![
            id,
            f.url,
            f.role,
            f.name,
            f.item_section,
            f.item_body
        ])?;
    }
    Ok(id)
}

impl Store {
    /// Meetings, newest first.
    pub fn meetings(&self, q: &MeetingQuery) -> Result<(u64, Vec<Meeting>)> {
        let mut filter = String::from("1 = 1");
        let mut args: Vec<String> = Vec::new();
        if let Some(m) = &q.municipality {
            args.push(m.clone());
            filter.push_str(&format!(" AND m.municipality = ?{}", args.len()));
        }
        if let Some(b) = &q.body {
            args.push(b.clone());
            filter.push_str(&format!(" AND m.body = ?{}", args.len()));
        }
        if let Some(f) = &q.from {
            args.push(f.clone());
            filter.push_str(&format!(" AND m.date >= ?{}", args.len()));
        }
        if let Some(t) = &q.to {
            // A prefix: everything that starts with it is before its end.
            args.push(format!("{t}\u{10ffff}"));
            filter.push_str(&format!(" AND m.date <= ?{}", args.len()));
        }
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM meetings m WHERE {filter}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {MEETING_COLUMNS} FROM meetings m WHERE {filter}
             ORDER BY m.date DESC, m.body, m.key LIMIT {} OFFSET {}",
            q.limit.max(1),
            q.offset
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), meeting_row)?;
        Ok((total as u64, rows.collect::<rusqlite::Result<_>>()?))
    }

    /// One meeting with its files: protocol first, then attachments by
    /// agenda item and name.
    pub fn meeting(&self, id: i64) -> Result<Option<(Meeting, Vec<MeetingFile>)>> {
        let Some(m) = self
            .conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.id = ?1"),
                [id],
                meeting_row,
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {FILE_COLUMNS} FROM meeting_files f
             JOIN meetings m ON m.id = f.meeting_id
             LEFT JOIN documents d ON d.source = f.url
             LEFT JOIN crawl_urls c ON c.source = m.source AND c.url = f.url
             WHERE f.meeting_id = ?1
             ORDER BY f.role = 'attachment', f.item_section IS NULL, f.item_section, f.name"
        ))?;
        let files = stmt
            .query_map([id], file_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some((m, files)))
    }

    /// The meeting a document was published for, with its role there.
    pub fn meeting_of_document(&self, doc_id: &str) -> Result<Option<(Meeting, MeetingFile)>> {
        let file = self
            .conn
            .query_row(
                &format!(
                    "SELECT {FILE_COLUMNS} FROM documents d
                     JOIN meeting_files f ON f.url = d.source
                     JOIN meetings m ON m.id = f.meeting_id
                     LEFT JOIN crawl_urls c ON c.source = m.source AND c.url = f.url
                     WHERE d.id = ?1 ORDER BY m.date DESC LIMIT 1"
                ),
                [doc_id],
                file_row,
            )
            .optional()?;
        let Some(file) = file else { return Ok(None) };
        Ok(self.meeting(file.meeting_id)?.map(|(m, _)| (m, file)))
    }

    /// Per body of a source: meetings, those awaiting a protocol, and
    /// documents in the archive.
    pub fn meetings_per_body(&self, source: &str) -> Result<Vec<BodyMeetings>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.body, COUNT(*), SUM(m.has_protocol = 0),
                SUM(m.has_protocol = 1 AND NOT EXISTS (SELECT 1 FROM meeting_files f
                    JOIN documents d ON d.source = f.url WHERE f.meeting_id = m.id AND f.role = 'protocol')),
                (SELECT COUNT(*) FROM meetings m2 JOIN meeting_files f ON f.meeting_id = m2.id
                    JOIN documents d ON d.source = f.url WHERE m2.source = m.source AND m2.body = m.body)
             FROM meetings m WHERE m.source = ?1 GROUP BY m.body ORDER BY m.body",
        )?;
        let rows = stmt.query_map([source], |r| {
            Ok(BodyMeetings {
                body: r.get(0)?,
                meetings: r.get::<_, i64>(1)? as u64,
                awaiting_protocol: r.get::<_, i64>(2)? as u64,
                protocol_missing: r.get::<_, i64>(3)? as u64,
                documents: r.get::<_, i64>(4)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Pages of a source's meetings that had no protocol when last fetched.
    pub fn meetings_awaiting_protocol(&self, source: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url FROM meetings WHERE source = ?1 AND has_protocol = 0 ORDER BY date, id",
        )?;
        let rows = stmt.query_map([source], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Meetings of a source whose page links a protocol that is not in the
    /// archive and failed to fetch: (meeting page, protocol URL).
    pub fn meeting_protocols_missing(&self, source: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.url, f.url FROM meetings m
             JOIN meeting_files f ON f.meeting_id = m.id AND f.role = 'protocol'
             JOIN crawl_urls c ON c.source = m.source AND c.url = f.url AND c.state = 'failed'
             WHERE m.source = ?1 AND m.has_protocol = 1
               AND NOT EXISTS (SELECT 1 FROM meeting_files f2 JOIN documents d ON d.source = f2.url
                               WHERE f2.meeting_id = m.id AND f2.role = 'protocol')
             ORDER BY m.date, m.id",
        )?;
        let rows = stmt.query_map([source], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Queue these URLs of a source (again): new ones are added, handled
    /// ones queued with the validators of their last fetch, queued and
    /// skipped ones left as they are. Returns how many were queued.
    pub fn crawl_requeue_urls(&mut self, source: &str, urls: &[(String, u32)]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO crawl_urls (source, url, depth, state, discovered_at) VALUES (?1, ?2, ?3, 'queued', ?4)
                 ON CONFLICT (source, url) DO UPDATE SET state = 'queued', attempts = 0
                 WHERE state IN ('done', 'failed', 'gone')",
            )?;
            let at = now();
            for (url, depth) in urls {
                n += stmt.execute(params![source, url, depth, at])?;
            }
        }
        tx.commit()?;
        Ok(n)
    }
}
