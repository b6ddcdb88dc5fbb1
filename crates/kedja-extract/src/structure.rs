//! The document's own shape: kind, title, date, municipality, the
//! questions of an interpellation and the proposals of a motion.

use std::sync::LazyLock;

use kedja_model::{Date, DocKind};
use regex::Regex;

use crate::lexicon::{MUNICIPALITIES, ascii_fold};

/// Heading words and the kind they announce, most specific first. Matched
/// case-insensitively at the start of one of the first heading lines.
const KIND_HEADINGS: &[(&str, DocKind)] = &[
    ("svar på interpellation", DocKind::InterpellationAnswer),
    ("interpellationssvar", DocKind::InterpellationAnswer),
    ("svar på motion", DocKind::MotionResponse),
    ("yttrande över motion", DocKind::MotionResponse),
    ("yttrande", DocKind::MotionResponse),
    ("remissvar", DocKind::MotionResponse),
    ("protokollsutdrag", DocKind::Decision),
    ("utdrag ur protokoll", DocKind::Decision),
    ("beslut", DocKind::Decision),
    ("tjänsteskrivelse", DocKind::Decision),
    ("kommunstyrelsens förslag", DocKind::Decision),
    ("förslag till beslut", DocKind::Decision),
    ("protokoll", DocKind::Protocol),
    ("interpellation", DocKind::Interpellation),
    ("medborgarförslag", DocKind::CitizenProposal),
    ("motion", DocKind::Motion),
    ("nämndinitiativ", DocKind::Initiative),
    ("gemensamt politiskt initiativ", DocKind::Initiative),
    ("initiativärende", DocKind::Initiative),
    ("politiskt initiativ", DocKind::Initiative),
    ("gemensamt initiativ", DocKind::Initiative),
    ("handlingsplan", DocKind::Plan),
    ("handlingsprogram", DocKind::Plan),
    ("strategi", DocKind::Plan),
    ("program för", DocKind::Plan),
    ("policy", DocKind::Plan),
    ("riktlinjer", DocKind::Plan),
    ("riktlinje", DocKind::Plan),
    ("återrapportering", DocKind::FollowUp),
    ("uppföljning", DocKind::FollowUp),
    ("uppföljande granskning", DocKind::FollowUp),
    ("avrapportering", DocKind::FollowUp),
    ("genomlysning", DocKind::FollowUp),
    ("utvärdering av", DocKind::FollowUp),
    ("redovisning av", DocKind::FollowUp),
    ("lägesrapport", DocKind::FollowUp),
    ("slutrapport", DocKind::FollowUp),
];

/// Titles that say what a document is by their first words, though
/// they are titles and not headings above one ("Årsredovisning 2025",
/// "Budget 2027 och ramar 2028–2029"): reports of what was done, and
/// budgets and rules that set what is to be done.
const TITLE_KINDS: &[(&str, DocKind)] = &[
    ("delårsrapport", DocKind::FollowUp),
    ("årsredovisning", DocKind::FollowUp),
    ("verksamhetsberättelse", DocKind::FollowUp),
    ("revisionsrapport", DocKind::FollowUp),
    ("revisionsberättelse", DocKind::FollowUp),
    ("granskningsrapport", DocKind::FollowUp),
    ("månadsuppföljning", DocKind::FollowUp),
    ("fördjupad månadsuppföljning", DocKind::FollowUp),
    ("årsbokslut", DocKind::FollowUp),
    ("budget ", DocKind::Plan),
    ("reglemente ", DocKind::Plan),
    ("taxa ", DocKind::Plan),
];

/// Words in the body that hint at a kind when no heading says it.
const KIND_HINTS: &[(&str, DocKind)] = &[
    ("följande frågor", DocKind::Interpellation),
    ("jag föreslår att kommunfullmäktige", DocKind::Motion),
    ("vi föreslår att kommunfullmäktige", DocKind::Motion),
    ("föreslår vi att kommunfullmäktige", DocKind::Motion),
    ("föreslår jag att kommunfullmäktige", DocKind::Motion),
    ("yrkar därför att", DocKind::Motion),
    ("yrkar vi att", DocKind::Motion),
    ("yrkar jag att", DocKind::Motion),
    ("kommunfullmäktige beslutar", DocKind::Decision),
    ("kommunstyrelsen beslutar", DocKind::Decision),
    ("nämnden beslutar", DocKind::Decision),
    ("pågående åtgärder", DocKind::FollowUp),
];

/// Lines that are not the title even when they come first: kind words
/// alone or addressed ("Motion till kommunfullmäktige"), the name of the
/// municipality or a body, party names, dates and identifiers.
fn is_heading_noise(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    let l = l.trim_end_matches(':');
    let kind_word = KIND_HEADINGS
        .iter()
        .find(|(w, _)| l.starts_with(w))
        .map(|(w, _)| *w);
    if let Some(w) = kind_word {
        let rest = l[w.len()..].trim();
        if rest.is_empty() || (rest.starts_with("till ") && !rest.contains(" om ")) {
            return true;
        }
    }
    let only_body = crate::bodies::find_bodies(line)
        .first()
        .is_some_and(|(_, s, e)| *s == 0 && *e == line.trim_end().len());
    only_body
        || l.ends_with(" kommun")
        || l.ends_with(" stad")
        || is_party_line(l)
        || [
            "dnr",
            "ert dnr",
            "diarienummer",
            "datum",
            "sammanträdesdatum",
            "antagen av",
            "beslutad av",
            "kommunstyrelsens dnr",
        ]
        .iter()
        .any(|p| l.starts_with(p))
        || l.chars().filter(|c| c.is_alphabetic()).count() < 3
}

/// "Vänsterpartiet", "Liberalerna", "Karlstadpartiet Livskvalitet": a party
/// name on a line of its own.
fn is_party_line(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words.as_slice() {
        [one] => one.ends_with("partiet") || one.ends_with("erna"),
        [first, _] | [first, _, _] => first.ends_with("partiet"),
        _ => false,
    }
}

/// A line of a heading block rather than running text: short, not a
/// question, and not a sentence (one that ends with a full stop and has
/// many ordinary lowercase words; a heading is mostly names, dates and codes).
pub(crate) fn is_header_line(line: &str) -> bool {
    let line = line.trim();
    let lowercase_words = line
        .split_whitespace()
        .filter(|w| {
            w.chars()
                .all(|c| c.is_lowercase() || matches!(c, '.' | ',' | '-'))
                && w.chars().any(char::is_alphabetic)
        })
        .count();
    line.chars().count() <= 100
        && !line.ends_with('?')
        && !(line.ends_with('.') && lowercase_words >= 5)
}

static PARAGRAPH_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^§\s*\d{1,4}\s+(?P<t>\p{Lu}.{3,})$").expect("valid regex"));

/// Byte offset where the heading zone ends: the first eight non-empty
/// lines, up to the first line of running text (longer than 100 characters).
pub(crate) fn heading_end(text: &str) -> usize {
    let mut seen = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        // The first line is the title's place, whatever it looks like.
        if !line.trim().is_empty() && seen > 0 && !is_header_line(line) {
            break;
        }
        offset += line.len();
        if !line.trim().is_empty() {
            seen += 1;
            if seen == 8 {
                break;
            }
        }
    }
    offset
}

pub(crate) fn heading_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(6)
        .collect()
}

/// The kind and a confidence: 0.95 for a heading word, 0.6 for a body
/// hint, 0.2 for nothing.
pub(crate) fn kind(text: &str) -> (DocKind, f32) {
    for line in heading_lines(text) {
        let l = line.to_lowercase();
        if let Some((_, k)) = KIND_HEADINGS.iter().find(|(w, _)| l.starts_with(w)) {
            return (*k, 0.95);
        }
    }
    let lower: String = text.chars().take(20_000).collect::<String>().to_lowercase();
    if proposes_to_council(&lower) && signed_by_members(text) {
        return (DocKind::Motion, 0.6);
    }
    for (w, k) in KIND_HINTS {
        if let Some(at) = lower.find(w) {
            // "svar på följande frågor" in a review of comments asks
            // nothing: an interpellation's questions follow the words.
            if *k == DocKind::Interpellation && !questions_follow(&lower[at..]) {
                continue;
            }
            return (*k, 0.6);
        }
    }
    if lower.lines().any(heads_activities) {
        return (DocKind::Plan, 0.6);
    }
    (DocKind::Other, 0.2)
}

/// Whether a question (a line ending in "?") follows within a few lines of
/// the start of `from`.
fn questions_follow(from: &str) -> bool {
    from.lines()
        .filter(|l| !l.trim().is_empty())
        .take(12)
        .any(|l| l.trim_end().ends_with('?'))
}

static TO_COUNCIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"förslag till beslut i kommunfullmäktige|(?:föreslår|yrkar)\b[^.\n]{0,60}\batt kommunfullmäktige\b")
        .expect("valid regex")
});

/// Whether the (lowercased) text puts a proposal to the council: "Förslag
/// till beslut i kommunfullmäktige:", "… föreslår vi att
/// kommunfullmäktige …".
fn proposes_to_council(lower: &str) -> bool {
    TO_COUNCIL.is_match(lower)
}

/// Whether the text ends signed by members: a name with a party after it
/// among its signatures. An office's report is signed by its staff, who
/// write no party.
fn signed_by_members(text: &str) -> bool {
    crate::people::authors(text)
        .iter()
        .any(|p| p.party.is_some())
}

/// A plan's activities as fields or a column: a line that opens with
/// "Aktivitet:" or is a table header starting with "Aktivitet" (a word
/// alone before a tab or a wide gap), not the word in running text
/// ("fritidsaktiviteter", "aktiviteter för unga").
fn heads_activities(lower_line: &str) -> bool {
    let l = lower_line.trim_start();
    ["aktivitet", "aktiviteter"].iter().any(|w| {
        l.strip_prefix(w).is_some_and(|rest| {
            rest.trim().is_empty()
                || rest.starts_with(':')
                || rest.starts_with('\t')
                || rest.starts_with("  ")
        })
    })
}

/// Kinds of steering documents ("Typ av styrdokument: Riktlinje"), all
/// read as plans: they set what is to be done.
const STEERING_TYPES: &[&str] = &[
    "plan",
    "handlingsplan",
    "ekonomisk handlingsplan",
    "åtgärdsplan",
    "program",
    "strategi",
    "policy",
    "riktlinje",
    "riktlinjer",
    "rutin",
    "reglemente",
    "taxa",
    "delegationsordning",
    "arbetsordning",
    "föreskrift",
    "föreskrifter",
];

/// The documents of a detaljplan's procedure (its description, the
/// accounts of consultation and review, the stage it is in): material for
/// a decision, none of the kinds a council's own documents take.
const PLANNING_TYPES: &[&str] = &[
    "planbeskrivning",
    "samrådsredogörelse",
    "granskningsutlåtande",
    "planbestämmelser",
    "samrådshandling",
    "granskningshandling",
    "antagandehandling",
];

/// The planning document type a type word names, also when it is
/// misspelt by one letter ("SAMRÅDSREDÖGÖRELSE").
pub(crate) fn planning_type(word: &str) -> Option<&'static str> {
    PLANNING_TYPES
        .iter()
        .find(|t| **t == word || within_one_edit(t, word))
        .copied()
}

/// Whether `a` becomes `b` by changing, adding or dropping one letter;
/// only for words long enough that one letter cannot make another word.
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().min(b.len()) < 10 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len().max(b.len()) - prefix - suffix <= 1
}

/// The kind the structure of the head says, when it says one: a
/// tjänsteskrivelse's label block (a handläggare, no §), a steering
/// document's "Typ av styrdokument", or the title's leading words.
pub(crate) fn kind_from_head(head: &crate::head::Head) -> Option<DocKind> {
    // A tjänsteskrivelse, or the office's decision material under its own
    // type word ("Beslutsunderlag").
    if head
        .type_words
        .iter()
        .any(|w| w == "tjänsteskrivelse" || w == "beslutsunderlag")
    {
        return Some(DocKind::StaffReport);
    }
    if head.label(&["handläggare"]).is_some()
        && head.label(&["datum"]).is_some()
        && head
            .label(&["diarienr", "diarienummer", "dnr", "beteckning"])
            .is_some()
    {
        return Some(DocKind::StaffReport);
    }
    if let Some(t) = head.label(&["typ av styrdokument", "dokumenttyp"]) {
        let t = t.to_lowercase();
        if STEERING_TYPES
            .iter()
            .any(|w| t.trim() == *w || t.ends_with(w))
        {
            return Some(DocKind::Plan);
        }
    }
    if head.type_words.iter().any(|w| planning_type(w).is_some()) {
        return Some(DocKind::Other);
    }
    for w in &head.type_words {
        if let Some((_, k)) = KIND_HEADINGS.iter().find(|(h, _)| h == w) {
            return Some(*k);
        }
    }
    let title = head.title.as_deref()?.to_lowercase();
    KIND_HEADINGS
        .iter()
        .chain(TITLE_KINDS)
        .find(|(w, _)| title.starts_with(w))
        .map(|(_, k)| *k)
        .or_else(|| names_a_plan(&title).then_some(DocKind::Plan))
}

/// A title whose first word is a steering document by its compound's
/// head ("Tillsynsplan för servering", "Biblioteksplan 2027–2030",
/// "Renhållningstaxa 2027", "Bostadsförsörjningsprogram"). A detaljplan
/// regulates land and is not one.
fn names_a_plan(lower_title: &str) -> bool {
    let first = lower_title
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches([':', ',']);
    first != "detaljplan"
        && [
            "plan",
            "program",
            "strategi",
            "policy",
            "taxa",
            "reglemente",
        ]
        .iter()
        .any(|head| first.ends_with(head) && first.chars().count() > head.chars().count() + 2)
}

/// The office (förvaltning or kontor) a tjänsteskrivelse comes from: the
/// first such name in its text.
pub(crate) fn office(text: &str) -> Option<String> {
    static OFFICE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?P<o>(?:\p{Lu}[\p{Ll}\-]+(?:\s+och\s+\p{Ll}+)?)(?:förvaltningen|kontoret))")
            .expect("valid regex")
    });
    OFFICE
        .captures_iter(text)
        .filter(|c| c.get(0).is_some_and(|m| crate::word_bounded(text, &m)))
        .map(|c| c["o"].to_owned())
        .next()
}

/// The title: a "§ 187 Svar på motion …" line of a protocol extract, else
/// the first heading line that says more than the kind.
pub(crate) fn title(text: &str) -> String {
    if let Some(t) = heading_lines(text)
        .iter()
        .find_map(|l| PARAGRAPH_TITLE.captures(l))
    {
        return t["t"].trim().to_owned();
    }
    heading_lines(text)
        .into_iter()
        .find(|l| !is_heading_noise(l) && l.chars().count() <= 250 && !starts_with_kind_and_date(l))
        .map(|l| l.trim_end_matches(':').to_owned())
        .unwrap_or_default()
}

/// "INTERPELLATION 20 januari 2021" is a header line, not a title.
fn starts_with_kind_and_date(line: &str) -> bool {
    let l = line.to_lowercase();
    KIND_HEADINGS.iter().any(|(w, _)| {
        l.starts_with(w) && {
            let rest = l[w.len()..].trim();
            // What follows is a date and nothing else: "Handlingsplan för
            // trygghet 2026" is a title with its year.
            !rest.is_empty()
                && rest.split_whitespace().count() <= 4
                && rest.chars().any(|c| c.is_ascii_digit())
                && rest
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| !w.is_empty())
                    .all(|w| w == "den" || crate::lexicon::month(w).is_some())
        }
    })
}

static PLACE_OR_LABEL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^(?:\p{Lu}[\p{Ll}\-]+(?:\s+\p{Lu}[\p{Ll}\-]+)?,?\s+(?:den\s+)?|datum:?\s*|senast\s+uppdaterad:?\s*|publicerad:?\s*)(?P<d>(?:19|20)\d\d-\d\d-\d\d|\d{1,2}\s+\p{Ll}+\s+(?:19|20)\d\d)\s*$")
        .expect("valid regex")
});

/// The document's own date: a short heading line with a date
/// ("INTERPELLATION 20 januari 2021", "Kommunstyrelsen 2018-05-16 § 77",
/// "Beslutad av kommunstyrelsen. 2019-12-18/§ 334"), else a place-and-date
/// or "Datum:" line ("Malmö 2024-02-26"), else "Senast uppdaterad".
pub(crate) fn own_date(text: &str) -> Option<Date> {
    let day = |s: &str| {
        crate::dates::find_dates(s, None)
            .into_iter()
            .find(|m| m.range.precision == kedja_model::Precision::Day)
            .map(|m| m.range.start)
    };
    for line in text[..heading_end(text)]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        // Past the first section label ("Bakgrund", "Ärendebeskrivning")
        // the text has begun: its dates are what it tells of.
        if crate::protocol::is_section_label(line) {
            break;
        }
        if is_header_line(line)
            && let Some(d) = day(line)
        {
            return Some(d);
        }
    }
    let mut updated = None;
    for c in PLACE_OR_LABEL_DATE.captures_iter(text) {
        let line = c.get(0).expect("whole match").as_str().to_lowercase();
        let d = day(&c["d"]);
        if line.starts_with("senast") || line.starts_with("publicerad") {
            updated = updated.or(d);
        } else if d.is_some() {
            return d;
        }
    }
    updated
}

static MUNI_KOMMUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<n>\p{Lu}[\p{Ll}]+(?:[ \-]\p{Lu}[\p{Ll}]+)?)(?:\s+(?:kommun|stad|kommuns|stads))",
    )
    .expect("valid regex")
});
static DOMAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<d>[a-zåäö\-]+)\.se(?-u:\b)").expect("valid regex"));

/// The municipality the text is from: "X kommun", "X stad", a place-and-date
/// line ("Malmö 2024-02-26") or a web address ("haninge.se").
pub(crate) fn municipality(text: &str) -> Option<String> {
    let mut votes: Vec<(String, u32)> = Vec::new();
    let mut vote = |name: String, weight: u32| match votes.iter_mut().find(|(n, _)| *n == name) {
        Some((_, w)) => *w += weight,
        None => votes.push((name, weight)),
    };
    for c in MUNI_KOMMUN.captures_iter(text) {
        if let Some(n) = known_municipality(&c["n"], text) {
            vote(n, 2);
        }
    }
    for c in DOMAIN.captures_iter(text) {
        let d = &c["d"];
        if let Some(n) = MUNICIPALITIES.iter().find(|m| ascii_fold(m) == d) {
            vote((*n).to_owned(), 3);
        }
    }
    static PLACE_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^(?P<n>\p{Lu}[\p{Ll}]+(?:[ \-]\p{Lu}[\p{Ll}]+)?)(?:,)?\s+(?:den\s+)?(?:\d{4}-\d\d-\d\d|\d{1,2}\s+\p{Ll}+\s+\d{4})\s*$").expect("valid regex")
    });
    for c in PLACE_DATE.captures_iter(text) {
        if let Some(n) = MUNICIPALITIES.iter().find(|m| **m == &c["n"]) {
            vote((*n).to_owned(), 3);
        }
    }
    votes.into_iter().max_by_key(|(_, w)| *w).map(|(n, _)| n)
}

/// A municipality a sentence names as the owner of something ("Mjölby
/// kommuns handlingsplan", "i Haninge kommun"): known names only.
pub(crate) fn named_municipality(sentence: &str) -> Option<String> {
    MUNI_KOMMUN
        .captures_iter(sentence)
        .filter(|c| {
            c.get(0)
                .is_some_and(|m| crate::at_word_start(sentence, m.start()))
        })
        .find_map(|c| {
            let raw = &c["n"];
            MUNICIPALITIES
                .iter()
                .find(|m| **m == raw || raw.strip_suffix('s') == Some(**m))
                .map(|m| (*m).to_owned())
        })
}

/// "Karlstads" → "Karlstad"; a name not in the list counts when it also
/// appears on its own in the text (a municipality the list does not know).
fn known_municipality(raw: &str, text: &str) -> Option<String> {
    if let Some(m) = MUNICIPALITIES.iter().find(|m| **m == raw) {
        return Some((*m).to_owned());
    }
    if let Some(stem) = raw.strip_suffix('s') {
        if let Some(m) = MUNICIPALITIES.iter().find(|m| **m == stem) {
            return Some((*m).to_owned());
        }
        let alone = format!("{stem} ");
        if stem.chars().count() >= 3 && text.contains(&alone) {
            return Some(stem.to_owned());
        }
    }
    None
}

static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?P<num>\d{1,2})\s*[.)]|[-–•*·▪]|[a-z]\))\s+(?P<t>\S.*)$")
        .expect("valid regex")
});

/// List items (numbered or bulleted), each with its continuation lines.
fn list_items(block: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut open = false;
    for line in block.lines() {
        if let Some(c) = LIST_ITEM.captures(line) {
            items.push(c["t"].trim().to_owned());
            open = true;
        } else if line.trim().is_empty() {
            open = false;
        } else if open && line.starts_with([' ', '\t']) {
            // an indented continuation belongs to the item above
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        } else {
            open = false;
        }
    }
    items
}

/// The items of the first list in `text`, which must start within its first
/// two paragraphs.
fn first_list_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    for (i, para) in text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .enumerate()
    {
        let found = list_items(para);
        if found.is_empty() {
            if !items.is_empty() || i >= 1 {
                break;
            }
            continue;
        }
        items.extend(found);
    }
    items
}

static QUESTION_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:följande\s+frågor?|vill\s+jag\s+(?:därför\s+)?fråga|jag\s+vill\s+(?:därför\s+)?fråga|frågor?\s+till\s+|jag\s+frågar)").expect("valid regex")
});

/// The questions of an interpellation: the list after "följande frågor",
/// else any listed item that is a question, else the question sentences
/// after the trigger.
pub(crate) fn questions(text: &str) -> Vec<String> {
    if let Some(m) = QUESTION_TRIGGER.find_iter(text).last() {
        let after = &text[m.end()..];
        // "… följande frågor:" and a list: every item is a question, also
        // those phrased as "att …" without a question mark.
        let line_end = after.find('\n').unwrap_or(after.len());
        if after[..line_end].trim_end().ends_with(':') {
            let first_list = first_list_items(&after[line_end..]);
            if !first_list.is_empty() {
                return first_list;
            }
        }
        let items: Vec<String> = list_items(after)
            .into_iter()
            .filter(|q| q.ends_with('?'))
            .collect();
        if !items.is_empty() {
            return items;
        }
        let sentences = question_sentences(after);
        if !sentences.is_empty() {
            return sentences;
        }
    }
    list_items(text)
        .into_iter()
        .filter(|q| q.ends_with('?'))
        .collect()
}

fn question_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    // Skip the rest of the trigger sentence ("… till ministern:").
    if let Some(colon) = text.find(':')
        && colon < 200
    {
        start = colon + 1;
    }
    let body = &text[start..];
    let mut cur = String::new();
    for c in body.chars() {
        cur.push(c);
        if matches!(c, '.' | '!' | '?') {
            let s = cur.split_whitespace().collect::<Vec<_>>().join(" ");
            if c == '?' && s.chars().count() > 10 {
                out.push(s.trim_start_matches(['-', '–', '•', ' ']).to_owned());
            }
            cur.clear();
        }
    }
    out
}

static ATT_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?:[-–•]\s*)?att\s+(?P<t>\S[^\n]*)$").expect("valid regex")
});
static PROPOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:föreslår|yrkar|vill\s+därför\s+att|vi\s+vill\s+därför|beslutar|föreslås\s+besluta)").expect("valid regex")
});

/// The proposals of a motion, initiative or decision: "att …" lines and the
/// list items after "föreslår".
pub(crate) fn proposals(text: &str) -> Vec<String> {
    let mut out: Vec<String> = ATT_CLAUSE
        .captures_iter(text)
        .map(|c| format!("att {}", c["t"].trim()))
        .collect();
    if out.is_empty() {
        // Where each paragraph break is, found once: looking for the next
        // one from each match would take time quadratic in the text.
        let breaks: Vec<usize> = text.match_indices("\n\n").map(|(i, _)| i).collect();
        let mut seen = std::collections::HashSet::new();
        for m in PROPOSE.find_iter(text) {
            let at = m.end();
            // The paragraph breaks after the match, as offsets into `after`.
            let next = breaks.partition_point(|&b| b < at);
            let after = &text[at..];
            let first_para_end = breaks.get(next).map_or(after.len(), |b| b - at);
            if first_para_end > 600 {
                continue;
            }
            // the list must start within the next two paragraphs
            let window_end = breaks.get(next + 2).map_or(after.len(), |b| b - at);
            let window = &after[..window_end.min(after.floor_char_boundary(MAX_LIST_WINDOW))];
            for item in list_items(window) {
                if !item.ends_with('?') && seen.insert(item.clone()) {
                    out.push(item);
                }
            }
        }
    }
    out
}

/// Longest stretch of text after "föreslår …" read for its list, in bytes.
const MAX_LIST_WINDOW: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_headings() {
        assert_eq!(
            kind("Interpellation\n\nTill KSO om våld").0,
            DocKind::Interpellation
        );
        assert_eq!(
            kind("Vänsterpartiet\n\nNämndinitiativ\n\nArbetet mot").0,
            DocKind::Initiative
        );
        assert_eq!(
            kind("Svar på interpellation från Anna Berg (S)").0,
            DocKind::InterpellationAnswer
        );
        assert_eq!(
            kind("Vad blev resultatet?\n\nINTERPELLATION 20 januari 2021").0,
            DocKind::Interpellation
        );
        assert_eq!(
            kind("Handlingsplan mot hedersrelaterat våld").0,
            DocKind::Plan
        );
        assert_eq!(
            kind("Protokollsutdrag\nKommunfullmäktige").0,
            DocKind::Decision
        );
        assert_eq!(kind("Något helt annat.").0, DocKind::Other);
        // A proposal to the council signed by members is a motion, though
        // no heading says so; signed by an office's staff it is not.
        let proposal = "Stöd till X\n\nVi vill att kommunen gör mer.\nFler gör redan mycket.\nDet behövs stöd.\nOch samarbete.\nMed andra kommuner.\n\nFörslag till beslut i kommunfullmäktige:\n1. Kommunen deltar.\n\n";
        assert_eq!(
            kind(&format!("{proposal}Anna Berg (S), Per Ek (V)\n")).0,
            DocKind::Motion
        );
        assert_ne!(
            kind(&format!("{proposal}Anna Berg\nUtredare\n")).0,
            DocKind::Motion
        );
        // Asked to answer questions is not asking them.
        let review = "Granskningsutlåtande\n\nLänsstyrelsen ombads svara på följande frågor:\nbuller och dagvatten.\n";
        assert_ne!(kind(review).0, DocKind::Interpellation);
        assert_eq!(
            kind("Till KSO\n\nJag vill ställa följande frågor:\n1. Hur går det?\n").0,
            DocKind::Interpellation
        );
        assert_eq!(
            kind("Årshjul\n\nJanuari\nAktivitet: Uppföljning av klagomål\n").0,
            DocKind::Plan
        );
        assert_eq!(
            kind("Rapport\n\nFler fritidsaktiviteter och aktiviteter för unga behövs.\n").0,
            DocKind::Other
        );
    }

    #[test]
    fn kinds_from_the_head_of_planning_documents_and_reviews() {
        let k = |t: &str| kind_from_head(&crate::head::read_head(t));
        assert_eq!(
            k("Planbeskrivning\n\nGranskningshandling\nDetaljplan för Ekby 1:2\n"),
            Some(DocKind::Other)
        );
        assert_eq!(
            k("ekby.se\n\nSAMRÅDSREDOGÖRELSR\n\nDetaljplan för Ekby 1:2,\n\nEkby kommun\n"),
            Some(DocKind::Other)
        );
        assert_eq!(
            k("Genomlysning\n2026–2027\nTekniska nämnden\n\nDiarienummer: 2026.107 TEN\n"),
            Some(DocKind::FollowUp)
        );
        assert_eq!(
            k("2025-10-08\n\nUtvärdering av\nMålbild buss 2030\n"),
            Some(DocKind::FollowUp)
        );
        assert_eq!(
            k(
                "Diarienummer: 2018.005 741\nDatum: 2018-01-11\nTILLSYNSPLAN FÖR SERVERING\nÅR 2018\n\nAllmänt om tillsyn\n"
            ),
            Some(DocKind::Plan)
        );
        assert_eq!(k("DETALJPLAN FÖR EKBY FÖRSKOLA\n"), None);
        assert_eq!(
            k("Renhållningstaxa 2027\n\nInledning\n"),
            Some(DocKind::Plan)
        );
        assert_eq!(k("Delårsrapport augusti 2026\n"), Some(DocKind::FollowUp));
        assert_eq!(k("Programutbud och antal platser\n"), None);
        assert_eq!(
            k("ekby.se\n\nBeslutsunderlag\nMarkanvisning 2,\nEkby E4\n\nBakgrund\n"),
            Some(DocKind::StaffReport)
        );
        assert!(within_one_edit("samrådsredogörelse", "samrådsredögörelse"));
        assert!(!within_one_edit("motion", "notion"));
    }

    #[test]
    fn titles_skip_kind_and_party_lines_only() {
        assert_eq!(
            title("Interpellation\n\nTill KSO om solcellerna\n\nText."),
            "Till KSO om solcellerna"
        );
        assert_eq!(
            title("Karlstadpartiet Livskvalitet\n\nMotion om parker"),
            "Motion om parker"
        );
        assert_eq!(
            title("Vänsterpartiet\n\nNämndinitiativ\n\nArbetet mot hedersrelaterat våld"),
            "Arbetet mot hedersrelaterat våld"
        );
        assert_eq!(
            title("Interpellation\n\nTill KSO om kommunens arbete"),
            "Till KSO om kommunens arbete"
        );
        assert_eq!(
            title("INTERPELLATION 20 januari 2021\n\nVad blev resultatet?"),
            "Vad blev resultatet?"
        );
        assert_eq!(title("MOTION 2021-01-20\n\nFler bänkar"), "Fler bänkar");
        // A type word with the title's own words and its year is the title.
        assert_eq!(
            title("Handlingsplan för trygghet 2026\nEkby kommun\n\nAktiviteter\n"),
            "Handlingsplan för trygghet 2026"
        );
    }

    #[test]
    fn own_dates() {
        assert_eq!(
            own_date("Interpellation\n\nGenom kommunfullmäktiges beslut den 28 september 2020 (§ 112) skulle fem byggnader få solceller.\n\nNorrbacka 2024-01-10")
                .unwrap()
                .to_string(),
            "2024-01-10"
        );
        assert_eq!(
            own_date("Text.\n\nMalmö 2024-02-26\n\nKerstin")
                .unwrap()
                .to_string(),
            "2024-02-26"
        );
        assert_eq!(
            own_date("Vad?\n\nINTERPELLATION 20 januari 2021\n\n")
                .unwrap()
                .to_string(),
            "2021-01-20"
        );
        assert_eq!(
            own_date("Beslutad av kommunstyrelsen. 2019-12-18/§ 334:")
                .unwrap()
                .to_string(),
            "2019-12-18"
        );
        assert_eq!(
            own_date("Text\n\nSenast uppdaterad: 6 oktober 2023")
                .unwrap()
                .to_string(),
            "2023-10-06"
        );
        assert_eq!(
            own_date("Barnnämnden 2018-05-16 § 77, dnr KS 2016/211\n\nText")
                .unwrap()
                .to_string(),
            "2018-05-16"
        );
        assert_eq!(
            own_date(
                "Beslutsunderlag\nMarkanvisning 2\n\nBakgrund\n\nGenom beslut i kommunstyrelsen den 23 oktober 2024 § 162\ngavs uppdraget att tävla"
            ),
            None
        );
        assert_eq!(
            own_date(
                "Titel\n\nI februari 2022 lämnade Martin Lindberg (V) in en motion 2022-02-03 till fullmäktige och den behandlades i mars.\n\nSlut"
            ),
            None
        );
    }

    #[test]
    fn municipalities() {
        assert_eq!(municipality("Malmö 2024-02-26").as_deref(), Some("Malmö"));
        assert_eq!(
            municipality("funktioner på haninge.se inte").as_deref(),
            Some("Haninge")
        );
        assert_eq!(
            municipality("alla förvaltningar i Karlstads kommun").as_deref(),
            Some("Karlstad")
        );
        assert_eq!(
            municipality("Sjöviks kommun. Sjövik 2023-01-02").as_deref(),
            Some("Sjövik")
        );
        assert_eq!(municipality("ingen ort här"), None);
    }

    #[test]
    fn questions_after_trigger() {
        let t = "Text.\n\nMed anledning av detta har jag följande frågor till KSO:\n\n1. Hur ser arbetet ut idag?\n\n2. Hur långt har\n   man kommit?\n\nAnnika";
        assert_eq!(
            questions(t),
            vec!["Hur ser arbetet ut idag?", "Hur långt har man kommit?"]
        );
        let t = "Vi vill därför att\n\n1. Kommunen tar fram riktlinjer.\n\nOch:\n\n  1. Hur många levde upp till målet?\n  2. Hur ser statusen ut idag?";
        assert_eq!(
            questions(t),
            vec![
                "Hur många levde upp till målet?",
                "Hur ser statusen ut idag?"
            ]
        );
        let t = "Jag vill därför fråga statsrådet:\n\nVad avser statsrådet att göra? Och när?";
        assert_eq!(questions(t), vec!["Vad avser statsrådet att göra?"]);
    }

    #[test]
    fn proposals_from_att_and_lists() {
        let t = "Jag föreslår att kommunfullmäktige beslutar\n\natt en handlingsplan tas fram\n\natt planen följs upp årligen";
        assert_eq!(
            proposals(t),
            vec![
                "att en handlingsplan tas fram",
                "att planen följs upp årligen"
            ]
        );
        let t = "Därför föreslår vi nämnden att följa rekommendationerna enligt nedan:\n\n- Säkerställa stöd\n- Förstärka mottaget";
        assert_eq!(proposals(t), vec!["Säkerställa stöd", "Förstärka mottaget"]);
    }

    #[test]
    fn proposals_take_linear_time_in_text_without_blank_lines() {
        // Searching the rest of the text for a paragraph break once per
        // "beslutar" took minutes for a few megabytes.
        let sentence =
            "Kommunfullmäktige beslutar att ge kommunstyrelsen i uppdrag att utreda frågan. ";
        let text = sentence.repeat(4_000_000 / sentence.len());
        let started = std::time::Instant::now();
        assert!(proposals(&text).is_empty());
        let spent = started.elapsed();
        assert!(spent < std::time::Duration::from_secs(5), "{spent:?}");
        // A list after a proposal is still found among many matches.
        let listed = format!(
            "{text}\n\nVi föreslår att nämnden beslutar\n\n- Säkerställa stöd\n- Förstärka mottaget"
        );
        assert_eq!(
            proposals(&listed),
            vec!["Säkerställa stöd", "Förstärka mottaget"]
        );
    }
}
