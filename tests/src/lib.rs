//! Support for Kedja's end-to-end tests: a writer of simple text PDFs (for
//! fixtures and the demo corpus) and paths to the shared corpora.
//!
//! The PDF writer exists because tests need PDFs whose text is known
//! exactly; it draws lines of text in a standard font and nothing more.

pub mod pdf;

use std::path::PathBuf;

/// The repository root (the parent of this package's folder).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_owned()
}

/// `../shared` beside the repository: seeds and corpora, never copied in.
pub fn shared_dir() -> PathBuf {
    repo_root().join("../shared")
}
