//! Linking end to end: the demo corpus against its gold file, and
//! incremental relinking when the cited document arrives later.

use std::path::Path;

use std::borrow::Cow;

use kedja_link::{Corpus, DocInfo, MemoryCorpus, Want, link_document};
use kedja_measure::evaluate_links;
use kedja_measure::gold::{DemoGold, load};
use kedja_model::LinkType;
use kedja_pipeline::{Archive, ImportOptions, OutcomeKind};
use kedja_tests::{demo_files, repo_root};

fn gold() -> DemoGold {
    load(&repo_root().join("data/demo-gold.json"), "demo gold file").unwrap()
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
    // The gold lists references; documents of one case and one decision
    // published twice are relations of their own, the first checked below.
    for t in LinkType::ALL
        .iter()
        .filter(|t| **t != LinkType::SameTopic && !t.is_relation())
    {
        let s = eval
            .score(t.as_str())
            .unwrap_or_else(|| panic!("no gold links of type {}", t.as_str()));
        assert!(s.f1() >= 0.8, "{s:?}");
    }
    // Every same-case link joins two documents that give one diarienummer
    // as their own, from the later to the earlier.
    let store = archive.store();
    let same_case: Vec<_> = store
        .all_links()
        .unwrap()
        .into_iter()
        .filter(|l| l.link_type == LinkType::SameCase)
        .collect();
    assert!(!same_case.is_empty(), "the demo's cases are linked as such");
    for l in &same_case {
        let (from, to) = (
            store.get(&l.from).unwrap().unwrap(),
            store.get(&l.to).unwrap().unwrap(),
        );
        assert!(
            from.record
                .own_diarienummer
                .iter()
                .any(|k| to.record.own_diarienummer.contains(k)),
            "{l:?}"
        );
        assert!(from.record.date >= to.record.date, "{l:?}");
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
        ..Default::default()
    };
    let report = archive
        .import_paths(&[root.join("Sjövik").join(decision)], &opts, &mut |_| {})
        .unwrap();
    assert_eq!(report.count(OutcomeKind::Imported), 1);
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
        ..Default::default()
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

/// What linking knows of every stored document.
fn doc_infos(store: &kedja_store::Store) -> Vec<DocInfo> {
    let mut infos = Vec::new();
    store
        .for_each_record(|id, record| {
            infos.push(DocInfo::from_record(id, &record));
            Ok(())
        })
        .unwrap();
    infos
}

/// Links as a corpus held in memory resolves them, from scratch, for
/// every document of `archive`, against what the archive stored.
fn assert_links_as_in_memory(archive: &Archive) -> usize {
    let store = archive.store();
    let infos = doc_infos(store);
    let memory = MemoryCorpus::new(infos.iter().cloned());
    let mut compared = 0;
    for info in &infos {
        let stored = store.references(&info.id).unwrap();
        let refs: Vec<_> = stored.iter().map(|r| r.reference.clone()).collect();
        let text = store.get(&info.id).unwrap().unwrap().text;
        let Ok(expected) = link_document(&memory, info, &text, &refs);
        let got = store.links_from(&info.id).unwrap();
        let key =
            |l: &kedja_model::Link| (l.to.clone(), l.link_type, l.confidence, l.reason.clone());
        let mut want: Vec<_> = expected.links.iter().map(key).collect();
        let mut have: Vec<_> = got.iter().map(key).collect();
        want.sort_by(|a, b| a.0.cmp(&b.0));
        have.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            have, want,
            "links of {} ({}), dated {:?}, with references {refs:#?}",
            info.id, info.title, info.date
        );
        let resolved: Vec<_> = stored.iter().map(|r| r.resolved_to.clone()).collect();
        assert_eq!(resolved, expected.resolved, "resolutions of {}", info.id);
        compared += want.len();
    }
    compared
}

/// The store finds the candidates of a reference, and the references a
/// new document could answer, by index; a corpus in memory reads every
/// document. Both link alike, whether the demo corpus arrives folder by
/// folder or one file at a time, latest first (so that nearly every
/// reference is made before the document it names arrives).
#[test]
fn store_lookups_link_as_a_corpus_in_memory_does() {
    let corpus = repo_root().join("data/demo");
    let mut archive = Archive::in_memory().unwrap();
    archive
        .import_municipality_folders(&corpus, &mut |_| {})
        .unwrap();
    let compared = assert_links_as_in_memory(&archive);
    assert!(compared >= 40, "only {compared} links compared");

    let mut files = demo_files();
    files.sort_by(|a, b| b.0.file_name().cmp(&a.0.file_name()));
    let mut late = Archive::in_memory().unwrap();
    for (path, municipality) in &files {
        late.import_paths(
            std::slice::from_ref(path),
            &ImportOptions {
                municipality: Some(municipality.clone()),
                ..Default::default()
            },
            &mut |_| {},
        )
        .unwrap();
    }
    assert_eq!(assert_links_as_in_memory(&late), compared);
}

/// Documents saved without being linked (an import stopped between the
/// two, or a store written by an earlier version) are derived and linked
/// when the archive is opened.
#[test]
fn documents_saved_but_not_linked_are_linked_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_root().join("data/demo");
    let linked = {
        let mut archive =
            Archive::open(dir.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
        archive
            .import_municipality_folders(&corpus, &mut |_| {})
            .unwrap();
        archive.store().all_links().unwrap()
    };
    assert!(linked.len() >= 40);
    // Forget everything derived: keys, reference keys, links, resolutions.
    {
        let conn = rusqlite::Connection::open(dir.path().join("kedja.sqlite")).unwrap();
        conn.execute_batch(
            "UPDATE documents SET derived = 0, commitments_json = NULL;
             DELETE FROM doc_keys; UPDATE refs SET match_key = NULL, resolved_to = NULL;
             DELETE FROM links; DELETE FROM commitments;",
        )
        .unwrap();
    }
    let archive = Archive::open(dir.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
    let mut again = archive.store().all_links().unwrap();
    let mut before = linked;
    let key = |l: &kedja_model::Link| (l.from.clone(), l.to.clone());
    again.sort_by_key(key);
    before.sort_by_key(key);
    assert_eq!(again, before);
    assert!(!archive.commitments().unwrap().is_empty());
}

/// A corpus that ignores [`Want::shares`]: every document of the kind.
struct Unnarrowed(MemoryCorpus);

impl Corpus for Unnarrowed {
    type Error = std::convert::Infallible;

    fn candidates<'s>(&'s self, want: &Want<'_>) -> Result<Vec<Cow<'s, DocInfo>>, Self::Error> {
        let mut wide = want.clone();
        wide.shares = None;
        self.0.candidates(&wide)
    }
}

/// A mention with neither author nor date asks only for documents that
/// share a title word or a diarienummer with it; the others could neither
/// win nor stop a winner, so linking is the same as with every document of
/// the kind.
#[test]
fn asking_for_shared_words_links_as_asking_for_every_document() {
    let mut archive = Archive::in_memory().unwrap();
    archive
        .import_municipality_folders(&repo_root().join("data/demo"), &mut |_| {})
        .unwrap();
    let store = archive.store();
    let infos = doc_infos(store);
    let narrow = MemoryCorpus::new(infos.iter().cloned());
    let wide = Unnarrowed(MemoryCorpus::new(infos.iter().cloned()));
    let mut resolved = 0;
    for info in &infos {
        let refs: Vec<_> = store
            .references(&info.id)
            .unwrap()
            .into_iter()
            .map(|r| r.reference)
            .collect();
        let text = store.get(&info.id).unwrap().unwrap().text;
        let Ok(a) = link_document(&narrow, info, &text, &refs);
        let Ok(b) = link_document(&wide, info, &text, &refs);
        assert_eq!(a, b, "{}", info.title);
        resolved += a.resolved.iter().flatten().count();
    }
    assert!(resolved >= 40, "{resolved}");
}
