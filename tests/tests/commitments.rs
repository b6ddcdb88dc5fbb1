//! Commitments: found in the seeds and the demo corpus, tracked through
//! later reports, judged overdue against a given date.

use kedja_model::{Commitment, CommitmentStatus, Date, DateRange};
use kedja_pipeline::{Archive, CommitmentQuery, ImportOptions};
use kedja_tests::{demo_files, repo_root, shared_dir};

fn day(s: &str) -> Date {
    kedja_model::parse_iso_date(s).unwrap()
}

fn seeds() -> Archive {
    let mut archive = Archive::in_memory().unwrap();
    archive
        .import_paths(
            &[shared_dir().join("seeds")],
            &ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    archive
}

fn demo() -> Archive {
    let mut archive = Archive::in_memory().unwrap();
    archive
        .import_municipality_folders(&repo_root().join("data/demo"), &mut |_| {})
        .unwrap();
    archive
}

fn of(archive: &Archive, municipality: &str) -> Vec<Commitment> {
    let mut q = CommitmentQuery::new(day("2026-01-01"));
    q.municipality = Some(municipality.into());
    archive.find_commitments(&q).unwrap()
}

fn find<'a>(cs: &'a [Commitment], words: &str) -> &'a Commitment {
    cs.iter()
        .find(|c| c.task.contains(words))
        .unwrap_or_else(|| panic!("no commitment about {words:?} in {cs:#?}"))
}

#[test]
fn seed_000_the_two_commitments_of_the_2016_initiative() {
    let cs = of(&seeds(), "Karlstad");
    assert_eq!(cs.len(), 2, "{cs:#?}");
    let guidelines = find(&cs, "riktlinjer och ansvarsfördelning");
    assert_eq!(
        guidelines.deadline,
        DateRange::month(2017, kedja_model::Month::April)
    );
    assert_eq!(
        guidelines.responsible.as_deref(),
        Some("Kommunledningskontoret")
    );
    let plans = find(&cs, "revidera befintliga handlingsplaner");
    assert_eq!(plans.deadline, DateRange::year(2017));
    let resp = plans.responsible.as_deref().unwrap();
    assert!(
        resp.starts_with("Arbetsmarknads- och socialförvaltningen"),
        "{resp}"
    );
    assert!(resp.contains("vård- och omsorgsförvaltningen"), "{resp}");
    // Nothing in the archive reports on them: overdue since 2017.
    assert!(cs.iter().all(|c| c.status == CommitmentStatus::Unknown));
    assert!(cs.iter().all(|c| c.is_overdue(day("2021-01-20"))));
    assert!(!guidelines.is_overdue(day("2017-04-30")));
    assert!(guidelines.is_overdue(day("2017-05-01")));
}

#[test]
fn seed_004_the_points_with_their_statuses() {
    use CommitmentStatus::*;
    let cs = of(&seeds(), "Haninge");
    for (words, status) in [
        ("Presentera ytterligare specifika åtgärder", Done),
        ("Ta fram en plan för att alla medarbetare", Done),
        (
            "Säkerställ en samlad information till barn och unga",
            Ongoing,
        ),
        ("Säkerställ en systematisk dokumentation", Ongoing),
        ("översynen av kommunens styrdokument", Ongoing),
        (
            "Initiera ett arbete tillsammans med studieförbunden",
            NotStarted,
        ),
    ] {
        let c = find(&cs, words);
        assert_eq!(c.status, status, "{words}: {c:#?}");
        assert_eq!(c.responsible.as_deref(), Some("Kommunstyrelsen"), "{words}");
        let report = c.reports.last().unwrap();
        assert_eq!(report.date, Some(day("2023-10-06")));
        assert!(report.evidence.contains(&words[..20]), "{report:?}");
    }
    // The seventh point is named in running text; the report says it was
    // reported back to kommunfullmäktige on 12 June.
    let seventh = find(&cs, "återrapportera till kommunfullmäktige");
    assert_eq!(seventh.status, Done, "{seventh:#?}");
    assert_eq!(
        seventh.deadline,
        DateRange::month(2023, kedja_model::Month::June)
    );
    assert_eq!(seventh.responsible.as_deref(), Some("Kommunstyrelsen"));
    assert!(seventh.reports[0].evidence.contains("godkände den 12 juni"));
    // The assignment of seven points: partly done.
    let whole = find(&cs, "utveckla sju punkter");
    assert_eq!(whole.status, Ongoing, "{whole:#?}");
    assert_eq!(cs.len(), 8, "seven points and the assignment: {cs:#?}");
}

#[test]
fn seed_002_the_activities_of_the_plan_and_the_yearly_follow_up() {
    let cs = of(&seeds(), "Mjölby");
    let activities: Vec<&Commitment> = cs.iter().filter(|c| c.cadence.is_none()).collect();
    assert_eq!(activities.len(), 15, "{cs:#?}");
    let c = find(&cs, "Regelbundet ta fram lägesbild");
    assert_eq!(
        c.responsible.as_deref(),
        Some("Arbetsgrupp mot hedersrelaterat våld och förtryck")
    );
    let c = find(&cs, "Utveckla samarbetsformer");
    assert_eq!(
        c.responsible.as_deref(),
        Some("Kultur- och fritidsnämnden, Omsorgs- och socialnämnden, Utbildningsnämnden")
    );
    let yearly = find(&cs, "Uppföljning av handlingsplanen redovisas årligen");
    assert_eq!(yearly.cadence.as_deref(), Some("årligen"));
    assert!(yearly.deadline.is_none() && !yearly.is_overdue(day("2030-01-01")));
}

#[test]
fn demo_commitments_and_final_statuses_match_the_gold_file() {
    let archive = demo();
    let gold =
        kedja_measure::gold::load(&repo_root().join("data/demo-gold.json"), "demo gold file")
            .unwrap();
    let e = kedja_measure::evaluate_commitments(&archive, &gold, &repo_root().join("data/demo"))
        .unwrap();
    assert!(e.gold >= 20, "{e:?}");
    assert!(e.precision() >= 0.9 && e.recall() >= 0.9, "{e:#?}");
    assert!(
        e.status_precision() >= 0.9 && e.status_recall() >= 0.9,
        "{e:#?}"
    );
    assert!(e.deadline_right as f64 >= 0.9 * e.matched as f64, "{e:#?}");
}

#[test]
fn overdue_and_status_follow_the_given_date() {
    let archive = demo();
    let cs = of(&archive, "Sjövik");
    let chefs = find(&cs, "Grundutbildning om våld i nära relationer");
    assert_eq!(chefs.deadline.map(|d| d.end), Some(day("2024-06-30")));
    assert!(!chefs.is_overdue(day("2024-06-30")));
    assert!(chefs.is_overdue(day("2024-07-01")));
    assert_eq!(
        chefs.status_on(day("2024-03-19")),
        CommitmentStatus::Unknown
    );
    assert_eq!(
        chefs.status_on(day("2024-03-20")),
        CommitmentStatus::Ongoing
    );
    // Done before its deadline: never overdue.
    let coordinator = find(&cs, "samordnare för våldsförebyggande");
    assert_eq!(coordinator.status, CommitmentStatus::Done);
    assert!(!coordinator.is_overdue(day("2030-01-01")));

    let mut q = CommitmentQuery::new(day("2024-07-01"));
    q.overdue = true;
    q.municipality = Some("Sjövik".into());
    let overdue: Vec<String> = archive
        .find_commitments(&q)
        .unwrap()
        .into_iter()
        .map(|c| c.task)
        .collect();
    assert!(
        overdue.iter().any(|t| t.contains("Grundutbildning")),
        "{overdue:?}"
    );
    assert!(
        !overdue.iter().any(|t| t.contains("samordnare")),
        "{overdue:?}"
    );
}

#[test]
fn a_motion_without_a_decision_after_a_year_is_flagged() {
    let archive = demo();
    let before = archive.awaiting_decision(day("2024-05-09")).unwrap();
    assert!(before.is_empty(), "{before:?}");
    let after = archive.awaiting_decision(day("2024-05-10")).unwrap();
    assert_eq!(after.len(), 1, "{after:?}");
    assert!(after[0].title.contains("Kameraövervakning"), "{after:?}");
    assert_eq!(after[0].filed, day("2023-05-10"));
    // Motions that were decided are not flagged however late it is.
    assert_eq!(
        archive.awaiting_decision(day("2030-01-01")).unwrap().len(),
        1
    );
}

#[test]
fn a_report_imported_later_updates_the_status() {
    let demo_dir = repo_root().join("data/demo/Norrbacka");
    let mut archive = Archive::in_memory().unwrap();
    let opts = ImportOptions {
        municipality: Some("Norrbacka".into()),
        ..Default::default()
    };
    let decision = demo_dir.join("2020-09-28-kf-beslut-solceller.pdf");
    archive
        .import_paths(&[decision], &opts, &mut |_| {})
        .unwrap();
    let cs = of(&archive, "Norrbacka");
    let solar = find(&cs, "installera solceller");
    assert_eq!(solar.status, CommitmentStatus::Unknown);
    assert!(solar.is_overdue(day("2023-01-01")));

    let report = demo_dir.join("2023-03-15-uppfoljning-solceller.html");
    archive.import_paths(&[report], &opts, &mut |_| {}).unwrap();
    let cs = of(&archive, "Norrbacka");
    let solar = find(&cs, "installera solceller");
    assert_eq!(solar.status, CommitmentStatus::Ongoing, "{solar:#?}");
    assert_eq!(solar.reports.len(), 1);
    assert!(
        solar.reports[0].evidence.contains("Tre av fem"),
        "{solar:#?}"
    );
    // Still not done past its deadline.
    assert!(solar.is_overdue(day("2023-03-16")));
    // The restatement in the report is the same commitment, not a new one.
    assert_eq!(
        cs.iter()
            .filter(|c| c.task.contains("installera solceller"))
            .count(),
        1
    );
}

/// Importing tracks again only the commitments that the new links can
/// bear on. Whatever order the demo corpus arrives in, one file at a time,
/// the result is what tracking the whole archive at once gives.
#[test]
fn commitments_tracked_import_by_import_equal_those_tracked_at_once() {
    let files = demo_files();
    let orders: [(&str, Vec<_>); 3] = [
        ("by name", files.clone()),
        ("latest first", files.iter().rev().cloned().collect()),
        (
            "interleaved",
            files
                .iter()
                .step_by(2)
                .chain(files.iter().skip(1).step_by(2))
                .cloned()
                .collect(),
        ),
    ];
    let sorted = |mut v: Vec<Commitment>| {
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    };
    for (order, files) in orders {
        let mut archive = Archive::in_memory().unwrap();
        for (path, municipality) in &files {
            archive
                .import_paths(
                    std::slice::from_ref(path),
                    &ImportOptions {
                        municipality: Some(municipality.clone()),
                        ..Default::default()
                    },
                    &mut |_| {},
                )
                .unwrap();
        }
        let incremental = sorted(archive.commitments().unwrap());
        archive.relink_all().unwrap();
        let at_once = sorted(archive.commitments().unwrap());
        assert!(
            at_once.len() >= 20,
            "{order}: {} commitments",
            at_once.len()
        );
        assert!(
            at_once
                .iter()
                .any(|c| !c.reports.is_empty() && !c.also_in.is_empty()),
            "{order}: the corpus has restated commitments with reports"
        );
        assert_eq!(incremental, at_once, "{order}");
    }
}

/// A batch import (the crawler's) leaves tracking to its caller; tracking
/// what is pending then gives what importing files gives.
#[test]
fn a_batch_import_tracks_commitments_when_asked() {
    let folder = repo_root().join("data/demo/Sjövik");
    let mut items = Vec::new();
    for f in std::fs::read_dir(&folder).unwrap() {
        let path = f.unwrap().path();
        let source = kedja_pipeline::source_key(&path);
        items.push((source, std::fs::read(&path).unwrap()));
    }
    items.sort();
    let opts = ImportOptions {
        municipality: Some("Sjövik".into()),
        ..Default::default()
    };
    let mut batch = Archive::in_memory().unwrap();
    batch.import_batch(&items, &opts).unwrap();
    assert!(batch.commitments().unwrap().is_empty(), "not tracked yet");
    assert!(batch.track_pending().unwrap() > 0);
    assert_eq!(batch.track_pending().unwrap(), 0, "nothing left pending");

    let mut files = Archive::in_memory().unwrap();
    files
        .import_paths(std::slice::from_ref(&folder), &opts, &mut |_| {})
        .unwrap();
    let ids = |a: &Archive| {
        let mut v: Vec<String> = a.commitments().unwrap().into_iter().map(|c| c.id).collect();
        v.sort();
        v
    };
    assert!(!ids(&files).is_empty());
    assert_eq!(ids(&batch), ids(&files));
}

/// A plan's activity table and a later report that names the plan only in
/// its title and gives each activity's status in a table of its own (HTML)
/// or in running text: each status lands on the plan's activity.
#[test]
fn a_report_titled_by_its_plan_gives_the_plan_s_activities_their_statuses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.txt"),
        "Handlingsplan för minskad energianvändning 2026–2027\nEkby kommun\n\
         Antagen av kommunstyrelsen 2026-01-15\n\nÅtgärder\n\n\
         Åtgärd\tAnsvarig\tKlart senast\n\
         Byta till LED-belysning i alla skolor\tFastighetsavdelningen\t2026-12-31\n\
         Installera solceller på kommunhuset\tFastighetsavdelningen\tVT 2027\n\
         Utbilda driftpersonal i energieffektivisering\tPersonalavdelningen\tQ2 2026\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rapport.html"),
        "<html><body><h1>Återrapportering av handlingsplan för minskad energianvändning 2026–2027</h1>\
         <p>Ekby kommun, kommunstyrelsen, 2026-11-20</p><table>\
         <tr><th>Åtgärd</th><th>Status</th><th>Kommentar</th></tr>\
         <tr><td>Byta till LED-belysning i alla skolor</td><td>Pågår</td><td>Hälften klara.</td></tr>\
         <tr><td>Installera solceller på kommunhuset</td><td>Ej påbörjad</td><td>Upphandling planeras.</td></tr>\
         </table><p>Utbildningen av driftpersonal i energieffektivisering är klar sedan maj.</p></body></html>",
    )
    .unwrap();
    let mut archive = Archive::in_memory().unwrap();
    let opts = ImportOptions {
        municipality: Some("Ekby".into()),
        ..Default::default()
    };
    archive
        .import_paths(&[dir.path().join("plan.txt")], &opts, &mut |_| {})
        .unwrap();
    archive
        .import_paths(&[dir.path().join("rapport.html")], &opts, &mut |_| {})
        .unwrap();
    let cs = of(&archive, "Ekby");
    assert_eq!(
        cs.len(),
        3,
        "the report's rows are statuses, not new commitments: {cs:#?}"
    );
    let status = |words: &str| find(&cs, words).status;
    assert_eq!(status("LED-belysning"), CommitmentStatus::Ongoing);
    assert_eq!(status("solceller"), CommitmentStatus::NotStarted);
    assert_eq!(status("Utbilda driftpersonal"), CommitmentStatus::Done);
    let vt = find(&cs, "solceller").deadline.unwrap();
    assert_eq!((vt.start, vt.end), (day("2027-01-01"), day("2027-06-30")));
}
