//! PDF text layer extraction with `pdf-extract`, within a decoding budget
//! ([`crate::pdf_budget`]) and a time limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use crate::{Decoded, FormatError, Result, SourceMeta};
use kedja_model::Format;

/// Fewer letters than this in a whole PDF means it has no usable text layer.
const MIN_LETTERS: usize = 20;

/// Longest the reading of one PDF may take: budget check and text
/// extraction together. A real 500-page report reads in a few seconds.
pub const PDF_TIME_LIMIT: Duration = Duration::from_secs(60);

/// Most readings given up on that may still be running; while this many
/// are, further PDFs are refused at once instead of adding to them.
const MAX_RUNAWAYS: usize = 2;

/// Readings given up on that are still running.
static RUNAWAYS: AtomicUsize = AtomicUsize::new(0);

/// Stack of the reading thread: as much as a main thread has, since
/// pdf-extract used to run on the caller's thread.
const STACK_BYTES: usize = 8 * 1024 * 1024;

pub(crate) fn decode(bytes: &[u8], limit: Duration) -> Result<Decoded> {
    within(limit, bytes, read, &RUNAWAYS)
}

/// `read(bytes)` on a thread of its own, waited for at most `limit`.
///
/// A thread cannot be stopped from outside: one given up on runs on until
/// pdf-extract returns, holding a core and its memory (which the decoding
/// budget bounds) and a copy of the file. So that hostile files cannot pile
/// such threads up, at most [`MAX_RUNAWAYS`] may be running (counted in
/// `runaways`); a process of its own, which could be killed, would need a
/// binary to run and is not done here.
fn within(
    limit: Duration,
    bytes: &[u8],
    read: fn(&[u8]) -> Result<Decoded>,
    runaways: &'static AtomicUsize,
) -> Result<Decoded> {
    let running = runaways.load(Ordering::SeqCst);
    if running >= MAX_RUNAWAYS {
        return Err(FormatError::PdfBusy(running));
    }
    let bytes = bytes.to_vec();
    let state = Arc::new(Mutex::new(Reading::Running));
    let (tx, rx) = mpsc::channel();
    let worker_state = Arc::clone(&state);
    let spawned = std::thread::Builder::new()
        .name("pdf-extract".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let result = read(&bytes);
            let mut state = worker_state.lock().unwrap_or_else(|e| e.into_inner());
            if *state == Reading::GivenUp {
                runaways.fetch_sub(1, Ordering::SeqCst);
            }
            *state = Reading::Done;
            let _ = tx.send(result);
        });
    let worker = match spawned {
        Ok(worker) => worker,
        Err(e) => {
            return Err(FormatError::PdfBroken(format!(
                "no thread to read it on: {e}"
            )));
        }
    };
    // A reading done in time is waited for to its end (its thread-local
    // storage freed, nothing left running); one given up on is left.
    match rx.recv_timeout(limit) {
        Ok(result) => {
            let _ = worker.join();
            result
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
            if *state == Reading::Done {
                // It finished as the time ran out: take the result.
                drop(state);
                let result = rx.recv().unwrap_or(Err(FormatError::PdfTimeout(limit)));
                let _ = worker.join();
                return result;
            }
            *state = Reading::GivenUp;
            runaways.fetch_add(1, Ordering::SeqCst);
            Err(FormatError::PdfTimeout(limit))
        }
        // The thread ended without a result: `read` catches panics, so
        // only an abort elsewhere gets here.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err(FormatError::PdfBroken("the reader stopped".into()))
        }
    }
}

#[derive(Debug, PartialEq)]
enum Reading {
    Running,
    GivenUp,
    Done,
}

fn read(bytes: &[u8]) -> Result<Decoded> {
    if let Some(why) = crate::pdf_budget::over_budget(bytes) {
        return Err(FormatError::PdfTooLarge(why));
    }
    // pdf-extract panics on some malformed files instead of returning an
    // error; a broken PDF must never take down an import batch or a crawl.
    // Page by page, pages joined by form feeds, so that what reads the text
    // can tell where a page ends (a protocol's § has a page range).
    let result = std::panic::catch_unwind(|| pages(bytes));
    let (text, first_page) = match result {
        Ok(Ok(read)) => read,
        Ok(Err(e)) => return Err(FormatError::PdfBroken(first_line(&e.to_string()))),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("the decoder failed");
            return Err(FormatError::PdfBroken(first_line(msg)));
        }
    };
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return Err(FormatError::PdfNoText);
    }
    let headline = crate::type_size::headline(&first_page);
    Ok(Decoded {
        format: Format::Pdf,
        extractor: "pdf-extract",
        text,
        meta: SourceMeta {
            headline,
            ..SourceMeta::default()
        },
    })
}

/// The text of every page, joined by form feeds, and the first page's
/// lines with the size of their type. As `pdf-extract` reads pages
/// (`extract_text_from_mem_by_pages`), page after page until one fails.
fn pages(
    bytes: &[u8],
) -> std::result::Result<(String, Vec<crate::type_size::SizedLine>), pdf_extract::OutputError> {
    let mut doc = pdf_extract::Document::load_mem(bytes)?;
    if doc.is_encrypted() {
        doc.decrypt("")?;
    }
    let mut texts = Vec::new();
    let mut first_page = Vec::new();
    for page in 1.. {
        let mut text = String::new();
        let mut reader = crate::type_size::SizedReader::new(&mut text, page);
        if pdf_extract::output_doc_page(&doc, &mut reader, page).is_err() {
            break;
        }
        if page == 1 {
            first_page = reader.into_lines();
        }
        texts.push(text);
    }
    Ok((texts.join("\u{c}"), first_page))
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    let line: String = line.chars().take(200).collect();
    if line.is_empty() {
        "unknown error".to_owned()
    } else {
        line.to_lowercase()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::time::Instant;

    /// A PDF of `n` pages without text: quick to make, slow to read.
    pub(crate) fn empty_pages(n: usize) -> Vec<u8> {
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 3)).collect();
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        ];
        objects.extend(
            (0..n).map(|_| "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_owned()),
        );
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj {object} endobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend(
            format!(
                "trailer << /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn a_pdf_that_reads_past_the_time_limit_is_refused_with_the_reason() {
        static RUNAWAYS: AtomicUsize = AtomicUsize::new(0);
        let pdf = empty_pages(1000);
        // Read to its end, it is a PDF without text.
        let started = Instant::now();
        assert_eq!(
            within(PDF_TIME_LIMIT, &pdf, read, &RUNAWAYS),
            Err(FormatError::PdfNoText)
        );
        let full = started.elapsed();
        // Given a thousandth of that, it is refused when the time is up.
        let limit = full / 1000;
        let started = Instant::now();
        let r = within(limit, &pdf, read, &RUNAWAYS);
        let waited = started.elapsed();
        assert_eq!(r, Err(FormatError::PdfTimeout(limit)));
        assert!(waited < full / 2, "waited {waited:?} of {full:?}");
        let why = r.unwrap_err().to_string();
        assert!(why.contains("took longer than"), "{why}");
    }

    /// Found by fuzzing: a reading's thread outlived it (its thread-local
    /// storage still allocated when the result was back).
    #[test]
    fn a_reading_done_in_time_has_ended_its_thread_when_the_result_comes_back() {
        use std::sync::atomic::AtomicBool;
        static RUNAWAYS: AtomicUsize = AtomicUsize::new(0);
        static ENDED: AtomicBool = AtomicBool::new(false);
        struct MarksTheEnd;
        impl Drop for MarksTheEnd {
            fn drop(&mut self) {
                std::thread::sleep(Duration::from_millis(100));
                ENDED.store(true, Ordering::SeqCst);
            }
        }
        thread_local! {
            static MARK: MarksTheEnd = const { MarksTheEnd };
        }
        fn reads(_: &[u8]) -> Result<Decoded> {
            MARK.with(|_| {});
            Err(FormatError::PdfNoText)
        }
        let r = within(PDF_TIME_LIMIT, b"%PDF-", reads, &RUNAWAYS);
        assert_eq!(r, Err(FormatError::PdfNoText));
        assert!(ENDED.load(Ordering::SeqCst));
    }

    #[test]
    fn readings_given_up_on_are_bounded_and_counted_down_when_they_end() {
        static RUNAWAYS: AtomicUsize = AtomicUsize::new(0);
        static RELEASE: Mutex<()> = Mutex::new(());
        fn blocked(_: &[u8]) -> Result<Decoded> {
            drop(RELEASE.lock());
            Err(FormatError::PdfNoText)
        }
        let short = Duration::from_millis(20);
        let held = RELEASE.lock().unwrap();
        for _ in 0..MAX_RUNAWAYS {
            assert_eq!(
                within(short, b"%PDF-", blocked, &RUNAWAYS),
                Err(FormatError::PdfTimeout(short))
            );
        }
        // Full: refused at once, with the reason.
        let started = Instant::now();
        let r = within(PDF_TIME_LIMIT, b"%PDF-", blocked, &RUNAWAYS);
        assert_eq!(r, Err(FormatError::PdfBusy(MAX_RUNAWAYS)));
        assert!(started.elapsed() < Duration::from_secs(1));
        // Once they end, PDFs are read again.
        drop(held);
        let deadline = Instant::now() + Duration::from_secs(10);
        while RUNAWAYS.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            within(PDF_TIME_LIMIT, b"%PDF-", blocked, &RUNAWAYS),
            Err(FormatError::PdfNoText)
        );
    }
}
