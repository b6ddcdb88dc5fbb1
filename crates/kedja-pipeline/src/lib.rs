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
mod ocr;
mod record;
mod trace;
mod walk;

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use kedja_extract::{CommitmentText, Hints};
use kedja_index::SearchIndex;
use kedja_link::{Corpus, DocCommitments, DocInfo, Want};
use kedja_model::{Commitment, DocId, Document, RefKind, Reference};
use kedja_store::{CandidateQuery, Derived, NewDocument, SaveOutcome, Store};

pub use kedja_index::{SearchRequest, SearchResults, Sort};
pub use record::{MeetingSection, RecordEntry};
pub use trace::{
    Brief, BriefItem, Direction, MAX_DEPTH, NodeId, Passage, RECORD, Trace, TraceEdge, TraceNode,
};

/// Files larger than this are rejected rather than read.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// Index changes are committed at least this often during a long import.
const COMMIT_EVERY: usize = 2000;
/// The compound lexicon is counted again, and the index rebuilt with it,
/// once the archive holds this many times the documents it was counted
/// from: rebuilding at each such step costs at most a few times the
/// indexing itself, and the lexicon grows with the archive.
const LEXICON_GROWTH: f64 = 1.5;
/// Where Debian's `wswedish` puts its Swedish word list
/// (`KEDJA_WORDLIST=/usr/share/dict/swedish` chooses it).
pub const SYSTEM_WORD_LIST: &str = "/usr/share/dict/swedish";

/// The Swedish word list that decides what a compound part may be:
/// `KEDJA_WORDLIST` as a path (one word a line), empty for none, unset or
/// `bundled` for the list Kedja ships ([`kedja_compound::bundled_word_list`],
/// the same on every machine). Without one, any word seen twice in the
/// archive may be a part. A list that cannot be read is reported and the
/// shipped one used.
pub fn word_list() -> Option<Vec<String>> {
    let path = match std::env::var_os("KEDJA_WORDLIST") {
        Some(p) if p.is_empty() => return None,
        Some(p) if p != "bundled" => PathBuf::from(p),
        _ => return Some(kedja_compound::bundled_word_list()),
    };
    match std::fs::read(&path).map(|b| kedja_compound::read_word_list(&b)) {
        Ok(words) if !words.is_empty() => Some(words),
        Ok(_) => {
            tracing::warn!(path = %path.display(), "KEDJA_WORDLIST holds no words; using the shipped list");
            Some(kedja_compound::bundled_word_list())
        }
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read KEDJA_WORDLIST; using the shipped list");
            Some(kedja_compound::bundled_word_list())
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] kedja_store::Error),
    #[error(transparent)]
    Index(#[from] kedja_index::Error),
    #[error("stored commitments of {id} cannot be read: {message}")]
    Commitments { id: DocId, message: String },
    /// The cause is part of the message, not also a `source`, so that a
    /// printed chain says it once.
    #[error("cannot read {path}: {error}")]
    DataDir {
        path: PathBuf,
        error: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Options for an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The municipality of every imported document, when the caller knows it.
    pub municipality: Option<String>,
    /// Limits on decoding a file (the time a PDF may take).
    pub decode: kedja_formats::DecodeOptions,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Imported {
        id: DocId,
        kind: kedja_model::DocKind,
        title: String,
    },
    NewVersion {
        id: DocId,
        version: u32,
    },
    Unchanged {
        id: DocId,
    },
    Rejected {
        reason: String,
    },
}

/// Which of the four outcomes a file had, without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeKind {
    Imported,
    NewVersion,
    Unchanged,
    Rejected,
}

impl Outcome {
    pub fn kind(&self) -> OutcomeKind {
        match self {
            Outcome::Imported { .. } => OutcomeKind::Imported,
            Outcome::NewVersion { .. } => OutcomeKind::NewVersion,
            Outcome::Unchanged { .. } => OutcomeKind::Unchanged,
            Outcome::Rejected { .. } => OutcomeKind::Rejected,
        }
    }
}

/// One file's line in the report.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    pub source: String,
    pub outcome: Outcome,
}

/// The whole batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
}

impl ImportReport {
    /// The files that had this outcome.
    pub fn count(&self, kind: OutcomeKind) -> usize {
        self.files
            .iter()
            .filter(|f| f.outcome.kind() == kind)
            .count()
    }
}

/// Counts of a linking run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Documents whose references were resolved.
    pub documents: usize,
    pub links: usize,
    /// References that point at no stored document (yet).
    pub unresolved: usize,
}

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
}

impl Archive {
    /// Open or create the data directory. An index that is missing, of an
    /// older version, or out of step with the store is rebuilt from the store.
    pub fn open(dir: &Path) -> Result<Archive> {
        std::fs::create_dir_all(dir).map_err(|error| Error::DataDir {
            path: dir.to_owned(),
            error,
        })?;
        let store = Store::open(&dir.join("kedja.sqlite"))?;
        let mut index = SearchIndex::open(&dir.join("index"))?;
        if let Some(words) = word_list() {
            index.set_dictionary(words);
        }
        let mut archive = Archive {
            store,
            index,
            dir: Some(dir.to_owned()),
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
    pub fn open_reader(dir: &Path) -> Result<Archive> {
        let store = Store::open(&dir.join("kedja.sqlite"))?;
        let mut index = SearchIndex::open_reader(&dir.join("index"))?;
        if let Some(words) = word_list() {
            index.set_dictionary(words);
        }
        Ok(Archive {
            store,
            index,
            dir: Some(dir.to_owned()),
        })
    }

    /// An archive in memory, for tests.
    pub fn in_memory() -> Result<Archive> {
        Ok(Archive {
            store: Store::open_in_memory()?,
            index: SearchIndex::in_ram()?,
            dir: None,
        })
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

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        Ok(self.index.search(req)?)
    }

    /// Import files and directories (recursively, in name order).
    /// `progress` is called after each file.
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        progress: &mut dyn FnMut(&FileReport),
    ) -> Result<ImportReport> {
        let mut files = Vec::new();
        let mut report = ImportReport::default();
        for p in paths {
            match walk::files(p) {
                Ok(found) => files.extend(found.into_iter().map(|f| (f, p))),
                Err(e) => {
                    let r = FileReport {
                        source: source_key(p),
                        outcome: Outcome::Rejected { reason: e },
                    };
                    progress(&r);
                    report.files.push(r);
                }
            }
        }
        let mut writer = self.index.writer()?;
        let mut pending = 0usize;
        let mut changed = false;
        for (path, root) in files {
            let source = source_key(&path);
            let outcome = match walk::read_file(&path, root, MAX_FILE_BYTES) {
                Ok(bytes) => {
                    let (outcome, docs) = import_one(&mut self.store, &source, &bytes, opts)?;
                    for doc in docs {
                        writer.upsert(&doc)?;
                        changed = true;
                        pending += 1;
                    }
                    outcome
                }
                Err(reason) => Outcome::Rejected { reason },
            };
            if pending >= COMMIT_EVERY {
                writer.commit()?;
                writer = self.index.writer()?;
                pending = 0;
            }
            let r = FileReport { source, outcome };
            progress(&r);
            report.files.push(r);
        }
        writer.commit()?;
        if changed {
            self.link_imported()?;
            self.track_pending()?;
            self.refresh_lexicon()?;
        }
        Ok(report)
    }

    /// Import a corpus laid out one folder per municipality (as the demo
    /// corpus is): the folder name is the municipality of every document in
    /// it. Files directly in `dir` are imported without a municipality.
    pub fn import_municipality_folders(
        &mut self,
        dir: &Path,
        progress: &mut dyn FnMut(&FileReport),
    ) -> Result<ImportReport> {
        let entries = std::fs::read_dir(dir).map_err(|error| Error::DataDir {
            path: dir.to_owned(),
            error,
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut all = ImportReport::default();
        for path in paths {
            let municipality = path
                .is_dir()
                .then(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
                .flatten();
            let report = self.import_paths(
                std::slice::from_ref(&path),
                &ImportOptions {
                    municipality,
                    ..Default::default()
                },
                progress,
            )?;
            all.files.extend(report.files);
        }
        Ok(all)
    }

    /// Import documents from bytes (HTTP response bodies, say) in one
    /// batch: one index commit and one relinking for all of them; the
    /// compound lexicon is not refreshed (see [`Archive::refresh_lexicon`])
    /// and commitments are not tracked (see [`Archive::track_pending`]). Each
    /// gets its outcome, in order; a document that cannot be read is a
    /// rejection, not an error.
    pub fn import_batch(
        &mut self,
        items: &[(String, Vec<u8>)],
        opts: &ImportOptions,
    ) -> Result<Vec<Outcome>> {
        self.import_batch_each(
            items
                .iter()
                .map(|(source, bytes)| (source.as_str(), bytes.as_slice(), opts)),
        )
    }

    /// [`Archive::import_batch`] with options for each document: the
    /// crawler imports the documents of several sources (municipalities)
    /// in one batch.
    pub fn import_batch_each<'a>(
        &mut self,
        items: impl IntoIterator<Item = (&'a str, &'a [u8], &'a ImportOptions)>,
    ) -> Result<Vec<Outcome>> {
        let mut writer = self.index.writer()?;
        let mut changed = false;
        let mut out = Vec::new();
        for (source, bytes, opts) in items {
            let (outcome, docs) = import_one(&mut self.store, source, bytes, opts)?;
            for doc in docs {
                writer.upsert(&doc)?;
                changed = true;
            }
            out.push(outcome);
        }
        writer.commit()?;
        if changed {
            self.link_imported()?;
        }
        Ok(out)
    }

    /// The store, for the crawler's frontier.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Import one document from bytes (a file or an HTTP response body) and
    /// make it searchable at once.
    pub fn import_bytes(
        &mut self,
        source: &str,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<Outcome> {
        let (outcome, docs) = import_one(&mut self.store, source, bytes, opts)?;
        if !docs.is_empty() {
            let mut w = self.index.writer()?;
            for doc in &docs {
                w.upsert(doc)?;
            }
            w.commit()?;
            self.link_imported()?;
            self.track_pending()?;
            self.refresh_lexicon()?;
        }
        Ok(outcome)
    }

    /// Rebuild the search index from the store. Returns the number of
    /// documents indexed; `progress` gets the running count.
    /// The compound lexicon is counted afresh from the stored documents
    /// first.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        let mut lexicon = kedja_compound::Lexicon::new();
        let mut counted = 0u64;
        self.store.for_each_document(|doc| {
            lexicon.add_text(&doc.record.title);
            lexicon.add_text(&doc.text);
            counted += 1;
            Ok(())
        })?;
        self.index.set_lexicon(lexicon, counted)?;
        let mut writer = self.index.writer()?;
        writer.clear()?;
        let mut n = 0u64;
        let mut index_err = None;
        self.store.for_each_document(|doc| {
            if let Err(e) = writer.upsert(&doc) {
                index_err = Some(e);
            }
            n += 1;
            progress(n);
            Ok(())
        })?;
        if let Some(e) = index_err {
            return Err(e.into());
        }
        writer.commit()?;
        Ok(n)
    }

    /// Count the compound lexicon again and rebuild the index with it
    /// when the archive has grown [`LEXICON_GROWTH`] times past the
    /// documents it was counted from. Imports of files do this after each
    /// call; [`Archive::import_batch`] leaves it to its caller (the
    /// crawler calls it once per run), and opening an archive does it too.
    pub fn refresh_lexicon(&mut self) -> Result<()> {
        let stored = self.store.document_count()?;
        self.refresh_lexicon_for(stored)
    }

    /// [`Archive::refresh_lexicon`] for an archive of `stored` documents.
    fn refresh_lexicon_for(&mut self, stored: u64) -> Result<()> {
        if stored as f64 > self.index.lexicon_docs() as f64 * LEXICON_GROWTH {
            self.reindex(&mut |_| {})?;
        }
        Ok(())
    }

    /// Resolve the references of every document again.
    pub fn relink_all(&mut self) -> Result<LinkStats> {
        self.derive_pending()?;
        let ids = self.store.document_ids()?;
        let (stats, _) = self.relink(&ids)?;
        self.retrack()?;
        Ok(stats)
    }

    /// Every tracked commitment with its status reports.
    pub fn commitments(&self) -> Result<Vec<Commitment>> {
        Ok(self.store.commitments()?)
    }

    /// Derive the lookup keys and found commitments of every document
    /// saved since they were last derived (see [`kedja_store::Derived`]),
    /// and return their ids.
    pub fn derive_pending(&mut self) -> Result<Vec<DocId>> {
        let mut done = Vec::new();
        loop {
            let batch = self.store.pending_derivation()?;
            if batch.is_empty() {
                return Ok(done);
            }
            for id in batch {
                let derived = match self.store.get(&id)? {
                    Some(doc) => self.derive(&doc)?,
                    None => continue,
                };
                self.store.save_derived(&id, &derived)?;
                done.push(id);
            }
        }
    }

    fn derive(&self, doc: &Document) -> Result<Derived> {
        let info = DocInfo::from_stored(doc.id.clone(), &doc.record, &doc.source);
        let reference_keys = self
            .store
            .references(&doc.id)?
            .into_iter()
            .map(|r| {
                (
                    r.id,
                    kedja_link::reference_key(&r.reference, doc.record.date),
                )
            })
            .collect();
        let commitments = match found_commitments(doc) {
            Some(found) => Some(
                serde_json::to_string(&found).map_err(|e| Error::Commitments {
                    id: doc.id.clone(),
                    message: e.to_string(),
                })?,
            ),
            None => None,
        };
        Ok(Derived {
            keys: kedja_link::document_keys(&info),
            reference_keys,
            commitments,
        })
    }

    /// After an import stored documents: derive them, link them and what
    /// may cite them, and track commitments again.
    fn link_imported(&mut self) -> Result<LinkStats> {
        let changed = self.derive_pending()?;
        self.relink_after(&changed)
    }

    /// Track every commitment through the current links. Tracking reads
    /// the documents that state or report on commitments, and the links
    /// that touch them, from the store.
    fn retrack(&mut self) -> Result<usize> {
        let found = self.store.found_commitments()?;
        let links = self.store.links_of_committing()?;
        let tracked = kedja_link::track(&doc_commitments(found)?, &links);
        self.store.replace_commitments(&tracked)?;
        Ok(tracked.len())
    }

    /// Track again the commitments that links changed since the last
    /// tracking can affect: the changes are noted at the relinked
    /// documents and the documents they linked to, before and after.
    /// Tracking relates documents at most two links apart, so that is every
    /// commitment of the documents that state or report on any within two
    /// links of a touched document, and of those within two links of them,
    /// and so on: a group that nothing outside it bears on. The rest of the
    /// archive keeps its tracked commitments.
    ///
    /// Imports of files do this after each call; [`Archive::import_batch`]
    /// leaves it to its caller (the crawler calls it once per run: with a
    /// document that many others cite, such as a budget decision, the
    /// group can be most of a municipality's commitments), and opening an
    /// archive does it when an earlier run stopped before it.
    pub fn track_pending(&mut self) -> Result<usize> {
        let touched = self.store.tracking_pending()?;
        if touched.is_empty() {
            return Ok(0);
        }
        let mut near: HashSet<DocId> = self.store.neighbours(&touched)?;
        near.extend(touched.iter().cloned());
        let near: Vec<DocId> = near.into_iter().collect();
        let mut group: HashSet<DocId> = self.store.committing(&near)?.into_iter().collect();
        let mut frontier: Vec<DocId> = group.iter().cloned().collect();
        while !frontier.is_empty() {
            let one: Vec<DocId> = self.store.neighbours(&frontier)?.into_iter().collect();
            let mut within_two: HashSet<DocId> = self.store.neighbours(&one)?;
            within_two.extend(one);
            let reached: Vec<DocId> = within_two.into_iter().collect();
            frontier = self
                .store
                .committing(&reached)?
                .into_iter()
                .filter(|d| group.insert(d.clone()))
                .collect();
        }
        let mut group: Vec<DocId> = group.into_iter().collect();
        group.sort();
        let found = self.store.found_commitments_of(&group)?;
        let links = self.store.links_touching(&group)?;
        let tracked = kedja_link::track(&doc_commitments(found)?, &links);
        // A touched document that no longer states a commitment loses the
        // ones it had.
        let mut replaced = group;
        replaced.extend(touched);
        self.store.replace_commitments_of(&replaced, &tracked)?;
        Ok(tracked.len())
    }

    /// After `changed` documents were stored and derived: relink them,
    /// every document with a reference one of them could answer (found by
    /// key in the store), and every document that linked to one of them
    /// before (a new version may no longer fit). The rest of the archive is
    /// left alone.
    fn relink_after(&mut self, changed: &[DocId]) -> Result<LinkStats> {
        let mut ids: Vec<DocId> = changed.to_vec();
        let mut seen: HashSet<DocId> = ids.iter().cloned().collect();
        for id in changed {
            let Some(doc) = self.store.get(id)? else {
                continue;
            };
            let info = DocInfo::from_stored(id.clone(), &doc.record, &doc.source);
            let (exact, prefixes) = kedja_link::answering_keys(&info);
            for c in self.store.references_by_key(&exact, &prefixes)? {
                let citing = &c.stored.doc_id;
                // The citing document must be able to cite this one: not
                // itself, not dated before it, in the municipality its
                // reference names (else its own).
                let earlier = matches!((c.date, info.date), (Some(cd), Some(td)) if cd < td);
                let municipality = c
                    .stored
                    .reference
                    .municipality
                    .as_deref()
                    .or(c.municipality.as_deref());
                let elsewhere = matches!(
                    (municipality, info.municipality.as_deref()),
                    (Some(m), Some(t)) if m != t
                );
                if citing == id || earlier || elsewhere || seen.contains(citing) {
                    continue;
                }
                if kedja_link::could_resolve_to(&c.stored.reference, c.date, &info) {
                    seen.insert(citing.clone());
                    ids.push(citing.clone());
                }
            }
            for l in self.store.links_to(id)? {
                if seen.insert(l.from.clone()) {
                    ids.push(l.from);
                }
            }
            // A document of the same case dated later links to this one.
            for member in kedja_link::case_members(&StoreCorpus(&self.store), &info)? {
                if seen.insert(member.clone()) {
                    ids.push(member);
                }
            }
        }
        let (stats, touched) = self.relink(&ids)?;
        self.store.add_tracking_pending(touched)?;
        Ok(stats)
    }

    /// Resolve the references of `ids` and store links and resolutions.
    /// Returns the counts and the documents whose links changed or may
    /// have: `ids` and every document they linked to, before and after.
    fn relink(&mut self, ids: &[DocId]) -> Result<(LinkStats, HashSet<DocId>)> {
        let mut stats = LinkStats::default();
        let mut touched: HashSet<DocId> = ids.iter().cloned().collect();
        for id in ids {
            let Some(doc) = self.store.get(id)? else {
                continue;
            };
            let info = DocInfo::from_stored(id.clone(), &doc.record, &doc.source);
            let stored = self.store.references(id)?;
            let refs: Vec<Reference> = stored.iter().map(|r| r.reference.clone()).collect();
            let corpus = StoreCorpus(&self.store);
            let linked = kedja_link::link_document(&corpus, &info, &doc.text, &refs)?;
            let resolved: Vec<(i64, Option<DocId>)> = stored
                .iter()
                .zip(linked.resolved)
                .map(|(r, t)| (r.id, t))
                .collect();
            stats.documents += 1;
            stats.links += linked.links.len();
            stats.unresolved += stored
                .iter()
                .zip(&resolved)
                .filter(|(r, (_, t))| {
                    t.is_none()
                        && matches!(
                            r.reference.kind,
                            RefKind::Mention | RefKind::Decision | RefKind::Paragraph
                        )
                })
                .count();
            touched.extend(self.store.links_from(id)?.into_iter().map(|l| l.to));
            touched.extend(linked.links.iter().map(|l| l.to.clone()));
            self.store.save_linking(id, &linked.links, &resolved)?;
        }
        Ok((stats, touched))
    }

    /// Suggestions of documents on the same topic as `id` (search
    /// similarity within its municipality), kept apart from its links: those
    /// it already links to or from are left out.
    pub fn same_topic(&self, id: &DocId, limit: usize) -> Result<Vec<kedja_index::Hit>> {
        let Some(doc) = self.store.get(id)? else {
            return Ok(Vec::new());
        };
        let linked: HashSet<DocId> = self
            .store
            .links_from(id)?
            .into_iter()
            .map(|l| l.to)
            .chain(self.store.links_to(id)?.into_iter().map(|l| l.from))
            .collect();
        let mut hits =
            self.index
                .similar(id, doc.record.municipality.as_deref(), limit + linked.len())?;
        hits.retain(|h| !linked.contains(&h.id));
        hits.truncate(limit);
        Ok(hits)
    }

    /// A stored document.
    pub fn document(&self, id: &DocId) -> Result<Option<Document>> {
        Ok(self.store.get(id)?)
    }
}

/// The store as the corpus references resolve against: each reference's
/// candidates are read with an index on municipality, kind and date, or
/// by key (paragraph, diarienummer, document number, author).
struct StoreCorpus<'a>(&'a Store);

impl Corpus for StoreCorpus<'_> {
    type Error = kedja_store::Error;

    fn candidates<'s>(
        &'s self,
        want: &Want<'_>,
    ) -> std::result::Result<Vec<Cow<'s, DocInfo>>, Self::Error> {
        let citing = want.citing;
        let to = match (want.within.map(|w| w.end), citing.date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let key = kedja_link::wanted_key(want);
        let author = want.author.map(kedja_link::author_key);
        let shared = kedja_link::shared_keys(want);
        let query = CandidateQuery {
            exclude: &citing.id,
            municipality: want.municipality,
            kinds: want.kinds,
            from: want.within.map(|w| w.start),
            to,
            dated: want.dated,
            key: key.as_deref(),
            among: author
                .as_deref()
                .map(|a| (a, kedja_link::AUTHOR_PREFIX, kedja_link::AUTHORED)),
            any_key: shared.as_deref(),
        };
        Ok(self
            .0
            .candidates(&query)?
            .into_iter()
            .map(|(id, record, source)| Cow::Owned(DocInfo::from_stored(id, &record, &source)))
            .collect())
    }
}

/// What tracking needs of each document with found commitments, from the
/// store's rows.
fn doc_commitments(
    found: Vec<(DocId, kedja_model::Record, String)>,
) -> Result<Vec<DocCommitments>> {
    let mut docs = Vec::with_capacity(found.len());
    for (id, record, json) in found {
        let found: CommitmentText =
            serde_json::from_str(&json).map_err(|e| Error::Commitments {
                id: id.clone(),
                message: e.to_string(),
            })?;
        docs.push(DocCommitments {
            id,
            kind: record.kind,
            date: record.date,
            municipality: record.municipality,
            paragraph: record
                .paragraph
                .as_deref()
                .and_then(|p| p.trim_start_matches('§').trim().parse().ok()),
            body: record.body,
            found,
        });
    }
    Ok(docs)
}

/// The kind of political document `bytes` hold, or `None` when they cannot
/// be read or hold no recognisable kind (a listing or navigation page).
/// The crawler asks before importing an HTML page.
pub fn document_kind(bytes: &[u8]) -> Option<kedja_model::DocKind> {
    let decoded = kedja_formats::decode(bytes).ok()?;
    let text = kedja_extract::clean_text(&decoded.text);
    let hints = Hints {
        kind: decoded.meta.kind,
        ..Hints::default()
    };
    let kind = kedja_extract::understand(&text, &hints).record.kind;
    (kind != kedja_model::DocKind::Other).then_some(kind)
}

/// The commitments and status statements of a document, if it states or
/// reports on any.
fn found_commitments(doc: &Document) -> Option<CommitmentText> {
    // A whole protocol is saved § by §: each § states and reports on its
    // own commitments, with the body and date of its decision.
    if doc.record.kind == kedja_model::DocKind::Protocol
        && doc.record.part_of.is_none()
        && kedja_extract::read_minutes(&doc.text).is_some_and(|m| m.whole && !m.sections.is_empty())
    {
        return None;
    }
    let found = kedja_extract::find_commitments(&doc.text, &doc.record);
    let empty =
        found.commitments.is_empty() && found.statuses.is_empty() && found.report_line.is_none();
    (!empty).then_some(found)
}

/// Decode, clean, understand and save one document; a whole meeting
/// protocol also saves each of its §§ as a document of its own (see
/// [`section_source`]). Returns the documents to index: those new or
/// changed. Only store failures are errors; a file that cannot be
/// understood is a rejection.
fn import_one(
    store: &mut Store,
    source: &str,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<(Outcome, Vec<Document>)> {
    let decoded = match decode(bytes, &opts.decode) {
        Ok(d) => d,
        Err(reason) => return Ok((Outcome::Rejected { reason }, Vec::new())),
    };
    let text = kedja_extract::clean_text(&decoded.decoded.text);
    if text.trim().is_empty() {
        return Ok((
            Outcome::Rejected {
                reason: "no text left after cleaning".into(),
            },
            Vec::new(),
        ));
    }
    let meta = decoded.decoded.meta.clone();
    let hints = Hints {
        title: meta.title,
        kind: meta.kind,
        date: meta.date,
        municipality: opts
            .municipality
            .clone()
            .or(meta.municipality)
            .or_else(|| kedja_extract::detect_municipality(&decoded.decoded.text)),
        authors: meta.authors,
        addressee: match (meta.addressee_role, meta.addressee) {
            (Some(role), Some(p)) => Some(format!(
                "{role} {}{}",
                p.name,
                p.party.map(|x| format!(" ({x})")).unwrap_or_default()
            )),
            (None, Some(p)) => Some(p.name),
            (role, None) => role,
        },
        questions: meta.questions,
        doc_number: meta.doc_number,
        body: None,
    };
    let mut understanding = kedja_extract::understand(&text, &hints);
    understanding.record.text_confidence = decoded.confidence;
    if let Some(note) = &decoded.note {
        understanding.record.problems.push(note.clone());
    }
    let format = decoded.decoded.format;
    let extractor = decoded.decoded.extractor;
    let outcome = store.save(&NewDocument {
        source,
        format,
        extractor,
        raw: bytes,
        text: &text,
        record: &understanding.record,
        references: &understanding.references,
    })?;
    let mut docs = Vec::new();
    let outcome = match outcome {
        SaveOutcome::Unchanged { id } => return Ok((Outcome::Unchanged { id }, docs)),
        SaveOutcome::Imported { id } => {
            docs.extend(store.get(&id)?);
            Outcome::Imported {
                id,
                kind: understanding.record.kind,
                title: understanding.record.title.clone(),
            }
        }
        SaveOutcome::NewVersion { id, version } => {
            docs.extend(store.get(&id)?);
            Outcome::NewVersion { id, version }
        }
    };
    // A whole protocol: each § a decision of its own, part of the protocol.
    if let Some(minutes) = understanding
        .minutes
        .as_ref()
        .filter(|m| m.whole && understanding.record.kind == kedja_model::DocKind::Protocol)
    {
        let parent = DocId::for_source(source);
        let pages = section_pages(&decoded.decoded.text, minutes);
        let section_hints = Hints {
            municipality: understanding.record.municipality.clone(),
            ..Hints::default()
        };
        for (i, section) in minutes.sections.iter().enumerate() {
            let (section_text, mut u) =
                kedja_extract::understand_section(&text, minutes, section, &section_hints);
            u.record.part_of = Some(parent.clone());
            u.record.pages = pages.get(i).copied().flatten();
            u.record.text_confidence = decoded.confidence;
            let child_source = section_source(source, section.number);
            let saved = store.save(&NewDocument {
                source: &child_source,
                format,
                extractor,
                raw: section_text.as_bytes(),
                text: &section_text,
                record: &u.record,
                references: &u.references,
            })?;
            match saved {
                SaveOutcome::Unchanged { .. } => {}
                SaveOutcome::Imported { id } | SaveOutcome::NewVersion { id, .. } => {
                    docs.extend(store.get(&id)?);
                }
            }
        }
    }
    Ok((outcome, docs))
}

/// The source key of a protocol's §: the protocol's own, with the § after
/// a `#`, so a new version of the protocol updates its §§ in place.
pub fn section_source(protocol_source: &str, number: u32) -> String {
    format!("{protocol_source}#§{number}")
}

/// For each section of `minutes`, the pages (from 1) of the decoded text
/// (pages end at form feeds) on which it stands: from the page of its
/// heading to the page before the next section's heading, or that page
/// when text of this section stands above the next heading there.
fn section_pages(raw: &str, minutes: &kedja_extract::Minutes) -> Vec<Option<(u32, u32)>> {
    if !raw.contains('\u{c}') {
        return vec![None; minutes.sections.len()];
    }
    let pages: Vec<&str> = raw.split('\u{c}').collect();
    // The page of each section's heading, found in order: "§ N" at a
    // line's start followed by its title's first word.
    let mut starts: Vec<Option<usize>> = Vec::with_capacity(minutes.sections.len());
    let mut from = 0usize;
    for s in &minutes.sections {
        let first_word = s.title.split_whitespace().next().unwrap_or("");
        let found = (from..pages.len()).find(|&p| {
            let lines: Vec<&str> = pages[p]
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            lines.iter().enumerate().any(|(i, l)| {
                kedja_extract::section_heading_number(l) == Some(s.number)
                    && lines.get(i + 1).is_some_and(|n| n.starts_with(first_word))
            })
        });
        if let Some(p) = found {
            from = p;
        }
        starts.push(found);
    }
    let last_page = pages.len().saturating_sub(1);
    (0..starts.len())
        .map(|i| {
            let start = starts[i]?;
            let end = match starts.get(i + 1).copied().flatten() {
                Some(next) if next > start => {
                    if text_above_heading(pages[next], minutes.sections[i + 1].number) {
                        next
                    } else {
                        next - 1
                    }
                }
                Some(_) => start,
                None => last_page,
            };
            Some((start as u32 + 1, end.max(start) as u32 + 1))
        })
        .collect()
}

/// Whether a page holds running text above the heading of § `number`
/// (more than the page's letterhead: a few short lines).
fn text_above_heading(page: &str, number: u32) -> bool {
    let mut above = 0usize;
    for line in page.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if kedja_extract::section_heading_number(line) == Some(number) {
            break;
        }
        if line.chars().count() > 40 {
            above += 1;
        }
    }
    above >= 2
}

/// What decoding a file gave: the text, with the confidence of text
/// recognition when the text was recognised from images.
struct DecodedFile {
    decoded: kedja_formats::Decoded,
    confidence: Option<f32>,
    note: Option<String>,
}

/// Decode `bytes`: the format's own decoder; for a PDF, poppler's
/// `pdftotext` when the pure-Rust reader fails or reads garbage; for a PDF
/// without a text layer, text recognition when it is installed. The error
/// is the reason to report.
fn decode(
    bytes: &[u8],
    opts: &kedja_formats::DecodeOptions,
) -> std::result::Result<DecodedFile, String> {
    let plain = |decoded| DecodedFile {
        decoded,
        confidence: None,
        note: None,
    };
    match kedja_formats::decode_with(bytes, opts) {
        // Garbage from the pure-Rust extractor: poppler may do better.
        Ok(d)
            if d.format == kedja_model::Format::Pdf
                && kedja_formats::garbled(&d.text).is_some() =>
        {
            Ok(plain(match external::pdftotext(bytes) {
                Some(text) if kedja_formats::garbled(&text).is_none() => kedja_formats::Decoded {
                    extractor: "pdftotext",
                    text,
                    ..d
                },
                _ => d,
            }))
        }
        Ok(d) => Ok(plain(d)),
        Err(kedja_formats::FormatError::PdfNoText) => match ocr::recognise(bytes) {
            Ok(r) => Ok(DecodedFile {
                decoded: kedja_formats::Decoded {
                    format: kedja_model::Format::Pdf,
                    extractor: "tesseract",
                    text: r.text,
                    meta: kedja_formats::SourceMeta::default(),
                },
                confidence: Some(r.confidence),
                note: r.truncated.then(|| {
                    format!(
                        "scanned pdf: only the first {} pages were recognised",
                        r.pages
                    )
                }),
            }),
            Err(ocr::OcrError::Unavailable(why)) => {
                Err(format!("{}; {why}", kedja_formats::FormatError::PdfNoText))
            }
            Err(ocr::OcrError::Failed(why)) => Err(format!(
                "pdf has no text layer and text recognition failed: {why}"
            )),
        },
        Err(e) => {
            // A PDF the pure-Rust reader cannot open (a damaged
            // cross-reference table, say) may still open in poppler.
            let rescued = bytes
                .starts_with(b"%PDF")
                .then(|| external::pdftotext(bytes))
                .flatten();
            match rescued {
                Some(text) => Ok(plain(kedja_formats::Decoded {
                    format: kedja_model::Format::Pdf,
                    extractor: "pdftotext",
                    text,
                    meta: kedja_formats::SourceMeta::default(),
                })),
                None => Err(e.to_string()),
            }
        }
    }
}

/// The source key of a file: its path as given, with `./` and backslashes
/// normalised, so the same file keeps the same id across imports.
pub fn source_key(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_owned()
}

/// Which commitments to list. `today` is the clock overdue is judged by,
/// given by the caller so that tests do not depend on the date.
#[derive(Debug, Clone)]
pub struct CommitmentQuery {
    pub municipality: Option<String>,
    pub status: Option<kedja_model::CommitmentStatus>,
    /// Responsible party contains this (case-insensitive).
    pub body: Option<String>,
    /// Deadline ends on or before / starts on or after.
    pub due_before: Option<kedja_model::Date>,
    pub due_after: Option<kedja_model::Date>,
    /// Only those overdue on `today`.
    pub overdue: bool,
    /// Only those not done or written off.
    pub open: bool,
    /// Only those stated, restated or reported on in this document.
    pub document: Option<DocId>,
    pub today: kedja_model::Date,
}

impl CommitmentQuery {
    pub fn new(today: kedja_model::Date) -> CommitmentQuery {
        CommitmentQuery {
            municipality: None,
            status: None,
            body: None,
            due_before: None,
            due_after: None,
            overdue: false,
            open: false,
            document: None,
            today,
        }
    }

    pub fn matches(&self, c: &Commitment) -> bool {
        let lower = |s: &str| s.to_lowercase();
        self.municipality
            .as_ref()
            .is_none_or(|m| c.municipality.as_deref().map(lower) == Some(lower(m)))
            && self.status.is_none_or(|s| c.status == s)
            && self.body.as_ref().is_none_or(|b| {
                c.responsible
                    .as_deref()
                    .is_some_and(|r| lower(r).contains(&lower(b)))
            })
            && self
                .due_before
                .is_none_or(|d| c.deadline.is_some_and(|x| x.end <= d))
            && self
                .due_after
                .is_none_or(|d| c.deadline.is_some_and(|x| x.start >= d))
            && (!self.overdue || c.is_overdue(self.today))
            && (!self.open || !c.status.is_closed())
            && self.document.as_ref().is_none_or(|id| {
                c.doc_id == *id
                    || c.also_in.contains(id)
                    || c.reports.iter().any(|r| r.doc_id == *id)
            })
    }
}

/// A motion or citizens' proposal with no decision a year after it was
/// filed: the Local Government Act (5 kap. 35 § and 8 kap. 1 §) asks
/// that it be decided within a year.
#[derive(Debug, Clone, PartialEq)]
pub struct AwaitingDecision {
    pub id: DocId,
    pub title: String,
    pub municipality: Option<String>,
    pub filed: kedja_model::Date,
    /// The day the year ran out.
    pub due: kedja_model::Date,
}

impl Archive {
    /// The commitments `q` asks for, those with the earliest deadline first.
    pub fn find_commitments(&self, q: &CommitmentQuery) -> Result<Vec<Commitment>> {
        let mut out: Vec<Commitment> = self
            .commitments()?
            .into_iter()
            .filter(|c| q.matches(c))
            .collect();
        out.sort_by(|a, b| {
            (a.deadline.map(|d| d.end), &a.id).cmp(&(b.deadline.map(|d| d.end), &b.id))
        });
        Ok(out)
    }

    /// Motions and citizens' proposals still without a decision one year
    /// after they were filed, on `today`. Decided means a decision, a
    /// protocol or a reply links to it.
    pub fn awaiting_decision(&self, today: kedja_model::Date) -> Result<Vec<AwaitingDecision>> {
        use kedja_model::{DocKind, LinkType};
        let mut out = Vec::new();
        let mut proposals = Vec::new();
        self.store.for_each_record(|id, record| {
            if matches!(record.kind, DocKind::Motion | DocKind::CitizenProposal)
                && let Some(filed) = record.date
            {
                proposals.push((id, record, filed));
            }
            Ok(())
        })?;
        for (id, record, filed) in proposals {
            // 29 February is followed by 28 February a year later.
            let due = filed
                .replace_year(filed.year() + 1)
                .or_else(|_| {
                    filed
                        .replace_day(28)
                        .and_then(|d| d.replace_year(d.year() + 1))
                })
                .unwrap_or(filed);
            if due > today {
                continue;
            }
            let mut decided = false;
            for l in self.store.links_to(&id)? {
                if !matches!(l.link_type, LinkType::DecidesOn | LinkType::Answers) {
                    continue;
                }
                if let Some(from) = self.store.get(&l.from)?
                    && matches!(
                        from.record.kind,
                        DocKind::Decision | DocKind::Protocol | DocKind::MotionResponse
                    )
                {
                    decided = true;
                    break;
                }
            }
            if !decided {
                out.push(AwaitingDecision {
                    id,
                    title: record.title,
                    municipality: record.municipality,
                    filed,
                    due,
                });
            }
        }
        out.sort_by_key(|a| a.due);
        Ok(out)
    }
}
