//! The hostile-input suite: files and requests that an attacker, a broken
//! site or a careless colleague produce, through the `kedja` binary as it
//! runs in production. The import finishes in bounded time and memory and
//! reports every file once, on one line; the server answers every request
//! with JSON below 500, stays up, never serves what lies outside the
//! imported folder, and finds what another process imports meanwhile.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::repo;

/// Peak memory allowed to one import of the hostile files (a PDF bomb
/// once took 4.3 GB).
const MAX_IMPORT_BYTES: u64 = 1024 * 1024 * 1024;

/// Zeros through `layers` Flate layers, compressed as written.
fn deflated_zeros(n: u64, layers: usize) -> Vec<u8> {
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![0u8; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len() as u64) as usize;
        e.write_all(&chunk[..k]).unwrap();
        left -= k as u64;
    }
    let mut data = e.finish().unwrap();
    for _ in 1..layers {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::best());
        e.write_all(&data).unwrap();
        data = e.finish().unwrap();
    }
    data
}

fn bomb_pdf() -> Vec<u8> {
    let body = deflated_zeros(2 << 30, 2);
    let mut pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 612 792] >> endobj\n"
        .to_vec();
    pdf.extend(
        format!(
            "4 0 obj << /Length {} /Filter [/FlateDecode /FlateDecode] >>\nstream\n",
            body.len()
        )
        .as_bytes(),
    );
    pdf.extend(&body);
    pdf.extend(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    pdf
}

/// The hostile folder: (file name, what the import must say of it).
fn hostile_folder(dir: &Path) -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, Vec<u8>, &'static str)> = vec![
        (
            "turkish.txt".into(),
            "Motion om İzmir\n\nİİ motionen från Anna Berg (V) den 3 maj 2022 besvarades. Kommunfullmäktige beslutade att İİ kommunstyrelsen ges i uppdrag att utreda saken senast 2023."
                .into(),
            "imported",
        ),
        (
            "deep.html".into(),
            format!(
                "<html><body>{}<p>Motion om djupa sidor</p>{}</body></html>",
                "<div>".repeat(20_000),
                "</div>".repeat(20_000)
            )
            .into_bytes(),
            "imported",
        ),
        (
            "deep-tei.xml".into(),
            format!(
                "<TEI><text><body>{}<p>Text</p>{}</body></text></TEI>",
                "<div>".repeat(50_000),
                "</div>".repeat(50_000)
            )
            .into_bytes(),
            "rejected",
        ),
        ("bomb.pdf".into(), bomb_pdf(), "rejected"),
        (
            "proposals.txt".into(),
            "Kommunfullmäktige beslutar att ge kommunstyrelsen i uppdrag att utreda frågan. "
                .repeat(12_000)
                .into_bytes(),
            "imported",
        ),
        (
            "utf16.txt".into(),
            [0xff, 0xfe]
                .into_iter()
                .chain(
                    "Interpellation om förskolans lokaler i Sjövik"
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes),
                )
                .collect(),
            "imported",
        ),
        (
            "broken-utf8.txt".into(),
            b"Motion om f\xc3\xb6rskolan i Sj\xc3\xb6vik med ett trasigt \xff tecken".to_vec(),
            "imported",
        ),
        (
            "evil\nimported    d0000000000000000 forged.txt".into(),
            b"Motion om radbrytningar i filnamn".to_vec(),
            "imported",
        ),
        (
            "long-line.txt".into(),
            "våld mot kvinnor § 12 2022-12-14 ".repeat(150_000).into_bytes(),
            "imported",
        ),
        ("binary.bin".into(), (0..4000u32).map(|i| (i * 7 % 256) as u8).collect(), "rejected"),
        ("empty.txt".into(), Vec::new(), "rejected"),
    ];
    for (name, bytes, _) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let mut expected: Vec<(String, &'static str)> =
        files.drain(..).map(|(n, _, e)| (n, e)).collect();
    #[cfg(unix)]
    {
        let secret = dir.parent().unwrap().join("secret.txt");
        std::fs::write(&secret, "hemligt lösenord sesam").unwrap();
        for (name, target) in [
            ("passwd.txt", Path::new("/etc/passwd")),
            ("zero.txt", Path::new("/dev/zero")),
            ("secret.txt", secret.as_path()),
        ] {
            std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
            expected.push((name.into(), "rejected"));
        }
        let fifo = dir.join("pipe.txt");
        if Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            expected.push(("pipe.txt".into(), "rejected"));
        }
    }
    expected
}

/// Run `child` to its end within `limit`, polling its peak memory; its
/// output and peak resident size in bytes.
fn run_bounded(mut child: Child, limit: Duration) -> (std::process::Output, u64) {
    let pid = child.id();
    let started = Instant::now();
    let mut peak = 0u64;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        stdout.read_to_end(&mut v).unwrap();
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        stderr.read_to_end(&mut v).unwrap();
        v
    });
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            for line in status.lines() {
                if let Some(kb) = line.strip_prefix("VmHWM:") {
                    let kb: u64 = kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                    peak = peak.max(kb * 1024);
                }
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the process hung: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = std::process::Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    (output, peak)
}

fn kedja(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kedja"));
    c.arg("--data-dir").arg(data).current_dir(repo());
    c
}

/// A running `kedja serve` on what `data` holds, killed when dropped.
fn serve(data: &Path) -> kedja_tests::served::Served {
    let mut command = kedja(data);
    command.args(["serve", "--addr", "127.0.0.1:0"]);
    kedja_tests::served::Served::start(command, Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("the server did not start: {e:#}"))
}

/// One raw request; the status and the body.
fn request(addr: &str, method: &str, target: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut req = format!("{method} ").into_bytes();
    req.extend(target);
    req.extend(format!(" HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes());
    stream.write_all(&req).unwrap();
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("{}: no answer: {e}", String::from_utf8_lossy(target)));
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{}: not HTTP: {text:?}", String::from_utf8_lossy(target)));
    let body = match raw.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => raw[i + 4..].to_vec(),
        None => Vec::new(),
    };
    (status, body)
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn hostile_files_import_in_bounded_time_and_memory_and_the_server_survives_hostile_requests() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("import");
    std::fs::create_dir(&folder).unwrap();
    let expected = hostile_folder(&folder);
    let data = root.path().join("data");

    // The importer.
    let child = kedja(&data)
        .arg("import")
        .arg(&folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (out, peak) = run_bounded(child, Duration::from_secs(300));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(peak < MAX_IMPORT_BYTES, "the import peaked at {peak} bytes");
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| {
            ["imported", "new version", "unchanged", "rejected"]
                .iter()
                .any(|w| l.starts_with(w))
        })
        .collect();
    assert_eq!(lines.len(), expected.len(), "one line per file:\n{stdout}");
    for (name, outcome) in &expected {
        let shown = name.replace('\n', "\\n");
        let line = lines
            .iter()
            .find(|l| l.contains(&format!("/{shown}")))
            .unwrap_or_else(|| panic!("{name:?} not reported:\n{stdout}"));
        assert!(line.starts_with(outcome), "{name:?}: {line}");
    }
    assert!(
        !lines
            .iter()
            .any(|l| l.contains(" forged.txt") && !l.contains("\\n")),
        "a file name forged a report line:\n{stdout}"
    );

    // The stored text of the mixed files.
    {
        let archive =
            kedja_pipeline::Archive::open(&data, &kedja_pipeline::ArchiveOptions::default())
                .unwrap();
        let mut texts = Vec::new();
        archive
            .store()
            .for_each_document(|d| {
                texts.push(d.text);
                Ok(())
            })
            .unwrap();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("förskolans lokaler i Sjövik"))
        );
        assert!(
            texts
                .iter()
                .any(|t| t.contains("förskolan i Sjövik med ett trasigt \u{fffd}"))
        );
        assert!(!texts.iter().any(|t| t.contains("Ã¶")), "read as Latin-1");
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("root:") || t.contains("sesam"))
        );
    }

    // The server.
    let server = serve(&data);
    let addr = server.addr.clone();
    let deep = format!("{}v%C3%A5ld{}", "%28".repeat(800), "%29".repeat(800));
    let misspelled = encode(&"förskolna vålldet kommunstyrrelsen ".repeat(30));
    let ors = encode(&vec!["våld"; 300].join(" OR "));
    let long_path = format!("/{}", "a".repeat(10_000));
    let long_api_path = format!("/api/documents/{}", "d".repeat(10_000));
    let mut targets: Vec<Vec<u8>> = vec![
        format!("/api/search?q={deep}").into_bytes(),
        format!("/api/search?q={misspelled}").into_bytes(),
        format!("/api/search?q={ors}").into_bytes(),
        long_path.into_bytes(),
        long_api_path.into_bytes(),
        b"/api/documents/%FF%FE".to_vec(),
        b"/api/documents/%FF%FE/trace".to_vec(),
        b"/api/".to_vec(),
        b"/api".to_vec(),
        b"/api/search?q=%FF%FE".to_vec(),
        b"/api/search?q=v%C3%A5ld&limit=99999999999999999999999".to_vec(),
        b"/api/search?q=*:*".to_vec(),
        b"/api/search?q=title:[a%20TO%20z]".to_vec(),
        b"/api/search?q=v%C3%A5ld^1000000000".to_vec(),
        b"/api/search?q=%22%22%22%22".to_vec(),
        b"/api/search?q=root".to_vec(),
        b"/api/documents/d0000000000000000/trace?depth=99999999".to_vec(),
        b"/../../etc/passwd".to_vec(),
        b"/%2e%2e/%2e%2e/etc/passwd".to_vec(),
        b"/api/commitments?today=99999-99-99".to_vec(),
        b"/api/search?q=a&from=0000&to=9999-99-99".to_vec(),
    ];
    // Generated: random bytes, percent-encoded, in every parameter.
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for i in 0..120 {
        let len = (next() % 400) as usize;
        let junk: String = (0..len)
            .map(|_| format!("%{:02X}", (next() % 256) as u8))
            .collect();
        let route = [
            "/api/search?q=",
            "/api/documents/",
            "/api/commitments?status=",
            "/api/search?q=x&kind=",
            "/",
        ];
        targets.push(format!("{}{junk}", route[i % route.len()]).into_bytes());
    }
    for target in &targets {
        let shown = String::from_utf8_lossy(&target[..target.len().min(80)]).into_owned();
        let started = Instant::now();
        let (status, body) = request(&addr, "GET", target);
        assert!(
            status < 500,
            "{shown}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        assert!(started.elapsed() < Duration::from_secs(20), "{shown}: slow");
        if target.starts_with(b"/api") {
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_else(|e| {
                panic!(
                    "{shown}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&body)
                )
            });
            if status >= 400 {
                assert!(json["error"]["code"].is_string(), "{shown}: {json}");
            }
        }
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains("root:x:0") && !text.contains("sesam"),
            "{shown}: {text}"
        );
        assert!(
            !text.contains(&*root.path().to_string_lossy()),
            "{shown}: a server path: {text}"
        );
    }
    let (status, body) = request(&addr, "POST", b"/api/search?q=v%C3%A5ld");
    assert_eq!(status, 405, "{}", String::from_utf8_lossy(&body));
    let (status, body) = request(&addr, "GET", b"/api/search?q=motion");
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    for hit in json["hits"].as_array().unwrap() {
        let source = hit["source"].as_str().unwrap();
        assert!(!source.starts_with('/'), "an absolute path: {source}");
    }

    // What another process imports is found without a restart.
    let extra = root.path().join("extra");
    std::fs::create_dir(&extra).unwrap();
    std::fs::write(
        extra.join("zebra.txt"),
        "Motion om zebrafinkar i stadsparken",
    )
    .unwrap();
    let out = kedja(&data).arg("import").arg(&extra).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = request(&addr, "GET", b"/api/search?q=zebrafinkar");
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        if json["total"] == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server never saw the import: {json}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut server = server;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server died"
    );
}

#[test]
fn a_damaged_index_is_rebuilt_by_every_command() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let folder = repo().join("data/demo/Sjövik");
    let out = kedja(&data).arg("import").arg(&folder).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = data.join("index");
    let damages: [(&str, &dyn Fn()); 3] = [
        ("garbage meta.json", &|| {
            std::fs::write(index.join("meta.json"), "{{{ not json").unwrap()
        }),
        ("truncated files", &|| {
            for e in std::fs::read_dir(&index).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "term" || x == "idx") {
                    let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
                    f.set_len(3).unwrap();
                }
            }
        }),
        ("missing store files", &|| {
            for e in std::fs::read_dir(&index).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "store") {
                    std::fs::remove_file(&p).unwrap();
                }
            }
        }),
    ];
    for (what, damage) in damages {
        damage();
        let out = kedja(&data).args(["search", "motion"]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what}: {stderr}");
        assert!(
            stderr.contains("rebuilt from the store"),
            "{what}: {stderr}"
        );
        assert!(!stdout.trim().is_empty(), "{what}: nothing found");
        damage();
        let out = kedja(&data).arg("reindex").output().unwrap();
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        damage();
        let server = serve(&data);
        let (status, body) = request(&server.addr, "GET", b"/api/search?q=motion");
        assert_eq!(status, 200, "{what}");
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(json["total"].as_u64().unwrap() > 0, "{what}: {json}");
    }
}
