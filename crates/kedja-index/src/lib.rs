//! The search index: tantivy with Swedish stemming and stop words on title
//! and body, derived entirely from the store.
//!
//! [`SearchIndex`] opens or creates the on-disk index (or an in-RAM one for
//! tests), [`SearchIndex::writer`] gives an [`IndexWriter`] that upserts
//! [`kedja_model::Document`]s, and [`SearchIndex::search`] answers a
//! [`SearchRequest`] with hits, totals and highlighted snippets. Queries are
//! parsed leniently: unbalanced quotes or stray operators never fail.

mod baseform;
mod compound;
mod facets;
mod needle;
mod spelling;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kedja_compound::{Decompounder, Lexicon};
use kedja_model::{DocId, DocKind, Document};
use std::ops::Bound;

use tantivy::collector::{FacetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, MoreLikeThisQuery, Occur, PhraseQuery, Query, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenizerManager,
};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, TantivyDocument, Term, doc};

/// Bumped whenever the schema or analysis changes; an index of another
/// version is rebuilt from the store.
pub const INDEX_VERSION: u32 = 8;
const VERSION_FILE: &str = "KEDJA_INDEX_VERSION";
/// The lexicon compounds are split with, and how many documents it was
/// counted from.
const LEXICON_FILE: &str = "lexicon.tsv";
const SWEDISH: &str = "sv_stem";
/// Swedish with the parts of compounds added at index time; queries are
/// analysed as [`SWEDISH`].
const COMPOUND: &str = "sv_compound";
/// Swedish with å, ä, ö (and é, ü …) folded to a, a, o: the secondary
/// fields that forgive a query typed without them.
const FOLDED: &str = "sv_fold";
/// Words as written, lowercased: quoted phrases match here exactly, and
/// spelling suggestions come from its dictionary.
const WORDS: &str = "sv_words";
/// Longest query the index accepts, in characters; longer input is cut.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most words of a query that are searched for; the rest is ignored, with
/// a warning. Each word is sought in five fields: a pasted paragraph or a
/// generated OR chain of hundreds of them costs a hundred ordinary
/// searches, and ranks no better than its first words.
pub const MAX_QUERY_WORDS: usize = 32;

/// A Swedish word list: what a compound part may be and where spelling
/// suggestions come from. Shared, so that the handles of one archive hold
/// it once.
pub type Dictionary = Arc<HashSet<String>>;

/// `words` as a [`Dictionary`].
pub fn dictionary(words: impl IntoIterator<Item = String>) -> Dictionary {
    Arc::new(words.into_iter().collect())
}

/// Words longer than this many bytes are not indexed or searched (no
/// Swedish word is; a run of letters that long is noise).
const MAX_WORD_BYTES: usize = 48;

/// How much a match in each field weighs against one in the body (1).
/// The title says what a document is about; folded fields (no
/// diacritics) catch "forskola" for "förskola" but rank below the word as
/// written; compound parts weigh little, so a compound is found but a
/// document that writes the word itself ranks first.
const BOOST_TITLE: f32 = 2.0;
const BOOST_TITLE_FOLDED: f32 = 0.6;
const BOOST_BODY_FOLDED: f32 = 0.3;
const BOOST_COMPOUND_PART: f32 = 0.2;
/// A diarienummer or § citation in the query that is a document's own
/// puts that document first, whatever the words score.
const BOOST_OWN_IDENTIFIER: f32 = 1000.0;
/// Fewer hits than this and a spelling suggestion is looked for.
const SUGGEST_BELOW_HITS: usize = 3;
/// Deepest nesting of parentheses a query may have; deeper ones are
/// searched as plain words (the parser and the query tree recurse once per
/// level, and a thread's stack is finite).
pub const MAX_QUERY_DEPTH: usize = 16;
/// Most words of one query given a spelling suggestion; the rest are kept.
const MAX_SUGGEST_WORDS: usize = 8;
/// Time spent at most on spelling suggestions for one query.
const SUGGEST_BUDGET: std::time::Duration = std::time::Duration::from_millis(60);
/// Time spent at most on the facet counts of one search; the total is
/// counted exactly whatever it takes (it is cheap), the facets of the
/// matches after the budget are not ([`SearchResults::facets_complete`]).
pub const FACET_BUDGET: std::time::Duration = std::time::Duration::from_millis(150);
/// Longest a writer waits for another process (another import) to finish
/// writing the index before it gives up: an import holds the index for
/// its whole batch.
pub const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(30 * 60);
/// Largest page of hits.
pub const MAX_LIMIT: usize = 100;
/// Deepest page: hits beyond this many are not paged to (the collector
/// would hold them all).
pub const MAX_OFFSET: usize = 10_000;

/// Errors of the index. The cause is part of the message and not also a
/// `source`, so that a printed chain says it once.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index error: {0}")]
    Tantivy(tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Io(std::io::Error),
    #[error("cannot open index directory: {0}")]
    OpenDirectory(tantivy::directory::error::OpenDirectoryError),
    #[error("search index damaged: {0}")]
    Damaged(String),
    #[error(
        "search index is being written by another process (another import?); gave up waiting after {0:?}"
    )]
    WriterBusy(std::time::Duration),
    #[error("search index already has a writer open in this process")]
    WriterOpen,
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::Tantivy(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Io(e)
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for Error {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Error {
        Error::OpenDirectory(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    title_folded: Field,
    body_folded: Field,
    kind: Field,
    municipality: Field,
    date: Field,
    day: Field,
    source: Field,
    /// Parties of the authors, stored for hits.
    party: Field,
    /// `/kind/…`, `/municipality/…`, `/party/…`, `/body/…`, `/year/…`:
    /// filters and facet counts.
    facets: Field,
    /// Identifier keys ("dnr:KS-2019-317", "par:334", "doc:2022/23:1").
    ids: Field,
    /// Title and body words as written (lowercased, with positions): the
    /// exact field for quoted phrases and the dictionary of suggestions.
    words: Field,
    /// The parts of the compounds of title and body, each at the position
    /// of its word (the word itself is in `title` and `body`): "våld" finds
    /// "hedersvåld" here, at a lower weight than a whole-word match.
    compound: Field,
}

/// The facet dimensions, in the order responses list them.
pub const FACETS: [&str; 5] = ["kind", "municipality", "party", "body", "year"];

/// An exclusive lock on `<dir>.lock` beside the index (inside, it would go
/// when a damaged index is wiped), waited for up to `wait`; released when
/// the file is dropped.
fn lock_for_opening(dir: &Path, wait: std::time::Duration) -> Result<std::fs::File> {
    let path = dir.with_extension("lock");
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    let deadline = std::time::Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                let now = std::time::Instant::now();
                if now >= deadline {
                    return Err(Error::WriterBusy(wait));
                }
                std::thread::sleep((deadline - now).min(std::time::Duration::from_millis(50)));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
        }
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(SWEDISH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let folded = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FOLDED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        title_folded: b.add_text_field("title_folded", folded.clone()),
        body_folded: b.add_text_field("body_folded", folded),
        kind: b.add_text_field("kind", STRING | STORED),
        municipality: b.add_text_field("municipality", STRING | STORED),
        date: b.add_text_field("date", STORED),
        day: b.add_i64_field("day", NumericOptions::default().set_fast().set_indexed()),
        source: b.add_text_field("source", STORED),
        party: b.add_text_field("party", STRING | STORED),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        ids: b.add_text_field("ids", STRING),
        words: b.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        compound: b.add_text_field(
            "compound",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(COMPOUND)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
    };
    (b.build(), fields)
}

fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .build()
}

fn folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::Swedish))
        .build()
}

/// Whether the compound analyzer gives only the parts of compounds (the
/// `compound` field: whole words are in `body`) or each word followed by
/// its parts (for snippets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartsOnly {
    Yes,
    No,
}

fn compound_analyzer(
    splitter: Arc<Decompounder>,
    parts_only: PartsOnly,
    needles: needle::NeedleFilter,
) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Swedish).expect("tantivy ships Swedish stop words"))
        .filter(needles)
        .filter(compound::CompoundFilter::new(
            splitter.clone(),
            parts_only == PartsOnly::Yes,
        ))
        .filter(baseform::BaseFormFilter::new(splitter))
        .filter(Stemmer::new(Language::Swedish))
        .build()
}

/// The analyzers queries are parsed with: those of the index, except that
/// compounds are not split (a query word is sought as written; its parts
/// are not made into a phrase).
fn query_tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    let words = Arc::new(Decompounder::new(Lexicon::new()));
    manager.register(SWEDISH, swedish_analyzer(words.clone()));
    manager.register(COMPOUND, swedish_analyzer(words));
    manager.register(FOLDED, folded_analyzer());
    manager.register(WORDS, words_analyzer());
    manager
}

fn swedish_analyzer(words: Arc<Decompounder>) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Swedish).expect("tantivy ships Swedish stop words"))
        .filter(baseform::BaseFormFilter::new(words))
        .filter(Stemmer::new(Language::Swedish))
        .build()
}

/// A search: free text plus optional filters, order and paging.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub kind: Option<DocKind>,
    pub municipality: Option<String>,
    /// A party abbreviation of an author ("V", "S").
    pub party: Option<String>,
    /// The body the document is from ("Kommunstyrelsen").
    pub body: Option<String>,
    /// Dated on or after / on or before.
    pub from: Option<kedja_model::Date>,
    pub to: Option<kedja_model::Date>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

/// A query that may match this many documents is counted on a thread of
/// its own, beside the ranking of its page (unless set otherwise).
pub const COUNT_APART_FROM: u64 = 50_000;

/// At most how many documents `query` matches: the sum of its terms'
/// document frequencies, or every document when it has no terms (filters
/// alone).
fn most_matches(searcher: &tantivy::Searcher, query: &dyn Query) -> u64 {
    let mut terms = 0usize;
    let mut sum = 0u64;
    query.query_terms(&mut |term, _| {
        terms += 1;
        sum = sum.saturating_add(searcher.doc_freq(term).map_or(u64::MAX, u64::from));
    });
    if terms == 0 { searcher.num_docs() } else { sum }
}

/// The longest snippet, in bytes of the document's text.
const SNIPPET_BYTES: usize = 240;

/// A query with more words than this is costly: each word is looked up
/// in five fields, and an unknown one asks for a spelling suggestion.
/// People write two or three; pasted paragraphs and generated OR chains
/// write hundreds.
pub const COSTLY_QUERY_WORDS: usize = 12;

impl SearchRequest {
    /// Whether this request is costly to serve: more than
    /// [`COSTLY_QUERY_WORDS`] words, or groups nested deeper than
    /// [`MAX_QUERY_DEPTH`]. A server can run such requests in a lane of
    /// their own, so that a few of them cannot hold every reader while
    /// ordinary searches wait.
    pub fn is_costly(&self) -> bool {
        let text: String = self.query.chars().take(MAX_QUERY_CHARS).collect();
        let words = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .count();
        words > COSTLY_QUERY_WORDS || deepest_group(&text) > MAX_QUERY_DEPTH
    }
}

/// The order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest first.
    Newest,
    Oldest,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Newest, Sort::Oldest];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }

    /// Its name, or `date` for newest.
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "relevance" => Some(Sort::Relevance),
            "newest" | "date" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            _ => None,
        }
    }
}

/// Counts of the matching documents per value of one dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetCounts {
    pub name: &'static str,
    /// (value, count), most frequent first.
    pub values: Vec<(String, u64)>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: DocId,
    pub kind: String,
    pub title: String,
    pub municipality: Option<String>,
    pub date: Option<String>,
    pub source: String,
    /// Parties of its authors.
    pub parties: Vec<String>,
    /// HTML with the matched words in `<b>`; everything else escaped.
    pub snippet: String,
    pub score: f32,
}

/// A page of hits and the total number of matches.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Per dimension of [`FACETS`], the counts over all matches, or over
    /// those counted within [`FACET_BUDGET`].
    pub facets: Vec<FacetCounts>,
    /// Whether the facets count every match (false when a huge match ran
    /// out of the budget).
    pub facets_complete: bool,
    /// Identifiers the query named ("dnr:KS-2019-317"); documents known by
    /// them come first.
    pub identifiers: Vec<String>,
    /// Parts of the query that could not be parsed and were ignored.
    pub warnings: Vec<String>,
    /// When the query finds little: the query with its unknown words
    /// replaced by the closest words of the archive ("förskolna" →
    /// "förskolan").
    pub suggestion: Option<String>,
}

/// An open search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Where the index lives (`None` in RAM): the lexicon is saved there.
    dir: Option<PathBuf>,
    query_tokenizers: TokenizerManager,
    /// How many documents the splitter's lexicon was counted from.
    lexicon_docs: u64,
    /// A word list that decides what a compound part may be.
    dictionary: Option<Arc<HashSet<String>>>,
    /// Splits compounds with the lexicon and `dictionary`.
    splitter: Arc<Decompounder>,
    /// True when the index was created empty by this open (new or rebuilt),
    /// so the caller should fill it from the store.
    pub fresh: bool,
    /// Why the index found on open was thrown away, when it was damaged.
    pub damage: Option<String>,
    /// Time the facet counts of one search may take.
    facet_budget: std::time::Duration,
    count_apart_from: u64,
    /// How long a writer waits for another process's.
    writer_wait: std::time::Duration,
    /// Whether a writer of this index is open: a second one would wait
    /// for itself.
    writer_open: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("fresh", &self.fresh)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Open the index in `dir`, creating it, or recreating it empty when it
    /// was written by another index version or is damaged (a garbled
    /// `meta.json`, a truncated or missing segment file): the caller fills
    /// a [`SearchIndex::fresh`] index from the store, and
    /// [`SearchIndex::damage`] says what was wrong.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        // Another process may be opening the same index at this moment (two
        // imports started together): one at a time decides what is
        // created or wiped.
        let _opening = lock_for_opening(dir, WRITER_WAIT)?;
        let version_path = dir.join(VERSION_FILE);
        let on_disk = std::fs::read_to_string(&version_path)
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok());
        let mut fresh = false;
        if on_disk != Some(INDEX_VERSION) {
            if dir.exists() {
                std::fs::remove_dir_all(dir)?;
            }
            fresh = true;
        }
        std::fs::create_dir_all(dir)?;
        match SearchIndex::open_checked(dir, ReloadPolicy::Manual, true) {
            Ok(mut search) => {
                search.fresh |= fresh;
                std::fs::write(&version_path, INDEX_VERSION.to_string())?;
                Ok(search)
            }
            Err(damage) => {
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                let mut search = SearchIndex::open_checked(dir, ReloadPolicy::Manual, true)?;
                std::fs::write(&version_path, INDEX_VERSION.to_string())?;
                search.fresh = true;
                search.damage = Some(damage.to_string());
                Ok(search)
            }
        }
    }

    /// See at once what has been committed, by this or any process,
    /// without waiting for the reader's own reload.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Open an existing index in `dir` for searching only: nothing is
    /// created, wiped or rewritten, and searches see what any process
    /// commits (the reader reloads when `meta.json` changes). An index of
    /// another version or a damaged one is an error.
    pub fn open_reader(dir: &Path) -> Result<SearchIndex> {
        let on_disk = std::fs::read_to_string(dir.join(VERSION_FILE))
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok());
        if on_disk != Some(INDEX_VERSION) {
            return Err(Error::Damaged(format!(
                "{} holds no index of version {INDEX_VERSION}",
                dir.display()
            )));
        }
        SearchIndex::open_checked(dir, ReloadPolicy::OnCommitWithDelay, false)
    }

    /// Open (or, when `create`, create) the index in `dir` and read a
    /// little of every segment, so that damage shows here rather than in
    /// the middle of a search.
    fn open_checked(dir: &Path, policy: ReloadPolicy, create: bool) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        // A damaged index can make tantivy panic rather than fail.
        let opened = std::panic::catch_unwind(|| -> Result<(Index, IndexReader)> {
            let index = if create {
                Index::open_or_create(mmap, schema)?
            } else {
                Index::open(mmap)?
            };
            let reader = index.reader_builder().reload_policy(policy).try_into()?;
            probe(&reader.searcher(), &fields)?;
            Ok((index, reader))
        });
        let (index, reader) = match opened {
            Ok(result) => result?,
            Err(_) => return Err(Error::Damaged("reading the index panicked".into())),
        };
        let mut search = SearchIndex::with_reader(index, reader, fields, false);
        search.dir = Some(dir.to_owned());
        if let Ok(text) = std::fs::read_to_string(dir.join(LEXICON_FILE)) {
            let (docs, lexicon) = read_lexicon(&text);
            search.lexicon_docs = docs;
            search.register_analyzers(lexicon);
        }
        Ok(search)
    }

    /// An index in memory, for tests.
    pub fn in_ram() -> Result<SearchIndex> {
        let (schema, fields) = schema();
        SearchIndex::with_index(Index::create_in_ram(schema), fields, true)
    }

    fn with_index(index: Index, fields: Fields, fresh: bool) -> Result<SearchIndex> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex::with_reader(index, reader, fields, fresh))
    }

    fn with_reader(index: Index, reader: IndexReader, fields: Fields, fresh: bool) -> SearchIndex {
        let words = Arc::new(Decompounder::new(Lexicon::new()));
        index
            .tokenizers()
            .register(SWEDISH, swedish_analyzer(words.clone()));
        index.tokenizers().register(
            COMPOUND,
            compound_analyzer(
                words.clone(),
                PartsOnly::Yes,
                needle::NeedleFilter::every_word(),
            ),
        );
        index.tokenizers().register(FOLDED, folded_analyzer());
        index.tokenizers().register(WORDS, words_analyzer());
        SearchIndex {
            index,
            reader,
            fields,
            fresh,
            damage: None,
            dir: None,
            query_tokenizers: query_tokenizers(),
            splitter: words,
            lexicon_docs: 0,
            dictionary: None,
            facet_budget: FACET_BUDGET,
            count_apart_from: COUNT_APART_FROM,
            writer_wait: WRITER_WAIT,
            writer_open: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Give the facet counts of each search at most `budget`
    /// ([`FACET_BUDGET`] unless set).
    pub fn set_facet_budget(&mut self, budget: std::time::Duration) {
        self.facet_budget = budget;
    }

    /// Count the matches on a thread of their own when a query may match
    /// `n` documents or more ([`COUNT_APART_FROM`] unless set).
    pub fn set_count_apart_from(&mut self, n: u64) {
        self.count_apart_from = n;
    }

    /// Split compounds into the words of `words` (a Swedish word list)
    /// only, instead of any word the lexicon has seen twice. Applies to
    /// documents indexed from now on.
    pub fn set_dictionary(&mut self, words: Dictionary) {
        self.dictionary = Some(words);
        self.register_analyzers(self.splitter.lexicon().clone());
    }

    /// Split compounds with `lexicon`, counted from `docs` documents, from
    /// now on; saved beside an on-disk index for the next open.
    pub fn set_lexicon(&mut self, lexicon: Lexicon, docs: u64) -> Result<()> {
        if let Some(dir) = &self.dir {
            let text = format!("# documents\t{docs}\n{}", lexicon.to_tsv());
            let tmp = dir.join(format!("{LEXICON_FILE}.tmp"));
            std::fs::write(&tmp, text)?;
            std::fs::rename(&tmp, dir.join(LEXICON_FILE))?;
        }
        self.lexicon_docs = docs;
        self.register_analyzers(lexicon);
        Ok(())
    }

    /// How many documents the compound lexicon was counted from.
    pub fn lexicon_docs(&self) -> u64 {
        self.lexicon_docs
    }

    /// Make the analyzers that split compounds and find base forms use
    /// `lexicon` (and the dictionary, if any).
    fn register_analyzers(&mut self, lexicon: Lexicon) {
        let splitter = match &self.dictionary {
            Some(words) => Decompounder::with_dictionary(lexicon, words.clone()),
            None => Decompounder::new(lexicon),
        };
        let splitter = Arc::new(splitter);
        let index = self.index.tokenizers();
        index.register(SWEDISH, swedish_analyzer(splitter.clone()));
        index.register(
            COMPOUND,
            compound_analyzer(
                splitter.clone(),
                PartsOnly::Yes,
                needle::NeedleFilter::every_word(),
            ),
        );
        // Queries: the same base forms, no splitting.
        self.query_tokenizers
            .register(SWEDISH, swedish_analyzer(splitter.clone()));
        self.query_tokenizers
            .register(COMPOUND, swedish_analyzer(splitter.clone()));
        self.splitter = splitter;
    }

    /// A writer; documents become searchable after [`IndexWriter::commit`].
    pub fn writer(&self) -> Result<IndexWriter<'_>> {
        self.writer_with_memory(64 * 1024 * 1024)
    }

    /// A writer that buffers up to `bytes` (split among its threads)
    /// before writing a segment: more makes bulk builds faster.
    ///
    /// One writer at a time: while another process (another import) holds
    /// the index, this waits its turn, up to [`WRITER_WAIT`] (see
    /// [`SearchIndex::set_writer_wait`]), and then fails with
    /// [`Error::WriterBusy`]. A second writer of the same `SearchIndex`
    /// fails at once ([`Error::WriterOpen`]): it would wait for itself.
    pub fn writer_with_memory(&self, bytes: usize) -> Result<IndexWriter<'_>> {
        use std::sync::atomic::Ordering;
        use tantivy::directory::error::LockError;
        if self.writer_open.swap(true, Ordering::SeqCst) {
            return Err(Error::WriterOpen);
        }
        // From here the flag is cleared when `turn` is dropped, with the
        // writer or on an error.
        let turn = WriterTurn(&self.writer_open);
        let deadline = std::time::Instant::now() + self.writer_wait;
        let mut pause = std::time::Duration::from_millis(10);
        loop {
            match self.index.writer(bytes) {
                Ok(inner) => {
                    return Ok(IndexWriter {
                        inner,
                        owner: self,
                        _turn: turn,
                    });
                }
                Err(tantivy::TantivyError::LockFailure(LockError::LockBusy, _)) => {
                    let now = std::time::Instant::now();
                    if now >= deadline {
                        return Err(Error::WriterBusy(self.writer_wait));
                    }
                    std::thread::sleep(pause.min(deadline - now));
                    pause = (pause * 2).min(std::time::Duration::from_millis(250));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Wait at most `wait` for another process's writer ([`WRITER_WAIT`]
    /// unless set).
    pub fn set_writer_wait(&mut self, wait: std::time::Duration) {
        self.writer_wait = wait;
    }

    /// Number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Run a search. Never fails on bad query syntax: what cannot be parsed
    /// is ignored and reported in [`SearchResults::warnings`].
    ///
    /// The words are sought in title (boosted) and body, and, at a lower
    /// weight, in their folded twins, so that "vald" finds "våld" while
    /// "våld" ranks documents that write "våld" first. A query that names a
    /// diarienummer, a § or a document number puts the documents known by
    /// it first.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let Built {
            query,
            query_text,
            highlight_query,
            warnings,
            identifiers,
        } = self.build(req);
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let mut facet_collector = FacetCollector::for_field("facets");
        for dim in FACETS {
            facet_collector.add_facet(Facet::from_path([dim]));
        }
        let page = TopDocs::with_limit(limit).and_offset(req.offset.min(MAX_OFFSET));
        // The page alone, so that scoring can skip the blocks of documents
        // that cannot reach it, then its snippets; meanwhile, on another
        // thread, the total and the facets in a pass that does not score.
        let counter = facets::CountAndFacets {
            facets: facet_collector,
            deadline: std::time::Instant::now() + self.facet_budget,
        };
        // A count over few postings takes less than starting a thread, and
        // a busy server has no core to spare for it: only a count that may
        // run over many matches gets a thread of its own.
        let (hits, counted) = if most_matches(&searcher, &*query) < self.count_apart_from {
            let hits = self.page_of_hits(&searcher, &*query, &*highlight_query, page, req.sort)?;
            (hits, searcher.search(&query, &counter)?)
        } else {
            std::thread::scope(|scope| -> Result<_> {
                let counting = scope.spawn(|| searcher.search(&query, &counter));
                let hits = self.page_of_hits(&searcher, &*query, &*highlight_query, page, req.sort);
                let counted = counting
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                Ok((hits?, counted?))
            })?
        };
        let facets::Counted {
            total,
            facets: facet_counts,
            complete: facets_complete,
        } = counted;
        let facets = FACETS
            .iter()
            .map(|dim| {
                let mut values: Vec<(String, u64)> = facet_counts
                    .get(&Facet::from_path([*dim]).to_path_string())
                    .map(|(facet, n)| {
                        let value = facet
                            .to_path()
                            .last()
                            .map(|s| s.to_string())
                            .unwrap_or_default();
                        (value, n)
                    })
                    .collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                FacetCounts { name: dim, values }
            })
            .collect();
        let suggestion = if total < SUGGEST_BELOW_HITS {
            self.suggest(&searcher, &query_text)?
        } else {
            None
        };
        Ok(SearchResults {
            total,
            hits,
            facets,
            facets_complete,
            identifiers,
            warnings,
            suggestion,
        })
    }
}

impl SearchIndex {
    /// The hits of one page, in `sort` order, with their snippets.
    fn page_of_hits(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        highlight_query: &dyn Query,
        page: TopDocs,
        sort: Sort,
    ) -> Result<Vec<Hit>> {
        let top: Vec<(f32, DocAddress)> = match sort {
            Sort::Relevance => searcher.search(query, &page)?,
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let top = searcher.search(query, &page.order_by_fast_field::<i64>("day", order))?;
                top.into_iter().map(|(_, a)| (0.0, a)).collect()
            }
        };
        let (snippets, windows) = self.snippet_generator(searcher, highlight_query)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let body = stored_text(&d, self.fields.body).unwrap_or_default();
            let mut snippet = snippets
                .snippet(&windows.of(&body, SNIPPET_BYTES))
                .to_html();
            if snippet.is_empty() {
                snippet = escape(&body.chars().take(240).collect::<String>());
            }
            hits.push(self.hit(&d, score, snippet));
        }
        Ok(hits)
    }
}

/// A parsed search request.
struct Built {
    query: Box<dyn Query>,
    query_text: String,
    highlight_query: Box<dyn Query>,
    warnings: Vec<String>,
    identifiers: Vec<String>,
}

impl SearchIndex {
    fn build(&self, req: &SearchRequest) -> Built {
        let f = self.fields;
        let query_text: String = req
            .query
            .chars()
            .take(MAX_QUERY_CHARS)
            .filter(|c| !c.is_control())
            .collect();
        let (query_text, flattened) = flatten_deep_groups(query_text);
        let (query_text, shortened) = first_words(query_text, MAX_QUERY_WORDS);
        let mut parser = QueryParser::new(
            self.index.schema(),
            vec![f.title, f.body, f.title_folded, f.body_folded, f.compound],
            self.query_tokenizers.clone(),
        );
        parser.set_field_boost(f.title, BOOST_TITLE);
        parser.set_field_boost(f.compound, BOOST_COMPOUND_PART);
        parser.set_field_boost(f.title_folded, BOOST_TITLE_FOLDED);
        parser.set_field_boost(f.body_folded, BOOST_BODY_FOLDED);
        // A quoted phrase means these words as written: it must match in
        // the exact field; the rest of the query is parsed as usual.
        let (phrases, rest) = quoted_phrases(&query_text);
        let exact: Vec<Box<dyn Query>> = phrases
            .iter()
            .filter_map(|p| self.exact_phrase(p))
            .collect();
        let (text_query, errors) = parser.parse_query_lenient(&rest);
        // The whole query, quotes included, marks the words in snippets;
        // without quotes it is the query just parsed.
        let highlight_query = if rest == query_text {
            text_query.box_clone()
        } else {
            parser.parse_query_lenient(&query_text).0
        };
        let mut warnings: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        if shortened {
            warnings.push(format!(
                "only the first {MAX_QUERY_WORDS} words were searched for"
            ));
        }
        if flattened {
            warnings.push(format!(
                "parentheses nested deeper than {MAX_QUERY_DEPTH} levels were ignored"
            ));
        }
        let identifiers = kedja_extract::query_identifiers(&query_text);
        let text_part: Box<dyn Query> = if rest.trim().is_empty() && !exact.is_empty() {
            Box::new(AllQuery)
        } else {
            text_query.box_clone()
        };
        let mut wanted: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, text_part)];
        for key in &identifiers {
            let exact = TermQuery::new(Term::from_field_text(f.ids, key), IndexRecordOption::Basic);
            wanted.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(exact), BOOST_OWN_IDENTIFIER)),
            ));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(wanted)))];
        clauses.extend(exact.into_iter().map(|q| (Occur::Must, q)));
        for (dim, value) in [
            ("kind", req.kind.map(DocKind::as_str)),
            ("municipality", req.municipality.as_deref()),
            ("party", req.party.as_deref()),
            ("body", req.body.as_deref()),
        ] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                let term = Term::from_facet(f.facets, &Facet::from_path([dim, v]));
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        if req.from.is_some() || req.to.is_some() {
            let lo = req.from.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_i64(f.day, i64::from(d.to_julian_day())))
            });
            let hi = req.to.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_i64(f.day, i64::from(d.to_julian_day())))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        Built {
            query: Box::new(BooleanQuery::new(clauses)),
            query_text,
            highlight_query,
            warnings,
            identifiers,
        }
    }

    /// Snippets of the body that mark the words of `query` that matched
    /// in the body (by stem) or in the compound field (as parts): the body
    /// is read with the compound analyzer that keeps each word and adds
    /// its parts, so "hedersvåld" is marked for "våld".
    fn snippet_generator(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
    ) -> Result<(SnippetGenerator, needle::Windows)> {
        let f = self.fields;
        let mut terms = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == f.body || term.field() == f.compound {
                terms.insert(term.clone());
            }
        });
        let mut weights = std::collections::BTreeMap::new();
        for term in terms {
            let Some(text) = term.value().as_str().map(str::to_owned) else {
                continue;
            };
            let df = searcher.doc_freq(&term)?;
            if df > 0 {
                let weight = 1.0 / (1.0 + df as f32);
                let w = weights.entry(text).or_insert(weight);
                *w = w.max(weight);
            }
        }
        let needles = needle::NeedleFilter::new(weights.keys().map(String::as_str));
        let windows = needle::Windows::new(&needles);
        let analyzer = compound_analyzer(self.splitter.clone(), PartsOnly::No, needles);
        Ok((
            SnippetGenerator::new(weights, analyzer, f.body, SNIPPET_BYTES),
            windows,
        ))
    }

    /// The ids of the `limit` best documents for `query`, without totals,
    /// facets or snippets: the ranking alone, for comparing engines.
    #[cfg(feature = "ranking")]
    pub fn top_ids(&self, query: &str, limit: usize) -> Result<Vec<DocId>> {
        let searcher = self.reader.searcher();
        let built = self.build(&SearchRequest {
            query: query.to_owned(),
            ..SearchRequest::default()
        });
        let top = searcher.search(
            &*built.query,
            &TopDocs::with_limit(limit.clamp(1, MAX_LIMIT)),
        )?;
        self.stored_ids(&searcher, top.into_iter().map(|(_, addr)| addr))
    }

    /// The ids of every document that matches `query` (no filters, no
    /// order): for measuring recall.
    #[cfg(feature = "ranking")]
    pub fn matching_ids(&self, query: &str) -> Result<Vec<DocId>> {
        let searcher = self.reader.searcher();
        let built = self.build(&SearchRequest {
            query: query.to_owned(),
            ..SearchRequest::default()
        });
        let found = searcher.search(&*built.query, &tantivy::collector::DocSetCollector)?;
        self.stored_ids(&searcher, found)
    }

    /// The stored ids of `addrs`.
    #[cfg(feature = "ranking")]
    fn stored_ids(
        &self,
        searcher: &tantivy::Searcher,
        addrs: impl IntoIterator<Item = DocAddress>,
    ) -> Result<Vec<DocId>> {
        let mut ids = Vec::new();
        for addr in addrs {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = stored_text(&d, self.fields.id) {
                ids.push(DocId(id));
            }
        }
        Ok(ids)
    }
}

/// Read a little of every part of every segment (term dictionaries and
/// postings of each indexed field, the first stored document, the date
/// column): a truncated or missing file fails here.
fn probe(searcher: &tantivy::Searcher, fields: &Fields) -> Result<()> {
    let indexed = [
        fields.id,
        fields.title,
        fields.body,
        fields.title_folded,
        fields.body_folded,
        fields.facets,
        fields.ids,
        fields.words,
        fields.compound,
    ];
    for segment in searcher.segment_readers() {
        for field in indexed {
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().stream()?;
            if terms.advance() {
                let info = terms.value().clone();
                inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            }
        }
        segment.fast_fields().i64("day")?;
        if segment.max_doc() > 0 {
            let store = segment.get_store_reader(1)?;
            let _: TantivyDocument = store.get(0)?;
        }
    }
    Ok(())
}

/// `query` with its parentheses turned into spaces when they nest deeper
/// than [`MAX_QUERY_DEPTH`], and whether they were.
/// `query` up to its `n`th word (the operators AND, OR and NOT aside),
/// and whether anything was cut.
fn first_words(query: String, n: usize) -> (String, bool) {
    let mut words = 0;
    let mut start = None;
    for (i, c) in query.char_indices().chain([(query.len(), ' ')]) {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(from), false) => {
                start = None;
                if !matches!(&query[from..i], "AND" | "OR" | "NOT") {
                    words += 1;
                    if words > n {
                        return (query[..from].to_owned(), true);
                    }
                }
            }
            _ => {}
        }
    }
    (query, false)
}

/// How deep the query's groups are nested (an unmatched `)` closes
/// nothing).
fn deepest_group(query: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for c in query.chars() {
        match c {
            '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn flatten_deep_groups(query: String) -> (String, bool) {
    if deepest_group(&query) <= MAX_QUERY_DEPTH {
        return (query, false);
    }
    (query.replace(['(', ')'], " "), true)
}

/// The lexicon file: a "# documents\tN" line, then the lexicon.
fn read_lexicon(text: &str) -> (u64, Lexicon) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let docs = first
        .strip_prefix("# documents\t")
        .and_then(|n| n.trim().parse().ok());
    match docs {
        Some(docs) => (docs, Lexicon::from_tsv(rest).0),
        // Unreadable: as if there were none, so the next import rebuilds it.
        None => (0, Lexicon::new()),
    }
}

/// The quoted phrases of a query and the query without them. Quotes
/// left unbalanced stay in the rest, for the lenient parser.
fn quoted_phrases(query: &str) -> (Vec<String>, String) {
    let mut phrases = Vec::new();
    let mut rest = String::new();
    let mut parts = query.split('"');
    let mut inside = false;
    let count = query.matches('"').count();
    let balanced_until = count - count % 2;
    let mut seen = 0;
    if let Some(first) = parts.next() {
        rest.push_str(first);
    }
    for part in parts {
        seen += 1;
        inside = !inside;
        if seen > balanced_until {
            rest.push('"');
            rest.push_str(part);
        } else if inside {
            phrases.push(part.to_owned());
        } else {
            rest.push(' ');
            rest.push_str(part);
        }
    }
    (phrases, rest)
}

impl SearchIndex {
    /// A phrase or word that must appear as written (case aside).
    fn exact_phrase(&self, phrase: &str) -> Option<Box<dyn Query>> {
        let mut analyzer = words_analyzer();
        let mut stream = analyzer.token_stream(phrase);
        let mut terms = Vec::new();
        while let Some(t) = stream.next() {
            terms.push(Term::from_field_text(self.fields.words, &t.text));
        }
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms.remove(0),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }
}

/// Words shorter than this are not corrected.
const MIN_SUGGEST_CHARS: usize = 4;

impl SearchIndex {
    /// How many documents contain `word` as written.
    fn doc_freq(&self, searcher: &tantivy::Searcher, word: &str) -> Result<u64> {
        Ok(searcher.doc_freq(&Term::from_field_text(self.fields.words, word))?)
    }

    /// The query with each word the archive does not contain replaced by
    /// the closest word it does (edit distance 1, or 2 for words of seven
    /// letters or more; the most frequent among the closest), if any was.
    /// Candidates share the first two letters: a dictionary scan over that
    /// range of the term dictionary, in every segment.
    ///
    /// At most [`MAX_SUGGEST_WORDS`] words are corrected, within
    /// [`SUGGEST_BUDGET`]: a long misspelled query gets a partial
    /// suggestion rather than holding a thread.
    fn suggest(&self, searcher: &tantivy::Searcher, query: &str) -> Result<Option<String>> {
        let started = std::time::Instant::now();
        let mut changed = false;
        let mut out = Vec::new();
        let mut tried = 0usize;
        for word in query.split_whitespace() {
            let lower = word.to_lowercase();
            let plain = lower.chars().all(char::is_alphabetic);
            let n = lower.chars().count();
            let spent = tried >= MAX_SUGGEST_WORDS || started.elapsed() > SUGGEST_BUDGET;
            if spent || !plain || n < MIN_SUGGEST_CHARS || self.doc_freq(searcher, &lower)? > 0 {
                out.push(word.to_owned());
                continue;
            }
            tried += 1;
            let max = if n >= 7 { 2 } else { 1 };
            let prefix: String = lower.chars().take(2).collect();
            let mut best: Option<(usize, u64, String)> = None;
            let mut freq: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
            // Only the terms that share the word's first two letters and
            // are within `max` edits are visited: the automaton prunes the
            // dictionary as it walks it.
            let dfa = spelling::within(&lower, max);
            for segment in searcher.segment_readers() {
                let inverted = segment.inverted_index(self.fields.words)?;
                let mut stream = inverted
                    .terms()
                    .search(dfa.clone())
                    .ge(prefix.as_bytes())
                    .lt(format!("{prefix}\u{10FFFF}").as_bytes())
                    .into_stream()?;
                while stream.advance() {
                    if started.elapsed() > SUGGEST_BUDGET {
                        break;
                    }
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    *freq.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
            for (term, df) in freq {
                if started.elapsed() > SUGGEST_BUDGET {
                    break;
                }
                let d = strsim::levenshtein(&lower, &term);
                if d == 0 || d > max {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some((bd, bdf, bt)) => {
                        (d, std::cmp::Reverse(df), &term) < (*bd, std::cmp::Reverse(*bdf), bt)
                    }
                };
                if better {
                    best = Some((d, df, term));
                }
            }
            match best {
                Some((_, _, term)) => {
                    changed = true;
                    out.push(term);
                }
                None => out.push(word.to_owned()),
            }
        }
        Ok(changed.then(|| out.join(" ")))
    }

    /// Documents on the same topic as `id` (more-like-this over its stored
    /// title and body), from `municipality` when given, best first. Empty
    /// when `id` is not indexed.
    pub fn similar(
        &self,
        id: &DocId,
        municipality: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let id_term = Term::from_field_text(f.id, id.as_str());
        let found = searcher.search(
            &TermQuery::new(id_term.clone(), IndexRecordOption::Basic),
            &TopDocs::with_limit(1),
        )?;
        let Some((_, addr)) = found.first() else {
            return Ok(Vec::new());
        };
        let mlt = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(2)
            .with_min_word_length(4)
            .with_max_query_terms(30)
            .with_document(*addr);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(mlt)),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(id_term, IndexRecordOption::Basic)),
            ),
        ];
        if let Some(m) = municipality {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.municipality, m),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.clamp(1, MAX_LIMIT)),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            hits.push(self.hit(&d, score, String::new()));
        }
        Ok(hits)
    }
}

impl SearchIndex {
    /// A hit from a stored index document.
    fn hit(&self, d: &TantivyDocument, score: f32, snippet: String) -> Hit {
        let f = self.fields;
        Hit {
            id: DocId(stored_text(d, f.id).unwrap_or_default()),
            kind: stored_text(d, f.kind).unwrap_or_default(),
            title: stored_text(d, f.title).unwrap_or_default(),
            municipality: stored_text(d, f.municipality).filter(|m| !m.is_empty()),
            date: stored_text(d, f.date).filter(|d| !d.is_empty()),
            source: stored_text(d, f.source).unwrap_or_default(),
            parties: d
                .get_all(f.party)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            snippet,
            score,
        }
    }
}

fn stored_text(d: &TantivyDocument, field: Field) -> Option<String> {
    d.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Adds, replaces and deletes documents in the index.
pub struct IndexWriter<'a> {
    inner: tantivy::IndexWriter,
    owner: &'a SearchIndex,
    _turn: WriterTurn<'a>,
}

/// Marks a [`SearchIndex`]'s writer open while it lives.
struct WriterTurn<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for WriterTurn<'_> {
    fn drop(&mut self) {
        self.0.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

impl std::fmt::Debug for IndexWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexWriter").finish_non_exhaustive()
    }
}

impl IndexWriter<'_> {
    /// Add `doc`, replacing any earlier version with the same id.
    pub fn upsert(&mut self, doc: &Document) -> Result<()> {
        let f = self.owner.fields;
        self.inner
            .delete_term(Term::from_field_text(f.id, doc.id.as_str()));
        let day = doc
            .record
            .date
            .map(|d| i64::from(d.to_julian_day()))
            .unwrap_or(i64::MIN);
        let r = &doc.record;
        let mut d = doc!(
            f.id => doc.id.as_str(),
            f.title => r.title.as_str(),
            f.body => doc.text.as_str(),
            f.title_folded => r.title.as_str(),
            f.body_folded => doc.text.as_str(),
            f.kind => r.kind.as_str(),
            f.municipality => r.municipality.as_deref().unwrap_or(""),
            f.date => r.date.map(|d| d.to_string()).unwrap_or_default(),
            f.day => day,
            f.source => doc.source.as_str(),
        );
        let mut parties: Vec<&str> = r
            .authors
            .iter()
            .filter_map(|a| a.party.as_deref())
            .collect();
        parties.sort_unstable();
        parties.dedup();
        for p in &parties {
            d.add_text(f.party, p);
            d.add_facet(f.facets, Facet::from_path(["party", p]));
        }
        d.add_facet(f.facets, Facet::from_path(["kind", r.kind.as_str()]));
        if let Some(m) = r.municipality.as_deref().filter(|m| !m.is_empty()) {
            d.add_facet(f.facets, Facet::from_path(["municipality", m]));
        }
        if let Some(b) = r.body.as_deref().or(r.bodies.first().map(String::as_str)) {
            d.add_facet(f.facets, Facet::from_path(["body", b]));
        }
        if let Some(date) = r.date {
            d.add_facet(
                f.facets,
                Facet::from_path(["year", &date.year().to_string()]),
            );
        }
        for key in kedja_extract::record_identifiers(r) {
            d.add_text(f.ids, &key);
        }
        d.add_text(f.words, &r.title);
        d.add_text(f.words, &doc.text);
        d.add_text(f.compound, &r.title);
        d.add_text(f.compound, &doc.text);
        self.inner.add_document(d)?;
        Ok(())
    }

    /// Remove every document.
    pub fn clear(&mut self) -> Result<()> {
        self.inner.delete_all_documents()?;
        Ok(())
    }

    /// Make the changes durable and visible to searches.
    pub fn commit(mut self) -> Result<()> {
        self.inner.commit()?;
        self.inner.wait_merging_threads()?;
        self.owner.reader.reload()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedja_model::{Format, Record};

    #[test]
    fn long_or_deeply_nested_queries_are_costly_and_ordinary_ones_are_not() {
        let costly = |q: &str| {
            SearchRequest {
                query: q.into(),
                ..SearchRequest::default()
            }
            .is_costly()
        };
        assert!(!costly("hemtjänst"));
        assert!(!costly(
            "\"trygghet i hemtjänsten\" AND (äldreomsorg OR LSS) -budget"
        ));
        assert!(!costly(&"ord ".repeat(COSTLY_QUERY_WORDS)));
        assert!(costly(&"ord ".repeat(COSTLY_QUERY_WORDS + 1)));
        assert!(costly(&["skola"; 150].join(" OR ")));
        let deep = format!(
            "{}skola{}",
            "(".repeat(MAX_QUERY_DEPTH + 1),
            ")".repeat(MAX_QUERY_DEPTH + 1)
        );
        assert!(costly(&deep));
        let allowed = format!(
            "{}skola{}",
            "(".repeat(MAX_QUERY_DEPTH),
            ")".repeat(MAX_QUERY_DEPTH)
        );
        assert!(!costly(&allowed));
    }

    fn document(id: &str, kind: DocKind, title: &str, text: &str, municipality: &str) -> Document {
        Document {
            id: DocId(id.into()),
            source: format!("{id}.txt"),
            format: Format::Text,
            extractor: "utf8".into(),
            content_hash: id.into(),
            version: 1,
            imported_at: time::OffsetDateTime::UNIX_EPOCH,
            text: text.into(),
            record: Record {
                kind,
                title: title.into(),
                municipality: Some(municipality.into()),
                ..Record::default()
            },
        }
    }

    fn index() -> SearchIndex {
        let index = SearchIndex::in_ram().unwrap();
        let mut w = index.writer().unwrap();
        w.upsert(&document(
            "a",
            DocKind::Motion,
            "Motion om förskolor",
            "Förskolorna behöver fler pedagoger.",
            "Sjövik",
        ))
        .unwrap();
        w.upsert(&document(
            "b",
            DocKind::Interpellation,
            "Interpellation om våld",
            "Hedersrelaterat våld mot kvinnor ökar.",
            "Norrbacka",
        ))
        .unwrap();
        w.upsert(&document(
            "c",
            DocKind::Plan,
            "Handlingsplan",
            "Planen mot våld i nära relationer.",
            "Sjövik",
        ))
        .unwrap();
        w.commit().unwrap();
        index
    }

    /// Documents with authors, parties, bodies, dates and identifiers.
    fn rich_index() -> SearchIndex {
        use kedja_model::{Person, PersonRole};
        let index = SearchIndex::in_ram().unwrap();
        let mut w = index.writer().unwrap();
        let person = |name: &str, party: &str| Person {
            name: name.into(),
            party: Some(party.into()),
            role: PersonRole::Author,
        };
        let mut motion = document(
            "m",
            DocKind::Motion,
            "Motion om förskolans lokaler",
            "Förskolan i Norra behöver nya lokaler. Våld och otrygghet nämns inte.",
            "Sjövik",
        );
        motion.record.authors = vec![person("Martina Lind", "V")];
        motion.record.date = kedja_model::parse_iso_date("2022-02-07");
        let mut decision = document(
            "d",
            DocKind::Decision,
            "Svar på motion om förebyggande arbete",
            "Kommunfullmäktige bifaller motionen om förebyggande arbete mot våld.",
            "Sjövik",
        );
        decision.record.body = Some("Kommunfullmäktige".into());
        decision.record.date = kedja_model::parse_iso_date("2022-12-14");
        decision.record.paragraph = Some("§ 187".into());
        decision.record.own_diarienummer = vec![kedja_extract::dnr_key("KS 2022/45")];
        let mut interpellation = document(
            "i",
            DocKind::Interpellation,
            "Interpellation om våld i nära relationer",
            "Hur går arbetet mot våld? Beslutet i KS 2022/45 nämns här i förbigående.",
            "Norrbacka",
        );
        interpellation.record.authors = vec![person("Erik Holm", "C")];
        interpellation.record.date = kedja_model::parse_iso_date("2024-09-02");
        let mut elected = document(
            "e",
            DocKind::Other,
            "Protokoll från valet",
            "Hon blev vald till ordförande i nämnden.",
            "Sjövik",
        );
        elected.record.date = kedja_model::parse_iso_date("2023-01-10");
        for d in [&motion, &decision, &interpellation, &elected] {
            w.upsert(d).unwrap();
        }
        w.commit().unwrap();
        index
    }

    fn search(
        index: &SearchIndex,
        query: &str,
        f: impl FnOnce(&mut SearchRequest),
    ) -> SearchResults {
        let mut req = SearchRequest {
            query: query.into(),
            limit: 10,
            ..Default::default()
        };
        f(&mut req);
        index.search(&req).unwrap()
    }

    /// An index of `docs` (id, title, text) with the compound lexicon
    /// counted from them, and optionally a word list.
    fn compound_index(docs: &[(&str, &str, &str)], dictionary: Option<&[&str]>) -> SearchIndex {
        let mut index = SearchIndex::in_ram().unwrap();
        let mut lexicon = Lexicon::new();
        for (_, title, text) in docs {
            lexicon.add_text(title);
            lexicon.add_text(text);
        }
        if let Some(words) = dictionary {
            index.set_dictionary(super::dictionary(words.iter().map(|w| w.to_string())));
        }
        index.set_lexicon(lexicon, docs.len() as u64).unwrap();
        let mut w = index.writer().unwrap();
        for (id, title, text) in docs {
            w.upsert(&document(id, DocKind::Motion, title, text, "Malmö"))
                .unwrap();
        }
        w.commit().unwrap();
        index
    }

    const COMPOUND_DOCS: &[(&str, &str, &str)] = &[
        (
            "whole",
            "Våld i nära relationer",
            "Våld i nära relationer drabbar många. Förebyggande arbete och förebyggande insatser.",
        ),
        (
            "compound",
            "Hedersrelaterat förtryck",
            "Hedersvåld och våldsförebyggande arbete i skolan.",
        ),
        (
            "plans",
            "Uppföljning",
            "Handlingsplanerna följs upp årligen. En plan finns för varje nämnd.",
        ),
        (
            "crime",
            "Brott",
            "Antalet anmälda våldtäkter har ökat. Brott mot heder anmäls sällan; heder är motivet.",
        ),
        (
            "other",
            "Ekonomi",
            "Handling och beslut om budget. Planer för ekonomin.",
        ),
    ];

    #[test]
    fn sort_names_parse_back_and_date_is_newest() {
        for sort in Sort::ALL {
            assert_eq!(Sort::parse(sort.as_str()), Some(sort));
        }
        assert_eq!(Sort::parse("date"), Some(Sort::Newest));
        assert_eq!(Sort::parse("random"), None);
    }

    fn needles_of(weights: &std::collections::BTreeMap<String, f32>) -> needle::NeedleFilter {
        needle::NeedleFilter::new(weights.keys().map(String::as_str))
    }

    /// Snippets made with the needle filter mark the same words in the
    /// same fragments as snippets made by decompounding every word.
    #[test]
    fn snippets_skip_words_that_cannot_match_and_read_as_before() {
        let index = compound_index(COMPOUND_DOCS, None);
        let mut texts: Vec<String> = COMPOUND_DOCS
            .iter()
            .map(|(_, _, t)| t.to_string())
            .collect();
        texts.push(
            "Kvinnofridsarbetet och hedersrelaterat våld. Skolvägen till skolan och skolornas \
             handlingsplaner; planeringen av våldsförebyggande arbete i kommunen. "
                .repeat(12),
        );
        let terms_of = |query: &str| -> Vec<String> {
            let mut a = compound_analyzer(
                index.splitter.clone(),
                PartsOnly::No,
                needle::NeedleFilter::every_word(),
            );
            let mut stream = a.token_stream(query);
            let mut out = Vec::new();
            while let Some(t) = stream.next() {
                out.push(t.text.clone());
            }
            out
        };
        let field = index.fields.body;
        let mut marked = 0;
        for query in [
            "våld",
            "heder",
            "handlingsplan",
            "plan",
            "budget ekonomi",
            "kvinnofrid",
            "skola",
        ] {
            let weights: std::collections::BTreeMap<String, f32> =
                terms_of(query).into_iter().map(|t| (t, 1.0)).collect();
            let every_word = SnippetGenerator::new(
                weights.clone(),
                compound_analyzer(
                    index.splitter.clone(),
                    PartsOnly::No,
                    needle::NeedleFilter::every_word(),
                ),
                field,
                240,
            );
            let needles = needles_of(&weights);
            let skipping = SnippetGenerator::new(
                weights.clone(),
                compound_analyzer(index.splitter.clone(), PartsOnly::No, needles),
                field,
                240,
            );
            let windows = needle::Windows::new(&needles_of(&weights));
            for text in &texts {
                let before = every_word.snippet(text).to_html();
                assert_eq!(skipping.snippet(text).to_html(), before, "{query}: {text}");
                marked += usize::from(before.contains("<b>"));
                // In a long document the snippet comes from the windows
                // around the needles: marked where the whole text marks,
                // and the document's own words.
                let filler = "Nämnden följer upp budgeten varje tertial. ".repeat(60);
                let long = format!("{filler}{text} {filler}");
                let whole = every_word.snippet(&long);
                let windowed = skipping.snippet(&windows.of(&long, 240));
                assert_eq!(
                    windowed.highlighted().is_empty(),
                    whole.highlighted().is_empty(),
                    "{query}: {text}"
                );
                assert!(long.contains(windowed.fragment()), "{query}: {text}");
            }
        }
        assert!(marked >= 8, "the queries mark words in the texts: {marked}");
    }

    #[test]
    fn compounds_are_found_by_their_parts_below_whole_words() {
        let index = compound_index(COMPOUND_DOCS, None);
        let r = search(&index, "våld", |_| {});
        assert_eq!(ids(&r), ["whole", "compound"], "{r:?}");
        let compound = &r.hits[1].snippet;
        assert!(compound.contains("<b>Hedersvåld</b>"), "{compound}");
        assert!(compound.contains("<b>våldsförebyggande</b>"), "{compound}");

        let r = search(&index, "handlingsplan", |_| {});
        assert_eq!(ids(&r), ["plans"], "{r:?}");
        // "våldtäkter" is no kind of "våld"; "heder" finds "hedersvåld".
        let r = search(&index, "heder", |_| {});
        assert_eq!(ids(&r), ["crime", "compound"], "{r:?}");
        // The query is not split: a compound finds itself, not its parts.
        let r = search(&index, "hedersvåld", |_| {});
        assert_eq!(ids(&r), ["compound"], "{r:?}");
    }

    #[test]
    fn a_dictionary_limits_the_parts() {
        let dictionary: &[&str] = &["våld", "förebyggande", "handling", "planerna"];
        let index = compound_index(COMPOUND_DOCS, Some(dictionary));
        assert_eq!(ids(&search(&index, "våld", |_| {})), ["whole", "compound"]);
        // "heder" is not in the word list: "hedersvåld" is not split by it.
        assert_eq!(ids(&search(&index, "heder", |_| {})), ["crime"]);
    }

    #[test]
    fn the_lexicon_is_saved_with_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut lexicon = Lexicon::new();
        lexicon.add_text("heder heder våld våld");
        {
            let mut index = SearchIndex::open(dir.path()).unwrap();
            assert_eq!(index.lexicon_docs(), 0);
            index.set_lexicon(lexicon, 7).unwrap();
        }
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.lexicon_docs(), 7);
        let mut w = index.writer().unwrap();
        w.upsert(&document("a", DocKind::Motion, "T", "om hedersvåld", "M"))
            .unwrap();
        w.commit().unwrap();
        assert_eq!(ids(&search(&index, "våld", |_| {})), ["a"]);
    }

    /// An index on disk with three documents, dropped: what a damaged
    /// index is made from.
    fn index_on_disk(dir: &Path) {
        let index = SearchIndex::open(dir).unwrap();
        let mut w = index.writer().unwrap();
        for (id, text) in [
            ("a", "om våld"),
            ("b", "om skolan"),
            ("c", "om våld i skolan"),
        ] {
            w.upsert(&document(id, DocKind::Motion, "T", text, "M"))
                .unwrap();
        }
        w.commit().unwrap();
    }

    /// A named way of damaging an index directory.
    type Damage = (&'static str, fn(&Path));

    #[test]
    fn a_damaged_index_is_detected_on_open_and_recreated_empty() {
        let damages: [Damage; 4] = [
            ("garbage meta.json", |dir| {
                std::fs::write(dir.join("meta.json"), "{not json").unwrap();
            }),
            ("truncated term dictionary", |dir| {
                for e in std::fs::read_dir(dir).unwrap() {
                    let p = e.unwrap().path();
                    if p.extension().is_some_and(|x| x == "term") {
                        let len = std::fs::metadata(&p).unwrap().len();
                        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
                        f.set_len(len / 2).unwrap();
                    }
                }
            }),
            ("missing store file", |dir| {
                for e in std::fs::read_dir(dir).unwrap() {
                    let p = e.unwrap().path();
                    if p.extension().is_some_and(|x| x == "store") {
                        std::fs::remove_file(&p).unwrap();
                    }
                }
            }),
            ("garbage in every segment file", |dir| {
                for e in std::fs::read_dir(dir).unwrap() {
                    let p = e.unwrap().path();
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    if name.contains('.') && !name.starts_with(['.', 'm']) && name != LEXICON_FILE {
                        std::fs::write(&p, b"\xff\x00garbage").unwrap();
                    }
                }
            }),
        ];
        for (what, damage) in damages {
            let dir = tempfile::tempdir().unwrap();
            index_on_disk(dir.path());
            assert!(!SearchIndex::open(dir.path()).unwrap().fresh, "{what}");
            damage(dir.path());
            assert!(SearchIndex::open_reader(dir.path()).is_err(), "{what}");
            let index = SearchIndex::open(dir.path()).unwrap();
            assert!(index.fresh, "{what}");
            assert!(index.damage.is_some(), "{what}");
            assert_eq!(index.num_docs(), 0, "{what}");
            // The recreated index works and opens cleanly next time.
            let mut w = index.writer().unwrap();
            w.upsert(&document("a", DocKind::Motion, "T", "om våld", "M"))
                .unwrap();
            w.commit().unwrap();
            drop(index);
            let index = SearchIndex::open(dir.path()).unwrap();
            assert!(!index.fresh && index.damage.is_none(), "{what}");
            assert_eq!(ids(&search(&index, "våld", |_| {})), ["a"], "{what}");
        }
    }

    #[test]
    fn a_second_process_writer_waits_its_turn_and_says_why_when_it_gives_up() {
        use std::time::{Duration, Instant};
        let dir = tempfile::tempdir().unwrap();
        index_on_disk(dir.path());
        let first = SearchIndex::open(dir.path()).unwrap();
        let mut second = SearchIndex::open(dir.path()).unwrap();
        second.set_writer_wait(Duration::from_secs(20));
        // The first holds the index for a while, as an import does.
        let holder = std::thread::spawn(move || {
            let mut w = first.writer().unwrap();
            w.upsert(&document("x", DocKind::Motion, "T", "om cyklar", "M"))
                .unwrap();
            std::thread::sleep(Duration::from_millis(400));
            w.commit().unwrap();
            first
        });
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        let mut w = second
            .writer()
            .expect("the second writer waits for the first");
        assert!(started.elapsed() >= Duration::from_millis(150));
        w.upsert(&document("y", DocKind::Motion, "T", "om bussar", "M"))
            .unwrap();
        w.commit().unwrap();
        let first = holder.join().unwrap();
        first.reload().unwrap();
        assert_eq!(ids(&search(&first, "cyklar", |_| {})), ["x"]);
        assert_eq!(ids(&search(&first, "bussar", |_| {})), ["y"]);
        // Past its patience, the error names the cause.
        let held = first.writer().unwrap();
        second.set_writer_wait(Duration::from_millis(100));
        let e = second.writer().unwrap_err();
        assert!(matches!(e, Error::WriterBusy(_)), "{e:?}");
        assert!(e.to_string().contains("another process"), "{e}");
        // A second writer of the same index would wait for itself: it fails
        // at once instead, and the first still works.
        let started = Instant::now();
        assert!(matches!(first.writer(), Err(Error::WriterOpen)));
        assert!(started.elapsed() < Duration::from_secs(1));
        held.commit().unwrap();
        first.writer().unwrap().commit().unwrap();
    }

    #[test]
    fn a_reader_sees_what_another_writer_commits() {
        let dir = tempfile::tempdir().unwrap();
        index_on_disk(dir.path());
        let reader = SearchIndex::open_reader(dir.path()).unwrap();
        assert_eq!(reader.num_docs(), 3);
        {
            let writer = SearchIndex::open(dir.path()).unwrap();
            let mut w = writer.writer().unwrap();
            w.upsert(&document("d", DocKind::Motion, "T", "om cyklar", "M"))
                .unwrap();
            w.commit().unwrap();
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while ids(&search(&reader, "cyklar", |_| {})).is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "the reader never reloaded"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(reader.num_docs(), 4);
    }

    #[test]
    fn a_query_nested_800_deep_does_not_overflow_the_stack() {
        // Run on a thread with a small stack, as a server's worker has.
        let index = Arc::new(index());
        let searching = index.clone();
        let r = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let deep = format!("{}våld{}", "(".repeat(800), ")".repeat(800));
                searching.search(&SearchRequest {
                    query: deep,
                    limit: 10,
                    ..Default::default()
                })
            })
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert!(r.total > 0, "{r:?}");
        assert!(r.warnings.iter().any(|w| w.contains("nested")), "{r:?}");
        // Shallow groups still mean what they say.
        let r = search(&index, "(våld)", |_| {});
        assert!(r.total > 0 && r.warnings.is_empty(), "{r:?}");
    }

    #[test]
    fn a_long_misspelled_query_gets_suggestions_for_its_first_words_only() {
        let index = index();
        let query = vec!["vålld"; 40].join(" ");
        let r = search(&index, &query, |_| {});
        let suggestion = r.suggestion.expect("a suggestion");
        let corrected = suggestion.split(' ').filter(|w| *w == "våld").count();
        assert_eq!(corrected, MAX_SUGGEST_WORDS, "{suggestion}");
    }

    #[test]
    fn a_query_without_diacritics_finds_them_and_exact_spelling_ranks_first() {
        let index = rich_index();
        // "vald" (elected) is a word of its own: its document comes first,
        // then those about "våld".
        let r = search(&index, "vald", |_| {});
        assert_eq!(r.total, 4, "{r:#?}");
        assert_eq!(ids(&r).first(), Some(&"e"));
        // Written with å, "våld" puts "vald" last.
        let r = search(&index, "våld", |_| {});
        assert_eq!(ids(&r).last(), Some(&"e"), "{r:#?}");
        let r = search(&index, "forskolans lokaler", |_| {});
        assert_eq!(ids(&r).first(), Some(&"m"));
    }

    #[test]
    fn quoted_phrases_match_as_written() {
        assert_eq!(
            quoted_phrases(r#"våld "mot kvinnor" plan"#),
            (vec!["mot kvinnor".to_owned()], "våld   plan".to_owned())
        );
        assert_eq!(
            quoted_phrases(r#"a "b c" "d"#),
            (vec!["b c".to_owned()], r#"a   "d"#.to_owned())
        );
        let index = rich_index();
        // Unquoted, "lokal" finds "lokaler" by its stem; quoted, only the
        // word as written counts, and there is none.
        assert_eq!(search(&index, "lokal", |_| {}).total, 1);
        assert_eq!(search(&index, "\"lokal\"", |_| {}).total, 0);
        assert_eq!(ids(&search(&index, "\"nya lokaler\"", |_| {})), vec!["m"]);
        // Word order matters in a phrase.
        assert_eq!(search(&index, "\"lokaler nya\"", |_| {}).total, 0);
        // A phrase and free words together.
        assert_eq!(
            ids(&search(&index, "motion \"nya lokaler\"", |_| {})),
            vec!["m"]
        );
    }

    #[test]
    fn a_query_that_finds_little_gets_a_spelling_suggestion() {
        let index = rich_index();
        let r = search(&index, "förskolna lokaler", |_| {});
        assert_eq!(r.suggestion.as_deref(), Some("förskolan lokaler"), "{r:#?}");
        let r = search(&index, "interpelation", |_| {});
        assert_eq!(r.suggestion.as_deref(), Some("interpellation"), "{r:#?}");
        // Nothing to correct, or found enough: no suggestion.
        assert_eq!(search(&index, "qzxv", |_| {}).suggestion, None);
        assert_eq!(search(&index, "våld", |_| {}).suggestion, None);
    }

    #[test]
    fn identifiers_put_their_document_first() {
        let index = rich_index();
        for q in ["KS 2022/45", "KS/2022:45", "§ 187"] {
            let r = search(&index, q, |_| {});
            assert_eq!(ids(&r).first(), Some(&"d"), "{q}: {r:#?}");
            assert!(!r.identifiers.is_empty(), "{q}");
        }
    }

    /// Issue 16: facet counts over a huge match stop at their time budget
    /// and say so, while the total and the page stay exact.
    #[test]
    fn facets_stop_at_their_budget_and_the_total_does_not() {
        let mut index = rich_index();
        let full = search(&index, "våld lokaler motion", |_| {});
        assert!(full.facets_complete);
        assert!(full.facets.iter().any(|f| !f.values.is_empty()), "{full:?}");
        index.set_facet_budget(std::time::Duration::ZERO);
        let cut = search(&index, "våld lokaler motion", |_| {});
        assert!(!cut.facets_complete);
        assert!(cut.facets.iter().all(|f| f.values.is_empty()), "{cut:?}");
        assert_eq!(cut.total, full.total);
        assert_eq!(ids(&cut), ids(&full));
    }

    #[test]
    fn only_the_first_words_of_a_long_query_are_searched_for() {
        let q = |s: &str, n| first_words(s.to_owned(), n);
        assert_eq!(
            q("skola OR förskola AND NOT budget", 3),
            ("skola OR förskola AND NOT budget".to_owned(), false)
        );
        assert_eq!(
            q("våld mot kvinnor i nära relationer", 3),
            ("våld mot kvinnor ".to_owned(), true)
        );
        assert_eq!(
            q("(äldre OR unga) \"trygg hemtjänst\" plan", 3).0,
            "(äldre OR unga) \"trygg "
        );
        let index = rich_index();
        let long = ["motion"; MAX_QUERY_WORDS + 5].join(" OR ");
        let r = search(&index, &long, |_| {});
        assert_eq!(r.total, search(&index, "motion", |_| {}).total);
        assert!(
            r.warnings.iter().any(|w| w.contains("first 32 words")),
            "{:?}",
            r.warnings
        );
        let r = search(&index, &["motion"; MAX_QUERY_WORDS].join(" OR "), |_| {});
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    /// Counting beside the ranking, or after it, gives the same page,
    /// total and facets.
    #[test]
    fn a_count_apart_and_a_count_after_the_page_agree() {
        let mut index = rich_index();
        let queries = ["våld lokaler motion", "motion", "kvinnor OR skola", ""];
        let after: Vec<SearchResults> = queries.iter().map(|q| search(&index, q, |_| {})).collect();
        index.set_count_apart_from(0);
        for (q, a) in queries.iter().zip(&after) {
            let apart = search(&index, q, |_| {});
            assert_eq!(ids(&apart), ids(a), "{q}");
            assert_eq!(apart.total, a.total, "{q}");
            assert_eq!(apart.facets, a.facets, "{q}");
        }
        assert!(after.iter().any(|r| r.total > 1), "{after:?}");
    }

    #[test]
    fn filters_facets_and_order() {
        let index = rich_index();
        let r = search(&index, "våld lokaler motion", |_| {});
        let facet = |r: &SearchResults, name: &str| -> Vec<(String, u64)> {
            r.facets
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .values
                .clone()
        };
        assert_eq!(r.total, 4);
        let kinds = facet(&r, "kind");
        assert_eq!(kinds.iter().map(|(_, n)| n).sum::<u64>(), 4, "{kinds:?}");
        assert!(facet(&r, "party").contains(&("V".into(), 1)));
        assert!(facet(&r, "body").contains(&("Kommunfullmäktige".into(), 1)));
        assert!(facet(&r, "year").contains(&("2024".into(), 1)));
        assert_eq!(
            ids(&search(&index, "våld lokaler motion", |q| q.party =
                Some("V".into()))),
            vec!["m"]
        );
        assert_eq!(
            ids(&search(&index, "våld lokaler motion", |q| q.body =
                Some("Kommunfullmäktige".into()))),
            vec!["d"]
        );
        let in_2022 = search(&index, "våld lokaler motion", |q| {
            q.from = kedja_model::parse_iso_date("2022-01-01");
            q.to = kedja_model::parse_iso_date("2022-12-31");
        });
        let mut got = ids(&in_2022);
        got.sort();
        assert_eq!(got, vec!["d", "m"]);
        assert_eq!(
            ids(&search(&index, "våld lokaler motion", |q| q.sort = Sort::Newest)),
            vec!["i", "e", "d", "m"]
        );
        assert_eq!(
            ids(&search(&index, "våld lokaler motion", |q| q.sort = Sort::Oldest)),
            vec!["m", "d", "e", "i"]
        );
    }

    fn ids(r: &SearchResults) -> Vec<&str> {
        r.hits.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn stems_swedish_inflections() {
        let index = index();
        let r = index
            .search(&SearchRequest {
                query: "förskola".into(),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&r), vec!["a"]);
        assert!(r.hits[0].snippet.contains("<b>"), "{}", r.hits[0].snippet);
    }

    #[test]
    fn filters_and_title_boost() {
        let index = index();
        let r = index
            .search(&SearchRequest {
                query: "våld".into(),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(r.total, 2);
        assert_eq!(ids(&r)[0], "b", "title match ranks first");
        let r = index
            .search(&SearchRequest {
                query: "våld".into(),
                municipality: Some("Sjövik".into()),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&r), vec!["c"]);
        let r = index
            .search(&SearchRequest {
                query: "våld".into(),
                kind: Some(DocKind::Plan),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(ids(&r), vec!["c"]);
    }

    #[test]
    fn bad_queries_do_not_fail() {
        let index = index();
        for q in [
            "\"våld",
            "AND",
            "våld OR",
            "((",
            "title:",
            "\u{0}\u{7}",
            &"x".repeat(10_000),
        ] {
            let r = index.search(&SearchRequest {
                query: q.into(),
                limit: 10,
                ..Default::default()
            });
            assert!(r.is_ok(), "{q:?}: {r:?}");
        }
        // Pages past the deepest are empty, not a huge allocation.
        let r = index
            .search(&SearchRequest {
                query: "våld".into(),
                limit: 100_000,
                offset: usize::MAX,
                ..Default::default()
            })
            .unwrap();
        assert!(r.hits.is_empty());
        assert!(r.total > 0);
    }

    #[test]
    fn similar_finds_the_same_topic_and_not_itself() {
        let index = SearchIndex::in_ram().unwrap();
        let mut w = index.writer().unwrap();
        let violence = "Våld i nära relationer och hedersrelaterat våld kräver samordning. Våld mot kvinnor ökar.";
        w.upsert(&document(
            "a",
            DocKind::Motion,
            "Motion om våld i nära relationer",
            violence,
            "Sjövik",
        ))
        .unwrap();
        w.upsert(&document(
            "b",
            DocKind::Plan,
            "Handlingsplan mot våld i nära relationer",
            violence,
            "Sjövik",
        ))
        .unwrap();
        w.upsert(&document(
            "c",
            DocKind::Motion,
            "Motion om parker",
            "Parker och lekplatser behöver skötas. Parker ger glädje.",
            "Sjövik",
        ))
        .unwrap();
        w.upsert(&document(
            "d",
            DocKind::Plan,
            "Handlingsplan mot våld",
            violence,
            "Norrbacka",
        ))
        .unwrap();
        w.commit().unwrap();
        let ids = |hits: Vec<Hit>| hits.into_iter().map(|h| h.id.0).collect::<Vec<_>>();
        assert_eq!(
            ids(index
                .similar(&DocId("a".into()), Some("Sjövik"), 5)
                .unwrap()),
            vec!["b"]
        );
        assert_eq!(
            ids(index.similar(&DocId("a".into()), None, 5).unwrap()).len(),
            2
        );
        assert!(
            index
                .similar(&DocId("zz".into()), None, 5)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn upsert_replaces() {
        let index = index();
        let mut w = index.writer().unwrap();
        w.upsert(&document(
            "a",
            DocKind::Motion,
            "Motion om parker",
            "Parker.",
            "Sjövik",
        ))
        .unwrap();
        w.commit().unwrap();
        assert_eq!(index.num_docs(), 3);
        let r = index
            .search(&SearchRequest {
                query: "förskola".into(),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(r.total, 0);
    }
}
