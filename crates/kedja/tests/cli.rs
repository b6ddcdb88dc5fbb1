//! The `kedja` binary as a user runs it.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::repo;

fn kedja(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .current_dir(repo())
        .output()
        .expect("kedja runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn import_search_reindex_export() {
    let data = tempfile::tempdir().unwrap();
    let seeds = repo().join("../shared/seeds");
    let seeds = seeds.to_str().unwrap();
    let first = kedja(data.path(), &["import", seeds]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first)
            .lines()
            .filter(|l| l.starts_with("imported"))
            .count(),
        5,
        "{}",
        stdout(&first)
    );
    assert!(
        stderr(&first).contains("5 files: 5 imported"),
        "{}",
        stderr(&first)
    );
    // "imported    <id> <source> [<kind>] <title>", the kind by its wire name.
    for line in stdout(&first).lines().filter(|l| l.starts_with("imported")) {
        assert!(
            kedja_model::DocKind::ALL
                .iter()
                .any(|k| line.contains(&format!(" [{}] ", k.as_str()))),
            "{line}"
        );
    }

    let again = kedja(data.path(), &["import", seeds]);
    assert_eq!(
        stdout(&again)
            .lines()
            .filter(|l| l.starts_with("unchanged"))
            .count(),
        5,
        "{}",
        stdout(&again)
    );

    let search = kedja(data.path(), &["search", "våld mot kvinnor", "--json"]);
    assert!(search.status.success(), "{}", stderr(&search));
    let json: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert!(
        json["hits"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("001_3b6c70bb05a4b568.txt"),
        "{json}"
    );

    let text = kedja(data.path(), &["search", "hedersrelaterat"]);
    assert!(stdout(&text).contains("träffar"), "{}", stdout(&text));

    let reindex = kedja(data.path(), &["reindex"]);
    assert!(
        stderr(&reindex).contains("reindexed 5 documents"),
        "{}",
        stderr(&reindex)
    );

    let export = kedja(data.path(), &["export"]);
    assert!(export.status.success(), "{}", stderr(&export));
    let lines: Vec<serde_json::Value> = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.iter().filter(|l| l["type"] == "document").count(), 5);
    assert!(lines.iter().any(|l| l["type"] == "reference"));
    let doc = lines.iter().find(|l| l["type"] == "document").unwrap();
    for field in [
        "id",
        "source",
        "kind",
        "title",
        "text",
        "content_hash",
        "imported_at",
    ] {
        assert!(!doc[field].is_null(), "{field} missing in export");
    }
    // A timestamp, not serde's array of numbers: "2026-11-28T05:31:02.5Z".
    let at = doc["imported_at"]
        .as_str()
        .expect("imported_at is a string");
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("imported_at {at:?} is not RFC 3339: {e}"));
    // The seeds state commitments; each is a line of its own.
    let commitment = lines
        .iter()
        .find(|l| l["type"] == "commitment")
        .expect("commitments are exported");
    for field in ["id", "doc_id", "task", "status"] {
        assert!(!commitment[field].is_null(), "{field} missing in export");
    }
    assert!(lines.iter().all(|l| {
        ["document", "reference", "link", "commitment"].contains(&l["type"].as_str().unwrap_or(""))
    }));
}

#[test]
fn bad_arguments_fail_clearly() {
    let data = tempfile::tempdir().unwrap();
    // The flag and the value named, and the values it takes listed.
    for (args, wrong, listed) in [
        (
            &["search", "x", "--kind", "blog"][..],
            "invalid value 'blog' for '--kind <KIND>'",
            "[possible values: interpellation, interpellation_answer, motion, motion_response, \
             initiative, citizen_proposal, decision, staff_report, protocol, plan, follow_up, other]",
        ),
        (
            &["search", "x", "--sort", "random"],
            "invalid value 'random' for '--sort <SORT>'",
            "[possible values: relevance, newest, oldest]",
        ),
        (
            &["trace", "d1", "--direction", "up"],
            "invalid value 'up' for '--direction <DIRECTION>'",
            "[possible values: back, forward, both]",
        ),
        (
            &["commitments", "--status", "late"],
            "invalid value 'late' for '--status <STATUS>'",
            "[possible values: done, ongoing, not_started, postponed, written_off, unknown]",
        ),
    ] {
        let out = kedja(data.path(), args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(wrong), "{}", stderr(&out));
        assert!(stderr(&out).contains(listed), "{}", stderr(&out));
    }
    // "date" is still taken for newest.
    let out = kedja(data.path(), &["search", "x", "--sort", "date"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = kedja(data.path(), &["import", "/does/not/exist"]);
    assert!(
        out.status.success(),
        "a missing path is reported, not fatal"
    );
    assert!(stdout(&out).contains("rejected"), "{}", stdout(&out));
    let help = kedja(data.path(), &["--help"]);
    for cmd in ["demo", "import", "search", "serve", "reindex", "export"] {
        assert!(stdout(&help).contains(cmd), "{cmd} missing from --help");
    }
}

#[test]
fn demo_imports_and_serves() {
    let data = tempfile::tempdir().unwrap();
    // Port 0: the server takes a free port and prints the URL it serves on,
    // so no other process can take the port between choosing and binding.
    let demo = common::start_demo(data.path());
    let deadline = Instant::now() + Duration::from_secs(30);
    let body = loop {
        match get(&demo.addr, "/api/search?q=hedersrelaterat") {
            Ok(body) => break body,
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "no answer from {}: {e}; stderr: {}",
                    demo.addr,
                    demo.log
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    };
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    let json: serde_json::Value =
        serde_json::from_str(body.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert!(json["total"].as_u64().unwrap() >= 5, "{json}");
    assert!(demo.log.contains("34 imported"), "{}", demo.log);
}

/// One HTTP/1.1 GET over a fresh connection; the whole response as text.
fn get(addr: &str, path: &str) -> std::io::Result<String> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

#[test]
fn a_crawl_killed_in_the_middle_resumes_without_duplicates() {
    use kedja_tests::site::Site;
    let site = Site::start();
    let data = tempfile::tempdir().unwrap();
    let sources = data.path().join("sources.toml");
    // A pause between requests, so that the crawl is killed half-way.
    std::fs::write(&sources, site.sources_toml(150)).unwrap();
    let sources = sources.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["crawl", "--sources", sources])
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let documents_fetched = |log: &[kedja_tests::site::Hit]| {
        log.iter()
            .filter(|h| h.status == 200 && h.target.starts_with("/download/"))
            .count()
    };
    while documents_fetched(&site.log()) < 2 {
        assert!(Instant::now() < deadline, "the crawl did not get going");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the crawl ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before_kill = site.log().len();

    let out = kedja(data.path(), &["crawl", "--sources", sources]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("fixby:"), "{}", stdout(&out));

    let log = site.log();
    let mut fetched: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, h) in log.iter().enumerate() {
        if h.status == 200 && h.target != "/robots.txt" {
            fetched.entry(h.target.as_str()).or_default().push(i);
        }
    }
    for (target, at) in &fetched {
        // Only a response in flight when the crawl was killed may be fetched
        // again: its result never reached the store.
        assert!(
            at.len() == 1 || (at.len() == 2 && at[0] + 3 >= before_kill),
            "{target} fetched {} times: {log:#?}",
            at.len()
        );
    }
    let archive =
        kedja_pipeline::Archive::open(data.path(), &kedja_pipeline::ArchiveOptions::default())
            .unwrap();
    assert_eq!(archive.store().stats().unwrap().documents, 6);
    let sources_out = kedja(data.path(), &["sources", "--sources", sources]);
    assert!(
        stdout(&sources_out).contains("fixby [Fixby]"),
        "{}",
        stdout(&sources_out)
    );
    assert!(
        stdout(&sources_out).contains("0 queued"),
        "{}",
        stdout(&sources_out)
    );
}

#[test]
fn crawl_and_sources_print_a_meeting_portal_per_body() {
    use kedja_tests::portal::{Portal, Served};
    let portal = Portal::start(&["barn-och-ungdomsnamnden"]).expect("the Alingsås corpus");
    let data = tempfile::tempdir().unwrap();
    let sources = data.path().join("sources.toml");
    std::fs::write(&sources, portal.sources_toml("alingsas-moten", 0)).unwrap();
    let sources = sources.to_str().unwrap();
    let (_, dates) = portal.bodies().remove(0);
    let files = portal.files();
    let count = |s: Served| files.iter().filter(|f| f.served == s).count();
    let line = format!(
        "barn-och-ungdomsnamnden: {} meetings, {} awaiting an adjusted protocol, {} with a protocol that could not be fetched, {} documents",
        dates.len(),
        count(Served::Unpublished),
        count(Served::Page),
        count(Served::Ok)
    );

    let out = kedja(data.path(), &["crawl", "--sources", sources]);
    assert!(out.status.success(), "{}", stderr(&out));
    let now = format!("{line} ({} imported now)\n", count(Served::Ok));
    assert!(stdout(&out).contains(&now), "{}", stdout(&out));

    let out = kedja(data.path(), &["sources", "--sources", sources]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("{line}\n")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn two_sites_are_crawled_at_once_and_a_kill_resumes_both() {
    use kedja_tests::site::Site;
    let (a, b) = (Site::start(), Site::start());
    let data = tempfile::tempdir().unwrap();
    let sources = data.path().join("sources.toml");
    // The second site as a source of its own: its [[source]] entry, renamed.
    let second = b.sources_toml(150);
    let second = &second[second.find("[[source]]").unwrap()..];
    let second = second
        .replace("name = \"fixby\"", "name = \"fixby2\"")
        .replace("municipality = \"Fixby\"", "municipality = \"Fixby2\"");
    std::fs::write(&sources, format!("{}\n{second}", a.sources_toml(150))).unwrap();
    let sources = sources.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["crawl", "--sources", sources])
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let documents_fetched = |log: &[kedja_tests::site::Hit]| {
        log.iter()
            .filter(|h| h.status == 200 && h.target.starts_with("/download/"))
            .count()
    };
    while documents_fetched(&a.log()) < 2 {
        assert!(Instant::now() < deadline, "the crawl did not get going");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the crawl ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // Both sites were being crawled at once, not one after the other.
    assert!(
        documents_fetched(&b.log()) >= 1,
        "the second site waited for the first: {:#?}",
        b.log()
    );
    let before_kill = [a.log().len(), b.log().len()];

    let out = kedja(data.path(), &["crawl", "--sources", sources]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("fixby:"), "{}", stdout(&out));
    assert!(stdout(&out).contains("fixby2:"), "{}", stdout(&out));
    for (site, before_kill) in [&a, &b].into_iter().zip(before_kill) {
        let log = site.log();
        let mut fetched: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (i, h) in log.iter().enumerate() {
            if h.status == 200 && h.target != "/robots.txt" {
                fetched.entry(h.target.as_str()).or_default().push(i);
            }
        }
        for (target, at) in &fetched {
            // Only a response in flight at the kill may be fetched again.
            assert!(
                at.len() == 1 || (at.len() == 2 && at[0] + 3 >= before_kill),
                "{target} fetched {} times: {log:#?}",
                at.len()
            );
        }
        // Every document of the site was fetched.
        assert_eq!(
            fetched
                .keys()
                .filter(|t| t.starts_with("/download/18.5e") || t.starts_with("/download/18.6f"))
                .count(),
            2
        );
    }
    let sources_out = kedja(data.path(), &["sources", "--sources", sources]);
    assert_eq!(
        stdout(&sources_out).matches("0 queued").count(),
        2,
        "{}",
        stdout(&sources_out)
    );
}

/// Two `kedja import` processes on one data directory at once: the second
/// waits its turn on the search index instead of failing, and every
/// document of both is searchable afterwards (read without the repair an
/// ordinary open would do).
#[test]
fn two_imports_at_once_take_turns_on_the_index_and_both_are_searchable() {
    let data = tempfile::tempdir().unwrap();
    let shared = repo().join("../shared");
    let seeds = shared.join("seeds");
    let batches = [
        vec![
            shared.join("corpora/alingsas/socialnamnden"),
            seeds.join("000_647376fcc0978662.txt"),
            seeds.join("001_3b6c70bb05a4b568.txt"),
            seeds.join("002_abecfa8685b602a1.txt"),
        ],
        vec![
            shared.join("corpora/lomma/kommunstyrelsen"),
            seeds.join("003_a5e689e5092648e8.txt"),
            seeds.join("004_aaa94d4a06473d76.txt"),
        ],
    ];
    let started: Vec<_> = batches
        .iter()
        .map(|paths| {
            Command::new(env!("CARGO_BIN_EXE_kedja"))
                .arg("--data-dir")
                .arg(data.path())
                .arg("import")
                .args(paths)
                .current_dir(repo())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("kedja runs")
        })
        .collect();
    let mut imported = Vec::new();
    for child in started {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        // "imported    <id> <source> [<kind>] <title>"
        for line in stdout(&out).lines() {
            let mut words = line.split_whitespace();
            if words.next() == Some("imported") {
                let id = words.next().unwrap().to_owned();
                let title = line.split_once("] ").map_or("", |(_, t)| t).to_owned();
                imported.push((id, title));
            }
        }
    }
    assert!(imported.len() >= 10, "{imported:?}");
    let archive = kedja_pipeline::Archive::open_reader(
        data.path(),
        &kedja_pipeline::ArchiveOptions::default(),
    )
    .unwrap();
    assert_eq!(
        archive.index().num_docs(),
        archive.store().document_count().unwrap()
    );
    for (id, title) in &imported {
        let hits = archive
            .search(&kedja_pipeline::SearchRequest {
                query: title.clone(),
                limit: 100,
                ..Default::default()
            })
            .unwrap()
            .hits;
        assert!(
            hits.iter().any(|h| h.id.0 == *id),
            "{id} ({title}) not found by its title"
        );
    }
}
