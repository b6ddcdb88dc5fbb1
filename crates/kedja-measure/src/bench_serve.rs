//! `kedja bench-serve`: load on the API over loopback. N clients send
//! ordinary Swedish queries, document reads and health checks, while a few
//! hostile clients send long misspelled queries (the spelling suggestions'
//! worst case), deeply nested groups and long OR chains. The server is this
//! program's `serve` in a child process, run twice over the same Riksdagen
//! archive: with every read behind one lock (`--readers 0`, as the server
//! used to read) and with its pool of reading handles, so the ratio comes
//! from one run. Printed per run: requests per second, p50 and p99 of the
//! ordinary and the hostile requests, errors (5xx, broken connections) and
//! the server's CPU use in cores. `--server BIN` measures another build's
//! `serve` as a third peer.
//!
//! The HTTP client is written by hand (one GET shape over keep-alive,
//! Content-Length bodies, which is all the API answers): a client crate's
//! pooling and buffering would be measured along with the server.

use std::path::{Path, PathBuf};
use std::process::Command;

use kedja_tests::served::Served;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use kedja_pipeline::{Archive, ImportOptions};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What `bench-serve` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub corpus: PathBuf,
    pub documents: usize,
    pub clients: usize,
    pub hostile: usize,
    pub seconds: u64,
    /// Another `kedja` binary whose `serve` is measured too.
    pub server: Option<PathBuf>,
    /// Where the archive is built (kept between runs).
    pub data_dir: Option<PathBuf>,
}

/// The `kedja` binary built beside this one (`target/release/kedja` for
/// `target/release/kedja-measure`): the server measured is the product's.
fn kedja_beside_me() -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    let kedja = me.with_file_name(format!("kedja{}", std::env::consts::EXE_SUFFIX));
    if !kedja.is_file() {
        bail!(
            "no kedja binary at {} to serve; build both first: cargo build --release --workspace",
            kedja.display()
        );
    }
    Ok(kedja)
}

pub fn run(opts: &Options) -> Result<()> {
    let dir = opts.data_dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("kedja-bench-serve-{}", opts.documents))
    });
    let (ids, titles) = prepare(&dir, &opts.corpus, opts.documents)?;
    let workload = Arc::new(Workload::new(&titles, ids));
    println!(
        "archive: {} documents of {} in {}; {} ordinary clients, {} hostile, {} s per run",
        workload.ids.len(),
        opts.corpus.display(),
        dir.display(),
        opts.clients,
        opts.hostile,
        opts.seconds
    );
    let me = kedja_beside_me()?;
    let mut peers: Vec<(String, PathBuf, Vec<String>)> = vec![
        (
            "one lock (--readers 0)".into(),
            me.clone(),
            vec!["--readers".into(), "0".into()],
        ),
        ("reader pool".into(), me, Vec::new()),
    ];
    if let Some(bin) = &opts.server {
        peers.insert(0, (bin.display().to_string(), bin.clone(), Vec::new()));
    }
    let mut results = Vec::new();
    for (name, bin, extra) in &peers {
        let r = measure(bin, extra, &dir, opts, workload.clone())
            .with_context(|| format!("measuring {name}"))?;
        print_result(name, &r);
        results.push((name.clone(), r));
    }
    if let (Some((lock_name, lock)), Some((pool_name, pool))) = (
        results.iter().find(|(n, _)| n.starts_with("one lock")),
        results.last(),
    ) {
        println!(
            "ratio {pool_name} / {lock_name}: ordinary requests/s {:.2}x, ordinary p99 {:.2}x, CPU {:.2}x",
            pool.ordinary_per_sec() / lock.ordinary_per_sec().max(1e-9),
            pool.ordinary.p(0.99).as_secs_f64() / lock.ordinary.p(0.99).as_secs_f64().max(1e-9),
            pool.cores / lock.cores.max(1e-9),
        );
    }
    Ok(())
}

/// Build the archive of the first `n` Riksdagen documents in `dir`, unless
/// it already holds them; the stored ids and titles.
fn prepare(dir: &Path, corpus: &Path, n: usize) -> Result<(Vec<String>, Vec<String>)> {
    let mut archive = Archive::open(dir, &kedja_pipeline::ArchiveOptions::from_environment())?;
    if archive.store().document_count()? < n as u64 {
        eprintln!("importing {n} documents into {} …", dir.display());
        let mut batch = Vec::new();
        let mut taken = 0usize;
        kedja_tests::riksdagen::for_each_xml(corpus, |name, bytes| {
            batch.push((format!("riksdagen/{name}"), bytes.to_vec()));
            taken += 1;
            Ok(taken < n)
        })?;
        for chunk in batch.chunks(500) {
            archive.import_batch(chunk, &ImportOptions::default())?;
        }
        archive.track_pending()?;
        archive.refresh_lexicon()?;
    }
    let mut ids = Vec::new();
    let mut titles = Vec::new();
    archive.store().for_each_record(|id, record| {
        ids.push(id.0);
        titles.push(record.title);
        Ok(())
    })?;
    Ok((ids, titles))
}

/// The requests the clients choose from.
#[derive(Debug)]
struct Workload {
    /// Title words of five letters or more.
    words: Vec<String>,
    /// Two consecutive title words.
    pairs: Vec<String>,
    ids: Vec<String>,
}

impl Workload {
    fn new(titles: &[String], ids: Vec<String>) -> Workload {
        let mut words = Vec::new();
        let mut pairs = Vec::new();
        for t in titles {
            let ws: Vec<String> = t
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| w.chars().count() >= 5)
                .map(str::to_lowercase)
                .collect();
            for p in ws.windows(2) {
                pairs.push(format!("{} {}", p[0], p[1]));
            }
            words.extend(ws);
        }
        words.sort();
        words.dedup();
        if words.is_empty() {
            words.push("riksdagen".into());
        }
        if pairs.is_empty() {
            pairs.push("riksdagen regeringen".into());
        }
        Workload { words, pairs, ids }
    }

    /// An ordinary request: mostly searches of one or two words, some
    /// phrases, filters and date order, document reads and health checks.
    fn ordinary(&self, rng: &mut fastrand::Rng) -> String {
        let w = self.words[rng.usize(..self.words.len())].clone();
        match rng.u32(..100) {
            0..40 => format!("/api/search?q={}", encode(&w)),
            40..60 => format!(
                "/api/search?q={}",
                encode(&self.pairs[rng.usize(..self.pairs.len())])
            ),
            60..68 => format!(
                "/api/search?q={}",
                encode(&format!(
                    "\"{}\"",
                    self.pairs[rng.usize(..self.pairs.len())]
                ))
            ),
            68..76 => format!("/api/search?q={}&from=2015&to=2022", encode(&w)),
            76..82 => format!("/api/search?q={}&sort=newest&limit=20", encode(&w)),
            82..86 => format!("/api/search?q={}&offset=10", encode(&w)),
            86..96 if !self.ids.is_empty() => {
                format!("/api/documents/{}", self.ids[rng.usize(..self.ids.len())])
            }
            _ => "/api/health".into(),
        }
    }

    /// A hostile request: 1,000 characters of misspelled words (each
    /// asks for a spelling suggestion), groups nested 800 deep, or a
    /// long OR chain.
    fn hostile(&self, rng: &mut fastrand::Rng) -> String {
        let q = match rng.u32(..10) {
            0..7 => {
                let mut q = String::new();
                while q.chars().count() < 990 {
                    let w = &self.words[rng.usize(..self.words.len())];
                    let mut cs: Vec<char> = w.chars().collect();
                    let i = rng.usize(..cs.len());
                    cs.insert(i, 'x');
                    q.extend(cs);
                    q.push(' ');
                }
                q.chars().take(1000).collect()
            }
            7..9 => format!("{}{}{}", "(".repeat(800), self.words[0], ")".repeat(800)),
            _ => (0..150)
                .map(|_| self.words[rng.usize(..self.words.len())].as_str())
                .collect::<Vec<_>>()
                .join(" OR "),
        };
        format!("/api/search?q={}", encode(&q))
    }
}

/// Percent-encoding of a query value.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Latencies of one class of requests.
#[derive(Debug, Default)]
struct Latencies {
    all: Vec<Duration>,
    errors: usize,
}

impl Latencies {
    fn p(&self, q: f64) -> Duration {
        if self.all.is_empty() {
            return Duration::ZERO;
        }
        let mut v = self.all.clone();
        v.sort();
        v[((v.len() as f64 - 1.0) * q).round() as usize]
    }
}

/// One run's measurements.
#[derive(Debug)]
struct RunResult {
    ordinary: Latencies,
    hostile: Latencies,
    wall: Duration,
    /// Server CPU time over wall time.
    cores: f64,
}

impl RunResult {
    fn ordinary_per_sec(&self) -> f64 {
        self.ordinary.all.len() as f64 / self.wall.as_secs_f64()
    }
}

fn print_result(name: &str, r: &RunResult) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name}: ordinary {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, errors {}; hostile {:.1} req/s, p50 {:.1} ms, p99 {:.1} ms, errors {}; server CPU {:.2} cores",
        r.ordinary_per_sec(),
        ms(r.ordinary.p(0.5)),
        ms(r.ordinary.p(0.99)),
        r.ordinary.errors,
        r.hostile.all.len() as f64 / r.wall.as_secs_f64(),
        ms(r.hostile.p(0.5)),
        ms(r.hostile.p(0.99)),
        r.hostile.errors,
        r.cores,
    );
}

type Server = kedja_tests::served::Served;

fn start(bin: &Path, extra: &[String], dir: &Path) -> Result<Server> {
    let mut command = Command::new(bin);
    command
        .arg("--data-dir")
        .arg(dir)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--web-dir",
            "/nonexistent",
        ])
        .args(extra)
        .env("KEDJA_LOG", "error");
    Served::start(command, Duration::from_secs(600))
        .with_context(|| format!("{} did not say where it serves", bin.display()))
}

/// User and system CPU time of a process so far.
fn cpu_time(pid: u32) -> Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 =
        f.get(11).context("utime")?.parse::<u64>()? + f.get(12).context("stime")?.parse::<u64>()?;
    // Linux reports in USER_HZ, 100 on every architecture it runs on.
    Ok(Duration::from_millis(ticks * 10))
}

fn measure(
    bin: &Path,
    extra: &[String],
    dir: &Path,
    opts: &Options,
    workload: Arc<Workload>,
) -> Result<RunResult> {
    let server = start(bin, extra, dir)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let addr = server.addr.clone();
    // Warm up: each client class once over, caches filled.
    runtime.block_on(load(&addr, workload.clone(), 4, 1, Duration::from_secs(2)))?;
    let cpu_before = cpu_time(server.child.id())?;
    let started = Instant::now();
    let (ordinary, hostile) = runtime.block_on(load(
        &addr,
        workload,
        opts.clients,
        opts.hostile,
        Duration::from_secs(opts.seconds),
    ))?;
    let wall = started.elapsed();
    let cpu = cpu_time(server.child.id())?.saturating_sub(cpu_before);
    Ok(RunResult {
        ordinary,
        hostile,
        wall,
        cores: cpu.as_secs_f64() / wall.as_secs_f64(),
    })
}

/// Run `clients` ordinary and `hostile` hostile clients for `time`.
async fn load(
    addr: &str,
    workload: Arc<Workload>,
    clients: usize,
    hostile: usize,
    time: Duration,
) -> Result<(Latencies, Latencies)> {
    let until = Instant::now() + time;
    let mut tasks = Vec::new();
    for i in 0..clients + hostile {
        let addr = addr.to_owned();
        let workload = workload.clone();
        let is_hostile = i >= clients;
        tasks.push(tokio::spawn(async move {
            let mut rng = fastrand::Rng::with_seed(i as u64 + 1);
            let mut lat = Latencies::default();
            let mut conn: Option<BufReader<TcpStream>> = None;
            while Instant::now() < until {
                let path = if is_hostile {
                    workload.hostile(&mut rng)
                } else {
                    workload.ordinary(&mut rng)
                };
                let t = Instant::now();
                match get(&addr, &mut conn, &path).await {
                    Ok(status) if status < 500 => lat.all.push(t.elapsed()),
                    Ok(_) | Err(_) => {
                        lat.errors += 1;
                        conn = None;
                    }
                }
            }
            (is_hostile, lat)
        }));
    }
    let mut ordinary = Latencies::default();
    let mut bad = Latencies::default();
    for t in tasks {
        let (is_hostile, lat) = t.await?;
        let into = if is_hostile { &mut bad } else { &mut ordinary };
        into.all.extend(lat.all);
        into.errors += lat.errors;
    }
    Ok((ordinary, bad))
}

/// One GET over a kept-alive connection (opened when there is none); the
/// status. The body is read and dropped.
async fn get(addr: &str, conn: &mut Option<BufReader<TcpStream>>, path: &str) -> Result<u16> {
    if conn.is_none() {
        *conn = Some(BufReader::new(TcpStream::connect(addr).await?));
    }
    let Some(stream) = conn.as_mut() else {
        bail!("no connection");
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .context("no status line")?
        .parse()?;
    let mut length = None;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            bail!("connection closed in the headers");
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse::<usize>()?);
        }
    }
    let length = length.context("no Content-Length")?;
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await?;
    Ok(status)
}
