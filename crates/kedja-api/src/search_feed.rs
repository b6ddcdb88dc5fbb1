//! `/api/feeds/search.atom`: any search as an Atom feed, newest documents
//! first, so a feed reader shows what is new about a topic.

use std::collections::HashMap;

use atom_syndication::{Category, Entry, Feed, Link as AtomLink, Text};
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use kedja_model::{DocId, DocKind};
use kedja_pipeline::Sort;

use crate::commitments::{atom, timestamp};
use crate::{ApiError, AppState, wire};

/// Entries in a feed unless `limit` says otherwise.
const DEFAULT_ENTRIES: usize = 20;

/// The parameters that decide what a search feed holds, in a fixed order.
const FEED_PARAMS: &[&str] = &["q", "kind", "municipality", "party", "body", "from", "to"];

/// The query string of the search the feed follows, canonical (fixed order,
/// empty values left out): the same search gives the same feed id and
/// self link however its URL was written.
fn canonical_query(params: &HashMap<String, String>) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for name in FEED_PARAMS {
        if let Some(v) = params
            .get(*name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            out.append_pair(name, v);
        }
    }
    out.finish()
}

/// One entry per matching document, newest first. The entry id is the
/// document's (`urn:kedja:document:ID`), the same in every feed and every
/// time it is read, so a reader shows only documents it has not seen; its
/// date is the document's own date.
pub(crate) async fn search_feed(
    State(state): State<AppState>,
    Query(mut params): Query<HashMap<String, String>>,
) -> Result<impl IntoResponse, ApiError> {
    params
        .entry("limit".into())
        .or_insert_with(|| DEFAULT_ENTRIES.to_string());
    params.remove("offset");
    let mut req = wire::search_request(&params)?;
    req.sort = Sort::Newest;
    let canonical = canonical_query(&params);
    let title = format!("Kedja: {}", req.query);
    let (results, bodies) = state
        .with_search(req.is_costly(), move |a| {
            let results = a.search(&req)?;
            let mut bodies = Vec::with_capacity(results.hits.len());
            for h in &results.hits {
                bodies.push(a.store().get(&h.id)?.and_then(|d| d.record.body));
            }
            Ok((results, bodies))
        })
        .await?;
    let today = time::OffsetDateTime::now_utc().date();
    let entries: Vec<Entry> = results
        .hits
        .into_iter()
        .zip(bodies)
        .map(|(h, body)| {
            let date = h.date.as_deref().and_then(kedja_model::parse_iso_date);
            let kind_label =
                DocKind::parse(&h.kind).map_or_else(|| h.kind.clone(), |k| k.label_sv().to_owned());
            let mut categories = vec![Category {
                term: h.kind.clone(),
                scheme: Some("urn:kedja:kind".into()),
                label: Some(kind_label.clone()),
            }];
            categories.extend(body.iter().map(|b| Category {
                term: b.clone(),
                scheme: Some("urn:kedja:body".into()),
                label: Some(b.clone()),
            }));
            categories.extend(h.municipality.iter().map(|m| Category {
                term: m.clone(),
                scheme: Some("urn:kedja:municipality".into()),
                label: Some(m.clone()),
            }));
            let meta = [
                Some(kind_label.clone()),
                h.municipality.clone(),
                body.clone(),
                h.date.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
            Entry {
                id: entry_id(&h.id),
                title: Text::plain(format!("{kind_label}: {}", h.title)),
                updated: timestamp(date.unwrap_or(today)),
                published: date.map(timestamp),
                categories,
                // The snippet is HTML: escaped text with the matches in <b>.
                summary: Some(Text::html(format!(
                    "<p>{}</p><p>{}</p>",
                    html_escape(&meta),
                    h.snippet
                ))),
                links: vec![
                    AtomLink {
                        href: format!("/?view=doc&id={}", h.id),
                        rel: "alternate".into(),
                        mime_type: Some("text/html".into()),
                        ..Default::default()
                    },
                    AtomLink {
                        href: format!("/api/documents/{}", h.id),
                        rel: "related".into(),
                        mime_type: Some("application/json".into()),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| timestamp(today));
    let hash = kedja_model::content_hash(canonical.as_bytes());
    let feed = Feed {
        id: format!("urn:kedja:feed:search:{}", &hash[..16]),
        title: Text::plain(title),
        updated,
        entries,
        links: vec![
            AtomLink {
                href: format!("/api/feeds/search.atom?{canonical}"),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
            AtomLink {
                href: format!("/?{canonical}&sort=newest"),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    Ok(atom(feed))
}

/// The id of a document's entry in every search feed.
fn entry_id(id: &DocId) -> String {
    format!("urn:kedja:document:{id}")
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_query_is_ordered_and_drops_paging() {
        let params: HashMap<String, String> = [
            ("municipality", "Sjövik"),
            ("q", "laddstolpar"),
            ("limit", "5"),
            ("kind", ""),
            ("sort", "oldest"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            canonical_query(&params),
            "q=laddstolpar&municipality=Sj%C3%B6vik"
        );
    }
}
