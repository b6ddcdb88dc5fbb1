//! Support for Kedja's end-to-end tests: a writer of simple text PDFs (for
//! fixtures and the demo corpus), a fixture municipal website and a
//! fixture MeetingPlus portal serving the shared Alingsås documents on
//! 127.0.0.1 for the crawler, and paths to the shared corpora.
//!
//! The PDF writer exists because tests need PDFs whose text is known
//! exactly; it draws lines of text in a standard font and nothing more.

pub mod loopback;
pub mod pdf;
pub mod portal;
pub mod riksdagen;
pub mod served;
pub mod site;

use std::path::PathBuf;

/// The repository root (the parent of this package's folder).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// Every file of the demo corpus (`data/demo`, one folder per
/// municipality) with its municipality, sorted by folder and file name.
pub fn demo_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for muni in std::fs::read_dir(repo_root().join("data/demo")).expect("data/demo") {
        let muni = muni.expect("a folder entry").path();
        if !muni.is_dir() {
            continue;
        }
        let name = muni
            .file_name()
            .expect("a folder name")
            .to_string_lossy()
            .into_owned();
        for f in std::fs::read_dir(&muni).expect("a municipality folder") {
            files.push((f.expect("a file entry").path(), name.clone()));
        }
    }
    files.sort();
    files
}

/// `../shared` beside the repository: seeds and corpora, never copied in.
/// Whether text recognition can run here: Tesseract with its Swedish
/// model, and poppler's `pdftoppm` to render the pages.
pub fn recognition_installed() -> bool {
    let swedish = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "swe")
        });
    swedish
        && std::process::Command::new("pdftoppm")
            .arg("-v")
            .output()
            .is_ok()
}

pub fn shared_dir() -> PathBuf {
    repo_root().join("../shared")
}

/// The first `n` TEI files of the Riksdagen corpus (file name, bytes),
/// read straight from the shared tarball.
pub fn riksdagen_sample(n: usize) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    if n > 0 {
        riksdagen::for_each_xml(
            &shared_dir().join("corpora/riksdagen-interpellations.tar.gz"),
            |name, bytes| {
                out.push((name.to_owned(), bytes.to_vec()));
                Ok(out.len() < n)
            },
        )?;
    }
    Ok(out)
}
