//! Document understanding: Swedish political text in, a structured
//! [`Record`] and the [`Reference`]s it makes out.
//!
//! Pure code, no I/O. Nothing here fails: what is not understood is listed
//! in [`Record::problems`]. Every pattern runs in time linear in the input
//! (the `regex` crate guarantees it), so a 10 MB line is slow only in
//! proportion to its size.
//!
//! Entry points:
//! - [`clean_text`]: normalise raw decoded text (ligatures, soft hyphens,
//!   hyphenation, running headers, table-of-contents leaders, web banners);
//! - [`understand`]: kind, title, dates, people, bodies, identifiers,
//!   questions, proposals and references of a cleaned text.

mod bodies;
mod clean;
mod commitments;
mod dates;
mod head;
mod ids;
mod lexicon;
mod people;
mod protocol;
mod refs;
#[cfg(test)]
mod robust;
mod structure;

use kedja_model::{Date, DocKind, Person, PersonRole, Record, Reference};

pub use bodies::canonical_body;
pub use clean::{clean_text, normalize_chars};
pub use commitments::find_commitments;
pub use dates::date_in_file_name;
pub use ids::{diarienummer_keys, dnr_key, query_identifiers, record_identifiers};
pub use lexicon::month_name;
pub use protocol::{Minutes, Section, read_minutes, section_heading_number};

/// The municipality a text comes from, judged from names, place-and-date
/// lines and web addresses. Run it on the raw text too: the web address is
/// often in a banner that cleaning removes.
pub fn detect_municipality(text: &str) -> Option<String> {
    structure::municipality(text)
}

/// Word boundaries are checked in code, not with `\b` in the patterns: a
/// Unicode `\b` makes the regex crate leave its fast automaton for a much
/// slower engine on non-ASCII text, which Swedish always is.
pub(crate) fn at_word_start(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

pub(crate) fn at_word_end(text: &str, j: usize) -> bool {
    text[j..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// `text` lowercased letter by letter where that keeps its UTF-8 length,
/// so that every byte offset found in the copy is a char boundary of
/// `text` at the same place. A few letters change length when lowercased
/// (Turkish "İ" becomes "i̇", the Kelvin sign "K" becomes "k"); those stay
/// as they are: no Swedish word is spelt with them.
pub(crate) fn lowercase_keeping_offsets(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

pub(crate) fn word_bounded(text: &str, m: &regex::Match<'_>) -> bool {
    at_word_start(text, m.start()) && at_word_end(text, m.end())
}

/// What the caller already knows from the source (a TEI header, the
/// `--municipality` option): it wins over what the text suggests.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub title: Option<String>,
    pub kind: Option<DocKind>,
    pub date: Option<Date>,
    /// The deciding body, when the source says it (a § of a protocol).
    pub body: Option<String>,
    pub municipality: Option<String>,
    pub authors: Vec<Person>,
    pub addressee: Option<String>,
    pub questions: Vec<String>,
    pub doc_number: Option<String>,
    /// The lines the first page sets in display type, when the format
    /// tells type sizes (a PDF's text layer).
    pub headline: Option<String>,
    /// A day the file's name gives ([`date_in_file_name`]): the document's
    /// date only when its text names none.
    pub name_date: Option<Date>,
}

/// The result of [`understand`].
#[derive(Debug, Clone, PartialEq)]
pub struct Understanding {
    pub record: Record,
    pub references: Vec<Reference>,
    /// The text read as meeting minutes, when it is a protocol or an
    /// extract: its meeting and § sections.
    pub minutes: Option<Minutes>,
}

/// Texts longer than this are understood from their first part only; the
/// whole text is still stored and indexed.
const MAX_ANALYSED_BYTES: usize = 2_000_000;

/// Understand a cleaned text.
pub fn understand(text: &str, hints: &Hints) -> Understanding {
    let mut problems = Vec::new();
    let text = if text.len() > MAX_ANALYSED_BYTES {
        problems.push(format!(
            "text is {} bytes; only the first {MAX_ANALYSED_BYTES} were analysed",
            text.len()
        ));
        &text[..text.floor_char_boundary(MAX_ANALYSED_BYTES)]
    } else {
        text
    };
    if text.trim().is_empty() {
        problems.push("no text".to_owned());
    }

    let minutes = protocol::read_minutes(text);
    let head = head::read_head(text);
    // An extract whose § heading a scan lost is still an extract.
    let headless = match (hints.kind, &minutes) {
        (None, None) => protocol::headless_extract_title(text),
        _ => None,
    };
    let (kind, kind_confidence) = match (hints.kind, &minutes) {
        (Some(k), _) => (k, 1.0),
        (None, Some(m)) if m.whole => (DocKind::Protocol, 0.95),
        (None, Some(_)) => (DocKind::Decision, 0.95),
        (None, None) if headless.is_some() => (DocKind::Decision, 0.8),
        (None, None) => structure::kind_from_head(&head)
            .map(|k| (k, 0.95))
            .unwrap_or_else(|| structure::kind(text)),
    };
    // An extract is its one §: its heading is the title, its letterhead
    // gives body and date.
    let extract = minutes
        .as_ref()
        .filter(|m| !m.whole && kind == DocKind::Decision)
        .and_then(|m| m.sections.first().map(|s| (m, s)));
    let whole = minutes
        .as_ref()
        .filter(|m| m.whole && kind == DocKind::Protocol);
    if kind == DocKind::Other {
        problems.push("kind not recognised".to_owned());
    }
    let statute = head::statute(text);
    let title = hints
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| extract.map(|(_, s)| s.title.clone()))
        .or_else(|| whole.and_then(protocol_title))
        .or_else(|| headless.clone())
        .or_else(|| statute.as_ref().map(|(name, _)| name.clone()))
        .or_else(|| {
            // Past a letterhead, the head's title; a text that starts with
            // its title is read as before.
            let old = structure::title(text);
            match &head.title {
                Some(t) if *t != old && !t.starts_with(old.as_str()) => {
                    Some(if head_is_letterhead(&head, text) {
                        t.clone()
                    } else {
                        old
                    })
                }
                Some(t) => Some(t.clone()),
                None => Some(old),
            }
            .map(|t| match hints.headline.as_deref() {
                Some(h) if head::headline_instead(&t, h) => h.to_owned(),
                Some(h) => head::typed_headline(&t, h).unwrap_or(t),
                None => t,
            })
        })
        .unwrap_or_default();
    if title.is_empty() {
        problems.push("no title".to_owned());
    }
    let date = hints
        .date
        .or_else(|| minutes.as_ref().and_then(|m| m.date))
        .or_else(|| statute.as_ref().map(|(_, made)| *made))
        .or_else(|| {
            // The first of the head's date labels that holds a day: a
            // template's "Datum för beslut: ÅÅÅÅ-MM-DD" is passed over for
            // the "Upprättad: 2026-04-15" below it.
            // A label that gives a period ("Datum: 2026-04-01 - 2026-04-30")
            // dates what the document lists, not the document.
            head.label_values(&["datum", "upprättad", "daterad"])
                .find_map(|v| {
                    let days: Vec<_> = dates::find_dates(v, None)
                        .into_iter()
                        .filter(|m| m.range.precision == kedja_model::Precision::Day)
                        .collect();
                    match days.as_slice() {
                        [one] => Some(one.range.start),
                        _ => None,
                    }
                })
        })
        .or_else(|| head::drawn_up(text))
        .or_else(|| structure::own_date(text))
        .or_else(|| dates::display_day(text));
    let date = match (date, hints.name_date) {
        (None, Some(d)) => {
            problems.push("date taken from the file name".to_owned());
            Some(d)
        }
        (date, _) => date,
    };
    if date.is_none() {
        problems.push("no document date".to_owned());
    }
    let year = date.map(|d| d.year()).or_else(|| dates::first_year(text));
    let municipality = hints
        .municipality
        .clone()
        .or_else(|| structure::municipality(text));
    if municipality.is_none() {
        problems.push("municipality not found".to_owned());
    }

    let mut authors = if hints.authors.is_empty() {
        people::authors(text)
    } else {
        hints.authors.clone()
    };
    authors.retain(|p| p.role != PersonRole::Addressee);
    if authors.is_empty() && (kind == DocKind::Interpellation || kind.proposes()) {
        problems.push("no author found".to_owned());
    }
    let addressee = hints.addressee.clone().or_else(|| people::addressee(text));

    let all_bodies = bodies::distinct_bodies(text);
    // Without a stated deciding body, the body the text names most often;
    // an interpellation has none of its own.
    let body = hints
        .body
        .clone()
        .or_else(|| minutes.as_ref().and_then(|m| m.body.clone()))
        .or_else(|| {
            // A tjänsteskrivelse is addressed to the body named on its own
            // line in the letterhead.
            (kind == DocKind::StaffReport)
                .then(|| head.body_line.clone())
                .flatten()
        })
        .or_else(|| deciding_body(text, kind))
        .or_else(|| {
            head.label(&["beslutande instans"]).and_then(|v| {
                bodies::find_bodies(v)
                    .into_iter()
                    .next()
                    .map(|(b, _, _)| b)
                    .or_else(|| matches!(v.trim(), "KF" | "KS" | "KSAU").then(|| canonical_body(v)))
            })
        })
        .or_else(|| {
            if kind.of_interpellation() {
                None
            } else {
                // The body a text names most often is its own only when its
                // head names it too: an audit report names the board it
                // audits throughout, another organisation's report the
                // bodies it writes to.
                let head = &text[..text
                    .match_indices('\n')
                    .nth(OWN_BODY_LINES - 1)
                    .map_or(text.len(), |(at, _)| at)];
                bodies::most_named(text)
                    .filter(|b| bodies::find_bodies(head).iter().any(|(h, _, _)| h == b))
            }
        });

    let mut diarienummer: Vec<String> = Vec::new();
    for d in ids::find_dnr(text) {
        if !diarienummer.contains(&d.key) {
            diarienummer.push(d.key);
        }
    }
    let paragraphs: Vec<String> = ids::find_paragraphs(text)
        .into_iter()
        .map(|p| p.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .fold(Vec::new(), |mut acc, p| {
            if !acc.contains(&p) {
                acc.push(p);
            }
            acc
        });

    // An extract's heading zone runs to the end of its title; other texts'
    // to the first line of running text.
    let heading_end = match extract {
        Some((_, s)) => title_end(text, s).max(structure::heading_end(text)),
        None => structure::heading_end(text),
    };
    let paragraph = match extract {
        Some((_, s)) => Some(format!("§ {}", s.number)),
        // Only minutes have a § of their own; a tjänsteskrivelse or a
        // motion that cites one in its first lines does not.
        None if whole.is_some()
            || kind.proposes()
            || matches!(kind, DocKind::StaffReport | DocKind::Interpellation) =>
        {
            None
        }
        // A § cited with another day than the document's ("Mål och budget
        // (KF 2024-06-17, § 88)" in a report of 2025) is another meeting's.
        None => ids::find_paragraphs(&text[..heading_end])
            .into_iter()
            .find(|p| {
                p.number_to.is_none()
                    && p.date.as_deref().is_none_or(|said| {
                        let said = dates::find_dates(said, date.map(|d| d.year()));
                        match (said.first(), date) {
                            (Some(m), Some(d)) => m.range.contains(d),
                            _ => true,
                        }
                    })
            })
            .map(|p| format!("§ {}", p.number)),
    };
    let heading_dnr = extract
        .and_then(|(_, s)| s.diarienummer.as_deref())
        .map(|d| {
            ids::find_dnr(d)
                .into_iter()
                .map(|x| x.key)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let own_diarienummer: Vec<String> = heading_dnr
        .into_iter()
        .chain(
            ids::find_dnr(&text[..heading_end])
                .into_iter()
                .map(|d| d.key),
        )
        .fold(Vec::new(), |mut acc, k| {
            if !acc.contains(&k) {
                acc.push(k);
            }
            acc
        });
    let questions = if !hints.questions.is_empty() {
        hints.questions.clone()
    } else if matches!(kind, DocKind::Interpellation) {
        structure::questions(text)
    } else {
        Vec::new()
    };
    if kind == DocKind::Interpellation && questions.is_empty() {
        problems.push("no questions found".to_owned());
    }
    // What a proposal proposes, and what a decision decides.
    let proposals = if kind.proposes() || kind == DocKind::Decision {
        structure::proposals(text)
    } else {
        Vec::new()
    };

    let mut references = refs::references(text, date);
    // "Uppföljning av handlingsplan för trygghet 2026" over the report's own
    // date: the title names the plan followed up, and the day under it is
    // the report's, not the plan's.
    for r in &mut references {
        if r.start < heading_end
            && r.kind == kedja_model::RefKind::Mention
            && r.target_kind.is_some_and(|k| k != kind)
            && r.title.is_some()
            && dated_on(r, date)
        {
            r.date = None;
        }
    }
    references.retain(|r| !is_self_reference(r, kind, date, paragraph.as_deref(), heading_end));
    // "Ordföranden förklarar att kommunfullmäktige därmed beslutat …": in a
    // decision, the chair's words on how its own body decided, on no day of
    // another meeting, tell of this very decision.
    references.retain(|r| {
        !(kind == DocKind::Decision
            && r.kind == kedja_model::RefKind::Mention
            && r.target_kind == Some(DocKind::Decision)
            && r.date.is_none()
            && CHAIR_DECLARES.is_match(&r.evidence)
            && r.body
                .as_deref()
                .zip(body.as_deref())
                .is_some_and(|(a, b)| a.to_lowercase() == b.to_lowercase()))
    });
    if let Some(m) = whole
        && let Some(first) = m.sections.first()
    {
        // A whole protocol's §§ are documents of their own, which carry
        // their references; the protocol keeps those of its cover, less
        // the cover's mentions of its own §§ ("Peter Ek (S) §§94-98") and
        // its list of §§, whose titles name what the §§ decide, and whose
        // case numbers are the §§' own ("§ 68  KS 2031:9").
        let sections_dnr: Vec<String> = m
            .sections
            .iter()
            .flat_map(Section::diarienummer_keys)
            .collect();
        let own = |r: &Reference| {
            r.diarienummer
                .as_ref()
                .is_some_and(|k| sections_dnr.contains(k))
                || r.date.is_none()
                    && r.paragraph.as_deref().is_some_and(|p| {
                        p.trim_start_matches('§')
                            .trim()
                            .split(|c: char| !c.is_ascii_digit())
                            .next()
                            .and_then(|n| n.parse::<u32>().ok())
                            .is_some_and(|n| m.sections.iter().any(|s| s.number == n))
                    })
        };
        references.retain(|r| {
            r.start < first.start
                && !own(r)
                && !matches!(
                    r.kind,
                    kedja_model::RefKind::Mention | kedja_model::RefKind::Listed
                )
        });
    }
    // A reference into another municipality says so ("Mjölby kommuns
    // handlingsplan"); one that names the document's own stays local.
    let own_municipality = hints
        .municipality
        .clone()
        .or_else(|| structure::municipality(text));
    for r in references.iter_mut().filter(|r| {
        matches!(
            r.kind,
            kedja_model::RefKind::Mention | kedja_model::RefKind::Decision
        )
    }) {
        r.municipality = structure::named_municipality(&r.evidence)
            .filter(|m| Some(m) != own_municipality.as_ref());
    }
    if let Some(n) = &hints.doc_number {
        // The document's own number is not a reference to another document.
        references.retain(|r| {
            r.title.as_deref() != Some(n.as_str()) || r.kind != kedja_model::RefKind::DocumentNumber
        });
    }

    let record = Record {
        kind,
        kind_confidence,
        title,
        date,
        municipality,
        authors,
        addressee,
        body,
        bodies: all_bodies,
        diarienummer,
        paragraphs,
        paragraph,
        own_diarienummer,
        doc_number: hints.doc_number.clone(),
        dates: dates::find_dates(text, year),
        questions,
        proposals,
        problems,
        handler: (kind == DocKind::StaffReport)
            .then(|| head.label(&["handläggare"]).map(str::to_owned))
            .flatten(),
        office: (kind == DocKind::StaffReport)
            .then(|| structure::office(text))
            .flatten(),
        decided: (kind == DocKind::Decision)
            .then(|| commitments::decided_text(text))
            .flatten(),
        ..Record::default()
    };
    Understanding {
        record,
        references,
        minutes,
    }
}

/// Whether the text opens with a letterhead rather than its title: a label
/// block, a document-type word, or lines the head skipped as letterhead.
fn head_is_letterhead(head: &head::Head, text: &str) -> bool {
    !head.labels.is_empty()
        || !head.type_words.is_empty()
        || head.body_line.is_some()
        || head.title_end.is_some_and(|end| {
            !text[..end]
                .trim_start()
                .starts_with(head.title.as_deref().unwrap_or(""))
        })
}

/// "Protokoll Kommunstyrelsen 2026-06-01": a protocol has no title of its
/// own; this is how it is cited.
fn protocol_title(m: &Minutes) -> Option<String> {
    match (&m.body, m.date) {
        (Some(b), Some(d)) => Some(format!("Protokoll {b} {d}")),
        (Some(b), None) => Some(format!("Protokoll {b}")),
        _ => None,
    }
}

/// The byte offset after the title lines of a section's heading.
fn title_end(text: &str, s: &Section) -> usize {
    let zone = &text[s.start..s.end];
    let mut words = s.title.split_whitespace();
    let last = words.next_back().unwrap_or("");
    // The title ends at its last word's first occurrence after the heading
    // line (the title may wrap, so search from the line after "§ N").
    let after_heading = zone.find('\n').map_or(zone.len(), |i| i + 1);
    // A title on the heading line itself ends there.
    if s.title_on_heading {
        return s.start + after_heading;
    }
    zone[after_heading..]
        .find(last)
        .map_or(s.start + after_heading, |i| {
            s.start + after_heading + i + last.len()
        })
}

/// One § of a whole protocol as a document of its own: its text (page
/// furniture removed) and its understanding, with the meeting's body and
/// date and the section's heading as title.
pub fn understand_section(
    protocol_text: &str,
    minutes: &Minutes,
    section: &Section,
    hints: &Hints,
) -> (String, Understanding) {
    let text: String = protocol_text[section.start..section.end]
        .lines()
        .filter(|l| !protocol::is_page_furniture(l))
        .collect::<Vec<_>>()
        .join("\n");
    let hints = Hints {
        title: Some(section.title.clone()),
        kind: Some(DocKind::Decision),
        date: minutes.date.or(hints.date),
        body: minutes.body.clone().or_else(|| hints.body.clone()),
        ..hints.clone()
    };
    let mut u = understand(&text, &hints);
    u.record.paragraph = Some(format!("§ {}", section.number));
    for key in section.diarienummer_keys() {
        if !u.record.own_diarienummer.contains(&key) {
            u.record.own_diarienummer.insert(0, key);
        }
    }
    u.minutes = None;
    (text, u)
}

/// The chair's words that declare the meeting's decision: "förklarar att",
/// "finner att", "därmed".
static CHAIR_DECLARES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:förklarar|finner|därmed)\b").expect("valid regex")
});

/// How many lines (blank ones counted) must name the body a text names most
/// often for it to be the text's own.
const OWN_BODY_LINES: usize = 30;

/// Whether `r` names the one day `date` (the citing document's own).
fn dated_on(r: &Reference, date: Option<Date>) -> bool {
    date.is_some_and(|d| r.date.is_some_and(|rd| rd.start == d && rd.end == d))
}

/// The document naming itself: its own § or date in its heading
/// ("Protokollsutdrag … 2022-12-14 § 187"), or its own kind in its title
/// ("Motion om …" in a motion).
fn is_self_reference(
    r: &Reference,
    kind: DocKind,
    date: Option<Date>,
    paragraph: Option<&str>,
    heading_end: usize,
) -> bool {
    let own_paragraph = paragraph.is_some() && r.paragraph.as_deref() == paragraph;
    let own_date = dated_on(r, date);
    // "Kommunstyrelsen behandlade den 20 mars 2024 uppföljningen" in the
    // follow-up of that day: its own kind and its own date, anywhere.
    if r.kind == kedja_model::RefKind::Mention && r.target_kind == Some(kind) && own_date {
        return true;
    }
    if r.start >= heading_end {
        return false;
    }
    // A plan's "Antagen av kommunfullmäktige 2023-06-14 § 98" names the
    // decision that adopted it, which is another document.
    let is_minutes = matches!(
        kind,
        DocKind::Decision | DocKind::Protocol | DocKind::MotionResponse | DocKind::FollowUp
    );
    match r.kind {
        kedja_model::RefKind::Paragraph | kedja_model::RefKind::Decision => {
            is_minutes && (own_paragraph || own_date)
        }
        kedja_model::RefKind::Mention => r.target_kind == Some(kind) || own_date,
        _ => false,
    }
}

/// The body that decided or owns the document: "Beslutad av X", "Antagen
/// av X", "Dokumentansvarig nämnd: X", "X beslutar", or the first heading
/// line naming a body in a decision or protocol.
fn deciding_body(text: &str, kind: DocKind) -> Option<String> {
    if kind.of_interpellation() {
        return None;
    }
    use std::sync::LazyLock;
    static BY: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)(?:beslutad\s+av|antagen\s+av|antaget\s+av|fastställd\s+av|dokumentansvarig\s+nämnd:)\s*(?P<b>[^\n.,:]{3,60})")
            .expect("valid regex")
    });
    let head: String = text.chars().take(1500).collect();
    if let Some(c) = BY.captures(&head)
        && let Some((b, _, _)) = bodies::find_bodies(&c["b"]).into_iter().next()
    {
        return Some(b);
    }
    // A tjänsteskrivelse proposes to the body its first proposal is for
    // ("Förslag till beslut i tekniska nämnden:"), wherever its head ends.
    static PROPOSED_TO: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?im)^\s*förslag\s+till\s+beslut\s+(?:i|till|för)\s+(?P<b>[^\n:]{3,60})",
        )
        .expect("valid regex")
    });
    if kind == DocKind::StaffReport
        && let Some(c) = PROPOSED_TO.captures(text)
        && let Some((b, _, _)) = bodies::find_bodies(&c["b"]).into_iter().next()
    {
        return Some(b);
    }
    if matches!(
        kind,
        DocKind::Decision | DocKind::Protocol | DocKind::FollowUp
    ) {
        for line in structure::heading_lines(text) {
            if let Some((b, _, _)) = bodies::find_bodies(line).into_iter().next() {
                return Some(b);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_protocol_s_list_of_cases_names_its_own_sections_not_other_documents() {
        // The cover lists each § with its case number; an earlier meeting's
        // § of the same case is the same case, not a document the protocol
        // cites. A number the cover names of no § of its own stays.
        let text = "Byggnämnden\nProtokoll\n2031-03-05\n\nPlats och tid\nStadshuset\n\nBeslutande\nAnna Berg (S)\n\nÄrendelista\n\u{a7} 10   BN 2031:7\n\u{a7} 11   BN 2031:12\n\nAnmälan enligt BN 2030:99\n\nUtdragsbestyrkande\n\nBN \u{a7} 10    BN 2031:7\n\nBygglov för Ekby 1:2\nBeslut\nBygglov ges.\n\nBN \u{a7} 11    BN 2031:12\n\nTaxa för bygglov\nBeslut\nTaxan antas.\n";
        let u = understand(text, &Hints::default());
        assert!(
            u.minutes
                .as_ref()
                .is_some_and(|m| m.whole && m.sections.len() == 2)
        );
        let keys: Vec<&str> = u
            .references
            .iter()
            .filter_map(|r| r.diarienummer.as_deref())
            .collect();
        assert!(keys.contains(&"BN-2030-99"), "{keys:?}");
        assert!(
            !keys.iter().any(|k| *k == "BN-2031-7" || *k == "BN-2031-12"),
            "{keys:?}"
        );
    }

    #[test]
    fn a_follow_up_titled_by_the_plan_it_follows_up_names_that_plan() {
        let text = "Uppföljning av handlingsplan för trygghet 2026\nEkby kommun\n2026-11-15\n\nStatus för aktiviteterna\n\nRutinen är klar.\n";
        let u = understand(text, &Hints::default());
        assert_eq!(u.record.kind, DocKind::FollowUp);
        assert_eq!(
            u.record.date.map(|d| d.to_string()).as_deref(),
            Some("2026-11-15")
        );
        let plan: Vec<_> = u
            .references
            .iter()
            .filter(|r| r.target_kind == Some(DocKind::Plan))
            .collect();
        assert_eq!(plan.len(), 1, "{:#?}", u.references);
        assert_eq!(
            plan[0].title.as_deref(),
            Some("handlingsplan för trygghet 2026")
        );
        assert_eq!(plan[0].date, None);
    }

    #[test]
    fn the_body_a_text_names_most_is_its_own_only_when_its_head_names_it() {
        // An auditors' report names the board it audits throughout; its
        // head names none.
        let body_text = "Fritidsnämnden har tagit fram rutiner. Fritidsnämnden följer upp dem.\n\n";
        let audit = format!(
            "Granskning av rutiner för bidrag\nRevisionsrapport 2030\n\n{}{}",
            "Granskningen visar att rutinerna följs i stort.\n\n".repeat(20),
            body_text.repeat(3)
        );
        assert_eq!(understand(&audit, &Hints::default()).record.body, None);
        // A plan whose head names its board is that board's.
        let plan = format!(
            "Plan för bidrag 2030\nFritidsnämnden\n\n{}",
            body_text.repeat(3)
        );
        assert_eq!(
            understand(&plan, &Hints::default()).record.body.as_deref(),
            Some("Fritidsnämnden")
        );
    }

    #[test]
    fn a_planning_document_is_of_the_day_it_was_drawn_up_not_of_its_meeting() {
        let text = format!(
            "Antagandehandling\nUtökat förfarande\nKommunfullmäktige 2031-06-10\n\n\
             Detaljplan för förskola vid Ekby äng\n\n{}\
             Datum   Anmärkning\nUpprättad 2031-02-09\nReviderad 2031-03-23\n",
            "Planen prövar en ny förskola.\n".repeat(40)
        );
        let u = understand(&text, &Hints::default());
        assert_eq!(
            u.record.date.map(|d| d.to_string()).as_deref(),
            Some("2031-02-09")
        );
    }

    #[test]
    fn a_staff_report_proposes_to_the_body_of_its_first_proposal() {
        let text = format!(
            "Datum: 2030-05-02\nHandläggare: Eva Ek\nDiarienr: 2030.014 FRN\n\nNy badplats vid sjön\n\nÄrendebeskrivning\n{}Förslag till beslut i fritidsnämnden:\nFritidsnämnden föreslår kommunstyrelsen att bygga badplatsen.\n\nFörslag till beslut i kommunstyrelsen:\nKommunstyrelsen bygger badplatsen.\n",
            "Kommunstyrelsen har frågat om en badplats.\n".repeat(40)
        );
        let u = understand(&text, &Hints::default());
        assert_eq!(u.record.kind, DocKind::StaffReport);
        assert_eq!(u.record.body.as_deref(), Some("Fritidsnämnden"));
    }

    #[test]
    fn bad_input_gives_problems_not_panics() {
        for text in [
            "",
            "\u{0}\u{1}\u{2}",
            "§§§§ 2022-13-45 § KS/",
            "The quick brown fox jumps over the lazy dog.",
        ] {
            let u = understand(text, &Hints::default());
            assert!(!u.record.problems.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn a_file_name_s_day_fills_only_the_gap_the_text_leaves() {
        let named = Hints {
            name_date: kedja_model::parse_iso_date("2031-06-03"),
            ..Hints::default()
        };
        let undated = "Årshjul\n\nSeptember\nAktivitet: Betygsrapportering\n";
        let u = understand(undated, &named);
        assert_eq!(
            u.record.date.map(|d| d.to_string()).as_deref(),
            Some("2031-06-03")
        );
        assert!(u.record.problems.iter().any(|p| p.contains("file name")));
        // The annual cycle's months are then dated from it.
        let c = find_commitments(undated, &u.record);
        assert_eq!(
            c.commitments[0]
                .deadline
                .map(|d| d.start.to_string())
                .as_deref(),
            Some("2031-09-01")
        );
        let dated = "Årshjul\nDatum: 2031-01-10\n\nSeptember\nAktivitet: Betygsrapportering\n";
        let u = understand(dated, &named);
        assert_eq!(
            u.record.date.map(|d| d.to_string()).as_deref(),
            Some("2031-01-10")
        );
        assert!(!u.record.problems.iter().any(|p| p.contains("file name")));
    }

    #[test]
    fn a_paragraph_of_another_day_is_not_the_document_s_own() {
        let report = |cited: &str| {
            format!(
                "Uppföljning av uppdrag\nDatum: 2031-08-25\nKommunstyrelsen {cited}, \u{a7} 88\n\nNämnderna har redovisat sina uppdrag.\n"
            )
        };
        // "(KF 2030-06-17, § 88)" in a report of 2031 cites the meeting
        // that gave the assignments.
        let u = understand(&report("2030-06-17"), &Hints::default());
        assert_eq!(u.record.paragraph, None);
        assert!(
            u.references
                .iter()
                .any(|r| r.paragraph.as_deref() == Some("\u{a7} 88")),
            "{:#?}",
            u.references
        );
        // The § of the document's own day is its own.
        let u = understand(&report("2031-08-25"), &Hints::default());
        assert_eq!(u.record.paragraph.as_deref(), Some("\u{a7} 88"));
    }

    #[test]
    fn a_decision_telling_how_its_own_body_decided_cites_no_other_decision() {
        let hints = Hints {
            kind: Some(DocKind::Decision),
            body: Some("Kommunfullmäktige".into()),
            date: kedja_model::parse_iso_date("2031-05-07"),
            ..Hints::default()
        };
        let decisions = |text: &str| -> usize {
            understand(text, &hints)
                .references
                .iter()
                .filter(|r| {
                    r.kind == kedja_model::RefKind::Mention
                        && r.target_kind == Some(DocKind::Decision)
                })
                .count()
        };
        let text = |said: &str| {
            format!(
                "Motion om cykelbanor\n\nÄrendebeskrivning\nEn motion har lämnats.\n\nOrdföranden förklarar att {said} avslå motionen om cykelbanor.\n"
            )
        };
        // Its own body deciding, on no other day: this decision.
        assert_eq!(decisions(&text("kommunfullmäktige därmed beslutat")), 0);
        // Another body's decision is another document.
        assert_eq!(decisions(&text("kommunstyrelsen tidigare beslutat")), 1);
        // So is an earlier decision of its own body it names.
        assert_eq!(
            decisions(
                "Motion om cykelbanor\n\nI enlighet med kommunfullmäktiges beslut om riktlinjer för cykelbanor ska motionen avslås.\n"
            ),
            1
        );
    }

    #[test]
    fn a_reference_into_another_municipality_names_it() {
        let text = "Interpellation\n\nTill KSO om hedersvåld\n\nI Mjölby kommuns Handlingsplan mot hedersrelaterat våld och förtryck finns bra exempel. Karlstads kommun saknar en motsvarande handlingsplan för förskolan.\n\nKarlstad 2021-01-20\n\nAnna Berg (S)";
        let u = understand(
            text,
            &Hints {
                municipality: Some("Karlstad".into()),
                ..Hints::default()
            },
        );
        let plans: Vec<_> = u
            .references
            .iter()
            .filter(|r| r.target_kind == Some(DocKind::Plan))
            .collect();
        assert_eq!(
            plans[0].municipality.as_deref(),
            Some("Mjölby"),
            "{plans:#?}"
        );
        assert!(
            plans.iter().skip(1).all(|r| r.municipality.is_none()),
            "its own municipality stays implicit: {plans:#?}"
        );
    }

    #[test]
    fn long_single_line_is_bounded() {
        let line = "våld 2022-12-14 § 12 KS 2019/317 ".repeat(70_000);
        let u = understand(&line, &Hints::default());
        assert!(
            u.record
                .problems
                .iter()
                .any(|p| p.contains("only the first"))
        );
    }
}
