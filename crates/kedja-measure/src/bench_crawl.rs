//! `kedja bench-crawl`: crawl a generated local site of N pages with
//! politeness off and report pages per second and memory as the crawl
//! goes, so that growth with the size of the site shows.
//!
//! The site is served from this process on 127.0.0.1: a start page, listing
//! pages of 50 links each, and HTML documents (motions and interpellations
//! whose text varies page by page; with `--with-decisions` also council
//! decisions with assignments and reports on them). Everything goes
//! through the real path:
//! HTTP, robots.txt, the frontier in SQLite, import, index and linking, in
//! a data directory on disk.
//!
//! With `--meetingplus` the site is shaped like a MeetingPlus portal
//! instead: eight bodies, each meeting page
//! (`/committees/{body}/mote-YYYY-MM-DD`) with a side menu listing all its
//! body's meetings, an adjusted protocol and nine agenda attachments under
//! `/welcome-sv/namnder-styrelser/…/agenda/…pdf?downloadMode=open`:
//! the same generated texts, served as plain-text files, since the crawler
//! takes an HTML page in a meeting file's place for the portal's error
//! page. The crawl starts from one meeting page per body.
//!
//! With `--hosts N` (see [`run_hosts`]) it measures crawling many sites at
//! once instead: N small sites on N loopback ports, each asked with a
//! pause, crawled first one alone and then all together.

use std::time::Instant;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;
use kedja_crawl::{Config, CrawlOptions};
use kedja_pipeline::Archive;

const PER_LISTING: usize = 50;

/// A generated document as a meeting's file: plain text, one paragraph per
/// element. A portal serves its files as documents (PDF), and an HTML page
/// in a file's place is its error page, which the crawler refuses.
fn as_file(html: &str) -> ([(axum::http::header::HeaderName, &'static str); 1], String) {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                if !text.ends_with("\n\n") && !text.is_empty() {
                    text.push_str("\n\n");
                }
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        text.trim().to_owned(),
    )
}

/// Bodies of the MeetingPlus-shaped site, and files per meeting (a
/// protocol and nine attachments).
const BODIES: &[&str] = &[
    "kommunfullmaktige",
    "kommunstyrelsen",
    "barn-och-ungdomsnamnden",
    "kultur-och-utbildningsnamnden",
    "samhallsbyggnadsnamnden",
    "socialnamnden",
    "tekniska-namnden",
    "vard-och-omsorgsnamnden",
];
const PER_MEETING: usize = 10;

pub fn run(pages: usize, with_decisions: bool, meetingplus: bool) -> Result<()> {
    let documents = pages.saturating_sub(1) * PER_LISTING / (PER_LISTING + 1);
    let listings = documents.div_ceil(PER_LISTING);
    // MeetingPlus shape: meetings per body so that pages come out near N.
    let meetings = (pages / (BODIES.len() * (1 + PER_MEETING))).max(1);
    let (listener, addr) = kedja_tests::loopback::bind(1)?.remove(0);
    let app = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /admin/\n" }),
        )
        .route("/", get(move || async move { Html(start_page(listings)) }))
        .route(
            "/lista/{i}",
            get(move |Path(i): Path<usize>| async move { Html(listing(i, documents)) }),
        )
        .route(
            "/dok/{j}",
            get(move |Path(j): Path<usize>| async move { Html(document(j, with_decisions)) }),
        )
        .route(
            "/committees/{body}/{meeting}",
            get(move |Path((b, m)): Path<(String, String)>| async move {
                meeting_page(&b, &m, meetings)
                    .map(Html)
                    .ok_or(axum::http::StatusCode::NOT_FOUND)
            }),
        )
        .route(
            "/committees/{body}/{meeting}/protocol/{name}",
            get(
                move |Path((b, m, _)): Path<(String, String, String)>| async move {
                    as_file(&document(file_number(&b, &m, 0, meetings), with_decisions))
                },
            ),
        )
        .route(
            "/welcome-sv/namnder-styrelser/{body}/{meeting}/agenda/{name}",
            get(
                move |Path((b, m, n)): Path<(String, String, String)>| async move {
                    let k: usize = n
                        .strip_prefix("bilaga-")
                        .and_then(|k| k.split('p').next())
                        .and_then(|k| k.parse().ok())
                        .unwrap_or(1);
                    as_file(&document(file_number(&b, &m, k, meetings), with_decisions))
                },
            ),
        );
    kedja_tests::loopback::serve(vec![(listener, app)], 1);

    let dir = std::env::temp_dir().join(format!("kedja-bench-crawl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (start, adapter) = if meetingplus {
        let urls: Vec<String> = BODIES
            .iter()
            .map(|b| format!("\"http://{addr}/committees/{b}/{}\"", meeting_key(0)))
            .collect();
        (urls.join(", "), "meetingplus")
    } else {
        (format!("\"http://{addr}/\""), "generic")
    };
    let config = Config::parse(&format!(
        r#"[crawler]
contact = "mailto:bench@example.org"
delay_ms = 0

[[source]]
name = "bench"
municipality = "Benchby"
start = [{start}]
allowed_hosts = ["127.0.0.1"]
allow_private = true
adapter = "{adapter}"
max_depth = 3
"#
    ))?;
    let source = config.source("bench").context("bench source")?;
    let mut archive = Archive::open(&dir, &kedja_pipeline::ArchiveOptions::from_environment())?;
    let total = if meetingplus {
        let total = BODIES.len() * meetings * (1 + PER_MEETING);
        println!(
            "site (MeetingPlus-shaped): {} bodies, {meetings} meetings each, a protocol and {} attachments per meeting ({total} pages) on http://{addr}/",
            BODIES.len(),
            PER_MEETING - 1
        );
        total as u64
    } else {
        println!(
            "site: 1 start page, {listings} listing pages, {documents} documents ({} pages) on http://{addr}/",
            1 + listings + documents
        );
        (1 + listings + documents) as u64
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let mut marks: Vec<(u64, f64, u64, u64, u64)> = Vec::new();
    let report = runtime.block_on(kedja_crawl::crawl(
        &mut archive,
        &config.crawler,
        source,
        &CrawlOptions::default(),
        &mut |p| {
            if p.pages * 4 / total.max(1) > marks.len() as u64 {
                marks.push((
                    p.pages,
                    started.elapsed().as_secs_f64(),
                    rss_kib("VmRSS"),
                    rss_kib("RssAnon"),
                    rss_kib("RssFile"),
                ));
            }
        },
    ))?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "crawled {} pages in {secs:.1} s: {:.0} pages/s; {} documents imported, {} failed",
        report.pages,
        report.pages as f64 / secs,
        report.imported.len(),
        report.failed.len()
    );
    for (pages, at, rss, anon, file) in &marks {
        println!(
            "  after {pages:>6} pages ({at:>6.1} s): resident {:.1} MiB = heap {:.1} MiB + mapped files {:.1} MiB",
            *rss as f64 / 1024.0,
            *anon as f64 / 1024.0,
            *file as f64 / 1024.0
        );
    }
    if meetingplus {
        let bodies = archive.store().meetings_per_body("bench")?;
        let found: u64 = bodies.iter().map(|b| b.meetings).sum();
        let docs: u64 = bodies.iter().map(|b| b.documents).sum();
        println!(
            "  meetings: {found} found in {} bodies, {} awaiting a protocol, {docs} documents with their meeting",
            bodies.len(),
            bodies.iter().map(|b| b.awaiting_protocol).sum::<u64>()
        );
    }
    println!(
        "  at the end: resident {:.1} MiB, peak {:.1} MiB (server, store and index included)",
        rss_kib("VmRSS") as f64 / 1024.0,
        rss_kib("VmHWM") as f64 / 1024.0
    );
    let stats = archive.store().stats()?;
    let commitments = archive.commitments()?;
    println!(
        "  linked: {} links; {} commitments tracked, {} with a report",
        stats.links,
        commitments.len(),
        commitments.iter().filter(|c| !c.reports.is_empty()).count()
    );
    drop(archive);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `bench-crawl --hosts N`: N sites on loopback ports, each a start page
/// linking `per_host` documents, with robots.txt and no sitemap, crawled
/// with a pause of `pause_ms` per host: first one site alone (every site
/// has the same shape, so it stands for the slowest single host), then all
/// N at once, each a source of its own, with at most `in_flight` requests
/// in flight. Prints both wall times, their ratio, pages per second and
/// memory before and after.
pub fn run_hosts(hosts: usize, per_host: usize, pause_ms: u64, in_flight: usize) -> Result<()> {
    let hosts = hosts.max(1);
    let bound = kedja_tests::loopback::bind(hosts)?;
    let addrs: Vec<std::net::SocketAddr> = bound.iter().map(|(_, a)| *a).collect();
    let mut apps = Vec::new();
    for (h, (l, _)) in bound.into_iter().enumerate() {
        let app = Router::new()
                    .route("/robots.txt", get(|| async { "User-agent: *\nAllow: /\n" }))
                    .route(
                        "/",
                        get(move || async move {
                            let links: String = (0..per_host)
                                .map(|j| format!("<li><a href=\"/dok/{j}\">Handling {j}</a></li>"))
                                .collect();
                            Html(format!(
                                "<!DOCTYPE html><html><body><main><h1>Politik</h1><ul>{links}</ul></main></body></html>"
                            ))
                        }),
                    )
                    .route(
                        "/dok/{j}",
                        get(move |Path(j): Path<usize>| async move {
                            Html(document(h * per_host + j, false))
                        }),
                    );
        apps.push((l, app));
    }
    kedja_tests::loopback::serve(apps, 1);
    let sources_toml = |addrs: &[std::net::SocketAddr]| -> String {
        let mut t =
            format!("[crawler]\ncontact = \"mailto:bench@example.org\"\ndelay_ms = {pause_ms}\n");
        for (i, a) in addrs.iter().enumerate() {
            t.push_str(&format!(
                "\n[[source]]\nname = \"host{i}\"\nmunicipality = \"Benchby {i}\"\nstart = [\"http://{a}/\"]\nallowed_hosts = [\"127.0.0.1\"]\nallow_private = true\nmax_depth = 2\n"
            ));
        }
        t
    };
    println!(
        "{hosts} sites on loopback ports, each a start page and {per_host} documents, a pause of {pause_ms} ms per host, at most {in_flight} requests in flight"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let crawl = |addrs: &[std::net::SocketAddr], label: &str| -> Result<(f64, u64, u64)> {
        let config = Config::parse(&sources_toml(addrs))?;
        let chosen: Vec<&kedja_crawl::Source> = config.sources.iter().collect();
        let dir =
            std::env::temp_dir().join(format!("kedja-bench-hosts-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut archive = Archive::open(&dir, &kedja_pipeline::ArchiveOptions::from_environment())?;
        let started = Instant::now();
        let reports = runtime.block_on(kedja_crawl::crawl_many(
            &mut archive,
            &config.crawler,
            &chosen,
            &CrawlOptions::default(),
            in_flight,
            &mut |_, _| {},
        ))?;
        let secs = started.elapsed().as_secs_f64();
        let (mut pages, mut docs) = (0, 0);
        for (name, r) in reports {
            let r = r.with_context(|| format!("crawl of {name}"))?;
            anyhow::ensure!(r.failed.is_empty(), "{name}: {:?}", r.failed);
            pages += r.pages;
            docs += r.imported.len() as u64;
        }
        drop(archive);
        let _ = std::fs::remove_dir_all(&dir);
        Ok((secs, pages, docs))
    };
    let rss_before = rss_kib("VmRSS");
    let (one_secs, one_pages, one_docs) = crawl(&addrs[..1], "one")?;
    println!("one site alone: {one_pages} pages, {one_docs} documents in {one_secs:.1} s");
    let rss_between = rss_kib("VmRSS");
    let (all_secs, all_pages, all_docs) = crawl(&addrs, "all")?;
    println!(
        "all {hosts} sites at once: {all_pages} pages, {all_docs} documents in {all_secs:.1} s: {:.1} pages/s",
        all_pages as f64 / all_secs
    );
    println!(
        "wall time of all {hosts} at once / one site alone: {:.2} (one after another would take about {:.0} s, {:.0} times one site)",
        all_secs / one_secs,
        one_secs * hosts as f64,
        hosts as f64
    );
    println!(
        "memory: resident {:.1} MiB before, {:.1} MiB after one site, {:.1} MiB after all; peak {:.1} MiB (servers included)",
        rss_before as f64 / 1024.0,
        rss_between as f64 / 1024.0,
        rss_kib("VmRSS") as f64 / 1024.0,
        rss_kib("VmHWM") as f64 / 1024.0
    );
    Ok(())
}

/// A line of /proc/self/status in KiB (0 where there is none).
pub(crate) fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// The name of meeting `i` of a body: one a fortnight from 1995.
fn meeting_key(i: usize) -> String {
    let d = time::macros::date!(1995 - 01 - 11) + time::Duration::days(14 * i as i64);
    format!(
        "mote-{}-{:02}-{:02}",
        d.year(),
        u8::from(d.month()),
        d.day()
    )
}

fn meeting_index(key: &str, meetings: usize) -> Option<usize> {
    (0..meetings).find(|i| meeting_key(*i) == key)
}

/// The document number of file `k` (0: the protocol) of a meeting, so
/// that documents are numbered in date order across bodies.
fn file_number(body: &str, key: &str, k: usize, meetings: usize) -> usize {
    let b = BODIES.iter().position(|x| *x == body).unwrap_or(0);
    let i = meeting_index(key, meetings).unwrap_or(0);
    (i * BODIES.len() + b) * PER_MEETING + k
}

/// A meeting page: the side menu with every meeting of the body, the
/// protocol and the attachments, all linked relatively.
fn meeting_page(body: &str, key: &str, meetings: usize) -> Option<String> {
    BODIES.iter().find(|b| **b == body)?;
    meeting_index(key, meetings)?;
    let menu: String = (0..meetings)
        .rev()
        .map(|i| {
            let m = meeting_key(i);
            format!(
                "<li><a href=\"/committees/{body}/{m}\">{}</a></li>",
                &m[5..]
            )
        })
        .collect();
    let date = &key[5..];
    let mut files = format!(
        "<p><a href=\"/committees/{body}/{key}/protocol/protokoll-{date}pdf?downloadMode=open\">Protokoll</a></p><ol>"
    );
    for k in 1..PER_MEETING {
        let suffix = if k % 2 == 0 { "-12345" } else { "" };
        files.push_str(&format!(
            "<li><a href=\"/welcome-sv/namnder-styrelser/{body}/{key}/agenda/bilaga-{k}pdf{suffix}?downloadMode=open\">Bilaga {k}</a></li>"
        ));
    }
    files.push_str("</ol>");
    Some(format!(
        "<!DOCTYPE html><html><body><aside><ul>{menu}</ul></aside><main><h1>{body} {date}</h1>{files}</main></body></html>"
    ))
}

fn start_page(listings: usize) -> String {
    let links: String = (0..listings)
        .map(|i| {
            format!(
                "<li><a href=\"/lista/{i}\">Handlingar, del {}</a></li>",
                i + 1
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><body><main><h1>Politik</h1><ul>{links}</ul></main></body></html>"
    )
}

fn listing(i: usize, documents: usize) -> String {
    let from = i * PER_LISTING;
    let to = (from + PER_LISTING).min(documents);
    let links: String = (from..to)
        .map(|j| format!("<li><a href=\"/dok/{j}\">Handling {j}</a></li>"))
        .collect();
    format!(
        "<!DOCTYPE html><html><body><main><h1>Handlingar</h1><ul>{links}</ul></main></body></html>"
    )
}

const TOPICS: &[&str] = &[
    "cykelvägar i centrum",
    "förskolans lokaler",
    "äldreomsorgens bemanning",
    "våld i nära relationer",
    "solceller på kommunens tak",
    "trygghet i skolan",
    "kollektivtrafik på landsbygden",
    "bibliotekens öppettider",
];
const FIRST: &[&str] = &[
    "Anna", "Erik", "Sara", "Per", "Mia", "Lars", "Karin", "Johan", "Eva", "Ola", "Lena", "Nils",
    "Maria", "Jonas", "Elin", "Anders", "Sofia", "Peter", "Ida", "Magnus",
];
const LAST: &[&str] = &[
    "Berg",
    "Holm",
    "Lind",
    "Ek",
    "Nord",
    "Strand",
    "Falk",
    "Sundin",
    "Karlsson",
    "Nyström",
    "Åberg",
    "Lund",
    "Björk",
    "Wikström",
    "Hedlund",
];
const PARTIES: &[&str] = &["S", "M", "C", "L", "KD", "V", "MP", "SD"];

/// Author of document `j`: 300 people, each with a party.
fn author(j: usize) -> String {
    let first = FIRST[j % FIRST.len()];
    let last = LAST[(j / FIRST.len()) % LAST.len()];
    let party = PARTIES[(j / 7) % PARTIES.len()];
    format!("{first} {last} ({party})")
}

/// Document `j`: even ones are motions, odd ones interpellations asking
/// about the motion before them (by author and month), so that linking has
/// real references to resolve; every motion cites a decision by date.
/// With `decisions`, every tenth, from the sixth on, is instead the
/// council's decision on the motion before it, giving an assignment with a
/// deadline, and four documents later comes the report on that assignment,
/// so that commitments are tracked as the site grows.
fn document(j: usize, decisions: bool) -> String {
    let topic = TOPICS[j % TOPICS.len()];
    let who = author(j);
    // Four documents a day from 1995 on (a site of 40,000 documents ends
    // in 2022, not in the next century); the interpellation asks about the
    // motion just before it.
    let date = |j: usize| {
        let d = time::macros::date!(1995 - 01 - 01) + time::Duration::days(j as i64 / 4);
        (d.year(), d.month(), d.day())
    };
    let (year, month, day) = date(j);
    let month = u8::from(month);
    let (py, pm, _) = date(j.saturating_sub(1));
    let earlier = author(j.saturating_sub(1));
    // The paragraph of decision `j` in the council's minutes.
    let paragraph = |j: usize| j / 10 % 150 + 1;
    let body = if decisions && j % 10 == 5 {
        format!(
            "<h1>Protokollsutdrag</h1><p>Kommunfullmäktige</p><p>Sammanträdesdatum {year}-{month:02}-{day:02}</p>\
             <h2>§ {} Svar på motion om {topic} ({})</h2><p>Dnr KS {year}/{j}</p>\
             <p>Kommunfullmäktiges beslut</p>\
             <p>Kommunfullmäktige beslutar att bifalla motionen och att ge kommunstyrelsen i uppdrag att \
             utreda {topic} i område {}.</p>\
             <p>Uppdraget ska återrapporteras till kommunfullmäktige senast i december {}.</p>\
             <p>Ärendet</p><p>{earlier} har i {} {py} lämnat en motion om {topic}.</p>",
            paragraph(j),
            j - 1,
            j % 97,
            year + 1,
            kedja_extract::month_name(pm)
        )
    } else if decisions && j % 10 == 9 {
        let (dy, dm, dd) = date(j - 4);
        format!(
            "<h1>Återrapportering av uppdraget att utreda {} i område {}</h1>\
             <p>Kommunstyrelsen {year}-{month:02}-{day:02}. Dnr KS {dy}/{}.</p>\
             <p>Kommunfullmäktige gav den {dd} {} {dy} (§ {}) kommunstyrelsen i uppdrag att utreda {} \
             i område {}.</p><p>Utredningens resultat</p>\
             <p>Utredningen visar att behoven är stora och att arbetet kan göras inom befintlig ram.</p>\
             <p>Kommunstyrelsen godkänner återrapporteringen och förklarar uppdraget avslutat.</p>",
            TOPICS[(j - 4) % TOPICS.len()],
            (j - 4) % 97,
            j - 4,
            kedja_extract::month_name(dm),
            paragraph(j - 4),
            TOPICS[(j - 4) % TOPICS.len()],
            (j - 4) % 97,
        )
    } else if j.is_multiple_of(2) {
        format!(
            "<h1>Motion om {topic} ({j})</h1><p>Kommunen behöver ta ett samlat grepp om {topic}. \
             Invånarna har i flera år efterfrågat förbättringar och nämnderna har pekat på behoven i sina \
             verksamhetsberättelser. Ärende nummer {j} gäller särskilt område {}. Redan kommunfullmäktiges \
             beslut {}-03-15 pekade på frågan.</p>\
             <p>Jag föreslår att kommunfullmäktige beslutar</p><p>att kommunstyrelsen utreder {topic}.</p>\
             <p>Benchby {year}-{month:02}-{day:02}</p><p>{who}</p>",
            j % 97,
            year - 1
        )
    } else {
        format!(
            "<h1>Interpellation om {topic} ({j})</h1><p>Till kommunstyrelsens ordförande</p>\
             <p>Frågan om {topic} har diskuterats länge utan att något har hänt. Många invånare hör av sig \
             och undrar vad kommunen gör, och ärende {j} visar att behoven i område {} är stora. \
             I motionen från {earlier} i {} {py} togs frågan upp.</p>\
             <p>Jag vill därför ställa följande fråga:</p><p>1. Vad gör kommunstyrelsen åt {topic}?</p>\
             <p>Benchby {year}-{month:02}-{day:02}</p><p>{who}</p>",
            j % 89,
            kedja_extract::month_name(pm)
        )
    };
    format!("<!DOCTYPE html><html><body><main>{body}</main></body></html>")
}
