//! The search index: tantivy with Swedish stemming and stop words on title
//! and body, derived entirely from the store.
//!
//! [`SearchIndex`] opens or creates the on-disk index (or an in-RAM one for
//! tests), [`SearchIndex::writer`] gives an [`IndexWriter`] that upserts
//! [`kedja_model::Document`]s, and [`SearchIndex::search`] answers a
//! [`SearchRequest`] with hits, totals and highlighted snippets. Queries are
//! parsed leniently: unbalanced quotes or stray operators never fail.

use std::path::Path;

use kedja_model::{DocId, Document};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term, doc};

/// Bumped whenever the schema or analysis changes; an index of another
/// version is rebuilt from the store.
pub const INDEX_VERSION: u32 = 1;
const VERSION_FILE: &str = "KEDJA_INDEX_VERSION";
const SWEDISH: &str = "sv_stem";
/// Longest query the index accepts, in characters; longer input is cut.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Largest page of hits.
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot open index directory: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
}

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    kind: Field,
    municipality: Field,
    date: Field,
    day: Field,
    source: Field,
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
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        kind: b.add_text_field("kind", STRING | STORED),
        municipality: b.add_text_field("municipality", STRING | STORED),
        date: b.add_text_field("date", STORED),
        day: b.add_i64_field("day", NumericOptions::default().set_fast().set_indexed()),
        source: b.add_text_field("source", STORED),
    };
    (b.build(), fields)
}

fn swedish_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Swedish).expect("tantivy ships Swedish stop words"))
        .filter(Stemmer::new(Language::Swedish))
        .build()
}

/// A search: free text plus optional filters and paging.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub kind: Option<String>,
    pub municipality: Option<String>,
    pub limit: usize,
    pub offset: usize,
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
    /// HTML with the matched words in `<b>`; everything else escaped.
    pub snippet: String,
    pub score: f32,
}

/// A page of hits and the total number of matches.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Parts of the query that could not be parsed and were ignored.
    pub warnings: Vec<String>,
}

/// An open search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// True when the index was created empty by this open (new or rebuilt),
    /// so the caller should fill it from the store.
    pub fresh: bool,
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
    /// was written by another index version.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let (schema, fields) = schema();
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
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(mmap, schema)?;
        std::fs::write(&version_path, INDEX_VERSION.to_string())?;
        SearchIndex::with_index(index, fields, fresh)
    }

    /// An index in memory, for tests.
    pub fn in_ram() -> Result<SearchIndex> {
        let (schema, fields) = schema();
        SearchIndex::with_index(Index::create_in_ram(schema), fields, true)
    }

    fn with_index(index: Index, fields: Fields, fresh: bool) -> Result<SearchIndex> {
        index.tokenizers().register(SWEDISH, swedish_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            fresh,
        })
    }

    /// A writer; documents become searchable after [`IndexWriter::commit`].
    pub fn writer(&self) -> Result<IndexWriter<'_>> {
        Ok(IndexWriter {
            inner: self.index.writer(64 * 1024 * 1024)?,
            owner: self,
        })
    }

    /// Number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Run a search. Never fails on bad query syntax: what cannot be parsed
    /// is ignored and reported in [`SearchResults::warnings`].
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let query_text: String = req
            .query
            .chars()
            .take(MAX_QUERY_CHARS)
            .filter(|c| !c.is_control())
            .collect();
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        parser.set_field_boost(f.title, 2.0);
        let (text_query, errors) = parser.parse_query_lenient(&query_text);
        let warnings = errors.iter().map(|e| e.to_string()).collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        for (field, value) in [(f.kind, &req.kind), (f.municipality, &req.municipality)] {
            if let Some(v) = value {
                let term = Term::from_field_text(field, v);
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(limit).and_offset(req.offset), Count),
        )?;
        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, f.body)?;
        snippets.set_max_num_chars(240);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let body = stored_text(&d, f.body).unwrap_or_default();
            let mut snippet = snippets.snippet(&body).to_html();
            if snippet.is_empty() {
                snippet = escape(&body.chars().take(240).collect::<String>());
            }
            hits.push(self.hit(&d, score, snippet));
        }
        Ok(SearchResults {
            total,
            hits,
            warnings,
        })
    }
}

impl SearchIndex {
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
        self.inner.add_document(doc!(
            f.id => doc.id.as_str(),
            f.title => doc.record.title.as_str(),
            f.body => doc.text.as_str(),
            f.kind => doc.record.kind.as_str(),
            f.municipality => doc.record.municipality.as_deref().unwrap_or(""),
            f.date => doc.record.date.map(|d| d.to_string()).unwrap_or_default(),
            f.day => day,
            f.source => doc.source.as_str(),
        ))?;
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
    use kedja_model::{DocKind, Format, Record};

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
                kind: Some("plan".into()),
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
