//! Each part of the archive on an in-memory store: import, linking,
//! tracking and queries.

use kedja_model::{CommitmentStatus, DocId, DocKind, LinkType};

use super::*;

const DECISION: &str = "Protokollsutdrag\n\nKommunfullmäktige\n\nSammanträdesdatum 2020-09-28\n\n§ 112 Solceller på kommunens byggnader\n\nDnr KS 2020/41\n\nKommunfullmäktige beslutar\n\natt ge kommunstyrelsen i uppdrag att installera solceller på fem av kommunens byggnader senast 2021-12-31.\n";

const INTERPELLATION: &str = "Interpellation\n\nTill KSO om solcellerna\n\nGenom kommunfullmäktiges beslut den 28 september 2020 (§ 112) skulle fem byggnader få solceller.\n\nJag vill därför fråga:\n\n1. När blir det klart?\n\nNorrby 2024-01-10\n\nOlof Strand (V)\n";

fn opts() -> ImportOptions {
    ImportOptions {
        municipality: Some("Norrby".into()),
        ..Default::default()
    }
}

fn imported(outcome: &Outcome) -> DocId {
    match outcome {
        Outcome::Imported { id, .. } => id.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn import_accounts_for_new_changed_unchanged_and_unreadable_bytes() {
    let mut a = Archive::in_memory().unwrap();
    let id = imported(
        &a.import_bytes("kf/112.txt", DECISION.as_bytes(), &opts())
            .unwrap(),
    );
    assert_eq!(
        a.import_bytes("kf/112.txt", DECISION.as_bytes(), &opts())
            .unwrap(),
        Outcome::Unchanged { id: id.clone() }
    );
    let changed = DECISION.replace("fem", "sex");
    assert_eq!(
        a.import_bytes("kf/112.txt", changed.as_bytes(), &opts())
            .unwrap(),
        Outcome::NewVersion {
            id: id.clone(),
            version: 2
        }
    );
    let before = a.store().document_count().unwrap();
    let rejected = a
        .import_bytes("x.bin", &[0u8, 159, 146, 150, 0, 0, 1], &opts())
        .unwrap();
    assert!(matches!(rejected, Outcome::Rejected { .. }), "{rejected:?}");
    assert_eq!(a.store().document_count().unwrap(), before);
    let doc = a.document(&id).unwrap().unwrap();
    assert!(doc.text.contains("sex av kommunens"), "{}", doc.text);
}

#[test]
fn linking_resolves_a_reference_whichever_document_comes_first() {
    for decision_first in [true, false] {
        let mut a = Archive::in_memory().unwrap();
        let mut order = vec![("kf/112.txt", DECISION), ("ip/1.txt", INTERPELLATION)];
        if !decision_first {
            order.reverse();
        }
        for (source, text) in order {
            a.import_bytes(source, text.as_bytes(), &opts()).unwrap();
        }
        let decision = a.store().id_for_source("kf/112.txt").unwrap().unwrap();
        let question = a.store().id_for_source("ip/1.txt").unwrap().unwrap();
        let links = a.store().links_from(&question).unwrap();
        assert!(
            links
                .iter()
                .any(|l| l.to == decision && l.link_type == LinkType::AsksAbout),
            "decision first: {decision_first}: {links:#?}"
        );
        // Relinking everything finds the same.
        let stats = a.relink_all().unwrap();
        assert_eq!(stats.documents, 2);
        assert_eq!(a.store().links_from(&question).unwrap(), links);
    }
}

#[test]
fn tracking_follows_an_assignment_to_the_report_that_closes_it() {
    let mut a = Archive::in_memory().unwrap();
    a.import_bytes("kf/112.txt", DECISION.as_bytes(), &opts())
        .unwrap();
    let open = a.commitments().unwrap();
    assert_eq!(open.len(), 1, "{open:#?}");
    assert_eq!(open[0].status, CommitmentStatus::Unknown);
    let report = "Protokollsutdrag\n\nKommunstyrelsen\n\nSammanträdesdatum 2022-02-07\n\n§ 20 Återrapportering av uppdrag om solceller\n\nKommunfullmäktige gav den 28 september 2020, § 112, kommunstyrelsen i uppdrag att installera solceller på fem av kommunens byggnader. Solcellerna är nu installerade.\n\nKommunstyrelsen beslutar\n\natt anse uppdraget avslutat.\n";
    a.import_bytes("ks/20.txt", report.as_bytes(), &opts())
        .unwrap();
    let tracked = a.commitments().unwrap();
    assert_eq!(tracked.len(), 1, "{tracked:#?}");
    assert_eq!(tracked[0].status, CommitmentStatus::Done, "{tracked:#?}");
}

#[test]
fn a_document_view_holds_its_links_both_ways_with_the_other_ends() {
    let mut a = Archive::in_memory().unwrap();
    let decision = imported(
        &a.import_bytes("kf/112.txt", DECISION.as_bytes(), &opts())
            .unwrap(),
    );
    let question = imported(
        &a.import_bytes("ip/1.txt", INTERPELLATION.as_bytes(), &opts())
            .unwrap(),
    );
    let today = kedja_model::parse_iso_date("2024-06-01").unwrap();
    let view = a.document_view(&decision, today).unwrap().unwrap();
    assert_eq!(view.document.record.kind, DocKind::Decision);
    let cited_by = view
        .links_in
        .iter()
        .find(|l| l.link.from == question)
        .unwrap_or_else(|| panic!("{:#?}", view.links_in));
    assert_eq!(
        cited_by.other.as_ref().map(|o| o.title.as_str()),
        Some("Till KSO om solcellerna")
    );
    assert_eq!(view.commitments.len(), 1, "{:#?}", view.commitments);
    assert!(view.commitments[0].is_overdue(today));
    assert_eq!(view.versions.len(), 1);
    assert!(!view.gone_from_source && view.meeting.is_none());
    let back = a.document_view(&question, today).unwrap().unwrap();
    assert!(back.links_out.iter().any(|l| l.link.to == decision));
    assert!(
        a.document_view(&DocId("nothing".into()), today)
            .unwrap()
            .is_none()
    );
}

#[test]
fn word_list_settings_choose_the_list_and_fall_back_to_the_shipped_one() {
    let none = ArchiveOptions::with_word_list_setting(Some(std::ffi::OsStr::new("")));
    assert!(none.word_list.is_none());
    let shipped = ArchiveOptions::default().word_list.unwrap();
    assert!(shipped.contains("handlingsplan") || shipped.len() > 100_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words.txt");
    std::fs::write(&path, "solcell\nbyggnad\n").unwrap();
    let own = ArchiveOptions::with_word_list_setting(Some(path.as_os_str()));
    assert_eq!(own.word_list.unwrap().len(), 2);
    let missing = ArchiveOptions::with_word_list_setting(Some(dir.path().join("no").as_os_str()));
    assert_eq!(missing.word_list.unwrap().len(), shipped.len());
}

/// A whole protocol of two §§ and, published with another meeting's
/// papers, an extract of its § 21 (invented text).
const PROTOCOL: &str = "Fritidsnämnden\nProtokoll\n2031-03-10\n\nPlats och tid\nStadshuset kl. 18.00\n\nBeslutande\nAnna Berg (S)\n\nUtses att justera\nPer Ek\n\n\u{a7} 20\n\u{a7} 21\n\nVal av justerare\nBryggplatser i hamnen\n\nUtdragsbestyrkande\n\n\u{a7} 20\n\nVal av justerare\nBeslut\nPer Ek utses.\n\n\u{a7} 21 FN 2031/4\n\nBryggplatser i hamnen\nÄrendebeskrivning\nKöerna till bryggplatserna i hamnen är långa.\nBeslut\nFritidsförvaltningen får i uppdrag att bygga tjugo nya bryggplatser i hamnen senast 2032-06-30.\n";
const EXTRACT: &str = "Fritidsnämnden\nProtokoll\n2031-03-10\n\n\u{a7} 21\n\nBryggplatser i hamnen\nÄrendebeskrivning\nKöerna till bryggplatserna i hamnen är långa.\nBeslut\nFritidsförvaltningen får i uppdrag att bygga tjugo nya bryggplatser i hamnen senast 2032-06-30.\n\nUtdragsbestyrkande\n";

#[test]
fn an_extract_and_its_protocols_paragraph_are_one_decision() {
    for protocol_first in [true, false] {
        let mut a = Archive::in_memory().unwrap();
        let mut order = vec![
            ("fn/2031-03-10/protokoll.txt", PROTOCOL),
            ("ks/2031-04-01/bilagor/ss21-fn-bryggplatser.txt", EXTRACT),
        ];
        if !protocol_first {
            order.reverse();
        }
        for (source, text) in order {
            a.import_bytes(source, text.as_bytes(), &opts()).unwrap();
        }
        let extract = a
            .store()
            .id_for_source("ks/2031-04-01/bilagor/ss21-fn-bryggplatser.txt")
            .unwrap()
            .unwrap();
        let section = a
            .store()
            .id_for_source("fn/2031-03-10/protokoll.txt#§21")
            .unwrap()
            .unwrap();
        let same: Vec<_> = a
            .store()
            .links_from(&extract)
            .unwrap()
            .into_iter()
            .filter(|l| l.link_type == LinkType::SameDecision)
            .map(|l| l.to)
            .collect();
        assert_eq!(
            same,
            std::slice::from_ref(&section),
            "protocol first: {protocol_first}"
        );
        // Search shows the decision once: the protocol's §.
        let found = a
            .search(&SearchRequest {
                query: "bryggplatser".into(),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        let ids: Vec<&DocId> = found.hits.iter().map(|h| &h.id).collect();
        assert!(ids.contains(&&section), "{ids:?}");
        assert!(!ids.contains(&&extract), "{ids:?}");
        // The trace from the protocol's § holds it once.
        let trace = a.trace(&section, 2, Direction::Both).unwrap().unwrap();
        assert!(
            trace
                .nodes
                .iter()
                .all(|n| n.id() != NodeId::Document(extract.clone())),
            "{trace:#?}"
        );
        // One assignment, at the protocol's §.
        let tracked = a.commitments().unwrap();
        assert_eq!(tracked.len(), 1, "{tracked:#?}");
        assert_eq!(tracked[0].doc_id, section);
    }
}
