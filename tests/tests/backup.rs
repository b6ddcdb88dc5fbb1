//! `Store::backup_to` while imports run: every copy is a consistent,
//! complete database of its own that opens as an archive.

use std::sync::mpsc;

use kedja_pipeline::{Archive, ImportOptions};
use kedja_store::Store;

/// Integrity and foreign keys of the database at `path`, and its counts of
/// documents and references.
fn check(path: &std::path::Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "{}", path.display());
    let dangling: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM refs WHERE doc_id NOT IN (SELECT id FROM documents))
                  + (SELECT count(*) FROM links WHERE from_id NOT IN (SELECT id FROM documents)
                                                   OR to_id NOT IN (SELECT id FROM documents))
                  + (SELECT count(*) FROM versions WHERE doc_id NOT IN (SELECT id FROM documents))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        dangling,
        0,
        "rows without their document in {}",
        path.display()
    );
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    (count("documents"), count("refs"))
}

#[test]
fn backups_taken_while_importing_are_consistent_and_open() {
    let data = tempfile::tempdir().unwrap();
    let files = kedja_tests::demo_files();
    let total = files.len() as i64;
    let (tx, started) = mpsc::channel::<usize>();
    let dir = data.path().to_owned();
    let importer = std::thread::spawn(move || {
        let mut archive = Archive::open(&dir, &kedja_pipeline::ArchiveOptions::default()).unwrap();
        for (i, (file, municipality)) in files.iter().enumerate() {
            let opts = ImportOptions {
                municipality: Some(municipality.clone()),
                ..Default::default()
            };
            archive
                .import_paths(std::slice::from_ref(file), &opts, &mut |_| {})
                .unwrap();
            let _ = tx.send(i + 1);
        }
    });
    // Wait for a third of the corpus, then back up again and again while
    // the rest is imported (and linked) by the other connection.
    while started.recv().unwrap() < files_third(total) {}
    let store = Store::open(&data.path().join("kedja.sqlite")).unwrap();
    let copies = tempfile::tempdir().unwrap();
    let mut counts = Vec::new();
    let mut i = 0;
    while !importer.is_finished() || counts.is_empty() {
        let copy = copies.path().join(format!("copy-{i}.sqlite"));
        store.backup_to(&copy).unwrap();
        counts.push((copy, check_now(&copies, i)));
        i += 1;
    }
    importer.join().unwrap();
    let ns: Vec<i64> = counts.iter().map(|(_, (d, _))| *d).collect();
    assert!(ns.windows(2).all(|w| w[0] <= w[1]), "{ns:?}");
    assert!(ns[0] >= files_third(total) as i64, "{ns:?}");
    assert!(ns.iter().all(|n| *n <= total), "{ns:?}");

    // One more after the imports: everything is in it, and it opens alone
    // (no WAL beside it) as a data directory's store; the index is rebuilt.
    let last = copies.path().join("last.sqlite");
    store.backup_to(&last).unwrap();
    assert!(!copies.path().join("last.sqlite-wal").exists());
    let restored = tempfile::tempdir().unwrap();
    std::fs::rename(&last, restored.path().join("kedja.sqlite")).unwrap();
    let archive =
        Archive::open(restored.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
    assert_eq!(archive.store().stats().unwrap().documents as i64, total);
    assert_eq!(archive.index().num_docs() as i64, total);
    let hits = archive
        .search(&kedja_pipeline::SearchRequest {
            query: "hedersrelaterat".into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(hits.total >= 5, "{}", hits.total);
    let original = Archive::open(data.path(), &kedja_pipeline::ArchiveOptions::default()).unwrap();
    assert_eq!(
        archive.store().stats().unwrap().links,
        original.store().stats().unwrap().links
    );
}

fn files_third(total: i64) -> usize {
    (total / 3) as usize
}

/// Check the copy just written.
fn check_now(dir: &tempfile::TempDir, i: usize) -> (i64, i64) {
    check(&dir.path().join(format!("copy-{i}.sqlite")))
}
