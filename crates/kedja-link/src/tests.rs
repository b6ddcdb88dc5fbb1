//! Resolution on hand-made corpora, including the adversarial cases: two
//! decisions on one day, a look-alike plan in another municipality, a
//! reference to a document that is not there, a motion cited by author and
//! month only.

use super::*;
use kedja_model::{DateRange, PersonRole};
use time::Month;
use time::macros::date;

fn doc(id: &str, kind: DocKind, muni: &str, date: Date, title: &str) -> DocInfo {
    DocInfo {
        id: DocId(id.into()),
        kind,
        municipality: Some(muni.into()),
        date: Some(date),
        title: title.into(),
        body: None,
        authors: vec![],
        diarienummer: vec![],
        paragraph: None,
        own_diarienummer: vec![],
        doc_number: None,
        office: None,
        part_of: None,
        name: None,
        folder: None,
        decided: None,
    }
}

fn decision(id: &str, muni: &str, date: Date, body: &str, paragraph: &str, title: &str) -> DocInfo {
    DocInfo {
        body: Some(body.into()),
        paragraph: Some(paragraph.into()),
        ..doc(id, DocKind::Decision, muni, date, title)
    }
}

/// Linking against a corpus in memory, which cannot fail.
fn link(corpus: &MemoryCorpus, citing: &DocInfo, text: &str, refs: &[Reference]) -> Linked {
    let Ok(linked) = link_document(corpus, citing, text, refs);
    linked
}

fn reference(kind: RefKind) -> Reference {
    Reference::new(kind, "…", 0, 1)
}

/// A line of a list of documents naming `title`.
fn listed(title: &str) -> Reference {
    Reference {
        title: Some(title.into()),
        ..reference(RefKind::Listed)
    }
}

fn corpus() -> MemoryCorpus {
    let mut motion = doc(
        "motion",
        DocKind::Motion,
        "Sjövik",
        date!(2022 - 02 - 07),
        "Motion om förebyggande arbete mot mäns våld mot kvinnor",
    );
    motion.authors = vec![Person {
        name: "Martina Lind".into(),
        party: Some("V".into()),
        role: PersonRole::Author,
    }];
    let mut other_motion = doc(
        "motion2",
        DocKind::Motion,
        "Sjövik",
        date!(2022 - 02 - 20),
        "Motion om belysning i parker",
    );
    other_motion.authors = vec![Person {
        name: "Jonas Ek".into(),
        party: Some("M".into()),
        role: PersonRole::Author,
    }];
    MemoryCorpus::new([
        motion,
        other_motion,
        decision(
            "kf187",
            "Sjövik",
            date!(2022 - 12 - 14),
            "Kommunfullmäktige",
            "§ 187",
            "Svar på motion om förebyggande arbete mot mäns våld mot kvinnor",
        ),
        decision(
            "kf185",
            "Sjövik",
            date!(2022 - 12 - 14),
            "Kommunfullmäktige",
            "§ 185",
            "Mål och budget 2023",
        ),
        decision(
            "sn140",
            "Sjövik",
            date!(2022 - 12 - 14),
            "Socialnämnden",
            "§ 140",
            "Internkontrollplan 2023",
        ),
        doc(
            "plan",
            DocKind::Plan,
            "Sjövik",
            date!(2023 - 06 - 14),
            "Handlingsplan mot hedersrelaterat våld och förtryck 2023–2026",
        ),
        doc(
            "plan-n",
            DocKind::Plan,
            "Norrbacka",
            date!(2017 - 09 - 19),
            "Handlingsplan mot hedersrelaterat våld och förtryck 2017–2019",
        ),
    ])
}

fn interpellation(muni: &str) -> DocInfo {
    doc(
        "ip",
        DocKind::Interpellation,
        muni,
        date!(2024 - 09 - 02),
        "Till KSO om arbetet mot mäns våld mot kvinnor",
    )
}

fn resolve(citing: &DocInfo, r: Reference) -> Option<(String, LinkType)> {
    let linked = link(&corpus(), citing, "", std::slice::from_ref(&r));
    linked.links.first().map(|l| (l.to.0.clone(), l.link_type))
}

#[test]
fn paragraph_date_and_body_resolve_exactly() {
    let r = Reference {
        body: Some("Kommunfullmäktige".into()),
        date: Some(DateRange::day(date!(2022 - 12 - 14))),
        paragraph: Some("§ 187".into()),
        ..reference(RefKind::Decision)
    };
    assert_eq!(
        resolve(&interpellation("Sjövik"), r),
        Some(("kf187".into(), LinkType::AsksAbout))
    );
}

#[test]
fn two_decisions_on_one_day_by_different_bodies() {
    // A body and a day alone: the board decided more that day than the
    // archive holds, so no guess.
    let r = Reference {
        body: Some("Socialnämnden".into()),
        date: Some(DateRange::day(date!(2022 - 12 - 14))),
        ..reference(RefKind::Decision)
    };
    assert_eq!(resolve(&interpellation("Sjövik"), r.clone()), None);
    // Named with its subject, it is the board's, not the council's.
    let on_topic = Reference {
        evidence: "socialnämndens beslut 2022-12-14 om internkontrollplanen".into(),
        ..r
    };
    assert_eq!(
        resolve(&interpellation("Sjövik"), on_topic).map(|x| x.0),
        Some("sn140".into())
    );
}

#[test]
fn same_body_same_day_is_told_apart_by_topic_or_left_open() {
    let on_topic = Reference {
        body: Some("Kommunfullmäktige".into()),
        date: Some(DateRange::day(date!(2022 - 12 - 14))),
        evidence: "kommunfullmäktiges beslut 2022-12-14 om våld mot kvinnor".into(),
        ..reference(RefKind::Decision)
    };
    assert_eq!(
        resolve(&interpellation("Sjövik"), on_topic).map(|x| x.0),
        Some("kf187".into())
    );
    let mut neutral_citing = interpellation("Sjövik");
    neutral_citing.title = "Till KSO om läget".into();
    let vague = Reference {
        body: Some("Kommunfullmäktige".into()),
        date: Some(DateRange::day(date!(2022 - 12 - 14))),
        evidence: "beslutet 2022-12-14".into(),
        ..reference(RefKind::Decision)
    };
    assert_eq!(resolve(&neutral_citing, vague), None, "ambiguous: no guess");
}

#[test]
fn motion_by_author_and_month() {
    let r = Reference {
        target_kind: Some(DocKind::Motion),
        person: Some(Person {
            name: "Martina Lind".into(),
            party: Some("V".into()),
            role: PersonRole::Author,
        }),
        date: DateRange::month(2022, Month::February),
        evidence: "I februari 2022 lämnade Martina Lind (V) in en motion".into(),
        ..reference(RefKind::Mention)
    };
    let (to, t) = resolve(&interpellation("Sjövik"), r).unwrap();
    assert_eq!((to.as_str(), t), ("motion", LinkType::AsksAbout));
}

#[test]
fn an_author_s_name_is_the_same_with_or_without_its_accents() {
    let by = |name: &str| Reference {
        target_kind: Some(DocKind::Motion),
        person: Some(Person {
            name: name.into(),
            party: Some("V".into()),
            role: PersonRole::Author,
        }),
        date: DateRange::month(2022, Month::February),
        evidence: format!("I februari 2022 lämnade {name} (V) in en motion"),
        ..reference(RefKind::Mention)
    };
    assert_eq!(
        resolve(&interpellation("Sjövik"), by("Martína Lind")).map(|x| x.0),
        Some("motion".into())
    );
    assert_eq!(resolve(&interpellation("Sjövik"), by("Martin Lind")), None);
    assert!(crate::same_name("César Díaz", "Cesár Diaz"));
    assert_eq!(
        crate::keys::author_key("César Díaz"),
        crate::keys::author_key("Cesar Diaz")
    );
}

#[test]
fn lookalike_plan_in_another_municipality_is_not_linked() {
    let r = Reference {
        target_kind: Some(DocKind::Plan),
        title: Some("Handlingsplan mot hedersrelaterat våld och förtryck 2017–2019".into()),
        evidence: "Handlingsplan mot hedersrelaterat våld och förtryck 2017–2019".into(),
        ..reference(RefKind::Mention)
    };
    let mut citing = interpellation("Norrbacka");
    citing.date = Some(date!(2021 - 01 - 20));
    assert_eq!(
        resolve(&citing, r.clone()).map(|x| x.0),
        Some("plan-n".into())
    );
    let mut elsewhere = interpellation("Ekby");
    elsewhere.date = Some(date!(2025 - 01 - 01));
    assert_eq!(resolve(&elsewhere, r), None);
}

#[test]
fn a_reference_that_names_another_municipality_goes_there() {
    let r = Reference {
        target_kind: Some(DocKind::Plan),
        title: Some("Handlingsplan mot hedersrelaterat våld och förtryck".into()),
        municipality: Some("Norrbacka".into()),
        evidence: "Norrbacka kommuns Handlingsplan mot hedersrelaterat våld och förtryck".into(),
        ..reference(RefKind::Mention)
    };
    let mut citing = interpellation("Sjövik");
    citing.date = Some(date!(2020 - 01 - 01));
    assert_eq!(resolve(&citing, r).map(|x| x.0), Some("plan-n".into()));
}

#[test]
fn reference_to_a_missing_document_stays_unresolved() {
    let r = Reference {
        target_kind: Some(DocKind::Motion),
        person: Some(Person {
            name: "Karin Ny".into(),
            party: Some("KD".into()),
            role: PersonRole::Author,
        }),
        date: DateRange::month(2021, Month::March),
        evidence: "Karin Ny (KD) lämnade i mars 2021 en motion".into(),
        ..reference(RefKind::Mention)
    };
    let linked = link(
        &corpus(),
        &interpellation("Sjövik"),
        "",
        std::slice::from_ref(&r),
    );
    assert!(linked.links.is_empty());
    assert_eq!(linked.resolved, vec![None]);
}

#[test]
fn later_documents_are_never_cited() {
    let r = Reference {
        target_kind: Some(DocKind::Plan),
        title: Some("Handlingsplan mot hedersrelaterat våld".into()),
        ..reference(RefKind::Mention)
    };
    let mut early = interpellation("Sjövik");
    early.date = Some(date!(2020 - 01 - 01));
    assert_eq!(resolve(&early, r), None);
}

#[test]
fn identifiers_resolve_to_their_only_holder() {
    let mut plan = doc(
        "plan-dnr",
        DocKind::Plan,
        "Sjövik",
        date!(2020 - 01 - 10),
        "Handlingsplan för trygghet",
    );
    plan.own_diarienummer = vec!["KS-2019-317".into()];
    let mut a = doc(
        "a",
        DocKind::Motion,
        "Sjövik",
        date!(2021 - 01 - 10),
        "Motion om parker",
    );
    a.own_diarienummer = vec!["KS-2021-88".into()];
    let mut b = doc(
        "b",
        DocKind::Decision,
        "Sjövik",
        date!(2021 - 06 - 10),
        "Svar på motion om parker",
    );
    b.own_diarienummer = vec!["KS-2021-88".into()];
    let mut ip = doc(
        "ip-number",
        DocKind::Interpellation,
        "Riksdagen",
        date!(2023 - 01 - 10),
        "Interpellation 2022/23:1",
    );
    ip.doc_number = Some("2022/23:1".into());
    let corpus = MemoryCorpus::new([plan, a, b, ip]);
    let citing = interpellation("Sjövik");
    let dnr = |key: &str| Reference {
        diarienummer: Some(key.into()),
        evidence: key.into(),
        ..reference(RefKind::Diarienummer)
    };
    let linked = link(
        &corpus,
        &citing,
        "",
        &[dnr("KS-2019-317"), dnr("KS-2021-88")],
    );
    assert_eq!(
        linked.resolved,
        vec![Some(DocId("plan-dnr".into())), None],
        "one holder links; an ärende of two does not"
    );
    let mut answer = doc(
        "answer",
        DocKind::InterpellationAnswer,
        "Riksdagen",
        date!(2023 - 02 - 01),
        "Svar",
    );
    answer.municipality = Some("Riksdagen".into());
    let number = Reference {
        title: Some("2022/23:1".into()),
        evidence: "interpellation 2022/23:1".into(),
        ..reference(RefKind::DocumentNumber)
    };
    let linked = link(&corpus, &answer, "", &[number]);
    assert_eq!(
        linked.links.first().map(|l| (l.to.0.as_str(), l.link_type)),
        Some(("ip-number", LinkType::Answers))
    );
}

/// An office's reports of one day, each of its own case, and the § of a
/// board that decides one of those cases.
fn open_world_corpus() -> MemoryCorpus {
    let report = |id: &str, dnr: &str, title: &str| DocInfo {
        office: Some("Miljöförvaltningen".into()),
        own_diarienummer: vec![dnr.into()],
        ..doc(
            id,
            DocKind::StaffReport,
            "Sjövik",
            date!(2025 - 02 - 03),
            title,
        )
    };
    MemoryCorpus::new([
        report(
            "ts-taxa",
            "MN-2025-12",
            "Ny taxa för tillsyn enligt miljöbalken",
        ),
        report("ts-bad", "MN-2025-14", "Provtagning av badvatten 2025"),
        DocInfo {
            own_diarienummer: vec!["MN-2025-12".into()],
            ..decision(
                "mn-au",
                "Sjövik",
                date!(2025 - 02 - 10),
                "Miljönämndens arbetsutskott",
                "§ 8",
                "Ny taxa för tillsyn enligt miljöbalken",
            )
        },
        doc(
            "karta",
            DocKind::Other,
            "Sjövik",
            date!(2025 - 01 - 28),
            "Karta över tillsynsområden i norra Sjövik",
        ),
    ])
}

fn citing_section() -> DocInfo {
    DocInfo {
        own_diarienummer: vec!["MN-2025-12".into()],
        ..decision(
            "mn-12",
            "Sjövik",
            date!(2025 - 02 - 24),
            "Miljönämnden",
            "§ 12",
            "Ny taxa för tillsyn enligt miljöbalken",
        )
    }
}

#[test]
fn an_office_report_is_found_by_date_office_and_case() {
    let corpus = open_world_corpus();
    let r = Reference {
        target_kind: Some(DocKind::StaffReport),
        body: Some("Miljöförvaltningen".into()),
        date: Some(DateRange::day(date!(2025 - 02 - 03))),
        ..reference(RefKind::Mention)
    };
    let linked = link(&corpus, &citing_section(), "", std::slice::from_ref(&r));
    assert_eq!(linked.resolved, [Some(DocId("ts-taxa".into()))]);
    // Of another case, or with no case to go by, two reports of the day
    // fit equally: none is chosen.
    let elsewhere = DocInfo {
        own_diarienummer: vec![],
        title: "Övriga frågor".into(),
        ..citing_section()
    };
    let linked = link(&corpus, &elsewhere, "", std::slice::from_ref(&r));
    assert_eq!(linked.resolved, [None]);
}

#[test]
fn a_paragraph_needs_its_meeting_day() {
    let corpus = open_world_corpus();
    let bare = Reference {
        paragraph: Some("§ 8".into()),
        ..reference(RefKind::Paragraph)
    };
    let dated = Reference {
        body: Some("Miljönämndens arbetsutskott".into()),
        date: Some(DateRange::day(date!(2025 - 02 - 10))),
        ..bare.clone()
    };
    let other_year = Reference {
        date: Some(DateRange::day(date!(2016 - 05 - 25))),
        ..dated.clone()
    };
    let linked = link(&corpus, &citing_section(), "", &[bare, dated, other_year]);
    assert_eq!(linked.resolved, [None, Some(DocId("mn-au".into())), None]);
    assert!(
        linked
            .links
            .iter()
            .any(|l| l.to.0 == "mn-au" && l.confidence >= 0.95)
    );
}

#[test]
fn a_decision_by_body_and_day_needs_its_title_in_the_words_around() {
    let corpus = open_world_corpus();
    let r = |text: &str| Reference {
        body: Some("Miljönämndens arbetsutskott".into()),
        date: Some(DateRange::day(date!(2025 - 02 - 10))),
        ..Reference::new(
            RefKind::Decision,
            "arbetsutskottet beslutade",
            0,
            text.len(),
        )
    };
    let vague = "Arbetsutskottet beslutade den 10 februari 2025 att återremittera ärendet.";
    let named =
        "Arbetsutskottet beslutade den 10 februari 2025 om ny taxa för tillsyn enligt miljöbalken.";
    // Cited from a § on another matter: the words around say nothing of
    // which of the day's decisions.
    let other = DocInfo {
        title: "Delegationsordning".into(),
        own_diarienummer: vec![],
        ..citing_section()
    };
    assert_eq!(link(&corpus, &other, vague, &[r(vague)]).resolved, [None]);
    assert_eq!(
        link(&corpus, &other, named, &[r(named)]).resolved,
        [Some(DocId("mn-au".into()))]
    );
    // Cited from the § of the same matter, whose title is the decision's.
    assert_eq!(
        link(&corpus, &citing_section(), vague, &[r(vague)]).resolved,
        [Some(DocId("mn-au".into()))]
    );
}

#[test]
fn a_listed_line_names_the_document_with_that_title() {
    let corpus = open_world_corpus();
    let linked = link(
        &corpus,
        &citing_section(),
        "",
        &[
            listed("Karta över tillsynsområden i norra Sjövik"),
            listed("Karta över badplatser"),
            listed("Yttrande från länsstyrelsen om tillsynen"),
        ],
    );
    assert_eq!(linked.resolved, [Some(DocId("karta".into())), None, None]);
}

#[test]
fn documents_of_one_case_are_linked_once_from_the_later() {
    let corpus = open_world_corpus();
    let later = citing_section();
    let linked = link(&corpus, &later, "", &[]);
    let mut same: Vec<&str> = linked
        .links
        .iter()
        .filter(|l| l.link_type == LinkType::SameCase)
        .map(|l| l.to.0.as_str())
        .collect();
    same.sort();
    assert_eq!(same, ["mn-au", "ts-taxa"]);
    // The earlier report links to nothing of its case: the later ones do.
    let report = corpus
        .get(&DocId("ts-taxa".into()))
        .expect("stored")
        .clone();
    assert!(link(&corpus, &report, "", &[]).links.is_empty());
    // Asked what a new document of the case changes: every other member.
    let Ok(mut members) = case_members(&corpus, &report);
    members.sort();
    assert_eq!(members, [DocId("mn-au".into())]);
}

#[test]
fn a_section_never_links_to_its_own_protocol() {
    let mut corpus = open_world_corpus();
    corpus.insert(DocInfo {
        body: Some("Miljönämnden".into()),
        ..doc(
            "protokoll",
            DocKind::Protocol,
            "Sjövik",
            date!(2025 - 02 - 24),
            "Protokoll Miljönämnden 2025-02-24",
        )
    });
    let section = DocInfo {
        part_of: Some(DocId("protokoll".into())),
        ..citing_section()
    };
    let r = Reference {
        body: Some("Miljönämnden".into()),
        date: Some(DateRange::day(date!(2025 - 02 - 24))),
        ..reference(RefKind::Decision)
    };
    let text = "Protokoll Miljönämnden 2025-02-24";
    assert_eq!(link(&corpus, &section, text, &[r]).resolved, [None]);
}

#[test]
fn a_published_name_is_words_without_folders_query_or_suffix() {
    assert_eq!(
        source_name(
            "https://x.example/agenda/plankarta-detaljplan-for-erskapdf-60508?downloadMode=open"
        )
        .as_deref(),
        Some("plankarta detaljplan for erska")
    );
    assert_eq!(
        source_name("/data/bilagor/ab-radhus-rapport-2026-03-26.pdf").as_deref(),
        Some("ab radhus rapport 2026 03 26")
    );
    assert_eq!(source_name("/data/protokoll.pdf#§ 12"), None);
    assert_eq!(fold("Rådhus Öster"), "radhus oster");
}

#[test]
fn a_listed_line_finds_a_document_by_its_published_name() {
    let mut corpus = open_world_corpus();
    corpus.insert(DocInfo {
        // A title the text gave badly; the name it was published under.
        name: source_name("/x/bilagor/rapport-borgensavgifter-radhusbolaget-2026-03-26.pdf"),
        ..doc(
            "rapport",
            DocKind::Other,
            "Sjövik",
            date!(2025 - 01 - 20),
            "CYAN MAGENTA 40",
        )
    });
    let r = listed("Rådhusbolaget, rapport borgensavgifter");
    let linked = link(&corpus, &citing_section(), "", &[r]);
    assert_eq!(linked.resolved, [Some(DocId("rapport".into()))]);
}

#[test]
fn a_title_of_one_telling_word_names_only_the_document_titled_so() {
    let mut corpus = open_world_corpus();
    corpus.insert(doc(
        "taxa",
        DocKind::Plan,
        "Sjövik",
        date!(2025 - 01 - 15),
        "Tillsynstaxa för Sjövik kommun",
    ));
    corpus.insert(doc(
        "taxa-hist",
        DocKind::Other,
        "Sjövik",
        date!(2024 - 03 - 02),
        "Tillsynstaxa och avgifter för camping",
    ));
    let linked = link(
        &corpus,
        &citing_section(),
        "",
        // The municipality's name tells nothing; "Tillsynstaxa" alone is
        // the one telling word, and only one title has no other.
        &[
            listed("Tillsynstaxa för Sjövik kommun"),
            listed("Badplatser"),
        ],
    );
    assert_eq!(linked.resolved, [Some(DocId("taxa".into())), None]);
}

#[test]
fn a_year_after_the_citing_document_is_a_horizon_not_a_date() {
    let mut corpus = open_world_corpus();
    corpus.insert(doc(
        "strategi",
        DocKind::Plan,
        "Sjövik",
        date!(2024 - 11 - 20),
        "Regional strategi för vattenvård 2021-2030",
    ));
    let r = listed("Regional strategi för vattenvård 2021-2030, med utblick mot 2045");
    let linked = link(&corpus, &citing_section(), "", &[r]);
    assert_eq!(linked.resolved, [Some(DocId("strategi".into()))]);
    // A year the citing document has seen still bounds the candidates.
    let r = listed("Regional strategi för vattenvård, uppföljning 2026");
    let later = DocInfo {
        date: Some(date!(2026 - 03 - 01)),
        ..citing_section()
    };
    assert_eq!(link(&corpus, &later, "", &[r]).resolved, [None]);
}

#[test]
fn among_one_case_s_documents_the_word_they_do_not_share_tells() {
    let mut corpus = open_world_corpus();
    let named = |id: &str, kind: DocKind, title: &str, file: &str| DocInfo {
        name: source_name(file),
        ..doc(id, kind, "Sjövik", date!(2025 - 01 - 20), title)
    };
    corpus.insert(named(
        "beskr",
        DocKind::Other,
        "Detaljplan för Norrby 2:4 med flera, Skolvägen",
        "/x/planbeskrivning-detaljplan-for-norrby-24-mfl-skolvagen-granskning.pdf",
    ));
    corpus.insert(named(
        "karta",
        DocKind::Other,
        "Grundkartan är upprättad av förvaltningen",
        "/x/plankarta-detaljplan-for-norrby-24-mfl-skolvagen-granskning.pdf",
    ));
    corpus.insert(named(
        "au",
        DocKind::Decision,
        "Detaljplan för Norrby 2:4 m.fl., Skolvägen, beslut om granskning",
        "/x/ss12-au-detaljplan-for-norrby-24-mfl-skolvagen-beslut-om-granskning.pdf",
    ));
    let linked = link(
        &corpus,
        &citing_section(),
        "",
        &[
            listed("Planbeskrivning - Detaljplan för Norrby 2:4 m.fl., Skolvägen, granskning"),
            listed("Plankarta - Detaljplan för Norrby 2:4 m.fl., Skolvägen, granskning"),
        ],
    );
    assert_eq!(
        linked.resolved,
        [Some(DocId("beskr".into())), Some(DocId("karta".into()))]
    );
}

#[test]
fn a_listed_paragraph_names_a_decision_not_the_report_it_decided_on() {
    let mut corpus = open_world_corpus();
    corpus.insert(DocInfo {
        office: Some("Ekonomikontoret".into()),
        ..doc(
            "ts-bokslut",
            DocKind::StaffReport,
            "Sjövik",
            date!(2025 - 01 - 30),
            "Årsredovisning 2024 för Sjöviks hamnbolag",
        )
    });
    let r = listed("§ 31 KS Årsredovisning 2024 för Sjöviks kommun");
    assert_eq!(
        link(&corpus, &citing_section(), "", std::slice::from_ref(&r)).resolved,
        [None]
    );
    // The § itself, when the archive has it, is what the line names.
    corpus.insert(DocInfo {
        body: Some("Kommunstyrelsen".into()),
        paragraph: Some("§ 31".into()),
        ..doc(
            "ks-31",
            DocKind::Decision,
            "Sjövik",
            date!(2025 - 02 - 10),
            "Årsredovisning 2024 för Sjöviks kommun",
        )
    });
    assert_eq!(
        link(&corpus, &citing_section(), "", &[r]).resolved,
        [Some(DocId("ks-31".into()))]
    );
}

#[test]
fn of_reports_titled_alike_the_one_published_with_the_decision_is_named() {
    let mut corpus = open_world_corpus();
    for (id, folder) in [
        ("vn-rapport", "portal/vardnamnden/2025-02-03/bilagor"),
        ("ks-rapport", "portal/miljonamnden/2025-02-24/bilagor"),
    ] {
        corpus.insert(DocInfo {
            folder: Some(folder.into()),
            ..doc(
                id,
                DocKind::FollowUp,
                "Sjövik",
                date!(2025 - 02 - 01),
                "Fördjupad månadsuppföljning 2025",
            )
        });
    }
    let r = listed("Fördjupad månadsuppföljning 2025");
    // Without the folders it was published in, the two are equals.
    assert_eq!(
        link(&corpus, &citing_section(), "", std::slice::from_ref(&r)).resolved,
        [None]
    );
    let citing = DocInfo {
        folder: source_folder("portal/miljonamnden/2025-02-24/protokoll.pdf#§12"),
        ..citing_section()
    };
    assert_eq!(
        link(&corpus, &citing, "", std::slice::from_ref(&r)).resolved,
        [Some(DocId("ks-rapport".into()))]
    );
    // A folder beside the meeting's is not the meeting's.
    let elsewhere = DocInfo {
        folder: Some("portal/miljonamnden/2025-01-20".into()),
        ..citing_section()
    };
    assert_eq!(link(&corpus, &elsewhere, "", &[r]).resolved, [None]);
}

#[test]
fn a_plan_that_speaks_of_the_plan_speaks_of_itself() {
    let mut corpus = open_world_corpus();
    corpus.insert(doc(
        "plan-bad",
        DocKind::Plan,
        "Sjövik",
        date!(2025 - 01 - 10),
        "Handlingsplan för badvattnets provtagning",
    ));
    let text = "Provtagning av badvatten vid stränderna. Arbetet med badvattnets \
        provtagning fortsätter enligt handlingsplanen under året.";
    let r = Reference {
        target_kind: Some(DocKind::Plan),
        ..Reference::new(RefKind::Mention, "handlingsplanen", 70, 85)
    };
    // Named by the topic from a staff report on the subject.
    let report = DocInfo {
        office: Some("Miljöförvaltningen".into()),
        ..doc(
            "ts-prov",
            DocKind::StaffReport,
            "Sjövik",
            date!(2025 - 02 - 20),
            "Badvattnets provtagning 2025",
        )
    };
    assert_eq!(
        link(&corpus, &report, text, std::slice::from_ref(&r)).resolved,
        [Some(DocId("plan-bad".into()))]
    );
    // From another plan on the subject it names nothing the topic tells.
    let plan = DocInfo {
        kind: DocKind::Plan,
        id: DocId("plan-ny".into()),
        ..report
    };
    assert_eq!(link(&corpus, &plan, text, &[r]).resolved, [None]);
}

#[test]
fn a_document_of_no_kind_is_named_by_its_genre_and_day() {
    let mut corpus = open_world_corpus();
    let named = |id: &str, title: &str, file: &str| DocInfo {
        name: source_name(file),
        ..doc(id, DocKind::Other, "Sjövik", date!(2021 - 05 - 03), title)
    };
    corpus.insert(named(
        "samrad",
        "Detaljplan för Norrby 2:4",
        "/x/samradsredogorelse-detaljplan-for-norrby-24.pdf",
    ));
    corpus.insert(named(
        "karta",
        "Detaljplan för Norrby 2:4",
        "/x/grundkarta-detaljplan-for-norrby-24.pdf",
    ));
    let r = Reference {
        target_kind: Some(DocKind::Other),
        title: Some("samrådsredogörelse".into()),
        date: Some(DateRange::day(date!(2021 - 05 - 03))),
        ..Reference::new(
            RefKind::Mention,
            "en samrådsredogörelse från den 3 maj 2021",
            0,
            40,
        )
    };
    assert_eq!(
        link(&corpus, &citing_section(), "", std::slice::from_ref(&r)).resolved,
        [Some(DocId("samrad".into()))]
    );
    // Of another day, or of a genre no document has, nothing.
    let other_day = Reference {
        date: Some(DateRange::day(date!(2021 - 05 - 04))),
        ..r.clone()
    };
    let other_genre = Reference {
        title: Some("granskningsutlåtande".into()),
        ..r
    };
    assert_eq!(
        link(&corpus, &citing_section(), "", &[other_day, other_genre]).resolved,
        [None, None]
    );
}

#[test]
fn one_list_names_one_document_per_line() {
    let mut corpus = open_world_corpus();
    // A report and the office's tjänsteskrivelse that presents it: their
    // titles share every telling word.
    corpus.insert(doc(
        "uppf",
        DocKind::FollowUp,
        "Sjövik",
        date!(2025 - 01 - 20),
        "Fördjupad månadsuppföljning av tillsynen 2025",
    ));
    corpus.insert(doc(
        "ts-uppf",
        DocKind::StaffReport,
        "Sjövik",
        date!(2025 - 01 - 21),
        "Fördjupad månadsuppföljning av tillsynen 2025",
    ));
    let listed = |title: &str, kind: Option<DocKind>| Reference {
        target_kind: kind,
        ..listed(title)
    };
    let report = listed("Fördjupad månadsuppföljning av tillsynen 2025", None);
    let staff = listed(
        "Tjänsteskrivelse - Fördjupad månadsuppföljning av tillsynen 2025",
        Some(DocKind::StaffReport),
    );
    // Alone, the plain line fits both equally: no link.
    let alone = link(
        &corpus,
        &citing_section(),
        "",
        std::slice::from_ref(&report),
    );
    assert_eq!(alone.resolved, [None]);
    // In a list whose other line names the tjänsteskrivelse by its kind,
    // each line gets its own document.
    let both = link(&corpus, &citing_section(), "", &[staff, report]);
    assert_eq!(
        both.resolved,
        [Some(DocId("ts-uppf".into())), Some(DocId("uppf".into()))]
    );
}

/// Candidates for a mention with no author or date and no shared word are
/// never asked of the store; that is safe only while what they could
/// score stays below acceptance by the margin.
#[test]
fn mention_candidates_left_unasked_could_not_have_been_chosen() {
    let bound = MENTION.without_shared_words();
    assert!(bound < ACCEPT, "{bound} would be accepted");
    assert!(
        ACCEPT - bound >= MARGIN,
        "{bound} comes within {MARGIN} of a candidate scoring {ACCEPT}"
    );
    // Every other piece of evidence can lift a candidate over the bound.
    for w in [
        MENTION.author,
        MENTION.day,
        MENTION.month_or_year,
        MENTION.title,
        MENTION.topic,
    ] {
        assert!(w > 0.0);
    }
}

#[test]
fn a_plan_named_by_its_whole_title_is_linked_and_a_generic_one_is_not() {
    let mut corpus = open_world_corpus();
    corpus.insert(doc(
        "plan-trygg",
        DocKind::Plan,
        "Sjövik",
        date!(2026 - 02 - 01),
        "Handlingsplan för trygghet 2026",
    ));
    corpus.insert(doc(
        "plan-2025",
        DocKind::Plan,
        "Sjövik",
        date!(2025 - 02 - 01),
        "Handlingsplan 2025",
    ));
    let report = doc(
        "uppf",
        DocKind::FollowUp,
        "Sjövik",
        date!(2026 - 11 - 15),
        "Uppföljning av handlingsplan för trygghet 2026",
    );
    let named = |title: &str| Reference {
        target_kind: Some(DocKind::Plan),
        title: Some(title.into()),
        ..Reference::new(RefKind::Mention, title, 0, 40)
    };
    assert_eq!(
        link(
            &corpus,
            &report,
            "",
            &[named("handlingsplan för trygghet 2026")]
        )
        .resolved,
        [Some(DocId("plan-trygg".into()))]
    );
    // Its subject's word alone, or a title of type words and a year, names
    // no one plan.
    for vague in ["handlingsplan för trygghet", "handlingsplanen för 2025"] {
        assert_eq!(
            link(&corpus, &report, "", &[named(vague)]).resolved,
            [None],
            "{vague}"
        );
    }
}

#[test]
fn a_meetings_list_names_its_attachments_by_shortened_titles() {
    let folder = |meeting: &str| Some(format!("/arkiv/{meeting}/bilagor"));
    let at = |id: &str, meeting: &str, title: &str, file: &str| DocInfo {
        name: source_name(&format!("/arkiv/{meeting}/bilagor/{file}")),
        folder: folder(meeting),
        ..doc(id, DocKind::Plan, "Sjövik", date!(2030 - 05 - 04), title)
    };
    let mut corpus = open_world_corpus();
    corpus.insert(at(
        "riktlinje",
        "socialnamnden/2030-05-18",
        "Bakgrundskontroll vid anställning inom socialförvaltningen Riktlinje",
        "forslag-riktlinje-bakgrundskontroll-vid-anstallning.pdf",
    ));
    corpus.insert(at(
        "rutin",
        "kommunstyrelsen/2029-11-02",
        "Bakgrundskontroll och introduktion, rutin för chefer",
        "rutin-bakgrundskontroll-och-introduktion.pdf",
    ));
    let citing = DocInfo {
        kind: DocKind::StaffReport,
        ..at(
            "skrivelse",
            "socialnamnden/2030-05-18",
            "Revidering av riktlinje för bakgrundskontroll",
            "tjansteskrivelse-revidering-av-riktlinje-for-bakgrundskontroll.pdf",
        )
    };
    // One telling word, shortened from the attachment's title: the
    // meeting's own attachment, less surely than a whole title.
    let line = listed("Förslag Bakgrundskontroll, riktlinje");
    let linked = link(&corpus, &citing, "", std::slice::from_ref(&line));
    assert_eq!(linked.resolved, [Some(DocId("riktlinje".into()))]);
    assert_eq!(linked.links[0].confidence, CONFIDENCE_SHORTENED);
    // Published at another meeting, the shortened line names nothing.
    let mut elsewhere = citing.clone();
    elsewhere.folder = folder("kommunfullmaktige/2030-06-10");
    let linked = link(&corpus, &elsewhere, "", &[line]);
    assert_eq!(linked.resolved, [None]);
}

#[test]
fn an_extract_is_the_same_decision_as_its_protocols_paragraph() {
    let day = date!(2031 - 03 - 10);
    let protocol = DocId("prot".into());
    let section = |id: &str, body: &str, paragraph: &str| DocInfo {
        part_of: Some(protocol.clone()),
        ..decision(id, "Sjövik", day, body, paragraph, "Taxa för bryggplatser")
    };
    let corpus = MemoryCorpus::new([
        // The same extract published again with another meeting's papers.
        decision(
            "utdrag-12-igen",
            "Sjövik",
            day,
            "Fritidsnämnden",
            "§ 12",
            "Taxa för bryggplatser",
        ),
        section("prot-12", "Fritidsnämnden", "§ 12"),
        section("prot-13", "Fritidsnämnden", "§ 13"),
        // The arbetsutskott's protocol of the same day, with a § 12 of its own.
        DocInfo {
            part_of: Some(DocId("au-prot".into())),
            ..decision(
                "au-12",
                "Sjövik",
                day,
                "Fritidsnämndens arbetsutskott",
                "§ 12",
                "Taxa för bryggplatser",
            )
        },
    ]);
    let extract = decision(
        "utdrag-12",
        "Sjövik",
        day,
        "Fritidsnämnden",
        "§ 12",
        "Taxa för bryggplatser",
    );
    let same: Vec<(String, LinkType)> = link(&corpus, &extract, "", &[])
        .links
        .into_iter()
        .filter(|l| l.link_type.is_relation())
        .map(|l| (l.to.0, l.link_type))
        .collect();
    assert_eq!(same, [("prot-12".to_owned(), LinkType::SameDecision)]);
    let Ok(twins) = decision_twins(&corpus, &extract);
    let mut twins: Vec<DocId> = twins.into_iter().map(|d| d.id).collect();
    twins.sort();
    // Two extracts are not each other's twins: each is the §'s.
    assert_eq!(twins, [DocId("prot-12".into())]);
    // The § links to nothing as its twin; asked what it changes, it names
    // the extract.
    let mut with_extract = MemoryCorpus::new([section("prot-12", "Fritidsnämnden", "§ 12")]);
    with_extract.insert(extract.clone());
    let the_section = section("prot-12", "Fritidsnämnden", "§ 12");
    assert!(link(&with_extract, &the_section, "", &[]).links.is_empty());
    let Ok(twins) = decision_twins(&with_extract, &the_section);
    assert_eq!(
        twins.into_iter().map(|d| d.id).collect::<Vec<_>>(),
        [DocId("utdrag-12".into())]
    );
    // Another day's § of the number is another decision.
    let earlier = DocInfo {
        date: Some(date!(2031 - 02 - 10)),
        ..extract
    };
    assert!(link(&corpus, &earlier, "", &[]).links.is_empty());
}

#[test]
fn a_protocols_paragraph_is_named_by_its_number_and_never_by_a_paragraph_of_its_own_protocol() {
    let mut corpus = open_world_corpus();
    let part = |id: &str, of: &str, date: Date, paragraph: &str, title: &str, dnr: &str| DocInfo {
        part_of: Some(DocId(of.into())),
        own_diarienummer: vec![dnr.into()],
        ..decision(id, "Sjövik", date, "Miljönämnden", paragraph, title)
    };
    // Last year's § on a matter whose title recurs every year.
    corpus.insert(part(
        "p2024-15",
        "p2024",
        date!(2024 - 02 - 20),
        "§ 15",
        "Verksamhetsberättelse 2023 för miljönämnden",
        "MN-2024-3",
    ));
    // A § of the citing § 12's own meeting.
    corpus.insert(part(
        "p2025-13",
        "p2025",
        date!(2025 - 02 - 24),
        "§ 13",
        "Avsägelse från Anna Berg av uppdrag som ersättare",
        "MN-2025-20",
    ));
    let section = DocInfo {
        part_of: Some(DocId("p2025".into())),
        ..citing_section()
    };
    let dnr = Reference {
        diarienummer: Some("MN-2025-20".into()),
        ..reference(RefKind::Diarienummer)
    };
    let linked = link(
        &corpus,
        &section,
        "",
        &[
            listed("Verksamhetsberättelse 2023 för miljönämnden"),
            listed("Avsägelse från Anna Berg av uppdrag som ersättare"),
            dnr,
            listed("§ 15 MN Verksamhetsberättelse 2023 för miljönämnden"),
        ],
    );
    assert_eq!(
        linked.resolved,
        [None, None, None, Some(DocId("p2024-15".into()))]
    );
}

#[test]
fn a_decision_by_body_and_day_is_the_one_of_the_citing_documents_case() {
    let mut corpus = open_world_corpus();
    corpus.insert(DocInfo {
        own_diarienummer: vec!["MN-2025-30".into()],
        ..decision(
            "mn-au-budget",
            "Sjövik",
            date!(2025 - 02 - 10),
            "Miljönämndens arbetsutskott",
            "§ 9",
            "Budget 2026 för miljönämnden",
        )
    });
    let vague = "Arbetsutskottet beslutade om uppdraget den 10 februari 2025.";
    let r = Reference {
        body: Some("Miljönämndens arbetsutskott".into()),
        date: Some(DateRange::day(date!(2025 - 02 - 10))),
        ..Reference::new(
            RefKind::Decision,
            "arbetsutskottet beslutade",
            0,
            vague.len(),
        )
    };
    let citing = |dnr: &str| DocInfo {
        title: "Godkännande av slutrapport".into(),
        own_diarienummer: vec![dnr.into()],
        ..citing_section()
    };
    // Two decisions that day; the words say nothing of which, the case does.
    let linked = link(
        &corpus,
        &citing("MN-2025-30"),
        vague,
        std::slice::from_ref(&r),
    );
    assert_eq!(linked.resolved, [Some(DocId("mn-au-budget".into()))]);
    // A citing document of neither case names neither.
    assert_eq!(
        link(&corpus, &citing("MN-2025-99"), vague, &[r]).resolved,
        [None]
    );
    // The same told as a mention of the body's decision that day.
    let mention = Reference {
        target_kind: Some(DocKind::Decision),
        body: Some("Miljönämndens arbetsutskott".into()),
        date: Some(DateRange::day(date!(2025 - 02 - 10))),
        ..Reference::new(RefKind::Mention, vague, 0, vague.len())
    };
    let linked = link(
        &corpus,
        &citing("MN-2025-30"),
        vague,
        std::slice::from_ref(&mention),
    );
    assert_eq!(linked.resolved, [Some(DocId("mn-au-budget".into()))]);
    assert_eq!(
        link(&corpus, &citing("MN-2025-99"), vague, &[mention]).resolved,
        [None]
    );
}

#[test]
fn a_decision_by_body_and_day_is_the_one_whose_beslut_says_what_was_decided() {
    let day = date!(2031 - 08 - 29);
    let with_decided = |id: &str, p: &str, title: &str, decided: &str| DocInfo {
        decided: Some(decided.into()),
        ..decision(id, "Sjövik", day, "Kommunfullmäktige", p, title)
    };
    let day_s = || {
        [
            with_decided(
                "kf-40",
                "§ 40",
                "Beslut om hantering av resultatet i folkomröstningen om badplatser",
                "- att notera resultatet - att ge fritidsnämnden i uppdrag att: \
             1. Utreda en ny simhall vid stranden i Norrviken 2. Kartlägga behovet av livräddare",
            ),
            with_decided(
                "kf-41",
                "§ 41",
                "Taxor för kommunens anläggningar 2032",
                "- att anta taxorna för kommunens anläggningar 2032",
            ),
            with_decided(
                "kf-42",
                "§ 42",
                "Avsägelse från ledamot i fritidsnämnden",
                "- att bevilja avsägelsen - att uppdra åt valberedningen att föreslå en ny ledamot",
            ),
            with_decided(
                "kf-44",
                "§ 44",
                "Antagande av detaljplan för Norrvikens hamn etapp 2",
                "- i enlighet med förslaget",
            ),
        ]
    };
    let corpus = MemoryCorpus::new(day_s());
    let citing = DocInfo {
        title: "Redovisning av utredningen".into(),
        ..decision(
            "ks-9",
            "Sjövik",
            date!(2032 - 03 - 10),
            "Kommunstyrelsen",
            "§ 9",
            "Redovisning av utredningen",
        )
    };
    let r = Reference {
        body: Some("Kommunfullmäktige".into()),
        date: Some(DateRange::day(day)),
        ..Reference::new(
            RefKind::Decision,
            "Kommunfullmäktige beslutade 2031-08-29",
            0,
            "Kommunfullmäktige beslutade 2031-08-29".len(),
        )
    };
    // The title of the decision shares no word with what is said of it;
    // its "Beslut" does.
    let told = "Kommunfullmäktige beslutade 2031-08-29 att uppdra åt fritidsnämnden att \
                utreda bl.a. en ny simhall vid stranden i Norrviken.\n\nTaxorna för kommunens \
                anläggningar 2032 antogs senare. Utredningen är klar.";
    let linked = link(&corpus, &citing, told, std::slice::from_ref(&r));
    assert_eq!(linked.resolved, [Some(DocId("kf-40".into()))]);
    assert!(
        linked.links[0].reason.contains("decided words"),
        "{:?}",
        linked.links[0]
    );
    // Over a season the words told still tell the decision; a title's
    // words, among a season's decisions, do not.
    let autumn = Reference {
        date: Some(DateRange {
            start: date!(2031 - 08 - 01),
            end: date!(2031 - 12 - 31),
            precision: kedja_model::Precision::Month,
        }),
        ..r.clone()
    };
    assert_eq!(
        link(&corpus, &citing, told, std::slice::from_ref(&autumn)).resolved,
        [Some(DocId("kf-40".into()))]
    );
    let titled =
        "Kommunfullmäktige beslutade hösten 2031 om taxor för kommunens anläggningar 2032.";
    assert_eq!(
        link(&corpus, &citing, titled, std::slice::from_ref(&autumn)).resolved,
        [None]
    );
    let in_august = Reference {
        date: Some(DateRange::month(2031, time::Month::August).unwrap()),
        ..r.clone()
    };
    assert_eq!(
        link(&corpus, &citing, titled, std::slice::from_ref(&in_august)).resolved,
        [Some(DocId("kf-41".into()))]
    );
    // A "Beslut" of a few words tells nothing either way: the decision's
    // title still names it.
    let hamn = "Kommunfullmäktige beslutade 2031-08-29 att anta detaljplanen för \
                Norrvikens hamn, etapp 2.";
    assert_eq!(
        link(&corpus, &citing, hamn, std::slice::from_ref(&r)).resolved,
        [Some(DocId("kf-44".into()))]
    );
    // Without an "att" clause there is nothing told to match, whatever
    // follows.
    let bare = "Kommunfullmäktige beslutade 2031-08-29 om hur fritidsnämnden ska utreda en \
                ny simhall vid stranden i Norrviken.";
    assert_eq!(
        link(&corpus, &citing, bare, std::slice::from_ref(&r)).resolved,
        [None]
    );
    // Said by two of the day's decisions, the words tell neither.
    let mut both = corpus;
    both.insert(with_decided(
        "kf-43",
        "§ 43",
        "Ändrad ordning för sammanträden",
        "- att ge fritidsnämnden i uppdrag att utreda en ny simhall vid stranden i Norrviken",
    ));
    let told_alone = "Kommunfullmäktige beslutade 2031-08-29 att uppdra åt fritidsnämnden att \
                      utreda en ny simhall vid stranden i Norrviken.";
    assert_eq!(
        link(&both, &citing, told_alone, std::slice::from_ref(&r)).resolved,
        [None]
    );
}
