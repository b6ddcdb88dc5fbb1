//! The five seed documents, understood in full and compared with their
//! expected records in `tests/snapshots/seeds/` (reviewed by hand).
//! `KEDJA_UPDATE_SNAPSHOTS=1 cargo test -p kedja-tests --test seeds` writes
//! the current output instead; review the diff before committing it.

use kedja_extract::{Hints, clean_text, detect_municipality, understand};
use kedja_tests::{repo_root, shared_dir};

fn record_json(raw: &[u8]) -> serde_json::Value {
    let decoded = kedja_formats::decode(raw).expect("seeds decode");
    let text = clean_text(&decoded.text);
    let hints = Hints {
        municipality: detect_municipality(&decoded.text),
        ..Hints::default()
    };
    let u = understand(&text, &hints);
    let mut record = serde_json::to_value(&u.record).unwrap();
    // Every date in the text is long and checked by unit tests; keep the count.
    let dates = u.record.dates.len();
    record
        .as_object_mut()
        .unwrap()
        .insert("dates".into(), serde_json::json!(dates));
    let references: Vec<serde_json::Value> = u
        .references
        .iter()
        .map(|r| {
            serde_json::json!({
                "kind": r.kind.as_str(),
                "target_kind": r.target_kind.map(|k| k.as_str()),
                "body": r.body,
                "date": r.date.map(|d| format!("{}..{}", d.start, d.end)),
                "person": r.person.as_ref().map(|p| format!("{} ({})", p.name, p.party.as_deref().unwrap_or("-"))),
                "title": r.title,
                "paragraph": r.paragraph,
                "diarienummer": r.diarienummer,
                "evidence": r.evidence.chars().take(120).collect::<String>(),
            })
        })
        .collect();
    serde_json::json!({ "record": record, "references": references })
}

#[test]
fn seeds_match_their_snapshots() {
    let update = std::env::var_os("KEDJA_UPDATE_SNAPSHOTS").is_some();
    let mut seeds: Vec<_> = std::fs::read_dir(shared_dir().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5);
    let mut differ = Vec::new();
    for seed in seeds {
        let got = record_json(&std::fs::read(&seed).unwrap());
        let name = seed.file_stem().unwrap().to_string_lossy().into_owned();
        let path = repo_root()
            .join("tests/snapshots/seeds")
            .join(format!("{name}.json"));
        if update {
            std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if got != expected {
            differ.push(format!("{name}:\nexpected {}\ngot      {}", expected, got));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}
