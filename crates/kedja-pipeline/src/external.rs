//! Poppler's `pdftotext`, when it is installed: the fallback for PDFs the
//! pure-Rust extractor cannot read (a damaged cross-reference table) or
//! reads as garbage. Written by hand because it is one process call: the
//! PDF goes in on stdin, UTF-8 text comes out on stdout, and a hung process
//! is killed after a time limit.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

/// The text `pdftotext` gets from `pdf`, or `None` when it is not
/// installed, fails, times out or finds no text.
pub(crate) fn pdftotext(pdf: &[u8]) -> Option<String> {
    let mut child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = pdf.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let out = reader.join().ok()?;
    if !status?.success() {
        return None;
    }
    // Form feeds stay: they mark the pages (see section_pages).
    let text = String::from_utf8_lossy(&out).into_owned();
    (!text.trim().is_empty()).then_some(text)
}
