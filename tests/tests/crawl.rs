//! The crawler against a fixture municipal website on 127.0.0.1.

use kedja_crawl::{Config, CrawlOptions, CrawlReport, crawl};
use kedja_pipeline::Archive;
use kedja_tests::site::Site;

fn run(archive: &mut Archive, site: &Site, opts: &CrawlOptions) -> CrawlReport {
    let config = Config::parse(&site.sources_toml(0)).expect("sources file");
    let source = config.source("fixby").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(crawl(archive, &config.crawler, source, opts, &mut |_| {}))
        .expect("crawl runs")
}

fn paths(urls: &[String]) -> Vec<String> {
    let mut v: Vec<String> = urls.iter().map(|u| url_path(u)).collect();
    v.sort();
    v
}

fn url_path(u: &str) -> String {
    let rest = u.split_once("://").map_or(u, |(_, r)| r);
    rest.find('/').map_or("/".into(), |i| rest[i..].to_owned())
}

fn reason_for<'a>(list: &'a [(String, String)], path: &str) -> &'a str {
    list.iter()
        .find(|(u, _)| url_path(u) == path)
        .map(|(_, r)| r.as_str())
        .unwrap_or_else(|| panic!("{path} not in {list:#?}"))
}

#[test]
fn crawls_a_municipal_site_politely_and_incrementally() {
    let site = Site::start();
    let mut archive = Archive::in_memory().unwrap();
    let report = run(&mut archive, &site, &CrawlOptions::default());

    // What was imported: the political documents, HTML and PDF, including
    // the page behind a redirect, the page only in the sitemap and the file
    // that failed once with a 500.
    assert_eq!(
        paths(&report.imported),
        vec![
            "/arkiv/motion-laddplatser",
            "/download/18.1a/1700000000001/handlingsplan-trygghet.pdf",
            "/download/18.5e/1700000000005/interpellation-skolskjutsar.pdf",
            "/download/18.6f/1700000000006/kf-2023-05-22-paragraf-45.pdf",
            "/gammal-sida",
            "/politik/interpellationer/tryggheten-i-skolan",
        ],
        "{report:#?}"
    );
    // What failed, and why.
    assert!(reason_for(&report.failed, "/saknas").contains("404"));
    assert!(
        reason_for(&report.failed, "/download/18.2b/1700000000002/slow.pdf").contains("timed out")
    );
    assert!(
        reason_for(&report.failed, "/download/18.3c/1700000000003/stor.pdf")
            .contains("larger than")
    );
    assert!(
        reason_for(&report.failed, "/download/18.4d/1700000000004/trasig.pdf")
            .to_lowercase()
            .contains("pdf")
    );
    // What was never fetched, and why.
    assert_eq!(
        reason_for(&report.skipped, "/privat/hemligt.pdf"),
        "robots.txt disallows it"
    );

    let log = site.log();
    assert!(
        log.iter().all(|h| !h.target.starts_with("/privat/")),
        "a disallowed path was requested"
    );
    assert!(
        log.iter()
            .all(|h| h.user_agent.as_deref() == Some("KedjaBot/test (+mailto:test@example.org)"))
    );
    assert!(
        !log.iter().any(|h| h.target.starts_with("/cookies")),
        "banner links are not content"
    );
    let flaky: Vec<u16> = log
        .iter()
        .filter(|h| h.target.ends_with("handlingsplan-trygghet.pdf"))
        .map(|h| h.status)
        .collect();
    assert_eq!(flaky, vec![500, 200], "retried after the 500");
    let calendar = log
        .iter()
        .filter(|h| h.target.starts_with("/kalender"))
        .count();
    assert!(
        calendar <= 4,
        "the endless calendar stops at the depth limit: {calendar}"
    );
    // Listing pages are followed, not imported; imported documents are searchable
    // and carry the source's municipality.
    assert_eq!(archive.store().stats().unwrap().documents, 6);
    let hits = archive
        .search(&kedja_pipeline::SearchRequest {
            query: "skolskjutsarna".into(),
            municipality: Some("Fixby".into()),
            limit: 5,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.total, 1);
    // The decision's assignment is tracked as a commitment.
    assert!(
        archive
            .commitments()
            .unwrap()
            .iter()
            .any(|c| c.task.contains("tryggare skolgårdar"))
    );

    // A second crawl asks with the validators it has and imports nothing.
    site.clear_log();
    let again = run(
        &mut archive,
        &site,
        &CrawlOptions {
            recrawl: true,
            ..Default::default()
        },
    );
    assert!(
        again.imported.is_empty() && again.new_versions.is_empty(),
        "{again:#?}"
    );
    assert!(again.not_modified >= 6, "{again:#?}");
    let log = site.log();
    let conditional = log
        .iter()
        .filter(|h| h.target.contains("/download/18.5e") || h.target.contains("/download/18.6f"))
        .collect::<Vec<_>>();
    assert!(!conditional.is_empty());
    assert!(
        conditional
            .iter()
            .all(|h| h.if_none_match.is_some() && h.status == 304),
        "{conditional:#?}"
    );
    assert_eq!(archive.store().stats().unwrap().documents, 6);

    // A document removed from the site stays in the archive, marked gone.
    site.remove("/download/18.6f/1700000000006/kf-2023-05-22-paragraf-45.pdf");
    let third = run(
        &mut archive,
        &site,
        &CrawlOptions {
            recrawl: true,
            ..Default::default()
        },
    );
    assert_eq!(
        paths(&third.gone),
        vec!["/download/18.6f/1700000000006/kf-2023-05-22-paragraf-45.pdf"]
    );
    assert_eq!(archive.store().stats().unwrap().documents, 6);
    let entry = archive
        .store()
        .crawl_url("fixby", &third.gone[0])
        .unwrap()
        .unwrap();
    let doc = entry.doc_id.expect("the frontier knows the document");
    assert!(archive.store().crawl_gone(&doc).unwrap());
    assert!(
        archive
            .document(&kedja_model::DocId(doc))
            .unwrap()
            .is_some()
    );
}

#[test]
fn max_pages_stops_and_the_next_run_continues() {
    let site = Site::start();
    let mut archive = Archive::in_memory().unwrap();
    let first = run(
        &mut archive,
        &site,
        &CrawlOptions {
            max_pages: Some(3),
            ..Default::default()
        },
    );
    assert!(first.stopped_early);
    assert_eq!(first.pages, 3);
    let rest = run(&mut archive, &site, &CrawlOptions::default());
    assert!(!rest.stopped_early);
    assert_eq!(archive.store().stats().unwrap().documents, 6);
    // Nothing fetched twice across the two runs, robots.txt aside.
    let mut seen = std::collections::HashMap::new();
    for h in site
        .log()
        .iter()
        .filter(|h| h.status == 200 && h.target != "/robots.txt")
    {
        *seen.entry(h.target.clone()).or_insert(0) += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "{seen:#?}");
}

/// Three sites crawled at once share their import batches: each report
/// still lists exactly its own site's documents (a file served
/// byte-identical by another site is the same document, imported once and
/// unchanged elsewhere), and each document is in the archive under its own
/// source's municipality.
#[test]
fn sites_crawled_at_once_import_together_and_each_reports_its_own() {
    let sites = [Site::start(), Site::start(), Site::start()];
    let mut toml = String::new();
    for (i, site) in sites.iter().enumerate() {
        let one = site.sources_toml(0);
        let one = if i == 0 {
            one
        } else {
            // Only the [[source]] entry, renamed, after the first's settings.
            one[one.find("[[source]]").unwrap()..]
                .replace("name = \"fixby\"", &format!("name = \"fixby{i}\""))
                .replace(
                    "municipality = \"Fixby\"",
                    &format!("municipality = \"Fixby{i}\""),
                )
        };
        toml.push_str(&one);
        toml.push('\n');
    }
    let config = Config::parse(&toml).expect("sources file");
    let chosen: Vec<&kedja_crawl::Source> = config.sources.iter().collect();
    assert_eq!(chosen.len(), 3);
    let mut archive = Archive::in_memory().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let reports = rt
        .block_on(kedja_crawl::crawl_many(
            &mut archive,
            &config.crawler,
            &chosen,
            &CrawlOptions::default(),
            8,
            &mut |_, _| {},
        ))
        .expect("the run closes");
    let expected = paths(
        &run(
            &mut Archive::in_memory().unwrap(),
            &Site::start(),
            &CrawlOptions::default(),
        )
        .imported,
    );
    assert_eq!(expected.len(), 6, "{expected:#?}");
    let mut imported_anywhere = Vec::new();
    for ((name, report), site) in reports.into_iter().zip(&sites) {
        let report = report.unwrap_or_else(|e| panic!("{name}: {e}"));
        let own_paths = paths(&report.imported);
        assert!(
            own_paths.iter().all(|p| expected.contains(p)),
            "{name}: {report:#?}"
        );
        assert_eq!(
            report.imported.len() as u64 + report.unchanged,
            expected.len() as u64,
            "{name}: {report:#?}"
        );
        assert_eq!(report.failed.len(), 4, "{name}: {report:#?}");
        imported_anywhere.extend(own_paths);
        let own = site.url("/");
        assert!(
            report.imported.iter().all(|u| u.starts_with(&own)),
            "{name} reports another site's documents: {report:#?}"
        );
        let municipality = config.source(&name).unwrap().municipality().to_owned();
        for url in &report.imported {
            let id = archive
                .store()
                .id_for_source(url)
                .unwrap()
                .unwrap_or_else(|| panic!("{url} is not in the archive"));
            let doc = archive.document(&id).unwrap().unwrap();
            assert_eq!(
                doc.record.municipality.as_deref(),
                Some(municipality.as_str()),
                "{url}"
            );
        }
    }
    imported_anywhere.sort();
    imported_anywhere.dedup();
    assert_eq!(imported_anywhere, expected);
}
