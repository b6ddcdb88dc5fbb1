//! Text recognition for scanned PDFs: poppler's `pdftoppm` renders the
//! pages, Tesseract with its Swedish model (`tesseract-ocr-swe`) reads
//! them. Used only when a PDF has no text layer and both programs are
//! installed; otherwise the PDF is rejected with the reason, as before.
//!
//! Written by hand because it is two process calls per page with a time
//! limit each; no Rust crate bundles a Swedish recogniser.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Pages read at most; a longer scan is recognised in part and says so.
const MAX_PAGES: u32 = 40;
/// Time each program may take for one page.
const PAGE_LIMIT: Duration = Duration::from_secs(90);
/// Resolution the pages are rendered at: Tesseract reads print best at
/// about 300 dpi; 200 keeps a 40-page scan within minutes.
const DPI: &str = "200";

/// Text recognised from a scanned PDF, with Tesseract's mean word
/// confidence (0.0..=1.0).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Recognised {
    pub text: String,
    pub confidence: f32,
    pub pages: u32,
    pub truncated: bool,
}

/// Why a scan was not recognised.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OcrError {
    /// `pdftoppm` or `tesseract` (or its Swedish model) is not installed.
    Unavailable(&'static str),
    Failed(String),
}

/// Whether `tesseract` with the Swedish model and `pdftoppm` are here.
pub(crate) fn available() -> Result<(), OcrError> {
    let langs = Command::new("tesseract")
        .arg("--list-langs")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|_| OcrError::Unavailable("tesseract is not installed"))?;
    if !String::from_utf8_lossy(&langs.stdout)
        .lines()
        .any(|l| l.trim() == "swe")
    {
        return Err(OcrError::Unavailable(
            "tesseract has no Swedish model (tesseract-ocr-swe)",
        ));
    }
    Command::new("pdftoppm")
        .arg("-v")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|_| OcrError::Unavailable("pdftoppm (poppler-utils) is not installed"))?;
    Ok(())
}

/// Recognise the text of a scanned `pdf`, page by page.
pub(crate) fn recognise(pdf: &[u8]) -> Result<Recognised, OcrError> {
    available()?;
    let dir = tempfile::tempdir().map_err(|e| OcrError::Failed(format!("temporary dir: {e}")))?;
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).map_err(|e| OcrError::Failed(format!("write: {e}")))?;
    let pages = page_count(&input).unwrap_or(MAX_PAGES);
    let last = pages.clamp(1, MAX_PAGES);
    let mut text = String::new();
    let (mut conf_sum, mut conf_n) = (0.0f64, 0usize);
    for page in 1..=last {
        let base = dir.path().join(format!("p{page}"));
        let n = page.to_string();
        run(Command::new("pdftoppm")
            .args([
                "-r",
                DPI,
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                &n,
                "-l",
                &n,
            ])
            .arg(&input)
            .arg(&base))?;
        let png = base.with_extension("png");
        if !png.exists() {
            continue;
        }
        let out = dir.path().join(format!("t{page}"));
        run(Command::new("tesseract")
            .arg(&png)
            .arg(&out)
            .args(["-l", "swe", "txt", "tsv"])
            // One thread per recognition: the machine may be serving.
            .env("OMP_THREAD_LIMIT", "1"))?;
        let page_text = std::fs::read_to_string(out.with_extension("txt")).unwrap_or_default();
        if let Ok(tsv) = std::fs::read_to_string(out.with_extension("tsv"))
            && let Some((sum, n)) = word_confidences(&tsv)
        {
            conf_sum += sum;
            conf_n += n;
        }
        if !text.is_empty() {
            text.push('\u{c}');
        }
        text.push_str(page_text.trim_end());
        text.push('\n');
        let _ = std::fs::remove_file(&png);
    }
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 20 {
        return Err(OcrError::Failed("no text was recognised".into()));
    }
    let confidence = if conf_n == 0 {
        0.0
    } else {
        (conf_sum / conf_n as f64 / 100.0) as f32
    };
    Ok(Recognised {
        text,
        confidence,
        pages: last,
        truncated: pages > MAX_PAGES,
    })
}

/// Sum and count of the word confidences (0–100) in Tesseract's TSV
/// output; rows of other levels carry -1.
fn word_confidences(tsv: &str) -> Option<(f64, usize)> {
    let mut sum = 0.0;
    let mut n = 0;
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" || cols[11].trim().is_empty() {
            continue;
        }
        if let Ok(c) = cols[10].parse::<f64>()
            && c >= 0.0
        {
            sum += c;
            n += 1;
        }
    }
    (n > 0).then_some((sum, n))
}

/// The page count `pdfinfo` reports, when it can.
fn page_count(pdf: &Path) -> Option<u32> {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Run a command to completion within [`PAGE_LIMIT`], killing it after.
fn run(cmd: &mut Command) -> Result<(), OcrError> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| OcrError::Failed(format!("cannot start: {e}")))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(OcrError::Failed(format!("exited with {status}"))),
            Ok(None) if started.elapsed() > PAGE_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OcrError::Failed("took too long".into()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(OcrError::Failed(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_confidences_read_only_word_rows() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t10\t20\t10\t90.5\tBeslut\n\
                   5\t1\t1\t1\t1\t2\t40\t10\t20\t10\t70.5\tom\n\
                   5\t1\t1\t1\t1\t3\t70\t10\t20\t10\t-1\t \n";
        assert_eq!(word_confidences(tsv), Some((161.0, 2)));
        assert_eq!(word_confidences("level\n"), None);
    }
}
