//! Store tests on in-memory and on-disk databases.

use super::*;
use kedja_model::{DocKind, RefKind};

fn record(title: &str) -> Record {
    Record {
        kind: DocKind::Motion,
        title: title.into(),
        ..Record::default()
    }
}

fn reference(dnr: &str) -> Reference {
    Reference {
        diarienummer: Some(dnr.into()),
        ..Reference::new(RefKind::Diarienummer, dnr, 0, dnr.len())
    }
}

fn new_doc<'a>(
    source: &'a str,
    raw: &'a [u8],
    rec: &'a Record,
    refs: &'a [Reference],
) -> NewDocument<'a> {
    NewDocument {
        source,
        format: Format::Text,
        extractor: "utf8",
        raw,
        text: std::str::from_utf8(raw).unwrap(),
        record: rec,
        references: refs,
    }
}

#[test]
fn save_is_idempotent_and_versions_changes() {
    let mut store = Store::open_in_memory().unwrap();
    let rec = record("Motion om förskola");
    let refs = [reference("KS-2019-317")];
    let first = store
        .save(&new_doc("a.txt", b"version ett", &rec, &refs))
        .unwrap();
    let SaveOutcome::Imported { id } = first.clone() else {
        panic!("{first:?}")
    };
    assert_eq!(
        store
            .save(&new_doc("a.txt", b"version ett", &rec, &refs))
            .unwrap(),
        SaveOutcome::Unchanged { id: id.clone() }
    );
    // the same bytes from another path are the same document
    assert_eq!(
        store
            .save(&new_doc("kopia/a.txt", b"version ett", &rec, &refs))
            .unwrap(),
        SaveOutcome::Unchanged { id: id.clone() }
    );
    let second = store
        .save(&new_doc("a.txt", b"version tva", &rec, &[]))
        .unwrap();
    assert_eq!(
        second,
        SaveOutcome::NewVersion {
            id: id.clone(),
            version: 2
        }
    );

    let doc = store.get(&id).unwrap().unwrap();
    assert_eq!(doc.text, "version tva");
    assert_eq!(doc.version, 2);
    assert_eq!(doc.record.title, "Motion om förskola");
    let versions = store.versions(&id).unwrap();
    assert_eq!(
        versions.iter().map(|v| v.text.as_str()).collect::<Vec<_>>(),
        vec!["version ett", "version tva"]
    );
    assert!(
        store.references(&id).unwrap().is_empty(),
        "references follow the current version"
    );
    assert_eq!(
        store.stats().unwrap(),
        Stats {
            documents: 1,
            versions: 2,
            references: 0,
            links: 0
        }
    );
}

#[test]
fn links_round_trip() {
    let mut store = Store::open_in_memory().unwrap();
    let rec = record("x");
    let a = store
        .save(&new_doc("a", b"a", &rec, &[]))
        .unwrap()
        .id()
        .clone();
    let b = store
        .save(&new_doc("b", b"b", &rec, &[]))
        .unwrap()
        .id()
        .clone();
    let link = Link {
        from: a.clone(),
        to: b.clone(),
        link_type: LinkType::AsksAbout,
        confidence: 0.9,
        reason: "diarienummer".into(),
        evidence: "KS 2019/317".into(),
    };
    store
        .replace_links(&a, std::slice::from_ref(&link))
        .unwrap();
    assert_eq!(store.links_from(&a).unwrap(), vec![link.clone()]);
    assert_eq!(store.links_to(&b).unwrap(), vec![link]);
    store.replace_links(&a, &[]).unwrap();
    assert!(store.all_links().unwrap().is_empty());
}

#[test]
fn on_disk_store_uses_wal_and_migrates_once() {
    let dir = std::env::temp_dir().join(format!("kedja-store-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kedja.sqlite");
    {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::CURRENT);
        store
            .save(&new_doc("a", b"text", &record("t"), &[]))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let mode: String = store
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(store.stats().unwrap().documents, 1);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn newer_schema_is_refused() {
    let conn = Connection::open_in_memory().unwrap();
    conn.pragma_update(None, "user_version", schema::CURRENT + 1)
        .unwrap();
    assert!(matches!(Store::init(conn), Err(Error::TooNew { .. })));
}

fn placed(title: &str, kind: DocKind, municipality: Option<&str>, date: Option<&str>) -> Record {
    Record {
        kind,
        municipality: municipality.map(str::to_owned),
        date: date.map(|d| kedja_model::parse_iso_date(d).unwrap()),
        ..record(title)
    }
}

fn titles(found: Vec<(DocId, Record, String)>) -> Vec<String> {
    let mut t: Vec<String> = found.into_iter().map(|(_, r, _)| r.title).collect();
    t.sort();
    t
}

#[test]
fn candidates_are_found_by_place_kind_date_and_key() {
    let mut store = Store::open_in_memory().unwrap();
    let docs = [
        placed(
            "motion mars",
            DocKind::Motion,
            Some("Sjövik"),
            Some("2022-03-10"),
        ),
        placed(
            "motion maj",
            DocKind::Motion,
            Some("Sjövik"),
            Some("2022-05-02"),
        ),
        placed("motion odaterad", DocKind::Motion, Some("Sjövik"), None),
        placed(
            "motion okänd ort",
            DocKind::Motion,
            None,
            Some("2022-03-20"),
        ),
        placed(
            "motion annan ort",
            DocKind::Motion,
            Some("Norrbacka"),
            Some("2022-03-11"),
        ),
        placed(
            "beslut mars",
            DocKind::Decision,
            Some("Sjövik"),
            Some("2022-03-10"),
        ),
    ];
    let mut ids = Vec::new();
    for (i, r) in docs.iter().enumerate() {
        let raw = format!("dokument {i}");
        let saved = store
            .save(&new_doc(&r.title, raw.as_bytes(), r, &[]))
            .unwrap();
        ids.push(saved.id().clone());
    }
    // "motion mars" is by Anna, "motion maj" by nobody named.
    store
        .save_derived(
            &ids[0],
            &Derived {
                keys: vec!["author:Anna".into(), "dnr:KS 2022/1".into()],
                ..Derived::default()
            },
        )
        .unwrap();
    let nobody = DocId("ingen".into());
    let date = |s| Some(kedja_model::parse_iso_date(s).unwrap());
    let march = CandidateQuery {
        exclude: &nobody,
        municipality: Some("Sjövik"),
        kinds: Some(&[DocKind::Motion]),
        from: date("2022-03-01"),
        to: date("2022-03-31"),
        dated: false,
        key: None,
        among: None,
        any_key: None,
    };
    assert_eq!(
        titles(store.candidates(&march).unwrap()),
        ["motion mars", "motion odaterad", "motion okänd ort"],
        "the month, undated ones, and those of no known municipality"
    );
    let dated = CandidateQuery {
        dated: true,
        ..march.clone()
    };
    assert_eq!(
        titles(store.candidates(&dated).unwrap()),
        ["motion mars", "motion okänd ort"]
    );
    let not_self = CandidateQuery {
        exclude: &ids[0],
        ..dated.clone()
    };
    assert_eq!(
        titles(store.candidates(&not_self).unwrap()),
        ["motion okänd ort"]
    );
    let keyed = CandidateQuery {
        key: Some("dnr:KS 2022/1"),
        kinds: None,
        from: None,
        to: None,
        ..march.clone()
    };
    assert_eq!(titles(store.candidates(&keyed).unwrap()), ["motion mars"]);
    // Bertil's motion: not Anna's, but any without named authors.
    let bertil = CandidateQuery {
        from: None,
        to: None,
        among: Some(("author:Bertil", "author:", &[DocKind::Motion])),
        ..march.clone()
    };
    assert_eq!(
        titles(store.candidates(&bertil).unwrap()),
        ["motion maj", "motion odaterad", "motion okänd ort"]
    );
    // By a word of the title ("dnr:KS 2022/1" stands for any key).
    let words = ["dnr:KS 2022/1".to_owned(), "tt:saknas".to_owned()];
    let by_word = CandidateQuery {
        any_key: Some(&words),
        ..march.clone()
    };
    assert_eq!(titles(store.candidates(&by_word).unwrap()), ["motion mars"]);
    let no_words = CandidateQuery {
        any_key: Some(&[]),
        ..march.clone()
    };
    assert!(store.candidates(&no_words).unwrap().is_empty());
    let anywhere = CandidateQuery {
        municipality: None,
        kinds: None,
        from: None,
        to: date("2022-03-11"),
        dated: true,
        ..march.clone()
    };
    assert_eq!(
        titles(store.candidates(&anywhere).unwrap()),
        ["beslut mars", "motion annan ort", "motion mars"]
    );
}

#[test]
fn derivation_is_pending_until_saved_and_again_for_a_new_version() {
    let mut store = Store::open_in_memory().unwrap();
    let rec = record("Motion");
    let refs = [reference("KS-2019-317")];
    let id = store
        .save(&new_doc("a.txt", b"ett", &rec, &refs))
        .unwrap()
        .id()
        .clone();
    assert_eq!(store.pending_derivation().unwrap(), vec![id.clone()]);
    let stored = store.references(&id).unwrap();
    store
        .save_derived(
            &id,
            &Derived {
                keys: vec![],
                reference_keys: vec![(stored[0].id, Some("dnr:KS-2019-317".into()))],
                commitments: Some(kedja_model::CommitmentText::default()),
            },
        )
        .unwrap();
    assert!(store.pending_derivation().unwrap().is_empty());
    let by_key = store
        .references_by_key(&["dnr:KS-2019-317".into()], &[])
        .unwrap();
    assert_eq!(by_key.len(), 1);
    assert_eq!(by_key[0].stored.doc_id, id);
    assert_eq!(
        store
            .references_by_key(&[], &["dnr:".into()])
            .unwrap()
            .len(),
        1,
        "found by prefix"
    );
    assert!(
        store
            .references_by_key(&[], &["dnr:L".into()])
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.found_commitments().unwrap().len(), 1);
    // A new version is derived again; its old commitments are gone.
    store.save(&new_doc("a.txt", b"tva", &rec, &refs)).unwrap();
    assert_eq!(store.pending_derivation().unwrap(), vec![id]);
    assert!(store.found_commitments().unwrap().is_empty());
    assert!(
        store
            .references_by_key(&["dnr:KS-2019-317".into()], &[])
            .unwrap()
            .is_empty(),
        "the new version's references are not yet filed"
    );
}

/// Issue 16, "a second concurrent import's error is printed twice": a
/// second writer (another import) waits for the first instead of failing
/// at once, and when it does give up, its error names the cause once.
#[test]
fn a_second_writer_waits_for_the_first_and_its_error_says_the_cause_once() {
    use std::time::{Duration, Instant};
    let dir = std::env::temp_dir().join(format!("kedja-store-writers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kedja.sqlite");
    let mut first = Store::open(&path).unwrap();
    first
        .save(&new_doc("a", b"one", &record("a"), &[]))
        .unwrap();
    let mut second = Store::open(&path).unwrap();
    // The first holds the write lock for a while, as an import does.
    first.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        first.conn.execute_batch("COMMIT").unwrap();
        first
    });
    let started = Instant::now();
    second
        .save(&new_doc("b", b"two", &record("b"), &[]))
        .expect("the second writer waits for the first");
    assert!(started.elapsed() >= Duration::from_millis(200));
    let first = holder.join().unwrap();
    // Past its patience, the error says why once.
    first.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    second.conn.busy_timeout(Duration::from_millis(50)).unwrap();
    let e = second
        .save(&new_doc("c", b"three", &record("c"), &[]))
        .unwrap_err();
    let mut chain = vec![e.to_string()];
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        chain.push(c.to_string());
        cause = c.source();
    }
    let printed = chain.join(": ");
    assert_eq!(printed.matches("locked").count(), 1, "{printed}");
    first.conn.execute_batch("COMMIT").unwrap();
    drop((first, second));
    std::fs::remove_dir_all(&dir).unwrap();
}
