//! The web interface in a real browser: headless Chromium driven through
//! chromedriver, against `kedja demo` on 127.0.0.1. Screenshots of each page
//! go to `target/tmp/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them
//! and sets KEDJA_BROWSER_TESTS=required, so that CI fails without them).
//! Elsewhere, without them, the test says so and does nothing.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Killed;
use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

/// Find the element at `locator` now (it is expected to be there) and click it.
async fn click(c: &Client, locator: Locator<'_>) {
    c.find(locator)
        .await
        .unwrap_or_else(|e| panic!("{locator:?} is not on the page: {e}"))
        .click()
        .await
        .unwrap();
}

async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

async fn screenshot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Whether Chromium and chromedriver are here; without them a test is
/// skipped, unless KEDJA_BROWSER_TESTS=required.
fn browser_present() -> bool {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var("KEDJA_BROWSER_TESTS").as_deref() != Ok("required"),
            "KEDJA_BROWSER_TESTS=required but {CHROMIUM} or {CHROMEDRIVER} is missing"
        );
        eprintln!("skipped: install chromium and chromium-driver to run the browser test");
        return false;
    }
    true
}

/// A headless Chromium session through chromedriver (killed with the
/// returned guard) and its profile folder.
async fn browser() -> (Client, Killed, tempfile::TempDir) {
    let port = free_port();
    let driver = Killed(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let c = loop {
        // chromedriver speaks plain HTTP on 127.0.0.1: no TLS needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) if Instant::now() < deadline => {
                eprintln!("waiting for chromedriver: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("no chromedriver session: {e}"),
        }
    };
    (c, driver, profile)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_filter_open_trace_and_follow_up_in_chromium() {
    if !browser_present() {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let demo = common::start_demo(data.path());
    let base = format!("http://{}/", demo.addr);
    let (c, _driver, _profile) = browser().await;

    // Type a query.
    c.goto(&base).await.unwrap();
    let q = wait_for(&c, "#q").await;
    q.send_keys("hedersrelaterat våld").await.unwrap();
    click(&c, Locator::Css("#search button[type=submit]")).await;
    wait_for(&c, "#hits li a.hit").await;
    let status = c
        .find(Locator::Css("#status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.ends_with("träffar"), "{status}");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("q=hedersrelaterat")
    );
    // The search can be watched as an Atom feed.
    let watch = wait_for(&c, "#watch-link").await;
    assert_eq!(watch.text().await.unwrap(), "Bevaka sökningen");
    let href = watch.attr("href").await.unwrap().unwrap_or_default();
    assert!(
        href.starts_with("/api/feeds/search.atom?q=hedersrelaterat"),
        "{href}"
    );
    screenshot(&c, "1-search").await;

    // Filter by kind: decisions only; the URL holds the filter.
    click(
        &c,
        Locator::Css("#facets button[data-facet=kind][data-value=decision]"),
    )
    .await;
    wait_for(&c, "#facets button[data-facet=kind][aria-pressed=true]").await;
    let metas = texts(&c, "#hits li .meta").await;
    assert!(!metas.is_empty());
    assert!(metas.iter().all(|m| m.starts_with("Beslut")), "{metas:?}");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("kind=decision")
    );
    let href = wait_for(&c, "#watch-link")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        href.contains("kind=decision"),
        "the feed keeps the filter: {href}"
    );
    screenshot(&c, "2-filtered").await;

    // Back to all kinds, open the interpellation about the 2016 initiative.
    c.goto(&format!(
        "{base}?q=initiativet%20hedersrelaterat%20v%C3%A5ld&kind=interpellation"
    ))
    .await
    .unwrap();
    wait_for(&c, "#hits li a.hit").await.click().await.unwrap();
    let title = wait_for(&c, "#doc-view h2").await.text().await.unwrap();
    assert!(title.contains("initiativet"), "{title}");
    let refs = c
        .find_all(Locator::Css("#doc-view mark.ref"))
        .await
        .unwrap();
    assert!(!refs.is_empty(), "references are highlighted in the text");
    let out = texts(&c, "#doc-view table tr td:nth-child(2)").await;
    assert!(
        out.iter().any(|t| t == "frågar om"),
        "links out with their type: {out:?}"
    );
    screenshot(&c, "3-document").await;

    // Its trace: the KF decision it asks about is on the timeline.
    click(&c, Locator::Css("#trace-link")).await;
    wait_for(&c, ".timeline li").await;
    let nodes = texts(&c, ".timeline li").await;
    assert!(
        nodes
            .iter()
            .any(|n| n.contains("Beslut") && n.contains("2016-06-20")),
        "the decision is in the trace: {nodes:#?}"
    );
    screenshot(&c, "4-trace").await;

    // The overdue commitments, from the menu.
    click(&c, Locator::Css("#nav-commitments")).await;
    wait_for(&c, "#commitments-view table").await;
    click(&c, Locator::Css("#filter-1")).await;
    wait_for(&c, "#commitments-view td.status-overdue").await;
    let statuses = texts(&c, "#commitments-view td:nth-child(4)").await;
    assert!(!statuses.is_empty());
    assert!(
        statuses.iter().all(|s| s.contains("försenat")),
        "{statuses:?}"
    );
    let feeds = c
        .find_all(Locator::Css("#commitments-view a.feed"))
        .await
        .unwrap();
    assert_eq!(feeds.len(), 2, "links to the Atom feeds");
    let href = feeds[0].attr("href").await.unwrap().unwrap_or_default();
    assert!(href.ends_with("/api/feeds/overdue.atom"), "{href}");
    let awaiting = texts(&c, "#commitments-view li").await;
    assert!(
        awaiting.iter().any(|a| a.contains("Kameraövervakning")),
        "{awaiting:?}"
    );
    screenshot(&c, "5-overdue").await;

    // The reply brief of an interpellation: each question with passages of
    // linked documents, their source, and the commitments they mention.
    c.goto(&format!(
        "{base}?q=handlingsplan&kind=interpellation&municipality=Sj%C3%B6vik"
    ))
    .await
    .unwrap();
    wait_for(&c, "#hits li a.hit").await.click().await.unwrap();
    wait_for(&c, "#brief-link").await.click().await.unwrap();
    wait_for(&c, "#brief-view .brief-item").await;
    let heading = wait_for(&c, "#brief-view h2").await.text().await.unwrap();
    assert!(heading.starts_with("Svarsunderlag"), "{heading}");
    let items = texts(&c, "#brief-view .brief-item h3").await;
    assert_eq!(items, ["Fråga 1", "Fråga 2", "Fråga 3"]);
    let quotes = texts(&c, "#brief-view .passage blockquote").await;
    assert!(
        quotes.iter().any(|q| q.contains("94 av 210")),
        "the follow-up's figure: {quotes:#?}"
    );
    let captions = texts(&c, "#brief-view .passage figcaption").await;
    assert!(
        captions
            .iter()
            .all(|s| s.chars().filter(|c| *c == '-').count() >= 2),
        "every passage is dated: {captions:#?}"
    );
    let commitments = texts(&c, "#brief-view .passage .commitment").await;
    assert!(
        commitments.iter().any(|s| s.contains("Status: ")),
        "commitments with their status: {commitments:#?}"
    );
    click(&c, Locator::Css("#copy-brief")).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let copied = loop {
        let s = c
            .find(Locator::Css("#copy-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if !s.is_empty() || Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(copied.contains("Kopierat"), "{copied}");
    // What was copied: the text with the questions and every source.
    let text = c
        .find(Locator::Css("#brief-text"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(text.starts_with("Svarsunderlag: "), "{text}");
    for must in [
        "Fråga 1: ",
        "Fråga 3: ",
        "94 av 210",
        "Status: ",
        "Källor\n[1] ",
    ] {
        assert!(text.contains(must), "{must:?} in {text}");
    }
    assert!(
        text.contains(&format!("{base}?view=doc&id=d")),
        "links to the sources: {text}"
    );
    screenshot(&c, "6-brief").await;

    c.close().await.unwrap();
}

/// The real chain of a motion, from the Alingsås corpus in `../shared/`
/// (read at run time): the motion, KF's decision to remit it, Tekniska
/// nämnden's answer, the office's tjänsteskrivelse, the arbetsutskott's
/// proposal and KS's § in its protocol. Its trace in the browser shows
/// them in the order the case moved, with the links between.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trace_of_a_real_motion_reads_from_motion_to_proposal() {
    let corpus = common::repo().join("../shared/corpora/alingsas/kommunstyrelsen/2026-06-01");
    if !browser_present() {
        return;
    }
    if !corpus.is_dir() {
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let files: Vec<std::path::PathBuf> = [
        "bilagor/motion-gallande-att-infora-laddstationer-for-alingsadegs-cyklister-amanda-andersson-mp.pdf",
        "bilagor/ss204-kf-motion-gallande-att-att-infora-laddstationer-for-alingsas-cyklister-amanda-andersson-mp.pdf",
        "bilagor/ss-65-ten-svar-pa-motion-gallande-att-infora-laddstationer-for-alingsas-cyklister.pdf",
        "bilagor/tjansteskrivelse-svar-pa-motion-gallande-att-infora-laddstationer-for-alingsas-cyklister.pdf",
        "bilagor/ss76-ksau-svar-pa-motion-gallande-att-att-infora-laddstationer-for-alingsas-cyklister-amanda-andersson-mp.pdf",
        "protokoll.pdf",
    ]
    .iter()
    .map(|f| corpus.join(f))
    .collect();
    let data = tempfile::tempdir().unwrap();
    let import = Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["import", "--municipality", "Alingsås"])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let server = common::start_serve(data.path());
    let base = format!("http://{}/", server.addr);
    let (c, _driver, _profile) = browser().await;

    // Find the motion by searching, as a user would, and open its trace.
    c.goto(&format!("{base}?q=laddstationer%20cyklister&kind=motion"))
        .await
        .unwrap();
    wait_for(&c, "#hits li a.hit").await.click().await.unwrap();
    let title = wait_for(&c, "#doc-view h2").await.text().await.unwrap();
    assert!(title.to_lowercase().contains("laddstationer"), "{title}");
    click(&c, Locator::Css("#trace-link")).await;
    wait_for(&c, ".timeline li").await;
    let nodes = texts(&c, ".timeline li").await;
    // A document referred to but missing is shown once, however many
    // references name it.
    let missing: Vec<&String> = nodes
        .iter()
        .filter(|n| n.contains("finns ännu inte i arkivet"))
        .collect();
    let distinct: std::collections::HashSet<&&String> = missing.iter().collect();
    assert_eq!(distinct.len(), missing.len(), "{missing:#?}");
    let at = |date: &str| {
        nodes
            .iter()
            .position(|n| n.starts_with(date))
            .unwrap_or_else(|| panic!("a document of {date} in the trace: {nodes:#?}"))
    };
    // The board's answer, the arbetsutskott's proposal, KS's §: in the
    // order of the case.
    let (answered, proposed, decided) = (at("2025-12-15"), at("2026-05-20"), at("2026-06-01"));
    assert!(answered < proposed && proposed < decided, "{nodes:#?}");
    assert!(
        nodes.iter().any(|n| n.contains("→ ")),
        "links are shown with their evidence: {nodes:#?}"
    );
    screenshot(&c, "7-real-trace").await;
    c.close().await.unwrap();
}

/// A body's meetings crawled from a fixture MeetingPlus portal serving the
/// real Alingsås documents (read from `../shared` at run time), shown as a
/// user finds them: the list of meetings, one meeting with its protocol and
/// its §§, each § with the attachments of the item it decides, and a §
/// opened as a document that links to its protocol.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawled_meeting_shows_its_protocol_sections_and_their_attachments() {
    use kedja_tests::portal::Portal;
    if !browser_present() {
        return;
    }
    const BODY: &str = "vard-och-omsorgsnamnden";
    const DATE: &str = "2026-05-18";
    let Ok(portal) = Portal::start(&[BODY]) else {
        eprintln!("skipped: no Alingsås corpus beside the repository");
        return;
    };
    // Every meeting adjusted: the meeting shown has its protocol.
    portal.publish_protocol();
    let meetings = portal
        .bodies()
        .into_iter()
        .find(|(slug, _)| slug == BODY)
        .map(|(_, dates)| dates.len())
        .expect("the body is served");
    let data = tempfile::tempdir().unwrap();
    let sources = data.path().join("sources.toml");
    std::fs::write(&sources, portal.sources_toml("alingsas-moten", 0)).unwrap();
    let crawl = Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["crawl", "--sources"])
        .arg(&sources)
        .output()
        .unwrap();
    assert!(
        crawl.status.success(),
        "{}",
        String::from_utf8_lossy(&crawl.stderr)
    );
    let server = common::start_serve(data.path());
    let base = format!("http://{}/", server.addr);
    let (c, _driver, _profile) = browser().await;

    // From the navigation to the list of meetings: one row per meeting.
    c.goto(&base).await.unwrap();
    wait_for(&c, "#nav-meetings").await.click().await.unwrap();
    wait_for(&c, "#meetings td a").await;
    let rows = texts(&c, "#meetings tr").await;
    assert_eq!(
        rows.len(),
        meetings + 1,
        "a header and the meetings: {rows:#?}"
    );
    assert!(
        rows.iter().skip(1).all(|r| r.contains("Justerat")),
        "every protocol adjusted: {rows:#?}"
    );
    // The body by the name its pages give it, not by its address.
    assert!(
        rows.iter()
            .skip(1)
            .all(|r| r.contains("Vård- och omsorgsnämnden")),
        "{rows:#?}"
    );

    // The meeting: its protocol is a document, its §§ are listed with the
    // attachments of the items they decide.
    click(&c, Locator::LinkText(DATE)).await;
    wait_for(&c, "#meeting-sections li").await;
    assert_eq!(
        c.find_all(Locator::Css("#meeting-protocol li a"))
            .await
            .unwrap()
            .len(),
        1,
        "the protocol, as a document"
    );
    let sections = texts(&c, "#meeting-sections > li").await;
    assert!(sections.len() > 1, "{sections:#?}");
    assert!(
        sections.iter().all(|s| s.starts_with("§ ")),
        "{sections:#?}"
    );
    let s37 = c
        .find_all(Locator::Css("#meeting-sections > li"))
        .await
        .unwrap()
        .into_iter()
        .nth(
            sections
                .iter()
                .position(|s| s.starts_with("§ 37 "))
                .expect("§ 37"),
        )
        .unwrap();
    let record = s37
        .find_all(Locator::Css(".section-record li a"))
        .await
        .unwrap();
    assert_eq!(record.len(), 3, "{sections:#?}");
    let attachments = texts(&c, "#meeting-attachments li").await;
    assert!(attachments.len() >= 3, "{attachments:#?}");
    screenshot(&c, "8-meeting").await;

    // A § opened as a document: a decision of the body and day, part of
    // its protocol, from this meeting.
    s37.find(Locator::Css("a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "#part-of a").await;
    let title = wait_for(&c, "#doc-view h2").await.text().await.unwrap();
    assert!(title.contains("registerkontroll"), "{title}");
    let meta = texts(&c, "#doc-view p.meta").await.join("\n");
    assert!(meta.contains(DATE), "{meta}");
    click(&c, Locator::Css("#part-of a")).await;
    wait_for(&c, "#parts li a").await;
    let parts = texts(&c, "#parts li").await;
    assert_eq!(parts.len(), sections.len(), "{parts:#?}");
    screenshot(&c, "9-protocol").await;
    c.close().await.unwrap();
}
