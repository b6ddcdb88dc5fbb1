//! The crawler against a fixture MeetingPlus portal on 127.0.0.1 serving
//! the real Alingsås documents of `../shared/corpora/alingsas/`: from one
//! meeting page per body to every meeting, protocol and attachment, each
//! document with its meeting and role; a crawl after it fetches nothing
//! new; a protocol adjusted later is fetched alone.
//!
//! By default a few small bodies are served, to keep the test quick on two
//! cores; `KEDJA_PORTAL_BODIES=all` serves the whole corpus (or a
//! comma-separated list of body slugs, those).

use kedja_api::{AppState, ServeOptions, app};
use kedja_crawl::{Config, CrawlOptions, CrawlReport, crawl};
use kedja_pipeline::Archive;
use kedja_tests::portal::{Portal, PortalFile, Served};

/// Three bodies, eleven meetings, 35 attachments (about 11 MB); the
/// second has the attachments that fail, the third the meeting not yet
/// adjusted, and eight protocols answer with the portal's "Sidan saknas".
const CI_BODIES: &[&str] = &[
    "barn-och-ungdomsnamnden",
    "socialnamnden",
    "vard-och-omsorgsnamnden",
];

fn bodies() -> Vec<String> {
    match std::env::var("KEDJA_PORTAL_BODIES").ok().as_deref() {
        Some("all") => Vec::new(),
        Some(list) if !list.trim().is_empty() => {
            list.split(',').map(|s| s.trim().to_owned()).collect()
        }
        _ => CI_BODIES.iter().map(|s| s.to_string()).collect(),
    }
}

fn run(archive: &mut Archive, portal: &Portal) -> CrawlReport {
    let config = Config::parse(&portal.sources_toml("alingsas-moten", 0)).expect("sources file");
    let source = config.source("alingsas-moten").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(crawl(
        archive,
        &config.crawler,
        source,
        &CrawlOptions::default(),
        &mut |_| {},
    ))
    .expect("crawl runs")
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn path_of(target: &str) -> &str {
    target.split('?').next().unwrap_or(target)
}

fn is_meeting_page(target: &str) -> bool {
    let segs: Vec<&str> = path_of(target)
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    matches!(segs.as_slice(), ["committees", _, m] if m.starts_with("mote-"))
}

fn get_json(router: &axum::Router, uri: &str) -> (u16, serde_json::Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let res = router
            .clone()
            .oneshot(
                axum::http::Request::builder()
                    .uri(uri)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = res.status().as_u16();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap())
    })
}

/// A file's path and query as the portal's log records it.
fn target(portal: &Portal, url: &str) -> String {
    url.split_once(&portal.addr.to_string())
        .map_or(url, |(_, t)| t)
        .to_owned()
}

#[test]
fn crawls_a_meeting_portal_from_one_meeting_page_per_body() {
    let wanted = bodies();
    let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let portal = Portal::start(&wanted).expect("the Alingsås corpus in ../shared");
    let files = portal.files();
    let unadjusted = portal.unadjusted().expect("a meeting not yet adjusted");
    let missing = files.iter().find(|f| f.served == Served::NotFound).unwrap();
    let flaky = files
        .iter()
        .find(|f| f.served == Served::FailsOnce)
        .unwrap();
    assert!(
        files
            .iter()
            .any(|f| f.role == "protocol" && f.url.contains("pdf-"))
    );
    assert!(
        files
            .iter()
            .any(|f| f.role == "protocol" && f.url.contains("pdf?"))
    );

    let mut archive = Archive::in_memory().unwrap();
    let started = std::time::Instant::now();
    let first = run(&mut archive, &portal);
    eprintln!(
        "first crawl: {} pages, {} documents in {:.1} s",
        first.pages,
        first.imported.len(),
        started.elapsed().as_secs_f64()
    );

    // Every published document, the one that failed once included; not
    // the one that answers 404, the protocols that answer with a page, nor
    // the protocol not yet adjusted. A PDF the import rejects (a scan
    // without text) is reported with the import's reason.
    let expected: Vec<String> = files
        .iter()
        .filter(|f| matches!(f.served, Served::Ok | Served::FailsOnce))
        .map(|f| f.url.clone())
        .collect();
    let rejected: Vec<String> = first
        .failed
        .iter()
        .filter(|(u, _)| expected.contains(u))
        .map(|(u, why)| {
            assert!(
                !why.contains("HTTP") && !why.contains("not a document"),
                "{u}: {why}"
            );
            u.clone()
        })
        .collect();
    let expected: Vec<String> = expected
        .into_iter()
        .filter(|u| !rejected.contains(u))
        .collect();
    assert!(rejected.len() * 10 <= expected.len(), "{rejected:#?}");
    assert_eq!(
        sorted(first.imported.clone()),
        sorted(expected.clone()),
        "{first:#?}"
    );
    let pages: Vec<&PortalFile> = files.iter().filter(|f| f.served == Served::Page).collect();
    for (u, why) in &first.failed {
        if *u == missing.url {
            assert!(why.contains("404"), "{why}");
        } else if pages.iter().any(|f| f.url == *u) {
            assert!(
                why.contains("not a document") && why.contains("Sidan saknas"),
                "{why}"
            );
        } else {
            assert!(rejected.contains(u), "{u}: {why}");
        }
    }
    assert_eq!(first.failed.len(), 1 + pages.len() + rejected.len());
    let log = portal.log();
    let statuses: Vec<u16> = log
        .iter()
        .filter(|h| h.target == target(&portal, &flaky.url))
        .map(|h| h.status)
        .collect();
    assert_eq!(statuses, vec![500, 200]);
    assert!(
        log.iter()
            .all(|h| h.target != target(&portal, &unadjusted.url))
    );
    // Only meeting pages, files and robots.txt: not the bodies' pages,
    // which list no meetings, nor the rest of the application.
    for h in &log {
        let p = path_of(&h.target);
        assert!(
            p == "/robots.txt"
                || p == "/sitemap.xml"
                || is_meeting_page(p)
                || files.iter().any(|f| target(&portal, &f.url) == h.target),
            "{} was fetched",
            h.target
        );
    }
    // Every meeting page once.
    let meeting_pages = log.iter().filter(|h| is_meeting_page(&h.target)).count();
    let meetings: usize = portal.bodies().iter().map(|(_, m)| m.len()).sum();
    assert_eq!(meeting_pages, meetings);

    // Each document knows its meeting and role, and the agenda item its
    // name gives (`ss63-…` is § 63).
    let store = archive.store();
    for f in files.iter().filter(|f| expected.contains(&f.url)) {
        let id = store.id_for_source(&f.url).unwrap().expect("imported");
        let (m, file) = store
            .meeting_of_document(id.as_str())
            .unwrap()
            .unwrap_or_else(|| panic!("{} has no meeting", f.url));
        assert_eq!(
            (m.body.as_str(), m.date.as_str()),
            (f.body.as_str(), f.date.as_str())
        );
        assert_eq!(file.role, f.role, "{}", f.url);
        assert_eq!(m.municipality.as_deref(), Some("Alingsås"));
        let stem = f.path.file_stem().unwrap().to_string_lossy().into_owned();
        let section = stem.strip_prefix("ss").map(|r| {
            r.trim_start_matches('-')
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse::<u32>()
                .unwrap()
        });
        assert_eq!(file.item_section, section, "{}", f.url);
    }

    // Per body: every meeting, one awaiting its protocol.
    let per_body = store.meetings_per_body("alingsas-moten").unwrap();
    assert_eq!(per_body.len(), portal.bodies().len());
    for b in &per_body {
        let (_, dates) = portal
            .bodies()
            .into_iter()
            .find(|(s, _)| *s == b.body)
            .unwrap();
        assert_eq!(b.meetings, dates.len() as u64, "{}", b.body);
        assert_eq!(
            b.awaiting_protocol,
            u64::from(b.body == unadjusted.body),
            "{}",
            b.body
        );
        let missing_here = pages
            .iter()
            .filter(|f| f.body == b.body && f.role == "protocol")
            .count();
        assert_eq!(b.protocol_missing, missing_here as u64, "{}", b.body);
        let docs = files
            .iter()
            .filter(|f| f.body == b.body && expected.contains(&f.url))
            .count();
        assert_eq!(b.documents, docs as u64, "{}", b.body);
    }
    assert_eq!(
        store.meetings_awaiting_protocol("alingsas-moten").unwrap(),
        vec![portal.url(&format!(
            "/committees/{}/mote-{}",
            unadjusted.body, unadjusted.date
        ))]
    );

    // Crawled again: the start pages, the meeting awaiting its protocol
    // and the meetings whose protocol answered with a page are asked
    // again, and those protocols; nothing new comes of it.
    portal.clear_log();
    let second = run(&mut archive, &portal);
    assert!(second.imported.is_empty(), "{second:#?}");
    assert!(second.new_versions.is_empty(), "{second:#?}");
    let page_protocols: Vec<String> = pages
        .iter()
        .filter(|f| f.role == "protocol")
        .map(|f| target(&portal, &f.url))
        .collect();
    let log = portal.log();
    for h in &log {
        assert!(
            h.target == "/robots.txt"
                || (is_meeting_page(&h.target) && h.status == 304)
                || page_protocols.contains(&h.target),
            "{h:?} on the second crawl"
        );
    }
    let mut asked: Vec<&str> = log
        .iter()
        .filter(|h| is_meeting_page(&h.target))
        .map(|h| h.target.as_str())
        .collect();
    asked.sort();
    asked.dedup();
    let mut want: Vec<String> = portal
        .start_urls()
        .iter()
        .map(|u| target(&portal, u))
        .chain(std::iter::once(target(
            &portal,
            &portal.url(&format!(
                "/committees/{}/mote-{}",
                unadjusted.body, unadjusted.date
            )),
        )))
        .chain(pages.iter().filter(|f| f.role == "protocol").map(|f| {
            target(
                &portal,
                &portal.url(&format!("/committees/{}/mote-{}", f.body, f.date)),
            )
        }))
        .collect();
    want.sort();
    want.dedup();
    assert_eq!(asked, want);
    let mut refetched: Vec<String> = log
        .iter()
        .filter(|h| page_protocols.contains(&h.target))
        .map(|h| h.target.clone())
        .collect();
    refetched.sort();
    let mut all_page_protocols = page_protocols.clone();
    all_page_protocols.sort();
    assert_eq!(refetched, all_page_protocols);

    // The protocol is adjusted: the next crawl fetches it, and only it.
    portal.publish_protocol();
    portal.clear_log();
    let third = run(&mut archive, &portal);
    assert_eq!(third.imported, vec![unadjusted.url.clone()], "{third:#?}");
    let fetched_files: Vec<String> = portal
        .log()
        .into_iter()
        .filter(|h| {
            h.target != "/robots.txt"
                && !is_meeting_page(&h.target)
                && !page_protocols.contains(&h.target)
        })
        .map(|h| h.target)
        .collect();
    assert_eq!(fetched_files, vec![target(&portal, &unadjusted.url)]);
    let store = archive.store();
    assert!(
        store
            .meetings_awaiting_protocol("alingsas-moten")
            .unwrap()
            .is_empty()
    );
    let id = store.id_for_source(&unadjusted.url).unwrap().unwrap();
    let (m, file) = store.meeting_of_document(id.as_str()).unwrap().unwrap();
    assert_eq!(
        (m.date.as_str(), file.role.as_str()),
        (unadjusted.date.as_str(), "protocol")
    );
    assert!(m.has_protocol);

    // The API shows a meeting with its protocol and attachments, and a
    // document its meeting.
    let protocol_parts = store.parts(&unadjusted.url).unwrap();
    assert!(
        protocol_parts.len() > 1,
        "the protocol is split into its §§"
    );
    let router = app(AppState::new(archive), &ServeOptions::default());
    let (status, list) = get_json(&router, "/api/meetings?limit=500");
    assert_eq!(status, 200);
    assert_eq!(list["total"], meetings as u64);
    let meeting_of = |body: &str, date: &str| -> serde_json::Value {
        let (status, list) = get_json(
            &router,
            &format!("/api/meetings?body={body}&from={date}&to={date}"),
        );
        assert_eq!(status, 200, "{list:#}");
        let ms = list["meetings"].as_array().unwrap();
        assert_eq!(ms.len(), 1, "{list:#}");
        let (status, meeting) = get_json(&router, &format!("/api/meetings/{}", ms[0]["id"]));
        assert_eq!(status, 200, "{meeting:#}");
        meeting
    };
    // The meeting adjusted late: its protocol is a document that knows
    // its meeting; its attachments are all there.
    let meeting = meeting_of(&unadjusted.body, &unadjusted.date);
    assert_eq!(meeting["has_protocol"], true);
    let protocol = &meeting["protocol"].as_array().unwrap()[0];
    let doc_id = protocol["doc_id"]
        .as_str()
        .expect("the protocol is a document");
    let attachments = meeting["attachments"].as_array().unwrap();
    let here: Vec<&PortalFile> = files
        .iter()
        .filter(|f| {
            f.role == "attachment" && f.body == unadjusted.body && f.date == unadjusted.date
        })
        .collect();
    assert_eq!(attachments.len(), here.len());
    for a in attachments {
        let f = here.iter().find(|f| a["url"] == f.url.as_str()).unwrap();
        assert_eq!(a["doc_id"].is_string(), expected.contains(&f.url), "{a:#}");
    }
    let (status, doc) = get_json(&router, &format!("/api/documents/{doc_id}"));
    assert_eq!(status, 200);
    assert_eq!(doc["meeting"]["role"], "protocol");
    assert_eq!(doc["meeting"]["id"], meeting["id"]);
    assert_eq!(doc["meeting"]["date"], unadjusted.date.as_str());

    // The meeting lists its protocol's §§, each with the attachments of
    // the item it decides; the trace of a § leads to them as part of the
    // decision's record, and from each of them back to the §.
    let sections = meeting["sections"].as_array().unwrap();
    assert_eq!(sections.len(), protocol_parts.len(), "{meeting:#}");
    for (s, (id, record)) in sections.iter().zip(&protocol_parts) {
        assert_eq!(s["doc_id"], id.as_str());
        assert_eq!(s["paragraph"].as_str(), record.paragraph.as_deref());
    }
    let doc_of = |url: &str| -> String {
        attachments
            .iter()
            .find(|a| a["url"] == url)
            .and_then(|a| a["doc_id"].as_str())
            .unwrap_or_else(|| panic!("{url} is not a document"))
            .to_owned()
    };
    let name_of = |url: &str| -> String {
        path_of(url)
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-')
            .trim_end_matches("pdf")
            .to_owned()
    };
    let mut in_a_record = 0;
    for s in sections {
        for a in s["attachments"].as_array().unwrap() {
            let url = a["url"].as_str().unwrap();
            in_a_record += 1;
            assert!(
                a["evidence"]
                    .as_str()
                    .unwrap()
                    .starts_with("Beslutsunderlag: ")
                    || a["evidence"] == s["title"],
                "{a:#}"
            );
            let (status, trace) = get_json(
                &router,
                &format!(
                    "/api/documents/{}/trace?depth=1&direction=back",
                    s["doc_id"].as_str().unwrap()
                ),
            );
            assert_eq!(status, 200);
            let attachment = doc_of(url);
            // The § → attachment edge of the decision's record.
            let record_edge = |trace: &serde_json::Value| {
                trace["edges"].as_array().unwrap().iter().any(|e| {
                    e["type"] == "record"
                        && e["from"] == s["doc_id"]
                        && e["to"] == attachment.as_str()
                })
            };
            assert!(record_edge(&trace), "{trace:#}");
            let (_, trace) = get_json(
                &router,
                &format!("/api/documents/{attachment}/trace?depth=1&direction=forward"),
            );
            assert!(record_edge(&trace), "{trace:#}");
        }
    }
    // Every attachment of an agenda item (`ss27-vonau-…`) in the archive
    // is in the record of one §.
    for a in attachments
        .iter()
        .filter(|a| a["item"].is_object() && a["doc_id"].is_string())
    {
        let holders = sections
            .iter()
            .filter(|s| {
                s["attachments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["url"] == a["url"])
            })
            .count();
        assert_eq!(holders, 1, "{a:#}\n{sections:#?}");
    }
    assert!(in_a_record > 0, "{sections:#?}");
    // Vård- och omsorgsnämnden's meeting of 2026-05-18 (the one adjusted
    // late when the default bodies are served): § 37 decides the item
    // whose three files its Beslutsunderlag lists, and no other.
    if unadjusted.body == "vard-och-omsorgsnamnden" && unadjusted.date == "2026-05-18" {
        let s37 = sections
            .iter()
            .find(|s| s["paragraph"] == "§ 37")
            .expect("§ 37");
        assert_eq!(s37["title"], "Revidering av riktlinje för registerkontroll");
        let mut names: Vec<String> = s37["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| name_of(a["url"].as_str().unwrap()))
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                "forslag-riktlinje-registerkontroll-vid-anstallning",
                "ss27-vonau-revidering-av-riktlinje-for-registerkontroll",
                "tjansteskrivelse-revidering-av-riktlinje-for-registerkontroll-redaktionell-andring",
            ]
        );
    }
    // The attachment that answers 404 is listed, with why it is missing.
    let meeting = meeting_of(&missing.body, &missing.date);
    let att = meeting["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["url"] == missing.url.as_str())
        .unwrap();
    assert_eq!(att["state"], "failed");
    assert!(att["doc_id"].is_null());
    assert!(att["reason"].as_str().unwrap().contains("404"));
    let (status, _) = get_json(&router, "/api/meetings/999999");
    assert_eq!(status, 404);
    let (status, _) = get_json(&router, "/api/meetings/ks");
    assert_eq!(status, 400);
    let (status, _) = get_json(&router, "/api/meetings?from=soon");
    assert_eq!(status, 400);
}
