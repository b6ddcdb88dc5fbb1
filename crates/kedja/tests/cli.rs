//! The `kedja` binary as a user runs it.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

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
}

#[test]
fn bad_arguments_fail_clearly() {
    let data = tempfile::tempdir().unwrap();
    let out = kedja(data.path(), &["search", "x", "--kind", "blog"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown kind"), "{}", stderr(&out));
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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["demo", "--addr", &addr])
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let body = loop {
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            write!(s, "GET /api/search?q=hedersrelaterat HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            break out;
        }
        assert!(
            Instant::now() < deadline,
            "kedja demo did not start serving"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    let json: serde_json::Value =
        serde_json::from_str(body.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert!(json["total"].as_u64().unwrap() >= 5, "{json}");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("http://{addr}/")),
        "prints the URL: {err}"
    );
    assert!(err.contains("34 imported"), "{err}");
}
