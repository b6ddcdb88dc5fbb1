//! References to other documents: explicit identifiers (diarienummer,
//! § references, document numbers), decisions by body and date, and
//! implicit mentions ("motionen från Martin Lindberg (V) i februari 2022").

use std::sync::LazyLock;

use kedja_model::{DateRange, DocKind, Person, RefKind, Reference};
use regex::Regex;

use crate::{bodies, dates, ids, people};

/// Nouns that name a kind of document, with the kind.
const DOC_NOUNS: &[(&str, DocKind)] = &[
    ("interpellationssvar", DocKind::InterpellationAnswer),
    ("interpellation", DocKind::Interpellation),
    ("medborgarförslag", DocKind::CitizenProposal),
    ("motion", DocKind::Motion),
    ("nämndinitiativ", DocKind::Initiative),
    ("politiskt initiativ", DocKind::Initiative),
    ("politiska initiativ", DocKind::Initiative),
    ("initiativ", DocKind::Initiative),
    ("yttrande", DocKind::MotionResponse),
    ("remissvar", DocKind::MotionResponse),
    ("protokollsutdrag", DocKind::Decision),
    ("beslut", DocKind::Decision),
    ("handlingsplan", DocKind::Plan),
    ("handlingsprogram", DocKind::Plan),
    ("strategi", DocKind::Plan),
    ("återrapportering", DocKind::FollowUp),
    ("avrapportering", DocKind::FollowUp),
    ("uppföljning", DocKind::FollowUp),
    ("slutrapport", DocKind::FollowUp),
    ("granskning", DocKind::Other),
    ("revisionsrapport", DocKind::Other),
];

static DECISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?P<body>kommunfullmäktiges|kommunstyrelsens|[\p{L}\-]*nämndens|regionfullmäktiges)\s+beslut(?:et)?\s+(?:den\s+|från\s+)?(?P<date>(?:19|20)\d\d-\d\d-\d\d|\d{1,2}\s+\p{L}+\s+(?:19|20)\d\d)(?:\s*,?\s*(?P<par>§\s*\d{1,4}))?
        | \b(?P<body2>kommunfullmäktige|kommunstyrelsen|[\p{L}\-]*nämnden)\s+(?:beslutade|biföll|avslog|antog|godkände|gav)\s+(?:den\s+)?(?P<date2>(?:19|20)\d\d-\d\d-\d\d|\d{1,2}\s+\p{L}+\s+(?:19|20)\d\d)(?:\s*\((?P<par2>§\s*\d{1,4})\))?
        ",
    )
    .expect("valid regex")
});
static TITLED_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<t>(?:Handlingsplan|Handlingsprogram|Strategi|Program|Plan)(?:en|met|et)?\s+(?:(?:för|mot|om)\s+)?(?:(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\s+)?\p{L}[^,.;\n(]{3,120}?)(?:\s*[,(]|\s+antag|\s+beslutad|\s+som\s|\.|\n)")
        .expect("valid regex")
});

/// All references in `text`. `own_dnr` keys are the document's own
/// diarienummer, which are kept as references too: documents in the same
/// ärende share one, which is how their chain is found.
pub(crate) fn references(text: &str, title_end: usize) -> Vec<Reference> {
    let mut out = Vec::new();
    for d in ids::find_dnr(text) {
        out.push(Reference {
            kind: RefKind::Diarienummer,
            diarienummer: Some(d.key.clone()),
            evidence: d.text.clone(),
            start: d.start,
            end: d.end,
            ..empty()
        });
    }
    for p in ids::find_paragraphs(text) {
        let body = p.body.clone().or_else(|| nearest_body(text, p.start));
        let date = p
            .date
            .as_deref()
            .and_then(kedja_model::parse_iso_date)
            .map(DateRange::day);
        out.push(Reference {
            kind: RefKind::Paragraph,
            target_kind: Some(DocKind::Decision),
            body,
            date,
            paragraph: Some(match p.number_to {
                Some(to) => format!("§ {}-{}", p.number, to),
                None => format!("§ {}", p.number),
            }),
            evidence: p.text.clone(),
            start: p.start,
            end: p.end,
            ..empty()
        });
    }
    for (num, start, end) in ids::find_doc_numbers(text) {
        out.push(Reference {
            kind: RefKind::DocumentNumber,
            evidence: num.clone(),
            title: Some(num),
            start,
            end,
            ..empty()
        });
    }
    for c in DECISION.captures_iter(text) {
        let m = c.get(0).expect("whole match");
        let body = c
            .name("body")
            .or(c.name("body2"))
            .map(|b| bodies::canonical_body(b.as_str()));
        let date_text = c
            .name("date")
            .or(c.name("date2"))
            .map(|d| d.as_str())
            .unwrap_or("");
        let date = dates::find_dates(date_text, None).first().map(|d| d.range);
        let paragraph = c
            .name("par")
            .or(c.name("par2"))
            .map(|p| p.as_str().split_whitespace().collect::<Vec<_>>().join(" "));
        out.push(Reference {
            kind: RefKind::Decision,
            target_kind: Some(DocKind::Decision),
            body,
            date,
            paragraph,
            evidence: m.as_str().to_owned(),
            start: m.start(),
            end: m.end(),
            ..empty()
        });
    }
    out.extend(mentions(text, title_end));
    out.sort_by_key(|r| (r.start, r.end));
    out
}

fn empty() -> Reference {
    Reference {
        kind: RefKind::Mention,
        target_kind: None,
        body: None,
        date: None,
        diarienummer: None,
        paragraph: None,
        person: None,
        title: None,
        evidence: String::new(),
        start: 0,
        end: 0,
    }
}

/// The body named closest before `pos` within 120 bytes.
fn nearest_body(text: &str, pos: usize) -> Option<String> {
    let from = floor_char(text, pos.saturating_sub(120));
    bodies::find_bodies(&text[from..pos])
        .last()
        .map(|(b, _, _)| b.clone())
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Sentences that name another document by kind, with who, when, which body
/// and what title they give. The title lines of the document itself
/// (before `title_end`) are skipped.
fn mentions(text: &str, title_end: usize) -> Vec<Reference> {
    let mut out = Vec::new();
    for (start, sentence) in sentences(text) {
        if start < title_end {
            continue;
        }
        let lower = sentence.to_lowercase();
        let Some((noun, kind)) = DOC_NOUNS
            .iter()
            .find(|(n, _)| contains_word_start(&lower, n))
        else {
            continue;
        };
        let person = people::named_with_party(sentence)
            .into_iter()
            .next()
            .map(|(p, _, _)| p);
        let body = bodies::find_bodies(sentence)
            .into_iter()
            .next()
            .map(|(b, _, _)| b);
        let date = dates::find_dates(sentence, None)
            .into_iter()
            .next()
            .map(|d| d.range);
        let title = TITLED_PLAN
            .captures(sentence)
            .map(|c| c["t"].trim().to_owned());
        // A bare indefinite noun with nothing to resolve it by is not a
        // reference; a definite one ("motionen") points at a known document.
        let definite = ["en", "et", "met"]
            .iter()
            .any(|suffix| contains_word_start(&lower, &format!("{noun}{suffix}")));
        if person.is_none() && date.is_none() && title.is_none() && body.is_none() && !definite {
            continue;
        }
        let evidence: String = sentence.chars().take(400).collect();
        out.push(Reference {
            kind: RefKind::Mention,
            target_kind: Some(*kind),
            body,
            date,
            person: person.map(|p| Person {
                role: kedja_model::PersonRole::Author,
                ..p
            }),
            title,
            end: start + evidence.len(),
            evidence,
            start,
            ..empty()
        });
    }
    out
}

/// `needle` occurs at the start of a word ("motionen" contains "motion").
fn contains_word_start(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        i == 0
            || !hay[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
    })
}

/// Sentences with their byte offsets. A sentence ends at ". ", "? ", "! "
/// or a blank line; abbreviations like "bl.a." rarely end in a space before
/// a capital letter, which is the rule used here.
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end_here = match bytes[i] {
            b'\n' => i + 1 < bytes.len() && bytes[i + 1] == b'\n',
            b'.' | b'?' | b'!' => {
                i + 2 < bytes.len()
                    && bytes[i + 1] == b' '
                    && text[i + 2..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            }
            _ => false,
        };
        if end_here {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                let lead = text[start..].len() - text[start..].trim_start().len();
                out.push((start + lead, s));
            }
            start = i + 1;
        }
        i += 1;
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        let lead = text[start..].len() - text[start..].trim_start().len();
        out.push((start + lead, s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motion_by_author_and_month() {
        let refs = references(
            "I februari 2022 lämnade Martin Lindberg (V) in en motion till kommunfullmäktige om förebyggande arbete.",
            0,
        );
        let m = refs
            .iter()
            .find(|r| r.kind == RefKind::Mention)
            .expect("a mention");
        assert_eq!(m.target_kind, Some(DocKind::Motion));
        assert_eq!(m.person.as_ref().unwrap().name, "Martin Lindberg");
        assert_eq!(m.person.as_ref().unwrap().party.as_deref(), Some("V"));
        assert_eq!(m.date.unwrap().start.to_string(), "2022-02-01");
        assert_eq!(m.body.as_deref(), Some("Kommunfullmäktige"));
    }

    #[test]
    fn decision_by_body_and_date() {
        let refs = references(
            "I yttrandet som låg till grund för kommunfullmäktiges beslut 2022-12-14 står att:",
            0,
        );
        let d = refs
            .iter()
            .find(|r| r.kind == RefKind::Decision)
            .expect("a decision");
        assert_eq!(d.body.as_deref(), Some("Kommunfullmäktige"));
        assert_eq!(d.date.unwrap().start.to_string(), "2022-12-14");
        assert_eq!(d.evidence, "kommunfullmäktiges beslut 2022-12-14");
    }

    #[test]
    fn plan_by_title_body_and_date() {
        let t = "I Handlingsprogrammet 2022-2026 Mot våld i nära relationer och hedersrelaterat våld och förtryck, antaget av Socialnämnden 2021-11-16 beskrivs det förebyggande arbetet.";
        let refs = references(t, 0);
        let m = refs
            .iter()
            .find(|r| r.kind == RefKind::Mention)
            .expect("a mention");
        assert_eq!(m.target_kind, Some(DocKind::Plan));
        assert_eq!(
            m.title.as_deref(),
            Some(
                "Handlingsprogrammet 2022-2026 Mot våld i nära relationer och hedersrelaterat våld och förtryck"
            )
        );
        assert_eq!(m.body.as_deref(), Some("Socialnämnden"));
        assert_eq!(m.date.unwrap().start.to_string(), "2021-11-16");
    }

    #[test]
    fn paragraph_with_body_and_date() {
        let refs = references("Beslutad av kommunstyrelsen. 2019-12-18/§ 334:", 0);
        let p = refs
            .iter()
            .find(|r| r.kind == RefKind::Paragraph)
            .expect("a paragraph");
        assert_eq!(p.body.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(p.paragraph.as_deref(), Some("§ 334"));
        assert_eq!(p.date.unwrap().start.to_string(), "2019-12-18");
    }

    #[test]
    fn initiative_by_year_and_audit() {
        let refs = references(
            "Så skrev partierna i ett gemensamt politiskt initiativ som togs 2016. Stadsrevisionen har gjort en granskning kring arbetet.",
            0,
        );
        let kinds: Vec<(Option<DocKind>, Option<String>)> = refs
            .iter()
            .map(|r| (r.target_kind, r.date.map(|d| d.start.to_string())))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Some(DocKind::Initiative), Some("2016-01-01".into())),
                (Some(DocKind::Other), None)
            ]
        );
        assert_eq!(refs[1].body.as_deref(), Some("Stadsrevisionen"));
    }
}
