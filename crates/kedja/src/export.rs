//! JSON output of the command line: search results and the JSON Lines
//! export of the whole archive.

use std::io::Write;

use anyhow::Result;
use kedja_pipeline::{Archive, SearchResults};
use serde_json::{Value, json};

pub(crate) fn search_json(r: &SearchResults) -> Value {
    json!({
        "total": r.total,
        "hits": r.hits.iter().map(|h| json!({
            "id": h.id, "kind": h.kind, "title": h.title, "municipality": h.municipality,
            "date": h.date, "source": h.source, "parties": h.parties, "snippet": h.snippet,
            "score": h.score,
        })).collect::<Vec<_>>(),
        "facets": r.facets.iter().map(|f| (
            f.name.to_owned(),
            json!(f.values.iter().map(|(v, n)| json!({"value": v, "count": n})).collect::<Vec<_>>()),
        )).collect::<serde_json::Map<String, Value>>(),
        "identifiers": r.identifiers,
        "suggestion": r.suggestion,
        "warnings": r.warnings,
    })
}

/// One JSON object a line: `{"type": "document", …}` for every document
/// (record and text; `imported_at` in RFC 3339), then `"reference"`,
/// `"link"` and `"commitment"` lines. README.md describes each line.
pub(crate) fn jsonl(archive: &Archive, w: &mut impl Write) -> Result<()> {
    let store = archive.store();
    let mut write_err = None;
    store.for_each_document(|doc| {
        let mut v = serde_json::to_value(&doc).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut v {
            map.insert("type".into(), json!("document"));
        }
        if let Err(e) = serde_json::to_writer(&mut *w, &v)
            .map_err(anyhow::Error::from)
            .and_then(|_| Ok(writeln!(w)?))
        {
            write_err.get_or_insert(e);
        }
        Ok(())
    })?;
    if let Some(e) = write_err {
        return Err(e);
    }
    for r in store.all_references()? {
        let mut v = serde_json::to_value(&r.reference)?;
        if let Value::Object(map) = &mut v {
            map.insert("type".into(), json!("reference"));
            map.insert("doc_id".into(), json!(r.doc_id));
        }
        serde_json::to_writer(&mut *w, &v)?;
        writeln!(w)?;
    }
    for l in store.all_links()? {
        let mut v = serde_json::to_value(&l)?;
        if let Value::Object(map) = &mut v {
            map.insert("type".into(), json!("link"));
        }
        serde_json::to_writer(&mut *w, &v)?;
        writeln!(w)?;
    }
    for c in store.commitments()? {
        let mut v = serde_json::to_value(&c)?;
        if let Value::Object(map) = &mut v {
            map.insert("type".into(), json!("commitment"));
        }
        serde_json::to_writer(&mut *w, &v)?;
        writeln!(w)?;
    }
    Ok(())
}
