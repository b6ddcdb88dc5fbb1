//! `kedja bench-search`: Swedish search measured side by side with
//! PostgreSQL's `swedish` text search and SQLite FTS5 on the Riksdagen
//! interpellations, all in one run on one machine.
//!
//! Relevance: known-item queries made of the "om …" part of each title
//! (topics that occur in one title only), searched against the body, which
//! the title is not part of: MRR@10 and Success@10. Compounds: for a set of
//! short words, the share of the documents that hold the word inside a
//! compound that a search for the word returns. Speed: build time, query
//! latency (p50, p99) for ranked top-10 queries, and index size. Scale:
//! Kedja alone on a corpus made larger by recombining the real paragraphs.
//!
//! PostgreSQL runs as a private cluster on 127.0.0.1 in a temporary
//! directory, started and stopped by this command (installed from the
//! distribution's packages when missing).

use std::collections::{HashMap, HashSet};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kedja_compound::Lexicon;
use kedja_index::{SearchIndex, SearchRequest};
use kedja_model::{DocId, DocKind, Document, Format, Record};

use crate::bench::percentile;
use crate::bench_crawl::rss_kib;

/// Short words whose compounds the compound test looks for: common heads
/// and modifiers of Swedish political vocabulary.
const COMPOUND_WORDS: &[&str] = &[
    "våld",
    "skola",
    "plan",
    "barn",
    "vård",
    "miljö",
    "skatt",
    "polis",
    "bostad",
    "järnväg",
    "energi",
    "arbete",
    "trafik",
    "kvinna",
    "försvar",
    "jobb",
    "mål",
    "lag",
    "klimat",
    "brott",
    "handel",
    "kultur",
    "stöd",
    "hälsa",
    "avtal",
];

/// Inflectional endings: a word that is a short word plus one of these is
/// an inflection of it ("planerna"), not a compound.
const INFLECTIONS: &[&str] = &[
    "", "s", "n", "ns", "na", "nas", "en", "ens", "et", "ets", "er", "ers", "erna", "ernas", "ar",
    "ars", "arna", "arnas", "or", "ors", "orna", "ornas", "r", "rs", "rna", "rnas", "e", "es", "t",
    "ts", "a", "as", "ade", "at", "ande", "are",
];

#[derive(Debug)]
pub struct Options {
    pub corpus: PathBuf,
    pub queries: usize,
    pub scale: usize,
    pub peers: bool,
}

/// One interpellation: id, the topic of its title, and its body in
/// paragraphs.
struct Item {
    id: String,
    topic: String,
    paragraphs: Vec<String>,
}

impl Item {
    fn body(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// The documents that hold one short word inside a compound.
struct Truth {
    word: String,
    /// Document id → the compounds it holds.
    docs: HashMap<String, Vec<String>>,
    /// The most frequent compounds.
    examples: Vec<String>,
}

/// One system's answers to the benchmark.
#[derive(Default)]
struct Scores {
    name: &'static str,
    build: Duration,
    bytes: u64,
    reciprocal_ranks: f64,
    found: usize,
    asked: usize,
    latencies_ms: Vec<f64>,
    compound_hits: usize,
    compound_total: usize,
    /// Per word: found, total, the most frequent compounds of the
    /// documents not found.
    per_word: Vec<(usize, usize, Vec<String>)>,
}

impl Scores {
    fn mrr(&self) -> f64 {
        self.reciprocal_ranks / self.asked.max(1) as f64
    }
    fn success(&self) -> f64 {
        self.found as f64 / self.asked.max(1) as f64
    }
    fn p(&self, q: f64) -> f64 {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        percentile(&sorted, q)
    }
    fn compound_recall(&self) -> f64 {
        self.compound_hits as f64 / self.compound_total.max(1) as f64
    }
    fn record_rank(&mut self, rank: Option<usize>) {
        self.asked += 1;
        if let Some(r) = rank {
            self.found += 1;
            self.reciprocal_ranks += 1.0 / (r + 1) as f64;
        }
    }
}

/// A searchable system under test.
trait System {
    /// Ids of the top ten documents for `topic`.
    fn top10(&mut self, topic: &str) -> Result<Vec<String>>;
    /// Ids of every document a search for `word` returns.
    fn all(&mut self, word: &str) -> Result<HashSet<String>>;
}

pub fn run(opts: &Options) -> Result<()> {
    let started = Instant::now();
    let items = load(&opts.corpus)?;
    let words: usize = items
        .iter()
        .flat_map(|i| &i.paragraphs)
        .map(|p| p.split_whitespace().count())
        .sum();
    println!(
        "corpus: {} interpellations, {} words, read in {:.1} s",
        items.len(),
        words,
        started.elapsed().as_secs_f64()
    );
    let queries = known_item_queries(&items, opts.queries);
    println!(
        "known-item queries: {} (topics of one title only, searched against the body)",
        queries.len()
    );
    let truth = compound_truth(&items);
    let word_list: Option<Vec<String>> = kedja_pipeline::ArchiveOptions::from_environment()
        .word_list
        .map(|w| w.iter().cloned().collect());
    let (mode, other) = word_list_modes();
    println!(
        "word list: {mode}, {}",
        word_list.as_ref().map_or(
            "none (parts are words seen twice in the corpus)".to_string(),
            |w| { format!("{} words", w.len()) }
        )
    );

    let scratch = tempfile::tempdir()?;
    let mut results = Vec::new();

    let (mut kedja, build) = KedjaSystem::build(
        &scratch.path().join("kedja"),
        &items,
        word_list.clone(),
        512,
    )?;
    let kedja_size = dir_size(&scratch.path().join("kedja"));
    results.push(measure(
        "Kedja", &mut kedja, build, kedja_size, &queries, &truth,
    )?);
    // The same index answering with the ranking alone, as the peers do.
    kedja.ranking_only = true;
    results.push(measure(
        "Kedja ranking only",
        &mut kedja,
        build,
        kedja_size,
        &queries,
        &truth,
    )?);
    drop(kedja);

    // The other word list, measured the same way: the shipped list (what
    // a fresh machine uses) against Debian's wswedish, when installed.
    let mut other_scores = None;
    if let Some((name, words)) = other {
        let dir = scratch.path().join("kedja-other");
        let (mut system, build) = KedjaSystem::build(&dir, &items, Some(words), 512)?;
        let size = dir_size(&dir);
        other_scores = Some(measure(name, &mut system, build, size, &queries, &truth)?);
        drop(system);
        std::fs::remove_dir_all(&dir)?;
    }

    if opts.peers {
        let path = scratch.path().join("fts5.sqlite");
        let (mut fts, build) = Fts5::build(&path, &items)?;
        results.push(measure(
            "SQLite FTS5",
            &mut fts,
            build,
            dir_size(&path),
            &queries,
            &truth,
        )?);
        drop(fts);

        let pg = Postgres::start(scratch.path())?;
        let (mut client, build, bytes) = pg.load(&items)?;
        results.push(measure(
            "PostgreSQL swedish",
            &mut client,
            build,
            bytes,
            &queries,
            &truth,
        )?);
        drop(client);
        pg.stop();
    }
    report(&results, &truth);
    if let (Some(other), Some(main)) = (&other_scores, results.first()) {
        println!();
        println!(
            "word lists: {mode}: MRR@10 {:.3}, compound recall {:.3}; {}: MRR@10 {:.3}, \
             compound recall {:.3}; difference MRR@10 {:+.3}, compound recall {:+.3}",
            main.mrr(),
            main.compound_recall(),
            other.name,
            other.mrr(),
            other.compound_recall(),
            other.mrr() - main.mrr(),
            other.compound_recall() - main.compound_recall(),
        );
        println!(
            "compound recall per word where the word lists differ (most frequent compounds missed):"
        );
        for (i, t) in truth.iter().enumerate() {
            let (a, total, a_missed) = &main.per_word[i];
            let (b, _, b_missed) = &other.per_word[i];
            if a != b {
                println!(
                    "  {:<8} {mode} {a}/{total} (missed: {})  {} {b}/{total} (missed: {})",
                    t.word,
                    a_missed.join(", "),
                    other.name,
                    b_missed.join(", ")
                );
            }
        }
    }

    if opts.scale > 0 {
        scale(opts.scale, &items, &queries, word_list, scratch.path())?;
    }
    println!("total {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The word list `KEDJA_WORDLIST` chose (see [`kedja_pipeline::ArchiveOptions::from_environment`]), by name, and the other
/// one to compare it with: the shipped list against the system list
/// (`/usr/share/dict/swedish`, when installed), or the shipped list when
/// `KEDJA_WORDLIST` chose another.
fn word_list_modes() -> (String, Option<(&'static str, Vec<String>)>) {
    let system = || {
        std::fs::read(kedja_pipeline::SYSTEM_WORD_LIST)
            .ok()
            .map(|b| kedja_compound::read_word_list(&b))
            .filter(|w| !w.is_empty())
    };
    match std::env::var("KEDJA_WORDLIST") {
        Err(_) => (
            "shipped list".into(),
            system().map(|w| ("Kedja, system list", w)),
        ),
        Ok(v) if v == "bundled" => (
            "shipped list".into(),
            system().map(|w| ("Kedja, system list", w)),
        ),
        Ok(v) => (
            format!("KEDJA_WORDLIST={v:?}"),
            Some(("Kedja, shipped list", kedja_compound::bundled_word_list())),
        ),
    }
}

fn measure(
    name: &'static str,
    system: &mut dyn System,
    build: Duration,
    bytes: u64,
    queries: &[(String, String)],
    truth: &[Truth],
) -> Result<Scores> {
    let mut s = Scores {
        name,
        build,
        bytes,
        ..Scores::default()
    };
    // Warm up caches on a slice of the queries, as a running service is.
    for (topic, _) in queries.iter().take(100) {
        system.top10(topic)?;
    }
    for (topic, target) in queries {
        let t = Instant::now();
        let top = system.top10(topic)?;
        s.latencies_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        s.record_rank(top.iter().position(|id| id == target));
    }
    for t in truth {
        let got = system.all(&t.word)?;
        let mut missed: HashMap<&str, usize> = HashMap::new();
        let mut hits = 0;
        for (doc, compounds) in &t.docs {
            if got.contains(doc) {
                hits += 1;
            } else {
                for c in compounds {
                    *missed.entry(c).or_default() += 1;
                }
            }
        }
        let mut missed: Vec<(&str, usize)> = missed.into_iter().collect();
        missed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        s.compound_hits += hits;
        s.compound_total += t.docs.len();
        s.per_word.push((
            hits,
            t.docs.len(),
            missed
                .into_iter()
                .take(4)
                .map(|(w, _)| w.to_owned())
                .collect(),
        ));
    }
    println!(
        "{name}: built in {:.1} s, MRR@10 {:.3}, compound recall {:.3}",
        build.as_secs_f64(),
        s.mrr(),
        s.compound_recall()
    );
    Ok(s)
}

fn report(results: &[Scores], truth: &[Truth]) {
    println!();
    println!(
        "{:<20} {:>8} {:>10} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "system", "MRR@10", "Success@10", "compound", "p50 ms", "p99 ms", "build s", "size MiB"
    );
    for s in results {
        println!(
            "{:<20} {:>8.3} {:>10.3} {:>9.3} {:>9.2} {:>9.2} {:>9.1} {:>10.1}",
            s.name,
            s.mrr(),
            s.success(),
            s.compound_recall(),
            s.p(0.5),
            s.p(0.99),
            s.build.as_secs_f64(),
            s.bytes as f64 / (1024.0 * 1024.0)
        );
    }
    if let [kedja, ranking, peers @ ..] = results {
        for peer in peers {
            println!(
                "{} / Kedja: latency p50 {:.1}x, p99 {:.1}x (ranking only: p50 {:.1}x, p99 {:.1}x); \
                 build time {:.2}x; Kedja's MRR@10 {:+.3}, compound recall {:+.3}",
                peer.name,
                peer.p(0.5) / kedja.p(0.5),
                peer.p(0.99) / kedja.p(0.99),
                peer.p(0.5) / ranking.p(0.5),
                peer.p(0.99) / ranking.p(0.99),
                peer.build.as_secs_f64() / kedja.build.as_secs_f64(),
                kedja.mrr() - peer.mrr(),
                kedja.compound_recall() - peer.compound_recall(),
            );
        }
    }
    println!();
    println!(
        "compound recall per word: documents with the word inside a compound found by each \
         system; the most frequent compounds; those in documents Kedja missed"
    );
    for (i, t) in truth.iter().enumerate() {
        let cells: Vec<String> = results
            .iter()
            .map(|s| {
                let (hits, total, _) = &s.per_word[i];
                format!(
                    "{} {hits}/{total}",
                    s.name.split_whitespace().next().unwrap_or("")
                )
            })
            .collect();
        let missed = results
            .first()
            .map(|s| s.per_word[i].2.join(", "))
            .unwrap_or_default();
        println!(
            "  {:<8} {}  e.g. {}  missed: {}",
            t.word,
            cells.join("  "),
            t.examples.join(", "),
            missed
        );
    }
}

/// Read every interpellation of the corpus: the topic from the title in
/// the header, the body from `ipqBody` (the argument and the questions,
/// without the title heading).
fn load(corpus: &Path) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    kedja_tests::riksdagen::for_each_xml(corpus, |name, raw| {
        let xml = String::from_utf8_lossy(raw);
        let Ok(doc) = roxmltree::Document::parse(&xml) else {
            return Ok(true);
        };
        let id = name.trim_end_matches(".xml").to_owned();
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("bibl"))
            .and_then(|b| b.children().find(|n| n.has_tag_name("title")))
            .and_then(|t| t.text())
            .unwrap_or("");
        let topic = title
            .rfind(" om ")
            .map(|i| title[i + 4..].trim().to_owned())
            .unwrap_or_default();
        let Some(body) = doc
            .descendants()
            .find(|n| n.attribute("type") == Some("ipqBody"))
        else {
            return Ok(true);
        };
        let paragraphs: Vec<String> = body
            .descendants()
            .filter(|n| n.has_tag_name("p") || n.has_tag_name("item") || n.has_tag_name("head"))
            .filter(|n| {
                !n.ancestors()
                    .skip(1)
                    .any(|a| a.has_tag_name("p") || a.has_tag_name("item"))
            })
            .map(|n| {
                n.descendants()
                    .filter_map(|t| t.text())
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|p| !p.is_empty())
            .collect();
        if paragraphs.is_empty() {
            return Ok(true);
        }
        items.push(Item {
            id,
            topic,
            paragraphs,
        });
        Ok(true)
    })?;
    if items.is_empty() {
        bail!("no interpellations in {}", corpus.display());
    }
    Ok(items)
}

/// Up to `n` (topic, target id) pairs, spread evenly over the corpus: topics
/// with a word of three letters or more that no other title shares.
fn known_item_queries(items: &[Item], n: usize) -> Vec<(String, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in items {
        *seen.entry(item.topic.to_lowercase()).or_default() += 1;
    }
    let unique: Vec<&Item> = items
        .iter()
        .filter(|i| seen[&i.topic.to_lowercase()] == 1)
        .filter(|i| i.topic.split_whitespace().any(|w| w.chars().count() >= 3))
        .collect();
    let step = (unique.len() / n.max(1)).max(1);
    unique
        .iter()
        .step_by(step)
        .take(n)
        .map(|i| (i.topic.clone(), i.id.clone()))
        .collect()
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Derivational suffixes: a short word followed by one of these is a
/// derivation ("våldsam", "planering", "kvinnlig"), not a compound.
const DERIVATIONS: &[&str] = &[
    "ande", "bar", "dom", "ell", "else", "ende", "era", "ering", "het", "isk", "ism", "ist", "lig",
    "ling", "mässig", "nad", "ning", "sam", "skap",
];

/// How often the other word of a compound must occur alone in the corpus:
/// often enough that a fragment of a hyphenated or misread word does not
/// count.
const MIN_ALONE: u32 = 20;

/// For each of [`COMPOUND_WORDS`]: the documents holding it inside a
/// compound, and the most frequent such compounds. A compound here is a
/// word of the text made of the short word and another word of at least
/// three letters seen alone at least [`MIN_ALONE`] times in the corpus (an s
/// between them allowed): "hedersvåldet" (another word, then the short
/// word in an inflection) or "våldsförebyggande" (the short word, or it
/// without a final a or e as in "skol-", then another word). Not counted:
/// inflections of the short word, derivations (the other word starts
/// with a derivational suffix), function words and verb particles as the
/// other word ("förslag", "uppskatta"), and the lexicalised words of
/// `kedja_compound::EXCEPTIONS` ("våldtäkt"). The definition does not
/// use Kedja's splitter, its lexicon or the word list.
fn compound_truth(items: &[Item]) -> Vec<Truth> {
    let mut alone: HashMap<String, u32> = HashMap::new();
    let mut doc_words: Vec<HashSet<String>> = Vec::with_capacity(items.len());
    for item in items {
        let mut set = HashSet::new();
        for p in &item.paragraphs {
            for w in words(p) {
                *alone.entry(w.clone()).or_default() += 1;
                set.insert(w);
            }
        }
        doc_words.push(set);
    }
    let is_word = |w: &str| {
        w.chars().count() >= 3
            && alone.get(w).is_some_and(|n| *n >= MIN_ALONE)
            && !kedja_compound::is_function_word(w)
    };
    // The other word, after an optional linking s.
    let other = |w: &str| is_word(w) || w.strip_suffix('s').is_some_and(is_word);
    let other_head = |w: &str| {
        let derived = |x: &str| DERIVATIONS.iter().any(|d| x.starts_with(d));
        (is_word(w) && !derived(w))
            || w.strip_prefix('s')
                .is_some_and(|x| is_word(x) && !derived(x))
    };
    let mut out = Vec::new();
    for &short in COMPOUND_WORDS {
        let mut modifiers = vec![short.to_owned()];
        if let Some(stem) = short.strip_suffix('a').or_else(|| short.strip_suffix('e')) {
            modifiers.push(stem.to_owned());
        }
        let inflected = |w: &str| {
            modifiers.iter().any(|m| {
                w.strip_prefix(m.as_str())
                    .is_some_and(|rest| INFLECTIONS.contains(&rest))
            })
        };
        let mut known: HashMap<String, bool> = HashMap::new();
        let mut is_compound = |w: &str| -> bool {
            if let Some(yes) = known.get(w) {
                return *yes;
            }
            let yes = !inflected(w)
                && !kedja_compound::EXCEPTIONS.contains(&w)
                && (INFLECTIONS.iter().any(|inf| {
                    w.strip_suffix(inf)
                        .and_then(|x| x.strip_suffix(short))
                        .is_some_and(&other)
                }) || modifiers
                    .iter()
                    .any(|m| w.strip_prefix(m.as_str()).is_some_and(other_head)));
            known.insert(w.to_owned(), yes);
            yes
        };
        let mut docs: HashMap<String, Vec<String>> = HashMap::new();
        let mut examples: HashMap<String, usize> = HashMap::new();
        for (item, set) in items.iter().zip(&doc_words) {
            let mut found = Vec::new();
            for w in set
                .iter()
                .filter(|w| w.contains(modifiers.last().map_or(short, String::as_str)))
            {
                if w.chars().count() > short.chars().count() + 2 && is_compound(w) {
                    found.push(w.clone());
                    *examples.entry(w.clone()).or_default() += 1;
                }
            }
            if !found.is_empty() {
                docs.insert(item.id.clone(), found);
            }
        }
        let mut examples: Vec<(String, usize)> = examples.into_iter().collect();
        examples.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let examples = examples.into_iter().take(4).map(|(w, _)| w).collect();
        out.push(Truth {
            word: short.to_owned(),
            docs,
            examples,
        });
    }
    out
}

fn dir_size(path: &Path) -> u64 {
    if path.is_file() {
        return path.metadata().map(|m| m.len()).unwrap_or(0);
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| dir_size(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

fn document(id: &str, body: String) -> Document {
    Document {
        id: DocId(id.to_owned()),
        source: id.to_owned(),
        format: Format::Tei,
        extractor: "tei".into(),
        content_hash: id.to_owned(),
        version: 1,
        imported_at: time::OffsetDateTime::UNIX_EPOCH,
        text: body,
        record: Record {
            kind: DocKind::Interpellation,
            ..Record::default()
        },
    }
}

/// Gives every document (id, body) to the function it is called with.
type DocSource<'a> = dyn FnMut(&mut dyn FnMut(&str, String) -> Result<()>) -> Result<()> + 'a;

struct KedjaSystem {
    index: SearchIndex,
    /// Answer top-10 queries with the ranking alone (ids), as the peers
    /// do, instead of the full response (total, facets, snippets).
    ranking_only: bool,
}

impl KedjaSystem {
    /// Build the index of `docs` (id, body) in `dir`: count the compound
    /// lexicon, then index. `memory_mib` is the writer's buffer.
    fn build_from(
        dir: &Path,
        docs: &mut DocSource<'_>,
        word_list: Option<Vec<String>>,
        memory_mib: usize,
    ) -> Result<(KedjaSystem, Duration)> {
        let started = Instant::now();
        let mut index = SearchIndex::open(dir)?;
        if let Some(words) = word_list {
            index.set_dictionary(kedja_index::dictionary(words));
        }
        let mut lexicon = Lexicon::new();
        let mut n = 0u64;
        docs(&mut |_, body| {
            lexicon.add_text(&body);
            n += 1;
            Ok(())
        })?;
        index.set_lexicon(lexicon, n)?;
        println!(
            "Kedja: compound lexicon counted in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let mut writer = index.writer_with_memory(memory_mib * 1024 * 1024)?;
        docs(&mut |id, body| {
            writer.upsert(&document(id, body))?;
            Ok(())
        })?;
        writer.commit()?;
        Ok((
            KedjaSystem {
                index,
                ranking_only: false,
            },
            started.elapsed(),
        ))
    }

    fn build(
        dir: &Path,
        items: &[Item],
        word_list: Option<Vec<String>>,
        memory_mib: usize,
    ) -> Result<(KedjaSystem, Duration)> {
        KedjaSystem::build_from(
            dir,
            &mut |f| {
                for item in items {
                    f(&item.id, item.body())?;
                }
                Ok(())
            },
            word_list,
            memory_mib,
        )
    }
}

impl System for KedjaSystem {
    fn top10(&mut self, topic: &str) -> Result<Vec<String>> {
        if self.ranking_only {
            let ids = self.index.top_ids(topic, 10)?;
            return Ok(ids.into_iter().map(|id| id.0).collect());
        }
        let r = self.index.search(&SearchRequest {
            query: topic.to_owned(),
            limit: 10,
            ..SearchRequest::default()
        })?;
        Ok(r.hits.into_iter().map(|h| h.id.0).collect())
    }

    fn all(&mut self, word: &str) -> Result<HashSet<String>> {
        Ok(self
            .index
            .matching_ids(word)?
            .into_iter()
            .map(|id| id.0)
            .collect())
    }
}

/// SQLite FTS5 with its default tokenizer (unicode61) and bm25 ranking.
struct Fts5 {
    conn: rusqlite::Connection,
}

impl Fts5 {
    fn build(path: &Path, items: &[Item]) -> Result<(Fts5, Duration)> {
        let started = Instant::now();
        let mut conn = rusqlite::Connection::open(path)?;
        conn.execute_batch("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body);")?;
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare("INSERT INTO docs (id, body) VALUES (?1, ?2)")?;
            for item in items {
                insert.execute(rusqlite::params![item.id, item.body()])?;
            }
        }
        tx.commit()?;
        conn.execute_batch("INSERT INTO docs(docs) VALUES('optimize');")?;
        Ok((Fts5 { conn }, started.elapsed()))
    }

    /// The words of `text` as an FTS5 OR query ("a" OR "b"): any word may
    /// match, bm25 ranks, as the other systems do.
    fn match_expr(text: &str) -> String {
        words(text)
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" OR ")
    }
}

impl System for Fts5 {
    fn top10(&mut self, topic: &str) -> Result<Vec<String>> {
        let expr = Fts5::match_expr(topic);
        if expr.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10")?;
        let ids = stmt
            .query_map([expr], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    fn all(&mut self, word: &str) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM docs WHERE docs MATCH ?1")?;
        let ids = stmt
            .query_map([Fts5::match_expr(word)], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<HashSet<_>>>()?;
        Ok(ids)
    }
}

/// A private PostgreSQL cluster in a temporary directory, listening on
/// 127.0.0.1 only.
struct Postgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    /// Run the server's commands as this user (PostgreSQL refuses root).
    user: Option<&'static str>,
}

impl Postgres {
    fn start(scratch: &Path) -> Result<Postgres> {
        let bin = match find_postgres() {
            Some(bin) => bin,
            None => {
                println!("PostgreSQL not found: installing the distribution's package");
                install_postgres()?;
                find_postgres().context("PostgreSQL is still not installed")?
            }
        };
        let root = is_root();
        let dir = scratch.join("pg");
        std::fs::create_dir_all(&dir)?;
        let user = if root { Some("postgres") } else { None };
        if let Some(user) = user {
            let status = Command::new("chown")
                .args(["-R", user])
                .arg(&dir)
                .status()?;
            if !status.success() {
                bail!("cannot give {} to {user}", dir.display());
            }
            // The user must reach the directory through the scratch dir.
            let _ = Command::new("chmod").arg("755").arg(scratch).status();
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let pg = Postgres {
            bin,
            data: dir.join("data"),
            port,
            user,
        };
        pg.run(
            "initdb",
            &[
                "-D",
                &pg.data.to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "kedja",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        )?;
        let options = format!(
            "-h 127.0.0.1 -p {port} -k {} -c maintenance_work_mem=512MB -c shared_buffers=512MB",
            dir.display()
        );
        pg.run(
            "pg_ctl",
            &[
                "-D",
                &pg.data.to_string_lossy(),
                "-l",
                &dir.join("log").to_string_lossy(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        )?;
        println!(
            "PostgreSQL {} started on 127.0.0.1:{port}",
            pg.bin.display()
        );
        Ok(pg)
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<()> {
        let exe = self.bin.join(program);
        let mut cmd = match self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let out = cmd.args(args).output()?;
        if !out.status.success() {
            bail!(
                "{program} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(())
    }

    fn connect(&self) -> Result<postgres::Client> {
        Ok(postgres::Client::connect(
            &format!(
                "host=127.0.0.1 port={} user=kedja dbname=postgres",
                self.port
            ),
            postgres::NoTls,
        )?)
    }

    /// Load the documents, compute their `swedish` tsvectors and build
    /// the GIN index; the time and the table's size on disk.
    fn load(&self, items: &[Item]) -> Result<(PgSystem, Duration, u64)> {
        let started = Instant::now();
        let mut client = self.connect()?;
        client.batch_execute(
            "CREATE TABLE docs (id text PRIMARY KEY, body text NOT NULL,
               tsv tsvector GENERATED ALWAYS AS (to_tsvector('swedish', body)) STORED)",
        )?;
        {
            let mut w = client.copy_in("COPY docs (id, body) FROM STDIN")?;
            use std::io::Write;
            for item in items {
                let body = item
                    .body()
                    .replace('\\', "\\\\")
                    .replace('\t', "\\t")
                    .replace('\n', "\\n")
                    .replace('\r', "\\r");
                writeln!(w, "{}\t{}", item.id, body)?;
            }
            w.finish()?;
        }
        client.batch_execute("CREATE INDEX docs_tsv ON docs USING gin (tsv); ANALYZE docs;")?;
        let elapsed = started.elapsed();
        let bytes: i64 = client
            .query_one("SELECT pg_total_relation_size('docs')", &[])?
            .get(0);
        let top = client.prepare(
            "SELECT id FROM docs, to_tsquery('swedish', $1) q WHERE tsv @@ q
             ORDER BY ts_rank(tsv, q) DESC LIMIT 10",
        )?;
        let all = client.prepare("SELECT id FROM docs WHERE tsv @@ to_tsquery('swedish', $1)")?;
        Ok((PgSystem { client, top, all }, elapsed, bytes as u64))
    }

    fn stop(self) {
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data.to_string_lossy(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        );
        println!("PostgreSQL stopped");
    }
}

struct PgSystem {
    client: postgres::Client,
    top: postgres::Statement,
    all: postgres::Statement,
}

/// The words of `text` as a `to_tsquery` OR query: any word may match,
/// `ts_rank` ranks.
fn tsquery(text: &str) -> String {
    words(text).collect::<Vec<_>>().join(" | ")
}

impl System for PgSystem {
    fn top10(&mut self, topic: &str) -> Result<Vec<String>> {
        let q = tsquery(topic);
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.client.query(&self.top, &[&q])?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }

    fn all(&mut self, word: &str) -> Result<HashSet<String>> {
        let rows = self.client.query(&self.all, &[&tsquery(word)])?;
        Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The directory of `initdb` and `pg_ctl`: the newest
/// `/usr/lib/postgresql/*/bin` (Debian), else `pg_config --bindir`.
fn find_postgres() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).or_else(|| {
        let out = Command::new("pg_config").arg("--bindir").output().ok()?;
        let bin = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        bin.join("initdb").exists().then_some(bin)
    })
}

fn install_postgres() -> Result<()> {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo", "-n"] };
    for args in [
        vec!["apt-get", "update", "-qq"],
        vec!["apt-get", "install", "-y", "-qq", "postgresql"],
    ] {
        let all: Vec<&str> = sudo.iter().copied().chain(args).collect();
        let status = Command::new(all[0])
            .args(&all[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("cannot run apt-get")?;
        if !status.success() {
            bail!("installing PostgreSQL failed ({})", all.join(" "));
        }
    }
    Ok(())
}

/// Kedja alone on `n` documents: the real ones plus documents made of
/// 2–6 real paragraphs drawn at random (seeded, so every run builds the
/// same corpus). The same known-item queries, now among many more
/// documents that share their words.
fn scale(
    n: usize,
    items: &[Item],
    queries: &[(String, String)],
    word_list: Option<Vec<String>>,
    scratch: &Path,
) -> Result<()> {
    println!();
    println!(
        "scale: {n} documents ({} real, the rest recombined paragraphs)",
        items.len().min(n)
    );
    let paragraphs: Vec<&str> = items
        .iter()
        .flat_map(|i| i.paragraphs.iter().map(String::as_str))
        .collect();
    let dir = scratch.join("kedja-scale");
    let rss_before = rss_kib("VmRSS");
    let mut generate = |f: &mut dyn FnMut(&str, String) -> Result<()>| -> Result<()> {
        for item in items.iter().take(n) {
            f(&item.id, item.body())?;
        }
        let mut rng = fastrand::Rng::with_seed(2024);
        let mut last_report = Instant::now();
        for i in items.len()..n {
            let k = rng.usize(2..=6);
            let body: Vec<&str> = (0..k)
                .map(|_| paragraphs[rng.usize(..paragraphs.len())])
                .collect();
            f(&format!("synthetic-{i}"), body.join("\n\n"))?;
            if last_report.elapsed() > Duration::from_secs(30) {
                eprintln!("  {i} documents");
                last_report = Instant::now();
            }
        }
        Ok(())
    };
    let (mut kedja, build) = KedjaSystem::build_from(&dir, &mut generate, word_list, 1024)?;
    let built_rss = rss_kib("VmHWM");
    println!(
        "Kedja at {n}: built in {:.0} s ({:.0} documents/s), index {:.0} MiB on disk, \
         peak memory during the build {:.0} MiB (before it {:.0} MiB)",
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64(),
        dir_size(&dir) as f64 / (1024.0 * 1024.0),
        built_rss as f64 / 1024.0,
        rss_before as f64 / 1024.0,
    );
    for ranking_only in [false, true] {
        kedja.ranking_only = ranking_only;
        let mut latencies = Vec::with_capacity(queries.len());
        let mut s = Scores::default();
        for (topic, _) in queries.iter().take(100) {
            kedja.top10(topic)?;
        }
        for (topic, target) in queries {
            let t = Instant::now();
            let top = kedja.top10(topic)?;
            latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            s.record_rank(top.iter().position(|id| id == target));
        }
        latencies.sort_by(f64::total_cmp);
        println!(
            "  {}: {} queries p50 {:.2} ms, p99 {:.2} ms; MRR@10 {:.3}, Success@10 {:.3}; \
             resident memory {:.0} MiB (the index is memory-mapped)",
            if ranking_only {
                "ranking only (top 10 ids)"
            } else {
                "full response (total, facets, snippets)"
            },
            latencies.len(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99),
            s.mrr(),
            s.success(),
            rss_kib("VmRSS") as f64 / 1024.0,
        );
    }
    Ok(())
}
