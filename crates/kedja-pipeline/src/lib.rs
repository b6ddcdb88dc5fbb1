//! The import pipeline: bytes from a file (or, later, a crawl) through
//! decoding, cleaning and understanding into the store, the index and the
//! link graph.
//!
//! [`Archive`] owns one data directory: `kedja.sqlite` (the store, source of
//! truth) and `index/` (tantivy, derived). Every file handed to
//! [`Archive::import_paths`] is accounted for in the [`ImportReport`]:
//! imported, new version, unchanged, or rejected with a reason. A bad file
//! never aborts a batch.

mod external;
mod import;
mod indexing;
mod linking;
mod ocr;
mod queries;
mod record;
mod trace;
mod tracking;
mod walk;

use std::path::{Path, PathBuf};

use kedja_index::SearchIndex;
use kedja_store::Store;

pub use import::{
    FileReport, ImportOptions, ImportReport, MAX_FILE_BYTES, Outcome, OutcomeKind, document_kind,
    section_source, source_key,
};
pub use kedja_index::{SearchRequest, SearchResults, Sort};
pub use linking::LinkStats;
pub use queries::{AwaitingDecision, CommitmentQuery, DocumentView, LinkedSummary, ViewLink};
pub use record::{MeetingSection, RecordEntry};
pub use trace::{
    Brief, BriefItem, Direction, MAX_DEPTH, NodeId, Passage, RECORD, Trace, TraceEdge, TraceNode,
};

/// Where Debian's `wswedish` puts its Swedish word list
/// (`KEDJA_WORDLIST=/usr/share/dict/swedish` chooses it).
pub const SYSTEM_WORD_LIST: &str = "/usr/share/dict/swedish";

/// How an archive is opened. The caller chooses (the command line reads
/// `KEDJA_WORDLIST`); nothing here reads the environment, so what search
/// finds does not depend on the machine unless the caller says so.
#[derive(Debug, Clone)]
pub struct ArchiveOptions {
    /// The Swedish word list that decides what a compound part may be.
    /// Without one, any word seen twice in the archive may be a part.
    pub word_list: Option<kedja_index::Dictionary>,
}

impl Default for ArchiveOptions {
    /// The list Kedja ships ([`kedja_compound::bundled_word_list`]), the
    /// same on every machine.
    fn default() -> ArchiveOptions {
        ArchiveOptions {
            word_list: Some(kedja_index::dictionary(kedja_compound::bundled_word_list())),
        }
    }
}

impl ArchiveOptions {
    /// The options the environment asks for: `KEDJA_WORDLIST` (see
    /// [`ArchiveOptions::with_word_list_setting`]). For the binaries, which
    /// call it once and pass the result in; an archive never reads the
    /// environment itself.
    pub fn from_environment() -> ArchiveOptions {
        ArchiveOptions::with_word_list_setting(std::env::var_os("KEDJA_WORDLIST").as_deref())
    }

    /// The options a `KEDJA_WORDLIST` setting asks for: a path (one word
    /// a line), empty for no list, unset or `bundled` for the shipped one.
    /// A list that cannot be read, or holds no words, is reported and the
    /// shipped one used.
    pub fn with_word_list_setting(setting: Option<&std::ffi::OsStr>) -> ArchiveOptions {
        let path = match setting {
            Some(p) if p.is_empty() => return ArchiveOptions { word_list: None },
            Some(p) if p != "bundled" => PathBuf::from(p),
            _ => return ArchiveOptions::default(),
        };
        match std::fs::read(&path).map(|b| kedja_compound::read_word_list(&b)) {
            Ok(words) if !words.is_empty() => ArchiveOptions {
                word_list: Some(kedja_index::dictionary(words)),
            },
            Ok(_) => {
                tracing::warn!(path = %path.display(), "KEDJA_WORDLIST holds no words; using the shipped list");
                ArchiveOptions::default()
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot read KEDJA_WORDLIST; using the shipped list");
                ArchiveOptions::default()
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] kedja_store::Error),
    #[error(transparent)]
    Index(#[from] kedja_index::Error),
    /// The cause is part of the message, not also a `source`, so that a
    /// printed chain says it once.
    #[error("cannot read {path}: {error}")]
    DataDir {
        path: PathBuf,
        error: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

/// An open data directory.
///
/// Nothing of the archive is held in memory between calls: linking asks
/// the store for the candidates of each reference and for the references
/// a new document could answer, by the keys derived for every document
/// (see [`Archive::derive_pending`]), so an archive's memory does not grow
/// with its size.
#[derive(Debug)]
pub struct Archive {
    store: Store,
    index: SearchIndex,
    /// The data directory; `None` in memory.
    dir: Option<PathBuf>,
    /// What it was opened with, for the reading handles opened from it.
    options: ArchiveOptions,
}

impl Archive {
    /// Open or create the data directory. An index that is missing, of an
    /// older version, or out of step with the store is rebuilt from the store.
    pub fn open(dir: &Path, options: &ArchiveOptions) -> Result<Archive> {
        std::fs::create_dir_all(dir).map_err(|error| Error::DataDir {
            path: dir.to_owned(),
            error,
        })?;
        let store = Store::open(&dir.join("kedja.sqlite"))?;
        let mut index = SearchIndex::open(&dir.join("index"))?;
        if let Some(words) = &options.word_list {
            index.set_dictionary(words.clone());
        }
        let mut archive = Archive {
            store,
            index,
            dir: Some(dir.to_owned()),
            options: options.clone(),
        };
        let stored = archive.store.document_count()?;
        if archive.index.fresh || archive.index.num_docs() != stored {
            archive.reindex(&mut |_| {})?;
        } else {
            archive.refresh_lexicon_for(stored)?;
        }
        // Documents saved but not yet derived: stored by an earlier version
        // of the program, or by an import that stopped before linking.
        let pending = archive.derive_pending()?;
        if !pending.is_empty() {
            archive.relink_after(&pending)?;
        }
        archive.track_pending()?;
        Ok(archive)
    }

    /// Another handle on the data directory of an archive opened with
    /// [`Archive::open`], for reading only: its own SQLite connection and
    /// index reader, so that handles on several threads read in parallel;
    /// its searches see what any process commits. Nothing is rebuilt,
    /// derived or linked: the archive must have been opened first.
    pub fn open_reader(dir: &Path, options: &ArchiveOptions) -> Result<Archive> {
        let store = Store::open(&dir.join("kedja.sqlite"))?;
        let mut index = SearchIndex::open_reader(&dir.join("index"))?;
        if let Some(words) = &options.word_list {
            index.set_dictionary(words.clone());
        }
        Ok(Archive {
            store,
            index,
            dir: Some(dir.to_owned()),
            options: options.clone(),
        })
    }

    /// A reading handle ([`Archive::open_reader`]) on this archive's data
    /// directory, with its options; `None` for an archive in memory.
    pub fn reader(&self) -> Option<Result<Archive>> {
        self.dir
            .as_deref()
            .map(|dir| Archive::open_reader(dir, &self.options))
    }

    /// An archive in memory, for tests.
    pub fn in_memory() -> Result<Archive> {
        Ok(Archive {
            store: Store::open_in_memory()?,
            index: SearchIndex::in_ram()?,
            dir: None,
            options: ArchiveOptions { word_list: None },
        })
    }

    /// What it was opened with.
    pub fn options(&self) -> &ArchiveOptions {
        &self.options
    }

    /// The data directory, or `None` for an archive in memory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The crawler's handle for writing its frontier; documents it
    /// fetches are imported through the archive like any other.
    pub fn frontier(&mut self) -> kedja_store::Frontier<'_> {
        self.store.frontier()
    }
}

#[cfg(test)]
mod tests;
