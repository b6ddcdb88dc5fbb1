//! `kedja-measure`: Kedja's evaluations against gold files and its
//! benchmarks against peers. Kept apart from the `kedja` binary users run,
//! so that the product carries no database clients, corpus readers or
//! fixture sites.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};
use kedja_measure::gold::Show;
use kedja_measure::{
    bench, bench_crawl, bench_search, bench_serve, eval_commitments, eval_documents, eval_extract,
    eval_links,
};

/// Kedja's measurements: evaluations against gold files (`eval-…`) and
/// benchmarks against peers measured in the same run (`bench-…`). Paths
/// default to the repository's layout; run from its root.
#[derive(Debug, Parser)]
#[command(name = "kedja-measure", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure document understanding on the Riksdagen interpellations:
    /// each TEI body rendered to plain text is understood without the header,
    /// then compared with it (asker, party, addressee, role, date,
    /// questions). Prints precision and recall per field, misses and
    /// throughput.
    EvalExtract {
        #[arg(
            long,
            default_value = "../shared/corpora/riksdagen-interpellations.tar.gz"
        )]
        corpus: PathBuf,
        /// Stop after this many documents.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Time linking: relinking the demo corpus, then a synthetic corpus of N
    /// documents (no store): corpus build, linking every document,
    /// per-document latency and adding one more document.
    BenchLink {
        #[arg(long, default_value_t = 100_000)]
        documents: usize,
        /// A real corpus (one folder per municipality) timed first.
        #[arg(long, default_value = "data/demo")]
        corpus: PathBuf,
    },
    /// Measure search against PostgreSQL's `swedish` text search and
    /// SQLite FTS5 on the Riksdagen interpellations, in one run: MRR@10 and
    /// Success@10 of known-item queries (title topics searched in bodies),
    /// compound recall, build time, p50/p99 latency and size, printed as
    /// ratios. Starts (or installs) PostgreSQL on 127.0.0.1 and stops it.
    BenchSearch {
        #[arg(
            long,
            default_value = "../shared/corpora/riksdagen-interpellations.tar.gz"
        )]
        corpus: PathBuf,
        /// Known-item queries to run (at least 1,000 for stable percentiles).
        #[arg(long, default_value_t = 2000)]
        queries: usize,
        /// Then time Kedja alone on this many documents (real ones plus
        /// recombined real paragraphs); 0 skips it.
        #[arg(long, default_value_t = 0)]
        scale: usize,
        /// Measure Kedja only, without PostgreSQL and SQLite.
        #[arg(long)]
        no_peers: bool,
    },
    /// Score linking against a gold file. The demo's gold (documents and
    /// their links): imports the corpus (one folder per municipality) into a
    /// fresh in-memory archive, links it and prints precision, recall and F1
    /// per link type with the wrong and missing links. A gold file of
    /// citing places (`data/gold/alingsas-links.json`): imports the corpus
    /// and scores each half, with the reliability of the confidence.
    EvalLinks {
        /// The gold file.
        #[arg(long, default_value = "data/demo-gold.json")]
        gold: PathBuf,
        /// The corpus the gold file describes.
        #[arg(long, default_value = "data/demo")]
        corpus: PathBuf,
        /// The municipality of every document (a gold file of places).
        #[arg(long)]
        municipality: Option<String>,
        /// Keep the imported archive in this folder and, when it already
        /// holds documents, relink it instead of importing again (a gold
        /// file of places).
        #[arg(long)]
        data: Option<PathBuf>,
        /// List the wrong and missing links of this half (only the
        /// development half).
        #[arg(long, value_enum)]
        show: Option<Show>,
    },
    /// Score document understanding against a gold file of real documents
    /// (kind, title, body, date, diarienummer, §, and the §§ of whole
    /// protocols), per half: the files are imported under neutral names
    /// into a fresh in-memory archive.
    EvalDocuments {
        #[arg(long, default_value = "data/gold/alingsas-documents.json")]
        gold: PathBuf,
        #[arg(long, default_value = "../shared/corpora/alingsas")]
        corpus: PathBuf,
        /// The municipality of every document.
        #[arg(long)]
        municipality: Option<String>,
        /// List the mistakes of this half (only the development half).
        #[arg(long, value_enum)]
        show: Option<Show>,
        /// Import and score only this half (only the development half).
        #[arg(long, value_enum)]
        only: Option<Show>,
    },
    /// Score commitments and their statuses against a gold file: imports
    /// the corpus into a fresh in-memory archive and prints precision and
    /// recall, with the wrong and missing commitments. A gold file of
    /// commitments alone (`data/gold/alingsas-commitments.json`,
    /// `data/gold/commitments-extra.json`) is scored per half.
    EvalCommitments {
        #[arg(long, default_value = "data/demo-gold.json")]
        gold: PathBuf,
        #[arg(long, default_value = "data/demo")]
        corpus: PathBuf,
        /// The municipality of every document, when the text does not say.
        #[arg(long)]
        municipality: Option<String>,
        /// List the mistakes of this half (only the development half);
        /// the test half's figures are then not printed.
        #[arg(long, value_enum)]
        show: Option<Show>,
    },
    /// Load the API over loopback: N clients with ordinary Swedish
    /// queries and document reads, and a few hostile ones, against the
    /// `kedja` server beside this program with every read behind one lock and with its pool
    /// of readers (and another build's with --server). Prints requests/s,
    /// p50 and p99, errors and the server's CPU use.
    BenchServe {
        #[arg(
            long,
            default_value = "../shared/corpora/riksdagen-interpellations.tar.gz"
        )]
        corpus: PathBuf,
        /// Documents of the corpus in the archive served.
        #[arg(long, default_value_t = 3000)]
        documents: usize,
        /// Clients sending ordinary requests.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Clients sending hostile requests.
        #[arg(long, default_value_t = 4)]
        hostile: usize,
        /// Length of each measured run.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Another build of kedja whose server is measured too.
        #[arg(long)]
        server: Option<PathBuf>,
    },
    /// Time crawling: a generated local site of N pages, politeness off;
    /// pages per second and memory as the crawl goes.
    BenchCrawl {
        #[arg(long, default_value_t = 10_000)]
        pages: usize,
        /// Make every tenth document a council decision on the motion
        /// before it, with an assignment, and report on it four documents
        /// later, so that commitments are tracked as the site grows.
        #[arg(long)]
        with_decisions: bool,
        /// Shape the site like a MeetingPlus portal: meeting pages with
        /// side menus, protocols and agenda attachments, crawled from one
        /// meeting page per body.
        #[arg(long)]
        meetingplus: bool,
        /// Instead: this many sites on loopback ports, each with a pause
        /// per request, crawled one alone and then all at once.
        #[arg(long)]
        hosts: Option<usize>,
        /// With --hosts: documents per site.
        #[arg(long, default_value_t = 5)]
        per_host: usize,
        /// With --hosts: the pause per host, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        pause_ms: u64,
        /// With --hosts: requests in flight at once.
        #[arg(long, default_value_t = 64)]
        in_flight: usize,
    },
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KEDJA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::EvalExtract { corpus, limit } => eval_extract::run(&corpus, limit),
        Command::BenchLink { documents, corpus } => bench::run(documents, &corpus),
        Command::BenchSearch {
            corpus,
            queries,
            scale,
            no_peers,
        } => bench_search::run(&bench_search::Options {
            corpus,
            queries,
            scale,
            peers: !no_peers,
        }),
        Command::EvalLinks {
            gold,
            corpus,
            municipality,
            data,
            show,
        } => eval_links::run_any(&eval_links::Options {
            gold,
            corpus,
            municipality,
            data,
            show,
        }),
        Command::EvalDocuments {
            gold,
            corpus,
            municipality,
            show,
            only,
        } => eval_documents::run(&gold, &corpus, municipality, show, only),
        Command::EvalCommitments {
            gold,
            corpus,
            municipality,
            show,
        } => eval_commitments::run(&gold, &corpus, municipality, show),
        Command::BenchServe {
            corpus,
            documents,
            clients,
            hostile,
            seconds,
            server,
        } => bench_serve::run(&bench_serve::Options {
            corpus,
            documents,
            clients,
            hostile,
            seconds,
            server,
            data_dir: None,
        }),
        Command::BenchCrawl {
            pages,
            with_decisions,
            meetingplus,
            hosts,
            per_host,
            pause_ms,
            in_flight,
        } => match hosts {
            Some(n) => bench_crawl::run_hosts(n, per_host, pause_ms, in_flight),
            None => bench_crawl::run(pages, with_decisions, meetingplus),
        },
    }
}
