//! Kedja as a service: `kedja serve --crawl-every` crawling a local site
//! while it answers searches, with JSON logs, and `kedja backup` taken
//! while the crawl imports; the copy opens as an archive of its own.

mod common;

use std::io::{BufRead, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use common::{Killed, repo};
use kedja_tests::site::Site;
use serde_json::Value;

/// One HTTP/1.1 GET over a fresh connection: status line and body.
fn get(addr: &str, path: &str) -> std::io::Result<(String, String)> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    Ok((
        head.lines().next().unwrap_or("").to_owned(),
        body.to_owned(),
    ))
}

/// The log lines so far, each parsed as JSON (a line that is not JSON fails
/// the test: `KEDJA_LOG_FORMAT=json` promises one object a line).
fn drain(lines: &Receiver<String>, log: &mut Vec<Value>) {
    while let Ok(line) = lines.try_recv() {
        let v: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("log line is not JSON ({e}): {line}"));
        log.push(v);
    }
}

fn logged(log: &[Value], message: &str) -> bool {
    log.iter().any(|v| v["message"] == message)
}

#[test]
fn serve_crawls_on_a_schedule_answers_meanwhile_and_backs_up() {
    let site = Site::start();
    let data = tempfile::tempdir().unwrap();
    let sources = data.path().join("sources.toml");
    // A pause between requests, so that the crawl takes a few seconds.
    std::fs::write(&sources, site.sources_toml(150)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data.path().join("data"))
        .args(["serve", "--addr", "127.0.0.1:0", "--crawl-every", "1h"])
        .arg("--sources")
        .arg(&sources)
        .env("KEDJA_LOG_FORMAT", "json")
        .env("KEDJA_LOG", "warn,kedja=info,kedja_api=info")
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = child.stderr.take().unwrap();
    let _server = Killed(child);
    let (tx, lines) = std::sync::mpsc::channel::<String>();
    let mut addr = None;
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The one line that is not a log record: the URL, for scripts.
    let deadline = Instant::now() + Duration::from_secs(60);
    while addr.is_none() {
        let line = lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("kedja serve prints the URL it serves on");
        if let Some(rest) = line.split("serving on http://").nth(1) {
            addr = Some(rest.split('/').next().unwrap().to_owned());
        }
    }
    let addr = addr.unwrap();

    // While the crawl runs, searches are answered at once, and a backup
    // is taken.
    let mut log = Vec::new();
    let mut slowest = Duration::ZERO;
    let mut answered = 0;
    let mut backups = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !logged(&log, "server now searches the crawled archive") {
        assert!(Instant::now() < deadline, "no crawl finished: {log:#?}");
        let asked = Instant::now();
        let (status, _) = get(&addr, "/api/search?q=tryggheten").unwrap();
        slowest = slowest.max(asked.elapsed());
        assert_eq!(status, "HTTP/1.1 200 OK");
        answered += 1;
        if logged(&log, "crawl started") && backups.len() < 3 {
            let copy = data.path().join(format!("backup-{}.sqlite", backups.len()));
            let out = Command::new(env!("CARGO_BIN_EXE_kedja"))
                .arg("--data-dir")
                .arg(data.path().join("data"))
                .arg("backup")
                .arg(&copy)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            backups.push(copy);
        }
        std::thread::sleep(Duration::from_millis(50));
        drain(&lines, &mut log);
    }
    assert!(answered >= 5, "only {answered} searches during the crawl");
    assert!(
        slowest < Duration::from_secs(2),
        "a search waited {slowest:?} during the crawl"
    );

    // The log tells the crawl as it went, with structured fields.
    for message in [
        "crawls scheduled",
        "crawl started",
        "source crawled",
        "crawl finished",
        "next crawl",
    ] {
        assert!(logged(&log, message), "{message:?} not logged: {log:#?}");
    }
    let done = log
        .iter()
        .find(|v| v["message"] == "source crawled")
        .unwrap();
    assert_eq!(done["source"], "fixby", "{done}");
    assert_eq!(done["imported"], 6, "{done}");
    assert!(
        log.iter()
            .all(|v| v["level"].is_string() && v["timestamp"].is_string())
    );

    // The server now finds what was crawled.
    let (_, body) = get(&addr, "/api/search?q=tryggheten").unwrap();
    let found: Value = serde_json::from_str(&body).unwrap();
    assert!(found["total"].as_u64().unwrap() >= 1, "{found}");
    let (_, health) = get(&addr, "/api/health").unwrap();
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["documents"], 6, "{health}");

    // Every backup taken during the crawl opens on its own, as the
    // store of a new data directory, and is searchable there.
    assert!(!backups.is_empty(), "no backup was taken during the crawl");
    for copy in &backups {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(copy, dir.path().join("kedja.sqlite")).unwrap();
        let archive =
            kedja_pipeline::Archive::open(dir.path(), &kedja_pipeline::ArchiveOptions::default())
                .unwrap();
        let n = archive.store().stats().unwrap().documents;
        assert!(n <= 6, "{n} documents in {}", copy.display());
        assert_eq!(
            archive.index().num_docs(),
            n,
            "the index is rebuilt from the copy"
        );
    }
}
