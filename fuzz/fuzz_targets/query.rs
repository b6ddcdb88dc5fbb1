//! Fuzz target: any query string through the search (parser, identifiers,
//! quoted phrases, spelling suggestions) over a small index must answer,
//! never panic or overflow the stack.
#![no_main]

use std::sync::OnceLock;

use kedja_index::{SearchIndex, SearchRequest};
use kedja_model::{DocId, DocKind, Document, Format, Record};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::in_ram().expect("index");
        let mut w = index.writer().expect("writer");
        for (i, text) in [
            "Motion om förskolans lokaler i Sjövik",
            "Interpellation om hedersrelaterat våld, dnr KS 2019/317",
            "Kommunfullmäktige beslutar § 12 att ge kommunstyrelsen i uppdrag",
        ]
        .iter()
        .enumerate()
        {
            let doc = Document {
                id: DocId(format!("d{i:016x}")),
                source: format!("{i}.txt"),
                format: Format::Text,
                extractor: "utf8".into(),
                content_hash: i.to_string(),
                version: 1,
                imported_at: time::OffsetDateTime::UNIX_EPOCH,
                text: (*text).into(),
                record: Record {
                    kind: DocKind::Motion,
                    title: (*text).into(),
                    ..Record::default()
                },
            };
            w.upsert(&doc).expect("upsert");
        }
        w.commit().expect("commit");
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data).into_owned();
    let _ = index().search(&SearchRequest {
        query,
        limit: 10,
        ..SearchRequest::default()
    });
});
