//! A municipal website on 127.0.0.1 for crawler tests: a Sitevision-like
//! "Fixby kommun" with listing pages, HTML documents, PDF attachments under
//! `/download/18.…`, robots.txt with a disallowed path, a sitemap, a
//! redirect, a 404, a 500 that recovers, a response slower than any
//! sensible timeout, an oversized file, a corrupt PDF and an endless
//! calendar. Every request is logged; ETag validators answer 304.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;

use crate::pdf::text_pdf;

/// One request the site received.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Path and query.
    pub target: String,
    pub if_none_match: Option<String>,
    pub user_agent: Option<String>,
    pub status: u16,
}

#[derive(Debug, Default)]
struct Shared {
    log: Vec<Hit>,
    flaky_failed: bool,
    /// Paths that now answer 404 (documents removed from the site).
    removed: Vec<String>,
}

/// A running fixture site. Dropping it does not stop the server thread;
/// it lives as long as the test process.
#[derive(Debug, Clone)]
pub struct Site {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
}

/// How long `/download/18.2/…/slow.pdf` takes to answer.
pub const SLOW: Duration = Duration::from_secs(3);
/// The size of the oversized file.
pub const OVERSIZED_BYTES: usize = 400_000;

impl Site {
    /// Start the site on a free port of 127.0.0.1, on its own thread.
    pub fn start() -> Site {
        let (listener, addr) = crate::loopback::bind(1).expect("bind 127.0.0.1").remove(0);
        let shared = Arc::new(Mutex::new(Shared::default()));
        let site = Site {
            addr,
            shared: shared.clone(),
        };
        let app = Router::new().fallback(serve).with_state(shared);
        crate::loopback::serve(vec![(listener, app)], 2);
        site
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<Hit> {
        self.shared.lock().expect("lock").log.clone()
    }

    /// Forget the requests so far.
    pub fn clear_log(&self) {
        self.shared.lock().expect("lock").log.clear();
    }

    /// From now on `path` answers 404.
    pub fn remove(&self, path: &str) {
        self.shared
            .lock()
            .expect("lock")
            .removed
            .push(path.to_owned());
    }

    /// A sources file for this site, with the given pause between requests.
    pub fn sources_toml(&self, delay_ms: u64) -> String {
        format!(
            r#"[crawler]
user_agent = "KedjaBot/test"
contact = "mailto:test@example.org"
delay_ms = {delay_ms}
timeout_secs = 1
max_bytes = 200000
max_retries = 1
retry_base_ms = 10

[[source]]
name = "fixby"
municipality = "Fixby"
start = ["{start}"]
allowed_hosts = ["127.0.0.1"]
follow = ["/politik/", "/kalender", "/gammal-sida", "/saknas", "/arkiv/"]
skip = ["/cookies"]
adapter = "sitevision"
max_depth = 4
allow_private = true
"#,
            start = self.url("/politik/")
        )
    }
}

fn html(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="sv"><head><title>{title} - Fixby kommun</title></head><body>
<header><nav class="sv-menu"><a href="/">Start</a> <a href="/politik/">Politik</a></nav></header>
<div class="sv-cookie-consent">Vi använder kakor. <a href="/cookies">Läs mer om kakor</a></div>
<main class="sv-layout"><div class="sv-portlet sv-text-portlet">{body}</div></main>
<footer><p>Fixby kommun, Storgatan 1, 123 45 Fixby. fixby.se</p></footer>
</body></html>"#
    )
}

const INTERPELLATION_HTML: &str = "<h1>Interpellation om tryggheten i skolan</h1>
<p>Till kommunstyrelsens ordförande</p>
<p>Kommunfullmäktige gav 2023 barn- och utbildningsnämnden i uppdrag att ta fram en plan för tryggare skolgårdar. Många föräldrar hör av sig om otrygghet på rasterna.</p>
<p>Jag vill därför ställa följande frågor:</p>
<ol><li>Hur långt har arbetet med planen kommit?</li><li>När kommer planen att beslutas?</li></ol>
<p>Fixby 2024-02-12</p><p>Lena Holm (C)</p>";

const MOTION_HTML: &str = "<h1>Motion om en cykelväg till Norrskolan</h1>
<p>Eleverna på Norrskolan cyklar i dag längs landsvägen. Jag föreslår att kommunfullmäktige beslutar</p>
<p>att en cykelväg byggs mellan centrum och Norrskolan.</p>
<p>Fixby 2023-03-01</p><p>Per Ek (MP)</p>";

const ARCHIVE_MOTION_HTML: &str = "<h1>Motion om fler laddplatser för elbilar</h1>
<p>Fixby behöver fler laddplatser vid kommunens parkeringar. Jag föreslår att kommunfullmäktige beslutar</p>
<p>att kommunen bygger tjugo laddplatser vid kommunhuset.</p>
<p>Fixby 2022-10-05</p><p>Anna Berg (L)</p>";

const INTERPELLATION_PDF: &str = "Interpellation om skolskjutsarna\n\nTill barn- och utbildningsnämndens ordförande\n\nSkolskjutsarna i Fixby är ofta försenade. Jag vill därför ställa följande fråga:\n\n1. Vad gör nämnden för att skolskjutsarna ska komma i tid?\n\nFixby 2024-03-04\n\nOla Lind (S)";

const DECISION_PDF: &str = "FIXBY KOMMUN\nKommunfullmäktige\n\nPROTOKOLLSUTDRAG\nSammanträdesdatum 2023-05-22\n\n§ 45 Plan för tryggare skolgårdar\n\nDnr KS 2023/101\n\nKommunfullmäktiges beslut\n\nKommunfullmäktige ger barn- och utbildningsnämnden i uppdrag att ta fram en plan för tryggare skolgårdar. Planen ska redovisas för kommunfullmäktige senast december 2023.";

const FLAKY_PDF: &str = "Handlingsplan för trygghet i Fixby 2024–2026\n\nAntagen av kommunfullmäktige 2024-01-29 § 8\n\nAktivitet    Huvudansvarig    Klart\nFler trygghetsvandringar i centrum    Kommunstyrelsen    2024-06-30\n\nUppföljning av handlingsplanen redovisas årligen för kommunstyrelsen.";

fn etag_of(body: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in body {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("\"{h:016x}\"")
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>, headers: &HeaderMap) -> Response {
    let etag = etag_of(&body);
    if status == StatusCode::OK
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
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ETAG, etag)
        .body(Body::from(body))
        .expect("response")
}

async fn serve(State(shared): State<Arc<Mutex<Shared>>>, uri: Uri, headers: HeaderMap) -> Response {
    let target = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| uri.path().to_owned());
    let path = uri.path().to_owned();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let removed = shared.lock().expect("lock").removed.contains(&path);
    let page = |title: &str, body: &str| html(title, body).into_bytes();
    let res = if removed {
        respond(
            StatusCode::NOT_FOUND,
            "text/html",
            page("Sidan finns inte", "<h1>Sidan finns inte</h1>"),
            &headers,
        )
    } else {
        match path.as_str() {
            "/robots.txt" => respond(
                StatusCode::OK,
                "text/plain",
                format!("User-agent: *\nDisallow: /privat/\n\nSitemap: http://{host}/sitemap.xml\n").into_bytes(),
                &headers,
            ),
            "/sitemap.xml" => respond(
                StatusCode::OK,
                "application/xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://{host}/politik/</loc></url><url><loc>http://{host}/arkiv/motion-laddplatser</loc></url></urlset>"#
                )
                .into_bytes(),
                &headers,
            ),
            "/politik/" => respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                page(
                    "Politik",
                    r#"<h1>Politik och beslut</h1>
<ul>
<li><a href="/politik/interpellationer/">Interpellationer</a></li>
<li><a href="/politik/beslut/">Beslut</a></li>
<li><a href="/gammal-sida">Motioner (flyttad sida)</a></li>
<li><a href="/saknas">En sida som inte finns</a></li>
<li><a href="/kalender?dag=1">Sammanträdeskalender</a></li>
<li><a href="/privat/hemligt.pdf">Internt underlag (pdf)</a></li>
<li><a href="/download/18.1a/1700000000001/handlingsplan-trygghet.pdf">Handlingsplan för trygghet (pdf)</a></li>
<li><a href="/download/18.2b/1700000000002/slow.pdf">Långsam fil (pdf)</a></li>
<li><a href="/download/18.3c/1700000000003/stor.pdf">Stor fil (pdf)</a></li>
<li><a href="/download/18.4d/1700000000004/trasig.pdf">Trasig fil (pdf)</a></li>
<li><a href="https://www.example.org/extern">En annan webbplats</a></li>
</ul>"#,
                ),
                &headers,
            ),
            "/politik/interpellationer/" => respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                page(
                    "Interpellationer",
                    r#"<h1>Interpellationer</h1>
<ul><li><a href="/politik/interpellationer/tryggheten-i-skolan">Interpellation om tryggheten i skolan</a></li>
<li><a href="/download/18.5e/1700000000005/interpellation-skolskjutsar.pdf">Interpellation om skolskjutsarna (pdf, 40 kB)</a></li></ul>"#,
                ),
                &headers,
            ),
            "/politik/interpellationer/tryggheten-i-skolan" => respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                page("Interpellation om tryggheten i skolan", INTERPELLATION_HTML),
                &headers,
            ),
            "/politik/beslut/" => respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                page(
                    "Beslut",
                    r#"<h1>Beslut i kommunfullmäktige</h1><p><a href="/download/18.6f/1700000000006/kf-2023-05-22-paragraf-45.pdf">Protokollsutdrag KF 2023-05-22 § 45 (pdf)</a></p>"#,
                ),
                &headers,
            ),
            "/gammal-sida" => Response::builder()
                .status(StatusCode::MOVED_PERMANENTLY)
                .header(header::LOCATION, "/politik/motioner/cykelvag-norrskolan")
                .body(Body::empty())
                .expect("response"),
            "/politik/motioner/cykelvag-norrskolan" => respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                page("Motion om en cykelväg till Norrskolan", MOTION_HTML),
                &headers,
            ),
            "/arkiv/motion-laddplatser" => respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                page("Motion om fler laddplatser", ARCHIVE_MOTION_HTML),
                &headers,
            ),
            "/kalender" => {
                let day: u32 = uri
                    .query()
                    .and_then(|q| q.strip_prefix("dag="))
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(1);
                respond(
                    StatusCode::OK,
                    "text/html; charset=utf-8",
                    page(
                        "Kalender",
                        &format!(r#"<h1>Kalender</h1><p>Dag {day}: inga sammanträden.</p><a href="/kalender?dag={}">Nästa dag</a>"#, day + 1),
                    ),
                    &headers,
                )
            }
            "/privat/hemligt.pdf" => respond(
                StatusCode::OK,
                "application/pdf",
                text_pdf("Internt underlag som inte ska hämtas."),
                &headers,
            ),
            "/download/18.1a/1700000000001/handlingsplan-trygghet.pdf" => {
                let first = {
                    let mut s = shared.lock().expect("lock");
                    let first = !s.flaky_failed;
                    s.flaky_failed = true;
                    first
                };
                if first {
                    respond(StatusCode::INTERNAL_SERVER_ERROR, "text/html", page("Fel", "<h1>Internt fel</h1>"), &headers)
                } else {
                    // Served with a misleading type: the crawler decides by content.
                    respond(StatusCode::OK, "text/html", text_pdf(FLAKY_PDF), &headers)
                }
            }
            "/download/18.2b/1700000000002/slow.pdf" => {
                tokio::time::sleep(SLOW).await;
                respond(StatusCode::OK, "application/pdf", text_pdf("Långsam fil."), &headers)
            }
            "/download/18.3c/1700000000003/stor.pdf" => {
                let mut body = b"%PDF-1.4\n".to_vec();
                body.resize(OVERSIZED_BYTES, b' ');
                respond(StatusCode::OK, "application/pdf", body, &headers)
            }
            "/download/18.4d/1700000000004/trasig.pdf" => respond(
                StatusCode::OK,
                "application/pdf",
                b"%PDF-1.4\n1 0 obj << /Type /Catalog >> trasig\n%%EOF".to_vec(),
                &headers,
            ),
            "/download/18.5e/1700000000005/interpellation-skolskjutsar.pdf" => respond(
                StatusCode::OK,
                "application/pdf",
                text_pdf(INTERPELLATION_PDF),
                &headers,
            ),
            "/download/18.6f/1700000000006/kf-2023-05-22-paragraf-45.pdf" => respond(
                StatusCode::OK,
                "application/pdf",
                text_pdf(DECISION_PDF),
                &headers,
            ),
            _ => respond(StatusCode::NOT_FOUND, "text/html", page("Sidan finns inte", "<h1>Sidan finns inte</h1>"), &headers),
        }
    };
    let hit = Hit {
        target,
        if_none_match: headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        status: res.status().as_u16(),
    };
    shared.lock().expect("lock").log.push(hit);
    res
}
