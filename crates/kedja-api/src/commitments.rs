//! `/api/commitments` and the Atom feeds a journalist can subscribe to.

use std::collections::HashMap;
use std::str::FromStr;

use atom_syndication::{Entry, Feed, FixedDateTime, Link as AtomLink, Text};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use kedja_model::{Commitment, CommitmentStatus, Date};
use kedja_pipeline::{AwaitingDecision, CommitmentQuery};
use serde::Serialize;

use crate::extract::Params;
use crate::{ApiError, AppState};

/// A commitment as the API shows it: the stored record, whether it is
/// overdue on the day asked about, and the Swedish label of its status.
#[derive(Debug, Serialize)]
pub struct CommitmentJson {
    #[serde(flatten)]
    pub commitment: Commitment,
    pub overdue: bool,
    pub status_label: &'static str,
}

impl CommitmentJson {
    pub fn new(c: Commitment, today: Date) -> CommitmentJson {
        CommitmentJson {
            overdue: c.is_overdue(today),
            status_label: c.status.label_sv(),
            commitment: c,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AwaitingJson {
    pub id: String,
    pub title: String,
    pub municipality: Option<String>,
    pub filed: String,
    pub due: String,
}

impl From<AwaitingDecision> for AwaitingJson {
    fn from(a: AwaitingDecision) -> AwaitingJson {
        AwaitingJson {
            id: a.id.0,
            title: a.title,
            municipality: a.municipality,
            filed: a.filed.to_string(),
            due: a.due.to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CommitmentsResponse {
    /// The day "overdue" was judged on.
    pub today: String,
    pub total: usize,
    pub commitments: Vec<CommitmentJson>,
    /// Motions and citizens' proposals without a decision a year after they
    /// were filed.
    pub awaiting_decision: Vec<AwaitingJson>,
}

fn date_param(params: &HashMap<String, String>, name: &str) -> Result<Option<Date>, ApiError> {
    match params.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => kedja_model::parse_iso_date(s)
            .filter(|_| s.len() == 10)
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "bad_date",
                    format!("{name} must be a date like 2024-05-31, not {s:?}"),
                )
            }),
    }
}

/// The query of `/api/commitments` and the feeds. `today` may be given
/// (for reproducible links and tests); the server's date otherwise.
fn query(params: &HashMap<String, String>) -> Result<CommitmentQuery, ApiError> {
    let today =
        date_param(params, "today")?.unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let text = |k: &str| {
        params
            .get(k)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let mut q = CommitmentQuery::new(today);
    q.municipality = text("municipality");
    q.body = text("body");
    q.status = match text("status") {
        None => None,
        // Not done or written off: what is still to be delivered.
        Some(s) if s == "open" => {
            q.open = true;
            None
        }
        Some(s) => Some(CommitmentStatus::parse(&s).ok_or_else(|| {
            ApiError::bad_request(
                "bad_status",
                format!(
                    "status must be open, done, ongoing, not_started, postponed, written_off or unknown, not {s:?}"
                ),
            )
        })?),
    };
    q.due_before = date_param(params, "due_before")?;
    q.due_after = date_param(params, "due_after")?;
    q.overdue = match text("overdue").as_deref() {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(other) => {
            return Err(ApiError::bad_request(
                "bad_overdue",
                format!("overdue must be true or false, not {other:?}"),
            ));
        }
    };
    Ok(q)
}

pub(crate) async fn commitments(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<Json<CommitmentsResponse>, ApiError> {
    let q = query(&params)?;
    state
        .with_archive(move |a| {
            let found = a.find_commitments(&q)?;
            let awaiting = a
                .awaiting_decision(q.today)?
                .into_iter()
                .filter(|w| {
                    q.municipality.as_ref().is_none_or(|m| {
                        w.municipality.as_deref().map(str::to_lowercase) == Some(m.to_lowercase())
                    })
                })
                .map(AwaitingJson::from)
                .collect();
            Ok(Json(CommitmentsResponse {
                today: q.today.to_string(),
                total: found.len(),
                commitments: found
                    .into_iter()
                    .map(|c| CommitmentJson::new(c, q.today))
                    .collect(),
                awaiting_decision: awaiting,
            }))
        })
        .await
}

pub(crate) fn timestamp(d: Date) -> FixedDateTime {
    FixedDateTime::from_str(&format!("{d}T00:00:00Z")).unwrap_or_default()
}

pub(crate) fn atom(feed: Feed) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
}

fn feed(id: &str, title: String, entries: Vec<Entry>, today: Date) -> Feed {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| timestamp(today));
    Feed {
        id: format!("urn:kedja:feed:{id}"),
        title: Text::plain(title),
        updated,
        entries,
        links: vec![AtomLink {
            href: format!("/api/feeds/{id}.atom"),
            rel: "self".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn doc_link(id: &str) -> AtomLink {
    AtomLink {
        href: format!("/api/documents/{id}"),
        rel: "alternate".into(),
        ..Default::default()
    }
}

/// Commitments that have become overdue, newest first: each entry is dated
/// the day after the deadline, when it became overdue.
pub(crate) async fn overdue_feed(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<impl IntoResponse, ApiError> {
    let mut q = query(&params)?;
    q.overdue = true;
    let today = q.today;
    let mut found = state
        .with_archive(move |a| Ok(a.find_commitments(&q)?))
        .await?;
    found.sort_by_key(|c| std::cmp::Reverse(c.overdue_since()));
    let entries = found
        .into_iter()
        .map(|c| {
            let since = c.overdue_since().unwrap_or(today);
            Entry {
                id: format!("urn:kedja:overdue:{}", c.id),
                title: Text::plain(format!(
                    "Försenat: {} – {}",
                    c.responsible.as_deref().unwrap_or("okänd ansvarig"),
                    c.task
                )),
                updated: timestamp(since),
                summary: Some(Text::plain(format!(
                    "Skulle vara klart senast {}. Senaste status: {}.",
                    c.deadline.map(|d| d.end.to_string()).unwrap_or_default(),
                    c.status.label_sv()
                ))),
                links: vec![doc_link(c.doc_id.as_str())],
                ..Default::default()
            }
        })
        .collect();
    Ok(atom(feed(
        "overdue",
        "Kedja: försenade åtaganden".into(),
        entries,
        today,
    )))
}

/// Reports on commitments, newest first: one entry per report.
pub(crate) async fn reports_feed(
    State(state): State<AppState>,
    Params(params): Params,
) -> Result<impl IntoResponse, ApiError> {
    let q = query(&params)?;
    let today = q.today;
    let found = state
        .with_archive(move |a| Ok(a.find_commitments(&q)?))
        .await?;
    let mut entries: Vec<(Option<Date>, Entry)> = Vec::new();
    for c in &found {
        for r in &c.reports {
            entries.push((
                r.date,
                Entry {
                    id: format!("urn:kedja:report:{}:{}", c.id, r.doc_id),
                    title: Text::plain(format!("{}: {}", r.status.label_sv(), c.task)),
                    updated: timestamp(r.date.unwrap_or(today)),
                    summary: Some(Text::plain(r.evidence.clone())),
                    links: vec![doc_link(r.doc_id.as_str())],
                    ..Default::default()
                },
            ));
        }
    }
    entries.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
    Ok(atom(feed(
        "reports",
        "Kedja: nya rapporter om åtaganden".into(),
        entries.into_iter().map(|(_, e)| e).collect(),
        today,
    )))
}
