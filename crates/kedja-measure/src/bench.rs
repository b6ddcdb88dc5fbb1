//! `kedja bench-link`: linking speed on a synthetic corpus of any size.
//!
//! Documents are spread over the 290 municipalities with realistic kinds,
//! dates, bodies, paragraphs, authors and titles; each citing document makes
//! references of the forms real documents use (§ with body and date, a
//! decision by body and date, a mention by author and month, a plan by
//! title) to an earlier document of its municipality. The benchmark reports
//! the time to build the corpus, to link every document, per-document
//! latency, the time to add one document and relink what may cite it, and
//! how many references resolved to the document they were made from.

use std::time::Instant;

use anyhow::Result;
use kedja_link::{DocInfo, MemoryCorpus, link_document};
use kedja_model::{Date, DateRange, DocId, DocKind, Person, PersonRole, RefKind, Reference};

const BODIES: &[&str] = &[
    "Kommunfullmäktige",
    "Kommunstyrelsen",
    "Socialnämnden",
    "Barn- och utbildningsnämnden",
    "Tekniska nämnden",
];
const TOPICS: &[&str] = &[
    "förebyggande arbete mot våld i nära relationer",
    "solceller på kommunens fastigheter",
    "trygghetsvärdar på högstadieskolorna",
    "gång- och cykelväg längs landsvägen",
    "utegym i stadsparken",
    "kameraövervakning vid resecentrum",
    "fler förskoleplatser i centrum",
    "hedersrelaterat våld och förtryck",
    "simundervisning för nyanlända barn",
    "belysning i parker och på gångstråk",
    "minskad matsvinn i skolköken",
    "digital tillgänglighet för äldre",
];
const NAMES: &[&str] = &[
    "Anna Berg",
    "Erik Holm",
    "Sara Nilsson",
    "Jonas Ek",
    "Lena Åberg",
    "Ahmed Karimi",
    "Eva Lund",
    "Olof Strand",
    "Maria Sundin",
    "Lars Ek",
];
const PARTIES: &[&str] = &["S", "M", "C", "V", "L", "KD", "MP", "SD"];

struct Synthetic {
    docs: Vec<DocInfo>,
    /// Per document: its references and, for each, the document it was made from.
    refs: Vec<Vec<(Reference, DocId)>>,
}

fn date_of(rng: &mut fastrand::Rng) -> Date {
    let day = Date::from_calendar_date(2010, time::Month::January, 1)
        .expect("valid date")
        .to_julian_day()
        + rng.i32(0..15 * 365);
    Date::from_julian_day(day).expect("valid day")
}

fn reference(kind: RefKind) -> Reference {
    Reference::new(kind, String::new(), 0, 0)
}

fn generate(n: usize, seed: u64) -> Synthetic {
    let mut rng = fastrand::Rng::with_seed(seed);
    let municipalities = 290;
    let mut docs: Vec<DocInfo> = (0..n)
        .map(|i| {
            let kind = match rng.u8(0..10) {
                0..=2 => DocKind::Decision,
                3 => DocKind::Motion,
                4 => DocKind::Interpellation,
                5 => DocKind::Plan,
                6 => DocKind::FollowUp,
                7 => DocKind::MotionResponse,
                8 => DocKind::InterpellationAnswer,
                _ => DocKind::Initiative,
            };
            let topic = TOPICS[rng.usize(..TOPICS.len())];
            let body = BODIES[rng.usize(..BODIES.len())];
            let title = match kind {
                DocKind::Motion => format!("Motion om {topic}"),
                DocKind::Plan => format!("Handlingsplan för {topic} {}", 2010 + rng.u16(0..15)),
                DocKind::Decision => format!("Svar på motion om {topic}"),
                DocKind::FollowUp => format!("Uppföljning av arbetet med {topic}"),
                _ => format!("{} om {topic}", kind.label_sv()),
            };
            DocInfo {
                id: DocId(format!("d{i:016x}")),
                kind,
                municipality: Some(format!("Kommun {}", rng.usize(..municipalities))),
                date: Some(date_of(&mut rng)),
                title,
                body: Some(body.to_owned()),
                authors: vec![Person {
                    name: NAMES[rng.usize(..NAMES.len())].to_owned(),
                    party: Some(PARTIES[rng.usize(..PARTIES.len())].to_owned()),
                    role: PersonRole::Author,
                }],
                diarienummer: vec![],
                paragraph: matches!(kind, DocKind::Decision)
                    .then(|| format!("§ {}", rng.u16(1..400))),
                own_diarienummer: vec![],
                doc_number: None,
                office: None,
                part_of: None,
                name: None,
                folder: None,
                decided: None,
            }
        })
        .collect();
    docs.sort_by_key(|d| d.date);
    let mut by_muni: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    let mut refs = Vec::with_capacity(n);
    for i in 0..n {
        let muni = docs[i].municipality.clone().expect("set above");
        let earlier = by_muni.entry(muni).or_default();
        let mut mine = Vec::new();
        for _ in 0..rng.usize(2..5) {
            if earlier.is_empty() {
                break;
            }
            let t = &docs[earlier[rng.usize(..earlier.len())]];
            let date = t.date.expect("set above");
            let r = match (t.kind, t.paragraph.as_ref()) {
                (DocKind::Decision, Some(p)) if rng.bool() => Reference {
                    body: t.body.clone(),
                    date: Some(DateRange::day(date)),
                    paragraph: Some(p.clone()),
                    evidence: format!("{} {date} {p}", t.body.as_deref().unwrap_or("")),
                    ..reference(RefKind::Paragraph)
                },
                (DocKind::Plan, _) => Reference {
                    target_kind: Some(DocKind::Plan),
                    title: Some(t.title.clone()),
                    date: DateRange::year(date.year()),
                    evidence: t.title.clone(),
                    ..reference(RefKind::Mention)
                },
                (k, _) => Reference {
                    target_kind: Some(k),
                    person: t.authors.first().cloned(),
                    date: DateRange::month(date.year(), date.month()),
                    body: t.body.clone(),
                    evidence: format!("{} {}", k.label_sv(), t.title),
                    ..reference(RefKind::Mention)
                },
            };
            mine.push((r, t.id.clone()));
        }
        refs.push(mine);
        let muni = docs[i].municipality.clone().expect("set above");
        by_muni.entry(muni).or_default().push(i);
    }
    Synthetic { docs, refs }
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

pub fn run(n: usize, corpus_dir: &std::path::Path) -> Result<()> {
    // The real corpus first: import it in memory, then time relinking all.
    let mut archive = kedja_pipeline::Archive::in_memory()?;
    let report = archive.import_municipality_folders(corpus_dir, &mut |_| {})?;
    let started = Instant::now();
    let stats = archive.relink_all()?;
    println!(
        "{}: relinking all {} documents took {:.1} ms ({} links)",
        corpus_dir.display(),
        report.files.len(),
        started.elapsed().as_secs_f64() * 1000.0,
        stats.links
    );
    let started = Instant::now();
    let synthetic = generate(n, 7);
    println!(
        "generated {n} documents in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let corpus = MemoryCorpus::new(synthetic.docs.iter().cloned());
    let build = started.elapsed().as_secs_f64();

    let mut latencies = Vec::with_capacity(n);
    let (mut total_refs, mut right, mut wrong, mut links) = (0usize, 0usize, 0usize, 0usize);
    let started = Instant::now();
    for (doc, refs) in synthetic.docs.iter().zip(&synthetic.refs) {
        let plain: Vec<Reference> = refs.iter().map(|(r, _)| r.clone()).collect();
        let t = Instant::now();
        let Ok(linked) = link_document(&corpus, doc, &doc.title, &plain);
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        links += linked.links.len();
        for ((_, expected), got) in refs.iter().zip(&linked.resolved) {
            total_refs += 1;
            match got {
                Some(g) if g == expected => right += 1,
                Some(_) => wrong += 1,
                None => {}
            }
        }
    }
    let all = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);

    // One more document: insert it and relink it and what may cite it.
    let mut corpus = corpus;
    let newcomer = synthetic.docs[n / 2].clone();
    let newcomer = DocInfo {
        id: DocId("dffffffffffffffff".into()),
        ..newcomer
    };
    let position: std::collections::HashMap<&DocId, usize> = synthetic
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| (&d.id, i))
        .collect();
    let started = Instant::now();
    corpus.insert(newcomer.clone());
    let may_cite = corpus.may_cite(&newcomer);
    let mut relinked = 0;
    for id in &may_cite {
        if let Some(&i) = position.get(id) {
            // As the pipeline does: only documents with a reference the
            // newcomer could answer.
            if !synthetic.refs[i]
                .iter()
                .any(|(r, _)| kedja_link::could_resolve_to(r, synthetic.docs[i].date, &newcomer))
            {
                continue;
            }
            let plain: Vec<Reference> = synthetic.refs[i].iter().map(|(r, _)| r.clone()).collect();
            let Ok(_) = link_document(
                &corpus,
                &synthetic.docs[i],
                &synthetic.docs[i].title,
                &plain,
            );
            relinked += 1;
        }
    }
    let incremental = started.elapsed().as_secs_f64() * 1000.0;

    println!("corpus build: {:.3} s", build);
    println!(
        "linking all {n} documents: {all:.2} s ({:.0} documents/s); per document p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        n as f64 / all,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0)
    );
    println!(
        "references: {total_refs}; resolved to the document they were made from: {right} ({:.1}%); to another: {wrong} ({:.2}%); links: {links}",
        100.0 * right as f64 / total_refs.max(1) as f64,
        100.0 * wrong as f64 / total_refs.max(1) as f64
    );
    println!(
        "one more document: inserted, and the {relinked} documents with a reference it could answer relinked, in {incremental:.2} ms (linking only, no store)"
    );
    Ok(())
}
