//! A MeetingPlus meeting portal on 127.0.0.1 serving the real Alingsås
//! documents of `../shared/corpora/alingsas/` (read at run time, never
//! copied): one folder per body, one per meeting date, `protokoll.pdf` and
//! the agenda attachments under `bilagor/`.
//!
//! The URLs are those of the real portal: meeting pages
//! `/committees/{body}/mote-YYYY-MM-DD` whose side menu lists the body's
//! meetings with relative links; protocols at
//! `/committees/{body}/mote-…/protocol/{name}pdf[-NNNNN]?downloadMode=open`
//! and attachments at
//! `/welcome-sv/namnder-styrelser/{body}/mote-…/agenda/{name}pdf[-NNNNN]?downloadMode=open`
//! (the numeric suffix on some, as on the real portal); a body's own page
//! lists no meetings. The latest meeting of the first body with more than
//! one meeting is not yet adjusted: its page has no protocol link until
//! [`Portal::publish_protocol`]. Of the first body with at least two
//! attachments, the first attachment answers 404 and the second 500 once.
//! Some `protokoll.pdf` files of the corpus are not PDFs but the portal's
//! "Sidan saknas" page, as the portal answered for those protocols; they
//! are served as such (status 200, HTML).
//! Pages and files carry ETags and answer 304 to them; every request is
//! logged.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;

/// How a file is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    Ok,
    /// 404, and linked anyway.
    NotFound,
    /// 500 on the first request, then the file.
    FailsOnce,
    /// The protocol of the meeting not yet adjusted: not linked, 404,
    /// until published.
    Unpublished,
    /// The corpus holds an HTML page for it (the portal's "Sidan saknas",
    /// saved as `protokoll.pdf` when it was crawled): served as it is.
    Page,
}

/// One file of the portal.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalFile {
    /// Absolute URL, as a crawler resolves the page's relative link.
    pub url: String,
    pub body: String,
    pub date: String,
    /// `protocol` or `attachment`.
    pub role: &'static str,
    pub path: PathBuf,
    pub served: Served,
}

/// One request the portal received.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalHit {
    /// Path and query.
    pub target: String,
    pub status: u16,
}

#[derive(Debug)]
struct Catalog {
    /// Body slug → its meetings by date.
    bodies: BTreeMap<String, Vec<String>>,
    /// Files by URL path (without the query).
    files: BTreeMap<String, PortalFile>,
}

#[derive(Debug, Default)]
struct Shared {
    log: Vec<PortalHit>,
    published: bool,
    failed_once: bool,
}

/// A running fixture portal; its server thread lives as long as the test
/// process.
#[derive(Debug, Clone)]
pub struct Portal {
    pub addr: SocketAddr,
    catalog: Arc<Catalog>,
    shared: Arc<Mutex<Shared>>,
}

/// The corpus folder.
pub fn corpus_dir() -> PathBuf {
    crate::shared_dir().join("corpora/alingsas")
}

/// A body's name as its pages write it.
fn body_name(slug: &str) -> String {
    match slug {
        "barn-och-ungdomsnamnden" => "Barn- och ungdomsnämnden".into(),
        "kommunfullmaktige" => "Kommunfullmäktige".into(),
        "kommunstyrelsen" => "Kommunstyrelsen".into(),
        "kultur-och-utbildningsnamnden" => "Kultur- och utbildningsnämnden".into(),
        "samhallsbyggnadsnamnden" => "Samhällsbyggnadsnämnden".into(),
        "socialnamnden" => "Socialnämnden".into(),
        "tekniska-namnden" => "Tekniska nämnden".into(),
        "vard-och-omsorgsnamnden" => "Vård- och omsorgsnämnden".into(),
        other => other.replace('-', " "),
    }
}

/// The short name protocols carry (`protokoll-ks-2026-02-25`).
fn abbreviation(slug: &str) -> String {
    slug.split('-')
        .filter(|w| *w != "och")
        .map(|w| &w[..1])
        .collect::<String>()
}

fn sorted_entries(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    v.sort();
    Ok(v)
}

/// A five-digit suffix that looks like the portal's, fixed per name.
fn suffix(name: &str) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(16_777_619);
    }
    10_000 + h % 90_000
}

impl Portal {
    /// Serve the corpus's bodies named in `bodies` (all when empty) on a
    /// free port of 127.0.0.1.
    pub fn start(bodies: &[&str]) -> anyhow::Result<Portal> {
        let (listener, addr) = crate::loopback::bind(1)?.remove(0);
        let base = format!("http://{addr}");
        let mut catalog = Catalog {
            bodies: BTreeMap::new(),
            files: BTreeMap::new(),
        };
        let mut n_meeting = 0usize;
        let mut n_attachment = 0usize;
        let mut failures_chosen = false;
        let is_pdf = |p: &std::path::Path| -> bool {
            use std::io::Read;
            let mut head = [0u8; 5];
            std::fs::File::open(p)
                .and_then(|mut f| f.read_exact(&mut head))
                .is_ok()
                && &head == b"%PDF-"
        };
        for body_dir in sorted_entries(&corpus_dir())? {
            let slug = body_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !body_dir.is_dir() || !(bodies.is_empty() || bodies.contains(&slug.as_str())) {
                continue;
            }
            let dates: Vec<PathBuf> = sorted_entries(&body_dir)?
                .into_iter()
                .filter(|d| d.is_dir())
                .collect();
            let attachments_here: usize = dates
                .iter()
                .map(|d| sorted_entries(&d.join("bilagor")).map_or(0, |v| v.len()))
                .sum();
            let failures_here = !failures_chosen && attachments_here >= 2;
            failures_chosen |= failures_here;
            let mut failures_left: u8 = if failures_here { 2 } else { 0 };
            let mut meetings = Vec::new();
            for dir in &dates {
                let date = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let protocol = dir.join("protokoll.pdf");
                if protocol.is_file() {
                    let name = format!("protokoll-{}-{date}", abbreviation(&slug));
                    let tail = if n_meeting % 2 == 1 {
                        format!("-{}", suffix(&name))
                    } else {
                        String::new()
                    };
                    n_meeting += 1;
                    let path = format!("/committees/{slug}/mote-{date}/protocol/{name}pdf{tail}");
                    let served = if is_pdf(&protocol) {
                        Served::Ok
                    } else {
                        Served::Page
                    };
                    catalog.files.insert(
                        path.clone(),
                        PortalFile {
                            url: format!("{base}{path}?downloadMode=open"),
                            body: slug.clone(),
                            date: date.clone(),
                            role: "protocol",
                            path: protocol,
                            served,
                        },
                    );
                }
                for file in sorted_entries(&dir.join("bilagor")).unwrap_or_default() {
                    let stem = file
                        .file_stem()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let tail = if n_attachment % 3 == 1 {
                        format!("-{}", suffix(&stem))
                    } else {
                        String::new()
                    };
                    n_attachment += 1;
                    let path = format!(
                        "/welcome-sv/namnder-styrelser/{slug}/mote-{date}/agenda/{stem}pdf{tail}"
                    );
                    let served = match failures_left {
                        _ if !is_pdf(&file) => Served::Page,
                        2 => Served::NotFound,
                        1 => Served::FailsOnce,
                        _ => Served::Ok,
                    };
                    if matches!(served, Served::NotFound | Served::FailsOnce) {
                        failures_left -= 1;
                    }
                    catalog.files.insert(
                        path.clone(),
                        PortalFile {
                            url: format!("{base}{path}?downloadMode=open"),
                            body: slug.clone(),
                            date: date.clone(),
                            role: "attachment",
                            path: file,
                            served,
                        },
                    );
                }
                meetings.push(date);
            }
            catalog.bodies.insert(slug, meetings);
        }
        // The meeting not yet adjusted: the last meeting of the first body
        // with more than one whose last protocol is a PDF; else the first
        // meeting with a PDF protocol.
        let last_protocols: Vec<String> = catalog
            .bodies
            .iter()
            .filter(|(_, m)| m.len() > 1)
            .filter_map(|(b, m)| {
                let last = m.last()?;
                catalog
                    .files
                    .iter()
                    .find(|(_, f)| {
                        f.body == *b
                            && f.date == *last
                            && f.role == "protocol"
                            && f.served == Served::Ok
                    })
                    .map(|(p, _)| p.clone())
            })
            .collect();
        let unadjusted = last_protocols.into_iter().next().or_else(|| {
            catalog
                .files
                .iter()
                .find(|(_, f)| f.role == "protocol" && f.served == Served::Ok)
                .map(|(p, _)| p.clone())
        });
        if let Some(f) = unadjusted.and_then(|p| catalog.files.get_mut(&p)) {
            f.served = Served::Unpublished;
        }
        anyhow::ensure!(
            !catalog.bodies.is_empty(),
            "no bodies of {} to serve",
            corpus_dir().display()
        );
        let portal = Portal {
            addr,
            catalog: Arc::new(catalog),
            shared: Arc::new(Mutex::new(Shared::default())),
        };
        let state = portal.clone();
        let app = Router::new().fallback(serve).with_state(state);
        crate::loopback::serve(vec![(listener, app)], 2);
        Ok(portal)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The bodies served, with their meeting dates.
    pub fn bodies(&self) -> Vec<(String, Vec<String>)> {
        self.catalog
            .bodies
            .iter()
            .map(|(b, m)| (b.clone(), m.clone()))
            .collect()
    }

    /// One meeting page per body, the body's first meeting: the rest is
    /// found through the side menu.
    pub fn start_urls(&self) -> Vec<String> {
        self.catalog
            .bodies
            .iter()
            .filter_map(|(b, m)| {
                m.first()
                    .map(|d| self.url(&format!("/committees/{b}/mote-{d}")))
            })
            .collect()
    }

    /// Every file, linked or not yet.
    pub fn files(&self) -> Vec<PortalFile> {
        self.catalog.files.values().cloned().collect()
    }

    /// The protocol of the meeting not yet adjusted, if any.
    pub fn unadjusted(&self) -> Option<PortalFile> {
        self.catalog
            .files
            .values()
            .find(|f| f.served == Served::Unpublished)
            .cloned()
    }

    /// Adjust the unadjusted meeting: its page links the protocol.
    pub fn publish_protocol(&self) {
        self.shared.lock().expect("lock").published = true;
    }

    pub fn log(&self) -> Vec<PortalHit> {
        self.shared.lock().expect("lock").log.clone()
    }

    pub fn clear_log(&self) {
        self.shared.lock().expect("lock").log.clear();
    }

    /// A sources file with one `meetingplus` source for this portal.
    pub fn sources_toml(&self, name: &str, delay_ms: u64) -> String {
        let start: Vec<String> = self.start_urls().iter().map(|u| format!("{u:?}")).collect();
        format!(
            r#"[crawler]
user_agent = "KedjaBot/test"
contact = "mailto:test@example.org"
delay_ms = {delay_ms}
timeout_secs = 10
max_retries = 1
retry_base_ms = 10

[[source]]
name = "{name}"
municipality = "Alingsås"
start = [{start}]
allowed_hosts = ["127.0.0.1"]
adapter = "meetingplus"
recrawl_days = 1
max_depth = 4
allow_private = true
"#,
            start = start.join(", ")
        )
    }

    fn published(&self) -> bool {
        self.shared.lock().expect("lock").published
    }

    fn meeting_page(&self, slug: &str, date: &str) -> Option<String> {
        let meetings = self.catalog.bodies.get(slug)?;
        if !meetings.iter().any(|d| d == date) {
            return None;
        }
        let name = body_name(slug);
        let menu: String = meetings
            .iter()
            .rev()
            .map(|d| {
                format!(r#"<li><a href="/committees/{slug}/mote-{d}">Sammanträde {d}</a></li>"#)
            })
            .collect();
        let published = self.published();
        let mut protocol = String::new();
        let mut agenda = String::new();
        let prefix_p = format!("/committees/{slug}/mote-{date}/");
        let prefix_a = format!("/welcome-sv/namnder-styrelser/{slug}/mote-{date}/");
        for (path, f) in &self.catalog.files {
            let href = format!("{path}?downloadMode=open");
            if path.starts_with(&prefix_p) {
                if f.served != Served::Unpublished || published {
                    protocol =
                        format!(r#"<p><a href="{href}">Protokoll {name} {date} (pdf)</a></p>"#);
                }
            } else if path.starts_with(&prefix_a) {
                let title = f
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().replace('-', " "))
                    .unwrap_or_default();
                agenda.push_str(&format!(r#"<li><a href="{href}">{title}</a></li>"#));
            }
        }
        if protocol.is_empty() {
            protocol = "<p>Protokollet är inte justerat.</p>".into();
        }
        Some(format!(
            r#"<!DOCTYPE html><html lang="sv"><head><title>{name} – Alingsås kommun</title></head><body>
<header><a href="/welcome-sv">Start</a> <a href="/login">Logga in</a> <a href="/committees/{slug}">{name}</a></header>
<aside class="meeting-menu"><h2>Sammanträden</h2><ul>{menu}</ul></aside>
<main><h1>{name} {date}</h1>
<h2>Protokoll</h2>{protocol}
<h2>Föredragningslista</h2><ol>{agenda}</ol></main>
</body></html>"#
        ))
    }
}

fn etag_of(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("\"{h:016x}\"")
}

fn respond(
    status: StatusCode,
    content_type: &str,
    body: Vec<u8>,
    etag: Option<String>,
    headers: &HeaderMap,
) -> Response {
    if let Some(etag) = &etag
        && status == StatusCode::OK
        && headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
    {
        return Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(header::ETAG, etag)
            .body(Body::empty())
            .expect("response");
    }
    let mut b = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(etag) = etag {
        b = b.header(header::ETAG, etag);
    }
    b.body(Body::from(body)).expect("response")
}

fn not_found(headers: &HeaderMap) -> Response {
    respond(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        b"<html><body><h1>Sidan finns inte</h1></body></html>".to_vec(),
        None,
        headers,
    )
}

async fn serve(State(portal): State<Portal>, uri: Uri, headers: HeaderMap) -> Response {
    let target = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| uri.path().to_owned());
    let path = uri.path().to_owned();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let res = match segs.as_slice() {
        ["robots.txt"] => respond(
            StatusCode::OK,
            "text/plain",
            b"User-agent: *\nDisallow: /login\n".to_vec(),
            None,
            &headers,
        ),
        ["committees", slug, meeting] => match meeting
            .strip_prefix("mote-")
            .and_then(|d| portal.meeting_page(slug, d))
        {
            Some(html) => {
                let etag = etag_of(html.as_bytes());
                respond(
                    StatusCode::OK,
                    "text/html; charset=utf-8",
                    html.into_bytes(),
                    Some(etag),
                    &headers,
                )
            }
            None => not_found(&headers),
        },
        // The body's page, as a program sees it: no meetings listed
        // (the real one fills them in with JavaScript).
        ["committees", slug] if portal.catalog.bodies.contains_key(*slug) => respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            format!(
                "<html><body><h1>{}</h1><div id=\"app\">Laddar …</div></body></html>",
                body_name(slug)
            )
            .into_bytes(),
            None,
            &headers,
        ),
        _ => match portal.catalog.files.get(&path) {
            Some(f) if uri.query() == Some("downloadMode=open") => {
                let serve_it = match f.served {
                    Served::Ok | Served::Page => true,
                    Served::NotFound => false,
                    Served::Unpublished => portal.published(),
                    Served::FailsOnce => {
                        let mut s = portal.shared.lock().expect("lock");
                        let first = !s.failed_once;
                        s.failed_once = true;
                        !first
                    }
                };
                if serve_it {
                    match tokio::fs::read(&f.path).await {
                        Ok(bytes) => {
                            let etag = format!("\"{:x}-{}\"", bytes.len(), suffix(&path));
                            let kind = if f.served == Served::Page {
                                "text/html; charset=utf-8"
                            } else {
                                "application/pdf"
                            };
                            respond(StatusCode::OK, kind, bytes, Some(etag), &headers)
                        }
                        Err(_) => respond(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "text/plain",
                            b"unreadable".to_vec(),
                            None,
                            &headers,
                        ),
                    }
                } else if f.served == Served::FailsOnce {
                    respond(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "text/html",
                        b"<html><body>Internt fel</body></html>".to_vec(),
                        None,
                        &headers,
                    )
                } else {
                    not_found(&headers)
                }
            }
            _ => not_found(&headers),
        },
    };
    portal.shared.lock().expect("lock").log.push(PortalHit {
        target,
        status: res.status().as_u16(),
    });
    res
}
