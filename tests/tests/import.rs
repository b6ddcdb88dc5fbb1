//! Import end to end: every format, idempotence, versions, bad files,
//! reindexing, the seeds and the demo corpus.

use std::path::{Path, PathBuf};

use kedja_model::DocKind;
use kedja_pipeline::{Archive, ImportOptions, ImportReport, Outcome, OutcomeKind, SearchRequest};
use kedja_tests::{pdf, repo_root, riksdagen_sample, shared_dir};

fn import(archive: &mut Archive, paths: &[PathBuf]) -> ImportReport {
    archive
        .import_paths(paths, &ImportOptions::default(), &mut |_| {})
        .expect("import runs")
}

fn search(archive: &Archive, q: &str) -> Vec<String> {
    archive
        .search(&SearchRequest {
            query: q.into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.source)
        .collect()
}

fn outcome_of<'a>(report: &'a ImportReport, suffix: &str) -> &'a Outcome {
    &report
        .files
        .iter()
        .find(|f| f.source.ends_with(suffix))
        .unwrap_or_else(|| panic!("{suffix} not reported"))
        .outcome
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn every_format_imports_and_bad_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "motion.txt", "Motion\n\nMotion om fler förskoleplatser\n\nJag föreslår att kommunfullmäktige beslutar\n\natt bygga två nya förskolor.\n\nSjövik 2024-03-01\n\nAnna Berg (S)".as_bytes());
    write(
        d,
        "beslut.html",
        "<html><body><div class=\"cookie-banner\">Vi använder kakor</div><main><h1>Protokollsutdrag Kommunfullmäktige 2024-05-20 § 40</h1><p>Kommunfullmäktige bifaller motionen om förskoleplatser.</p></main></body></html>".as_bytes(),
    );
    write(
        d,
        "plan.pdf",
        &pdf::text_pdf(
            "Handlingsplan för trygghet i skolan 2024–2026\n\nAntagen av barn- och utbildningsnämnden 2024-02-10 § 12\n\nAlla elever ska känna sig trygga på skolgården och i matsalen.",
        ),
    );
    let (tei_name, tei) = riksdagen_sample(1).unwrap().remove(0);
    write(d, "riksdagen.xml", &tei);
    write(d, "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF");
    write(d, "scanned.pdf", &pdf::empty_pdf());
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write(d, "image.png", &noise);
    write(d, "empty.txt", b"");

    let mut archive = Archive::in_memory().unwrap();
    let report = import(&mut archive, &[d.to_owned()]);
    assert_eq!(
        report.files.len(),
        8,
        "every file is accounted for: {report:#?}"
    );
    assert_eq!(report.count(OutcomeKind::Imported), 4, "{report:#?}");
    assert_eq!(report.count(OutcomeKind::Rejected), 4, "{report:#?}");

    for (suffix, kind) in [
        ("motion.txt", DocKind::Motion),
        ("beslut.html", DocKind::Decision),
        ("plan.pdf", DocKind::Plan),
        ("riksdagen.xml", DocKind::Interpellation),
    ] {
        let Outcome::Imported { id, .. } = outcome_of(&report, suffix) else {
            panic!("{suffix}: {report:#?}")
        };
        let doc = archive.document(id).unwrap().unwrap();
        assert_eq!(doc.record.kind, kind, "{suffix}");
        assert!(!doc.text.contains("kakor"), "banner removed from {suffix}");
    }
    let reason = |suffix: &str| match outcome_of(&report, suffix) {
        Outcome::Rejected { reason } => reason.clone(),
        other => panic!("{suffix}: {other:?}"),
    };
    assert!(
        reason("broken.pdf").starts_with("pdf"),
        "{}",
        reason("broken.pdf")
    );
    assert!(
        reason("scanned.pdf").contains("no text layer"),
        "{}",
        reason("scanned.pdf")
    );
    assert!(
        reason("image.png").contains("binary"),
        "{}",
        reason("image.png")
    );
    assert!(
        reason("empty.txt").contains("empty"),
        "{}",
        reason("empty.txt")
    );

    // The TEI header wins over the text for the asker and the date.
    let Outcome::Imported { id, .. } = outcome_of(&report, "riksdagen.xml") else {
        unreachable!()
    };
    let doc = archive.document(id).unwrap().unwrap();
    assert_eq!(
        doc.record.municipality.as_deref(),
        Some("Riksdagen"),
        "{tei_name}"
    );
    assert!(doc.record.date.is_some(), "{tei_name}");
    assert_eq!(doc.record.authors.len(), 1, "{tei_name}");

    assert_eq!(search(&archive, "förskoleplatser").len(), 2);
    assert_eq!(
        search(&archive, "skolgården"),
        vec![format!("{}", d.join("plan.pdf").display())]
    );
}

#[test]
fn reimport_is_idempotent_and_changes_are_versions() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "a.txt",
        "Interpellation\n\nTill KSO om parkerna\n\nHur sköts parkerna?".as_bytes(),
    );
    let mut archive = Archive::in_memory().unwrap();
    let first = import(&mut archive, std::slice::from_ref(&file));
    let Outcome::Imported { id, .. } = first.files[0].outcome.clone() else {
        panic!("{first:?}")
    };
    let again = import(&mut archive, std::slice::from_ref(&file));
    assert_eq!(
        again.files[0].outcome,
        Outcome::Unchanged { id: id.clone() }
    );
    assert_eq!(archive.index().num_docs(), 1);

    std::fs::write(
        &file,
        "Interpellation\n\nTill KSO om parkerna\n\nHur sköts parkerna och lekplatserna?",
    )
    .unwrap();
    let changed = import(&mut archive, std::slice::from_ref(&file));
    assert_eq!(
        changed.files[0].outcome,
        Outcome::NewVersion {
            id: id.clone(),
            version: 2
        }
    );
    let versions = archive.store().versions(&id).unwrap();
    assert_eq!(versions.len(), 2, "the old version is kept");
    assert!(versions[0].text.ends_with("Hur sköts parkerna?"));
    assert_eq!(
        archive.index().num_docs(),
        1,
        "the index holds the current version only"
    );
    assert_eq!(search(&archive, "lekplatserna").len(), 1);
}

#[test]
fn index_is_rebuilt_from_the_store() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut archive =
            Archive::open(data.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
        let report = import(&mut archive, &[repo_root().join("data/demo/Norrbacka")]);
        assert_eq!(report.count(OutcomeKind::Imported), 14);
    }
    std::fs::remove_dir_all(data.path().join("index")).unwrap();
    let mut archive =
        Archive::open(data.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
    assert_eq!(
        archive.index().num_docs(),
        14,
        "a missing index is rebuilt on open"
    );
    assert!(!search(&archive, "solceller").is_empty());
    assert_eq!(archive.reindex(&mut |_| {}).unwrap(), 14);
    assert_eq!(archive.index().num_docs(), 14);
}

#[test]
fn seeds_import_and_search_finds_the_right_one() {
    let mut archive = Archive::in_memory().unwrap();
    let report = import(&mut archive, &[shared_dir().join("seeds")]);
    assert_eq!(report.count(OutcomeKind::Imported), 5, "{report:#?}");
    let hits = search(&archive, "våld mot kvinnor");
    assert!(hits[0].ends_with("001_3b6c70bb05a4b568.txt"), "{hits:#?}");
}

#[test]
fn demo_corpus_imports_with_the_gold_kinds_and_dates() {
    let gold: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("data/demo-gold.json")).unwrap(),
    )
    .unwrap();
    let mut archive = Archive::in_memory().unwrap();
    let report = archive
        .import_municipality_folders(&repo_root().join("data/demo"), &mut |_| {})
        .unwrap();
    assert_eq!(report.count(OutcomeKind::Rejected), 0, "{report:#?}");
    let docs = gold["documents"].as_object().unwrap();
    assert!(docs.len() >= 30);
    assert_eq!(report.count(OutcomeKind::Imported), docs.len());
    let mut wrong = Vec::new();
    for (path, expected) in docs {
        let source = format!("{}", repo_root().join("data/demo").join(path).display());
        let id = archive
            .store()
            .id_for_source(&source)
            .unwrap()
            .unwrap_or_else(|| panic!("{source} not stored"));
        let doc = archive.document(&id).unwrap().unwrap();
        if doc.record.kind.as_str() != expected["kind"] {
            wrong.push(format!(
                "{path}: kind {} != {}",
                doc.record.kind.as_str(),
                expected["kind"]
            ));
        }
        if doc.record.municipality.as_deref() != expected["municipality"].as_str() {
            wrong.push(format!(
                "{path}: municipality {:?} != {}",
                doc.record.municipality, expected["municipality"]
            ));
        }
        if doc.record.date.map(|d| d.to_string()).as_deref() != expected["date"].as_str() {
            wrong.push(format!(
                "{path}: date {:?} != {}",
                doc.record.date, expected["date"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    let hits = search(&archive, "hedersrelaterat");
    assert!(hits.len() >= 5, "{hits:#?}");
}

#[test]
fn demo_pdfs_carry_their_sources() {
    let src = repo_root().join("data/demo-src");
    let mut checked = 0;
    for muni in std::fs::read_dir(&src).unwrap() {
        let muni = muni.unwrap().path();
        for file in std::fs::read_dir(&muni).unwrap() {
            let file = file.unwrap().path();
            let source = std::fs::read_to_string(&file).unwrap();
            let pdf_path = repo_root()
                .join("data/demo")
                .join(muni.file_name().unwrap())
                .join(file.file_name().unwrap())
                .with_extension("pdf");
            let bytes = std::fs::read(&pdf_path)
                .unwrap_or_else(|e| panic!("{}: {e}; run make-demo-pdfs", pdf_path.display()));
            let decoded = kedja_formats::decode(&bytes).unwrap();
            let text = kedja_extract::clean_text(&decoded.text);
            let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(
                squash(&text),
                squash(&source),
                "{} is out of date; run make-demo-pdfs",
                pdf_path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 8);
}

#[test]
fn a_pdf_the_rust_reader_cannot_open_falls_back_to_pdftotext() {
    let dir = tempfile::tempdir().unwrap();
    let good = pdf::text_pdf(
        "Protokollsutdrag\n\nKommunfullmäktige 2024-02-26 § 12\n\nKommunfullmäktige ger kommunstyrelsen i uppdrag att se över skolskjutsarna.",
    );
    // A mangled end: the final "%%EOF" cut short and a stray marker
    // appended, as in files truncated and patched by a web system. The
    // pure-Rust reader cannot find the cross-reference data; poppler can.
    assert!(good.ends_with(b"%%EOF"));
    let mut damaged = good[..good.len() - 1].to_vec();
    damaged.extend_from_slice(b"\n%%EOF\n");
    let path = write(dir.path(), "skadad.pdf", &damaged);
    let mut archive = Archive::in_memory().unwrap();
    let report = import(&mut archive, &[path]);
    let installed = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    match outcome_of(&report, "skadad.pdf") {
        Outcome::Imported { id, .. } => {
            assert!(installed, "imported without pdftotext?");
            let doc = archive.document(id).unwrap().unwrap();
            assert_eq!(doc.extractor, "pdftotext");
            assert!(doc.text.contains("skolskjutsarna"), "{}", doc.text);
        }
        Outcome::Rejected { reason } => {
            assert!(
                !installed,
                "pdftotext is installed but was not used: {reason}"
            );
            assert!(reason.contains("pdf"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_pdf_of_pictures_keeps_its_few_words_when_recognition_finds_no_more() {
    let dir = tempfile::tempdir().unwrap();
    // One word of text over what, in a real file, is a photograph: too
    // little for a text layer, so recognition runs and reads no more.
    let path = write(dir.path(), "bilaga.pdf", &pdf::text_pdf("Karta"));
    let mut archive = Archive::in_memory().unwrap();
    let report = import(&mut archive, &[path]);
    let recognises = kedja_tests::recognition_installed();
    match outcome_of(&report, "bilaga.pdf") {
        Outcome::Imported { id, .. } => {
            assert!(recognises, "imported without text recognition?");
            let doc = archive.document(id).unwrap().unwrap();
            assert_eq!(doc.extractor, "pdftotext");
            assert!(doc.text.contains("Karta"), "{}", doc.text);
            assert!(
                doc.record.problems.iter().any(|p| p.contains("pictures")),
                "{:?}",
                doc.record.problems
            );
        }
        Outcome::Rejected { reason } => {
            assert!(!recognises, "recognition is installed: {reason}");
            assert!(reason.contains("no text layer"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn compounds_are_found_by_their_parts_after_import_and_reopening() {
    let files = tempfile::tempdir().unwrap();
    let whole = write(
        files.path(),
        "whole.txt",
        "Motion om våld i nära relationer. Våldet drabbar många, och våldet måste \
         förebyggas. Förebyggande arbete mot våld och förebyggande insatser. Heder \
         används som motiv; heder är ett ord."
            .as_bytes(),
    );
    let compound = write(
        files.path(),
        "compound.txt",
        "Interpellation om hedersvåldet och det våldsförebyggande arbetet i skolan.".as_bytes(),
    );
    let other = write(
        files.path(),
        "other.txt",
        "Budget för skolan 2024.".as_bytes(),
    );
    let data = tempfile::tempdir().unwrap();
    {
        let mut archive =
            Archive::open(data.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
        let report = import(&mut archive, &[whole, compound, other]);
        assert_eq!(report.count(OutcomeKind::Imported), 3);
        // The lexicon was counted from the imported text, and the index
        // rebuilt with it: the document that writes "våld" first, the one
        // with only its compounds after it.
        let hits = search(&archive, "våld");
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert!(hits[0].ends_with("whole.txt"), "{hits:?}");
        assert!(hits[1].ends_with("compound.txt"), "{hits:?}");
        assert!(
            search(&archive, "heder")[..]
                .iter()
                .any(|s| s.ends_with("compound.txt"))
        );
    }
    assert!(data.path().join("index/lexicon.tsv").exists());
    let archive = Archive::open(data.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
    let hits = search(&archive, "våld");
    assert_eq!(
        hits.len(),
        2,
        "the lexicon is kept with the index: {hits:?}"
    );
    let r = archive
        .search(&SearchRequest {
            query: "våld".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let snippet = &r.hits[1].snippet;
    assert!(snippet.contains("<b>hedersvåldet</b>"), "{snippet}");
    assert!(snippet.contains("<b>våldsförebyggande</b>"), "{snippet}");
}

#[test]
fn a_pdf_that_reads_past_the_time_limit_is_rejected_with_the_reason_and_stores_nothing() {
    // Many pages without text: slow for the pure-Rust reader, and nothing
    // for poppler to rescue.
    let pdf = pdf::empty_pages(1000);
    let mut archive = Archive::in_memory().unwrap();
    let text = "Motion om längre öppettider på biblioteket i Sjövik.\n\nJag föreslår att kommunfullmäktige beslutar att utreda saken.\n";
    archive
        .import_bytes("motion.txt", text.as_bytes(), &ImportOptions::default())
        .unwrap();
    let before = archive.store().stats().unwrap();
    let opts = ImportOptions {
        decode: kedja_formats::DecodeOptions {
            pdf_time_limit: std::time::Duration::from_millis(1),
        },
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let outcome = archive.import_bytes("slow.pdf", &pdf, &opts).unwrap();
    match outcome {
        Outcome::Rejected { reason } => {
            assert!(reason.contains("took longer than 1ms"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(archive.store().stats().unwrap(), before);
    assert_eq!(archive.store().document_count().unwrap(), 1);
}

/// A cover whose text layer opens with other lines than its title (a
/// printer's colour mark): the title is what the page sets in display type. The same text in one size
/// of type keeps the title read from the text; and a file name's day dates
/// a text that names none.
#[test]
fn a_cover_s_display_type_gives_the_title_and_the_file_name_fills_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let body = "Bolaget har under året haft lån med kommunal borgen. Avgiften beräknas på \
                den genomsnittliga skulden och fastställs av fullmäktige varje år.\n\
                Bolagets soliditet har stärkts under perioden och borgensavgiften föreslås ligga kvar.";
    write(
        d,
        "omslag-2031-03-26.pdf",
        &pdf::display_pdf(
            &[
                ("MAGENTA YELLOW 100", 7),
                ("Rapport om borgensavgifter för Exempelbolaget", 22),
            ],
            body,
        ),
    );
    write(
        d,
        "samma-storlek.pdf",
        &pdf::display_pdf(
            &[
                ("MAGENTA YELLOW 100", 10),
                ("Rapport om borgensavgifter för Exempelbolaget", 10),
            ],
            body,
        ),
    );
    let mut archive = Archive::in_memory().unwrap();
    let report = import(&mut archive, &[d.to_owned()]);
    assert_eq!(report.count(OutcomeKind::Imported), 2, "{report:#?}");
    let record = |name: &str| {
        let source = format!("{}", d.join(name).display());
        let id = archive.store().id_for_source(&source).unwrap().unwrap();
        archive.document(&id).unwrap().unwrap().record
    };
    let cover = record("omslag-2031-03-26.pdf");
    assert_eq!(cover.title, "Rapport om borgensavgifter för Exempelbolaget");
    assert_eq!(
        cover.date.map(|x| x.to_string()).as_deref(),
        Some("2031-03-26")
    );
    // Read from the text alone, the printer's mark on the first line is
    // taken for the title.
    let plain = record("samma-storlek.pdf");
    assert_eq!(plain.title, "MAGENTA YELLOW 100");
    assert_eq!(plain.date, None);
}
