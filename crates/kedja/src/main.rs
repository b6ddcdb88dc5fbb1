//! `kedja`: the command line of Kedja. Imports documents, searches them,
//! exports the archive and serves the API and web interface.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use kedja_api::{AppState, ServeOptions};
use kedja_model::{CommitmentStatus, DocKind};
use kedja_pipeline::{
    Archive, Direction, FileReport, ImportOptions, ImportReport, NodeId, Outcome, OutcomeKind,
    SearchRequest, Sort, TraceNode,
};

mod commitments;
mod crawl;
mod export;
mod service;

/// Kedja follows Swedish local politics from question to result: it
/// imports interpellations, motions, decisions, plans and follow-up
/// reports, indexes them for Swedish full-text search and links each
/// question to the documents it concerns.
#[derive(Debug, Parser)]
#[command(name = "kedja", version)]
struct Cli {
    /// Directory holding the store (kedja.sqlite) and the search index.
    #[arg(
        long,
        global = true,
        env = "KEDJA_DATA_DIR",
        default_value = "kedja-data"
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import the bundled demo corpus (data/demo), index it and serve the
    /// web interface and API.
    Demo {
        /// Address to serve on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The demo corpus: one folder per municipality.
        #[arg(long, default_value = "data/demo")]
        demo_dir: PathBuf,
        /// The web interface to serve at /.
        #[arg(long, default_value = "web")]
        web_dir: PathBuf,
        /// Import and index only; do not serve.
        #[arg(long)]
        no_serve: bool,
    },
    /// Import files or directories (recursively): plain text, HTML, PDF and
    /// Riksdagen TEI XML. Every file is reported as imported, new version,
    /// unchanged or rejected with the reason.
    Import {
        /// Files or directories to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Municipality of the documents, when the text does not say.
        #[arg(long)]
        municipality: Option<String>,
    },
    /// Search the archive.
    Search {
        /// The query: words, "quoted phrases", -excluded words.
        query: String,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// Number of hits.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Hits to skip.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Only documents of this kind.
        #[arg(
            long,
            value_parser = named(&DocKind::ALL, DocKind::as_str, DocKind::parse)
        )]
        kind: Option<DocKind>,
        /// Only documents from this municipality.
        #[arg(long)]
        municipality: Option<String>,
        /// Only documents with an author of this party (S, M, V, …).
        #[arg(long)]
        party: Option<String>,
        /// Only documents from this body (Kommunstyrelsen, Socialnämnden, …).
        #[arg(long)]
        body: Option<String>,
        /// Dated on or after: a year, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Dated on or before: a year, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        /// The order of the hits.
        #[arg(
            long,
            default_value = "relevance",
            value_parser = named(&Sort::ALL, Sort::as_str, Sort::parse)
        )]
        sort: Sort,
    },
    /// Serve the API and the web interface.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[arg(long, default_value = "web")]
        web_dir: PathBuf,
        /// Reading handles, so that reads run in parallel (default: twice
        /// the cores); 0 serves every read from one handle, one at a time.
        #[arg(long)]
        readers: Option<usize>,
        /// Crawl the sources on this schedule while serving ("6h", "30m",
        /// "1d"): one crawl at a time, progress in the log, searches never
        /// wait for it.
        #[arg(long, value_parser = humantime::parse_duration)]
        crawl_every: Option<std::time::Duration>,
        /// The sources file the scheduled crawls read.
        #[arg(long, default_value = "data/sources.toml")]
        sources: PathBuf,
    },
    /// Write a consistent copy of the store (SQLite's online backup) to
    /// PATH, also while a server or a crawl is writing. The search index
    /// is rebuilt from the store when a data directory holding the copy as
    /// kedja.sqlite is opened.
    Backup {
        /// The file to write (replaced when it exists).
        path: PathBuf,
    },
    /// Rebuild the search index from the store.
    Reindex,
    /// Resolve every document's references to links again.
    Link,
    /// Show the chain around a document as a timeline: what it cites and
    /// what cites it, with the evidence for each link and the references
    /// that are not yet in the archive.
    Trace {
        /// Document id (as shown by search).
        id: String,
        /// Links to follow.
        #[arg(long, default_value_t = 2)]
        depth: usize,
        /// back (what it cites), forward (what cites it) or both.
        #[arg(
            long,
            default_value = "both",
            value_parser = named(&Direction::ALL, Direction::as_str, Direction::parse)
        )]
        direction: Direction,
        #[arg(long)]
        json: bool,
    },
    /// For an interpellation: per question, the passages of linked
    /// decisions, plans and reports that bear on it.
    Brief {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// List commitments: what was promised, by whom, by when, and the
    /// latest report on it. Also lists motions still awaiting a decision a
    /// year after they were filed.
    Commitments {
        /// Only those past their deadline with no report that they are done.
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        municipality: Option<String>,
        /// Only commitments whose latest status is this.
        #[arg(
            long,
            value_parser = named(&CommitmentStatus::ALL, CommitmentStatus::as_str, CommitmentStatus::parse)
        )]
        status: Option<CommitmentStatus>,
        /// Responsible party contains this.
        #[arg(long)]
        body: Option<String>,
        /// The date overdue is judged on (YYYY-MM-DD); today when absent.
        #[arg(long)]
        today: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Crawl municipal websites listed in the sources file, all at once:
    /// polite (robots.txt, one request at a time per host with a pause),
    /// incremental (conditional requests; unchanged content is not
    /// imported again) and resumable (stop it any way; the same command
    /// continues).
    Crawl {
        #[arg(long, default_value = "data/sources.toml")]
        sources: PathBuf,
        /// Only this source (all when absent).
        #[arg(long)]
        source: Option<String>,
        /// Stop after fetching this many URLs per source; the rest stays
        /// queued for the next run.
        #[arg(long)]
        max_pages: Option<u64>,
        /// Recrawl now, even within the source's recrawl interval.
        #[arg(long)]
        recrawl: bool,
        /// Requests in flight at once over all sources (each host is
        /// still asked one request at a time, with its pause).
        #[arg(long, default_value_t = 32)]
        in_flight: usize,
    },
    /// List the sources of the sources file with their last crawl.
    Sources {
        #[arg(long, default_value = "data/sources.toml")]
        sources: PathBuf,
    },
    /// Write every document, reference, link and commitment as JSON Lines.
    Export {
        /// Output file; standard output when absent.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

fn main() {
    service::init_logging();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo {
            addr,
            demo_dir,
            web_dir,
            no_serve,
        } => {
            let mut archive = open(&cli.data_dir)?;
            let report = import_demo(&mut archive, &demo_dir)?;
            print_summary(&report);
            let stats = archive.store().stats()?;
            eprintln!(
                "archive: {} documents, {} references, {} links",
                stats.documents, stats.references, stats.links
            );
            if no_serve {
                return Ok(());
            }
            serve(archive, addr, web_dir, None, None)
        }
        Command::Import {
            paths,
            municipality,
        } => {
            let mut archive = open(&cli.data_dir)?;
            let report = import(
                &mut archive,
                &paths,
                &ImportOptions {
                    municipality,
                    ..Default::default()
                },
            )?;
            print_summary(&report);
            Ok(())
        }
        Command::Search {
            query,
            json,
            limit,
            offset,
            kind,
            municipality,
            party,
            body,
            from,
            to,
            sort,
        } => {
            let date = |v: &Option<String>, end: bool| -> Result<Option<kedja_model::Date>> {
                v.as_deref()
                    .map(|s| {
                        kedja_model::DateRange::parse(s)
                            .map(|r| if end { r.end } else { r.start })
                            .with_context(|| format!("{s:?} is not a year, YYYY-MM or YYYY-MM-DD"))
                    })
                    .transpose()
            };
            let archive = open(&cli.data_dir)?;
            let results = archive.search(&SearchRequest {
                query,
                kind,
                municipality,
                party,
                body,
                from: date(&from, false)?,
                to: date(&to, true)?,
                sort,
                limit,
                offset,
            })?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &export::search_json(&results))?;
                writeln!(out)?;
            } else {
                writeln!(out, "{} träffar", results.total)?;
                for (i, h) in results.hits.iter().enumerate() {
                    let kind = DocKind::parse(&h.kind).map_or("?", DocKind::label_sv);
                    writeln!(
                        out,
                        "{:>3}. {} [{}] {} {} ({})\n     {}\n     {}",
                        offset + i + 1,
                        h.title,
                        kind,
                        h.municipality.as_deref().unwrap_or("–"),
                        h.date.as_deref().unwrap_or(""),
                        h.id,
                        plain_snippet(&h.snippet),
                        h.source,
                    )?;
                }
                if let Some(s) = &results.suggestion {
                    writeln!(out, "Menade du: {s}")?;
                }
                for w in &results.warnings {
                    writeln!(out, "obs: {w}")?;
                }
            }
            Ok(())
        }
        Command::Serve {
            addr,
            web_dir,
            readers,
            crawl_every,
            sources,
        } => {
            let archive = open(&cli.data_dir)?;
            let schedule = crawl_every.map(|every| service::Schedule {
                data_dir: cli.data_dir.clone(),
                sources,
                every,
                options: archive.options().clone(),
            });
            serve(archive, addr, web_dir, readers, schedule)
        }
        Command::Backup { path } => service::backup(&cli.data_dir, &path),
        Command::Reindex => {
            let mut archive = open(&cli.data_dir)?;
            let total = archive.store().stats()?.documents;
            let bar = progress_bar(total, "indexing");
            let n = archive.reindex(&mut |n| bar.set_position(n))?;
            bar.finish_and_clear();
            eprintln!("reindexed {n} documents");
            Ok(())
        }
        Command::Link => {
            let mut archive = open(&cli.data_dir)?;
            let started = std::time::Instant::now();
            let stats = archive.relink_all()?;
            eprintln!(
                "linked {} documents in {:.1} ms: {} links, {} references not yet in the archive",
                stats.documents,
                started.elapsed().as_secs_f64() * 1000.0,
                stats.links,
                stats.unresolved
            );
            Ok(())
        }
        Command::Crawl {
            sources,
            source,
            max_pages,
            recrawl,
            in_flight,
        } => {
            let mut archive = open(&cli.data_dir)?;
            crawl::run(
                &mut archive,
                &sources,
                source.as_deref(),
                &kedja_crawl::CrawlOptions { max_pages, recrawl },
                in_flight,
            )
        }
        Command::Sources { sources } => {
            let archive = open(&cli.data_dir)?;
            crawl::list(&archive, &sources)
        }
        Command::Commitments {
            overdue,
            municipality,
            status,
            body,
            today,
            json,
        } => {
            let archive = open(&cli.data_dir)?;
            let today = commitments::today(today.as_deref())?;
            let mut q = kedja_pipeline::CommitmentQuery::new(today);
            q.overdue = overdue;
            q.municipality = municipality;
            q.body = body;
            q.status = status;
            commitments::list(&archive, &q, json)
        }
        Command::Trace {
            id,
            depth,
            direction,
            json,
        } => {
            let archive = open(&cli.data_dir)?;
            let trace = archive
                .trace(&kedja_model::DocId(id.clone()), depth, direction)?
                .with_context(|| format!("no document {id}"))?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &kedja_api::TraceResponse::from(trace))?;
                writeln!(out)?;
            } else {
                print_trace(&mut out, &trace)?;
                let suggestions = archive.same_topic(&trace.root, 5)?;
                if !suggestions.is_empty() {
                    writeln!(out, "\nSamma ämne (förslag från sökningen, inte länkar)")?;
                    for h in suggestions {
                        writeln!(
                            out,
                            "  {}  {} [{}]",
                            h.date.as_deref().unwrap_or("    –     "),
                            h.title,
                            h.id
                        )?;
                    }
                }
            }
            Ok(())
        }
        Command::Brief { id, json } => {
            let archive = open(&cli.data_dir)?;
            let brief = archive
                .brief(&kedja_model::DocId(id.clone()))?
                .with_context(|| format!("no document {id}"))?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &kedja_api::BriefResponse::new(brief, commitments::today(None)?),
                )?;
                writeln!(out)?;
            } else {
                print_brief(&mut out, &brief)?;
            }
            Ok(())
        }
        Command::Export { out } => {
            let archive = open(&cli.data_dir)?;
            match out {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    let mut w = std::io::BufWriter::new(file);
                    export::jsonl(&archive, &mut w)?;
                    w.flush()?;
                }
                None => {
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    export::jsonl(&archive, &mut w)?;
                    w.flush()?;
                }
            }
            Ok(())
        }
    }
}

fn print_trace(out: &mut impl Write, trace: &kedja_pipeline::Trace) -> Result<()> {
    let title_of = |id: &NodeId| {
        trace
            .nodes
            .iter()
            .find(|n| n.id() == *id)
            .map_or_else(|| id.to_string(), |n| n.title().to_owned())
    };
    writeln!(out, "Tidslinje")?;
    for n in &trace.nodes {
        let date = n
            .date()
            .map(|d| d.to_string())
            .unwrap_or_else(|| "    –     ".into());
        let (marker, note) = match n {
            TraceNode::Document { id, .. } if *id == trace.root => ("▶", ""),
            TraceNode::Document { .. } => (" ", ""),
            TraceNode::Unresolved { .. } => ("?", " (refererad, finns inte i arkivet)"),
        };
        writeln!(
            out,
            "{marker} {date}  {:<20} {}{note}  [{}]",
            n.kind().label_sv(),
            n.title(),
            n.id()
        )?;
    }
    writeln!(out, "\nLänkar")?;
    for e in &trace.edges {
        writeln!(
            out,
            "  {} –{}→ {}",
            title_of(&NodeId::Document(e.from.clone())),
            e.link_type,
            title_of(&e.to)
        )?;
        writeln!(
            out,
            "     {:.2} {}; ”{}”",
            e.confidence,
            e.reason,
            e.evidence.replace('\n', " ")
        )?;
    }
    Ok(())
}

fn print_brief(out: &mut impl Write, brief: &kedja_pipeline::Brief) -> Result<()> {
    writeln!(out, "{}\n", brief.title)?;
    if brief.items.is_empty() {
        writeln!(out, "(inga frågor eller förslag)")?;
    }
    for (i, item) in brief.items.iter().enumerate() {
        writeln!(out, "{}. {}", i + 1, item.question)?;
        if item.passages.is_empty() {
            writeln!(out, "   – inget i arkivet berör frågan")?;
        }
        for p in &item.passages {
            let date = p.date.map(|d| d.to_string());
            let source = [p.body.clone(), date, p.paragraph.clone()]
                .into_iter()
                .flatten()
                .chain([p.doc_id.to_string()])
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(out, "   – {} ({source}):\n     {}", p.title, p.text)?;
            for c in &p.commitments {
                writeln!(out, "     åtagande: {} – {}", c.task, c.status.label_sv())?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

fn open(data_dir: &Path) -> Result<Archive> {
    let archive = Archive::open(
        data_dir,
        &kedja_pipeline::ArchiveOptions::from_environment(),
    )
    .with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    if let Some(damage) = &archive.index().damage {
        eprintln!("note: the search index was damaged ({damage}); rebuilt from the store");
    }
    Ok(archive)
}

fn progress_bar(len: u64, msg: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(msg);
    bar
}

/// Import with a progress bar; one line per file on standard output.
fn import(archive: &mut Archive, paths: &[PathBuf], opts: &ImportOptions) -> Result<ImportReport> {
    let bar = ProgressBar::new_spinner();
    bar.set_message("importing");
    let mut n = 0u64;
    let report = archive.import_paths(paths, opts, &mut |r: &FileReport| {
        n += 1;
        bar.set_message(format!("importing: {n} files"));
        bar.suspend(|| println!("{}", report_line(r)));
    })?;
    bar.finish_and_clear();
    Ok(report)
}

/// The demo corpus has one folder per municipality; the folder name is the
/// municipality of every document in it.
fn import_demo(archive: &mut Archive, demo_dir: &Path) -> Result<ImportReport> {
    if !demo_dir.is_dir() {
        anyhow::bail!(
            "no demo corpus at {} (run from the repository root or pass --demo-dir)",
            demo_dir.display()
        );
    }
    let bar = ProgressBar::new_spinner();
    let mut n = 0u64;
    let report = archive.import_municipality_folders(demo_dir, &mut |r: &FileReport| {
        n += 1;
        bar.set_message(format!("importing: {n} files"));
        bar.suspend(|| println!("{}", report_line(r)));
    })?;
    bar.finish_and_clear();
    Ok(report)
}

/// Reads a flag's value with its type's own `parse`; help and errors list
/// the type's names.
#[derive(Clone)]
struct Named<T> {
    names: Vec<&'static str>,
    parse: fn(&str) -> Option<T>,
}

fn named<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    parse: fn(&str) -> Option<T>,
) -> Named<T> {
    Named {
        names: all.iter().map(|&v| name(v)).collect(),
        parse,
    }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Named<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        if let Some(v) = value.to_str().and_then(self.parse) {
            return Ok(v);
        }
        // clap's own error, which names the flag and lists the names.
        let names = PossibleValuesParser::new(self.names.iter().copied());
        Err(match names.parse_ref(cmd, arg, value) {
            Err(e) => e,
            Ok(_) => clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd),
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().copied().map(PossibleValue::new)))
    }
}

fn report_line(r: &FileReport) -> String {
    // A file name may hold a line break: escaped, it cannot forge a line.
    let source = one_line(&r.source);
    match &r.outcome {
        Outcome::Imported { id, kind, title } => {
            format!(
                "imported    {id} {source} [{}] {}",
                kind.as_str(),
                one_line(title)
            )
        }
        Outcome::NewVersion { id, version } => {
            format!("new version {id} {source} (version {version})")
        }
        Outcome::Unchanged { id } => format!("unchanged   {id} {source}"),
        Outcome::Rejected { reason } => format!("rejected    {source}: {}", one_line(reason)),
    }
}

/// `s` with its control characters (line breaks, escapes) written as
/// escapes, so that it prints on one line and cannot move the cursor.
fn one_line(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_owned();
    }
    s.chars()
        .flat_map(|c| -> Vec<char> {
            if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn print_summary(report: &ImportReport) {
    eprintln!(
        "{} files: {} imported, {} new versions, {} unchanged, {} rejected",
        report.files.len(),
        report.count(OutcomeKind::Imported),
        report.count(OutcomeKind::NewVersion),
        report.count(OutcomeKind::Unchanged),
        report.count(OutcomeKind::Rejected),
    );
}

fn serve(
    archive: Archive,
    addr: SocketAddr,
    web_dir: PathBuf,
    readers: Option<usize>,
    schedule: Option<service::Schedule>,
) -> Result<()> {
    let web_dir = if web_dir.join("index.html").is_file() {
        Some(web_dir)
    } else {
        eprintln!(
            "note: no web interface at {}; serving the API only",
            web_dir.display()
        );
        None
    };
    // Room for deep recursion in a request (the query parser bounds its
    // depth; this is the margin).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(8 * 1024 * 1024)
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
        // The bound address, not the requested one: port 0 asks the system
        // for a free port, and scripts read the URL from this line.
        let addr = listener.local_addr()?;
        eprintln!("Kedja is serving on http://{addr}/ (API at http://{addr}/api/search?q=...); Ctrl-C stops");
        let state = match readers {
            Some(n) => AppState::with_readers(archive, n),
            None => AppState::new(archive),
        };
        if let Some(schedule) = schedule {
            // Runs until the process ends; a crawl under way stops with it
            // and the next run continues where it stopped.
            service::spawn_crawls(schedule, state.clone())?;
        }
        kedja_api::serve_on(listener, state, &ServeOptions { web_dir })
            .await
            .context("server failed")
    })
}

/// The snippet without its `<b>` marks, for the terminal.
fn plain_snippet(html: &str) -> String {
    let text = html
        .replace("<b>", "")
        .replace("</b>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
