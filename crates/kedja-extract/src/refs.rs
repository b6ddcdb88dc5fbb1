//! References to other documents: explicit identifiers (diarienummer,
//! § references, document numbers), decisions by body and date, and
//! implicit mentions ("motionen från Martin Lindberg (V) i februari 2022").

use std::sync::LazyLock;

use kedja_model::{DateRange, DocKind, Person, RefKind, Reference};
use regex::Regex;

use crate::lexicon::MONTH_ALT;
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
    ("riktlinjer", DocKind::Plan),
    ("strategi", DocKind::Plan),
    ("återrapportering", DocKind::FollowUp),
    ("avrapportering", DocKind::FollowUp),
    ("uppföljning", DocKind::FollowUp),
    ("slutrapport", DocKind::FollowUp),
    // Documents of a detailed plan's procedure, named by their genre.
    ("granskningsutlåtande", DocKind::Other),
    ("samrådsredogörelse", DocKind::Other),
    ("granskning", DocKind::Other),
    ("revisionsrapport", DocKind::Other),
];

static DECISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?xi)
        (?P<body>kommunfullmäktiges|kommunstyrelsens|[\p{{L}}\-]*nämndens|regionfullmäktiges)\s+beslut(?:et)?\s+(?:den\s+|från\s+)?(?P<date>(?:19|20)\d\d-\d\d-\d\d|\d{{1,2}}\s+\p{{L}}+\s+(?:19|20)\d\d)(?:\s*,?\s*(?P<par>§\s*\d{{1,4}}))?
        | (?P<body2>kommunfullmäktige|kommunstyrelsen|[\p{{L}}\-]*nämnden)\s+(?:beslutade|biföll|avslog|antog|godkände|gav|anvisade|fattade\s+beslut)\s+(?P<about>om\s+\p{{L}}+(?:\s+\p{{L}}+){{0,3}}?\s+)?(?:den\s+|i\s+)?(?:(?P<date2>(?:19|20)\d\d-\d\d-\d\d|(?:\d{{1,2}}\s+)?(?:{MONTH_ALT})\s+(?:19|20)\d\d)|(?P<season>hösten|våren)\s+(?P<seasony>(?:19|20)\d\d))(?:\s*\((?P<par2>§\s*\d{{1,4}})\)|\s*,\s*(?P<par2b>§\s*\d{{1,4}}))?
        | (?:del|åter)?(?:redovisades|rapporterades|anmäldes)\s+(?:för\s+|till\s+|i\s+)?(?P<body3>(?:kommun)?fullmäktige|kommunstyrelsen|(?:\p{{Ll}}+a\s+)?[\p{{L}}\-]*nämnden)\s+(?:den\s+)?(?P<date3>(?:19|20)\d\d-\d\d-\d\d|\d{{1,2}}\s+(?:{MONTH_ALT})\s+(?:19|20)\d\d)
        "
    ))
    .expect("valid regex")
});
static TITLED_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<t>(?i:handlingsplan|handlingsprogram|strategi|riktlinjer|program|plan)(?:en|met|et|na)?\s+(?:(?:för|mot|om)\s+)?(?:(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\s+)?\p{L}[^,.;\n(]{3,120}?)(?:\s*[,(]|\s+antag|\s+beslutad|\s+som\s|\.|\n|$)")
        .expect("valid regex")
});

static STAFF_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:(?P<office>\p{Lu}\p{L}*(?:-\s+och\s+\p{L}+)?(?:förvaltningen|kontoret|kansliet|sekretariatet|enheten|avdelningen)s?)
           \s+(?:har\s+)?(?:i\s+)?(?:en\s+|sin\s+)?)?
        (?P<noun>[Tt]jänsteskrivelse(?:n)?|[Ss]krivelse(?:n)?)
        \s*,?\s+(?:den\s+|daterad\s+|från\s+(?:den\s+)?|dat(?:\.|erad)?\s+)?
        (?P<date>(?:19|20)\d\d-[01]\d-[0-3]\d|\d{1,2}\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+(?:19|20)\d\d)",
    )
    .expect("valid regex")
});

/// "Kommunledningskontoret har i skrivelse den 13 maj 2026",
/// "Förvaltningens tjänsteskrivelse daterad 2026-04-28": an office's
/// report named by its date and, when given, the office that wrote it.
fn staff_reports(text: &str) -> Vec<Reference> {
    STAFF_REPORT
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            if !crate::at_word_start(text, m.start()) {
                return None;
            }
            // "skrivelse" alone is any letter; an office or "tjänste-"
            // makes it an office's report.
            let office = c.name("office").map(|o| office_name(o.as_str()));
            if office.is_none() && !c["noun"].to_lowercase().starts_with("tjänste") {
                return None;
            }
            let date = dates::find_dates(&c["date"], None)
                .first()
                .map(|d| d.range)?;
            Some(Reference {
                kind: RefKind::Mention,
                target_kind: Some(DocKind::StaffReport),
                body: office,
                date: Some(date),
                evidence: m.as_str().to_owned(),
                start: m.start(),
                end: m.end(),
                ..empty()
            })
        })
        .collect()
}

/// An office as its name stands in a letterhead: "Kommunledningskontorets"
/// is "Kommunledningskontoret".
pub(crate) fn office_name(raw: &str) -> String {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.strip_suffix('s') {
        Some(base) if base.ends_with("en") || base.ends_with("et") => base.to_owned(),
        _ => t,
    }
}

/// A list line this long (in characters) was likely wrapped.
const WRAPPED_LINE: usize = 60;

/// Headings that end a list of documents.
const LIST_ENDS: &[&str] = &[
    "förslag till beslut",
    "beslut",
    "ärendebeskrivning",
    "ärendet",
    "sammanfattning",
    "bakgrund",
    "yrkanden",
    "yrkande",
    "beslutsgång",
    "propositionsordning",
    "expedieras till",
    "skickas till",
    "beslutet skickas till",
    "protokollet ska skickas till",
    "justerare",
    "justerandes signatur",
];

/// Headings of a list of documents named one a line: what a decision rests
/// on, what is attached ("Bilaga" or "Bilagor" on a line of its own), and
/// what is reported to a board ("Anmälningar", each item after its
/// diarienummer).
const LIST_HEADS: &[&str] = &[
    "beslutsunderlag",
    "handlingar i ärendet",
    "bilaga",
    "bilagor",
    "anmälningar",
    "anmälda handlingar",
];

/// "2026.008 KS-025   Information från …", "KS 2025/118  Riktlinje …":
/// a list item's leading diarienummer, with the filing code after it, is
/// no part of the title it lists.
fn without_leading_number(item: &str) -> &str {
    static LEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:\d{4}[.:/]\d{1,5}(?:\s+\p{Lu}{2,8}(?:-\d{1,4})?)?|\p{Lu}{2,8}[\s/-]?\d{4}[.:/]\d{1,5}(?:-\d{1,4})?)\s+",
        )
        .expect("valid regex")
    });
    match LEADING.find(item) {
        Some(m) => &item[m.end()..],
        None => item,
    }
}

/// The documents a decision rests on or has attached, named one a line by
/// title: the lines of a list under one of [`LIST_HEADS`], and "Bilaga …"
/// lines.
/// A list ends at a blank line after its first item, at a heading of the
/// decision's next part, or after 30 lines.
fn listed_documents(text: &str) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut in_list = false;
    let mut items = 0;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim();
        let lower = line.to_lowercase();
        let label = lower.trim_end_matches(':').trim();
        if LIST_HEADS.contains(&label) {
            in_list = true;
            items = 0;
            continue;
        }
        if in_list {
            if line.is_empty() {
                in_list = items == 0;
                continue;
            }
            if LIST_ENDS.contains(&label) || items >= 30 {
                in_list = false;
                continue;
            }
        }
        // A long item wrapped onto the next line: the line continues it.
        if in_list
            && items > 0
            && !line.starts_with(['•', '-', '–', '*', '·'])
            && let Some(last) = out.last_mut()
            && last.kind == RefKind::Listed
            && last.evidence.chars().count() >= WRAPPED_LINE
            && !last.evidence.contains('\n')
        {
            let joined = format!("{} {line}", last.title.as_deref().unwrap_or_default());
            last.title = Some(joined);
            last.evidence = format!("{}\n{line}", last.evidence);
            last.end = start + raw.trim_end().len();
            continue;
        }
        let title = if in_list {
            Some(without_leading_number(
                line.trim_start_matches(['•', '-', '–', '*', '·', ' ']),
            ))
        } else {
            attachment_title(line)
        };
        let Some(title) = title.map(str::trim).filter(|t| t.chars().count() >= 8) else {
            continue;
        };
        // "Kommunledningskontorets tjänsteskrivelse 2026-05-13" is named
        // by office and date (see `staff_reports`).
        if STAFF_REPORT.is_match(title) {
            continue;
        }
        if in_list {
            items += 1;
        }
        let lead = raw.len() - raw.trim_start().len();
        let date = dates::find_dates(title, None)
            .into_iter()
            .find(|d| d.range.precision == kedja_model::Precision::Day)
            .map(|d| d.range);
        out.push(Reference {
            kind: RefKind::Listed,
            target_kind: listed_kind(title),
            title: Some(title.to_owned()),
            date,
            evidence: line.to_owned(),
            start: start + lead,
            end: start + lead + line.len(),
            ..empty()
        });
    }
    out
}

/// Titles set in quotation marks ("Nämnden godkänner ”Avtal mellan
/// regionen och kommunen avseende samverkan 2018”"): named by title, as a
/// listed line is. A quote of three words or more that starts with a
/// capital and holds no sentence's end; a single quoted word is a name.
fn quoted_titles(text: &str) -> Vec<Reference> {
    static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"[”"“„«]([A-ZÅÄÖ][^”"“„«»]{8,240}?)[”"“»]"#).expect("valid regex")
    });
    let mut out = Vec::new();
    for c in QUOTED.captures_iter(text) {
        let inner = c.get(1).expect("group");
        let title = inner
            .as_str()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if title.split(' ').count() < 3 || title.contains(". ") || title.ends_with(['.', '?', '!'])
        {
            continue;
        }
        out.push(Reference {
            kind: RefKind::Listed,
            target_kind: listed_kind(&title),
            title: Some(title),
            evidence: inner.as_str().to_owned(),
            start: inner.start(),
            end: inner.end(),
            ..empty()
        });
    }
    out
}

/// The kind a listed line names by its first word ("Tjänsteskrivelse –
/// Fördjupad månadsuppföljning 2026", "Protokollsutdrag KSAU § 68"): only
/// the nouns that always name one kind of document; a line that starts
/// with a title names none.
fn listed_kind(title: &str) -> Option<DocKind> {
    let first = title
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())?
        .to_lowercase();
    match first.as_str() {
        "tjänsteskrivelse" => Some(DocKind::StaffReport),
        "protokollsutdrag" => Some(DocKind::Decision),
        "motion" => Some(DocKind::Motion),
        "medborgarförslag" => Some(DocKind::CitizenProposal),
        "interpellation" => Some(DocKind::Interpellation),
        "initiativärende" | "nämndinitiativ" => Some(DocKind::Initiative),
        _ => None,
    }
}

/// "Bilaga 2: Cykelplan för Alingsås kommun", "Bilaga Rutin för …": the
/// title of an attachment, without the label and its number.
fn attachment_title(line: &str) -> Option<&str> {
    static BILAGA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:[Bb]ilaga|BILAGA)(?:\s+\d{1,2}[a-z]?)?\s*[:.,–-]?\s+(?P<t>\p{Lu}.{7,200})$",
        )
        .expect("valid regex")
    });
    BILAGA
        .captures(line)
        .and_then(|c| c.name("t"))
        .map(|t| t.as_str())
}

/// All references in `text`, a document written on `written` when known
/// (a day named without its year, "den 15 december, § 65", is the last
/// such day before it). `own_dnr` keys are the document's own
/// diarienummer, which are kept as references too: documents in the same
/// ärende share one, which is how their chain is found.
pub(crate) fn references(text: &str, written: Option<kedja_model::Date>) -> Vec<Reference> {
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
            .map(DateRange::day)
            .or_else(|| date_just_before(text, p.start))
            .or_else(|| written.and_then(|w| yearless_day_before(text, p.start, w)));
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
        if !crate::at_word_start(text, m.start()) {
            continue;
        }
        // "beslutade om att höja taxan från januari 2032": the day after
        // "från" or "till" is when the decision acts, not when it was made.
        if c.name("about").is_some_and(|a| {
            a.as_str().split_whitespace().any(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "från" | "till" | "efter" | "före" | "med" | "fr.o.m." | "t.o.m."
                )
            })
        }) {
            continue;
        }
        // "fullmäktige" alone is the municipality's council.
        let body = c
            .name("body")
            .or(c.name("body2"))
            .or(c.name("body3"))
            .map(|b| match b.as_str().to_lowercase().as_str() {
                "fullmäktige" => "Kommunfullmäktige".to_owned(),
                _ => bodies::canonical_body(b.as_str()),
            });
        let date_text = c
            .name("date")
            .or(c.name("date2"))
            .or(c.name("date3"))
            .map(|d| d.as_str())
            .unwrap_or("");
        let date = match (c.name("season"), c.name("seasony")) {
            // "beslutade hösten 2025": the months of that term.
            (Some(season), Some(year)) => year
                .as_str()
                .parse()
                .ok()
                .and_then(|y| dates::term(y, season.as_str().to_lowercase() == "hösten")),
            _ => dates::find_dates(date_text, None).first().map(|d| d.range),
        };
        let paragraph = c
            .name("par")
            .or(c.name("par2"))
            .or(c.name("par2b"))
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
    out.extend(staff_reports(text));
    out.extend(listed_documents(text));
    let listed: Vec<(usize, usize)> = out
        .iter()
        .filter(|r| r.kind == RefKind::Listed)
        .map(|r| (r.start, r.end))
        .collect();
    out.extend(
        quoted_titles(text)
            .into_iter()
            .filter(|q| !listed.iter().any(|(s, e)| q.start < *e && *s < q.end)),
    );
    // A decision already named by body, date or § is not mentioned again by
    // the noun "beslut" of the same sentence.
    let explicit: Vec<(usize, usize)> = out
        .iter()
        .filter(|r| matches!(r.kind, RefKind::Decision | RefKind::Paragraph))
        .map(|r| (r.start, r.end))
        .collect();
    out.extend(mentions(text).into_iter().filter(|m| {
        m.target_kind != Some(DocKind::Decision)
            || !explicit.iter().any(|(s, e)| m.start <= *s && *e <= m.end)
    }));
    out.sort_by_key(|r| (r.start, r.end));
    out
}

fn empty() -> Reference {
    Reference::new(RefKind::Mention, String::new(), 0, 0)
}

/// A day written just before `pos` ("den 23 november 2022 (§ 201)").
fn date_just_before(text: &str, pos: usize) -> Option<DateRange> {
    last_day_before(text, pos, None).map(DateRange::day)
}

/// The last day written in the 40 bytes before `pos`; a day without its
/// year takes `default_year`.
fn last_day_before(text: &str, pos: usize, default_year: Option<i32>) -> Option<kedja_model::Date> {
    let from = text.floor_char_boundary(pos.saturating_sub(40));
    dates::find_dates(&text[from..pos], default_year)
        .into_iter()
        .rev()
        .find(|d| d.range.precision == kedja_model::Precision::Day)
        .map(|d| d.range.start)
}

/// A day and month written just before `pos` without a year ("beslutade
/// den 15 december, § 65"), in a document written on `written`: the last
/// such day on or before it. A day more than a year back would have been
/// written with its year.
fn yearless_day_before(text: &str, pos: usize, written: kedja_model::Date) -> Option<DateRange> {
    let day = last_day_before(text, pos, Some(written.year()))?;
    let day = if day > written {
        day.replace_year(day.year() - 1).ok()?
    } else {
        day
    };
    Some(DateRange::day(day))
}

/// The body named closest before `pos` within 120 bytes.
fn nearest_body(text: &str, pos: usize) -> Option<String> {
    let from = text.floor_char_boundary(pos.saturating_sub(120));
    bodies::find_bodies(&text[from..pos])
        .last()
        .map(|(b, _, _)| b.clone())
}

/// Nouns that name another document, each with the who, when, which body
/// and what title closest to it in its sentence. Several documents can be
/// named in one sentence ("Motionen har remitterats till socialnämnden, som
/// i sitt yttrande den 17 maj 2022 …"): each noun gets its own mention and
/// the features nearest to it.
fn mentions(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for (start, sentence) in sentences(text) {
        if is_section_heading(sentence) || proposes_a_new_document(sentence) {
            continue;
        }
        let lower = crate::lowercase_keeping_offsets(sentence);
        let nouns: Vec<(usize, &str, DocKind)> = noun_occurrences(&lower)
            .into_iter()
            .filter(|(pos, _, _)| !names_a_future_document(&lower, *pos))
            .filter(|(pos, _, kind)| {
                *kind != DocKind::Decision
                    || !(asks_for_a_decision(&lower, *pos) || decided_by_the_state(&lower, *pos))
            })
            .filter(|(pos, noun, _)| !is_heading_word(&lower, *pos, noun))
            .collect();
        if nouns.is_empty() {
            continue;
        }
        // Each person, body and date belongs to the noun closest to it.
        // Offsets in `lower` equal those in `sentence`: it is lowercased
        // only where that keeps the byte length.
        let owner = |s: usize, e: usize| -> usize {
            nouns
                .iter()
                .map(|(p, n, _)| {
                    if e <= *p {
                        p - e
                    } else {
                        s.saturating_sub(p + n.len())
                    }
                })
                .enumerate()
                .min_by_key(|(_, d)| *d)
                .map_or(0, |(i, _)| i)
        };
        // "interpellationen från Erik Holm (C)", "motion av …": the person
        // belongs to the noun before "från" or "av", wherever others stand.
        let person_owner = |s: usize, e: usize| -> usize {
            nouns
                .iter()
                .position(|(p, n, _)| {
                    let word_end = lower[p + n.len()..]
                        .find(|c: char| !c.is_alphanumeric())
                        .map_or(lower.len(), |i| p + n.len() + i);
                    word_end <= s && matches!(lower[word_end..s].trim(), "från" | "av")
                })
                .unwrap_or_else(|| owner(s, e))
        };
        // "Anna Berg (S) föreslår att motionen bifalls": who speaks at the
        // meeting did not write the document spoken of.
        let people_here: Vec<_> = people::named_with_party(sentence)
            .into_iter()
            .filter(|(_, _, e)| !speaks(&lower[*e..]))
            .collect();
        let bodies_here = bodies::find_bodies(sentence);
        let dates_here = dates::find_dates(sentence, None);
        let mut kinds_seen: Vec<DocKind> = Vec::new();
        for (k, &(pos, noun, kind)) in nouns.iter().enumerate() {
            if kinds_seen.contains(&kind) {
                continue;
            }
            let mine = |s: usize, e: usize| owner(s, e) == k;
            let person = people_here
                .iter()
                .find(|(_, s, e)| person_owner(*s, *e) == k)
                .map(|(p, _, _)| p.clone());
            let body = bodies_here
                .iter()
                .find(|(_, s, e)| mine(*s, *e))
                .map(|(b, _, _)| b.clone());
            let date = dates_here
                .iter()
                .find(|d| mine(d.start, d.end))
                .map(|d| d.range);
            let title = TITLED_PLAN
                .captures_iter(sentence)
                .filter(|c| {
                    c.get(0)
                        .is_some_and(|m| crate::at_word_start(sentence, m.start()))
                })
                .find(|c| {
                    c.get(0)
                        .is_some_and(|m| m.start() <= pos + noun.len() && pos <= m.end())
                })
                .map(|c| c["t"].trim().to_owned())
                .filter(|t| is_plan_name(t))
                .or_else(|| topic_after(sentence, pos));
            // A bare indefinite noun with nothing to resolve it by is not a
            // reference; a definite one ("motionen") points at a known document.
            let definite = ["en", "et", "met", "na", "erna"]
                .iter()
                .any(|suffix| lower[pos..].starts_with(&format!("{noun}{suffix}")));
            if person.is_none() && date.is_none() && title.is_none() && body.is_none() && !definite
            {
                continue;
            }
            kinds_seen.push(kind);
            // A document of no kind of its own ("ett granskningsutlåtande
            // från den 4 november 2024") is named by its genre.
            let title = match (title, kind) {
                (None, DocKind::Other) => Some(noun.to_owned()),
                (title, _) => title,
            };
            let evidence: String = sentence.chars().take(400).collect();
            out.push(Reference {
                kind: RefKind::Mention,
                target_kind: Some(kind),
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
    }
    out
}

/// A short line with no full stop ("Kommunfullmäktiges beslut", "Ärendet")
/// labels a section of the document itself; it names no other document.
fn is_section_heading(sentence: &str) -> bool {
    !sentence.contains('\n')
        && sentence.split_whitespace().count() <= 4
        && !sentence.ends_with(['.', '?', '!'])
        && !sentence.chars().any(|c| c.is_ascii_digit())
}

/// An "att …" clause of a proposal or an assignment to draw something up
/// ("att ta fram en handlingsplan") speaks of a document to be written.
fn proposes_a_new_document(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    lower.starts_with("att ")
        || ["ta fram", "tas fram", "tar fram", "utarbeta", "upprätta"]
            .iter()
            .any(|w| lower.contains(w))
}

/// "nästa uppföljning", "en ny plan", "kommande handlingsplan": a document
/// that does not exist yet.
fn names_a_future_document(lower: &str, pos: usize) -> bool {
    let before = lower[..pos]
        .split_whitespace()
        .rev()
        .take(2)
        .collect::<Vec<_>>();
    // "denna handlingsplan" is the document itself; "planen ska …" one to come.
    let after: Vec<&str> = lower[pos..].split_whitespace().skip(1).take(1).collect();
    before.iter().any(|w| {
        matches!(
            *w,
            "nästa"
                | "kommande"
                | "ny"
                | "nytt"
                | "nya"
                | "framtida"
                | "reviderad"
                | "reviderade"
                | "denna"
                | "detta"
                | "dessa"
                | "här"
        )
    }) || after.first().is_some_and(|w| *w == "ska")
}

/// "Beslut", "Beslutsunderlag" alone on a line: the heading of a part of
/// the document itself.
fn is_heading_word(lower: &str, pos: usize, noun: &str) -> bool {
    let line_start = lower[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line_end = lower[pos..].find('\n').map_or(lower.len(), |i| pos + i);
    let line = lower[line_start..line_end].trim();
    line.starts_with(noun) && !line.contains(' ')
}

/// Whether the words after a name say what the person says or does at a
/// meeting ("föreslår", "yrkar", "reserverar sig"), possibly after other
/// names of a list ("…, Per Ek (M) och Eva Al (L) föreslår").
fn speaks(after: &str) -> bool {
    const VERBS: &[&str] = &[
        "föreslår",
        "yrkar",
        "reserverar",
        "instämmer",
        "tillstyrker",
        "avstyrker",
        "anför",
        "deltar",
        "anmäler",
    ];
    // Skip the rest of a list of names with parties.
    let mut rest = after;
    for _ in 0..12 {
        let t = rest.trim_start_matches([',', ' ', '\n']);
        let t = t.strip_prefix("och ").unwrap_or(t);
        match t.find(')') {
            Some(close) if close < 60 && t[..close].contains('(') && !t[..close].contains('.') => {
                rest = &t[close + 1..];
            }
            _ => {
                rest = t;
                break;
            }
        }
    }
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    VERBS.contains(&word.as_str())
}

/// Whether the decision at `pos` is the state's: "regeringens beslut",
/// "en nationell avfallsplan beslutad av regeringen", "beslut av
/// Transportstyrelsen". A municipality's archive holds no such decision;
/// its own board acting as "tillsynsmyndigheten" is no state agency.
fn decided_by_the_state(lower: &str, pos: usize) -> bool {
    static STATE: &str = r"(?:regeringen|riksdagen|eu|europeiska\s+unionen|länsstyrelsen|[\p{L}-]+myndigheten|[\p{L}-]+verket|(?:transport|social)styrelsen|[\p{L}-]+inspektionen)";
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"^\p{{L}}*\s+(?:av|från|hos)\s+{STATE}(?-u:\b)")).expect("valid regex")
    });
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"(?:^|\s){STATE}s?(?::s)?\s+$")).expect("valid regex")
    });
    let before_start = lower[..pos]
        .char_indices()
        .rev()
        .nth(40)
        .map_or(0, |(i, _)| i);
    let municipal = |m: regex::Match<'_>| m.as_str().contains("tillsynsmyndighet");
    AFTER.find(&lower[pos..]).is_some_and(|m| !municipal(m))
        || BEFORE
            .find(&lower[before_start..pos])
            .is_some_and(|m| !municipal(m))
}

/// "Förslag till beslut i kommunstyrelsen", "underlag för beslut",
/// "inför beslut": the decision the document itself asks for or records,
/// not one made before.
fn asks_for_a_decision(lower: &str, pos: usize) -> bool {
    let before: Vec<&str> = lower[..pos].split_whitespace().rev().take(2).collect();
    matches!(
        before.as_slice(),
        [
            "till",
            "förslag" | "förslaget" | "förslagen" | "arbetsutskottets" | "underlag"
        ] | ["för", "underlag"]
            | ["inför", ..]
    ) || before.first().is_some_and(|w| w.ends_with("förslag"))
}

/// Whether a phrase starting with a plan noun names a plan: "Handlingsplan
/// mot hedersrelaterat våld", "handlingsplan för förebyggande arbete",
/// "Handlingsprogrammet 2022-2026 …", "Riktlinjer och ansvarsfördelning …",
/// but not "handlingsplanen har alltså inte hållits".
fn is_plan_name(phrase: &str) -> bool {
    let mut words = phrase.split_whitespace();
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("").to_lowercase();
    let lower = first.to_lowercase();
    let definite = ["en", "et", "na"].iter().any(|s| lower.ends_with(s))
        && !["plan", "program", "strategi", "riktlinjer"]
            .iter()
            .any(|b| lower.ends_with(b));
    let capitalised = first.chars().next().is_some_and(char::is_uppercase);
    matches!(second.as_str(), "för" | "mot" | "om")
        || second.chars().next().is_some_and(|c| c.is_ascii_digit())
        || (capitalised && !definite)
}

/// The topic an ärende is named by: "motion om solceller på kommunens
/// fastigheter" gives "solceller på kommunens fastigheter".
fn topic_after(sentence: &str, pos: usize) -> Option<String> {
    static OM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\S*\s+om\s+(?P<t>[^,.;:?!\n]{3,120})").expect("valid regex")
    });
    OM.captures(&sentence[pos..])
        .map(|c| c["t"].trim().to_owned())
}

/// Every document noun in a lowercase sentence, in order of position.
/// Longer nouns win over the shorter ones they contain.
fn noun_occurrences(lower: &str) -> Vec<(usize, &'static str, DocKind)> {
    let mut found: Vec<(usize, &'static str, DocKind)> = Vec::new();
    for (noun, kind) in DOC_NOUNS {
        for (i, _) in lower.match_indices(noun) {
            let at_word_start = i == 0
                || !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
            let covered = found.iter().any(|(j, n, _)| *j <= i && i < j + n.len());
            if at_word_start && !covered && !is_verb_form(&lower[i..], noun) {
                found.push((i, noun, *kind));
            }
        }
    }
    found.sort_by_key(|(i, _, _)| *i);
    found
}

/// "kommunfullmäktige beslutar", "motionera", "strategiska": a verb or an
/// adjective that starts like a document noun names no document. Past
/// forms ("kommunstyrelsen beslutade 7 oktober 2015") tell of a decision
/// made and stay mentions; present ones ("föreslår att kommunfullmäktige
/// beslutar") ask for one.
fn is_verb_form(rest: &str, noun: &str) -> bool {
    let word_end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    let ending = &rest[noun.len().min(word_end)..word_end];
    match noun {
        "beslut" => matches!(ending, "a" | "ar" | "as" | "ande"),
        "motion" => ending.starts_with("er"),
        "strategi" => ending.starts_with("sk"),
        _ => false,
    }
}

/// Sentences with their byte offsets. A sentence ends at ". ", "? ", "! "
/// before a capital or digit (abbreviations like "bl.a." rarely do), at the
/// end of a line that ends with a full stop, and at a blank line or a line
/// break before a list item.
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end_here = match bytes[i] {
            b'\n' => {
                let next = text[i + 1..].trim_start_matches([' ', '\t']);
                next.starts_with('\n')
                    || next.starts_with(['•', '-', '–', '*', '·'])
                    || (i > 0 && matches!(bytes[i - 1], b'.' | b'?' | b'!' | b':'))
            }
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
    fn verbs_that_start_like_nouns_are_not_mentions() {
        for text in [
            "Jag föreslår att kommunfullmäktige beslutar att kommunstyrelsen utreder frågan.",
            "Nämnden ska besluta om saken i vår.",
            "Det är viktigt med ett strategiskt arbete.",
        ] {
            let m = mentions(text);
            assert!(m.is_empty(), "{text}: {m:#?}");
        }
        assert_eq!(
            mentions("Beslutet skickas till kommunstyrelsen och beslutet gäller från i dag.").len(),
            1
        );
    }

    #[test]
    fn motion_by_author_and_month() {
        let refs = references(
            "I februari 2022 lämnade Martin Lindberg (V) in en motion till kommunfullmäktige om förebyggande arbete.",
            None,
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
    fn a_paragraph_dated_without_its_year_is_the_last_such_day_before_the_document() {
        let text = "Tekniska nämnden beslutade den 15 december, § 65 att avstyrka motionen.";
        let written = |s: &str| kedja_model::parse_iso_date(s);
        let p = |refs: Vec<Reference>| {
            refs.into_iter()
                .find(|r| r.kind == RefKind::Paragraph)
                .expect("a paragraph")
        };
        let r = p(references(text, written("2026-06-01")));
        assert_eq!(r.paragraph.as_deref(), Some("§ 65"));
        assert_eq!(r.body.as_deref(), Some("Tekniska nämnden"));
        assert_eq!(r.date.unwrap().start.to_string(), "2025-12-15");
        // Written later the same December: that year's.
        let r = p(references(text, written("2026-12-20")));
        assert_eq!(r.date.unwrap().start.to_string(), "2026-12-15");
        // Without the document's date, no day is guessed.
        assert!(p(references(text, None)).date.is_none());
    }

    #[test]
    fn a_listed_line_that_starts_with_a_kind_names_that_kind() {
        let text = "Beslutsunderlag\n\
            • Tjänsteskrivelse - Fördjupad månadsuppföljning 2026\n\
            • Fördjupad månadsuppföljning 2026 för kommunen\n\
            • Protokollsutdrag KSAU 2026-05-20 § 68\n\
            • Motion om fler laddplatser - Eva Ek (C)\n\
            • Motionssvar från tekniska nämnden\n\
            • Initiativärende gällande parkering - Per Al (M)\n";
        let kinds: Vec<Option<DocKind>> = references(text, None)
            .into_iter()
            .filter(|r| r.kind == RefKind::Listed)
            .map(|r| r.target_kind)
            .collect();
        assert_eq!(
            kinds,
            [
                Some(DocKind::StaffReport),
                None,
                Some(DocKind::Decision),
                Some(DocKind::Motion),
                None,
                Some(DocKind::Initiative),
            ]
        );
    }

    #[test]
    fn a_decision_of_the_state_is_no_municipal_decision() {
        let decisions = |text: &str| {
            references(text, None)
                .into_iter()
                .filter(|r| r.target_kind == Some(DocKind::Decision))
                .count()
        };
        assert_eq!(
            decisions("Under hösten 2030 kom en nationell avfallsplan beslutad av regeringen."),
            0
        );
        assert_eq!(
            decisions("Enligt regeringens beslut den 3 maj 2030 ska taxan ändras."),
            0
        );
        assert_eq!(
            decisions("Enligt kommunstyrelsens beslut den 3 maj 2030 ska taxan ändras."),
            1
        );
        assert_eq!(
            decisions("Efter ett beslut av Transportstyrelsen i maj 2030 ändras skyltningen."),
            0
        );
        assert_eq!(
            decisions("Enligt Naturvårdsverkets beslut i maj 2030 ska reservatet utvidgas."),
            0
        );
        // The municipality's own board as supervising authority.
        assert_eq!(
            decisions("Enligt tillsynsmyndighetens beslut i maj 2030 ska verksamheten upphöra."),
            1
        );
    }

    #[test]
    fn a_decision_told_by_what_was_decided_or_reported_to_its_body_and_day() {
        let decision_ref = |text: &str| {
            references(text, None)
                .into_iter()
                .find(|r| r.kind == RefKind::Decision)
        };
        let decision = |text: &str| {
            decision_ref(text).map(|r| {
                (
                    r.body.unwrap_or_default(),
                    r.date.map(|d| d.start.to_string()),
                )
            })
        };
        assert_eq!(
            decision("Kommunstyrelsen beslutade om uppdraget 2031-01-22 och gav en tidplan."),
            Some(("Kommunstyrelsen".into(), Some("2031-01-22".into())))
        );
        // The § after a comma is the decision's own.
        let para = |text: &str| decision_ref(text).and_then(|r| r.paragraph);
        assert_eq!(
            para("Kommunfullmäktige beslutade 2031-04-09, § 22, att valet förrättas senare."),
            Some("§ 22".into())
        );
        assert_eq!(
            para("Kommunstyrelsen beslutade den 21 oktober 2030 (§ 162) att ge uppdraget."),
            Some("§ 162".into())
        );
        assert_eq!(
            decision("Utredningen delredovisades fullmäktige 2030-12-05."),
            Some(("Kommunfullmäktige".into(), Some("2030-12-05".into())))
        );
        assert_eq!(
            decision("Rapporten redovisades för tekniska nämnden den 4 mars 2031."),
            Some(("Tekniska nämnden".into(), Some("2031-03-04".into())))
        );
        // A season is its months, as terms are.
        let season = |text: &str| {
            decision_ref(text)
                .and_then(|r| r.date)
                .map(|d| (d.start.to_string(), d.end.to_string()))
        };
        assert_eq!(
            season("Kommunfullmäktige beslutade hösten 2031 att anta en ny taxa."),
            Some(("2031-08-01".into(), "2031-12-31".into()))
        );
        assert_eq!(
            season("Kommunstyrelsen antog våren 2030 en plan."),
            Some(("2030-01-01".into(), "2030-06-30".into()))
        );
        // A report told without its body and day names no decision.
        assert_eq!(decision("Utredningen delredovisades i december."), None);
        // The day the decision acts from is not the day it was made.
        assert_eq!(
            decision("Kommunstyrelsen beslutade om att höja taxan från januari 2032."),
            None
        );
    }

    #[test]
    fn decision_by_body_and_date() {
        let refs = references(
            "I yttrandet som låg till grund för kommunfullmäktiges beslut 2022-12-14 står att:",
            None,
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
        let refs = references(t, None);
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
    fn a_plan_named_at_the_end_of_a_heading() {
        let refs = references(
            "Återrapportering av handlingsplan för minskad energianvändning 2026–2027",
            None,
        );
        let m = refs
            .iter()
            .find(|r| r.kind == RefKind::Mention)
            .expect("a mention");
        assert_eq!(m.target_kind, Some(DocKind::Plan));
        assert_eq!(
            m.title.as_deref(),
            Some("handlingsplan för minskad energianvändning 2026–2027")
        );
    }

    #[test]
    fn paragraph_with_body_and_date() {
        let refs = references("Beslutad av kommunstyrelsen. 2019-12-18/§ 334:", None);
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
            None,
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

    #[test]
    fn office_reports_by_date_and_office() {
        let refs = references(
            "Miljöförvaltningen har i skrivelse den 3 februari 2025 föreslagit en ny taxa. \
             Enligt tjänsteskrivelse daterad 2025-01-20 behövs mer tid. \
             En skrivelse den 4 mars 2025 från föreningen kom in.",
            None,
        );
        let reports: Vec<&Reference> = refs
            .iter()
            .filter(|r| r.target_kind == Some(DocKind::StaffReport))
            .collect();
        assert_eq!(reports.len(), 2, "{reports:#?}");
        assert_eq!(reports[0].body.as_deref(), Some("Miljöförvaltningen"));
        assert_eq!(reports[0].date.unwrap().start.to_string(), "2025-02-03");
        assert_eq!(reports[1].body, None);
        assert_eq!(reports[1].date.unwrap().start.to_string(), "2025-01-20");
        assert_eq!(
            office_name("Stadsbyggnadskontorets"),
            "Stadsbyggnadskontoret"
        );
    }

    /// The titles of the references by title (listed lines and quoted
    /// titles) in `text`, in order.
    fn listed_titles(text: &str) -> Vec<String> {
        references(text, None)
            .into_iter()
            .filter(|r| r.kind == RefKind::Listed)
            .filter_map(|r| r.title)
            .collect()
    }

    #[test]
    fn a_title_in_quotation_marks_is_named_by_it() {
        let text = "Förslag till beslut\nNämnden godkänner \u{201d}Avtal mellan regionen och\nkommunen avseende samverkan 2030\u{201d} och kallar det \u{201d}Avtalet\u{201d}. Hon sa \"Vi gör det nu. Sedan vilar vi\" i debatten.\n";
        assert_eq!(
            listed_titles(text),
            ["Avtal mellan regionen och kommunen avseende samverkan 2030"]
        );
    }

    #[test]
    fn listed_documents_are_the_lines_of_the_list_and_attachments() {
        let text = "Beslutsunderlag\n\
            Socialkontorets tjänsteskrivelse 2025-01-20\n\
            Riktlinje för hemtjänstens nyckelhantering, 2024-12-01\n\
            • Protokollsutdrag från socialnämndens arbetsutskott\n\
            \n\
            Förslag till beslut\n\
            Riktlinjen antas och gäller från 1 mars.\n\
            Bilaga 2: Karta över hemtjänstens områden\n";
        let refs = references(text, None);
        let listed: Vec<&Reference> = refs.iter().filter(|r| r.kind == RefKind::Listed).collect();
        let titles: Vec<&str> = listed.iter().filter_map(|r| r.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                "Riktlinje för hemtjänstens nyckelhantering, 2024-12-01",
                "Protokollsutdrag från socialnämndens arbetsutskott",
                "Karta över hemtjänstens områden",
            ]
        );
        assert_eq!(listed[0].date.unwrap().start.to_string(), "2024-12-01");
        assert_eq!(
            &text[listed[2].start..listed[2].end],
            "Bilaga 2: Karta över hemtjänstens områden"
        );
    }

    #[test]
    fn a_document_of_no_kind_is_mentioned_by_its_genre_and_day() {
        let text = "Planförslaget har ställts ut och synpunkterna finns i en \
            samrådsredogörelse från den 3 maj 2021.";
        let refs = references(text, None);
        let m = refs
            .iter()
            .find(|r| r.kind == RefKind::Mention)
            .expect("a mention");
        assert_eq!(m.target_kind, Some(DocKind::Other));
        assert_eq!(m.title.as_deref(), Some("samrådsredogörelse"));
        assert_eq!(m.date.unwrap().start.to_string(), "2021-05-03");
        assert_eq!(m.date.unwrap().precision, kedja_model::Precision::Day);
    }

    #[test]
    fn attachments_and_reported_items_under_a_heading_are_listed() {
        let text = "Förslag till beslut\nParkeringsnormen antas.\n\nBilaga\n\n\
            Parkeringsnorm för Ekby kommun\n\nEkonomisk bedömning\nInga kostnader.\n\n\
            Anmälningar\n\
            •  2026.114 KS-025   Brev från länsstyrelsen om höstens krisövning\n\
            •  KS 2025/311   Regional plan för kollektivtrafiken 2025-2035\n";
        assert_eq!(
            listed_titles(text),
            [
                "Parkeringsnorm för Ekby kommun",
                "Brev från länsstyrelsen om höstens krisövning",
                "Regional plan för kollektivtrafiken 2025-2035",
            ]
        );
    }

    #[test]
    fn headings_proposals_and_speakers_are_not_references() {
        let text = "Beslut\nFörslag till beslut i miljönämnden\nTaxan för tillsyn antas.\n\n\
            Per Ek (M) och Eva Al (L) föreslår att motionen avslås. \
            Motionen från Kim Lund (V) i mars 2024 gällde tillsynen.";
        let refs = references(text, None);
        assert!(
            !refs
                .iter()
                .any(|r| r.target_kind == Some(DocKind::Decision)),
            "{refs:#?}"
        );
        let people: Vec<&str> = refs
            .iter()
            .filter_map(|r| r.person.as_ref().map(|p| p.name.as_str()))
            .collect();
        assert_eq!(people, ["Kim Lund"], "{refs:#?}");
    }
}
