//! Linking end to end: the demo corpus against its gold file, and
//! incremental relinking when the cited document arrives later.

use std::path::Path;

use kedja_model::LinkType;
use kedja_pipeline::{Archive, evaluate_links};
use kedja_tests::repo_root;

fn gold() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(repo_root().join("data/demo-gold.json")).unwrap())
        .unwrap()
}

fn copy_dir(from: &Path, to: &Path, skip: &str) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest, skip);
        } else if !p.ends_with(skip) {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn demo_links_match_the_gold_file() {
    let corpus = repo_root().join("data/demo");
    let mut archive = Archive::in_memory().unwrap();
    archive
        .import_municipality_folders(&corpus, &mut |_| {})
        .unwrap();
    let eval = evaluate_links(&archive, &gold(), &corpus).unwrap();
    let all = eval.score("all").unwrap();
    assert!(all.gold >= 40, "{all:?}");
    assert!(
        all.precision() >= 0.95 && all.recall() >= 0.90,
        "precision {:.3} recall {:.3}\nwrong: {:#?}\nmissing: {:#?}",
        all.precision(),
        all.recall(),
        eval.wrong,
        eval.missing
    );
    assert_eq!(eval.without_evidence, 0);
    for t in LinkType::ALL.iter().filter(|t| **t != LinkType::SameTopic) {
        let s = eval
            .score(t.as_str())
            .unwrap_or_else(|| panic!("no gold links of type {}", t.as_str()));
        assert!(s.f1() >= 0.8, "{s:?}");
    }
}

#[test]
fn a_late_document_resolves_earlier_references() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    let decision = "2022-12-14-kf-beslut-motion-vald.pdf";
    copy_dir(&repo_root().join("data/demo"), &root, decision);
    let mut archive = Archive::in_memory().unwrap();
    archive
        .import_municipality_folders(&root, &mut |_| {})
        .unwrap();

    let source = |name: &str| format!("{}", root.join("Sjövik").join(name).display());
    let interpellation = archive
        .store()
        .id_for_source(&source("2024-09-02-interpellation-handlingsplan-vald.txt"))
        .unwrap()
        .unwrap();
    let unresolved = archive
        .store()
        .unresolved_references(&interpellation)
        .unwrap();
    assert!(
        unresolved
            .iter()
            .any(|r| r.reference.evidence.contains("2022-12-14")),
        "the decision is referenced, not yet in the archive: {unresolved:#?}"
    );

    std::fs::copy(
        repo_root().join("data/demo/Sjövik").join(decision),
        root.join("Sjövik").join(decision),
    )
    .unwrap();
    let opts = kedja_pipeline::ImportOptions {
        municipality: Some("Sjövik".into()),
    };
    let report = archive
        .import_paths(&[root.join("Sjövik").join(decision)], &opts, &mut |_| {})
        .unwrap();
    assert_eq!(report.count("imported"), 1);
    let decision_id = archive
        .store()
        .id_for_source(&source(decision))
        .unwrap()
        .unwrap();

    let links_in = archive.store().links_to(&decision_id).unwrap();
    let from_interpellation = links_in
        .iter()
        .find(|l| l.from == interpellation)
        .expect("the interpellation now links the decision");
    assert_eq!(from_interpellation.link_type, LinkType::AsksAbout);
    assert!(
        from_interpellation.evidence.contains("2022-12-14"),
        "{from_interpellation:?}"
    );
    let still_open = archive
        .store()
        .unresolved_references(&interpellation)
        .unwrap();
    assert!(
        !still_open
            .iter()
            .any(|r| r.reference.evidence.contains("2022-12-14 § 187")),
        "{still_open:#?}"
    );
    let plan = archive
        .store()
        .id_for_source(&source("2023-06-14-handlingsplan-forebyggande-vald.pdf"))
        .unwrap()
        .unwrap();
    assert!(
        archive
            .store()
            .links_from(&plan)
            .unwrap()
            .iter()
            .any(|l| l.to == decision_id && l.link_type == LinkType::Implements)
    );

    // The whole evaluation holds after the late import too.
    let eval = evaluate_links(&archive, &gold(), &root).unwrap();
    assert!(
        eval.score("all").unwrap().recall() >= 0.90,
        "{:#?}",
        eval.missing
    );
}

#[test]
fn a_new_interpellation_links_back_and_is_cited_by_nothing_older() {
    let mut archive = Archive::in_memory().unwrap();
    archive
        .import_municipality_folders(&repo_root().join("data/demo"), &mut |_| {})
        .unwrap();
    let text = "Interpellation\n\nTill KSO om solcellerna\n\nGenom kommunfullmäktiges beslut den 28 september 2020 (§ 112) skulle fem byggnader få solceller.\n\nJag vill därför fråga:\n\n1. När blir det klart?\n\nNorrbacka 2024-01-10\n\nOlof Strand (V)\n";
    let opts = kedja_pipeline::ImportOptions {
        municipality: Some("Norrbacka".into()),
    };
    let outcome = archive
        .import_bytes("new/interpellation.txt", text.as_bytes(), &opts)
        .unwrap();
    let kedja_pipeline::Outcome::Imported { id, title, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(title, "Till KSO om solcellerna");
    let doc = archive.document(&id).unwrap().unwrap();
    assert_eq!(doc.record.date.unwrap().to_string(), "2024-01-10");
    assert_eq!(
        doc.record.paragraph, None,
        "§ 112 in running text is a reference, not the document's own"
    );
    let out = archive.store().links_from(&id).unwrap();
    let decision = archive
        .store()
        .id_for_source(&format!(
            "{}",
            repo_root()
                .join("data/demo/Norrbacka/2020-09-28-kf-beslut-solceller.pdf")
                .display()
        ))
        .unwrap()
        .unwrap();
    assert!(
        out.iter()
            .any(|l| l.to == decision && l.link_type == LinkType::AsksAbout),
        "{out:#?}"
    );
    assert!(
        archive.store().links_to(&id).unwrap().is_empty(),
        "older documents cannot cite it"
    );
}
