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

use std::time::Instant;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;
use kedja_crawl::{Config, CrawlOptions};
use kedja_pipeline::Archive;

const PER_LISTING: usize = 50;

pub fn run(pages: usize, with_decisions: bool) -> Result<()> {
    let documents = pages.saturating_sub(1) * PER_LISTING / (PER_LISTING + 1);
    let listings = documents.div_ceil(PER_LISTING);
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app =
                Router::new()
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
                        get(move |Path(j): Path<usize>| async move {
                            Html(document(j, with_decisions))
                        }),
                    );
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("serve");
        });
    });

    let dir = std::env::temp_dir().join(format!("kedja-bench-crawl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config::parse(&format!(
        r#"[crawler]
contact = "mailto:bench@example.org"
delay_ms = 0

[[source]]
name = "bench"
municipality = "Benchby"
start = ["http://{addr}/"]
allowed_hosts = ["127.0.0.1"]
allow_private = true
max_depth = 3
"#
    ))
    .map_err(anyhow::Error::msg)?;
    let source = config.source("bench").context("bench source")?;
    let mut archive = Archive::open(&dir)?;
    println!(
        "site: 1 start page, {listings} listing pages, {documents} documents ({} pages) on http://{addr}/",
        1 + listings + documents
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let total = (1 + listings + documents) as u64;
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
