//! What linking and commitment tracking read from the store, by index, so
//! that neither needs the archive in memory: the candidates of one
//! reference, the references a new document could answer, and the found
//! commitments of the documents that state or report on any.
//!
//! The keys and the commitments are derived from each document's current
//! version by the caller (the pipeline), which knows how; the store keeps
//! them, marks a document pending until they are saved, and clears them
//! when a new version comes.

use std::collections::HashSet;

use kedja_model::{CommitmentText, Date, DocId, DocKind, Link, Record};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use crate::{Error, Result, Store, StoredReference, findings};

/// The documents one reference may name. Conditions left `None` do not
/// narrow.
#[derive(Debug, Clone)]
pub struct CandidateQuery<'a> {
    /// Never this document (the citing one).
    pub exclude: &'a DocId,
    /// This municipality, or none known.
    pub municipality: Option<&'a str>,
    pub kinds: Option<&'a [DocKind]>,
    /// Dated documents must be dated in this inclusive range (either end
    /// may be open).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Undated documents are left out.
    pub dated: bool,
    /// Only documents with this key.
    pub key: Option<&'a str>,
    /// Documents of these kinds that have any key starting with the
    /// prefix must have this key: (key, prefix, kinds).
    pub among: Option<(&'a str, &'a str, &'a [DocKind])>,
    /// Only documents with at least one of these keys (none: no document).
    pub any_key: Option<&'a [String]>,
}

/// A stored reference with the municipality and date of the document that
/// makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CitingReference {
    pub stored: StoredReference,
    pub municipality: Option<String>,
    pub date: Option<Date>,
}

/// What the pipeline derives from a document's current version.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The keys the document is found by.
    pub keys: Vec<String>,
    /// The key of each of its references, by row id.
    pub reference_keys: Vec<(i64, Option<String>)>,
    /// Its found commitments, `None` when it states or reports on none.
    pub commitments: Option<CommitmentText>,
}

/// The largest number of documents [`Store::pending_derivation`] hands out
/// at once.
const PENDING_BATCH: usize = 500;
/// Ids per `IN (…)` list, well below SQLite's limit on parameters.
const CHUNK: usize = 400;

impl Store {
    /// The documents `q` asks for, with their records and sources.
    ///
    /// The query is split where an OR would keep SQLite from the index on
    /// (municipality, kind, date): the municipality or none, a date in the
    /// range or none. The parts are disjoint, so their union has no
    /// duplicates.
    pub fn candidates(&self, q: &CandidateQuery<'_>) -> Result<Vec<(DocId, Record, String)>> {
        if q.any_key.is_some_and(<[String]>::is_empty) {
            return Ok(Vec::new());
        }
        let mut places: Vec<(&str, Vec<Value>)> = match q.municipality {
            Some(m) => vec![
                ("d.municipality = ?", vec![Value::Text(m.to_owned())]),
                ("d.municipality IS NULL", vec![]),
            ],
            None => vec![("1", vec![])],
        };
        let mut range = String::from("d.date IS NOT NULL");
        let mut range_args = Vec::new();
        if let Some(from) = q.from {
            range.push_str(" AND d.date >= ?");
            range_args.push(Value::Text(from.to_string()));
        }
        if let Some(to) = q.to {
            range.push_str(" AND d.date <= ?");
            range_args.push(Value::Text(to.to_string()));
        }
        let mut dates: Vec<(String, Vec<Value>)> = vec![(range, range_args)];
        if !q.dated {
            dates.push(("d.date IS NULL".to_owned(), vec![]));
        }
        // The conditions every part shares.
        let mut common = String::new();
        let mut common_args: Vec<Value> = Vec::new();
        if let Some(kinds) = q.kinds {
            common.push_str(" AND d.kind IN (");
            common.push_str(&placeholders(kinds.len()));
            common.push(')');
            common_args.extend(kinds.iter().map(|k| Value::Text(k.as_str().to_owned())));
        }
        if let Some((key, prefix, kinds)) = q.among {
            common.push_str(" AND (d.kind NOT IN (");
            common.push_str(&placeholders(kinds.len()));
            common.push_str(") OR d.id IN (SELECT doc_id FROM doc_keys WHERE key = ?)");
            common.push_str(
                " OR NOT EXISTS (SELECT 1 FROM doc_keys k WHERE k.doc_id = d.id AND k.key >= ? AND k.key < ?))",
            );
            common_args.extend(kinds.iter().map(|k| Value::Text(k.as_str().to_owned())));
            common_args.push(Value::Text(key.to_owned()));
            common_args.push(Value::Text(prefix.to_owned()));
            common_args.push(Value::Text(prefix_end(prefix)));
        }
        if let Some(keys) = q.any_key {
            common.push_str(" AND d.id IN (SELECT doc_id FROM doc_keys WHERE key IN (");
            common.push_str(&placeholders(keys.len()));
            common.push_str("))");
            common_args.extend(keys.iter().map(|k| Value::Text(k.clone())));
        }
        // A key names few documents: they are read first (CROSS JOIN keeps
        // that order), not looked for among all of a municipality's.
        let from = if q.key.is_some() {
            "doc_keys kk CROSS JOIN documents d ON d.id = kk.doc_id WHERE kk.key = ? AND"
        } else {
            "documents d WHERE"
        };
        let mut parts = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        for (place, place_args) in places.drain(..) {
            for (date, date_args) in &dates {
                parts.push(format!(
                    "SELECT d.id, d.record_json, d.source FROM {from} d.id <> ? AND {place} AND {date}{common}"
                ));
                if let Some(key) = q.key {
                    args.push(Value::Text(key.to_owned()));
                }
                args.push(Value::Text(q.exclude.0.clone()));
                args.extend(place_args.iter().cloned());
                args.extend(date_args.iter().cloned());
                args.extend(common_args.iter().cloned());
            }
        }
        let sql = parts.join(" UNION ALL ");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, json, source) = row?;
            let record = serde_json::from_str(&json)
                .map_err(|e| Error::Corrupt(format!("document {id}: {e}")))?;
            Ok((DocId(id), record, source))
        })
        .collect()
    }

    /// References filed under one of `exact` or a key starting with one of
    /// `prefixes`, with the municipality and date of the citing document.
    pub fn references_by_key(
        &self,
        exact: &[String],
        prefixes: &[String],
    ) -> Result<Vec<CitingReference>> {
        let mut out = Vec::new();
        let select = "SELECT r.id, r.doc_id, r.json, r.resolved_to, d.municipality, d.date \
                      FROM refs r JOIN documents d ON d.id = r.doc_id";
        let mut queries: Vec<(String, Vec<Value>)> = Vec::new();
        if !exact.is_empty() {
            queries.push((
                format!(
                    "{select} WHERE r.match_key IN ({})",
                    placeholders(exact.len())
                ),
                exact.iter().map(|k| Value::Text(k.clone())).collect(),
            ));
        }
        for p in prefixes {
            queries.push((
                format!("{select} WHERE r.match_key >= ? AND r.match_key < ?"),
                vec![Value::Text(p.clone()), Value::Text(prefix_end(p))],
            ));
        }
        for (sql, args) in queries {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?;
            for row in rows {
                let (id, doc_id, json, resolved_to, municipality, date) = row?;
                let reference = serde_json::from_str(&json)
                    .map_err(|e| Error::Corrupt(format!("reference {id}: {e}")))?;
                let date =
                    match date {
                        Some(d) => Some(kedja_model::parse_iso_date(&d).ok_or_else(|| {
                            Error::Corrupt(format!("document {doc_id}: date {d}"))
                        })?),
                        None => None,
                    };
                out.push(CitingReference {
                    stored: StoredReference {
                        id,
                        doc_id: DocId(doc_id),
                        reference,
                        resolved_to: resolved_to.map(DocId),
                    },
                    municipality,
                    date,
                });
            }
        }
        Ok(out)
    }

    /// Up to a few hundred documents whose keys and commitments are not
    /// yet derived from their current version.
    pub fn pending_derivation(&self) -> Result<Vec<DocId>> {
        self.query_ids(
            "SELECT id FROM documents WHERE derived = 0 LIMIT ?1",
            [PENDING_BATCH as i64],
        )
    }

    /// Save what was derived from document `id`'s current version, in one
    /// transaction.
    pub fn save_derived(&mut self, id: &DocId, derived: &Derived) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM doc_keys WHERE doc_id = ?1", [id.as_str()])?;
        {
            let mut insert =
                tx.prepare_cached("INSERT OR IGNORE INTO doc_keys (key, doc_id) VALUES (?1, ?2)")?;
            for key in &derived.keys {
                insert.execute([key.as_str(), id.as_str()])?;
            }
            let mut update =
                tx.prepare_cached("UPDATE refs SET match_key = ?1 WHERE id = ?2 AND doc_id = ?3")?;
            for (ref_id, key) in &derived.reference_keys {
                update.execute(rusqlite::params![key, ref_id, id.as_str()])?;
            }
        }
        tx.execute(
            "UPDATE documents SET derived = 1, commitments_json = ?1 WHERE id = ?2",
            rusqlite::params![findings::column(derived.commitments.as_ref())?, id.as_str()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every document that states or reports on a commitment: its id,
    /// record and found commitments (as saved in [`Derived`]).
    pub fn found_commitments(&self) -> Result<Vec<(DocId, Record, CommitmentText)>> {
        self.query_found(
            "SELECT id, record_json, commitments_json FROM documents WHERE commitments_json <> '' ORDER BY id",
            std::iter::empty::<&str>(),
        )
    }

    fn query_found<'p>(
        &self,
        sql: &str,
        args: impl Iterator<Item = &'p str>,
    ) -> Result<Vec<(DocId, Record, CommitmentText)>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, json, found) = row?;
            let record = serde_json::from_str(&json)
                .map_err(|e| Error::Corrupt(format!("document {id}: {e}")))?;
            let found = findings::from_json(&id, &found)?;
            Ok((DocId(id), record, found))
        })
        .collect()
    }

    /// The links from or to a document that states or reports on a
    /// commitment: all that tracking follows (a report two links from an
    /// assignment reaches it through a document it links to directly).
    pub fn links_of_committing(&self) -> Result<Vec<Link>> {
        self.query_links(
            "WHERE from_id IN (SELECT id FROM documents WHERE commitments_json <> '') \
             OR to_id IN (SELECT id FROM documents WHERE commitments_json <> '')",
            [],
        )
    }

    /// The documents one link away from any of `ids`, in either
    /// direction (same-topic suggestions are not links of the chain).
    pub fn neighbours(&self, ids: &[DocId]) -> Result<HashSet<DocId>> {
        let mut out = HashSet::new();
        for chunk in ids.chunks(CHUNK) {
            let list = placeholders(chunk.len());
            let sql = format!(
                "SELECT to_id FROM links WHERE from_id IN ({list}) AND link_type <> 'same_topic' \
                 UNION SELECT from_id FROM links WHERE to_id IN ({list}) AND link_type <> 'same_topic'"
            );
            let args = chunk.iter().chain(chunk).map(|id| id.as_str());
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(0))?;
            for row in rows {
                out.insert(DocId(row?));
            }
        }
        Ok(out)
    }

    /// Those of `ids` that state or report on a commitment.
    pub fn committing(&self, ids: &[DocId]) -> Result<Vec<DocId>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let sql = format!(
                "SELECT id FROM documents WHERE id IN ({}) AND commitments_json <> ''",
                placeholders(chunk.len())
            );
            out.extend(self.query_ids(&sql, params_from_iter(chunk.iter().map(DocId::as_str)))?);
        }
        Ok(out)
    }

    /// [`Store::found_commitments`] of `ids` only.
    pub fn found_commitments_of(
        &self,
        ids: &[DocId],
    ) -> Result<Vec<(DocId, Record, CommitmentText)>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let sql = format!(
                "SELECT id, record_json, commitments_json FROM documents WHERE id IN ({}) AND commitments_json <> '' ORDER BY id",
                placeholders(chunk.len())
            );
            out.extend(self.query_found(&sql, chunk.iter().map(DocId::as_str))?);
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// The links from or to any of `ids`.
    pub fn links_touching(&self, ids: &[DocId]) -> Result<Vec<Link>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let list = placeholders(chunk.len());
            let args = chunk.iter().chain(chunk).map(|id| id.as_str());
            out.extend(self.query_links(
                &format!("WHERE from_id IN ({list}) OR to_id IN ({list})"),
                params_from_iter(args),
            )?);
        }
        out.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        out.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.link_type == b.link_type);
        Ok(out)
    }

    /// Note documents whose links changed: the commitments near them are
    /// to be tracked again.
    pub fn add_tracking_pending(&mut self, ids: impl IntoIterator<Item = DocId>) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut insert =
                tx.prepare_cached("INSERT OR IGNORE INTO tracking_pending (doc_id) VALUES (?1)")?;
            for id in ids {
                insert.execute([id.as_str()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The documents whose links changed since commitments were last
    /// tracked.
    pub fn tracking_pending(&self) -> Result<Vec<DocId>> {
        self.query_ids("SELECT doc_id FROM tracking_pending ORDER BY doc_id", [])
    }

    /// Every document id, in order.
    pub fn document_ids(&self) -> Result<Vec<DocId>> {
        self.query_ids("SELECT id FROM documents ORDER BY id", [])
    }

    /// The document ids a query of one column returns.
    fn query_ids(&self, sql: &str, p: impl rusqlite::Params) -> Result<Vec<DocId>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(p, |r| r.get::<_, String>(0))?;
        rows.map(|r| Ok(DocId(r?))).collect()
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The first string after every string starting with `prefix` (keys are
/// compared as text: the prefix with its last character moved one on).
fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // Only the highest characters: every key is below this.
    "\u{10FFFF}".repeat(prefix.chars().count() + 1)
}
