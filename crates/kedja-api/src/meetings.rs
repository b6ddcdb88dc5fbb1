//! Meetings of meeting portals: `GET /api/meetings` (newest first, with
//! filters) and `GET /api/meetings/{id}` (one meeting with its protocol
//! and agenda attachments, each with the document it became and the agenda
//! item its name gives, and the protocol's §§ with the attachments of the
//! item each decides), and the meeting of a document for
//! `GET /api/documents/{id}`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Json;
use kedja_store::{Meeting, MeetingFile, MeetingQuery};
use serde::Serialize;

use crate::{ApiError, AppState};

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

#[derive(Debug, Serialize)]
pub struct MeetingJson {
    pub id: i64,
    pub source: String,
    pub municipality: Option<String>,
    /// The body's slug in the portal (`kommunstyrelsen`).
    pub body: String,
    pub date: String,
    /// The meeting page's heading.
    pub title: Option<String>,
    /// The meeting page.
    pub url: String,
    /// Whether the adjusted protocol is published; until it is, each
    /// crawl visits the meeting again.
    pub has_protocol: bool,
    /// When its page was last fetched.
    pub checked_at: String,
    /// Files the page links, and how many of them are in the archive.
    pub files: u64,
    pub documents: u64,
}

impl From<Meeting> for MeetingJson {
    fn from(m: Meeting) -> Self {
        MeetingJson {
            id: m.id,
            source: m.source,
            municipality: m.municipality,
            body: m.body,
            date: m.date,
            title: m.title,
            url: m.url,
            has_protocol: m.has_protocol,
            checked_at: m.checked_at,
            files: m.files,
            documents: m.documents,
        }
    }
}

/// The agenda item a file's name gives: `§ 76 KSAU`.
#[derive(Debug, Serialize)]
pub struct ItemJson {
    pub section: u32,
    pub body: Option<String>,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct MeetingFileJson {
    pub url: String,
    /// `protocol` or `attachment`.
    pub role: String,
    pub name: String,
    pub item: Option<ItemJson>,
    /// The document it became, once imported.
    pub doc_id: Option<String>,
    pub title: Option<String>,
    /// Its crawl state (`queued`, `done`, `failed`, …) and why.
    pub state: Option<String>,
    pub reason: Option<String>,
}

fn item(section: Option<u32>, body: Option<String>) -> Option<ItemJson> {
    let section = section?;
    let label = match &body {
        Some(b) => format!("§ {section} {b}"),
        None => format!("§ {section}"),
    };
    Some(ItemJson {
        section,
        body,
        label,
    })
}

impl From<MeetingFile> for MeetingFileJson {
    fn from(f: MeetingFile) -> Self {
        MeetingFileJson {
            item: item(f.item_section, f.item_body),
            url: f.url,
            role: f.role,
            name: f.name,
            doc_id: f.doc_id,
            title: f.doc_title,
            state: f.state,
            reason: f.reason,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct MeetingListResponse {
    pub total: u64,
    pub meetings: Vec<MeetingJson>,
}

#[derive(Debug, Serialize)]
pub struct MeetingResponse {
    #[serde(flatten)]
    pub meeting: MeetingJson,
    /// The adjusted protocol (more than one when the portal republished
    /// it under another name).
    pub protocol: Vec<MeetingFileJson>,
    /// Agenda attachments: those of an agenda item first, by §, then the
    /// rest by name.
    pub attachments: Vec<MeetingFileJson>,
    /// The protocol's §§ in order, once it is in the archive, each with
    /// the attachments of the item it decides.
    pub sections: Vec<SectionJson>,
}

/// One § of a meeting's protocol.
#[derive(Debug, Serialize)]
pub struct SectionJson {
    /// The § as a document (a decision).
    pub doc_id: String,
    /// `§ 37`.
    pub paragraph: Option<String>,
    pub title: String,
    /// The attachments in its record: the agenda item it decides.
    pub attachments: Vec<SectionAttachmentJson>,
}

/// An attachment in a § 's record.
#[derive(Debug, Serialize)]
pub struct SectionAttachmentJson {
    pub url: String,
    /// The line of the § that names it (its "Beslutsunderlag"), or its
    /// heading.
    pub evidence: String,
}

impl From<kedja_pipeline::MeetingSection> for SectionJson {
    fn from(s: kedja_pipeline::MeetingSection) -> Self {
        SectionJson {
            doc_id: s.doc_id.0,
            paragraph: s.paragraph,
            title: s.title,
            attachments: s
                .attachments
                .into_iter()
                .map(|(url, evidence)| SectionAttachmentJson { url, evidence })
                .collect(),
        }
    }
}

/// The meeting a document was published for and its role there.
#[derive(Debug, Serialize)]
pub struct DocumentMeetingJson {
    pub id: i64,
    pub body: String,
    pub date: String,
    pub title: Option<String>,
    pub role: String,
    pub item: Option<ItemJson>,
}

impl DocumentMeetingJson {
    /// The meeting a document is a file of, and the file.
    pub(crate) fn new(m: kedja_store::Meeting, f: kedja_store::MeetingFile) -> DocumentMeetingJson {
        DocumentMeetingJson {
            id: m.id,
            body: m.body,
            date: m.date,
            title: m.title,
            role: f.role,
            item: item(f.item_section, f.item_body),
        }
    }
}

fn date_param(params: &HashMap<String, String>, name: &str) -> Result<Option<String>, ApiError> {
    let Some(v) = params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let ok = matches!(v.len(), 4 | 7 | 10)
        && v.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if ok {
        Ok(Some(v.to_owned()))
    } else {
        Err(ApiError::bad_request(
            "bad_date",
            format!("{name}={v:?}: give a year, YYYY-MM or YYYY-MM-DD"),
        ))
    }
}

fn count_param(
    params: &HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(ApiError::bad_request(
                "bad_number",
                format!("{name}={v:?}: give a whole number up to {max}"),
            )),
        },
    }
}

pub(crate) async fn meetings(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<MeetingListResponse>, ApiError> {
    let nonempty = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let q = MeetingQuery {
        municipality: nonempty("municipality"),
        body: nonempty("body"),
        from: date_param(&params, "from")?,
        to: date_param(&params, "to")?,
        limit: count_param(&params, "limit", DEFAULT_LIMIT, MAX_LIMIT)?.max(1),
        offset: count_param(&params, "offset", 0, 1_000_000)?,
    };
    state
        .with_archive(move |a| {
            let (total, list) = a.store().meetings(&q)?;
            Ok(Json(MeetingListResponse {
                total,
                meetings: list.into_iter().map(MeetingJson::from).collect(),
            }))
        })
        .await
}

pub(crate) async fn meeting(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<MeetingResponse>, ApiError> {
    let id: i64 = id.parse().map_err(|_| {
        ApiError::bad_request("bad_id", format!("{id:?} is not a meeting id (a number)"))
    })?;
    state
        .with_archive(move |a| {
            let (m, files) = a
                .store()
                .meeting(id)?
                .ok_or_else(|| ApiError::not_found(format!("no meeting {id}")))?;
            let (protocol, attachments): (Vec<_>, Vec<_>) =
                files.into_iter().partition(|f| f.role == "protocol");
            let sections = a.meeting_sections(id)?;
            Ok(Json(MeetingResponse {
                meeting: m.into(),
                protocol: protocol.into_iter().map(MeetingFileJson::from).collect(),
                attachments: attachments.into_iter().map(MeetingFileJson::from).collect(),
                sections: sections.into_iter().map(SectionJson::from).collect(),
            }))
        })
        .await
}
