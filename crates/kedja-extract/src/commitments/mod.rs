//! Commitments and status reports in Swedish text.
//!
//! A commitment is an assignment ("ger kommunstyrelsen i uppdrag att …"), a
//! deadline-bearing obligation ("… ska återredovisas till kommunstyrelsen
//! senast april 2017"), a recurring report ("Uppföljning av handlingsplanen
//! redovisas årligen") or a row of an action plan's activity table. A status
//! statement is what a later document says about one: an item under a
//! heading such as "Avslutade åtgärder" or "Pågående", a row of a status
//! table, or a sentence with a status cue ("har inte uppfyllts fullt ut",
//! "176 av 210 chefer", "förklarar uppdraget avslutat").
//!
//! Which commitment a status statement is about is decided in
//! `kedja-link`, with the links between documents at hand; here each
//! statement keeps the words that identify its subject. What is found is
//! `kedja_model`'s [`CommitmentText`]: each finding has an id within its
//! document, and a status about one of the document's own commitments
//! names it by that id.

use std::sync::LazyLock;

use kedja_model::{Cited, CommitmentText, DocKind, Record};
use regex::Regex;

use crate::dates::find_dates;

mod answers;
mod dates;
mod fields;
mod prose;
mod status;
mod tables;

use answers::audit_answers;
use fields::field_records;
use prose::{decision_part, prose, report_line};
use status::{report_of_assignment, status_sections};
use tables::{numbered_rows, tables};

/// The decision an assignment was given by, as a statement about it names
/// it: "uppdraget från 2024-02-12, § 16", "uppdraget från den 19 november
/// 2025, § 70", "(KF 2024-06-17, § 88)".
fn cited_decision(clause: &str) -> Option<Cited> {
    static FROM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)uppdrag(?:et|en)?\s+(?:från|enligt|i)\s+(?P<rest>.{0,80})")
            .expect("valid regex")
    });
    static PARA: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\s,]*(?:\S+\s+)?§\s*(?P<n>\d+)").expect("valid regex"));
    let rest = FROM.captures(clause)?.name("rest")?;
    let rest = &clause[rest.start()..rest.end()];
    let d = find_dates(rest, None).into_iter().next()?;
    if d.range.precision != kedja_model::Precision::Day || d.start > 40 {
        return None;
    }
    let paragraph = PARA
        .captures(&rest[d.end..])
        .and_then(|c| c["n"].parse().ok());
    Some(Cited {
        date: d.range.start.to_string(),
        paragraph,
    })
}

/// Find commitments and status statements in a cleaned text with its
/// record. Motions, initiatives and citizens' proposals only propose: what
/// they ask for becomes a commitment when it is decided. Follow-up reports
/// and answers report: their assignments are restatements.
pub fn find_commitments(text: &str, record: &Record) -> CommitmentText {
    let mut out = CommitmentText::default();
    if record.kind.proposes() {
        return out;
    }
    let reporting = record.kind.reports();
    let year = record.date.map(|d| d.year());
    let lines = lines_of(text);
    let mut used = vec![false; lines.len()];

    tables(text, &lines, &mut used, record, year, &mut out);
    numbered_rows(text, &lines, &mut used, record, year, &mut out);
    field_records(text, &lines, &mut used, record, &mut out);
    audit_answers(text, &lines, &mut used, record, &mut out);
    status_sections(text, &lines, &mut used, &mut out);
    let decided = record
        .part_of
        .is_some()
        .then(|| decision_part(&lines))
        .flatten();
    prose(text, &lines, &used, record, reporting, decided, &mut out);
    report_of_assignment(text, record, &mut out);
    // A question states what the asker believes; the status of a
    // commitment comes from those who report on it.
    if record.kind == DocKind::Interpellation {
        out.statuses.clear();
    }
    // A § that decides proposes only when its decision is a proposal
    // ("Beslut / Förslag till beslut i kommunfullmäktige"); a proposal
    // made at the meeting before the decision does not make it one.
    out.proposed = PROPOSAL.is_match(decided.map_or(text, |(a, b)| &text[a..b]));
    if record.kind == DocKind::FollowUp {
        out.report_line = report_line(text, &lines);
    }
    if reporting {
        for c in &mut out.commitments {
            c.restated = true;
        }
    }
    out
}

/// The words of a decision's "Beslut" part, whitespace made single, so
/// far as [`kedja_model::DECIDED_CHARS`].
pub fn decided_text(text: &str) -> Option<String> {
    let lines = lines_of(text);
    let (a, b) = decision_part(&lines)?;
    // Without its heading ("Beslut", "Kommunstyrelsens beslut").
    let a = text[a..b].find('\n').map_or(b, |i| a + i + 1);
    // Without the rules drawn under it ("______").
    let words: String = text[a..b]
        .split_whitespace()
        .filter(|w| w.chars().count() < 3 || !w.chars().all(|c| matches!(c, '_' | '-' | '–' | '.')))
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(kedja_model::DECIDED_CHARS)
        .collect();
    (!words.is_empty()).then_some(words)
}

static PROPOSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^\s*(?:\S+\s+)?förslag\s+till\s+(?:beslut|kommunfullmäktige|fullmäktige|regionfullmäktige)|föreslår\s+(?:kommun|region)?fullmäktige\s+(?:att\s+)?besluta",
    )
    .expect("valid regex")
});

/// A line of the text with its byte span.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

fn lines_of(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split('\n') {
        out.push(Line { text: l, start });
        start += l.len() + 1;
    }
    out
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod test_support {
    use kedja_model::{DateRange, DocKind, Precision, Record};

    pub(super) fn record(kind: DocKind, body: Option<&str>) -> Record {
        Record {
            kind,
            body: body.map(str::to_owned),
            date: kedja_model::parse_iso_date("2023-01-01"),
            ..Record::default()
        }
    }

    pub(super) fn range(s: &str, e: &str) -> DateRange {
        let start = kedja_model::parse_iso_date(s).unwrap();
        let end = kedja_model::parse_iso_date(e).unwrap();
        DateRange {
            start,
            end,
            precision: if s == e {
                Precision::Day
            } else if s.ends_with("01-01") && e.ends_with("12-31") {
                Precision::Year
            } else {
                Precision::Month
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_support::record;

    #[test]
    fn a_paragraph_proposes_only_when_its_decision_does() {
        let mut r = record(DocKind::Decision, Some("Kommunstyrelsen"));
        r.part_of = Some(kedja_model::DocId::for_source("protokoll"));
        let decides = "§ 9 Brygga\n\nFörslag till beslut på sammanträdet\n\
            Anna Ek (C) föreslår bifall.\n\nBeslut\n\
            Fritidsförvaltningen får i uppdrag att bygga en brygga.\n";
        assert!(!find_commitments(decides, &r).proposed);
        let proposes = "§ 10 Motion\n\nBeslut\n\
            Förslag till beslut i kommunfullmäktige\nMotionen bifalls.\n";
        assert!(find_commitments(proposes, &r).proposed);
    }

    #[test]
    fn a_decision_keeps_the_words_of_its_beslut() {
        let text = "§ 9 Brygga\n\nÄrendebeskrivning\nEn brygga behövs.\n\n\
            Kommunstyrelsens beslut\nKommunstyrelsen beslutar:\n\n\
            - att ge fritidsförvaltningen i uppdrag att bygga\n  en brygga.\n\n\
            ______________________\n\n\
            Beslutet expedieras till:\nFritidsförvaltningen\n";
        assert_eq!(
            decided_text(text).as_deref(),
            Some(
                "Kommunstyrelsen beslutar: - att ge fritidsförvaltningen i uppdrag att bygga en brygga."
            )
        );
        assert_eq!(decided_text("§ 9 Brygga\n\nEn brygga behövs.\n"), None);
        let hints = crate::Hints {
            kind: Some(DocKind::Decision),
            ..Default::default()
        };
        let u = crate::understand(text, &hints);
        assert!(u.record.decided.is_some_and(|d| d.ends_with("en brygga.")));
    }

    #[test]
    fn questions_and_proposals_are_not_commitments() {
        let text = "1. Hur många förvaltningar implementerade planerna under 2017?\n";
        assert!(
            find_commitments(text, &record(DocKind::Interpellation, None))
                .commitments
                .is_empty()
        );
        let motion = "att handlingsplanen ska vara klar senast juni 2023,\n";
        assert!(
            find_commitments(motion, &record(DocKind::Motion, None))
                .commitments
                .is_empty()
        );
    }
}
