//! Poppler's `pdftotext`, when it is installed: the fallback for PDFs the
//! pure-Rust extractor cannot read (a damaged cross-reference table) or
//! reads as garbage. Written by hand because it is one process call: the
//! PDF goes in on stdin, UTF-8 text comes out on stdout, and a process that
//! hangs or writes more than a bounded amount of text is killed.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);
/// Most text read from `pdftotext`; a PDF that gives more (a decompression
/// bomb, say) is not read through it.
pub(crate) const MAX_OUTPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The text `pdftotext` gets from `pdf`, or `None` when it is not
/// installed, fails, times out, writes more than [`MAX_OUTPUT_BYTES`] or
/// finds no text.
pub(crate) fn pdftotext(pdf: &[u8]) -> Option<String> {
    run(
        "pdftotext",
        &["-enc", "UTF-8", "-", "-"],
        pdf,
        LIMIT,
        MAX_OUTPUT_BYTES,
    )
}

/// Run `program` with `input` on stdin; its stdout if it succeeds within
/// `limit` and writes at most `max_output` bytes.
fn run(
    program: &str,
    args: &[&str],
    input: &[u8],
    limit: Duration,
    max_output: u64,
) -> Option<String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        // The pipe is closed at the bound: a process that goes on writing
        // fails.
        let _ = stdout.take(max_output + 1).read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            // Output read to its end or to the bound: the process should
            // be exiting.
            Ok(None) if reader.is_finished() => match wait_briefly(&mut child) {
                Some(status) => break Some(status),
                None => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            },
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let out = reader.join().ok()?;
    if !status?.success() || out.len() as u64 > max_output {
        return None;
    }
    // Form feeds stay: they mark the pages (see section_pages).
    let text = String::from_utf8_lossy(&out).into_owned();
    (!text.trim().is_empty()).then_some(text)
}

/// The exit status of `child` if it exits within a short while.
fn wait_briefly(child: &mut std::process::Child) -> Option<std::process::ExitStatus> {
    for _ in 0..50 {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn output_of_an_external_program_is_bounded() {
        // A program that writes without end is stopped at the bound.
        let started = Instant::now();
        let out = run("yes", &[], b"", Duration::from_secs(20), 1 << 20);
        assert_eq!(out, None);
        assert!(started.elapsed() < Duration::from_secs(15));
        // Within the bound, the text comes through.
        let out = run("cat", &[], "Motion om förskolan".as_bytes(), LIMIT, 1 << 20);
        assert_eq!(out.as_deref(), Some("Motion om förskolan"));
        // A hung program is killed at the time limit.
        let started = Instant::now();
        assert_eq!(
            run("sleep", &["30"], b"", Duration::from_millis(300), 1 << 20),
            None
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
