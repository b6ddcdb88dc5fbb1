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
