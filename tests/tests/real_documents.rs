//! Real municipal documents read from `../shared/corpora` at run time
//! (never copied in): protocols split into their §§, extracts, a
//! tjänsteskrivelse, an error page served as a PDF, a scanned extract, and
//! another municipality's protocol template. Only files of the gold's
//! development half are named here.

use kedja_model::{DocId, DocKind};
use kedja_pipeline::{Archive, ImportOptions, Outcome, section_source};

fn alingsas(rel: &str) -> std::path::PathBuf {
    kedja_tests::shared_dir().join("corpora/alingsas").join(rel)
}

fn import(archive: &mut Archive, path: &std::path::Path) -> Outcome {
    let bytes = std::fs::read(path).expect("corpus file");
    archive
        .import_bytes(
            &path.to_string_lossy(),
            &bytes,
            &ImportOptions {
                municipality: Some("Alingsås".into()),
                ..Default::default()
            },
        )
        .expect("import")
}

fn imported_id(o: &Outcome) -> DocId {
    match o {
        Outcome::Imported { id, .. }
        | Outcome::NewVersion { id, .. }
        | Outcome::Unchanged { id } => id.clone(),
        Outcome::Rejected { reason } => panic!("rejected: {reason}"),
    }
}

#[test]
fn a_whole_protocol_becomes_one_decision_per_paragraph() {
    let mut archive = Archive::in_memory().unwrap();
    let path = alingsas("kommunstyrelsen/2026-06-01/protokoll.pdf");
    let id = imported_id(&import(&mut archive, &path));
    let protocol = archive.document(&id).unwrap().unwrap();
    assert_eq!(protocol.record.kind, DocKind::Protocol);
    assert_eq!(protocol.record.body.as_deref(), Some("Kommunstyrelsen"));
    assert_eq!(
        protocol.record.date.map(|d| d.to_string()).as_deref(),
        Some("2026-06-01")
    );
    // The protocol's own §§ are not references to other documents.
    assert!(
        archive
            .store()
            .references(&id)
            .unwrap()
            .iter()
            .all(|r| r.reference.paragraph.is_none()),
        "a protocol keeps only its cover's references"
    );
    let parts = archive.store().parts(&protocol.source).unwrap();
    let numbers: Vec<String> = parts
        .iter()
        .filter_map(|(_, r)| r.paragraph.clone())
        .collect();
    let expected: Vec<String> = (94..=110).map(|n| format!("§ {n}")).collect();
    assert_eq!(
        numbers, expected,
        "every § from the cover's §§94-110, none from the table of contents"
    );
    for (part_id, r) in &parts {
        assert_eq!(r.kind, DocKind::Decision);
        assert_eq!(r.part_of.as_ref(), Some(&id));
        assert_eq!(r.body.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(r.date, protocol.record.date);
        let (from, to) = r.pages.expect("pages");
        assert!(from >= 4 && to >= from, "{part_id}: pages {from}-{to}");
        // Searchable on its own.
        let doc = archive.document(part_id).unwrap().unwrap();
        assert!(
            doc.text
                .contains(r.title.split_whitespace().next().unwrap())
        );
    }
    let p103 = archive
        .document(&DocId::for_source(&section_source(&protocol.source, 103)))
        .unwrap()
        .expect("§ 103");
    assert!(
        p103.record
            .title
            .starts_with("Svar på motion gällande att införa laddstationer")
    );
    assert!(
        p103.record
            .own_diarienummer
            .iter()
            .any(|k| k == "KS-2025-446"),
        "{:?}",
        p103.record.own_diarienummer
    );
}

#[test]
fn an_extract_is_a_decision_of_its_body_and_date() {
    let mut archive = Archive::in_memory().unwrap();
    let o = import(
        &mut archive,
        &alingsas(
            "kommunstyrelsen/2026-06-01/bilagor/ss-65-ten-svar-pa-motion-gallande-att-infora-laddstationer-for-alingsas-cyklister.pdf",
        ),
    );
    let r = archive.document(&imported_id(&o)).unwrap().unwrap().record;
    assert_eq!(r.kind, DocKind::Decision);
    assert_eq!(r.body.as_deref(), Some("Tekniska nämnden"));
    assert_eq!(r.date.map(|d| d.to_string()).as_deref(), Some("2025-12-15"));
    assert_eq!(r.paragraph.as_deref(), Some("§ 65"));
    assert_eq!(r.own_diarienummer, vec!["TEN-2025-242".to_owned()]);
    assert_eq!(
        r.title,
        "Motion gällande att införa laddstationer för Alingsås cyklister - Amanda Andersson (MP)"
    );
    // An arbetsutskott is a body of its own, its name wrapped over two lines.
    let o = import(
        &mut archive,
        &alingsas(
            "kommunstyrelsen/2026-06-01/bilagor/ss68-ksau-fordjupad-manadsuppfoljning-2026-for-alingsas-kommun-.pdf",
        ),
    );
    let r = archive.document(&imported_id(&o)).unwrap().unwrap().record;
    assert_eq!(r.body.as_deref(), Some("Kommunstyrelsens arbetsutskott"));
    assert_eq!(r.date.map(|d| d.to_string()).as_deref(), Some("2026-05-20"));
}

#[test]
fn a_committee_wrapped_over_three_lines_and_an_extract_sent_with_the_cover() {
    let mut archive = Archive::in_memory().unwrap();
    // "Kultur- och" + "utbildningsnämndens" + "arbetsutskott": the
    // committee, not its board.
    let o = import(
        &mut archive,
        &alingsas(
            "kultur-och-utbildningsnamnden/2026-06-17/bilagor/ss41-kunau-satt-alingsas-i-rorelse-program-for-idrott-rorelse-och-friluftsliv-i-alingsas-kommun.pdf",
        ),
    );
    let r = archive.document(&imported_id(&o)).unwrap().unwrap().record;
    assert_eq!(r.kind, DocKind::Decision);
    assert_eq!(
        r.body.as_deref(),
        Some("Kultur- och utbildningsnämndens arbetsutskott")
    );
    // The meeting's cover lists one §, but without the contents page the
    // file is that § sent out: an extract, not the protocol.
    let o = import(
        &mut archive,
        &alingsas(
            "vard-och-omsorgsnamnden/2026-05-18/bilagor/expediering-ss-632026-ks-rutin-for-att-forebygga-och-hantera-hat-hot-och-vald-mot-fortroendevalda-58801.pdf",
        ),
    );
    let r = archive.document(&imported_id(&o)).unwrap().unwrap().record;
    assert_eq!(r.kind, DocKind::Decision);
    assert_eq!(r.paragraph.as_deref(), Some("§ 63"));
    assert_eq!(r.body.as_deref(), Some("Kommunstyrelsen"));
    assert_eq!(r.date.map(|d| d.to_string()).as_deref(), Some("2026-04-13"));
    // The whole protocol of a meeting of one § stays a protocol.
    let o = import(
        &mut archive,
        &alingsas("kommunfullmaktige/2026-06-10/protokoll.pdf"),
    );
    let r = archive.document(&imported_id(&o)).unwrap().unwrap().record;
    assert_eq!(r.kind, DocKind::Protocol);
}

#[test]
fn a_tjansteskrivelse_is_a_staff_report_with_its_letterhead_read() {
    let mut archive = Archive::in_memory().unwrap();
    let o = import(
        &mut archive,
        &alingsas(
            "kommunstyrelsen/2026-06-01/bilagor/tjansteskrivelse-inforande-av-allmanpolitiska-debatter.pdf",
        ),
    );
    let r = archive.document(&imported_id(&o)).unwrap().unwrap().record;
    assert_eq!(r.kind, DocKind::StaffReport);
    assert_eq!(r.title, "Införande av allmänpolitiska debatter");
    assert_eq!(r.body.as_deref(), Some("Kommunstyrelsen"));
    assert_eq!(r.date.map(|d| d.to_string()).as_deref(), Some("2026-05-08"));
    assert_eq!(r.handler.as_deref(), Some("Kristina Zanhar"));
    assert_eq!(r.paragraph, None, "a § cited in its text is not its own");
    assert!(r.own_diarienummer.iter().any(|k| k == "KS-2026-225"));
}

#[test]
fn an_error_page_named_pdf_is_rejected_as_such() {
    let mut archive = Archive::in_memory().unwrap();
    match import(
        &mut archive,
        &alingsas("socialnamnden/2018-02-20/protokoll.pdf"),
    ) {
        Outcome::Rejected { reason } => assert!(reason.contains("error page"), "{reason}"),
        other => panic!("an error page was imported: {other:?}"),
    }
    assert_eq!(archive.store().document_count().unwrap(), 0);
}

#[test]
fn a_scanned_extract_is_recognised_when_tesseract_is_installed() {
    let has_tesseract = kedja_tests::recognition_installed();
    let mut archive = Archive::in_memory().unwrap();
    let o = import(
        &mut archive,
        &alingsas(
            "kommunstyrelsen/2026-06-01/bilagor/ss-93-ks-initiativarende-till-kommunstyrelsen-gallande-att-inratta-en-kollektivtrafikdialog-jens-christian-berlin-l.pdf",
        ),
    );
    if !has_tesseract {
        match o {
            Outcome::Rejected { reason } => assert!(reason.contains("no text layer"), "{reason}"),
            other => panic!("{other:?}"),
        }
        eprintln!("tesseract-ocr-swe is not installed: the scan was rejected with its reason");
        return;
    }
    let doc = archive.document(&imported_id(&o)).unwrap().unwrap();
    assert_eq!(doc.extractor, "tesseract");
    let confidence = doc
        .record
        .text_confidence
        .expect("a recognition confidence");
    assert!((0.3..=1.0).contains(&confidence), "{confidence}");
    assert!(
        doc.text.to_lowercase().contains("kollektivtrafik"),
        "{}",
        &doc.text[..doc.text.len().min(400)]
    );
}

#[test]
fn another_municipalitys_protocol_template_is_split_too() {
    // Lomma writes "KF § 55    KS KF/2026:6": the body before the §, the
    // case's diarienummer after it.
    let path = kedja_tests::shared_dir().join("corpora/lomma/kommunfullmaktige/2026-06-17.txt");
    let text = std::fs::read_to_string(&path).expect("lomma corpus");
    let m = kedja_extract::read_minutes(&kedja_extract::clean_text(&text)).expect("minutes");
    assert!(m.whole);
    assert_eq!(m.body.as_deref(), Some("Kommunfullmäktige"));
    assert!(m.sections.len() >= 5, "{} sections", m.sections.len());
    let numbers: Vec<u32> = m.sections.iter().map(|s| s.number).collect();
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "consecutive: {numbers:?}"
    );
    assert!(
        m.sections
            .iter()
            .all(|s| s.diarienummer.is_some() && !s.title.is_empty())
    );
}
